package rules

import (
	"testing"

	"antq"
)

// factRules are the Bình Phước 2023 plan's rules for a unit of kind, judged
// on 1 December 2023.
func factRules(t *testing.T, u *antq.Unit) *FactRules {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		t.Fatal(err)
	}
	return NewFactRules(plan, sets, u, date("2023-12-01"))
}

// fields returns the field errors of a Check's verdict.
func fields(err error) map[string]string { return antq.ErrorFields(err) }

func TestUnitKindCapabilities(t *testing.T) {
	for _, k := range antq.UnitKinds {
		households := k == antq.KindCommune || k == antq.KindResidentialArea
		records := households || k.Organisation()
		if k.CountsHouseholds() != households || k.RecordsPropaganda() != records || k.BuildsModels() != records {
			t.Errorf("%s: households %v, propaganda %v, models %v", k, k.CountsHouseholds(), k.RecordsPropaganda(), k.BuildsModels())
		}
	}
}

func TestPlanUnitDateAndWindow(t *testing.T) {
	r := factRules(t, &antq.Unit{Kind: antq.KindResidentialArea})
	if got := r.Window; got.From != date("2022-11-01") || got.To != date("2023-10-31") {
		t.Errorf("residential area window %v – %v, want TT 124's", got.From, got.To)
	}
	if got := factRules(t, &antq.Unit{Kind: antq.KindDistrict}).Window; got.From != date("2023-01-01") || got.To != date("2023-12-31") {
		t.Errorf("district window %v – %v, want the plan's", got.From, got.To)
	}
	c, _ := Embedded()
	plan, _ := c.Plan("binh-phuoc-2023")
	if d := plan.UnitDate(&antq.Unit{}); d != date("2023-12-31") {
		t.Errorf("unit in force: %v, want the end of the window", d)
	}
	if d := plan.UnitDate(&antq.Unit{ValidTo: date("2023-06-30")}); d != date("2023-06-30") {
		t.Errorf("unit ended in the year: %v, want its last day", d)
	}
}

