package web

import (
	"fmt"
	"html/template"
	"strings"

	"antq"
	"antq/rules"
)

// The dashboard's cards (issue 16 item 16): a progress bar to the target
// and the denominator explained.

// progressBar is a figure against its target, drawn as SVG (no inline
// style: the CSP forbids it): the share reached, and a mark at the target.
type progressBar struct {
	Num, Den int64
	Target   rules.Ratio
	Met      bool
}

// SVG draws the bar on a 0–100 scale, named with its state in words ("Đạt"
// / "Chưa đạt"), never by colour alone.
func (b *progressBar) SVG() template.HTML {
	if b == nil || b.Den <= 0 {
		return ""
	}
	value := min(100, 100*float64(b.Num)/float64(b.Den))
	target := 0.0
	if b.Target.Den > 0 {
		target = min(100, 100*float64(b.Target.Num)/float64(b.Target.Den))
	}
	// The colour follows the state; the caption under the bar writes it.
	class, words := "progress-miss", "Chưa đạt"
	if b.Met {
		class, words = "progress-met", "Đạt"
	}
	label := fmt.Sprintf("%s: %s so với chỉ tiêu %s", words, percent(b.Num, b.Den), ratioPercent(b.Target))
	return template.HTML(fmt.Sprintf(`<svg class="progress %s" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="%s">`+
		`<title>%s</title><rect class="track" x="0" y="1" width="100" height="8"/><rect class="value" x="0" y="1" width="%.2f" height="8"/>`+
		`<line class="target" x1="%.2f" y1="0" x2="%.2f" y2="10"/></svg>`, class, template.HTMLEscapeString(label), template.HTMLEscapeString(label), value, target, target))
}

// Caption says the bar in words: "Chưa đạt: còn thiếu 3 đơn vị để đạt chỉ
// tiêu 70 %", or "Đạt: đủ chỉ tiêu 70 %".
func (b *progressBar) Caption() string {
	if b == nil || b.Den <= 0 {
		return ""
	}
	need := b.Target.MinCount(b.Den) - b.Num
	if need <= 0 {
		return "Đạt: đủ chỉ tiêu " + ratioPercent(b.Target)
	}
	return fmt.Sprintf("Chưa đạt: còn thiếu %s đơn vị để đạt chỉ tiêu %s", formatNumber(need), ratioPercent(b.Target))
}

// explainDenominators writes, for each card, what its denominator counts per
// unit kind against all units of that kind in the unit's subtree of the
// plan's tree (itself included; all, from the stored counts):
// "58 doanh nghiệp thuộc diện tính trên 244".
func explainDenominators(plan *rules.Plan, all map[antq.UnitKind]int64, cards []indicatorCard) {
	for i := range cards {
		c := &cards[i]
		t, ok := plan.Target(c.ID)
		if !ok {
			continue
		}
		what := populationWords(c.ID, t)
		for _, k := range c.ByKind {
			line := fmt.Sprintf("%s %s %s", formatNumber(k.Den), lowerFirst(k.Kind.Label()), what)
			if n := all[k.Kind]; n > 0 {
				line += " trên " + formatNumber(n)
			}
			c.Denominator = append(c.Denominator, line)
		}
		if t.PopulationRef != "" {
			c.Denominator = append(c.Denominator, "Căn cứ: "+t.PopulationRef)
		}
	}
}

// populationWords says which units a target's denominator counts.
func populationWords(id rules.Indicator, t *rules.Target) string {
	if id == rules.IndicatorRecognition {
		return "đã đăng ký phấn đấu"
	}
	p := t.Population
	if p == "" {
		p = id.DefaultPopulation()
	}
	switch p {
	case rules.PopulationTT124Eligible:
		return "thuộc diện tính (không kể đơn vị loại trừ theo Thông tư 124)"
	case rules.PopulationGradable:
		return "thuộc diện xếp loại"
	}
	return "thuộc diện tính"
}

// lowerFirst lower-cases the first letter ("Doanh nghiệp" → "doanh
// nghiệp").
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
