package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/yearend"
)

type dashboardPage struct {
	Layout
	Notices  *yearend.Notices // what the user has to act on (the ten most pressing)
	Plan     *rules.Plan
	Plans    []*rules.Plan
	Unit     *antq.Unit
	Crumbs   []*antq.Unit
	Cards    []indicatorCard
	Selected indicatorCard
	Chart    *barChart
	Grades   *stackedBar
	// GradeChart is the grade distribution by bucket, each bar a link to
	// the bucket's units.
	GradeChart *barChart
	Children   []childFigures
	Columns    []indicatorCard // the indicators, as table columns
	ShowOrgs   bool            // list the organisations the unit manages directly
	OrgsURL    string
	// Page is where the listed children are among all of them, when they
	// do not fit one page (a province's 168 communes).
	Page *pager
	// Today are the units in force today that an ended unit, or its
	// communes, became: each opens the plan's figures restated on it.
	Today []todayLink
}

type todayLink struct{ Name, URL string }

// todayLinks follows the unit (and its geographic children) to the units
// they became, when the unit has ended: the way from a 2023 dashboard to
// today's communes.
func (s *Server) todayLinks(r *http.Request, plan *rules.Plan, u *antq.Unit, children []store.UnitFigures) ([]todayLink, error) {
	if u.ValidTo.IsZero() || !u.ValidTo.Before(antq.DateOf(time.Now())) {
		return nil, nil
	}
	var out []todayLink
	seen := map[string]bool{}
	ids := []int64{u.ID}
	for _, c := range children {
		if c.Unit.Kind == antq.KindCommune {
			ids = append(ids, c.Unit.ID)
		}
	}
	for _, id := range ids {
		_, succ, err := s.DB.Lineage(r.Context(), id)
		if err != nil {
			return nil, err
		}
		for _, l := range succ {
			if l.Event == antq.LineageAbolish || seen[l.Code] {
				continue
			}
			seen[l.Code] = true
			name := l.Name
			if now, err := s.DB.FindUnitByCode(r.Context(), l.Code, antq.Date{}); err == nil {
				name = now.Name // renamed or re-typed since
			}
			out = append(out, todayLink{Name: name, URL: restatedURL(plan.ID, l.Code)})
		}
	}
	return out, nil
}

type indicatorCard struct {
	ID         rules.Indicator
	Title      string
	Short      string // for tabs and table headers
	Num, Den   int64
	Value      string
	Target     string
	Met        *bool
	URL        string // this indicator selected
	FailingURL string
	ByKind     []kindFigure
	// Notes are the breakdowns the plan as written asks for: registration
	// on time / late, communes whose figures disagree, how the grade
	// reading judges the figure, kinds judged on their own.
	Notes []string
	// The provisional figure (submitted facts counted as if approved) and
	// the units with a fact waiting for approval; Num, Den, Value and Met
	// are the official figure (approved facts).
	ProvNum, ProvDen int64
	ProvValue        string
	Pending          int64
	// Denominator explains what the denominator counts, per unit kind:
	// "58 doanh nghiệp thuộc diện tính trên 244" (see explainDenominators).
	Denominator []string
	// Bar is the progress bar to the target (nil without a denominator).
	Bar        *progressBar
	PendingURL string
	// The pooled household ratio (households reached ÷ households over
	// the communes counted), official and provisional, for the household
	// target; HasPooled is false for the others.
	HasPooled                    bool
	PooledNum, PooledDen         int64
	PooledValue                  string
	PooledProvNum, PooledProvDen int64
	PooledProvValue              string
	// Own is, on a commune's or a residential area's dashboard, the unit's
	// own household figure for the household propaganda target.
	Own *ownHouseholds
}

// ownHouseholds is a unit's own household propaganda figure, judged by the
// target's threshold for one commune.
type ownHouseholds struct {
	Reached, Total int64
	Value          string
	Threshold      string
	Met            bool
	Source         string // where the figure comes from, in words
}

type kindFigure struct {
	Kind     antq.UnitKind
	Num, Den int64
	Value    string
}

