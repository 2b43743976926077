package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"antq"
)

// FormatVersion is the file format the loaders read.
const FormatVersion = 1

var codePattern = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// checker collects validation problems located in the source file.
type checker struct {
	src  *source
	errs LoadErrors
	ids  []idUse // every id and code, checked for duplicates at the end
}

type idUse struct{ id, path string }

func newChecker(src *source) *checker { return &checker{src: src} }

func (c *checker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, c.src.errPath(path, fmt.Sprintf(format, args...)))
}

// where names a path for a message: "line 12" when it is in a file.
func (c *checker) where(path string) string {
	if l := c.src.line(path); l > 0 {
		return fmt.Sprintf("line %d", l)
	}
	return path
}

// id checks the form of an id or code and records it; all ids and codes of
// one file share a namespace.
func (c *checker) id(path, id string) {
	if !c.pattern(path, id) {
		return
	}
	c.ids = append(c.ids, idUse{id, path})
}

func (c *checker) pattern(path, id string) bool {
	if id == "" {
		return false // reported as empty by the decoder
	}
	if !codePattern.MatchString(id) {
		c.fail(path, "invalid id %q: use lower-case letters, digits and single '.', '_' or '-' between them", id)
		return false
	}
	return true
}

// err reports the duplicate ids (at the later use in the file) and returns
// every problem, or nil.
func (c *checker) err() error {
	off := func(path string) int { o, _ := c.src.offsetOrZero(path); return o }
	slices.SortStableFunc(c.ids, func(a, b idUse) int { return off(a.path) - off(b.path) })
	first := map[string]string{}
	for _, u := range c.ids {
		if p, dup := first[u.id]; dup {
			c.fail(u.path, "duplicate id %q (first used at %s)", u.id, c.where(p))
			continue
		}
		first[u.id] = u.path
	}
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs.sorted()
}

func (s *source) offsetOrZero(path string) (int, bool) {
	if s == nil {
		return 0, false
	}
	return s.offset(path)
}

func (c *checker) format(path string, v int) {
	if v != FormatVersion {
		c.fail(path, "unsupported format %d (want %d)", v, FormatVersion)
	}
}

// share checks that a ratio lies in [0, 1].
func (c *checker) share(path string, r Ratio) {
	if r.Less(Ratio{0, 1}) || (Ratio{1, 1}).Less(r) {
		c.fail(path, "%s is outside [0, 1]", r)
	}
}

func (c *checker) relDate(path string, r RelDate) bool {
	if why := r.check(); why != "" {
		c.fail(path, "invalid day: %s", why)
		return false
	}
	return true
}

func (c *checker) dateOrder(fromPath, toPath string, from antq.Date, to *antq.Date) {
	if to != nil && to.Before(from) {
		c.fail(toPath, "%s is before %s %s", to, fieldOf(fromPath), from)
	}
}

// Validate checks a rule set built in code; LoadRuleSet already did.
func (rs *RuleSet) Validate() error { return checked(rs).err() }

