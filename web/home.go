package web

import (
	"net/http"
	"net/url"
	"slices"

	"antq"
	"antq/rules"
)

type homePage struct {
	Layout
	Units []*antq.Unit
	Total int
	Plans []*rules.Plan
}

// GET /units[?q=]: the unit search (the header's box) with q; without it
// the caller's own unit. An address people type, not one the pages link.
func (s *Server) unitsIndex(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query().Get("q"); q != "" {
		http.Redirect(w, r, "/?q="+url.QueryEscape(q), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/units/"+url.PathEscape(antq.UserFromContext(r.Context()).UnitCode), http.StatusSeeOther)
}

// home shows search results for ?q=; otherwise it opens the dashboard of the
// newest plan that covers the caller's unit, or lists the plans and the
// caller's unit when none does.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page := homePage{Layout: s.layout(r, "Trang chủ")}
	var err error
	if page.Query != "" {
		page.Title = "Tìm đơn vị"
		if page.Units, page.Total, err = s.DB.FindUnits(ctx, antq.UnitFilter{Query: page.Query, Limit: 100}); err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "home", page)
		return
	}
	c, err := s.DB.Catalog(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page.Plans = c.Plans()
	slices.SortStableFunc(page.Plans, func(a, b *rules.Plan) int { return b.Year - a.Year })
	// The caller's own unit in the newest plan that has it; a unit above
	// the plan's root (the nation over its provinces) opens the plan's root.
	for _, p := range page.Plans {
		for _, code := range []string{page.User.UnitCode, p.RootUnit} {
			if code == "" || (code == p.RootUnit && !s.above(r, p.RootUnit)) {
				continue
			}
			if _, _, err := s.DB.PlanUnit(ctx, p.ID, code); err == nil {
				// Data entry starts from what its units still have to do.
				if page.User.Can(antq.PermFactWrite) && !page.User.Can(antq.PermFactDecide) {
					http.Redirect(w, r, "/plans/"+url.PathEscape(p.ID)+"/todo?unit="+url.QueryEscape(code), http.StatusSeeOther)
					return
				}
				http.Redirect(w, r, dashboardURL(p.ID, code, ""), http.StatusSeeOther)
				return
			}
		}
	}
	if page.User.UnitCode != "" {
		if u, err := s.DB.FindUnitByCode(ctx, page.User.UnitCode, antq.Date{}); err == nil {
			page.Units, page.Total = []*antq.Unit{u}, 1
		}
	}
	s.render(w, r, http.StatusOK, "home", page)
}

// above reports whether the caller's unit is code or one of its ancestors
// today (a caller without a unit is above everything).
func (s *Server) above(r *http.Request, code string) bool {
	u := antq.UserFromContext(r.Context())
	if u == nil {
		return false
	}
	if u.UnitCode == "" || u.UnitCode == code {
		return true
	}
	anc, err := s.DB.Ancestors(r.Context(), code, antq.Date{})
	if err != nil {
		return false
	}
	for _, a := range anc {
		if a.Code == u.UnitCode {
			return true
		}
	}
	return false
}
