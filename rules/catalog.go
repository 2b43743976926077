package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed data/*.json data/plans/*.json
var dataFS embed.FS

// Catalog holds rule sets and plans by id. It is safe for concurrent use.
// The rule sets and plans it returns are shared: treat them as read-only.
type Catalog struct {
	mu       sync.RWMutex
	ruleSets map[string]*RuleSet
	plans    map[string]*Plan
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{ruleSets: map[string]*RuleSet{}, plans: map[string]*Plan{}}
}

var embedded = sync.OnceValues(loadEmbedded)

// Embedded returns a catalog of the rule sets and plans built into the
// binary. The files are read once; each call returns a fresh catalog, so
// plans added to it do not leak into the next caller's.
func Embedded() (*Catalog, error) {
	base, err := embedded()
	if err != nil {
		return nil, err
	}
	base.mu.RLock()
	defer base.mu.RUnlock()
	c := NewCatalog()
	for id, rs := range base.ruleSets {
		c.ruleSets[id] = rs
	}
	for id, p := range base.plans {
		c.plans[id] = p
	}
	return c, nil
}

func loadEmbedded() (*Catalog, error) {
	c := NewCatalog()
	var errs LoadErrors
	collect := func(err error) {
		if le, ok := err.(LoadErrors); ok {
			errs = append(errs, le...)
		} else if err != nil {
			errs = append(errs, &LoadError{Reason: err.Error()})
		}
	}
	for _, pattern := range []string{"data/*.json", "data/plans/*.json"} {
		files, _ := fs.Glob(dataFS, pattern) // the patterns are valid
		for _, f := range files {
			data, err := dataFS.ReadFile(f)
			if err != nil {
				collect(err)
				continue
			}
			name := "rules/" + f
			if path.Dir(f) == "data" {
				rs, err := LoadRuleSet(name, data)
				if err == nil {
					err = c.AddRuleSet(rs)
				}
				collect(err)
			} else {
				p, err := LoadPlan(name, data)
				if err == nil {
					err = c.AddPlan(p)
				}
				collect(err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// AddRuleSet validates rs and adds it; its id must be new.
func (c *Catalog) AddRuleSet(rs *RuleSet) error {
	v := checked(rs)
	c.mu.Lock()
	defer c.mu.Unlock()
	notLoaded(v, c.ruleSets, rs.ID, "rule set")
	if err := v.err(); err != nil {
		return err
	}
	rs.link()
	c.ruleSets[rs.ID] = rs
	return nil
}

// AddPlan validates p (as "antq plan load FILE" does) and adds it: its id
// must be new, and the rule sets and parent plan it names must be in the
// catalog, in force during the plan's window, and cover its targets' unit
// kinds. Every error is a LoadErrors pointing into p's file.
func (c *Catalog) AddPlan(p *Plan) error {
	v := checked(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	notLoaded(v, c.plans, p.ID, "plan")
	if p.Parent != "" {
		if _, ok := c.plans[p.Parent]; !ok {
			v.fail("parent", "unknown plan %q", p.Parent)
		}
	}
	var sets []*RuleSet
	for i, id := range p.RuleSets {
		rs, ok := c.ruleSets[id]
		switch {
		case !ok:
			v.fail(joinIndex("rule_sets", i), "unknown rule set %q (known: %s)", id, strings.Join(c.ruleSetIDs(), ", "))
		case !inForceDuring(rs, p.Window):
			v.fail(joinIndex("rule_sets", i), "rule set %q is not in force during the plan window %s – %s", id, p.Window.From, p.Window.To)
		default:
			sets = append(sets, rs)
		}
	}
	if len(sets) == len(p.RuleSets) {
		for i, t := range p.Targets {
			needRubric := t.Indicator.MinGrade() != ""
			for j, kind := range t.UnitKinds {
				if !slices.ContainsFunc(sets, func(rs *RuleSet) bool {
					if needRubric {
						_, ok := rs.Rubric(kind)
						return ok
					}
					_, ok := rs.Checklist(kind)
					return ok
				}) {
					what := "checklist"
					if needRubric {
						what = "rubric"
					}
					v.fail(joinIndex(joinIndex("targets", i)+".unit_kinds", j), "no rule set of the plan has a %s for unit kind %q", what, kind)
				}
			}
		}
	}
	if err := v.err(); err != nil {
		return err
	}
	c.plans[p.ID] = p
	return nil
}

// notLoaded fails the id of a file whose id the catalog holds already.
func notLoaded[T any](v *checker, loaded map[string]T, id, noun string) {
	if _, dup := loaded[id]; dup {
		v.fail("id", "%s %q is already loaded", noun, id)
	}
}

func inForceDuring(rs *RuleSet, w Period) bool {
	return !rs.ValidFrom.After(w.To) && (rs.ValidTo == nil || !rs.ValidTo.Before(w.From))
}

func (c *Catalog) ruleSetIDs() []string {
	ids := make([]string, 0, len(c.ruleSets))
	for id := range c.ruleSets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// RuleSet returns the rule set with the given id; the error wraps
// ErrNotFound.
func (c *Catalog) RuleSet(id string) (*RuleSet, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return find(c.ruleSets, id, "rule set")
}

// Plan returns the plan with the given id; the error wraps ErrNotFound.
func (c *Catalog) Plan(id string) (*Plan, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return find(c.plans, id, "plan")
}

// find returns the rule set or plan with the given id; the error wraps
// ErrNotFound.
func find[T any](loaded map[string]*T, id, noun string) (*T, error) {
	if v, ok := loaded[id]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("%s %q: %w", noun, id, ErrNotFound)
}

// RuleSets lists the rule sets by id.
func (c *Catalog) RuleSets() []*RuleSet {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*RuleSet, 0, len(c.ruleSets))
	for _, id := range c.ruleSetIDs() {
		out = append(out, c.ruleSets[id])
	}
	return out
}

// Plans lists the plans by year, then id.
func (c *Catalog) Plans() []*Plan {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*Plan, 0, len(c.plans))
	for _, p := range c.plans {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Plan) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// RuleSetsOf returns the rule sets a plan applies, in its order.
func (c *Catalog) RuleSetsOf(p *Plan) ([]*RuleSet, error) {
	out := make([]*RuleSet, 0, len(p.RuleSets))
	for _, id := range p.RuleSets {
		rs, err := c.RuleSet(id)
		if err != nil {
			return nil, err
		}
		out = append(out, rs)
	}
	return out, nil
}
