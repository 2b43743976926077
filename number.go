package antq

import (
	"strconv"
	"strings"
)

// NBSP is the non-breaking space between a number and its unit ("77,0 %")
// and around the slash of a fraction ("1.698 / 1.790"): a figure never
// breaks across lines.
const NBSP = "\u00a0"

// FormatNumber writes n the Vietnamese way, with a dot between thousands
// ("1.698").
func FormatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FormatFraction writes num / den as every page shows a figure:
// "1.698 / 1.790", the spaces non-breaking.
func FormatFraction(num, den int64) string {
	return FormatNumber(num) + NBSP + "/" + NBSP + FormatNumber(den)
}

// FormatPercent writes num/den as a Vietnamese percentage with one decimal
// and a non-breaking space before the sign ("77,0 %"); "—" when den is 0.
// Every page, report and document states a share this way.
func FormatPercent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	return FormatShare(float64(num) / float64(den))
}

// FormatShare writes a fraction v (0.36) as pages write percentages:
// one decimal, a decimal comma and a no-break space ("36,0 %").
func FormatShare(v float64) string {
	s := strconv.FormatFloat(100*v, 'f', 1, 64)
	return strings.Replace(s, ".", ",", 1) + NBSP + "%"
}
