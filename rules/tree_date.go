package rules

import (
	"slices"

	"antq"
)

// The day a plan looks at a unit — which tree it hangs in, which parent it
// has, what size it has — is plan data: each TreeDate names the day for
// some unit kinds, relative to the plan year, with its source (TT 124
// Art. 8: residential areas are assessed up to 31/10, the other kinds up to
// 15/11). Kinds no entry names are looked at on the last day of the plan's
// window.

// TreeDate is the day the plan takes the tree and the sizes of units of
// UnitKinds.
type TreeDate struct {
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	On        RelDate         `json:"on" rules:"required"`
	Citation
}

// KindDate is the day the plan looks at units of kind, before the unit's
// own end (see UnitDate).
func (p *Plan) KindDate(kind antq.UnitKind) antq.Date {
	for i := range p.TreeDates {
		if slices.Contains(p.TreeDates[i].UnitKinds, kind) {
			return p.TreeDates[i].On.On(p.Year)
		}
	}
	return p.Window.To
}

// TreeDateGroup is the unit kinds the plan looks at on one day; Others
// marks the group of every kind no TreeDate names (Kinds then lists the
// named kinds it excludes).
type TreeDateGroup struct {
	On     antq.Date
	Kinds  []antq.UnitKind
	Others bool
}

// TreeDateGroups lists the plan's days with their kinds: one group per
// TreeDate, then the plan window's end for every other kind.
func (p *Plan) TreeDateGroups() []TreeDateGroup {
	var out []TreeDateGroup
	var named []antq.UnitKind
	for _, td := range p.TreeDates {
		out = append(out, TreeDateGroup{On: td.On.On(p.Year), Kinds: td.UnitKinds})
		named = append(named, td.UnitKinds...)
	}
	return append(out, TreeDateGroup{On: p.Window.To, Kinds: named, Others: true})
}

// LatestTreeDate is the last of the days the plan looks at units on.
func (p *Plan) LatestTreeDate() antq.Date {
	d := p.Window.To
	for _, g := range p.TreeDateGroups() {
		if d.Before(g.On) {
			d = g.On
		}
	}
	return d
}

// EarliestTreeDate is the first of the days the plan looks at units on.
func (p *Plan) EarliestTreeDate() antq.Date {
	d := p.Window.To
	for _, g := range p.TreeDateGroups() {
		if g.On.Before(d) {
			d = g.On
		}
	}
	return d
}

func checkTreeDates(c *checker, p *Plan) {
	seen := map[antq.UnitKind]string{}
	for i := range p.TreeDates {
		td := &p.TreeDates[i]
		path := joinIndex("tree_dates", i)
		c.kindsOnce(seen, path+".unit_kinds", td.UnitKinds, "tree date")
		if !c.relDate(path+".on", td.On) {
			continue
		}
		if d := td.On.On(p.Year); d.Before(p.Window.From) || p.Window.To.Before(d) {
			c.fail(path+".on", "%s is outside the plan window %s – %s", d, p.Window.From, p.Window.To)
		}
	}
}

// Excludes returns the plan's exclusion that leaves a unit of kind with
// flags out of the movement ("đối tượng thi đua"), or nil: such a unit
// counts in no target and records no fact for the plan.
func (p *Plan) Excludes(kind antq.UnitKind, flags antq.UnitFlags) *Exclusion {
	fl := UnitFlags(flags)
	for i := range p.Exclusions {
		e := &p.Exclusions[i]
		if slices.Contains(e.UnitKinds, kind) && slices.Contains(fl, e.Flag) {
			return e
		}
	}
	return nil
}

func checkPlanExclusions(c *checker, p *Plan) {
	for i, e := range p.Exclusions {
		path := joinIndex("exclusions", i)
		c.id(path+".id", e.ID)
		if !slices.Contains(Flags, e.Flag) {
			c.fail(path+".flag", "unknown flag %q", e.Flag)
		}
	}
}