func (rs *RuleSet) check(c *checker) {
	c.format("format", rs.Format)
	c.id("id", rs.ID)
	c.dateOrder("valid_from", "valid_to", rs.ValidFrom, rs.ValidTo)
	c.dateOrder("source.date", "source.effective", rs.Source.Date, rs.Source.Effective)
	if len(rs.Checklists) == 0 && len(rs.Rubrics) == 0 {
		c.fail("", "a rule set needs at least one checklist or rubric")
	}

	criteria := map[string]bool{}
	for _, cl := range rs.Checklists {
		for _, cr := range cl.Criteria {
			criteria[cr.ID] = true
		}
	}
	outcomes := map[string]bool{}
	for i, o := range rs.OutcomeCategories {
		c.id(joinIndex("outcome_categories", i)+".code", o.Code)
		outcomes[o.Code] = true
	}

	seen := map[antq.UnitKind]string{}
	for i := range rs.Checklists {
		cl := &rs.Checklists[i]
		p := joinIndex("checklists", i)
		c.id(p+".id", cl.ID)
		c.kindsOnce(seen, p+".unit_kinds", cl.UnitKinds, "checklist")
		for j := range cl.Criteria {
			checkCriterion(c, &cl.Criteria[j], joinIndex(p+".criteria", j), criteria, outcomes)
		}
	}

	for i, e := range rs.Exclusions {
		p := joinIndex("exclusions", i)
		c.id(p+".id", e.ID)
		for j, k := range e.UnitKinds {
			if !rs.Covers(k) {
				c.fail(joinIndex(p+".unit_kinds", j), "no checklist or rubric covers unit kind %q", k)
			}
		}
	}

	seen = map[antq.UnitKind]string{}
	for i, w := range rs.Windows {
		p := joinIndex("windows", i)
		c.kindsOnce(seen, p+".unit_kinds", w.UnitKinds, "window")
		if c.relDate(p+".start", w.Start) && c.relDate(p+".end", w.End) {
			if s, e := w.Start.On(2023), w.End.On(2023); e.Before(s) {
				c.fail(p+".end", "window ends (%s) before it starts (%s)", w.End.describe(), w.Start.describe())
			}
		}
	}
	for i, cl := range rs.Checklists {
		for j, k := range cl.UnitKinds {
			if _, ok := seen[k]; !ok {
				c.fail(joinIndex(joinIndex("checklists", i)+".unit_kinds", j), "no evaluation window for unit kind %q", k)
			}
		}
	}

	for i := range rs.Authorities {
		checkAuthority(c, rs.Authorities, i)
	}
	for i, m := range rs.ModelKinds {
		c.id(joinIndex("model_kinds", i)+".code", m.Code)
	}
	for i, d := range rs.Dossier {
		c.id(joinIndex("dossier", i)+".code", d.Code)
	}

	seen = map[antq.UnitKind]string{}
	for i := range rs.Rubrics {
		r := &rs.Rubrics[i]
		p := joinIndex("rubrics", i)
		c.id(p+".id", r.ID)
		c.kindsOnce(seen, p+".unit_kinds", r.UnitKinds, "rubric")
		checkItems(c, r.Items, p)
		if t := r.Total(); t != 1000 {
			c.fail(p+".items", "items total %s points, want 100.0", t)
		}
	}
	if len(rs.Rubrics) > 0 && len(rs.GradeBands) == 0 {
		c.fail("grade_bands", "rubrics need grade bands")
	}
	checkBands(c, rs.GradeBands)
	for i, g := range rs.Gates {
		p := joinIndex("gates", i)
		c.id(p+".id", g.ID)
		at := slices.IndexFunc(rs.GradeBands, func(b GradeBand) bool { return b.Grade == g.Grade })
		switch {
		case at < 0:
			c.fail(p+".grade", "no grade band for %q", g.Grade)
		case at == len(rs.GradeBands)-1:
			c.fail(p+".grade", "the lowest grade %q cannot be gated: some grade must remain", g.Grade)
		}
	}
	for i, d := range rs.Deadlines {
		p := joinIndex("deadlines", i)
		c.id(p+".id", d.ID)
		c.relDate(p+".due", d.Due)
	}
}

// kindsOnce reports a unit kind listed twice in one list or already given
// to another element of the same sort.
func (c *checker) kindsOnce(seen map[antq.UnitKind]string, path string, kinds []antq.UnitKind, what string) {
	for j, k := range kinds {
		p := joinIndex(path, j)
		if first, ok := seen[k]; ok {
			c.fail(p, "unit kind %q already has a %s (%s)", k, what, c.where(first))
			continue
		}
		seen[k] = p
	}
}

func checkCriterion(c *checker, cr *Criterion, p string, criteria, outcomes map[string]bool) {
	c.id(p+".id", cr.ID)
	kind := cr.EffectiveKind()
	only := func(field string, set bool, kinds ...CriterionKind) {
		if set && !slices.Contains(kinds, kind) {
			names := make([]string, len(kinds))
			for i, k := range kinds {
				names[i] = string(k)
			}
			c.fail(p+"."+field, "%s is only allowed when kind is %s (kind is %s)", field, strings.Join(names, " or "), kind)
		}
	}
	need := func(field string, set bool) {
		if !set {
			c.fail(p+"."+field, "missing required field %q (kind %s)", field, kind)
		}
	}
	only("deadline", cr.Deadline != nil, CriterionRegistrationQ1)
	only("min_share", cr.MinShare != nil, CriterionRegistrationQ1, CriterionManual)
	only("share_of", cr.ShareOf != "", CriterionRegistrationQ1, CriterionManual)
	only("subordinate_kinds", len(cr.SubordinateKinds) > 0, CriterionSubordinateRecognition)
	only("registration_min", cr.RegistrationMin != nil, CriterionSubordinateRecognition)
	only("recognition_min", cr.RecognitionMin != nil, CriterionSubordinateRecognition)
	only("min_models", cr.MinModels != 0, CriterionModel)
	only("model_statuses", len(cr.ModelStatuses) > 0, CriterionModel)
	only("veto_items", len(cr.VetoItems) > 0, CriterionVeto)
	only("outcome_categories", len(cr.OutcomeCategories) > 0, CriterionOutcome)
	only("includes", len(cr.Includes) > 0, CriterionIncludes)

	switch kind {
	case CriterionRegistrationQ1:
		need("deadline", cr.Deadline != nil)
	case CriterionVeto:
		need("veto_items", len(cr.VetoItems) > 0)
	case CriterionSubordinateRecognition:
		need("subordinate_kinds", len(cr.SubordinateKinds) > 0)
		need("registration_min", cr.RegistrationMin != nil)
		need("recognition_min", cr.RecognitionMin != nil)
	case CriterionModel:
		need("model_statuses", len(cr.ModelStatuses) > 0)
		if cr.MinModels < 1 {
			c.fail(p+".min_models", "min_models must be at least 1")
		}
	case CriterionIncludes:
		need("includes", len(cr.Includes) > 0)
	}
	if cr.Deadline != nil {
		c.relDate(p+".deadline", *cr.Deadline)
	}
	if (cr.MinShare == nil) != (cr.ShareOf == "") && (kind == CriterionRegistrationQ1 || kind == CriterionManual) {
		c.fail(p, "min_share and share_of must be given together")
	}
	for field, r := range map[string]*Ratio{"min_share": cr.MinShare, "registration_min": cr.RegistrationMin, "recognition_min": cr.RecognitionMin} {
		if r != nil {
			c.share(p+"."+field, *r)
		}
	}
	for i, v := range cr.VetoItems {
		c.id(joinIndex(p+".veto_items", i)+".id", v.ID)
	}
	for i, code := range cr.OutcomeCategories {
		if !outcomes[code] {
			c.fail(joinIndex(p+".outcome_categories", i), "unknown outcome category %q", code)
		}
	}
	for i, id := range cr.Includes {
		switch {
		case id == cr.ID:
			c.fail(joinIndex(p+".includes", i), "criterion %q cannot include itself", id)
		case !criteria[id]:
			c.fail(joinIndex(p+".includes", i), "unknown criterion %q", id)
		}
	}
}

