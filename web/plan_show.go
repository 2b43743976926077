package web

import (
	"net/http"
	"net/url"

	"antq"
	"antq/rules"
)

// planAndUnit reads the plan of the path and the unit of ?unit= (the plan's
// root without one) as the plan sees it.
func (s *Server) planAndUnit(r *http.Request) (*rules.Plan, *antq.Unit, error) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		return nil, nil, err
	}
	code := r.URL.Query().Get("unit")
	if code == "" {
		code = plan.RootUnit
	}
	unit, _, err := s.DB.PlanUnit(r.Context(), plan.ID, code)
	if err != nil {
		return nil, nil, err
	}
	return plan, unit, nil
}

type planPage struct {
	Layout
	Plan     *rules.Plan
	RuleSets []*rules.RuleSet
	Targets  []planTarget
}

type planTarget struct {
	*rules.Target
	Share     string
	Threshold string
}

// GET /plans/{plan}
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	p, sets, err := s.planAndRuleSets(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := planPage{Layout: s.layout(r, p.Title), Plan: p, RuleSets: sets}
	for i := range p.Targets {
		t := planTarget{Target: &p.Targets[i], Share: ratioPercent(p.Targets[i].Share)}
		if t.UnitThreshold != nil {
			t.Threshold = ratioPercent(*t.UnitThreshold)
		}
		page.Targets = append(page.Targets, t)
	}
	s.render(w, r, http.StatusOK, "plan", page)
}

// GET /plans/go?plan=ID&unit=CODE: the plan picker's target (works without
// script).
func (s *Server) planGo(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, dashboardURL(r.URL.Query().Get("plan"), r.URL.Query().Get("unit"), ""), http.StatusSeeOther)
}

// GET /plans: the list of plans.
func (s *Server) planList(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.Catalog(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	plans := c.Plans()
	if len(plans) == 1 {
		http.Redirect(w, r, "/plans/"+url.PathEscape(plans[0].ID), http.StatusSeeOther)
		return
	}
	page := homePage{Layout: s.layout(r, "Kế hoạch")}
	page.Plans = plans
	s.render(w, r, http.StatusOK, "home", page)
}
