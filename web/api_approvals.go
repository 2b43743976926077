package web

import (
	"net/http"
	"time"

	"antq"
	"antq/store"
)

// The approval of facts through the API: one step on one fact of a unit,
// the same step on many facts (the inbox's bulk approval), and the list of
// facts waiting for approval.

type approvalStepJSON struct {
	Fact   antq.FactKind `json:"fact"`
	FactID int64         `json:"fact_id,omitempty"`
	Reason string        `json:"reason,omitempty"`
}

// POST /api/v1/plans/{plan}/units/{code}/approval/{action}
func (s *Server) apiFactStep(w http.ResponseWriter, r *http.Request) {
	var in approvalStepJSON
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	out, err := s.DB.StepFact(r.Context(), plan, code, in.Fact, in.FactID, antq.ApprovalAction(r.PathValue("action")), in.Reason)
	respond(s, w, r, out, err)
}

// POST /api/v1/plans/{plan}/approvals/{action}
func (s *Server) apiBulkFactSteps(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Facts  []store.FactRef `json:"facts"`
		Reason string          `json:"reason,omitempty"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.DB.StepFacts(r.Context(), r.PathValue("plan"), in.Facts, antq.ApprovalAction(r.PathValue("action")), in.Reason)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ok := 0
	for _, x := range res {
		if x.OK {
			ok++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "succeeded": ok, "failed": len(res) - ok})
}

type pendingFactJSON struct {
	Unit         unitRefJSON   `json:"unit"`
	Fact         antq.FactKind `json:"fact"`
	FactID       int64         `json:"fact_id,omitempty"`
	SubmittedBy  string        `json:"submitted_by"`
	SubmittedAt  *time.Time    `json:"submitted_at"`
	ReturnReason string        `json:"return_reason,omitempty"`
}

// askedOrOwnUnit is the unit a list is about: the one ?unit= asks for,
// else the caller's own unit ("" without either: the plan's root).
func askedOrOwnUnit(r *http.Request) string {
	if u := r.URL.Query().Get("unit"); u != "" {
		return u
	}
	if u := antq.UserFromContext(r.Context()); u != nil {
		return u.UnitCode
	}
	return ""
}

// GET /api/v1/plans/{plan}/approvals?unit=CODE&offset=&limit=
func (s *Server) apiPendingFacts(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	facts, total, err := s.DB.PendingFacts(r.Context(), r.PathValue("plan"), askedOrOwnUnit(r), offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := []pendingFactJSON{}
	for _, f := range facts {
		out = append(out, pendingFactJSON{Unit: unitRefJSON{f.Unit.Code, f.Unit.Name, string(f.Unit.Kind)}, Fact: f.Fact, FactID: f.ID,
			SubmittedBy: f.SubmittedBy, SubmittedAt: f.SubmittedAt, ReturnReason: f.ReturnReason})
	}
	writeJSON(w, http.StatusOK, map[string]any{"facts": out, "total": total, "offset": offset, "limit": limit})
}
