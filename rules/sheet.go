package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"antq"
)

// A scoring sheet (bảng điểm thi đua) is how an emulation cluster or block
// (cụm, khối thi đua) scores its members at year end: criteria in groups,
// each with its maximum points. Three kinds of criterion: computed from a
// movement indicator of the member's subtree in the sheet's plan (the
// official figure), scored by people (self-score by the member, reviewed
// score by the cluster), and bonus / deduction points with reasons. The
// tie-break order says how equal totals are told apart. Like rule sets and
// plans, a sheet is versioned JSON data (rules/README.md) and every value
// carries whether the domain reference verified it.

// ScoringKind is how a sheet criterion gets its points.
type ScoringKind string

const (
	ScoringComputed  ScoringKind = "computed"  // from an indicator of the member's subtree
	ScoringScored    ScoringKind = "scored"    // self-score, then the cluster's reviewed score
	ScoringBonus     ScoringKind = "bonus"     // points added, each with a reason
	ScoringDeduction ScoringKind = "deduction" // points taken off, each with a reason
)

// ScoringKinds lists every scoring kind.
var ScoringKinds = scoringKinds.Codes()

var scoringKinds = antq.CodeList[ScoringKind]{
	{Code: ScoringComputed, Label: "Tính từ số liệu phong trào"},
	{Code: ScoringScored, Label: "Chấm điểm"},
	{Code: ScoringBonus, Label: "Điểm thưởng"},
	{Code: ScoringDeduction, Label: "Điểm trừ"},
}

// Label is the Vietnamese name of the scoring kind.
func (k ScoringKind) Label() string { return scoringKinds.Label(k) }

// PointsMethod turns a computed criterion's share into points.
type PointsMethod string

const (
	// MethodLinear: Max × share ÷ target, capped at Max (full points at the
	// target), rounded down to a tenth.
	MethodLinear PointsMethod = "linear"
	// MethodBands: the points of the highest band whose From the share
	// reaches; 0 below every band.
	MethodBands PointsMethod = "bands"
)

// TieBreakKind is one step of a sheet's tie-break order.
type TieBreakKind string

const (
	TieIndicatorCount TieBreakKind = "indicator_count" // more units counted in the indicator's numerator (e.g. more Xuất sắc)
	TieIndicatorShare TieBreakKind = "indicator_share" // the higher share of the indicator
	TieCriterion      TieBreakKind = "criterion"       // more points on one criterion
	TieVote           TieBreakKind = "vote"            // the higher share of votes at the meeting
)

// Sheet is one version of a scoring sheet.
type Sheet struct {
	Format    int          `json:"format" rules:"required"`  // file format version: 1
	ID        string       `json:"id" rules:"required"`      // "binh-phuoc-cum-2023"
	Version   int          `json:"version" rules:"required"` // 1, 2, … a new version replaces the stored one
	Title     string       `json:"title" rules:"required"`
	Source    Citation     `json:"source" rules:"required"` // the province's rule the sheet applies
	Plan      string       `json:"plan" rules:"required"`   // the plan whose official figures feed computed criteria
	Groups    []SheetGroup `json:"groups" rules:"required"`
	TieBreaks []TieBreak   `json:"tie_breaks" rules:"required"`
	Note      string       `json:"note,omitempty"`

	src *source
}

// SheetGroup is a group of criteria (nhóm tiêu chí).
type SheetGroup struct {
	ID       string           `json:"id" rules:"required"`
	Title    string           `json:"title" rules:"required"`
	Criteria []SheetCriterion `json:"criteria" rules:"required"`
}

