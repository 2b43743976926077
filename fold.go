package antq

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold returns s lower-cased, without diacritics and with đ folded to d, with
// runs of white space collapsed: "ĐỒNG XOÀI" and "dong  xoai" both fold to
// "dong xoai". Search compares folded text.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

// collatorPool hands out Vietnamese collators with a key buffer each (the
// buffer is 4 KB: allocating one per key made bulk imports garbage-bound); a
// collate.Collator is not safe for concurrent use.
var collatorPool = sync.Pool{New: func() any {
	return &vnCollator{c: collate.New(language.Vietnamese, collate.IgnoreCase, collate.Numeric)}
}}

type vnCollator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// SortKey returns the Vietnamese collation key of s: ordering keys bytewise
// orders the strings as a Vietnamese reader expects (a < ă < â < b … d < đ).
// Both databases compare the stored key bytewise, so lists sort correctly
// in SQL without a database-specific collation.
func SortKey(s string) []byte {
	vc := collatorPool.Get().(*vnCollator)
	defer collatorPool.Put(vc)
	vc.buf.Reset()
	return append([]byte(nil), vc.c.KeyFromString(&vc.buf, s)...)
}

// CompareVietnamese compares a and b in Vietnamese collation.
func CompareVietnamese(a, b string) int {
	vc := collatorPool.Get().(*vnCollator)
	defer collatorPool.Put(vc)
	return vc.c.CompareString(a, b)
}
