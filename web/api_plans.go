package web

import (
	"net/http"

	"antq"
	"antq/rules"
)

type planSummary struct {
	ID        string              `json:"id"`
	Title     string              `json:"title"`
	Number    string              `json:"number"`
	Date      antq.Date           `json:"date"`
	Issuer    string              `json:"issuer"`
	Year      int                 `json:"year"`
	RootUnit  string              `json:"root_unit"`
	Window    rules.Period        `json:"window"`
	RuleSets  []string            `json:"rule_sets"`
	Targets   []rules.Target      `json:"targets,omitempty"`
	Reading   *rules.GradeReading `json:"grade_reading,omitempty"`
	Deadlines []rules.Deadline    `json:"deadlines,omitempty"`
}

func toPlanSummary(p *rules.Plan, full bool) planSummary {
	s := planSummary{ID: p.ID, Title: p.Title, Number: p.Document.Number, Date: p.Document.Date, Issuer: p.Document.Issuer,
		Year: p.Year, RootUnit: p.RootUnit, Window: p.Window, RuleSets: p.RuleSets}
	if full {
		s.Targets, s.Reading, s.Deadlines = p.Targets, &p.GradeReading, p.Deadlines
	}
	return s
}

// GET /api/v1/plans
func (s *Server) apiPlanList(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.Catalog(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := []planSummary{}
	for _, p := range c.Plans() {
		out = append(out, toPlanSummary(p, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": out})
}

// GET /api/v1/plans/{plan}
func (s *Server) apiPlanShow(w http.ResponseWriter, r *http.Request) {
	p, sets, err := s.planAndRuleSets(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"plan": toPlanSummary(p, true), "rule_sets": sets})
}

// planAndRuleSets loads the plan named by the path and its rule sets, for
// the plan's page and its JSON.
func (s *Server) planAndRuleSets(r *http.Request) (*rules.Plan, []*rules.RuleSet, error) {
	p, c, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		return nil, nil, err
	}
	sets, err := c.RuleSetsOf(p)
	return p, sets, err
}
