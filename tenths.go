package antq

import (
	"encoding/json"
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

// UnmarshalJSON reads a JSON number (or numeric string) with at most one
// decimal; 92.55 is refused rather than rounded.
func (t *Tenths) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return fmt.Errorf("điểm phải là số")
		}
		n = json.Number(s)
	}
	v, err := ParseTenths(n.String())
	if err != nil {
		return err
	}
	*t = v
	return nil
}
