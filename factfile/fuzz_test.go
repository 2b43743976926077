package factfile_test

import (
	"bytes"
	"testing"
	"time"

	"antq"
	"antq/factfile"
	"antq/internal/fuzzstat"
	"antq/rules"
	"antq/store"
)

// seedTemplate is a template written without a database: the plan's two
// units with no facts.
func seedTemplate(f *testing.F) ([]byte, func(string) ([]*rules.RuleSet, error)) {
	f.Helper()
	cat, err := rules.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	plan, err := cat.Plan(planID)
	if err != nil {
		f.Fatal(err)
	}
	sets, err := cat.RuleSetsOf(plan)
	if err != nil {
		f.Fatal(err)
	}
	units := []store.UnitWithFacts{
		{Unit: &antq.Unit{Code: "25195", Name: "Phường Tân Phú", Kind: antq.KindCommune}, Facts: &antq.UnitFacts{}},
		{Unit: &antq.Unit{Code: "25195-KDC01", Name: "=Khu phố 1", Kind: antq.KindResidentialArea, ParentCode: "25195"}, Facts: &antq.UnitFacts{}},
	}
	var buf bytes.Buffer
	if err := factfile.WriteTemplate(&buf, factfile.Template{Plan: plan, Sets: sets, Units: units, Generated: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes(), func(string) ([]*rules.RuleSet, error) { return sets, nil }
}

// FuzzReadTemplate: whatever the bytes, Read refuses them with a reason
// (EINVALID) or reads rows; it never panics, and a row it cannot read
// says why at a cell.
func FuzzReadTemplate(f *testing.F) {
	tpl, sets := seedTemplate(f)
	f.Add(tpl)
	f.Add(tpl[:len(tpl)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzstat.Count("FuzzReadTemplate")
		wb, err := factfile.Read(data, "", sets, factfile.Options{MaxRows: 2000})
		if err != nil {
			if antq.ErrorCode(err) != antq.EINVALID || antq.ErrorMessage(err) == "" {
				t.Fatalf("refusal without a reason: %v", err)
			}
			return
		}
		for _, r := range wb.Rows {
			if r.Err == nil {
				continue
			}
			for _, p := range r.Problems(r.Err) {
				if p.Reason == "" || p.Sheet == "" {
					t.Fatalf("problem without a place or reason: %+v", p)
				}
			}
		}
	})
}
