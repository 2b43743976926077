// Package indicator is the pure arithmetic of the plan's targets (DESIGN §3):
// what each unit contributes to each indicator, how contributions roll up,
// and whether a figure meets its target. It does no I/O; the store keeps
// the figures maintained on write and uses this package for both the
// incremental update and the full rebuild, and the benchmark uses it as
// the in-memory baseline.
package indicator

import (
	"slices"

	"antq"
	"antq/rules"
)

// RegistrationOnTime is a breakdown of the registration figure, kept in
// the same masks and counts as the indicators: registered units whose
// registration falls in the first quarter (the checklist's registration_q1
// deadline for the unit's kind). The late ones are the rest of the
// registration numerator. It is not an indicator a plan can target.
const RegistrationOnTime rules.Indicator = "registration.on_time"

// HouseholdsDisagree is a breakdown of propaganda_households: communes
// that report their own figure while their residential areas report too,
// and whose own households reached differ from the areas' sum. The
// commune's own figure is the one counted; both are shown and flagged.
const HouseholdsDisagree rules.Indicator = "propaganda_households.disagree"

// PooledHouseholds is the pooled household ratio beside propaganda_households
// (households reached ÷ households, summed over the communes the target
// counts): kept in the counts as a sum of values, not of units — the
// numerator is households reached, the denominator households. It is not
// an indicator a plan can target.
const PooledHouseholds rules.Indicator = "propaganda_households.pooled"

// GradeGraded is a breakdown of grade_average_or_better: the units of its
// denominator that have a grade at all. The rest of the denominator is not
// yet graded ("Chưa xếp loại"), which the grade distribution shows apart from
// "Yếu" (graded, below Trung bình).
const GradeGraded rules.Indicator = "grade.graded"

// Units counts the units of the subtree, by kind (numerator and denominator
// both): every unit, whatever its facts, so the dashboard can say of how
// many units a denominator is part ("58 doanh nghiệp thuộc diện tính trên
// 244") without walking the subtree. Not a Status bit — Counts.Add counts
// it for every status — and not an indicator a plan can target.
const Units rules.Indicator = "units"

// bits are the Status bits: every indicator, then the breakdowns.
var bits = append(slices.Clone(rules.Indicators), RegistrationOnTime, HouseholdsDisagree, GradeGraded)

// Index returns the bit position of an indicator (or breakdown) in a Status
// mask.
func Index(id rules.Indicator) int { return slices.Index(bits, id) }

// Status is one unit's own contribution: for each indicator bit, whether
// the unit is in the denominator and whether it is in the numerator (a
// numerator bit is only ever set together with its denominator bit).
//
// The mask holds three channels of len(rules.Indicators) bits each (see
// Channels): the official figure (approved facts) in the low bits, the
// provisional one (submitted and approved facts) above it, and above that
// a pending bit (denominator only) for a unit with a fact waiting for
// approval that bears on the indicator.
type Status struct {
	Den uint64
	Num uint64
	// Households and HouseholdsProvisional are, for a commune the household
	// target counts, the coverage it is judged on (its own figure, else its
	// residential areas' sum) in the official and the provisional figure:
	// the commune's part of the pooled household ratio.
	Households, HouseholdsProvisional Coverage
}

// In reports whether the unit counts in the denominator of id.
func (s Status) In(id rules.Indicator) bool { return s.Den&(1<<Index(id)) != 0 }

// Meets reports whether the unit counts in the numerator of id.
func (s Status) Meets(id rules.Indicator) bool { return s.Num&(1<<Index(id)) != 0 }

func (s *Status) set(id rules.Indicator, in, meets bool) {
	if !in {
		return
	}
	bit := uint64(1) << Index(id)
	s.Den |= bit
	if meets {
		s.Num |= bit
	}
}

// Coverage is a propaganda figure: unique households or persons reached.
type Coverage struct {
	Reached int64
	Total   int64
}

// ModelFact is what the models indicator needs of one model.
type ModelFact struct {
	Status    antq.ModelStatus
	Effective bool
}

// Facts is what one unit recorded for a plan, as the indicators need it.
type Facts struct {
	Registered   bool
	RegisteredOn antq.Date // the registration's date, when Registered
	Recognised   bool      // recognition result "đạt"
	Propaganda   *Coverage
	// AreaCoverage is, for a commune, the sum over its residential areas:
	// reached where they report (0 where not), and their totals (the
	// area's household count where it does not report).
	AreaCoverage Coverage
	// AreasReporting is, for a commune, how many of its residential areas
	// report a figure.
	AreasReporting int
	Models         []ModelFact
	Grade          antq.Grade // "" when not graded
}

