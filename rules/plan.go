package rules

import (
	"slices"

	"antq"
)

// Indicator identifies one of the movement's computed figures (DESIGN §3).
type Indicator string

const (
	IndicatorRegistration         Indicator = "registration"
	IndicatorRecognition          Indicator = "recognition"
	IndicatorPropagandaHouseholds Indicator = "propaganda_households"
	IndicatorPropagandaStaff      Indicator = "propaganda_staff"
	IndicatorModels               Indicator = "models"
	IndicatorGradeAverageOrBetter Indicator = "grade_average_or_better"
	IndicatorGradeGoodOrBetter    Indicator = "grade_good_or_better"
	IndicatorGradeExcellent       Indicator = "grade_excellent"
)

// Indicators lists every indicator in display order.
var Indicators = []Indicator{
	IndicatorRegistration, IndicatorRecognition, IndicatorPropagandaHouseholds,
	IndicatorPropagandaStaff, IndicatorModels, IndicatorGradeAverageOrBetter,
	IndicatorGradeGoodOrBetter, IndicatorGradeExcellent,
}

// PerUnitThreshold reports whether the indicator first tests each unit
// against a threshold (households or staff reached) and then counts the
// units that meet it.
func (i Indicator) PerUnitThreshold() bool {
	return i == IndicatorPropagandaHouseholds || i == IndicatorPropagandaStaff
}

// MinGrade is the grade a unit needs to count for a grade indicator ("" for
// the others).
func (i Indicator) MinGrade() Grade {
	switch i {
	case IndicatorGradeAverageOrBetter:
		return GradeAverage
	case IndicatorGradeGoodOrBetter:
		return GradeGood
	case IndicatorGradeExcellent:
		return GradeExcellent
	}
	return ""
}

// Reading is how a plan's "80 % trung bình trở lên, trong đó 50 % khá, 30 %
// xuất sắc" is read (domain reference §10.7).
type Reading string

const (
	// ReadingExclusive (R1): exclusive bands of the total.
	ReadingExclusive Reading = "R1"
	// ReadingCumulative (R2): cumulative floors on all gradable units —
	// share ≥ trung bình, share ≥ khá and share xuất sắc each meet their
	// target; units not graded count as below trung bình.
	ReadingCumulative Reading = "R2"
	// ReadingNested (R3): khá and xuất sắc as shares of the 80 % subset.
	ReadingNested Reading = "R3"
)

// Readings lists the known readings.
var Readings = []Reading{ReadingExclusive, ReadingCumulative, ReadingNested}

// GradeReading is the reading a plan chose, with its explanation.
type GradeReading struct {
	Code  Reading `json:"code" rules:"required"`
	Title string  `json:"title" rules:"required"`
	Note  string  `json:"note,omitempty"`
}

// Plan is a yearly plan of an authority with its targets as data.
type Plan struct {
	Format       int          `json:"format" rules:"required"` // file format version: 1
	ID           string       `json:"id" rules:"required"`     // "binh-phuoc-2023"
	Title        string       `json:"title" rules:"required"`
	Document     LegalRef     `json:"document" rules:"required"` // 31/KH-UBND, 02/02/2023, UBND tỉnh Bình Phước
	Year         int          `json:"year" rules:"required"`
	RootUnit     string       `json:"root_unit" rules:"required"` // official code of the issuing unit: "70"
	Parent       string       `json:"parent,omitempty"`           // id of the plan this one details, if any
	RuleSets     []string     `json:"rule_sets" rules:"required"`
	Window       Period       `json:"window" rules:"required"`
	GradeReading GradeReading `json:"grade_reading" rules:"required"`
	Note         string       `json:"note,omitempty"`
	Deadlines    []Deadline   `json:"deadlines,omitempty"`
	Targets      []Target     `json:"targets" rules:"required"`
	// Approval names who approves each kind's facts (rules/approval.go);
	// kinds it does not name take the default, the managing level above.
	Approval []ApproverRule `json:"approval,omitempty"`
	// TreeDates names the day the plan takes the tree and sizes of each
	// unit kind (rules/tree_date.go); kinds it does not name are taken on
	// the last day of Window.
	TreeDates []TreeDate `json:"tree_dates,omitempty"`
	// Exclusions leave units out of the movement as the plan's "đối tượng
	// thi đua" reads (an enterprise without legal personality): they count
	// in no target and record no fact.
	Exclusions []Exclusion `json:"exclusions,omitempty"`
	// Contents are the plan's contents of emulation (nội dung thi đua; six
	// in Kế hoạch 31/KH-UBND), in order: the year-end and interim reports
	// are structured by them, each with the figures of its indicators.
	Contents []Content `json:"contents,omitempty"`
	// RegistryFigures are the plan's figures computed from the registry of
	// models (rules/registry.go).
	RegistryFigures []RegistryFigure `json:"registry_figures,omitempty"`

	src *source
}

// Content is one content of emulation of a plan: its number and title, the
// plan's own words, and the indicators whose figures report on it.
type Content struct {
	Number     int         `json:"number" rules:"required"`
	Title      string      `json:"title" rules:"required"`
	Text       string      `json:"text,omitempty"`
	Indicators []Indicator `json:"indicators,omitempty"`
	// Models: the report lists the models and exemplary cases here.
	Models bool `json:"models,omitempty"`
}

