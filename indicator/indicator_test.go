package indicator_test

import (
	"slices"
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

// TT 124's exclusions limit recognition (and QĐ 510's grading), not
// propaganda or models: the plan names every agency, enterprise and school.
func TestIneligibleExcluded(t *testing.T) {
	r := planRules(t)
	all := indicator.Facts{Registered: true, Recognised: true, Grade: antq.GradeExcellent,
		Propaganda: &indicator.Coverage{Reached: 10, Total: 10}, Models: []indicator.ModelFact{{Status: antq.ModelNew, Effective: true}}}
	counted := []rules.Indicator{rules.IndicatorPropagandaStaff, rules.IndicatorModels}
	for _, tt := range []struct {
		name    string
		kind    antq.UnitKind
		flags   antq.UnitFlags
		counted bool // in propaganda_staff and models
	}{
		{"small enterprise", antq.KindEnterprise, antq.UnitFlags{SmallEnterprise: true}, true},
		{"primary school", antq.KindSchool, antq.UnitFlags{PrimarySchool: true}, true},
		{"armed forces", antq.KindAgency, antq.UnitFlags{ArmedForces: true}, true},
		{"religious organisation", antq.KindReligiousOrg, antq.UnitFlags{}, false},
		{"province", antq.KindProvince, antq.UnitFlags{}, false},
	} {
		s := r.Evaluate(tt.kind, tt.flags, all)
		for _, id := range rules.Indicators {
			want := tt.counted && slices.Contains(counted, id)
			if s.In(id) != want || s.Meets(id) != want {
				t.Errorf("%s: in %s = %v, meets %v; want %v", tt.name, id, s.In(id), s.Meets(id), want)
			}
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

// A target's population is plan data: the same small enterprise leaves
// propaganda_staff when the plan counts only TT 124's units.
func TestTargetPopulation(t *testing.T) {
	r := planRules(t)
	plan := *r.Plan
	plan.Targets = slices.Clone(plan.Targets)
	for i := range plan.Targets {
		if plan.Targets[i].Indicator == rules.IndicatorPropagandaStaff {
			plan.Targets[i].Population = rules.PopulationTT124Eligible
		}
	}
	narrow := &indicator.Rules{Plan: &plan, Recognition: r.Recognition, Grading: r.Grading}
	facts := indicator.Facts{Propaganda: &indicator.Coverage{Reached: 9, Total: 10}}
	small := antq.UnitFlags{SmallEnterprise: true}
	if !r.Evaluate(antq.KindEnterprise, small, facts).Meets(rules.IndicatorPropagandaStaff) {
		t.Error("population all: a small enterprise's 9/10 does not count")
	}
	if narrow.Evaluate(antq.KindEnterprise, small, facts).In(rules.IndicatorPropagandaStaff) {
		t.Error("population tt124_eligible: a small enterprise counts")
	}
	if f := fig(t, r.Figures(indicator.Counts{}), rules.IndicatorPropagandaStaff); f.Population != rules.PopulationAll {
		t.Errorf("figure population = %q", f.Population)
	}
}

// gradeCounts: n units of kind graded as listed.
func gradeCounts(r *indicator.Rules, c indicator.Counts, kind antq.UnitKind, grades map[antq.Grade]int) {
	for g, n := range grades {
		for range n {
			c.Add(kind, r.Evaluate(kind, antq.UnitFlags{}, indicator.Facts{Grade: g}), 1)
		}
	}
}

func withReading(r *indicator.Rules, code rules.Reading, perKind bool) *indicator.Rules {
	plan := *r.Plan
	plan.GradeReading.Code = code
	plan.Targets = slices.Clone(plan.Targets)
	for i := range plan.Targets {
		if plan.Targets[i].Indicator.MinGrade() != "" {
			plan.Targets[i].PerKind = perKind
		}
	}
	return &indicator.Rules{Plan: &plan, Recognition: r.Recognition, Grading: r.Grading}
}

// The plan's reading is applied. 10 units: 6 xuất sắc, 2 khá, 2 trung bình.
// R2: ≥ khá 8/10 ≥ 50 % met, xuất sắc 6/10 ≥ 30 % met. R1: exactly khá 2/10
// < 50 % not met (more xuất sắc "breaks" it). R3: ≥ khá needs 40 %, xuất
// sắc 24 %: 3 of 10 xuất sắc meets R3, not R2.
func TestGradeReadingApplied(t *testing.T) {
	base := planRules(t)
	for _, tt := range []struct {
		reading           rules.Reading
		grades            map[antq.Grade]int
		wantGood, wantExc bool
		judgedGood        int64
		targetExc         string
	}{
		{rules.ReadingCumulative, map[antq.Grade]int{antq.GradeExcellent: 6, antq.GradeGood: 2, antq.GradeAverage: 2}, true, true, 8, "0.30"},
		{rules.ReadingExclusive, map[antq.Grade]int{antq.GradeExcellent: 6, antq.GradeGood: 2, antq.GradeAverage: 2}, false, true, 2, "0.30"},
		{rules.ReadingCumulative, map[antq.Grade]int{antq.GradeExcellent: 3, antq.GradeGood: 1, antq.GradeAverage: 6}, false, true, 4, "0.30"},
		{rules.ReadingNested, map[antq.Grade]int{antq.GradeExcellent: 3, antq.GradeGood: 1, antq.GradeAverage: 6}, true, true, 4, "0.2400"},
		{rules.ReadingNested, map[antq.Grade]int{antq.GradeExcellent: 2, antq.GradeGood: 1, antq.GradeAverage: 7}, false, false, 3, "0.2400"},
	} {
		r := withReading(base, tt.reading, false)
		c := indicator.Counts{}
		gradeCounts(r, c, antq.KindResidentialArea, tt.grades)
		figs := r.Figures(c)
		good, exc := fig(t, figs, rules.IndicatorGradeGoodOrBetter), fig(t, figs, rules.IndicatorGradeExcellent)
		if good.Met == nil || *good.Met != tt.wantGood || good.Judged == nil || good.Judged.Num != tt.judgedGood || good.Judged.Reading != tt.reading {
			t.Errorf("%s %v: khá met %v judged %+v, want %v with %d", tt.reading, tt.grades, good.Met, good.Judged, tt.wantGood, tt.judgedGood)
		}
		if exc.Met == nil || *exc.Met != tt.wantExc || exc.Judged.Target != tt.targetExc {
			t.Errorf("%s %v: xuất sắc met %v judged %+v, want %v", tt.reading, tt.grades, exc.Met, exc.Judged, tt.wantExc)
		}
		if good.Num != int64(tt.grades[antq.GradeExcellent]+tt.grades[antq.GradeGood]) {
			t.Errorf("%s: the figure's own numerator changed: %d", tt.reading, good.Num)
		}
	}
}

// Judged per kind as well as pooled: the pooled 9/12 ≥ 80 % hides schools
// at 1/2.
func TestGradePerKind(t *testing.T) {
	base := planRules(t)
	c := indicator.Counts{}
	gradeCounts(base, c, antq.KindResidentialArea, map[antq.Grade]int{antq.GradeAverage: 10})
	gradeCounts(base, c, antq.KindSchool, map[antq.Grade]int{antq.GradeAverage: 1, antq.GradeWeak: 1})
	pooled := fig(t, base.Figures(c), rules.IndicatorGradeAverageOrBetter)
	if pooled.Met == nil || !*pooled.Met || pooled.MetByKind != nil {
		t.Fatalf("pooled: %+v", pooled)
	}
	f := fig(t, withReading(base, rules.ReadingCumulative, true).Figures(c), rules.IndicatorGradeAverageOrBetter)
	if f.Met == nil || *f.Met || !f.MetByKind[antq.KindResidentialArea] || f.MetByKind[antq.KindSchool] {
		t.Errorf("per kind: met %v by kind %v", f.Met, f.MetByKind)
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

// The registration figure breaks down on time / late against the
// checklist's first quarter: 05/11/2022 and 15/04/2023 are late.
func TestRegistrationOnTime(t *testing.T) {
	r := planRules(t)
	c := indicator.Counts{}
	for _, on := range []string{"2023-01-10", "2023-03-31", "2022-11-05", "2023-04-15"} {
		c.Add(antq.KindResidentialArea, r.Evaluate(antq.KindResidentialArea, antq.UnitFlags{},
			indicator.Facts{Registered: true, RegisteredOn: antq.MustDate(on)}), 1)
	}
	c.Add(antq.KindResidentialArea, r.Evaluate(antq.KindResidentialArea, antq.UnitFlags{}, indicator.Facts{}), 1)
	f := fig(t, r.Figures(c), rules.IndicatorRegistration)
	if f.Num != 4 || f.Den != 5 || f.OnTime == nil || *f.OnTime != 2 || *f.Late != 2 {
		t.Errorf("registration %d/%d on time %v late %v, want 4/5, 2 and 2", f.Num, f.Den, f.OnTime, f.Late)
	}
	if other := fig(t, r.Figures(c), rules.IndicatorRecognition); other.OnTime != nil {
		t.Error("only the registration figure breaks down by timing")
	}
}

// A commune reporting its own figure while its areas report too: its own
// figure counts, and a difference is flagged.
func TestHouseholdsDisagree(t *testing.T) {
	r := planRules(t)
	own := &indicator.Coverage{Reached: 850, Total: 1000}
	for _, tt := range []struct {
		name string
		f    indicator.Facts
		want bool
	}{
		{"own only", indicator.Facts{Propaganda: own, AreaCoverage: indicator.Coverage{Total: 1000}}, false},
		{"areas only", indicator.Facts{AreaCoverage: indicator.Coverage{Reached: 900, Total: 1000}, AreasReporting: 2}, false},
		{"agree", indicator.Facts{Propaganda: own, AreaCoverage: indicator.Coverage{Reached: 850, Total: 1000}, AreasReporting: 2}, false},
		{"disagree", indicator.Facts{Propaganda: own, AreaCoverage: indicator.Coverage{Reached: 600, Total: 1000}, AreasReporting: 1}, true},
	} {
		c := indicator.Counts{}
		s := r.Evaluate(antq.KindCommune, antq.UnitFlags{}, tt.f)
		c.Add(antq.KindCommune, s, 1)
		f := fig(t, r.Figures(c), rules.IndicatorPropagandaHouseholds)
		if f.Disagreeing == nil || (*f.Disagreeing == 1) != tt.want {
			t.Errorf("%s: disagreeing %v, want %v", tt.name, f.Disagreeing, tt.want)
		}
		if tt.name == "disagree" && !s.Meets(rules.IndicatorPropagandaHouseholds) {
			t.Error("the commune's own 85 % is the figure counted")
		}
	}
}
