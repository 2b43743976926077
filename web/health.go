package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"antq"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyTimeout bounds the readiness check.
const readyTimeout = 2 * time.Second

// readyz answers 200 only when the database answers and its schema is the
// one this binary expects. The check only reads (store.CheckSchema); the
// answer tells an old schema from a database that did not answer in time
// or at all.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	err := s.DB.CheckSchema(ctx)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	case antq.ErrorCode(err) == antq.ECONFLICT:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "schema out of date", "message": antq.ErrorMessage(err)})
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		s.Logger.Warn("readyz: database timeout", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database timeout"})
	default:
		s.Logger.Warn("readyz: database unavailable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
}

// openAPI serves the API's description (OpenAPI 3.1).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	body, err := assetsFS.ReadFile("api/openapi.json")
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}