// shortTitle is an indicator's name for tabs and table headers.
func shortTitle(id rules.Indicator, title string) string {
	switch id {
	case rules.IndicatorRegistration:
		return "Đăng ký"
	case rules.IndicatorRecognition:
		return "Công nhận"
	case rules.IndicatorPropagandaHouseholds:
		return "Tuyên truyền hộ dân"
	case rules.IndicatorPropagandaStaff:
		return "Tuyên truyền CB, NLĐ, HS"
	case rules.IndicatorModels:
		return "Mô hình"
	case rules.IndicatorGradeAverageOrBetter:
		return "Trung bình trở lên"
	case rules.IndicatorGradeGoodOrBetter:
		return "Khá trở lên"
	case rules.IndicatorGradeExcellent:
		return "Xuất sắc"
	}
	return title
}

type childFigures struct {
	Unit    *antq.Unit
	URL     string
	Group   bool // the summed row of directly managed organisations
	Figures []indicatorCard
}

func dashboardURL(plan, unit string, ind rules.Indicator) string {
	return unitIndicatorURL(plan, "dashboard", unit, ind)
}

// unitIndicatorURL is the URL of the plan's page (dashboard, map) for the
// unit, on indicator ind when there is one.
func unitIndicatorURL(plan, page, unit string, ind rules.Indicator) string {
	q := url.Values{}
	q.Set("unit", unit)
	if ind != "" {
		q.Set("ind", string(ind))
	}
	return "/plans/" + url.PathEscape(plan) + "/" + page + "?" + q.Encode()
}

func failingURL(plan string, ind rules.Indicator, unit string) string {
	return "/plans/" + url.PathEscape(plan) + "/failing/" + url.PathEscape(string(ind)) + "?unit=" + url.QueryEscape(unit)
}

func cardsOf(plan *rules.Plan, unit string, figs []indicator.Figure) []indicatorCard {
	out := make([]indicatorCard, 0, len(figs))
	for _, f := range figs {
		c := indicatorCard{ID: f.ID, Title: f.Title, Short: shortTitle(f.ID, f.Title), Num: f.Num, Den: f.Den, Value: percent(f.Num, f.Den), Met: f.Met,
			URL: dashboardURL(plan.ID, unit, f.ID), FailingURL: failingURL(plan.ID, f.ID, unit),
			ProvNum: f.Provisional.Num, ProvDen: f.Provisional.Den, ProvValue: percent(f.Provisional.Num, f.Provisional.Den), Pending: f.Pending,
			PendingURL: "/plans/" + url.PathEscape(plan.ID) + "/approvals?unit=" + url.QueryEscape(unit)}
		if t, ok := plan.Target(f.ID); ok {
			c.Target = ratioPercent(t.Share)
			if f.Den > 0 {
				c.Bar = &progressBar{Num: f.Num, Den: f.Den, Target: t.Share, Met: f.Met != nil && *f.Met}
			}
		}
		if p, q := f.Pooled, f.Provisional.Pooled; p != nil && q != nil {
			c.HasPooled = true
			c.PooledNum, c.PooledDen, c.PooledValue = p.Reached, p.Households, percent(p.Reached, p.Households)
			c.PooledProvNum, c.PooledProvDen, c.PooledProvValue = q.Reached, q.Households, percent(q.Reached, q.Households)
		}
		for _, k := range antq.UnitKinds {
			if fr, ok := f.ByKind[k]; ok {
				c.ByKind = append(c.ByKind, kindFigure{Kind: k, Num: fr.Num, Den: fr.Den, Value: percent(fr.Num, fr.Den)})
			}
		}
		c.Notes = figureNotes(f)
		out = append(out, c)
	}
	return out
}

// dashboardChildren is how many children a dashboard lists on a page
// (offset, limit: at most 100): the table and the chart of a province's
// 168 communes come in four pages, each read and drawn in a few
// milliseconds.
const dashboardChildren = 50

