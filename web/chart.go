package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are server-rendered SVG: they print, need no script, and each bar is
// a link that drills down. Tooltips are SVG <title> elements.

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
}

const (
	chartLabelW = 210
	chartBarX   = 220
	chartBarMax = 300
	chartRowH   = 24
	chartTop    = 8
)

// newBarChart lays out bars for shares in 0..1 (nil share = no data).
func newBarChart(title string, target float64, rows []chartRow) barChart {
	c := barChart{Title: title, Width: chartBarX + chartBarMax + 90, Target: target, Height: chartTop*2 + chartRowH*max(1, len(rows))}
	c.TargetX = chartBarX + target*chartBarMax
	for i, r := range rows {
		b := chartBar{Label: truncate(r.Label, 30), URL: r.URL, Tooltip: r.Tooltip, Y: chartTop + i*chartRowH, Value: r.Value}
		if r.Share == nil {
			b.NoData = true
		} else {
			b.W = max(0, min(1, *r.Share)) * chartBarMax
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
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// SVG renders the chart.
func (c barChart) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		c.Width, c.Height, template.HTMLEscapeString(c.Title))
	for _, bar := range c.Bars {
		cls := "bar miss"
		if bar.Met {
			cls = "bar met"
		}
		fmt.Fprintf(&b, `<a href="%s"><title>%s</title>`, template.HTMLEscapeString(bar.URL), template.HTMLEscapeString(bar.Tooltip))
		fmt.Fprintf(&b, `<text class="lbl" x="%d" y="%d" text-anchor="end">%s</text>`, chartLabelW, bar.Y+16, template.HTMLEscapeString(bar.Label))
		fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="16"/>`, chartBarX, bar.Y+4, chartBarMax)
		if !bar.NoData {
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="16"/>`, cls, chartBarX, bar.Y+4, bar.W)
		}
		fmt.Fprintf(&b, `<text class="val" x="%d" y="%d">%s</text></a>`, chartBarX+chartBarMax+6, bar.Y+16, template.HTMLEscapeString(bar.Value))
	}
	if c.Target >= 0 {
		fmt.Fprintf(&b, `<line class="target" x1="%.1f" y1="2" x2="%.1f" y2="%d"><title>Chỉ tiêu %s</title></line>`,
			c.TargetX, c.TargetX, c.Height-2, strings.Replace(fmt.Sprintf("%.0f %%", c.Target*100), ".", ",", 1))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
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

// SVG renders the stacked bar with a legend.
func (s stackedBar) SVG() template.HTML {
	var total int64
	for _, seg := range s.Segments {
		total += seg.Count
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 600 56" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, template.HTMLEscapeString(s.Title))
	x := 0.0
	for _, seg := range s.Segments {
		if total == 0 || seg.Count == 0 {
			continue
		}
		w := 600 * float64(seg.Count) / float64(total)
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="0" width="%.1f" height="24"><title>%s: %d (%s)</title></rect>`,
			seg.Class, x, w, template.HTMLEscapeString(seg.Label), seg.Count, percent(seg.Count, total))
		x += w
	}
	lx := 0
	for _, seg := range s.Segments {
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="34" width="12" height="12"/><text class="val" x="%d" y="45">%s: %d</text>`,
			seg.Class, lx, lx+16, template.HTMLEscapeString(seg.Label), seg.Count)
		lx += 150
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
