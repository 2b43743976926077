package antq

import (
	"math"
	"strconv"
	"strings"
)

// NBSP is the non-breaking space between a number and its unit ("77,0 %")
// and around the slash of a fraction ("1.698 / 1.790"): a figure never
// breaks across lines.
const NBSP = "\u00a0"

// AllDigits reports whether s is one or more ASCII digits.
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

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
	// Tenths of a percent, halves rounded up as a spreadsheet rounds them
	// (5/16 = 31,25 % → 31,3 %), in integers: no binary fraction between.
	t := (2000*num + den) / (2 * den)
	if num < 0 {
		t = -((-2000*num + den) / (2 * den))
	}
	return tenthsPercent(t)
}

// FormatShare writes a fraction v (0.36) as pages write percentages:
// one decimal, halves rounded up, a decimal comma and a no-break space
// ("36,0 %").
func FormatShare(v float64) string { return tenthsPercent(int64(math.Round(1000 * v))) }

// tenthsPercent writes t tenths of a percent ("31,3 %").
func tenthsPercent(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return sign + strconv.FormatInt(t/10, 10) + "," + strconv.FormatInt(t%10, 10) + NBSP + "%"
}
