package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"antq"
)

// statusOf maps error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	antq.ECONFLICT:     http.StatusConflict,
	antq.EINVALID:      http.StatusUnprocessableEntity,
	antq.ENOTFOUND:     http.StatusNotFound,
	antq.EFORBIDDEN:    http.StatusForbidden,
	antq.EUNAUTHORIZED: http.StatusUnauthorized,
	antq.ETOOMANY:      http.StatusTooManyRequests,
	antq.EINTERNAL:     http.StatusInternalServerError,
	antq.EUNAVAILABLE:  http.StatusServiceUnavailable,
	antq.ENOSPACE:      http.StatusInsufficientStorage,
}

// errBadRequest is the code for a request that cannot be parsed at all (400),
// as opposed to a well-formed request with invalid values (422).
const errBadRequest = "bad_request"

func init() { statusOf[errBadRequest] = http.StatusBadRequest }

func badRequest(message string, fields map[string]string) error {
	return &antq.Error{Code: errBadRequest, Message: message, Fields: fields}
}

type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
		// Current and Version: for a stale write (409), the fact as it is
		// now and its version.
		Current any    `json:"current,omitempty"`
		Version string `json:"version,omitempty"`
	} `json:"error"`
}

// error answers with err: JSON for the API, a page otherwise. Internal
// causes go to the log, never to the client.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := antq.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == antq.EINTERNAL {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized && isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="antq"`)
	}
	if isAPI(r) || !acceptsHTML(r) {
		var body errorBody
		body.Error.Code, body.Error.Message, body.Error.Fields = code, antq.ErrorMessage(err), antq.ErrorFields(err)
		if errors.Is(err, antq.ErrStaleVersion) {
			body.Error.Current, body.Error.Version = s.staleFact(r)
			if body.Error.Version != "" {
				w.Header().Set("ETag", `"`+body.Error.Version+`"`)
			}
		}
		writeJSON(w, status, body)
		return
	}
	s.renderError(w, r, status, antq.ErrorMessage(err))
}

// refused answers a form the store refused: an invalid one or a conflict
// shows its page again through rerender, with 422 or 409; any other error
// is the error page.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, err error, rerender func(status int)) {
	switch code := antq.ErrorCode(err); code {
	case antq.EINVALID, antq.ECONFLICT:
		rerender(statusOf[code])
	default:
		s.error(w, r, err)
	}
}

// recordPost handles a form posted to a record's …/{id}/… route: save
// reads the request and writes, returning the submitted values to show
// again; a refusal goes to failed (the record's page again), success is a
// 303 to fmt.Sprintf(next, id).
func (s *Server) recordPost(w http.ResponseWriter, r *http.Request, next string,
	failed func(w http.ResponseWriter, r *http.Request, form map[string]string, err error),
	save func(id int64) (form map[string]string, err error)) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if form, err := save(id); err != nil {
		failed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf(next, id), http.StatusSeeOther)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy trang"))
}