// Rules is what a plan applies: its targets and the two rule sets that
// decide eligibility (recognition, TT 124) and gradability (QĐ 510).
type Rules struct {
	Plan        *rules.Plan
	Recognition *rules.RuleSet
	Grading     *rules.RuleSet
}

// NewRules picks the recognition and grading rule sets among the plan's.
func NewRules(plan *rules.Plan, sets []*rules.RuleSet) *Rules {
	return &Rules{Plan: plan, Recognition: rules.RecognitionSet(sets), Grading: rules.GradingSet(sets)}
}

// PlanRules is NewRules with the rule sets the catalogue gives the plan.
func PlanRules(c *rules.Catalog, plan *rules.Plan) (*Rules, error) {
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		return nil, err
	}
	return NewRules(plan, sets), nil
}

func eligible(rs *rules.RuleSet, kind antq.UnitKind, flags []rules.Flag) bool {
	if rs == nil {
		return false
	}
	ok, _ := rs.Eligible(kind, flags...)
	return ok
}

// Evaluate computes a unit's own contribution to every indicator of the
// plan. Units of kinds a target does not name, and units the rule sets
// exclude, contribute nothing to it.
func (r *Rules) Evaluate(kind antq.UnitKind, unitFlags antq.UnitFlags, f Facts) Status {
	var s Status
	if r.Plan.Excludes(kind, unitFlags) != nil {
		return s // not among the plan's "đối tượng thi đua"
	}
	flags := rules.UnitFlags(unitFlags)
	canRegister := eligible(r.Recognition, kind, flags)
	gradable := eligible(r.Grading, kind, flags)
	for i := range r.Plan.Targets {
		t := &r.Plan.Targets[i]
		if !t.Counts(kind) {
			continue
		}
		var in bool
		switch t.CountedPopulation() {
		case rules.PopulationAll:
			in = true
		case rules.PopulationTT124Eligible:
			in = canRegister
		case rules.PopulationGradable:
			in = gradable
		}
		switch t.Indicator {
		case rules.IndicatorRegistration:
			s.set(t.Indicator, in, f.Registered)
			s.set(RegistrationOnTime, in && f.Registered, r.onTime(kind, f.RegisteredOn))
		case rules.IndicatorRecognition:
			s.set(t.Indicator, in && f.Registered, f.Recognised)
		case rules.IndicatorPropagandaHouseholds:
			cov := f.AreaCoverage
			if f.Propaganda != nil {
				cov = *f.Propaganda
			}
			s.set(t.Indicator, in, meetsCoverage(t, cov))
			s.set(HouseholdsDisagree, in, Disagree(f))
			if in {
				s.Households = cov
			}
		case rules.IndicatorPropagandaStaff:
			meets := f.Propaganda != nil && meetsCoverage(t, *f.Propaganda)
			s.set(t.Indicator, in, meets)
		case rules.IndicatorModels:
			s.set(t.Indicator, in, meetsModels(t, kind, f.Models))
		case rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
			s.set(t.Indicator, in, f.Grade != "" && f.Grade.Rank() >= minGrade(t.Indicator).Rank())
			if t.Indicator == rules.IndicatorGradeAverageOrBetter {
				s.set(GradeGraded, in, f.Grade != "")
			}
		}
	}
	return s
}

// Disagree reports whether a commune's own household figure and its
// reporting residential areas' sum differ.
func Disagree(f Facts) bool {
	return f.Propaganda != nil && f.AreasReporting > 0 && f.Propaganda.Reached != f.AreaCoverage.Reached
}

// onTime reports whether a registration of a unit of kind on d is in the
// first quarter its checklist asks for (no such criterion: on time).
func (r *Rules) onTime(kind antq.UnitKind, d antq.Date) bool {
	if r.Recognition == nil {
		return true
	}
	cl, ok := r.Recognition.Checklist(kind)
	if !ok {
		return true
	}
	for i := range cl.Criteria {
		c := &cl.Criteria[i]
		if c.EffectiveKind() == rules.CriterionRegistrationQ1 && c.Deadline != nil {
			return rules.QuarterTiming(d, c.Deadline.On(r.Plan.Year)) == rules.TimingOnTime
		}
	}
	return true
}

func minGrade(id rules.Indicator) antq.Grade {
	switch id {
	case rules.IndicatorGradeExcellent:
		return antq.GradeExcellent
	case rules.IndicatorGradeGoodOrBetter:
		return antq.GradeGood
	}
	return antq.GradeAverage
}