// SheetCriterion is one line of the sheet.
type SheetCriterion struct {
	ID    string      `json:"id" rules:"required"`
	Title string      `json:"title" rules:"required"`
	Kind  ScoringKind `json:"kind" rules:"required"`
	// Max: the criterion's maximum points (for a deduction, the most that
	// can be taken off).
	Max antq.Tenths `json:"max" rules:"required"`
	// Computed criteria: the indicator of the member's subtree, optionally
	// only over UnitKinds, and how its share becomes points.
	Indicator Indicator       `json:"indicator,omitempty"`
	UnitKinds []antq.UnitKind `json:"unit_kinds,omitempty"`
	Method    PointsMethod    `json:"method,omitempty"`
	Target    *Ratio          `json:"target,omitempty"` // linear: the share that earns Max
	Bands     []SheetBand     `json:"bands,omitempty"`  // bands: ascending From
	Guidance  string          `json:"guidance,omitempty"`
	Ref       string          `json:"ref" rules:"required"`
	Verified  bool            `json:"verified" rules:"required"`
	Note      string          `json:"note,omitempty"`
}

// SheetBand: a share of at least From earns Points.
type SheetBand struct {
	From   Ratio       `json:"from" rules:"required"`
	Points antq.Tenths `json:"points" rules:"required"`
}

// TieBreak is one step of the tie-break order.
type TieBreak struct {
	Kind      TieBreakKind `json:"kind" rules:"required"`
	Title     string       `json:"title" rules:"required"`
	Indicator Indicator    `json:"indicator,omitempty"`
	Criterion string       `json:"criterion,omitempty"`
	Verified  bool         `json:"verified" rules:"required"`
	Note      string       `json:"note,omitempty"`
}

func init() {
	registerEnum("scoring kind", func() []ScoringKind { return ScoringKinds })
	registerEnum("points method", func() []PointsMethod { return []PointsMethod{MethodLinear, MethodBands} })
	registerEnum("tie-break kind", func() []TieBreakKind {
		return []TieBreakKind{TieIndicatorCount, TieIndicatorShare, TieCriterion, TieVote}
	})
}

