package rules

import (
	"fmt"
	"strconv"
	"strings"

	"antq"
)

// Points in the files (rubric maxima, grade thresholds) are antq.Tenths:
// Tenths(25) is 2.5 points, so sums are exact. In a file a score is a JSON
// number with at most one digit after the decimal point.

// parsePoints reads "92.5", "3" or "3.0" for the loader. It is stricter than
// antq.ParseTenths (no sign, no decimal comma) and says what is wrong.
func parsePoints(s string) (antq.Tenths, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !antq.AllDigits(whole) || (hasFrac && !antq.AllDigits(frac)) {
		return 0, fmt.Errorf("invalid points %q: want a non-negative decimal number such as 2.5", s)
	}
	if len(frac) > 1 {
		return 0, fmt.Errorf("%s has more than one digit after the decimal point", s)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > 1e15 {
		return 0, fmt.Errorf("invalid points %q: out of range", s)
	}
	p := antq.Tenths(n * 10)
	if frac != "" {
		p += antq.Tenths(frac[0] - '0')
	}
	return p, nil
}
