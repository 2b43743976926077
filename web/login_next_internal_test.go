package web

import (
	"strings"
	"testing"
)

// hostileNext are redirect targets after login that a browser would take
// to another origin (or that decode to one), each with why.
var hostileNext = map[string]string{
	"/\t/evil.example":              "a tab, which browsers strip: //evil.example",
	"/\n/evil.example":              "a newline, stripped",
	"/\r\n/evil.example":            "CR LF, stripped (and a header split)",
	"/%09/evil.example":             "a tab once decoded",
	"/%0a/evil.example":             "a newline once decoded",
	"//evil.example":                "scheme-relative",
	"///evil.example":               "scheme-relative, three slashes",
	"/\\evil.example":               `"\" reads as "/"`,
	"\\\\evil.example":              `"\\" reads as "//"`,
	"/\\/evil.example":              `"/\/"`,
	"/%5Cevil.example":              `"\" once decoded`,
	"/%5c%5cevil.example":           `"\\" once decoded`,
	"/%2F/evil.example":             `"//" once decoded`,
	"/%2f%2fevil.example":           `"//" once decoded, lower case`,
	"https://evil.example":          "absolute URL",
	"http:/evil.example":            "scheme with one slash",
	"HTTPS://evil.example/x":        "absolute URL, upper case",
	"javascript:alert(1)":           "script URL",
	"data:text/html,x":              "data URL",
	"evil.example":                  "relative, not a path",
	" /evil.example":                "leading space",
	"/ /evil.example":               "a space",
	"/\x00/evil.example":            "NUL",
	"/\x7f/evil.example":            "DEL",
	"/\u00a0/evil.example":          "no-break space",
	"/\u3000/evil.example":          "ideographic space",
	"/\u2028/evil.example":          "line separator",
	"/\ufeff/evil.example":          "byte-order mark",
	"/\uff0f/evil.example":          "fullwidth solidus",
	"/\u2215/evil.example":          "division slash",
	"/\uff3cevil.example":           "fullwidth reverse solidus",
	"/%E2%80%A8/evil.example":       "line separator once decoded",
	"/%":                            "broken escape",
	"":                              "empty",
	"/" + strings.Repeat("a", 3000): "too long",
}

var localNext = []string{
	"/",
	"/plans/binh-phuoc-2023/dashboard?unit=70",
	"/units/689#children",
	"/?q=%C4%91%E1%BB%93ng+xo%C3%A0i",
	"/plans/binh-phuoc-2023/units/25195-KDC01/dossiers/recognition",
	"/plans/go?plan=binh-phuoc-2023&unit=70",
	"/@evil.example",   // a path on this host
	"/.//evil.example", // path "/.//evil.example" on this host
}

func TestSafeNext(t *testing.T) {
	for next, why := range hostileNext {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want \"/\" (%s)", next, got, why)
		}
	}
	for _, next := range localNext {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}
