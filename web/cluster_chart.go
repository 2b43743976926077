package web

import (
	"fmt"
	"html/template"
	"strings"
)

// rankChart is the ranking as horizontal bars: each member's total out of
// the sheet's maximum, with its rank written after the bar (never told by
// colour), drawn for wide screens and for phones like barChart, each bar a
// link to the member's scoring sheet.
type rankChart struct {
	Title string
	Bars  []rankBar
}

type rankBar struct {
	Name, URL, Value string
	Share            float64 // total ÷ max, 0..1
}

func (c rankChart) SVG() template.HTML {
	var b strings.Builder
	label := template.HTMLEscapeString("Biểu đồ: " + c.Title)
	h := chartTop*2 + chartRowH*max(1, len(c.Bars))
	w := chartBarX + chartBarMax + chartValueW
	fmt.Fprintf(&b, `<svg class="chart chart-wide" viewBox="0 0 %d %d" role="group" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, label)
	for i, bar := range c.Bars {
		y := chartTop + i*chartRowH
		fmt.Fprintf(&b, `<a href="%s"><title>%s: %s</title>`, template.HTMLEscapeString(bar.URL), template.HTMLEscapeString(bar.Name), template.HTMLEscapeString(bar.Value))
		fmt.Fprintf(&b, `<rect class="hit" x="0" y="%d" width="%d" height="%d"/>`, y, w, chartRowH)
		fmt.Fprintf(&b, `<text class="lbl" x="%d" y="%d" text-anchor="end">%s</text>`, chartLabelW, y+16, template.HTMLEscapeString(truncate(bar.Name, 30)))
		fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="16"/>`, chartBarX, y+4, chartBarMax)
		fmt.Fprintf(&b, `<rect class="bar score" x="%d" y="%d" width="%.1f" height="16"/>`, chartBarX, y+4, bar.Share*chartBarMax)
		fmt.Fprintf(&b, `<text class="val" x="%d" y="%d">%s</text></a>`, chartBarX+chartBarMax+6, y+16, template.HTMLEscapeString(bar.Value))
	}
	b.WriteString(`</svg>`)
	h = chartTop*2 + narrowRowH*max(1, len(c.Bars))
	fmt.Fprintf(&b, `<svg class="chart chart-narrow" viewBox="0 0 %d %d" role="group" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, narrowW, h, label)
	for i, bar := range c.Bars {
		y := chartTop + i*narrowRowH
		fmt.Fprintf(&b, `<a href="%s"><title>%s: %s</title>`, template.HTMLEscapeString(bar.URL), template.HTMLEscapeString(bar.Name), template.HTMLEscapeString(bar.Value))
		fmt.Fprintf(&b, `<rect class="hit" x="0" y="%d" width="%d" height="%d"/>`, y, narrowW, narrowRowH)
		fmt.Fprintf(&b, `<text class="lbl" x="0" y="%d">%s</text>`, y+16, template.HTMLEscapeString(truncate(bar.Name, narrowLabel)))
		fmt.Fprintf(&b, `<rect class="track" x="0" y="%d" width="%d" height="16"/>`, y+22, narrowBarMax)
		fmt.Fprintf(&b, `<rect class="bar score" x="0" y="%d" width="%.1f" height="16"/>`, y+22, bar.Share*narrowBarMax)
		fmt.Fprintf(&b, `<text class="val" x="%d" y="%d">%s</text></a>`, narrowBarMax+6, y+35, template.HTMLEscapeString(bar.Value))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