// LoadSheet reads a scoring sheet file; every error is a LoadErrors with
// line, column and JSON path.
func LoadSheet(file string, data []byte) (*Sheet, error) {
	s := &Sheet{}
	if err := load(file, data, s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sheet) file() *source       { return s.src }
func (s *Sheet) setFile(src *source) { s.src = src }

// Validate checks a sheet built in code; LoadSheet already did.
func (s *Sheet) Validate() error { return checked(s).err() }

func (s *Sheet) check(c *checker) {
	c.format("format", s.Format)
	c.id("id", s.ID)
	c.id("plan", s.Plan)
	if s.Version < 1 {
		c.fail("version", "version %d: want 1 or more", s.Version)
	}
	criteria := map[string]bool{}
	for i := range s.Groups {
		g := &s.Groups[i]
		p := joinIndex("groups", i)
		c.id(p+".id", g.ID)
		if len(g.Criteria) == 0 {
			c.fail(p+".criteria", "a group needs at least one criterion")
		}
		for j := range g.Criteria {
			cr := &g.Criteria[j]
			cp := joinIndex(p+".criteria", j)
			c.id(cp+".id", cr.ID)
			criteria[cr.ID] = true
			checkSheetCriterion(c, cr, cp)
		}
	}
	if len(s.Groups) == 0 {
		c.fail("groups", "a sheet needs at least one group")
	}
	for i, t := range s.TieBreaks {
		p := joinIndex("tie_breaks", i)
		switch t.Kind {
		case TieIndicatorCount, TieIndicatorShare:
			if t.Indicator == "" {
				c.fail(p+".indicator", "tie-break %q needs an indicator", t.Kind)
			}
		case TieCriterion:
			if !criteria[t.Criterion] {
				c.fail(p+".criterion", "no criterion %q in the sheet", t.Criterion)
			}
		}
	}
}

func checkSheetCriterion(c *checker, cr *SheetCriterion, p string) {
	if cr.Max <= 0 {
		c.fail(p+".max", "max must be more than 0")
	}
	computed := cr.Kind == ScoringComputed
	if !computed && (cr.Indicator != "" || cr.Method != "" || cr.Target != nil || len(cr.Bands) > 0 || len(cr.UnitKinds) > 0) {
		c.fail(p+".kind", "only a computed criterion takes indicator, unit_kinds, method, target or bands")
		return
	}
	if !computed {
		return
	}
	if cr.Indicator == "" {
		c.fail(p+".indicator", "a computed criterion needs an indicator")
	}
	switch cr.Method {
	case MethodLinear:
		if cr.Target == nil {
			c.fail(p+".target", "the linear method needs a target share")
		} else if c.share(p+".target", *cr.Target); cr.Target.Num <= 0 {
			c.fail(p+".target", "the target share must be more than 0")
		}
		if len(cr.Bands) > 0 {
			c.fail(p+".bands", "the linear method takes no bands")
		}
	case MethodBands:
		if len(cr.Bands) == 0 {
			c.fail(p+".bands", "the bands method needs at least one band")
		}
		for k, b := range cr.Bands {
			bp := joinIndex(p+".bands", k)
			c.share(bp+".from", b.From)
			if b.Points > cr.Max {
				c.fail(bp+".points", "%s points is more than the criterion's max %s", b.Points, cr.Max)
			}
			if k > 0 && !cr.Bands[k-1].From.Less(b.From) {
				c.fail(bp+".from", "bands must be in ascending order of from")
			}
		}
	default:
		c.fail(p+".method", "a computed criterion needs a method (linear or bands)")
	}
}

// Criteria returns every criterion in sheet order.
func (s *Sheet) Criteria() []*SheetCriterion {
	var out []*SheetCriterion
	for i := range s.Groups {
		for j := range s.Groups[i].Criteria {
			out = append(out, &s.Groups[i].Criteria[j])
		}
	}
	return out
}

// Criterion returns the criterion with id.
func (s *Sheet) Criterion(id string) (*SheetCriterion, bool) {
	for _, c := range s.Criteria() {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Max is the most points the sheet gives (bonus included, deductions not).
func (s *Sheet) Max() antq.Tenths {
	var t antq.Tenths
	for _, c := range s.Criteria() {
		if c.Kind != ScoringDeduction {
			t += c.Max
		}
	}
	return t
}

// Verified reports whether every value of the sheet was verified.
func (s *Sheet) Verified() bool {
	if !s.Source.Verified {
		return false
	}
	for _, c := range s.Criteria() {
		if !c.Verified {
			return false
		}
	}
	return !slices.ContainsFunc(s.TieBreaks, func(t TieBreak) bool { return !t.Verified })
}

// CheckPlan checks that the sheet's plan exists in the catalog and names
// every indicator its computed criteria and tie-breaks use.
func (s *Sheet) CheckPlan(c *Catalog) error {
	p, err := c.Plan(s.Plan)
	if err != nil {
		return fmt.Errorf("sheet %s: plan %q is not loaded", s.ID, s.Plan)
	}
	has := func(id Indicator) bool { _, ok := p.Target(id); return ok }
	for _, cr := range s.Criteria() {
		if cr.Kind == ScoringComputed && !has(cr.Indicator) {
			return fmt.Errorf("sheet %s: criterion %s: plan %s has no target for indicator %q", s.ID, cr.ID, p.ID, cr.Indicator)
		}
	}
	for i, t := range s.TieBreaks {
		if t.Indicator != "" && !has(t.Indicator) {
			return fmt.Errorf("sheet %s: tie_breaks[%d]: plan %s has no target for indicator %q", s.ID, i, p.ID, t.Indicator)
		}
	}
	return nil
}

//go:embed data/sheets/*.json
var sheetFS embed.FS

var embeddedSheets = sync.OnceValues(func() ([]*Sheet, error) {
	names, err := fs.Glob(sheetFS, "data/sheets/*.json")
	if err != nil {
		return nil, err
	}
	var out []*Sheet
	for _, n := range names {
		b, err := sheetFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		s, err := LoadSheet(n, b)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
})

// EmbeddedSheets returns the scoring sheets built into the binary (shared:
// read-only).
func EmbeddedSheets() ([]*Sheet, error) { return embeddedSheets() }

// EmbeddedSheet returns the embedded sheet with id and its file.
func EmbeddedSheet(id string) (*Sheet, []byte, error) {
	sheets, err := embeddedSheets()
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sheets {
		if s.ID == id {
			b, err := sheetFS.ReadFile(s.src.file)
			return s, b, err
		}
	}
	return nil, nil, fmt.Errorf("no embedded sheet %q", id)
}
