package web

import (
	"net/http"
	"strconv"
	"strings"

	"antq"
)

// Versions on the API and in the forms (concurrent edits, test plan T5).
// A fact read answers its version: the ETag of a write's answer, and
// "versions" in GET …/units/{code}. A write sends it back — If-Match on the
// API, the hidden field "version" in a form — and the store refuses it with
// 409 when another change came first; the 409 carries the fact as it is
// now and its version. A write without a version is not checked (older
// clients, scripts that mean to overwrite).

// versioned wraps a handler that writes the fact kind (of the {id} in the
// path for models and incidents).
func (s *Server) versioned(kind antq.FactKind, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		vc := &antq.VersionCheck{Kind: kind, IfMatch: ifMatch(r)}
		if v := r.PathValue("id"); v != "" {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				vc.ID = id
			}
		}
		h(&etagWriter{ResponseWriter: w, vc: vc}, r.WithContext(antq.WithVersionCheck(r.Context(), vc)))
	}
}

// ifMatch is the version the client sends: If-Match ("v12", quoted as an
// entity tag or not; "*" checks nothing) or a form's "version" field.
func ifMatch(r *http.Request) string {
	v := r.Header.Get("If-Match")
	if v == "" && r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		v = r.PostFormValue("version")
	}
	v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
	if v == "*" {
		return ""
	}
	return strings.Trim(v, `"`)
}

// etagWriter sets the ETag of a successful write's answer to the version it
// made.
type etagWriter struct {
	http.ResponseWriter
	vc *antq.VersionCheck
}

func (e *etagWriter) WriteHeader(status int) {
	if status < 300 && e.vc.Current != "" {
		e.Header().Set("ETag", `"`+e.vc.Current+`"`)
	}
	e.ResponseWriter.WriteHeader(status)
}

func (e *etagWriter) Write(b []byte) (int, error) {
	if e.Header().Get("ETag") == "" && e.vc.Current != "" {
		e.Header().Set("ETag", `"`+e.vc.Current+`"`)
	}
	return e.ResponseWriter.Write(b)
}

func (e *etagWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// staleFact is what a 409 for a stale write carries: the fact now, and its
// version.
func (s *Server) staleFact(r *http.Request) (current any, version string) {
	vc := antq.VersionCheckFrom(r.Context())
	if vc == nil {
		return nil, ""
	}
	_, facts, err := s.DB.UnitFacts(r.Context(), r.PathValue("plan"), r.PathValue("code"))
	if err != nil {
		return nil, vc.Current
	}
	switch vc.Kind {
	case antq.FactRegistration:
		current = facts.Registration
	case antq.FactPropaganda:
		current = facts.Propaganda
	case antq.FactRecognition:
		current = facts.Recognition
	case antq.FactGrade:
		current = facts.Grade
	case antq.FactCollectiveAssessment:
		current = facts.CollectiveAssessment
	case antq.FactModel:
		for _, m := range facts.Models {
			if m.ID == vc.ID {
				current = m
			}
		}
	case antq.FactIncident:
		for _, i := range facts.Incidents {
			if i.ID == vc.ID {
				current = i
			}
		}
	}
	return current, vc.Current
}