func TestFactRules(t *testing.T) {
	area := &antq.Unit{Code: "A", Name: "Khu phố 1", Kind: antq.KindResidentialArea}
	district := &antq.Unit{Code: "D", Name: "Huyện X", Kind: antq.KindDistrict}
	soldiers := &antq.Unit{Code: "Q", Name: "Đơn vị Q", Kind: antq.KindAgency, Flags: antq.UnitFlags{ArmedForces: true}}
	n := func(v int64) *int64 { return &v }
	hh := antq.UnitSize{Households: n(400)}
	tests := []struct {
		name  string
		check func() error
		want  []string // the fields refused
	}{
		{"registration", func() error {
			return factRules(t, area).CheckRegistration(&antq.Registration{RegisteredOn: date("2023-02-01")})
		}, nil},
		{"registration out of window", func() error {
			return factRules(t, area).CheckRegistration(&antq.Registration{RegisteredOn: date("2023-11-05")})
		}, []string{"registered_on"}},
		{"registration excluded", func() error {
			return factRules(t, soldiers).CheckRegistration(&antq.Registration{RegisteredOn: date("2023-02-01")})
		}, []string{"unit"}},
		{"propaganda total from the size", func() error {
			_, err := factRules(t, area).CheckPropaganda(&antq.PropagandaInput{Reached: n(350), AsOf: date("2023-10-01")}, hh)
			return err
		}, nil},
		{"propaganda above the size", func() error {
			_, err := factRules(t, area).CheckPropaganda(&antq.PropagandaInput{Reached: n(450), AsOf: date("2023-10-01")}, hh)
			return err
		}, []string{"reached"}},
		{"propaganda of a district", func() error {
			_, err := factRules(t, district).CheckPropaganda(&antq.PropagandaInput{Reached: n(1), Total: n(2), AsOf: date("2023-10-01")}, hh)
			return err
		}, []string{"unit"}},
		{"propaganda of a small enterprise counts", func() error {
			small := &antq.Unit{Code: "S", Name: "Công ty S", Kind: antq.KindEnterprise, Flags: antq.UnitFlags{SmallEnterprise: true}}
			_, err := factRules(t, small).CheckPropaganda(&antq.PropagandaInput{Reached: n(9), Total: n(10), AsOf: date("2023-10-01")}, hh)
			return err
		}, nil},
		{"propaganda no target counts", func() error {
			church := &antq.Unit{Code: "T", Name: "Giáo xứ T", Kind: antq.KindReligiousOrg}
			_, err := factRules(t, church).CheckPropaganda(&antq.PropagandaInput{Reached: n(9), Total: n(10), AsOf: date("2023-10-01")}, hh)
			return err
		}, []string{"unit"}},
		{"model of an unknown kind", func() error {
			return factRules(t, area).CheckModel(&antq.Model{Name: "Tổ", Kind: "xyz", Status: antq.ModelNew})
		}, []string{"kind"}},
		{"new model started before the window", func() error {
			return factRules(t, area).CheckModel(&antq.Model{Name: "Tổ", Kind: "tu_quan", Status: antq.ModelNew, StartedOn: date("2020-01-01")})
		}, []string{"started_on"}},
		{"model change keeps what is not given", func() error {
			_, err := factRules(t, area).CheckModelChange(&antq.Model{Name: "Tổ", Kind: "tu_quan", Status: antq.ModelMaintained}, antq.ModelInput{Members: n(-1)})
			return err
		}, []string{"members"}},
		{"incident without a description", func() error {
			_, err := factRules(t, area).CheckIncident(antq.IncidentInput{OccurredOn: date("2023-05-01"), Category: "xyz", Description: " "})
			return err
		}, []string{"category", "description"}},
		{"recognition of an unregistered unit", func() error {
			return factRules(t, area).CheckRecognition(&antq.Recognition{Result: antq.RecognitionMet, DecidedOn: date("2023-11-12")}, false)
		}, []string{"unit"}},
		{"recognition in the future", func() error {
			return factRules(t, area).CheckRecognition(&antq.Recognition{Result: antq.RecognitionMet, DecidedOn: date("2024-01-05")}, true)
		}, []string{"decided_on"}},
		{"grade of a district", func() error {
			s := antq.Tenths(750)
			return factRules(t, district).CheckGrade(&antq.GradeRecord{Grade: antq.GradeGood, Score: &s}, false)
		}, nil},
		{"grade out of range", func() error {
			s := antq.Tenths(1001)
			return factRules(t, area).CheckGrade(&antq.GradeRecord{Grade: "gioi", Score: &s}, false)
		}, []string{"grade", "score"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			got := fields(err)
			if len(got) != len(tt.want) || (err == nil) != (len(tt.want) == 0) {
				t.Fatalf("fields %v (%v), want %v", got, err, tt.want)
			}
			for _, f := range tt.want {
				if got[f] == "" {
					t.Errorf("no reason for %s in %v", f, got)
				}
			}
		})
	}
}

// Propaganda accepted for a unit counts somewhere: with the plan as written
// every enterprise counts; a plan counting only TT 124's units refuses a
// small enterprise's figure instead of keeping it uncounted.
func TestCountsPropaganda(t *testing.T) {
	c, _ := Embedded()
	plan, _ := c.Plan("binh-phuoc-2023")
	sets, _ := c.RuleSetsOf(plan)
	small := &antq.Unit{Kind: antq.KindEnterprise, Flags: antq.UnitFlags{SmallEnterprise: true}}
	for _, tt := range []struct {
		u    *antq.Unit
		want bool
	}{
		{small, true},
		{&antq.Unit{Kind: antq.KindResidentialArea}, true},
		{&antq.Unit{Kind: antq.KindCommune}, true},
		{&antq.Unit{Kind: antq.KindReligiousOrg}, false},
	} {
		if got := plan.CountsPropaganda(sets, tt.u); got != tt.want {
			t.Errorf("%s %+v: %v, want %v", tt.u.Kind, tt.u.Flags, got, tt.want)
		}
	}
	narrow := *plan
	narrow.Targets = append([]Target(nil), plan.Targets...)
	for i := range narrow.Targets {
		if narrow.Targets[i].Indicator == IndicatorPropagandaStaff {
			narrow.Targets[i].Population = PopulationTT124Eligible
		}
	}
	if narrow.CountsPropaganda(sets, small) {
		t.Error("tt124_eligible: a small enterprise's figure would be kept uncounted")
	}
	if !narrow.CountsPropaganda(sets, &antq.Unit{Kind: antq.KindEnterprise}) {
		t.Error("tt124_eligible: an eligible enterprise's figure refused")
	}
}
