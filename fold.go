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

// collatorPool hands out Vietnamese collators; a collate.Collator is not safe
// for concurrent use.
var collatorPool = sync.Pool{New: func() any {
	return collate.New(language.Vietnamese, collate.IgnoreCase)
}}

// SortKey returns the Vietnamese collation key of s: ordering keys bytewise
// orders the strings as a Vietnamese reader expects (a < ă < â < b … d < đ).
// Both databases compare the stored key bytewise, so lists sort correctly
// in SQL without a database-specific collation.
func SortKey(s string) []byte {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, s)
	return append([]byte(nil), k...)
}

// CompareVietnamese compares a and b in Vietnamese collation.
func CompareVietnamese(a, b string) int {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	return c.CompareString(a, b)
}