var managingLevels = []antq.UnitKind{antq.KindCommune, antq.KindDistrict, antq.KindProvince, antq.KindNation}

func checkAuthority(c *checker, all []Authority, i int) {
	a := &all[i]
	p := joinIndex("authorities", i)
	c.pattern(p+".authority", a.Authority)
	if a.DecidingLevel != "" && !slices.Contains(managingLevels, a.DecidingLevel) {
		c.fail(p+".deciding_level", "deciding level must be one of commune, district, province, nation, not %q", a.DecidingLevel)
	}
	if !slices.Contains(managingLevels, a.ManagingLevel) {
		c.fail(p+".managing_level", "managing level must be one of commune, district, province, nation, not %q", a.ManagingLevel)
	}
	c.dateOrder(p+".valid_from", p+".valid_to", a.ValidFrom, a.ValidTo)
	for j := range i {
		b := &all[j]
		if b.ManagingLevel != a.ManagingLevel || !overlaps(a, b) {
			continue
		}
		for _, k := range a.UnitKinds {
			if slices.Contains(b.UnitKinds, k) {
				c.fail(p+".valid_from", "overlaps authorities[%d] (%s) for unit kind %q managed at level %q",
					j, c.where(joinIndex("authorities", j)), k, a.ManagingLevel)
				break
			}
		}
	}
}

func overlaps(a, b *Authority) bool {
	return (b.ValidTo == nil || !a.ValidFrom.After(*b.ValidTo)) &&
		(a.ValidTo == nil || !b.ValidFrom.After(*a.ValidTo))
}

func checkItems(c *checker, items []RubricItem, parent string) {
	for i := range items {
		it := &items[i]
		p := joinIndex(parent+".items", i)
		c.id(p+".id", it.ID)
		if it.MaxPoints <= 0 {
			c.fail(p+".max_points", "max_points must be positive")
		}
		if len(it.Items) == 0 {
			continue
		}
		checkItems(c, it.Items, p)
		var sum antq.Tenths
		for _, sub := range it.Items {
			sum += sub.MaxPoints
		}
		if sum != it.MaxPoints {
			c.fail(p+".max_points", "max_points %s differs from the sum of its items %s", it.MaxPoints, sum)
		}
	}
}

func checkBands(c *checker, bands []GradeBand) {
	for i, b := range bands {
		p := joinIndex("grade_bands", i)
		if i == 0 {
			if b.MinPoints > 1000 {
				c.fail(p+".min_points", "min_points %s is above 100.0", b.MinPoints)
			}
			continue
		}
		prev := bands[i-1]
		switch {
		case slices.ContainsFunc(bands[:i], func(o GradeBand) bool { return o.Grade == b.Grade }):
			c.fail(p+".grade", "grade %q has two bands", b.Grade)
		case b.Grade.Rank() >= prev.Grade.Rank():
			c.fail(p+".grade", "bands must run from the best grade down: %q after %q", b.Grade, prev.Grade)
		}
		if b.MinPoints >= prev.MinPoints {
			c.fail(p+".min_points", "min_points %s is not below %s of the band above (%s): bands overlap or are out of order",
				b.MinPoints, prev.MinPoints, prev.Grade)
		}
	}
	if n := len(bands); n > 0 && bands[n-1].MinPoints != 0 {
		c.fail(joinIndex("grade_bands", n-1)+".min_points", "the lowest band must start at 0.0 so that every total gets a grade")
	}
}

