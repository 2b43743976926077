package antq

import (
	"fmt"
	"strconv"
	"strings"
)

// Tenths is a score in tenths of a point: fixed point, so sums never drift
// the way floating point does. 92.5 points is Tenths(925).
type Tenths int64

// ParseTenths parses "92", "92.5" or "92,5" (at most one decimal).
func ParseTenths(s string) (Tenths, error) {
	s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && len(frac) != 1) {
		return 0, fmt.Errorf("điểm %q không hợp lệ: tối đa một chữ số thập phân", s)
	}
	neg := strings.HasPrefix(whole, "-")
	w, err := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("điểm %q không hợp lệ", s)
	}
	t := w * 10
	if hasFrac {
		d := frac[0]
		if d < '0' || d > '9' {
			return 0, fmt.Errorf("điểm %q không hợp lệ", s)
		}
		t += int64(d - '0')
	}
	if neg {
		t = -t
	}
	return Tenths(t), nil
}

// String writes the score with one decimal: "92.5", "90.0".
func (t Tenths) String() string {
	sign := ""
	v := int64(t)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%d", sign, v/10, v%10)
}

// VN writes the score the Vietnamese way: "92,5".
func (t Tenths) VN() string { return strings.Replace(t.String(), ".", ",", 1) }

// MarshalJSON writes the score as a JSON number with one decimal.
func (t Tenths) MarshalJSON() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalJSON reads a JSON number with at most one decimal; 92.55 is
// refused rather than rounded, and so is a string ("92.5"): the API takes
// scores as numbers, as its document says. (Forms use ParseTenths, which
// also reads "92,5".)
func (t *Tenths) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return fmt.Errorf("điểm phải là số, tối đa một chữ số thập phân (ví dụ 92.5)")
	}
	v, err := ParseTenths(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}
