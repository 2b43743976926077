package web

import (
	"net/http"

	"antq/indicator"
	"antq/rules"
	"antq/store"
)

type unitRefJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type unitFiguresJSON struct {
	Unit       unitRefJSON        `json:"unit"`
	Indicators []indicator.Figure `json:"indicators"`
}

func toUnitFiguresJSON(u store.UnitFigures) unitFiguresJSON {
	return unitFiguresJSON{Unit: unitRefJSON{Code: u.Unit.Code, Name: u.Unit.Name, Kind: string(u.Unit.Kind)}, Indicators: u.Figures}
}

// GET /api/v1/plans/{plan}/indicators?unit=CODE
//
// The children come a page at a time (children_offset, children_limit:
// default 100, at most 1000, in Vietnamese order), with children_total: a
// province has up to 1,620 units directly under it, whose figures by kind
// made a 4.2 MB answer at nation scale.
func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParamsNamed(r, "children_offset", "children_limit")
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := s.DB.IndicatorsPage(r.Context(), r.PathValue("plan"), r.URL.Query().Get("unit"), offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := struct {
		Plan string `json:"plan"`
		unitFiguresJSON
		Children       []unitFiguresJSON `json:"children"`
		ChildrenTotal  int               `json:"children_total"`
		ChildrenOffset int               `json:"children_offset"`
		ChildrenLimit  int               `json:"children_limit"`
	}{Plan: rep.Plan.ID, unitFiguresJSON: toUnitFiguresJSON(rep.Unit), Children: []unitFiguresJSON{},
		ChildrenTotal: rep.ChildCount, ChildrenOffset: offset, ChildrenLimit: limit}
	for _, c := range rep.Children {
		out.Children = append(out.Children, toUnitFiguresJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /api/v1/plans/{plan}/indicators/{id}/failing?unit=CODE&offset=&limit=
func (s *Server) apiFailing(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	units, total, err := s.DB.FailingUnits(r.Context(), r.PathValue("plan"), rules.Indicator(r.PathValue("id")), r.URL.Query().Get("unit"), offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	type failing struct {
		unitRefJSON
		Parent    string `json:"parent"`
		Reason    string `json:"reason"`
		TotalNote string `json:"total_note"`
	}
	out := []failing{}
	for _, u := range units {
		out = append(out, failing{unitRefJSON{u.Unit.Code, u.Unit.Name, string(u.Unit.Kind)}, u.Parent, u.Reason, u.TotalNote})
	}
	writeJSON(w, http.StatusOK, map[string]any{"indicator": r.PathValue("id"), "units": out, "total": total, "offset": offset, "limit": limit})
}