// GET /plans/{plan}/dashboard?unit=CODE&ind=ID&orgs=1&offset=&limit=
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// Geographic children are shown one by one; the organisations the unit
	// manages directly are summed into one row (listed with ?orgs=1), by
	// the store unless they are listed.
	showOrgs := r.URL.Query().Get("orgs") == "1"
	offset, limit, err := pageListParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.URL.Query().Get("limit") == "" {
		limit = dashboardChildren
	}
	read := s.DB.IndicatorsSummed
	if showOrgs {
		read = s.DB.OrganisationIndicators
	}
	rep, err := read(ctx, r.PathValue("plan"), r.URL.Query().Get("unit"), offset, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	plan := rep.Plan
	page := dashboardPage{Layout: s.layout(r, "Tổng quan — "+rep.Unit.Unit.Name), Plan: plan, Unit: rep.Unit.Unit}
	if c, err := s.DB.Catalog(ctx); err == nil {
		page.Plans = c.Plans()
	}
	if page.Crumbs, err = s.planCrumbs(r, plan, rep.Unit.Unit); err != nil {
		s.error(w, r, err)
		return
	}
	if page.Today, err = s.todayLinks(r, plan, rep.Unit.Unit, rep.Children); err != nil {
		s.error(w, r, err)
		return
	}
	page.Cards = cardsOf(plan, page.Unit.Code, rep.Unit.Figures)
	if page.Notices, err = s.DB.Notices(ctx, plan.ID, 10); err != nil {
		s.error(w, r, err)
		return
	}
	explainDenominators(plan, rep.Units, page.Cards)
	if err := s.ownHouseholds(r, plan, page.Unit, page.Cards); err != nil {
		s.error(w, r, err)
		return
	}
	if len(page.Cards) == 0 {
		s.render(w, r, http.StatusOK, "dashboard", page)
		return
	}
	page.Selected = page.Cards[0]
	for _, c := range page.Cards {
		if string(c.ID) == r.URL.Query().Get("ind") {
			page.Selected = c
		}
	}
	page.Columns = page.Cards
	page.ShowOrgs = showOrgs
	if rep.ListedCount > limit || offset > 0 {
		p := newPager(r, offset, limit, rep.ListedCount)
		page.Page = &p
	}
	children := rep.Children
	if rep.OrganisationCount > 0 {
		label := "Cơ quan, doanh nghiệp, trường học trực thuộc (" + formatNumber(int64(rep.OrganisationCount)) + ")"
		children = append(children, store.UnitFigures{Unit: &antq.Unit{Code: page.Unit.Code, Name: label, Kind: antq.KindAgency}, Figures: rep.Organisations})
		page.OrgsURL = dashboardURL(plan.ID, page.Unit.Code, page.Selected.ID) + "&orgs=1"
	}
	var rows []chartRow
	for _, ch := range children {
		cf := childFigures{Unit: ch.Unit, URL: dashboardURL(plan.ID, ch.Unit.Code, page.Selected.ID), Figures: cardsOf(plan, ch.Unit.Code, ch.Figures)}
		if !page.ShowOrgs && ch.Unit.Code == page.Unit.Code {
			cf.URL, cf.Group = page.OrgsURL, true
		}
		page.Children = append(page.Children, cf)
		for _, f := range cf.Figures {
			if f.ID != page.Selected.ID || f.Den == 0 {
				continue
			}
			share := float64(f.Num) / float64(f.Den)
			rows = append(rows, chartRow{Label: ch.Unit.Name, URL: cf.URL, Value: f.Value,
				Tooltip: ch.Unit.Name + ": " + formatNumber(f.Num) + "/" + formatNumber(f.Den) + " (" + f.Value + ")",
				Share:   &share, Met: f.Met != nil && *f.Met})
		}
	}
	if len(rows) > 0 {
		target := -1.0
		if t, ok := plan.Target(page.Selected.ID); ok {
			target = t.Share.Float64()
		}
		c := newBarChart(page.Selected.Title+" theo đơn vị trực thuộc", target, rows)
		page.Chart = &c
	}
	page.Grades, page.GradeChart = gradeDistribution(rep.Plan, rep.Unit.Unit.Code, rep.Unit.Figures)
	s.render(w, r, http.StatusOK, "dashboard", page)
}