// meetsCoverage: reached ÷ total ≥ the target's per-unit threshold, compared
// as exact fractions. No households or persons known means not met.
func meetsCoverage(t *rules.Target, c Coverage) bool {
	if c.Total <= 0 {
		return false
	}
	return t.UnitMeets(rules.Ratio{Num: c.Reached, Den: c.Total})
}

func meetsModels(t *rules.Target, kind antq.UnitKind, models []ModelFact) bool {
	req, ok := t.ModelRequirement(kind)
	if !ok {
		return false
	}
	n := 0
	for _, m := range models {
		if (!req.Effective || m.Effective) && slices.Contains(req.Statuses, m.Status) {
			n++
		}
	}
	return n >= req.Min
}

// Counts are rolled-up figures: numerator and denominator of every
// indicator, per unit kind.
type Counts map[rules.Indicator]map[antq.UnitKind]*Fraction

// Fraction is an integer numerator over an integer denominator.
type Fraction struct {
	Num int64 `json:"numerator"`
	Den int64 `json:"denominator"`
}

// Add adds a unit's status (sign +1) or removes it (sign -1).
func (c Counts) Add(kind antq.UnitKind, s Status, sign int64) {
	for i, id := range channelIDs {
		bit := uint64(1) << i
		if s.Den&bit == 0 {
			continue
		}
		f := c.fraction(id, kind)
		f.Den += sign
		if s.Num&bit != 0 {
			f.Num += sign
		}
	}
	u := c.fraction(Units, kind)
	u.Num += sign
	u.Den += sign
	c.addValue(PooledHouseholds, kind, s.Households, sign)
	c.addValue(Provisional(PooledHouseholds), kind, s.HouseholdsProvisional, sign)
}

// fraction is the sum of indicator id over the units of kind, made empty
// the first time it is asked for.
func (c Counts) fraction(id rules.Indicator, kind antq.UnitKind) *Fraction {
	byKind := c[id]
	if byKind == nil {
		byKind = map[antq.UnitKind]*Fraction{}
		c[id] = byKind
	}
	f := byKind[kind]
	if f == nil {
		f = &Fraction{}
		byKind[kind] = f
	}
	return f
}

// addValue adds a coverage's households reached and households to the
// value sum id (sign -1 removes them).
func (c Counts) addValue(id rules.Indicator, kind antq.UnitKind, v Coverage, sign int64) {
	if v.Reached == 0 && v.Total == 0 {
		return
	}
	f := c.fraction(id, kind)
	f.Num += sign * v.Reached
	f.Den += sign * v.Total
}

// Merge adds every figure of o into c.
func (c Counts) Merge(o Counts) {
	for id, byKind := range o {
		for kind, f := range byKind {
			c.AddFraction(id, kind, *f)
		}
	}
}

// AddFraction adds f to the figure of indicator id for kind (a stored
// count read back, without the map of maps Merge would need).
func (c Counts) AddFraction(id rules.Indicator, kind antq.UnitKind, f Fraction) {
	g := c.fraction(id, kind)
	g.Num += f.Num
	g.Den += f.Den
}

// Total sums an indicator over all kinds.
func (c Counts) Total(id rules.Indicator) Fraction {
	var t Fraction
	for _, f := range c[id] {
		t.Num += f.Num
		t.Den += f.Den
	}
	return t
}

// Figure is an indicator's value for a unit with its target.
type Figure struct {
	ID     rules.Indicator            `json:"id"`
	Title  string                     `json:"title"`
	Num    int64                      `json:"numerator"`
	Den    int64                      `json:"denominator"`
	Value  *float64                   `json:"value"`  // Num/Den, for display; null when Den is 0
	Target string                     `json:"target"` // the target share, e.g. "0.70"
	Met    *bool                      `json:"met"`    // exact comparison (as judged); null when Den is 0
	ByKind map[antq.UnitKind]Fraction `json:"by_kind"`
	// Population is which units of the target's kinds are counted.
	Population rules.Population `json:"population"`
	// Judged is, for a grade indicator, how the plan's reading judges it
	// (the numerator it counts and the share it needs); Met follows it.
	Judged *Judged `json:"judged,omitempty"`
	// MetByKind is, for a target judged per unit kind, whether each kind
	// meets it; Met is then true only when the pooled figure and every kind
	// meet it.
	MetByKind map[antq.UnitKind]bool `json:"met_by_kind,omitempty"`
	// OnTime and Late break the registration numerator down: registered
	// in the first quarter the checklist asks for, or not (a late
	// registration fails the first recognition criterion).
	OnTime *int64 `json:"registered_on_time,omitempty"`
	Late   *int64 `json:"registered_late,omitempty"`
	// Disagreeing is, for propaganda_households, how many communes report
	// a figure of their own that differs from their residential areas'.
	Disagreeing *int64 `json:"disagreeing,omitempty"`
	// Pooled is, for propaganda_households, the pooled household ratio:
	// households reached ÷ households over the communes counted (beside
	// the share of communes meeting the target).
	Pooled *Pooled `json:"pooled,omitempty"`
	// Graded is, for grade_average_or_better, how many units of its
	// denominator have a grade; the others are not graded yet.
	Graded *int64 `json:"graded,omitempty"`
	// Provisional is the figure with submitted facts counted as if
	// approved; Pending the units with a fact waiting for approval that
	// bears on it. Num, Den, Value and Met are the official figure.
	Provisional Standing `json:"provisional"`
	Pending     int64    `json:"pending"`
}

