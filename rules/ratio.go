package rules

import (
	"cmp"
	"fmt"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"antq"
)

// Ratio is an exact fraction Num/Den with Den > 0. Targets are ratios, and
// so are indicator values (16 of 25 units recognised is Ratio{16, 25}), so
// that "meets 70 %" is decided on integers, never on floats. Ratios are not
// reduced: "0.70" stays 70/100 and prints back as "0.70".
type Ratio struct {
	Num int64
	Den int64
}

// ParseRatio reads a decimal ("0.70", "1", "1.00") or a fraction ("7/10").
func ParseRatio(s string) (Ratio, error) {
	bad := fmt.Errorf("invalid ratio %q: want a decimal such as \"0.70\" or a fraction such as \"7/10\"", s)
	if num, den, ok := strings.Cut(s, "/"); ok {
		if !antq.AllDigits(strings.TrimPrefix(num, "-")) || !antq.AllDigits(den) {
			return Ratio{}, bad
		}
		n, err1 := strconv.ParseInt(num, 10, 64)
		d, err2 := strconv.ParseInt(den, 10, 64)
		if err1 != nil || err2 != nil {
			return Ratio{}, fmt.Errorf("invalid ratio %q: out of range", s)
		}
		if d == 0 {
			return Ratio{}, fmt.Errorf("invalid ratio %q: zero denominator", s)
		}
		return Ratio{n, d}, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	if !antq.AllDigits(whole) || (strings.Contains(s, ".") && !antq.AllDigits(frac)) {
		return Ratio{}, bad
	}
	if len(frac) > 18 {
		return Ratio{}, fmt.Errorf("invalid ratio %q: more than 18 decimals", s)
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Ratio{}, fmt.Errorf("invalid ratio %q: out of range", s)
	}
	if neg {
		n = -n
	}
	return Ratio{n, pow10(len(frac))}, nil
}

// MustRatio parses s and panics on error; for literals in code and tests.
func MustRatio(s string) Ratio {
	r, err := ParseRatio(s)
	if err != nil {
		panic(err)
	}
	return r
}

// Cmp returns -1, 0 or +1 as r < o, r == o or r > o, exactly (128-bit cross
// multiplication, no overflow). It panics if a denominator is not positive.
func (r Ratio) Cmp(o Ratio) int {
	if r.Den <= 0 || o.Den <= 0 {
		panic(fmt.Sprintf("rules: comparing ratios with a non-positive denominator: %d/%d, %d/%d", r.Num, r.Den, o.Num, o.Den))
	}
	sr, so := cmp.Compare(r.Num, 0), cmp.Compare(o.Num, 0)
	if sr != so {
		return cmp.Compare(sr, so)
	}
	if sr == 0 {
		return 0
	}
	// Same sign: compare |r.Num|·o.Den with |o.Num|·r.Den.
	h1, l1 := bits.Mul64(absU(r.Num), uint64(o.Den))
	h2, l2 := bits.Mul64(absU(o.Num), uint64(r.Den))
	c := cmp.Compare(h1, h2)
	if c == 0 {
		c = cmp.Compare(l1, l2)
	}
	return c * sr
}

// Less reports r < o.
func (r Ratio) Less(o Ratio) bool { return r.Cmp(o) < 0 }

// AtLeast reports r ≥ o: whether a value r meets a target o.
func (r Ratio) AtLeast(o Ratio) bool { return r.Cmp(o) >= 0 }

// Equal reports whether r and o are the same number (7/10 equals 70/100).
func (r Ratio) Equal(o Ratio) bool { return r.Cmp(o) == 0 }

// MinCount returns the smallest k with k/total ≥ r: the number of units out
// of total needed to meet the target r (ceil(0.7 × 25) = 18).
func (r Ratio) MinCount(total int64) int64 {
	n := new(big.Int).Mul(big.NewInt(r.Num), big.NewInt(total))
	q, m := new(big.Int).QuoRem(n, big.NewInt(r.Den), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// Float64 is for display only.
func (r Ratio) Float64() float64 { return float64(r.Num) / float64(r.Den) }

// String writes a decimal when the denominator is a power of ten ("0.70"),
// else the fraction ("16/25").
func (r Ratio) String() string {
	k := 0
	for p := int64(1); p < r.Den && k < 18; p *= 10 {
		k++
	}
	if r.Den <= 0 || pow10(k) != r.Den {
		return fmt.Sprintf("%d/%d", r.Num, r.Den)
	}
	s := strconv.FormatUint(absU(r.Num), 10)
	if k > 0 {
		if len(s) <= k {
			s = strings.Repeat("0", k-len(s)+1) + s
		}
		s = s[:len(s)-k] + "." + s[len(s)-k:]
	}
	if r.Num < 0 {
		s = "-" + s
	}
	return s
}

// Percent renders r as a Vietnamese percentage with the given decimals
// ("70 %", "64,0 %"); for display only.
func (r Ratio) Percent(decimals int) string {
	s := strconv.FormatFloat(100*r.Float64(), 'f', decimals, 64)
	return strings.Replace(s, ".", ",", 1) + "\u00a0%" // non-breaking: a figure never breaks
}

// MarshalText writes r as String does; in JSON a ratio is a string.
func (r Ratio) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads what ParseRatio reads.
func (r *Ratio) UnmarshalText(b []byte) error {
	v, err := ParseRatio(string(b))
	if err == nil {
		*r = v
	}
	return err
}

func pow10(k int) int64 {
	p := int64(1)
	for range k {
		p *= 10
	}
	return p
}

func absU(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// Stated writes r as a plan states a target: a percentage with at most one
// decimal and no ",0" ("80 %", "92,5 %"; non-breaking space), "—" when the
// denominator is 0. Pages, reports and documents print targets this way.
func (r Ratio) Stated() string {
	if r.Den == 0 {
		return "—"
	}
	s := strconv.FormatFloat(100*float64(r.Num)/float64(r.Den), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + "\u00a0%"
}
