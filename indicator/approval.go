package indicator

import (
	"antq"
	"antq/rules"
)

// The approval of facts (draft → submitted → approved | returned) gives
// every indicator two figures and a count: the official figure counts
// approved facts only, the provisional one submitted and approved facts,
// and the pending count the units with a fact waiting that bears on it.
// All three are channels of the same masks and counts, so they are
// maintained on write and rebuilt exactly like the official figure.

// Provisional is the id under which counts keep the provisional figure of id.
func Provisional(id rules.Indicator) rules.Indicator { return id + ":provisional" }

// Pending is the id under which counts keep, as the denominator, the number
// of units with a fact waiting for approval that bears on id.
func Pending(id rules.Indicator) rules.Indicator { return id + ":pending" }

// channelIDs are the ids of every bit of a Status mask, in bit order.
var channelIDs = func() []rules.Indicator {
	n := len(bits)
	out := make([]rules.Indicator, 3*n)
	for i, id := range bits {
		out[i], out[n+i], out[2*n+i] = id, Provisional(id), Pending(id)
	}
	return out
}()

// Waiting says which of a unit's facts wait for approval (are submitted).
type Waiting struct {
	Registration bool
	Propaganda   bool
	Models       bool
	// AreaPropaganda: a residential area of a commune has a propaganda
	// figure waiting (it feeds the commune's household coverage).
	AreaPropaganda bool
}

// bears reports whether a waiting fact bears on the indicator.
func (w Waiting) bears(id rules.Indicator) bool {
	switch id {
	case rules.IndicatorRegistration, rules.IndicatorRecognition, RegistrationOnTime:
		return w.Registration
	case rules.IndicatorPropagandaHouseholds, HouseholdsDisagree:
		return w.Propaganda || w.AreaPropaganda
	case rules.IndicatorPropagandaStaff:
		return w.Propaganda
	case rules.IndicatorModels:
		return w.Models
	}
	return false
}

// EvaluateStates computes a unit's contribution to the official figures
// (from official, its approved facts), the provisional ones (from
// provisional, its submitted and approved facts) and the pending counts.
func (r *Rules) EvaluateStates(kind antq.UnitKind, flags antq.UnitFlags, official, provisional Facts, w Waiting) Status {
	s := r.Evaluate(kind, flags, official)
	p := r.Evaluate(kind, flags, provisional)
	s.HouseholdsProvisional = p.Households
	n := uint(len(bits))
	s.Den |= p.Den << n
	s.Num |= p.Num << n
	for i, id := range bits {
		if p.Den&(1<<i) != 0 && w.bears(id) {
			s.Den |= 1 << (2*n + uint(i))
		}
	}
	return s
}
