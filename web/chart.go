package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are server-rendered SVG: they print, need no script, and each bar is
// a link that drills down. Tooltips are SVG <title> elements, which also
// name the links for assistive technology.
//
// A bar chart is drawn twice, for a wide screen (label, bar and value on one
// line) and for a phone (the label above its bar), and the style sheet shows
// the one that fits, so that on every screen its text renders at 12 px or
// more and each bar's link is at least 24 px tall (WCAG 2.5.8). The chart is
// a group of links (role="group"), not an image: links inside an image are
// hidden from assistive technology. The table under the chart holds the same
// links.

// barChart is a horizontal bar chart of one indicator over child units.
type barChart struct {
	Title   string
	Width   int
	Height  int
	Target  float64 // share 0..1 drawn as a dashed line; <0 for none
	TargetX float64
	Bars    []chartBar
}

type chartBar struct {
	Label   string
	URL     string
	Tooltip string
	Value   string // shown after the bar
	Y       int
	W       float64 // bar width in px
	Met     bool
	NoData  bool
	Name    string // the unit's name, untruncated (the phone layout's label)
	Share   float64
	Class   string // a bar that is no target's (a grade bucket): its class, and no met / not met
}

// The wide layout, in user units (the chart is drawn at 1 px per unit or
// more: the style sheet shows it only where it fits at full size).
const (
	chartLabelW = 210
	chartBarX   = 220
	chartBarMax = 300
	chartValueW = 130
	chartRowH   = 24
	chartTop    = 8
)

// The phone layout: 320 units wide, drawn at 0.95 px per unit or more down
// to a 320-px screen, so 14-unit labels stay above 13 px.
const (
	narrowW      = 320
	narrowRowH   = 46
	narrowBarMax = 180
	narrowLabel  = 38 // characters before the label is cut
)

