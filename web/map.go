package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"antq"
	"antq/geo"
	"antq/rules"
)

// Maps are server-rendered SVG choropleths of a unit's children by one
// indicator: each child's shape is a link that drills down (to the child's
// map), named by its figure and "Đạt" / "Chưa đạt", so the state is never
// told by colour alone; the table under the map holds the same links and
// figures. The SVG scales to the screen (viewBox), prints, and needs no
// script. Shapes come from the boundaries loaded with `antq geo import`,
// joined to units by official code on the day the plan looks at them.

type mapPage struct {
	Layout
	Plan     *rules.Plan
	Unit     *antq.Unit
	Crumbs   []*antq.Unit
	Cards    []indicatorCard
	Selected indicatorCard
	Map      *choropleth
	Chart    *barChart // when no child has a shape
	Rows     []mapRow
	Missing  []string // children without a shape
	Dash     string
}

type mapRow struct {
	Unit  *antq.Unit
	URL   string
	Card  indicatorCard
	Class mapClass
}

// mapClass is a colour class of the legend.
type mapClass struct {
	Key, Fill, Label string
	Count            int
}

// The legend's classes. With a target t: three shades below it (under a
// third of t, under two thirds, under t) and two at or above it (up to
// halfway from t to 100 %, and beyond); without a target, fifths of 100 %.
// Whether a unit meets its target is the exact figure's Met, as on the
// bars, so a colour never contradicts the words.
var (
	fillNone  = "#d9d9d9"
	missFills = [3]string{"#b2182b", "#ef8a62", "#fddbc7"}
	metFills  = [2]string{"#92c5de", "#2166ac"}
	rampFills = [5]string{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"}
)

func pct(v float64) string {
	return strings.Replace(strings.TrimSuffix(fmt.Sprintf("%.1f", v*100), ".0"), ".", ",", 1) + " %"
}

// legendClasses lists the classes for a target share (<0: none).
func legendClasses(target float64) []mapClass {
	if target < 0 {
		out := make([]mapClass, 0, 6)
		for i, f := range rampFills {
			lo, hi := float64(i)/5, float64(i+1)/5
			label := "Từ " + pct(lo) + " đến dưới " + pct(hi)
			if i == 4 {
				label = "Từ " + pct(lo) + " đến 100 %"
			}
			out = append(out, mapClass{Key: fmt.Sprintf("q%d", i), Fill: f, Label: label})
		}
		return append(out, mapClass{Key: "none", Fill: fillNone, Label: "Chưa có đơn vị thuộc diện tính"})
	}
	t := target
	out := []mapClass{
		{Key: "miss3", Fill: missFills[0], Label: "Chưa đạt: dưới " + pct(t/3)},
		{Key: "miss2", Fill: missFills[1], Label: "Chưa đạt: từ " + pct(t/3) + " đến dưới " + pct(2*t/3)},
		{Key: "miss1", Fill: missFills[2], Label: "Chưa đạt: từ " + pct(2*t/3) + " đến dưới chỉ tiêu " + pct(t)},
	}
	if t < 1 {
		mid := t + (1-t)/2
		out = append(out,
			mapClass{Key: "met1", Fill: metFills[0], Label: "Đạt: từ chỉ tiêu " + pct(t) + " đến dưới " + pct(mid)},
			mapClass{Key: "met2", Fill: metFills[1], Label: "Đạt: từ " + pct(mid) + " trở lên"})
	} else {
		out = append(out, mapClass{Key: "met2", Fill: metFills[1], Label: "Đạt chỉ tiêu " + pct(t)})
	}
	return append(out, mapClass{Key: "none", Fill: fillNone, Label: "Chưa có đơn vị thuộc diện tính"})
}

// classOf is the class key of a figure under a target share (<0: none).
func classOf(c indicatorCard, target float64) string {
	if c.Den == 0 {
		return "none"
	}
	v := float64(c.Num) / float64(c.Den)
	if target < 0 || c.Met == nil {
		i := min(4, int(v*5))
		return fmt.Sprintf("q%d", i)
	}
	t := target
	if *c.Met {
		if t >= 1 || v >= t+(1-t)/2 {
			return "met2"
		}
		return "met1"
	}
	switch {
	case v < t/3:
		return "miss3"
	case v < 2*t/3:
		return "miss2"
	}
	return "miss1"
}

// choropleth is the drawn map.
type choropleth struct {
	Title   string
	Width   float64
	Height  float64
	Target  string // "" without a target
	Legend  []mapClass
	Regions []mapRegion
}

type mapRegion struct {
	Code, URL, Title, Fill, Class, Path string
}

const mapWidth = 1000

// SVG renders the map: one link per region, named by its title.
func (m choropleth) SVG() template.HTML {
	var b strings.Builder
	label := "Bản đồ: " + m.Title
	if m.Target != "" {
		label += " (chỉ tiêu " + m.Target + ")"
	}
	fmt.Fprintf(&b, `<svg class="map" viewBox="0 0 %.0f %.0f" role="group" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		m.Width, m.Height, template.HTMLEscapeString(label))
	for _, r := range m.Regions {
		fmt.Fprintf(&b, `<a href="%s" class="region %s" data-code="%s"><title>%s</title><path d="%s" fill="%s"/></a>`,
			template.HTMLEscapeString(r.URL), r.Class, template.HTMLEscapeString(r.Code), template.HTMLEscapeString(r.Title), r.Path, r.Fill)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// LegendHTML is the legend as a list with swatches and the number of units
// in each class.
func (m choropleth) LegendHTML() template.HTML {
	var b strings.Builder
	title := "Chú giải"
	if m.Target != "" {
		title += " — chỉ tiêu " + m.Target
	}
	fmt.Fprintf(&b, `<figure class="map-legend"><figcaption>%s</figcaption><ul class="legend">`, template.HTMLEscapeString(title))
	for _, c := range m.Legend {
		fmt.Fprintf(&b, `<li data-class="%s"><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect width="12" height="12" fill="%s" stroke="#595959"/></svg>%s: %d đơn vị</li>`,
			c.Key, c.Fill, template.HTMLEscapeString(c.Label), c.Count)
	}
	b.WriteString(`</ul></figure>`)
	return template.HTML(b.String())
}

func mapURL(plan, unit string, ind rules.Indicator) string {
	return unitIndicatorURL(plan, "map", unit, ind)
}

// GET /plans/{plan}/map?unit=CODE&ind=ID
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// Organisations are not drawn: their figures come summed.
	rep, err := s.DB.IndicatorsSummed(ctx, r.PathValue("plan"), r.URL.Query().Get("unit"), 0, 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	plan, unit := rep.Plan, rep.Unit.Unit
	page := mapPage{Layout: s.layout(r, "Bản đồ — "+unit.Name), Plan: plan, Unit: unit}
	if page.Crumbs, err = s.planCrumbs(r, plan, unit); err != nil {
		s.error(w, r, err)
		return
	}
	page.Cards = cardsOf(plan, unit.Code, rep.Unit.Figures)
	for i := range page.Cards {
		page.Cards[i].URL = mapURL(plan.ID, unit.Code, page.Cards[i].ID)
	}
	if len(page.Cards) == 0 {
		s.render(w, r, http.StatusOK, "map", page)
		return
	}
	page.Selected = page.Cards[0]
	if want := r.URL.Query().Get("ind"); want != "" {
		found := false
		for _, c := range page.Cards {
			if string(c.ID) == want {
				page.Selected, found = c, true
			}
		}
		if !found {
			s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Kế hoạch %s không có chỉ tiêu %q", plan.ID, want))
			return
		}
	}
	page.Title = "Bản đồ: " + page.Selected.Title + " — " + unit.Name
	page.Dash = dashboardURL(plan.ID, unit.Code, page.Selected.ID)
	target := -1.0
	targetText := ""
	if t, ok := plan.Target(page.Selected.ID); ok {
		target, targetText = t.Share.Float64(), ratioPercent(t.Share)
	}
	on := map[string]antq.Date{}
	for _, ch := range rep.Children {
		if ch.Unit.Kind.Organisation() {
			continue
		}
		for _, c := range cardsOf(plan, ch.Unit.Code, ch.Figures) {
			if c.ID == page.Selected.ID {
				page.Rows = append(page.Rows, mapRow{Unit: ch.Unit, URL: mapURL(plan.ID, ch.Unit.Code, c.ID), Card: c})
			}
		}
		on[ch.Unit.Code] = plan.UnitDate(ch.Unit)
	}
	shapes, err := s.DB.Boundaries(ctx, on)
	if err != nil {
		s.error(w, r, err)
		return
	}
	legend := legendClasses(target)
	index := map[string]int{}
	for i, c := range legend {
		index[c.Key] = i
	}
	var drawn []geo.Shape
	for i := range page.Rows {
		row := &page.Rows[i]
		k := classOf(row.Card, target)
		legend[index[k]].Count++
		row.Class = legend[index[k]]
		if sh, ok := shapes[row.Unit.Code]; ok {
			drawn = append(drawn, sh)
		} else {
			page.Missing = append(page.Missing, row.Unit.Name)
		}
	}
	if len(drawn) > 0 {
		frame := geo.NewFrame(drawn, mapWidth)
		m := &choropleth{Title: page.Selected.Title + " — " + unit.Name, Width: frame.Width, Height: frame.Height, Target: targetText, Legend: legend}
		for _, row := range page.Rows {
			sh, ok := shapes[row.Unit.Code]
			if !ok {
				continue
			}
			m.Regions = append(m.Regions, mapRegion{Code: row.Unit.Code, URL: row.URL, Title: regionTitle(row), Fill: row.Class.Fill,
				Class: "m-" + row.Class.Key, Path: frame.Path(sh.Geometry)})
		}
		page.Map = m
	} else if len(page.Rows) > 0 {
		var rows []chartRow
		for _, row := range page.Rows {
			if row.Card.Den == 0 {
				continue
			}
			share := float64(row.Card.Num) / float64(row.Card.Den)
			rows = append(rows, chartRow{Label: row.Unit.Name, URL: row.URL, Value: row.Card.Value,
				Tooltip: row.Unit.Name + ": " + formatNumber(row.Card.Num) + "/" + formatNumber(row.Card.Den) + " (" + row.Card.Value + ")",
				Share:   &share, Met: row.Card.Met != nil && *row.Card.Met})
		}
		if len(rows) > 0 {
			c := newBarChart(page.Selected.Title+" theo đơn vị trực thuộc", target, rows)
			page.Chart = &c
		}
	}
	s.render(w, r, http.StatusOK, "map", page)
}

// regionTitle names a region's link: the unit, its figure and its state.
func regionTitle(row mapRow) string {
	c := row.Card
	if c.Den == 0 {
		return row.Unit.Name + ": chưa có đơn vị thuộc diện tính"
	}
	t := row.Unit.Name + ": " + fraction(c.Num, c.Den) + " (" + c.Value + ")"
	if c.Met != nil {
		if *c.Met {
			t += " — Đạt"
		} else {
			t += " — Chưa đạt"
		}
	}
	return t
}
