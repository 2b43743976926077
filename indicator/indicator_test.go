package indicator_test

import (
	"testing"

	"antq"
	"antq/indicator"
	"antq/rules"
)

func planRules(t *testing.T) *indicator.Rules {
	t.Helper()
	c, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	sets, err := c.RuleSetsOf(p)
	if err != nil {
		t.Fatal(err)
	}
	return indicator.NewRules(p, sets)
}

func fig(t *testing.T, figs []indicator.Figure, id rules.Indicator) indicator.Figure {
	t.Helper()
	for _, f := range figs {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no figure %s", id)
	return indicator.Figure{}
}

func TestExactFractions(t *testing.T) {
	r := planRules(t)
	// 25 registered areas, 16 recognised: 64 % < 70 %; 18 meets it.
	for _, tt := range []struct {
		recognised int
		want       bool
	}{{16, false}, {17, false}, {18, true}} {
		c := indicator.Counts{}
		for i := 0; i < 25; i++ {
			c.Add(antq.KindResidentialArea, r.Evaluate(antq.KindResidentialArea, antq.UnitFlags{},
				indicator.Facts{Registered: true, Recognised: i < tt.recognised}), 1)
		}
		f := fig(t, r.Figures(c), rules.IndicatorRecognition)
		if f.Num != int64(tt.recognised) || f.Den != 25 || f.Met == nil || *f.Met != tt.want {
			t.Errorf("%d/25 recognised: got %d/%d met=%v, want met=%v", tt.recognised, f.Num, f.Den, f.Met, tt.want)
		}
	}
}

func TestZeroDenominator(t *testing.T) {
	r := planRules(t)
	c := indicator.Counts{}
	c.Add(antq.KindResidentialArea, r.Evaluate(antq.KindResidentialArea, antq.UnitFlags{}, indicator.Facts{}), 1)
	f := fig(t, r.Figures(c), rules.IndicatorRecognition) // nobody registered
	if f.Den != 0 || f.Value != nil || f.Met != nil {
		t.Fatalf("recognition with nobody registered = %+v, want value and met null", f)
	}
}

func TestNotGradedCountsBelow(t *testing.T) {
	r := planRules(t)
	c := indicator.Counts{}
	for _, g := range []antq.Grade{antq.GradeExcellent, antq.GradeGood, antq.GradeAverage, antq.GradeWeak, ""} {
		c.Add(antq.KindCommune, r.Evaluate(antq.KindCommune, antq.UnitFlags{}, indicator.Facts{Grade: g}), 1)
	}
	figs := r.Figures(c)
	for _, tt := range []struct {
		id       rules.Indicator
		num, den int64
	}{
		{rules.IndicatorGradeAverageOrBetter, 3, 5},
		{rules.IndicatorGradeGoodOrBetter, 2, 5},
		{rules.IndicatorGradeExcellent, 1, 5},
	} {
		f := fig(t, figs, tt.id)
		if f.Num != tt.num || f.Den != tt.den {
			t.Errorf("%s = %d/%d, want %d/%d", tt.id, f.Num, f.Den, tt.num, tt.den)
		}
	}
	// 3/5 = 60 % < 80 %: not met; 2/5 = 40 % < 50 %; 1/5 = 20 % < 30 %.
	if f := fig(t, figs, rules.IndicatorGradeAverageOrBetter); *f.Met {
		t.Error("3/5 should not meet 80 %")
	}
}

func TestCommuneFigureOverridesAreas(t *testing.T) {
	r := planRules(t)
	areas := indicator.Coverage{Reached: 900, Total: 1000} // 90 %
	for _, tt := range []struct {
		name string
		own  *indicator.Coverage
		want bool
	}{
		{"areas only", nil, true},
		{"own figure below", &indicator.Coverage{Reached: 799, Total: 1000}, false},
		{"own figure exactly 80 %", &indicator.Coverage{Reached: 800, Total: 1000}, true},
	} {
		s := r.Evaluate(antq.KindCommune, antq.UnitFlags{}, indicator.Facts{Propaganda: tt.own, AreaCoverage: areas})
		if !s.In(rules.IndicatorPropagandaHouseholds) || s.Meets(rules.IndicatorPropagandaHouseholds) != tt.want {
			t.Errorf("%s: meets=%v, want %v", tt.name, s.Meets(rules.IndicatorPropagandaHouseholds), tt.want)
		}
	}
	// No figures and no households at all: in the denominator, not met.
	s := r.Evaluate(antq.KindCommune, antq.UnitFlags{}, indicator.Facts{})
	if !s.In(rules.IndicatorPropagandaHouseholds) || s.Meets(rules.IndicatorPropagandaHouseholds) {
		t.Error("a commune without figures must count as not meeting")
	}
}

func TestIneligibleExcluded(t *testing.T) {
	r := planRules(t)
	all := indicator.Facts{Registered: true, Recognised: true, Grade: antq.GradeExcellent,
		Propaganda: &indicator.Coverage{Reached: 10, Total: 10}, Models: []indicator.ModelFact{{Status: antq.ModelNew, Effective: true}}}
	for _, tt := range []struct {
		name  string
		kind  antq.UnitKind
		flags antq.UnitFlags
	}{
		{"small enterprise", antq.KindEnterprise, antq.UnitFlags{SmallEnterprise: true}},
		{"primary school", antq.KindSchool, antq.UnitFlags{PrimarySchool: true}},
		{"armed forces", antq.KindAgency, antq.UnitFlags{ArmedForces: true}},
		{"religious organisation", antq.KindReligiousOrg, antq.UnitFlags{}},
		{"province", antq.KindProvince, antq.UnitFlags{}},
	} {
		if s := r.Evaluate(tt.kind, tt.flags, all); s.Den != 0 {
			t.Errorf("%s counts in %016b", tt.name, s.Den)
		}
	}
	// An eligible enterprise with the same facts counts everywhere it should.
	s := r.Evaluate(antq.KindEnterprise, antq.UnitFlags{}, all)
	for _, id := range []rules.Indicator{rules.IndicatorRegistration, rules.IndicatorRecognition, rules.IndicatorPropagandaStaff, rules.IndicatorModels, rules.IndicatorGradeExcellent} {
		if !s.Meets(id) {
			t.Errorf("eligible enterprise does not meet %s", id)
		}
	}
	if s.In(rules.IndicatorPropagandaHouseholds) {
		t.Error("an enterprise counts in the households indicator")
	}
}

func TestModelRequirements(t *testing.T) {
	r := planRules(t)
	consolidated := []indicator.ModelFact{{Status: antq.ModelConsolidated, Effective: true}}
	// A commune must build a new model; an organisation may consolidate.
	if r.Evaluate(antq.KindCommune, antq.UnitFlags{}, indicator.Facts{Models: consolidated}).Meets(rules.IndicatorModels) {
		t.Error("a consolidated model meets the commune's 'build one' target")
	}
	if !r.Evaluate(antq.KindAgency, antq.UnitFlags{}, indicator.Facts{Models: consolidated}).Meets(rules.IndicatorModels) {
		t.Error("a consolidated model does not meet an agency's target")
	}
	ineffective := []indicator.ModelFact{{Status: antq.ModelNew, Effective: false}}
	if r.Evaluate(antq.KindCommune, antq.UnitFlags{}, indicator.Facts{Models: ineffective}).Meets(rules.IndicatorModels) {
		t.Error("an ineffective model counts")
	}
}