// Judged is a grade figure as the plan's reading (R1 / R2 / R3) reads it.
type Judged struct {
	Reading rules.Reading `json:"reading"`
	Num     int64         `json:"numerator"`
	Target  string        `json:"target"`
}

// Standing is a fraction with its value and whether it meets the target.
type Standing struct {
	Num   int64    `json:"numerator"`
	Den   int64    `json:"denominator"`
	Value *float64 `json:"value"`
	Met   *bool    `json:"met"`
	// Pooled is the provisional pooled household ratio (propaganda_households).
	Pooled *Pooled `json:"pooled,omitempty"`
}

// Pooled is a ratio of summed values: households reached over households,
// with its value (null when no households are known) and whether it reaches
// the per-commune threshold.
type Pooled struct {
	Reached    int64    `json:"households_reached"`
	Households int64    `json:"households"`
	Value      *float64 `json:"value"`
	// AtThreshold: the pooled ratio reaches the target's per-commune
	// threshold (null when no households are known). It is shown, not the
	// target: the target is the share of communes.
	AtThreshold *bool `json:"at_threshold"`
}

func pooled(t *rules.Target, f Fraction) *Pooled {
	p := &Pooled{Reached: f.Num, Households: f.Den}
	if f.Den > 0 {
		v := float64(f.Num) / float64(f.Den)
		ok := t.UnitMeets(rules.Ratio{Num: f.Num, Den: f.Den})
		p.Value, p.AtThreshold = &v, &ok
	}
	return p
}

// Figures turns counts into the plan's figures, in the plan's order.
func (r *Rules) Figures(c Counts) []Figure {
	out := make([]Figure, 0, len(r.Plan.Targets))
	for i := range r.Plan.Targets {
		t := &r.Plan.Targets[i]
		total := c.Total(t.Indicator)
		f := Figure{ID: t.Indicator, Title: t.Title, Num: total.Num, Den: total.Den, Target: t.Share.String(),
			ByKind: map[antq.UnitKind]Fraction{}, Population: t.CountedPopulation()}
		for kind, fr := range c[t.Indicator] {
			if fr.Den != 0 {
				f.ByKind[kind] = *fr
			}
		}
		grade := t.Indicator.MinGrade() != ""
		// judge is the plan's verdict on one fraction (excellent: the
		// grade_excellent numerator over the same units).
		judge := func(fr Fraction, excellent int64) (bool, int64, rules.Ratio) {
			num, share := fr.Num, t.Share
			if grade {
				num, share = r.Plan.Judgement(t, fr.Num, excellent)
			}
			return rules.Ratio{Num: num, Den: fr.Den}.AtLeast(share), num, share
		}
		if total.Den > 0 {
			v := float64(total.Num) / float64(total.Den)
			met, num, share := judge(total, c.Total(rules.IndicatorGradeExcellent).Num)
			f.Value, f.Met = &v, &met
			if grade {
				f.Judged = &Judged{Reading: r.Plan.GradeReading.Code, Num: num, Target: share.String()}
			}
			if t.PerKind {
				f.MetByKind = map[antq.UnitKind]bool{}
				for kind, fr := range f.ByKind {
					var exc int64
					if e := c[rules.IndicatorGradeExcellent][kind]; e != nil {
						exc = e.Num
					}
					ok, _, _ := judge(fr, exc)
					f.MetByKind[kind] = ok
					if !ok {
						*f.Met = false
					}
				}
			}
		}
		if t.Indicator == rules.IndicatorPropagandaHouseholds {
			n := c.Total(HouseholdsDisagree).Num
			f.Disagreeing = &n
			f.Pooled = pooled(t, c.Total(PooledHouseholds))
		}
		if t.Indicator == rules.IndicatorGradeAverageOrBetter {
			g := c.Total(GradeGraded).Num
			f.Graded = &g
		}
		if t.Indicator == rules.IndicatorRegistration {
			on := c.Total(RegistrationOnTime).Num
			late := total.Num - on
			f.OnTime, f.Late = &on, &late
		}
		// The provisional figure is judged the same way, over the
		// provisional channel.
		prov := c.Total(Provisional(t.Indicator))
		f.Provisional = Standing{Num: prov.Num, Den: prov.Den}
		if prov.Den > 0 {
			v := float64(prov.Num) / float64(prov.Den)
			met, _, _ := judge(prov, c.Total(Provisional(rules.IndicatorGradeExcellent)).Num)
			if t.PerKind {
				for kind, fr := range c[Provisional(t.Indicator)] {
					if fr.Den == 0 {
						continue
					}
					var exc int64
					if e := c[Provisional(rules.IndicatorGradeExcellent)][kind]; e != nil {
						exc = e.Num
					}
					if ok, _, _ := judge(*fr, exc); !ok {
						met = false
					}
				}
			}
			f.Provisional.Value, f.Provisional.Met = &v, &met
		}
		if t.Indicator == rules.IndicatorPropagandaHouseholds {
			f.Provisional.Pooled = pooled(t, c.Total(Provisional(PooledHouseholds)))
		}
		f.Pending = c.Total(Pending(t.Indicator)).Den
		out = append(out, f)
	}
	return out
}

