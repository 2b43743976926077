package rules

import (
	"testing"

	"antq"
)

// The windows of HD 01/HD-BCA-V05: verified for the Tổ bảo vệ an ninh, trật
// tự, marked unverified for the collectives the guide does not name, none
// for a unit that is not a collective.
func TestCollectiveWindowOf(t *testing.T) {
	w, c, ok := CollectiveWindowOf(antq.KindSecurityTeam, 2025)
	if !ok || w.From != date("2024-11-15") || w.To != date("2025-11-14") || !c.Verified {
		t.Fatalf("security team 2025: %v %v %+v", ok, w, c)
	}
	for _, k := range []antq.UnitKind{antq.KindCommunePolice, antq.KindStreetProtectionBoard} {
		if _, c, ok := CollectiveWindowOf(k, 2023); !ok || c.Verified || c.Note == "" {
			t.Fatalf("%s: ok %v, citation %+v; want a window marked unverified with a note", k, ok, c)
		}
	}
	if _, _, ok := CollectiveWindowOf(antq.KindAgency, 2023); ok {
		t.Fatal("an agency has a collective window")
	}
}

func TestCheckCollectiveAssessment(t *testing.T) {
	police := &antq.Unit{Code: "25195-CA", Name: "Công an phường Tân Phú", Kind: antq.KindCommunePolice, ValidFrom: date("2022-01-01")}
	good := func() antq.CollectiveAssessment {
		return antq.CollectiveAssessment{Level: antq.CollectiveGood, AssessedOn: date("2023-11-20"),
			AssessedBy: "  Chủ tịch UBND phường Tân Phú ", Basis: "Biên bản họp đánh giá ngày 20/11/2023"}
	}
	in := good()
	if err := factRules(t, police).CheckCollectiveAssessment(&in); err != nil {
		t.Fatalf("a right assessment: %v", err)
	}
	if in.AssessedBy != "Chủ tịch UBND phường Tân Phú" {
		t.Fatalf("assessed_by not trimmed: %q", in.AssessedBy)
	}
	cases := []struct {
		name   string
		unit   *antq.Unit
		change func(*antq.CollectiveAssessment)
		field  string
	}{
		{"not a collective", &antq.Unit{Code: "25195", Name: "Phường Tân Phú", Kind: antq.KindCommune}, func(*antq.CollectiveAssessment) {}, "unit"},
		{"unknown level", police, func(a *antq.CollectiveAssessment) { a.Level = "kha" }, "level"},
		{"no date", police, func(a *antq.CollectiveAssessment) { a.AssessedOn = antq.Date{} }, "assessed_on"},
		{"before the window", police, func(a *antq.CollectiveAssessment) { a.AssessedOn = date("2022-11-14") }, "assessed_on"},
		{"in the future", police, func(a *antq.CollectiveAssessment) { a.AssessedOn = date("2023-12-02") }, "assessed_on"},
		{"no assessor", police, func(a *antq.CollectiveAssessment) { a.AssessedBy = "  " }, "assessed_by"},
		{"no basis", police, func(a *antq.CollectiveAssessment) { a.Basis = "" }, "basis"},
		{"decision before the assessment", police, func(a *antq.CollectiveAssessment) {
			a.Decision = &antq.DocumentRef{Number: "15/QĐ-UBND", Date: date("2023-11-19")}
		}, "decision.date"},
	}
	for _, c := range cases {
		in := good()
		c.change(&in)
		err := factRules(t, c.unit).CheckCollectiveAssessment(&in)
		if antq.ErrorCode(err) != antq.EINVALID || fields(err)[c.field] == "" {
			t.Errorf("%s: got %v (fields %v), want a reason on %s", c.name, err, fields(err), c.field)
		}
	}
}

// A Tổ bảo vệ an ninh, trật tự that operated less than nine months of the
// window is not assessed (HD 01/HD-BCA-V05); exactly nine months is enough.
func TestCollectiveNineMonths(t *testing.T) {
	check := func(validFrom, on string, year int) error {
		team := &antq.Unit{Code: "25195-TBV1", Name: "Tổ bảo vệ ANTT khu phố 1", Kind: antq.KindSecurityTeam, ValidFrom: date(validFrom)}
		w, _, _ := CollectiveWindowOf(team.Kind, year)
		r := &FactRules{Unit: team, Window: w, Today: date("2026-01-10")}
		in := antq.CollectiveAssessment{Level: antq.CollectiveExcellent, AssessedOn: date(on), AssessedBy: "Chủ tịch UBND phường", Basis: "Báo cáo kết quả"}
		return r.CheckCollectiveAssessment(&in)
	}
	for _, c := range []struct {
		from    string
		year    int
		refused bool
	}{
		{"2024-07-01", 2024, true},  // the Law's first day: 4.5 months in 2024
		{"2024-07-01", 2025, false}, // the whole 2025 window
		{"2025-02-15", 2025, false}, // 15/02–14/11: nine months exactly
		{"2025-02-16", 2025, true},
	} {
		on := "2024-11-20"
		if c.year == 2025 {
			on = "2025-11-20"
		}
		err := check(c.from, on, c.year)
		if got := err != nil && fields(err)["unit"] != ""; got != c.refused {
			t.Errorf("team from %s in %d: refused = %v (%v), want %v", c.from, c.year, got, err, c.refused)
		}
	}
}
