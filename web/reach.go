package web

import (
	"net/http"

	"antq"
)

// writeTarget is the unit a fact route changes, as the write will see it:
// on a plan's route, the unit's version in the plan year (the one the
// store writes to, store.PlanUnit); elsewhere its latest version. Reach is
// judged on that version, so a unit that has since moved is written by
// whoever reached it in the plan year, not by its new parent.
func (s *Server) writeTarget(r *http.Request, code string) (*antq.Unit, error) {
	if plan := r.PathValue("plan"); plan != "" {
		u, _, err := s.DB.PlanUnit(r.Context(), plan, code)
		return u, err
	}
	return s.DB.FindUnitByCode(r.Context(), code, antq.Date{})
}
