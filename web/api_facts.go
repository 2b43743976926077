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
	type body struct {
		RegisteredOn antq.Date         `json:"registered_on"`
		Document     *antq.DocumentRef `json:"document"`
	}
	saveFact(s, w, r, http.StatusOK, func(ctx context.Context, plan, code string, in body) (*antq.Registration, error) {
		return s.DB.PutRegistration(ctx, plan, code, antq.Registration{RegisteredOn: in.RegisteredOn, Document: in.Document})
	})
}

// DELETE /api/v1/plans/{plan}/units/{code}/registration
func (s *Server) apiDeleteRegistration(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteRegistration(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/propaganda
func (s *Server) apiPutPropaganda(w http.ResponseWriter, r *http.Request) {
	saveFact(s, w, r, http.StatusOK, s.DB.PutPropaganda)
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
	respond(s, w, r, map[string]any{"models": models}, err)
}

// POST /api/v1/plans/{plan}/units/{code}/models
func (s *Server) apiCreateModel(w http.ResponseWriter, r *http.Request) {
	saveFact(s, w, r, http.StatusCreated, s.DB.CreateModel)
}

// PATCH /api/v1/plans/{plan}/units/{code}/models/{id}
func (s *Server) apiUpdateModel(w http.ResponseWriter, r *http.Request) {
	var in antq.ModelInput
	id, err := decodeWithID(r, pathID, &in)
	if err != nil {
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
	saveFact(s, w, r, http.StatusCreated, s.DB.CreateIncident)
}

// DELETE /api/v1/plans/{plan}/units/{code}/incidents/{id}
func (s *Server) apiDeleteIncident(w http.ResponseWriter, r *http.Request) {
	s.deleteItem(w, r, s.DB.DeleteIncident)
}

// PUT /api/v1/plans/{plan}/units/{code}/recognition
func (s *Server) apiPutRecognition(w http.ResponseWriter, r *http.Request) {
	type body struct {
		Result    antq.RecognitionResult `json:"result"`
		DecidedOn antq.Date              `json:"decided_on"`
		Decision  *antq.DocumentRef      `json:"decision"`
		Replaces  string                 `json:"replaces"`
	}
	saveFact(s, w, r, http.StatusOK, func(ctx context.Context, plan, code string, in body) (*antq.Recognition, error) {
		return s.DB.PutRecognition(ctx, plan, code, antq.Recognition{Result: in.Result, DecidedOn: in.DecidedOn, Decision: in.Decision, Replaces: in.Replaces})
	})
}

// DELETE /api/v1/plans/{plan}/units/{code}/recognition
func (s *Server) apiDeleteRecognition(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteRecognition(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/collective-assessment
func (s *Server) apiPutCollectiveAssessment(w http.ResponseWriter, r *http.Request) {
	type body struct {
		Level      antq.CollectiveLevel `json:"level"`
		AssessedOn antq.Date            `json:"assessed_on"`
		AssessedBy string               `json:"assessed_by"`
		Basis      string               `json:"basis"`
		Decision   *antq.DocumentRef    `json:"decision"`
		Replaces   string               `json:"replaces"`
	}
	saveFact(s, w, r, http.StatusOK, func(ctx context.Context, plan, code string, in body) (*antq.CollectiveAssessment, error) {
		return s.DB.PutCollectiveAssessment(ctx, plan, code, antq.CollectiveAssessment{Level: in.Level, AssessedOn: in.AssessedOn,
			AssessedBy: in.AssessedBy, Basis: in.Basis, Decision: in.Decision, Replaces: in.Replaces})
	})
}

// DELETE /api/v1/plans/{plan}/units/{code}/collective-assessment
func (s *Server) apiDeleteCollectiveAssessment(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteCollectiveAssessment(r.Context(), plan, code))
}

// PUT /api/v1/plans/{plan}/units/{code}/grade
func (s *Server) apiPutGrade(w http.ResponseWriter, r *http.Request) {
	type body struct {
		Grade          antq.Grade        `json:"grade"`
		Score          *antq.Tenths      `json:"score"`
		Decision       *antq.DocumentRef `json:"decision"`
		OverrideReason string            `json:"override_reason"`
		Replaces       string            `json:"replaces"`
	}
	saveFact(s, w, r, http.StatusOK, func(ctx context.Context, plan, code string, in body) (*antq.GradeRecord, error) {
		return s.DB.PutGrade(ctx, plan, code, antq.GradeRecord{Grade: in.Grade, Score: in.Score, Decision: in.Decision,
			OverrideReason: in.OverrideReason, Replaces: in.Replaces})
	})
}

// DELETE /api/v1/plans/{plan}/units/{code}/grade
func (s *Server) apiDeleteGrade(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	respondDeleted(s, w, r, s.DB.DeleteGrade(r.Context(), plan, code))
}

// saveFact answers a PUT or POST …/plans/{plan}/units/{code}/… whose JSON body
// decodes into an In: save writes it for the route's plan and unit, and the
// answer is what it returns, with status (200 or 201 Created).
func saveFact[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, status int,
	save func(ctx context.Context, plan, code string, in In) (Out, error)) {
	var in In
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := save(r.Context(), plan, code, in)
	respondStatus(s, w, r, status, out, err)
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
