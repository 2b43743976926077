package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Points is a score in tenths of a point: Points(25) is 2.5 points. Rubric
// maxima, grade thresholds and totals use it, so sums are exact. In files it
// is a JSON number with at most one digit after the decimal point.
type Points int64

// ParsePoints reads "92.5", "3" or "3.0"; more than one decimal is an error.
func ParsePoints(s string) (Points, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !digits(whole) || (hasFrac && !digits(frac)) {
		return 0, fmt.Errorf("invalid points %q: want a non-negative decimal number such as 2.5", s)
	}
	if len(frac) > 1 {
		return 0, fmt.Errorf("%s has more than one digit after the decimal point", s)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > 1e15 {
		return 0, fmt.Errorf("invalid points %q: out of range", s)
	}
	p := Points(n * 10)
	if frac != "" {
		p += Points(frac[0] - '0')
	}
	return p, nil
}

// Tenths returns the score in tenths of a point.
func (p Points) Tenths() int64 { return int64(p) }

// String renders p with one decimal: "92.5", "100.0".
func (p Points) String() string {
	s := ""
	if p < 0 {
		s, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%d", s, p/10, p%10)
}

// VN renders p the Vietnamese way, with a decimal comma: "92,5".
func (p Points) VN() string { return strings.Replace(p.String(), ".", ",", 1) }

func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

func (p *Points) UnmarshalJSON(b []byte) error {
	var n json.Number
	if len(b) > 0 && b[0] == '"' {
		return fmt.Errorf("points: want a number such as 2.5, not a string")
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("points: want a number such as 2.5")
	}
	v, err := ParsePoints(n.String())
	if err != nil {
		return err
	}
	*p = v
	return nil
}

func (p *Points) decodeNode(n *node) error {
	if n.kind != numberNode {
		return fmt.Errorf("want a number of points such as 2.5, got %s", n.kind)
	}
	v, err := ParsePoints(n.text)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
