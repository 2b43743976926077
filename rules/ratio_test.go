package rules

import (
	"encoding/json"
	"math"
	"testing"

	"antq"
)

func TestRatioCompare(t *testing.T) {
	tests := []struct {
		a, b     Ratio
		cmp      int
		less, ge bool
	}{
		{Ratio{16, 25}, MustRatio("0.70"), -1, true, false}, // 64 % misses 70 %
		{Ratio{7, 10}, MustRatio("0.70"), 0, false, true},   // exactly 70 % meets it
		{Ratio{17, 25}, MustRatio("0.70"), -1, true, false}, // 68 %
		{Ratio{18, 25}, MustRatio("0.70"), 1, false, true},  // 72 %
		{Ratio{4, 5}, MustRatio("0.80"), 0, false, true},
		{Ratio{799, 1000}, MustRatio("0.80"), -1, true, false},
		{Ratio{9, 10}, MustRatio("0.9"), 0, false, true},
		{Ratio{0, 3}, MustRatio("0"), 0, false, true},
		{Ratio{1, 1}, MustRatio("1.00"), 0, false, true},
		{Ratio{-1, 2}, Ratio{0, 1}, -1, true, false},
		{Ratio{-1, 2}, Ratio{-1, 3}, -1, true, false},
		// Cross products overflow int64: a/(a-1) < (a-1)/(a-2).
		{Ratio{math.MaxInt64, math.MaxInt64 - 1}, Ratio{math.MaxInt64 - 1, math.MaxInt64 - 2}, -1, true, false},
		{Ratio{math.MaxInt64, 1}, Ratio{math.MaxInt64 - 1, 1}, 1, false, true},
		{Ratio{math.MinInt64, 1}, Ratio{math.MinInt64 + 1, 1}, -1, true, false},
	}
	for _, tt := range tests {
		if got := tt.a.Cmp(tt.b); got != tt.cmp {
			t.Errorf("%v.Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.cmp)
		}
		if got := tt.b.Cmp(tt.a); got != -tt.cmp {
			t.Errorf("%v.Cmp(%v) = %d, want %d", tt.b, tt.a, got, -tt.cmp)
		}
		if got := tt.a.Less(tt.b); got != tt.less {
			t.Errorf("%v.Less(%v) = %v", tt.a, tt.b, got)
		}
		if got := tt.a.AtLeast(tt.b); got != tt.ge {
			t.Errorf("%v.AtLeast(%v) = %v", tt.a, tt.b, got)
		}
	}
}

func TestRatioZeroDenominatorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("comparing 0/0 did not panic")
		}
	}()
	Ratio{0, 0}.Less(Ratio{1, 2})
}

func TestParseRatio(t *testing.T) {
	tests := []struct {
		in      string
		want    Ratio
		str     string
		wantErr bool
	}{
		{"0.70", Ratio{70, 100}, "0.70", false},
		{"1.00", Ratio{100, 100}, "1.00", false},
		{"1", Ratio{1, 1}, "1", false},
		{"0.05", Ratio{5, 100}, "0.05", false},
		{"7/10", Ratio{7, 10}, "0.7", false},
		{"16/25", Ratio{16, 25}, "16/25", false},
		{"-0.5", Ratio{-5, 10}, "-0.5", false},
		{"", Ratio{}, "", true},
		{".5", Ratio{}, "", true},
		{"1.", Ratio{}, "", true},
		{"70%", Ratio{}, "", true},
		{"1e-1", Ratio{}, "", true},
		{"1/0", Ratio{}, "", true},
		{"1/-2", Ratio{}, "", true},
		{"0.1234567890123456789", Ratio{}, "", true},
	}
	for _, tt := range tests {
		got, err := ParseRatio(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRatio(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got != tt.want || got.String() != tt.str {
			t.Errorf("ParseRatio(%q) = %#v (%s), want %#v (%s)", tt.in, got, got, tt.want, tt.str)
		}
	}
}

func TestRatioMinCount(t *testing.T) {
	seventy := MustRatio("0.70")
	for _, tt := range []struct{ total, want int64 }{{25, 18}, {10, 7}, {1, 1}, {0, 0}, {3, 3}, {100, 70}} {
		if got := seventy.MinCount(tt.total); got != tt.want {
			t.Errorf("0.70.MinCount(%d) = %d, want %d", tt.total, got, tt.want)
		}
		// The count it gives meets the target and one fewer does not.
		if tt.total > 0 {
			k := seventy.MinCount(tt.total)
			if !(Ratio{k, tt.total}).AtLeast(seventy) || (k > 0 && (Ratio{k - 1, tt.total}).AtLeast(seventy)) {
				t.Errorf("MinCount(%d) = %d is not the smallest count meeting 70 %%", tt.total, k)
			}
		}
	}
}

func TestParsePoints(t *testing.T) {
	tests := []struct {
		in      string
		want    antq.Tenths
		wantErr string
	}{
		{"2.5", 25, ""},
		{"3", 30, ""},
		{"3.0", 30, ""},
		{"100.0", 1000, ""},
		{"0", 0, ""},
		{"2.55", 0, "2.55 has more than one digit after the decimal point"},
		{"-1", 0, `invalid points "-1": want a non-negative decimal number such as 2.5`},
		{"1e2", 0, `invalid points "1e2": want a non-negative decimal number such as 2.5`},
	}
	for _, tt := range tests {
		got, err := parsePoints(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parsePoints(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parsePoints(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct{ in, err string }{
		{"2023-02-02", ""},
		{"2024-02-29", ""},
		{"2023-02-29", `invalid date "2023-02-29": day 29 out of range for 2023-02`},
		{"2023-13-01", `invalid date "2023-13-01": month 13 out of range`},
		{"02/02/2023", `invalid date "02/02/2023": want YYYY-MM-DD`},
		{"2023-2-2", `invalid date "2023-2-2": want YYYY-MM-DD`},
	} {
		d, err := parseDate(tt.in)
		switch {
		case tt.err == "" && (err != nil || d.String() != tt.in):
			t.Errorf("parseDate(%q) = %v, %v", tt.in, d, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("parseDate(%q) error = %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestRatioJSON(t *testing.T) {
	b, err := json.Marshal(struct{ Share Ratio }{MustRatio("0.70")})
	if err != nil || string(b) != `{"Share":"0.70"}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var v struct{ Share Ratio }
	if err := json.Unmarshal([]byte(`{"Share":"7/10"}`), &v); err != nil || !v.Share.Equal(MustRatio("0.7")) {
		t.Fatalf("unmarshal = %v, %v", v.Share, err)
	}
	if err := json.Unmarshal([]byte(`{"Share":"seventy"}`), &v); err == nil {
		t.Fatal("accepted a ratio that is not a number")
	}
}