// newBarChart lays out bars for shares in 0..1 (nil share = no data).
func newBarChart(title string, target float64, rows []chartRow) barChart {
	c := barChart{Title: title, Width: chartBarX + chartBarMax + chartValueW, Target: target, Height: chartTop*2 + chartRowH*max(1, len(rows))}
	c.TargetX = chartBarX + target*chartBarMax
	for i, r := range rows {
		b := chartBar{Label: truncate(r.Label, 30), Name: r.Label, URL: r.URL, Tooltip: r.Tooltip, Y: chartTop + i*chartRowH, Value: r.Value, Class: r.Class}
		if r.Share == nil {
			b.NoData = true
		} else {
			b.Share = max(0, min(1, *r.Share))
			b.W = b.Share * chartBarMax
			b.Met = r.Met
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

type chartRow struct {
	Label, URL, Tooltip, Value string
	Share                      *float64
	Met                        bool
	Class                      string // see chartBar.Class
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// state is the bar's met / not met in words, so it is never told by colour
// alone (WCAG 1.4.1).
func (b chartBar) state() (class, words string) {
	switch {
	case b.NoData:
		return "nodata", "chưa có số liệu"
	case b.Class != "":
		return b.Class, ""
	case b.Met:
		return "met", "Đạt"
	}
	return "miss", "Chưa đạt"
}

// valueText is what follows the bar: the figure and its state.
func (b chartBar) valueText() string {
	_, words := b.state()
	if b.NoData || b.Value == "" {
		return words
	}
	if words == "" {
		return b.Value
	}
	return b.Value + " · " + words
}

func (c barChart) targetLabel() string {
	return strings.Replace(fmt.Sprintf("%.0f"+nbsp+"%%", c.Target*100), ".", ",", 1)
}

// groupLabel names the chart for assistive technology.
func (c barChart) groupLabel() string {
	if c.Target >= 0 {
		return "Biểu đồ: " + c.Title + " (chỉ tiêu " + c.targetLabel() + ")"
	}
	return "Biểu đồ: " + c.Title
}

// SVG renders the chart in both layouts.
func (c barChart) SVG() template.HTML {
	var b strings.Builder
	c.wide(&b)
	c.narrow(&b)
	return template.HTML(b.String())
}

func (c barChart) open(b *strings.Builder, class string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart %s" viewBox="0 0 %d %d" role="group" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		class, w, h, template.HTMLEscapeString(c.groupLabel()))
}

// link opens a bar's link, named by its tooltip and state.
func (bar chartBar) link(b *strings.Builder) {
	cls, words := bar.state()
	name := bar.Tooltip
	if words != "" {
		name += " — " + words
	}
	fmt.Fprintf(b, `<a class="%s" href="%s"><title>%s</title>`, cls,
		template.HTMLEscapeString(bar.URL), template.HTMLEscapeString(name))
}

func (c barChart) wide(b *strings.Builder) {
	c.open(b, "chart-wide", c.Width, c.Height)
	for _, bar := range c.Bars {
		cls, _ := bar.state()
		bar.link(b)
		// The whole row is the link's target, not only its text and bar.
		fmt.Fprintf(b, `<rect class="hit" x="0" y="%d" width="%d" height="%d"/>`, bar.Y, c.Width, chartRowH)
		fmt.Fprintf(b, `<text class="lbl" x="%d" y="%d" text-anchor="end">%s</text>`, chartLabelW, bar.Y+16, template.HTMLEscapeString(bar.Label))
		fmt.Fprintf(b, `<rect class="track" x="%d" y="%d" width="%d" height="16"/>`, chartBarX, bar.Y+4, chartBarMax)
		if !bar.NoData {
			fmt.Fprintf(b, `<rect class="bar %s" x="%d" y="%d" width="%.1f" height="16"/>`, cls, chartBarX, bar.Y+4, bar.W)
		}
		fmt.Fprintf(b, `<text class="val" x="%d" y="%d">%s</text></a>`, chartBarX+chartBarMax+6, bar.Y+16, template.HTMLEscapeString(bar.valueText()))
	}
	if c.Target >= 0 {
		fmt.Fprintf(b, `<line class="target" aria-hidden="true" x1="%.1f" y1="2" x2="%.1f" y2="%d"><title>Chỉ tiêu %s</title></line>`,
			c.TargetX, c.TargetX, c.Height-2, c.targetLabel())
	}
	b.WriteString(`</svg>`)
}

func (c barChart) narrow(b *strings.Builder) {
	h := chartTop*2 + narrowRowH*max(1, len(c.Bars))
	c.open(b, "chart-narrow", narrowW, h)
	tx := c.Target * narrowBarMax
	for i, bar := range c.Bars {
		cls, _ := bar.state()
		y := chartTop + i*narrowRowH
		bar.link(b)
		fmt.Fprintf(b, `<rect class="hit" x="0" y="%d" width="%d" height="%d"/>`, y, narrowW, narrowRowH)
		fmt.Fprintf(b, `<text class="lbl" x="0" y="%d">%s</text>`, y+16, template.HTMLEscapeString(truncate(bar.Name, narrowLabel)))
		fmt.Fprintf(b, `<rect class="track" x="0" y="%d" width="%d" height="16"/>`, y+22, narrowBarMax)
		if !bar.NoData {
			fmt.Fprintf(b, `<rect class="bar %s" x="0" y="%d" width="%.1f" height="16"/>`, cls, y+22, bar.Share*narrowBarMax)
		}
		fmt.Fprintf(b, `<text class="val" x="%d" y="%d">%s</text></a>`, narrowBarMax+6, y+35, template.HTMLEscapeString(bar.valueText()))
		if c.Target >= 0 {
			fmt.Fprintf(b, `<line class="target" aria-hidden="true" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, tx, y+19, tx, y+41)
		}
	}
	b.WriteString(`</svg>`)
}

// stackedBar is the grade distribution: one bar split into segments.
type stackedBar struct {
	Title    string
	Segments []segment
}

type segment struct {
	Label, Class string
	Count        int64
}

// SVG renders the stacked bar, an overview hidden from assistive
// technology: the bar chart under it (gradeDistribution) carries every
// figure, in words, as links. Segments are parted by a white gap, so each
// needs contrast only against white (WCAG 1.4.11).
func (s stackedBar) SVG() template.HTML {
	var total int64
	for _, seg := range s.Segments {
		total += seg.Count
	}
	var b strings.Builder
	b.WriteString(`<div class="grades">`)
	b.WriteString(`<svg class="grade-bar" viewBox="0 0 600 24" preserveAspectRatio="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">`)
	x := 0.0
	const gap = 3
	for _, seg := range s.Segments {
		if total == 0 || seg.Count == 0 {
			continue
		}
		w := 600 * float64(seg.Count) / float64(total)
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="0" width="%.1f" height="24"><title>%s: %d (%s)</title></rect>`,
			seg.Class, x, max(1, w-gap), template.HTMLEscapeString(seg.Label), seg.Count, percent(seg.Count, total))
		x += w
	}
	b.WriteString(`</svg></div>`)
	return template.HTML(b.String())
}
