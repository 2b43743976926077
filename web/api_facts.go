package web

import (
	"context"
	"net/http"
	"strconv"

	"antq"
)

// factPath returns the plan id and unit code of a …/plans/{plan}/units/{code}/… route.
func factPath(r *http.Request) (plan, code string) { return r.PathValue("plan"), r.PathValue("code") }

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy bản ghi %q", r.PathValue("id"))
	}
	return id, nil
}

type unitFactsJSON struct {
	Plan string   `json:"plan"`
	Unit unitJSON `json:"unit"`
	*antq.UnitFacts
	// Versions: each fact's version, to send back as If-Match.
	Versions map[string]string `json:"versions"`
}

// GET /api/v1/plans/{plan}/units/{code}
func (s *Server) apiUnitFacts(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	u, facts, err := s.DB.UnitFacts(r.Context(), plan, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	versions, err := s.DB.FactVersions(r.Context(), plan, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unitFactsJSON{Plan: plan, Unit: toUnitJSON(u), UnitFacts: facts, Versions: versions})
}

// PUT /api/v1/plans/{plan}/units/{code}/registration
func (s *Server) apiPutRegistration(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RegisteredOn antq.Date         `json:"registered_on"`
		Document     *antq.DocumentRef `json:"document"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.PutRegistration(r.Context(), plan, code, antq.Registration{RegisteredOn: in.RegisteredOn, Document: in.Document})
	respond(s, w, r, out, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/registration
func (s *Server) apiDeleteRegistration(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteRegistration(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/propaganda
func (s *Server) apiPutPropaganda(w http.ResponseWriter, r *http.Request) {
	var in antq.PropagandaInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.PutPropaganda(r.Context(), plan, code, in)
	respond(s, w, r, out, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/propaganda
func (s *Server) apiDeletePropaganda(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeletePropaganda(r.Context(), plan, code))
}

// GET /api/v1/plans/{plan}/units/{code}/models
func (s *Server) apiListModels(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	models, err := s.DB.ListModels(r.Context(), plan, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": models})
}

// POST /api/v1/plans/{plan}/units/{code}/models
func (s *Server) apiCreateModel(w http.ResponseWriter, r *http.Request) {
	var in antq.ModelInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	m, err := s.DB.CreateModel(r.Context(), plan, code, in)
	respondCreated(s, w, r, m, err)
}

// PATCH /api/v1/plans/{plan}/units/{code}/models/{id}
func (s *Server) apiUpdateModel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in antq.ModelInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	m, err := s.DB.UpdateModel(r.Context(), plan, code, id, in)
	respond(s, w, r, m, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/models/{id}
func (s *Server) apiDeleteModel(w http.ResponseWriter, r *http.Request) {
	s.deleteItem(w, r, s.DB.DeleteModel)
}

// POST /api/v1/plans/{plan}/units/{code}/incidents
func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request) {
	var in antq.IncidentInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	inc, err := s.DB.CreateIncident(r.Context(), plan, code, in)
	respondCreated(s, w, r, inc, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/incidents/{id}
func (s *Server) apiDeleteIncident(w http.ResponseWriter, r *http.Request) {
	s.deleteItem(w, r, s.DB.DeleteIncident)
}

// PUT /api/v1/plans/{plan}/units/{code}/recognition
func (s *Server) apiPutRecognition(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Result    antq.RecognitionResult `json:"result"`
		DecidedOn antq.Date              `json:"decided_on"`
		Decision  *antq.DocumentRef      `json:"decision"`
		Replaces  string                 `json:"replaces"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.PutRecognition(r.Context(), plan, code, antq.Recognition{Result: in.Result, DecidedOn: in.DecidedOn, Decision: in.Decision, Replaces: in.Replaces})
	respond(s, w, r, out, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/recognition
func (s *Server) apiDeleteRecognition(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteRecognition(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/collective-assessment
func (s *Server) apiPutCollectiveAssessment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Level      antq.CollectiveLevel `json:"level"`
		AssessedOn antq.Date            `json:"assessed_on"`
		AssessedBy string               `json:"assessed_by"`
		Basis      string               `json:"basis"`
		Decision   *antq.DocumentRef    `json:"decision"`
		Replaces   string               `json:"replaces"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.PutCollectiveAssessment(r.Context(), plan, code, antq.CollectiveAssessment{Level: in.Level, AssessedOn: in.AssessedOn,
		AssessedBy: in.AssessedBy, Basis: in.Basis, Decision: in.Decision, Replaces: in.Replaces})
	respond(s, w, r, out, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/collective-assessment
func (s *Server) apiDeleteCollectiveAssessment(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteCollectiveAssessment(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/grade
func (s *Server) apiPutGrade(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Grade          antq.Grade        `json:"grade"`
		Score          *antq.Tenths      `json:"score"`
		Decision       *antq.DocumentRef `json:"decision"`
		OverrideReason string            `json:"override_reason"`
		Replaces       string            `json:"replaces"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.PutGrade(r.Context(), plan, code, antq.GradeRecord{Grade: in.Grade, Score: in.Score, Decision: in.Decision,
		OverrideReason: in.OverrideReason, Replaces: in.Replaces})
	respond(s, w, r, out, err)
}

// DELETE /api/v1/plans/{plan}/units/{code}/grade
func (s *Server) apiDeleteGrade(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteGrade(r.Context(), plan, code))
}

func respond(s *Server, w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
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
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

// deleteItem answers DELETE …/units/{code}/…/{id} with the store's delete
// of that item of the unit.
func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request, del func(ctx context.Context, plan, code string, id int64) error) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	respondDeleted(s, w, r, del(r.Context(), plan, code, id))
}

func respondDeleted(s *Server, w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
