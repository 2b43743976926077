package web

import (
	"strconv"

	"antq"
	"antq/rules"
)

// nbsp is the non-breaking space every figure uses between a number and its
// unit ("77,0 %") and around the slash of a fraction ("1.698 / 1.790"), so
// a figure never breaks across lines.
const nbsp = antq.NBSP

// percent writes num/den as a Vietnamese percentage with one decimal
// ("85,5 %", "100,0 %"); "—" when den is 0. Every figure of the
// application is written this way (issue 16 item 11).
func percent(num, den int64) string { return antq.FormatPercent(num, den) }

// fraction writes num / den with thousands separators and non-breaking
// spaces ("1.698 / 1.790").
func fraction(num, den int64) string {
	return antq.FormatFraction(num, den)
}

// ratioPercent writes a target share as a percentage ("70 %", "80 %",
// "33,3 %").
func ratioPercent(r rules.Ratio) string { return r.Stated() }

func itoa(n int) string { return strconv.Itoa(n) }