// Target is one numeric target of a plan: the rolled-up Indicator over units
// of UnitKinds must reach Share. For the propaganda indicators a unit first
// counts as meeting when its own coverage reaches UnitThreshold.
type Target struct {
	Indicator     Indicator       `json:"indicator" rules:"required"`
	Title         string          `json:"title" rules:"required"`
	UnitKinds     []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Share         Ratio           `json:"share" rules:"required"`
	UnitThreshold *Ratio          `json:"unit_threshold,omitempty"`
	// ModelRequirements: for the models indicator, what counts per kind.
	ModelRequirements []ModelRequirement `json:"model_requirements,omitempty"`
	// Population is which units of UnitKinds the target counts (default:
	// DefaultPopulation of the indicator); PopulationRef cites the source
	// of that choice.
	Population    Population `json:"population,omitempty"`
	PopulationRef string     `json:"population_ref,omitempty"`
	// PerKind: the target is judged for each unit kind as well as pooled;
	// the figure meets it only when both do.
	PerKind bool   `json:"per_kind,omitempty"`
	Quote   string `json:"quote,omitempty"` // the plan's own words
	Note    string `json:"note,omitempty"`
}

// Population is which units of a target's kinds a target counts.
type Population string

const (
	// PopulationAll: every unit of the target's kinds the plan names.
	PopulationAll Population = "all"
	// PopulationTT124Eligible: only the units the recognition rule set
	// (TT 124) covers — without its exclusions (armed forces, small
	// enterprises, primary schools).
	PopulationTT124Eligible Population = "tt124_eligible"
	// PopulationGradable: only the units the grading rule set (QĐ 510)
	// grades.
	PopulationGradable Population = "gradable"
)

// Populations lists the known populations.
var Populations = []Population{PopulationAll, PopulationTT124Eligible, PopulationGradable}

// DefaultPopulation is the population of a target that names none: the
// rule set that decides the indicator's units (TT 124 for registration,
// recognition, staff propaganda and models; QĐ 510 for grades), all
// communes for household propaganda.
func (i Indicator) DefaultPopulation() Population {
	switch {
	case i == IndicatorPropagandaHouseholds:
		return PopulationAll
	case i.MinGrade() != "":
		return PopulationGradable
	}
	return PopulationTT124Eligible
}

// CountedPopulation is the target's population, or its indicator's default.
func (t *Target) CountedPopulation() Population {
	if t.Population != "" {
		return t.Population
	}
	return t.Indicator.DefaultPopulation()
}

// Judgement is how a plan's grade reading judges a grade target: the
// numerator counted and the share it must reach (domain reference §10.7).
//   - R2 (cumulative floors): the indicator's own numerator and share.
//   - R1 (exclusive bands): "khá" counts the units graded exactly khá
//     (khá or better minus xuất sắc); the others as R2.
//   - R3 (shares of the "trung bình or better" subset): the khá and xuất
//     sắc shares are multiplied by the trung bình share (50 % × 80 % = 40 %,
//     30 % × 80 % = 24 %), counted cumulatively.
//
// excellent is the numerator of grade_excellent over the same units; avg
// the share of the grade_average_or_better target (nil when the plan has
// none: R3 then judges as R2).
func (p *Plan) Judgement(t *Target, num, excellent int64) (int64, Ratio) {
	share := t.Share
	switch p.GradeReading.Code {
	case ReadingExclusive:
		if t.Indicator == IndicatorGradeGoodOrBetter {
			num -= excellent
		}
	case ReadingNested:
		if t.Indicator == IndicatorGradeGoodOrBetter || t.Indicator == IndicatorGradeExcellent {
			if avg, ok := p.Target(IndicatorGradeAverageOrBetter); ok {
				share = Ratio{Num: share.Num * avg.Share.Num, Den: share.Den * avg.Share.Den}
			}
		}
	}
	return num, share
}

// ModelRequirement: a unit of UnitKinds meets the models indicator with at
// least Min models (effective ones, when Effective) whose status for the
// year is one of Statuses.
type ModelRequirement struct {
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Min       int             `json:"min" rules:"required"`
	Statuses  []ModelStatus   `json:"statuses" rules:"required"`
	Effective bool            `json:"effective" rules:"required"`
}

// Target returns the plan's target for an indicator.
func (p *Plan) Target(id Indicator) (*Target, bool) {
	for i := range p.Targets {
		if p.Targets[i].Indicator == id {
			return &p.Targets[i], true
		}
	}
	return nil, false
}

// Deadline returns the plan deadline with the given id.
func (p *Plan) Deadline(id string) (*Deadline, bool) {
	for i := range p.Deadlines {
		if p.Deadlines[i].ID == id {
			return &p.Deadlines[i], true
		}
	}
	return nil, false
}

// Met reports whether a rolled-up value meets the target.
func (t *Target) Met(value Ratio) bool { return value.AtLeast(t.Share) }

// UnitMeets reports whether one unit's own coverage meets UnitThreshold
// (always true for indicators without a per-unit threshold).
func (t *Target) UnitMeets(coverage Ratio) bool {
	return t.UnitThreshold == nil || coverage.AtLeast(*t.UnitThreshold)
}

// Counts reports whether units of kind count towards the target.
func (t *Target) Counts(kind antq.UnitKind) bool { return slices.Contains(t.UnitKinds, kind) }

// ModelRequirement returns what a unit of kind needs for the models
// indicator.
func (t *Target) ModelRequirement(kind antq.UnitKind) (*ModelRequirement, bool) {
	for i := range t.ModelRequirements {
		if slices.Contains(t.ModelRequirements[i].UnitKinds, kind) {
			return &t.ModelRequirements[i], true
		}
	}
	return nil, false
}
