package web

import (
	"net/http"

	"antq"
	"antq/rules"
	"antq/store"
)

type unitPage struct {
	Layout
	Unit      *antq.Unit
	Ancestors []*antq.Unit
	Children  []*antq.Unit
	Counts    []antq.KindCount
	Plans     []unitPlan
	History   []store.AuditRecord
	// Predecessors and Successors: the reorganisations that made this
	// version and what it became (the 2025 reform).
	Predecessors, Successors []store.LineageLink
	// Awards is the unit's own award history (award:read).
	Awards []*antq.Nomination
}

// unitPlan is a plan whose tree holds the unit, with the unit's facts.
type unitPlan struct {
	Plan  *rules.Plan
	Facts *antq.UnitFacts
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	ctx, code := r.Context(), r.PathValue("code")
	asOf, err := dateParam(r, "as_of")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := unitPage{Layout: s.layout(r, "")}
	if page.Unit, page.Children, _, err = s.DB.Children(ctx, code, asOf, nil, 0, 500); err != nil {
		s.error(w, r, err)
		return
	}
	page.Title = page.Unit.Name
	if page.Ancestors, err = s.DB.Ancestors(ctx, code, asOf); err != nil {
		s.error(w, r, err)
		return
	}
	if page.Predecessors, page.Successors, err = s.DB.Lineage(ctx, page.Unit.ID); err != nil {
		s.error(w, r, err)
		return
	}
	if page.Counts, err = s.DB.SubtreeCounts(ctx, code, asOf); err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(ctx)
	if user.Can(antq.PermFactRead) {
		c, err := s.DB.Catalog(ctx)
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, p := range c.Plans() {
			if _, facts, err := s.DB.UnitFacts(ctx, p.ID, page.Unit.Code); err == nil {
				page.Plans = append(page.Plans, unitPlan{Plan: p, Facts: facts})
			}
		}
		if page.History, err = s.DB.AuditRecords(ctx, store.AuditFilter{UnitCode: page.Unit.Code, Entities: factEntities, Limit: 50}); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if user.Can(antq.PermAwardRead) {
		if page.Awards, err = s.DB.AwardHistory(ctx, 0, page.Unit.Code); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "unit", page)
}
