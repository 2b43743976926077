package web

import (
	"math"
	"net/http"
	"strconv"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
)

// The "on today's units" view: a plan's recorded figures restated on a unit
// in force today through the lineage of reorganisations, beside the
// figures of its predecessors as recorded.

type restatedPage struct {
	Layout
	Plan     *rules.Plan
	Unit     *antq.Unit
	Recorded bool
	Figures  []restatedRow
	Parts    []restatedPartView
	Children []*antq.Unit // today's communes under the unit, each restated on its own page
}

type restatedRow struct {
	Title      string
	Comparable bool
	Num, Den   string
	Value      string
	Target     string
	Met        *bool
}

type restatedPartView struct {
	store.RestatedPart
	URL     string // the part's dashboard, as recorded
	Figures []indicatorCard
}

// restatedURL is the page of the plan's figures restated on unit.
func restatedURL(plan, unit string) string {
	return "/plans/" + plan + "/restated?unit=" + unit
}

// decimal writes a restated count: one decimal, Vietnamese comma, none
// when whole ("1.204", "2,8").
func decimal(v float64) string {
	tenths := int64(math.Round(v * 10))
	out := formatNumber(tenths / 10)
	if f := tenths % 10; f != 0 {
		out += "," + strconv.FormatInt(max(f, -f), 10)
	}
	return out
}

func restatedRows(figs []indicator.Restated) []restatedRow {
	out := make([]restatedRow, 0, len(figs))
	for _, f := range figs {
		row := restatedRow{Title: f.Title, Comparable: f.Comparable, Met: f.Met, Target: f.Target}
		if t, err := rules.ParseRatio(f.Target); err == nil {
			row.Target = ratioPercent(t)
		}
		if f.Comparable {
			row.Num, row.Den = decimal(f.Num()), decimal(f.Den())
			row.Value = "—"
			if f.Value != nil {
				row.Value = antq.FormatShare(*f.Value)
			}
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) restated(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.URL.Query().Get("unit")
	if code == "" {
		s.error(w, r, antq.Invalid("Thiếu đơn vị", map[string]string{"unit": "chọn đơn vị ngày nay"}))
		return
	}
	res, err := s.DB.Restate(ctx, r.PathValue("plan"), code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := restatedPage{Layout: s.layout(r, "Số liệu năm "+strconv.Itoa(res.Plan.Year)+" trên đơn vị ngày nay — "+res.Unit.Name),
		Plan: res.Plan, Unit: res.Unit, Recorded: res.Recorded, Figures: restatedRows(res.Figures)}
	for _, p := range res.Parts {
		v := restatedPartView{RestatedPart: p, Figures: cardsOf(res.Plan, p.Unit.Code, p.Figures)}
		if p.InScope {
			v.URL = dashboardURL(res.Plan.ID, p.Unit.Code, "")
		}
		page.Parts = append(page.Parts, v)
	}
	if res.Unit.Kind != antq.KindCommune && res.Unit.Kind.Geographic() {
		commune := antq.KindCommune
		if _, page.Children, _, err = s.DB.Children(ctx, res.Unit.Code, antq.Date{}, &commune, 0, 500); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "restated", page)
}

func (s *Server) apiRestated(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("unit")
	if code == "" {
		s.error(w, r, antq.Invalid("Thiếu đơn vị", map[string]string{"unit": "bắt buộc"}))
		return
	}
	res, err := s.DB.Restate(r.Context(), r.PathValue("plan"), code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	type part struct {
		Unit        unitJSON           `json:"unit"`
		SharePPM    int64              `json:"share_ppm"`
		Comparable  bool               `json:"comparable"`
		Event       *antq.LineageKind  `json:"event,omitempty"`
		EffectiveOn *antq.Date         `json:"effective_on,omitempty"`
		Figures     []indicator.Figure `json:"figures"`
	}
	out := struct {
		Plan     string               `json:"plan"`
		Unit     unitJSON             `json:"unit"`
		Restated bool                 `json:"restated"`
		Note     string               `json:"note"`
		Figures  []indicator.Restated `json:"figures"`
		Parts    []part               `json:"parts"`
	}{Plan: res.Plan.ID, Unit: toUnitJSON(res.Unit), Restated: !res.Recorded, Figures: res.Figures, Parts: []part{},
		Note: "Số liệu tính lại trên đơn vị ngày nay theo lịch sử sắp xếp: đơn vị nhập toàn bộ lấy toàn bộ số liệu, phần được chia lấy theo tỷ lệ; phần không có tỷ lệ thì chỉ tiêu không so sánh được."}
	if res.Recorded {
		out.Note = "Đơn vị thuộc cây đơn vị của kế hoạch: số liệu như đã ghi nhận."
	}
	for _, p := range res.Parts {
		pt := part{Unit: toUnitJSON(p.Unit), SharePPM: p.Share, Comparable: p.Comparable, Figures: p.Figures}
		if p.Via != "" {
			pt.Event, pt.EffectiveOn = &p.Via, &p.EffectiveOn
		}
		out.Parts = append(out.Parts, pt)
	}
	writeJSON(w, http.StatusOK, out)
}