// gradeClasses colour the grade buckets (web/static/app.css).
var gradeClasses = map[indicator.GradeBucket]string{
	indicator.BucketExcellent: "g-xs", indicator.BucketGood: "g-kha", indicator.BucketAverage: "g-tb",
	indicator.BucketWeak: "g-yeu", indicator.BucketUngraded: "g-none",
}

// gradeDistribution splits the gradable units by grade from the three
// cumulative grade figures and the graded count — the ungraded apart from
// "Yếu" — as an overview bar and a chart whose bars list each bucket's
// units.
func gradeDistribution(plan *rules.Plan, code string, figs []indicator.Figure) (*stackedBar, *barChart) {
	counts, total, ok := indicator.GradeCounts(figs)
	if !ok {
		return nil, nil
	}
	bar := &stackedBar{Title: "Phân bố xếp loại phong trào"}
	var rows []chartRow
	for _, b := range indicator.GradeBuckets {
		n := counts[b]
		bar.Segments = append(bar.Segments, segment{Label: b.Label(), Class: gradeClasses[b], Count: n})
		share := float64(n) / float64(total)
		value := formatNumber(n) + " (" + percent(n, total) + ")"
		rows = append(rows, chartRow{Label: b.Label(), Value: value, Share: &share, Class: "grade " + gradeClasses[b],
			Tooltip: b.Label() + ": " + value + " — xem danh sách",
			URL:     "/plans/" + url.PathEscape(plan.ID) + "/grades?unit=" + url.QueryEscape(code) + "&grade=" + string(b)})
	}
	c := newBarChart("Phân bố xếp loại phong trào", -1, rows)
	return bar, &c
}

// planCrumbs is the breadcrumb from the plan's root down to the unit's
// parent, as the tree stood on the plan's tree date.
func (s *Server) planCrumbs(r *http.Request, plan *rules.Plan, u *antq.Unit) ([]*antq.Unit, error) {
	if u.Code == plan.RootUnit {
		return nil, nil
	}
	anc, err := s.DB.Ancestors(r.Context(), u.Code, plan.UnitDate(u))
	if err != nil {
		return nil, err
	}
	for i, a := range anc {
		if a.Code == plan.RootUnit {
			return anc[i:], nil
		}
	}
	return anc, nil
}

type failingPage struct {
	Layout
	Plan   *rules.Plan
	Unit   *antq.Unit
	Crumbs []*antq.Unit
	Card   indicatorCard
	Units  []store.FailingUnit
	Total  int
	Page   pager
	// Filters: why units fail, and the commune.
	States   []indicator.FailState
	State    string
	Communes []*antq.Unit
	Commune  string
}

