package antq_test

import (
	"encoding/json"
	"testing"

	"antq"
)

func TestParseTenths(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    antq.Tenths
		wantErr bool
	}{
		{"92.5", 925, false}, {"92,5", 925, false}, {"100", 1000, false}, {"0.1", 1, false},
		{"92.55", 0, true}, {"", 0, true}, {"abc", 0, true}, {"9.x", 0, true}, {"-1.5", -15, false},
	} {
		got, err := antq.ParseTenths(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseTenths(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestTenthsText(t *testing.T) {
	if got := antq.Tenths(925).String(); got != "92.5" {
		t.Errorf("String = %q", got)
	}
	if got := antq.Tenths(925).VN(); got != "92,5" {
		t.Errorf("VN = %q", got)
	}
}

func TestTenthsSumsWithoutDrift(t *testing.T) {
	// 0.1 added ten times is exactly 1.0 in tenths, unlike float64.
	var sum antq.Tenths
	f := 0.0
	for range 10 {
		sum += 1
		f += 0.1
	}
	if sum != 10 || sum.String() != "1.0" {
		t.Fatalf("sum = %v", sum)
	}
	if f == 1.0 {
		t.Fatal("float64 example no longer shows drift; pick another")
	}
}

func TestTenthsJSON(t *testing.T) {
	var v struct{ Score antq.Tenths }
	if err := json.Unmarshal([]byte(`{"Score": 92.5}`), &v); err != nil || v.Score != 925 {
		t.Fatalf("got %v, %v", v.Score, err)
	}
	if err := json.Unmarshal([]byte(`{"Score": 92.25}`), &v); err == nil {
		t.Fatal("accepted two decimals")
	}
	for _, in := range []string{`{"Score": "92.5"}`, `{"Score": 1e2}`, `{"Score": true}`} {
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("accepted %s", in)
		}
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"Score":92.5}` {
		t.Fatalf("marshal = %s", b)
	}
}
