package indicator

import (
	"antq"
	"antq/rules"
)

// FailState says why a unit misses a target (issue 16 item 13): the
// failing lists show it, filter on it and sort by how far each unit is from
// the target.
type FailState string

const (
	FailWaiting       FailState = "waiting"         // dossier submitted or reviewed: waiting for the decision
	FailBelow         FailState = "below"           // a figure below the unit's threshold
	FailNotSubmitted  FailState = "not_submitted"   // no dossier, a draft or a returned one
	FailNoData        FailState = "no_data"         // nothing recorded (no registration, figure or model)
	FailDecidedNotMet FailState = "decided_not_met" // decided "Chưa đạt", or graded below the target
)

// FailStates lists the states in the order of their distance from the
// target, closest first.
var FailStates = failStates.Codes()

var failStates = antq.CodeList[FailState]{
	{Code: FailWaiting, Label: "Chờ quyết định"},
	{Code: FailBelow, Label: "Dưới ngưỡng"},
	{Code: FailNotSubmitted, Label: "Chưa gửi hồ sơ"},
	{Code: FailNoData, Label: "Chưa có số liệu"},
	{Code: FailDecidedNotMet, Label: "Đã quyết định chưa đạt"},
}

// Label names the state in Vietnamese ("Chưa đạt" when unknown).
func (s FailState) Label() string { return failStates.LabelOr(s, "Chưa đạt") }

// Valid reports whether s is one of the states.
func (s FailState) Valid() bool { return failStates.Valid(s) }

// Shortfall is how a unit misses a target: the state, and for a figure
// below its threshold how many households or persons are still missing and
// the share it lacks.
type Shortfall struct {
	State   FailState
	Missing int64       // households / persons still needed to reach the threshold
	Gap     rules.Ratio // the threshold minus the unit's coverage
}

// Rank orders shortfalls by distance from the target: by state (FailStates'
// order), then by the share lacking.
func (s Shortfall) Rank() int {
	for i, v := range FailStates {
		if v == s.State {
			return i
		}
	}
	return len(FailStates)
}

// Closer reports whether a is closer to the target than b.
func Closer(a, b Shortfall) bool {
	if ra, rb := a.Rank(), b.Rank(); ra != rb {
		return ra < rb
	}
	ga, gb := a.Gap, b.Gap
	if ga.Den <= 0 {
		ga = rules.Ratio{Num: 0, Den: 1}
	}
	if gb.Den <= 0 {
		gb = rules.Ratio{Num: 0, Den: 1}
	}
	return ga.Cmp(gb) < 0
}

// Classify says how a unit of the target's kinds, with facts f, misses
// target t. dossierState is the state of the unit's year-end dossier the
// target depends on ("" when none; "draft", "submitted", "returned",
// "reviewed", "decided"), used by the recognition and grade targets.
func Classify(t *rules.Target, f Facts, dossierState string) Shortfall {
	switch t.Indicator {
	case rules.IndicatorRegistration:
		return Shortfall{State: FailNoData}
	case rules.IndicatorRecognition, rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
		switch dossierState {
		case "submitted", "reviewed":
			return Shortfall{State: FailWaiting}
		case "decided":
			return Shortfall{State: FailDecidedNotMet}
		}
		if t.Indicator != rules.IndicatorRecognition && f.Grade != "" {
			return Shortfall{State: FailDecidedNotMet} // graded (directly) below the target
		}
		return Shortfall{State: FailNotSubmitted}
	case rules.IndicatorPropagandaHouseholds, rules.IndicatorPropagandaStaff:
		c := f.Propaganda
		if c == nil && t.Indicator == rules.IndicatorPropagandaHouseholds && f.AreaCoverage.Reached > 0 {
			c = &f.AreaCoverage
		}
		if c == nil || c.Total <= 0 || t.UnitThreshold == nil {
			return Shortfall{State: FailNoData}
		}
		th := *t.UnitThreshold
		need := th.MinCount(c.Total) // the smallest count meeting the threshold
		s := Shortfall{State: FailBelow, Missing: max(0, need-c.Reached)}
		s.Gap = rules.Ratio{Num: th.Num*c.Total - th.Den*c.Reached, Den: th.Den * c.Total}
		return s
	case rules.IndicatorModels:
		if len(f.Models) == 0 {
			return Shortfall{State: FailNoData}
		}
		return Shortfall{State: FailBelow} // models recorded, none counting (not effective, or not new)
	}
	return Shortfall{State: FailNoData}
}
