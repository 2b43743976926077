package yearend_test

import (
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// The first criterion asks for a registration in the first quarter: one of
// 05/11/2022 (inside the residential area's window, before Quý I 2023) is
// not "trong Quý I", nor is one of 01/04/2023; 01/01 and 31/03 are.
func TestRegistrationInFirstQuarter(t *testing.T) {
	sets := loadSets(t)
	rs := rules.RecognitionSet(sets)
	cl, ok := rs.Checklist(antq.KindResidentialArea)
	if !ok {
		t.Fatal("no residential-area checklist")
	}
	for _, tt := range []struct {
		on     string
		want   yearend.Verdict
		reason string
	}{
		{"2022-11-05", yearend.NotMet, "trước Quý I"},
		{"2022-12-31", yearend.NotMet, "trước Quý I"},
		{"2023-01-01", yearend.Met, "trong Quý I"},
		{"2023-03-31", yearend.Met, "trong Quý I"},
		{"2023-04-01", yearend.NotMet, "sau thời hạn Quý I"},
	} {
		in := yearend.Inputs{Year: 2023, Kind: antq.KindResidentialArea,
			Registration: &antq.Registration{RegisteredOn: antq.MustDate(tt.on)}}
		s := yearend.Suggest(rs, cl, in)[0]
		if s.CriterionID != "kdc.1" || s.Verdict != tt.want || !strings.Contains(s.Reason, tt.reason) {
			t.Errorf("registered %s: %s %v %q, want %v containing %q", tt.on, s.CriterionID, s.Verdict, s.Reason, tt.want, tt.reason)
		}
	}
}

func TestQuarterTiming(t *testing.T) {
	due := antq.MustDate("2023-03-31")
	for on, want := range map[string]rules.Timing{
		"2022-11-05": rules.TimingEarly, "2023-01-01": rules.TimingOnTime, "2023-03-31": rules.TimingOnTime, "2023-04-01": rules.TimingLate,
	} {
		if got := rules.QuarterTiming(antq.MustDate(on), due); got != want {
			t.Errorf("%s: %s, want %s", on, got, want)
		}
	}
}