// GET /plans/{plan}/failing/{id}?unit=CODE&offset=
func (s *Server) failingPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	offset, limit, err := pageListParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := rules.Indicator(r.PathValue("id"))
	// The unit's own figures (its cards); the children are not shown.
	rep, err := s.DB.UnitIndicators(ctx, r.PathValue("plan"), r.URL.Query().Get("unit"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	ff := store.FailingFilter{State: indicator.FailState(q.Get("state")), Commune: q.Get("commune"), Offset: offset, Limit: limit}
	if ff.State != "" && !ff.State.Valid() {
		s.error(w, r, badRequest("Tham số không hợp lệ", map[string]string{"state": "trạng thái không có trong danh sách"}))
		return
	}
	units, total, err := s.DB.FailingUnitsFiltered(ctx, rep.Plan.ID, id, rep.Unit.Unit.Code, ff)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := failingPage{Layout: s.layout(r, "Đơn vị chưa đạt"), Plan: rep.Plan, Unit: rep.Unit.Unit, Units: units, Total: total,
		States: indicator.FailStates, State: string(ff.State), Commune: ff.Commune}
	if page.Communes, err = s.communesUnder(ctx, rep.Unit.Unit, rep.Plan.Window.To); err != nil {
		s.error(w, r, err)
		return
	}
	for _, c := range cardsOf(rep.Plan, rep.Unit.Unit.Code, rep.Unit.Figures) {
		if c.ID == id {
			page.Card = c
		}
	}
	page.Title = page.Card.Title + " — đơn vị chưa đạt"
	if page.Crumbs, err = s.planCrumbs(r, rep.Plan, rep.Unit.Unit); err != nil {
		s.error(w, r, err)
		return
	}
	page.Page = newPager(r, offset, limit, total)
	s.render(w, r, http.StatusOK, "failing", page)
}

// pager links to the previous and next pages of a list.
type pager struct {
	From, To, Total int
	Prev, Next      string
}

// pageListParams is pageParams for a list on a page: at most 100 rows a
// page, whatever the API allows.
func pageListParams(r *http.Request) (offset, limit int, err error) {
	offset, limit, err = pageParams(r)
	return offset, min(limit, 100), err
}

func newPager(r *http.Request, offset, limit, total int) pager {
	p := pager{From: offset + 1, To: min(offset+limit, total), Total: total}
	link := func(off int) string {
		q := r.URL.Query()
		q.Set("offset", itoa(off))
		return r.URL.Path + "?" + q.Encode()
	}
	if offset > 0 {
		p.Prev = link(max(0, offset-limit))
	}
	if offset+limit < total {
		p.Next = link(offset + limit)
	}
	return p
}

// figureNotes are a figure's breakdowns, in Vietnamese.
func figureNotes(f indicator.Figure) []string {
	var out []string
	if f.OnTime != nil && f.Num > 0 {
		out = append(out, fmt.Sprintf("Đăng ký trong Quý I: %s; ngoài Quý I (không đạt tiêu chí 1): %s", formatNumber(*f.OnTime), formatNumber(*f.Late)))
	}
	if f.Disagreeing != nil && *f.Disagreeing > 0 {
		out = append(out, fmt.Sprintf("⚠ %s xã có số liệu của xã khác tổng số liệu các khu dân cư (xem danh sách)", formatNumber(*f.Disagreeing)))
	}
	if j := f.Judged; j != nil && (j.Num != f.Num || j.Target != f.Target) {
		need := j.Target
		if r, err := rules.ParseRatio(j.Target); err == nil {
			need = ratioPercent(r)
		}
		out = append(out, fmt.Sprintf("Theo cách hiểu %s: tính %s/%s, cần %s", j.Reading, formatNumber(j.Num), formatNumber(f.Den), need))
	}
	for _, k := range antq.UnitKinds {
		if met, ok := f.MetByKind[k]; ok && !met {
			out = append(out, k.Label()+": chưa đạt chỉ tiêu (xét riêng từng loại đơn vị)")
		}
	}
	return out
}

// ownHouseholds puts, on a commune's or a residential area's dashboard, the
// unit's own figure (households reached / households) on the household
// propaganda card: the rolled-up count of communes meeting the target ("0 /
// 1") says nothing to a commune, and an area is not counted at all.
func (s *Server) ownHouseholds(r *http.Request, plan *rules.Plan, u *antq.Unit, cards []indicatorCard) error {
	if !u.Kind.CountsHouseholds() {
		return nil
	}
	t, ok := plan.Target(rules.IndicatorPropagandaHouseholds)
	if !ok {
		return nil
	}
	c, err := s.DB.HouseholdCoverage(r.Context(), plan.ID, u.Code)
	if err != nil || c == nil {
		return err
	}
	o := &ownHouseholds{Reached: c.Reached, Total: c.Total, Value: percent(c.Reached, c.Total)}
	if t.UnitThreshold != nil {
		o.Threshold = ratioPercent(*t.UnitThreshold)
		o.Met = c.Total > 0 && rules.Ratio{Num: c.Reached, Den: c.Total}.AtLeast(*t.UnitThreshold)
	}
	switch {
	case c.Own && u.Kind == antq.KindCommune:
		o.Source = "số liệu của xã"
	case c.Own:
		o.Source = "số liệu của khu dân cư"
	case u.Kind == antq.KindCommune:
		o.Source = fmt.Sprintf("tổng của các khu dân cư (%s khu dân cư đã báo cáo)", fraction(int64(c.AreasReporting), int64(c.Areas)))
	default:
		o.Source = "khu dân cư chưa báo cáo"
	}
	for i := range cards {
		if cards[i].ID == rules.IndicatorPropagandaHouseholds {
			cards[i].Own = o
		}
	}
	return nil
}
