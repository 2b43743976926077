package rules_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"antq"
	"antq/rules"
)

// The Bình Phước plan takes residential areas on 31/10 and the other kinds
// on 15/11 (TT 124 Art. 8), never 31/12; a unit that ended before is taken
// on its last day.
func TestPlanTreeDates(t *testing.T) {
	c, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[antq.UnitKind]string{
		antq.KindResidentialArea: "2023-10-31", antq.KindCommune: "2023-11-15", antq.KindAgency: "2023-11-15",
		antq.KindEnterprise: "2023-11-15", antq.KindSchool: "2023-11-15", antq.KindDistrict: "2023-11-15",
		antq.KindNation: "2023-12-31", // named by no entry: the plan window's end
	} {
		if got := p.KindDate(kind); got != antq.MustDate(want) {
			t.Errorf("%s taken on %s, want %s", kind, got, want)
		}
	}
	ended := &antq.Unit{Kind: antq.KindResidentialArea, ValidTo: antq.MustDate("2023-09-30")}
	if got := p.UnitDate(ended); got != antq.MustDate("2023-09-30") {
		t.Errorf("an area ended on 30/09 is taken on %s", got)
	}
	if got := p.UnitDate(&antq.Unit{Kind: antq.KindCommune, ValidTo: antq.MustDate("2023-12-01")}); got != antq.MustDate("2023-11-15") {
		t.Errorf("a commune ended on 01/12 is taken on %s, want its tree date", got)
	}
	if p.EarliestTreeDate() != antq.MustDate("2023-10-31") || p.LatestTreeDate() != antq.MustDate("2023-12-31") {
		t.Errorf("tree dates span %s – %s", p.EarliestTreeDate(), p.LatestTreeDate())
	}
	// Every entry cites its source; the kinds TT 124 gives no period are
	// marked unverified.
	for _, td := range p.TreeDates {
		if td.Ref == "" {
			t.Errorf("tree date %v has no source", td.UnitKinds)
		}
		if td.Verified == (td.UnitKinds[0] == antq.KindDistrict) {
			t.Errorf("tree date %v verified = %v", td.UnitKinds, td.Verified)
		}
	}
}

func TestPlanTreeDatesRefused(t *testing.T) {
	data, err := os.ReadFile("data/plans/binh-phuoc-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, from, to, path, reason string
	}{
		{"outside the window", `"month": 10, "day": 31}`, `"month": 10, "day": 31, "year_offset": 1}`, "tree_dates[0].on", "outside the plan window"},
		{"a kind twice", `"unit_kinds": ["commune", "agency"`, `"unit_kinds": ["residential_area", "agency"`, "tree_dates[1].unit_kinds[0]", "already has a tree date"},
		{"no such day", `"month": 11, "day": 15}, "ref": "Điều 8`, `"month": 11, "day": 31}, "ref": "Điều 8`, "tree_dates[1].on", "day 31 out of range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			broken := strings.Replace(string(data), tt.from, tt.to, 1)
			if broken == string(data) {
				t.Fatalf("fixture text %q not found", tt.from)
			}
			// The year offset given twice is a duplicate key: drop the first.
			broken = strings.Replace(broken, `{"year_offset": 0, "month": 10, "day": 31, "year_offset": 1}`, `{"year_offset": 1, "month": 10, "day": 31}`, 1)
			_, err := rules.LoadPlan("plan.json", []byte(broken))
			var errs rules.LoadErrors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want load errors", err)
			}
			for _, e := range errs {
				if e.Path == tt.path && strings.Contains(e.Reason, tt.reason) {
					return
				}
			}
			t.Fatalf("errors %v, want %s: %s", err, tt.path, tt.reason)
		})
	}
}
