package indicator

import (
	"antq"
	"antq/rules"
)

// Restating old figures on today's units: each unit of a plan's tree that
// today's unit descends from (through merges, splits, renames) gives it its
// recorded counts, whole or in the share the reorganisation attributed; a
// part the reorganisation marked "not comparable" makes the figure not
// comparable. Counts are carried in millionths (a share of 40 % of 7 units
// is 2.8 units) so that the parts add up exactly.

// ShareWhole is a whole predecessor, in millionths (antq.ShareWhole).
const ShareWhole = antq.ShareWhole

// Attributed is one predecessor's recorded figures and the part of them
// that today's unit takes.
type Attributed struct {
	Share      int64 // millionths of the predecessor
	Comparable bool  // false: the reorganisation gives no share
	Figures    []Figure
}

// Restated is one target's figure restated on today's unit.
type Restated struct {
	ID     rules.Indicator `json:"id"`
	Title  string          `json:"title"`
	Target string          `json:"target"`
	// Comparable is false when a predecessor that counts in the figure
	// went into today's unit in an unknown part: then no value is given.
	Comparable bool `json:"comparable"`
	// NumMillionths and DenMillionths are the attributed counts times a
	// million (exact sums of the parts).
	NumMillionths int64    `json:"numerator_millionths"`
	DenMillionths int64    `json:"denominator_millionths"`
	Value         *float64 `json:"value"`
	Met           *bool    `json:"met"`
}

// Num is the restated numerator (fractional when a share applies).
func (r Restated) Num() float64 { return float64(r.NumMillionths) / ShareWhole }

// Den is the restated denominator.
func (r Restated) Den() float64 { return float64(r.DenMillionths) / ShareWhole }

// Attribute is the part of one recorded figure that a share takes, in
// millionths of a unit.
func Attribute(count, share int64) int64 { return count * share }

// Restate adds up the attributed parts for every target of the plan and
// judges the sums as the plan judges a recorded figure (its grade reading
// included). A part with no units in a target's denominator does not make
// it incomparable.
func Restate(plan *rules.Plan, parts []Attributed) []Restated {
	out := make([]Restated, 0, len(plan.Targets))
	for i := range plan.Targets {
		t := &plan.Targets[i]
		r := Restated{ID: t.Indicator, Title: t.Title, Target: t.Share.String(), Comparable: true}
		var excellent int64
		for _, p := range parts {
			f := figureOf(p.Figures, t.Indicator)
			if f == nil || f.Den == 0 {
				continue
			}
			if !p.Comparable {
				r.Comparable = false
				continue
			}
			r.NumMillionths += Attribute(f.Num, p.Share)
			r.DenMillionths += Attribute(f.Den, p.Share)
			if e := figureOf(p.Figures, rules.IndicatorGradeExcellent); e != nil {
				excellent += Attribute(e.Num, p.Share)
			}
		}
		if r.Comparable && r.DenMillionths > 0 {
			v := float64(r.NumMillionths) / float64(r.DenMillionths)
			num, share := r.NumMillionths, t.Share
			if t.Indicator.MinGrade() != "" {
				num, share = plan.Judgement(t, num, excellent)
			}
			met := rules.Ratio{Num: num, Den: r.DenMillionths}.AtLeast(share)
			r.Value, r.Met = &v, &met
		}
		out = append(out, r)
	}
	return out
}

func figureOf(fs []Figure, id rules.Indicator) *Figure {
	for i := range fs {
		if fs[i].ID == id {
			return &fs[i]
		}
	}
	return nil
}