// GradeBucket is one part of a unit's grade distribution: the units of the
// grade_average_or_better denominator by grade, the ungraded apart.
type GradeBucket string

const (
	BucketExcellent GradeBucket = "xuat_sac"
	BucketGood      GradeBucket = "kha"
	BucketAverage   GradeBucket = "trung_binh"
	BucketWeak      GradeBucket = "yeu"
	BucketUngraded  GradeBucket = "chua_xep_loai"
)

// GradeBuckets are the buckets in the order the distribution shows them.
var GradeBuckets = gradeBuckets.Codes()

var gradeBuckets = antq.CodeList[GradeBucket]{
	{Code: BucketExcellent, Label: "Xuất sắc"},
	{Code: BucketGood, Label: "Khá"},
	{Code: BucketAverage, Label: "Trung bình"},
	{Code: BucketWeak, Label: "Yếu"},
	{Code: BucketUngraded, Label: "Chưa xếp loại"},
}

// Label is the bucket's name as users read it.
func (b GradeBucket) Label() string { return gradeBuckets.Label(b) }

// Masks say which units a bucket holds, on their official status: those
// whose denominator mask has den and whose numerator mask has every bit of
// must and none of not. ok is false for an unknown bucket.
func (b GradeBucket) Masks() (den, must, not uint64, ok bool) {
	bit := func(id rules.Indicator) uint64 { return 1 << Index(id) }
	den = bit(GradeGraded)
	switch b {
	case BucketExcellent:
		return den, bit(rules.IndicatorGradeExcellent), 0, true
	case BucketGood:
		return den, bit(rules.IndicatorGradeGoodOrBetter), bit(rules.IndicatorGradeExcellent), true
	case BucketAverage:
		return den, bit(rules.IndicatorGradeAverageOrBetter), bit(rules.IndicatorGradeGoodOrBetter), true
	case BucketWeak:
		return den, bit(GradeGraded), bit(rules.IndicatorGradeAverageOrBetter), true
	case BucketUngraded:
		return den, 0, bit(GradeGraded), true
	}
	return 0, 0, 0, false
}

// GradeCounts splits a unit's grade_average_or_better denominator by
// bucket, from its figures (the three cumulative grade figures and the
// graded count); ok is false when the plan lacks one of them or nothing is
// gradable.
func GradeCounts(figs []Figure) (counts map[GradeBucket]int64, total int64, ok bool) {
	var avg, good, exc *Figure
	for i := range figs {
		switch figs[i].ID {
		case rules.IndicatorGradeAverageOrBetter:
			avg = &figs[i]
		case rules.IndicatorGradeGoodOrBetter:
			good = &figs[i]
		case rules.IndicatorGradeExcellent:
			exc = &figs[i]
		}
	}
	if avg == nil || good == nil || exc == nil || avg.Den == 0 || avg.Graded == nil {
		return nil, 0, false
	}
	graded := *avg.Graded
	return map[GradeBucket]int64{
		BucketExcellent: exc.Num,
		BucketGood:      good.Num - exc.Num,
		BucketAverage:   avg.Num - good.Num,
		BucketWeak:      graded - avg.Num,
		BucketUngraded:  avg.Den - graded,
	}, avg.Den, true
}
