package web

import (
	"strconv"
	"strings"

	"antq/rules"
)

// percent writes num/den as a Vietnamese percentage with one decimal
// ("85,5 %"); "—" when den is 0.
func percent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	s := strconv.FormatFloat(100*float64(num)/float64(den), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " %"
}

// ratioPercent writes a target share as a percentage ("70 %", "80 %").
func ratioPercent(r rules.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	s := strconv.FormatFloat(100*float64(r.Num)/float64(r.Den), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " %"
}

func itoa(n int) string { return strconv.Itoa(n) }
