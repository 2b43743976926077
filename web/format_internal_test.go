package web

import (
	"testing"

	"antq/rules"
)

// Issue 16 item 11: one number format — thousands with a dot, one decimal
// with a comma, non-breaking spaces before "%" and around the slash.
func TestNumberFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{percent(1698, 1790), "94,9\u00a0%"},
		{percent(77, 100), "77,0\u00a0%"},
		{percent(1, 1), "100,0\u00a0%"},
		{percent(0, 0), "—"},
		{fraction(1698, 1790), "1.698\u00a0/\u00a01.790"},
		{fraction(0, 1234567), "0\u00a0/\u00a01.234.567"},
		{formatNumber(-12345), "-12.345"},
		{ratioPercent(rules.Ratio{Num: 7, Den: 10}), "70\u00a0%"},
		{ratioPercent(rules.Ratio{Num: 1, Den: 3}), "33,3\u00a0%"},
		{rules.Ratio{Num: 16, Den: 25}.Percent(1), "64,0\u00a0%"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