// Validate checks a plan built in code; LoadPlan already did. References to
// rule sets and parent plans are checked by Catalog.AddPlan.
func (p *Plan) Validate() error { return checked(p).err() }

func (p *Plan) check(c *checker) {
	c.format("format", p.Format)
	c.id("id", p.ID)
	c.dateOrder("document.date", "document.effective", p.Document.Date, p.Document.Effective)
	if p.Year < 2000 || p.Year > 2100 {
		c.fail("year", "year %d out of range 2000–2100", p.Year)
	}
	if p.Parent != "" && c.pattern("parent", p.Parent) && p.Parent == p.ID {
		c.fail("parent", "a plan cannot be its own parent")
	}
	for i, id := range p.RuleSets {
		path := joinIndex("rule_sets", i)
		if c.pattern(path, id) && slices.Index(p.RuleSets, id) < i {
			c.fail(path, "rule set %q listed twice", id)
		}
	}
	if p.Window.To.Before(p.Window.From) {
		c.fail("window.to", "window ends (%s) before it starts (%s)", p.Window.To, p.Window.From)
	} else if p.Year < p.Window.From.Year() || p.Year > p.Window.To.Year() {
		c.fail("window", "window %s – %s does not include the plan year %d", p.Window.From, p.Window.To, p.Year)
	}
	for i, d := range p.Deadlines {
		path := joinIndex("deadlines", i)
		c.id(path+".id", d.ID)
		c.relDate(path+".due", d.Due)
	}
	for i := range p.Targets {
		checkTarget(c, p.Targets, i)
	}
	checkApproval(c, p.Approval)
	checkTreeDates(c, p)
	checkPlanExclusions(c, p)
	checkRegistryFigures(c, p.RegistryFigures)
	for i, ct := range p.Contents {
		path := joinIndex("contents", i)
		if ct.Number != i+1 {
			c.fail(path+".number", "contents are numbered 1, 2, … in order: %d where %d was expected", ct.Number, i+1)
		}
		for j, id := range ct.Indicators {
			if _, ok := p.Target(id); !ok {
				c.fail(joinIndex(path+".indicators", j), "indicator %q has no target in this plan", id)
			}
		}
	}
}

func checkTarget(c *checker, all []Target, i int) {
	t := &all[i]
	p := joinIndex("targets", i)
	for j := range i {
		if all[j].Indicator == t.Indicator {
			c.fail(p+".indicator", "indicator %q already has a target (%s)", t.Indicator, c.where(joinIndex("targets", j)))
		}
	}
	c.share(p+".share", t.Share)
	if t.Indicator.PerUnitThreshold() {
		if t.UnitThreshold == nil {
			c.fail(p+".unit_threshold", "missing required field %q (indicator %s)", "unit_threshold", t.Indicator)
		} else {
			c.share(p+".unit_threshold", *t.UnitThreshold)
		}
	} else if t.UnitThreshold != nil {
		c.fail(p+".unit_threshold", "unit_threshold is only allowed for %s and %s", IndicatorPropagandaHouseholds, IndicatorPropagandaStaff)
	}
	if t.Indicator != IndicatorModels {
		if len(t.ModelRequirements) > 0 {
			c.fail(p+".model_requirements", "model_requirements is only allowed for indicator %s", IndicatorModels)
		}
		return
	}
	if len(t.ModelRequirements) == 0 {
		c.fail(p+".model_requirements", "missing required field %q (indicator %s)", "model_requirements", t.Indicator)
	}
	covered := map[antq.UnitKind]string{}
	for j, r := range t.ModelRequirements {
		rp := joinIndex(p+".model_requirements", j)
		if r.Min < 1 {
			c.fail(rp+".min", "min must be at least 1")
		}
		c.kindsOnce(covered, rp+".unit_kinds", r.UnitKinds, "model requirement")
		for k, kind := range r.UnitKinds {
			if !t.Counts(kind) {
				c.fail(joinIndex(rp+".unit_kinds", k), "unit kind %q is not among the target's unit_kinds", kind)
			}
		}
	}
	for j, kind := range t.UnitKinds {
		if _, ok := covered[kind]; !ok && len(t.ModelRequirements) > 0 {
			c.fail(joinIndex(p+".unit_kinds", j), "no model requirement for unit kind %q", kind)
		}
	}
}
