package web

import (
	"context"
	"net/http"
)

// The JSON handlers' common answers: a record read by its {id}, one created
// or saved from a decoded body, and the status each of them answers with.

// respond answers with v as JSON (200 OK), or with err when there is one.
func respond(s *Server, w http.ResponseWriter, r *http.Request, v any, err error) {
	respondStatus(s, w, r, http.StatusOK, v, err)
}

// respondAs is respond with v in its JSON form, to(v).
func respondAs[T, J any](s *Server, w http.ResponseWriter, r *http.Request, v T, err error, to func(T) J) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, to(v))
}

// respondCreated is respond for a POST that made v: 201 Created.
func respondCreated(s *Server, w http.ResponseWriter, r *http.Request, v any, err error) {
	respondStatus(s, w, r, http.StatusCreated, v, err)
}

// respondStatus answers with v as JSON and status, or with err when there is one.
func respondStatus(s *Server, w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// decodeWithID reads the route's record id with readID (pathID, clusterID…),
// then the JSON body into in: an id that names nothing is refused before the
// body is read.
func decodeWithID(r *http.Request, readID func(*http.Request) (int64, error), in any) (int64, error) {
	id, err := readID(r)
	if err != nil {
		return 0, err
	}
	return id, decodeJSON(r, in)
}

// showByID answers a GET on the record the route's {id} names with what
// load returns for it.
func showByID[Out any](s *Server, w http.ResponseWriter, r *http.Request, load func(ctx context.Context, id int64) (Out, error)) {
	v, err := recordOf(r, load)
	respond(s, w, r, v, err)
}

// recordOf loads the record the route's {id} names.
func recordOf[T any](r *http.Request, load func(ctx context.Context, id int64) (T, error)) (T, error) {
	id, err := pathID(r)
	if err != nil {
		var none T
		return none, err
	}
	return load(r.Context(), id)
}

// saveByID answers a request on the record the route's {id} names whose JSON
// body decodes into an In: the answer is what save returns, with status.
func saveByID[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, status int,
	save func(ctx context.Context, id int64, in In) (Out, error)) {
	var in In
	id, err := decodeWithID(r, pathID, &in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out, err := save(r.Context(), id, in)
	respondStatus(s, w, r, status, out, err)
}

// createFromBody answers a POST whose JSON body decodes into an In with
// what create makes of it: 201 Created.
func createFromBody[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, create func(ctx context.Context, in In) (Out, error)) {
	var in In
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := create(r.Context(), in)
	respondCreated(s, w, r, out, err)
}

func respondDeleted(s *Server, w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
