package cluster

import (
	"cmp"
	"math/big"
	"slices"
	"strings"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// Score is a member's points on one scored, bonus or deduction criterion:
// the member's own (self) and the cluster's reviewed points, each with a
// note (the reason, for bonus and deduction) and evidence.
type Score struct {
	Criterion    string       `json:"criterion"`
	Self         *antq.Tenths `json:"self"`
	SelfNote     string       `json:"self_note"`
	SelfEvidence string       `json:"self_evidence"`
	SelfBy       string       `json:"self_by,omitempty"`
	Reviewed     *antq.Tenths `json:"reviewed"`
	ReviewedNote string       `json:"reviewed_note"`
	ReviewedBy   string       `json:"reviewed_by,omitempty"`
}

// ScoreInput changes one criterion's points: Self or Reviewed (nil: left
// as it is; Clear removes that side's points).
type ScoreInput struct {
	Criterion    string
	Self         *antq.Tenths
	SelfNote     *string
	SelfEvidence *string
	Reviewed     *antq.Tenths
	ReviewedNote *string
}

// CheckScores checks score changes against the sheet: a known criterion
// that people score, points within 0..max, a reason for bonus and
// deduction points. Errors name the criterion.
func CheckScores(sheet *rules.Sheet, in []ScoreInput) error {
	f := map[string]string{}
	seen := map[string]bool{}
	for i, s := range in {
		key := "scores[" + itoa(i) + "]"
		cr, ok := sheet.Criterion(s.Criterion)
		switch {
		case !ok:
			f[key+".criterion"] = "bảng điểm không có tiêu chí " + s.Criterion
			continue
		case cr.Kind == rules.ScoringComputed:
			f[key+".criterion"] = "tiêu chí " + s.Criterion + " được tính từ số liệu chính thức, không chấm tay"
			continue
		case seen[s.Criterion]:
			f[key+".criterion"] = "tiêu chí " + s.Criterion + " có hai lần"
			continue
		}
		seen[s.Criterion] = true
		check := func(side string, p *antq.Tenths, note *string) {
			if p == nil {
				return
			}
			if *p < 0 || *p > cr.Max {
				f[key+"."+side] = "tiêu chí " + cr.ID + ": điểm " + p.VN() + " ngoài khoảng 0–" + cr.Max.VN()
			}
			if (cr.Kind == rules.ScoringBonus || cr.Kind == rules.ScoringDeduction) && *p > 0 && (note == nil || strings.TrimSpace(*note) == "") {
				f[key+"."+side+"_note"] = "tiêu chí " + cr.ID + ": " + strings.ToLower(cr.Kind.Label()) + " cần ghi lý do"
			}
		}
		check("self", s.Self, s.SelfNote)
		check("reviewed", s.Reviewed, s.ReviewedNote)
	}
	if len(f) > 0 {
		return antq.Invalid("Điểm thi đua không hợp lệ", f)
	}
	return nil
}

// Figures are a member's official figures: per indicator and unit kind,
// the numerator and denominator over the member's subtree.
type Figures map[rules.Indicator]map[antq.UnitKind]indicator.Fraction

// Of sums an indicator over kinds (all kinds when kinds is empty).
func (f Figures) Of(id rules.Indicator, kinds []antq.UnitKind) indicator.Fraction {
	var t indicator.Fraction
	for k, fr := range f[id] {
		if len(kinds) == 0 || slices.Contains(kinds, k) {
			t.Num += fr.Num
			t.Den += fr.Den
		}
	}
	return t
}

// Entrant is one member as the ranking needs it.
type Entrant struct {
	Unit    Unit
	Figures Figures
	Scores  map[string]Score
	// Vote: the best share of votes the member got at the meeting (nil: no
	// vote recorded).
	Vote *rules.Ratio
}

// Line is one criterion of a member's sheet.
type Line struct {
	ID     string      `json:"id"`
	Points antq.Tenths `json:"points"`
	Max    antq.Tenths `json:"max"`
	// Basis: "computed" (from the official figure), "reviewed" (the
	// cluster's score), "self" (the member's own, not reviewed yet), ""
	// (not scored).
	Basis  string              `json:"basis"`
	Figure *indicator.Fraction `json:"figure,omitempty"`
}

// Row is a member's place in the ranking.
type Row struct {
	Unit  Unit        `json:"unit"`
	Total antq.Tenths `json:"total"`
	Rank  int         `json:"rank"`
	Tied  bool        `json:"tied"`
	Lines []Line      `json:"criteria"`
	// DecidedBy is the tie-break step that set this member apart from the
	// one ranked just above it with the same total (-1: the total did).
	DecidedBy int `json:"decided_by"`
	// Keys are the member's tie-break values, for the page.
	Keys []string `json:"keys"`
}

// ComputedPoints turns a share into the criterion's points, exactly, in
// tenths rounded down; no units counted gives 0.
func ComputedPoints(cr *rules.SheetCriterion, f indicator.Fraction) antq.Tenths {
	if f.Den <= 0 {
		return 0
	}
	share := rules.Ratio{Num: f.Num, Den: f.Den}
	switch cr.Method {
	case rules.MethodBands:
		var p antq.Tenths
		for _, b := range cr.Bands {
			if share.AtLeast(b.From) {
				p = b.Points
			}
		}
		return p
	case rules.MethodLinear:
		if cr.Target == nil || cr.Target.Num <= 0 {
			return 0
		}
		// Max × (num/den) ÷ (tNum/tDen) = Max·num·tDen ÷ (den·tNum)
		n := new(big.Int).Mul(big.NewInt(int64(cr.Max)), big.NewInt(f.Num))
		n.Mul(n, big.NewInt(cr.Target.Den))
		d := new(big.Int).Mul(big.NewInt(f.Den), big.NewInt(cr.Target.Num))
		q := new(big.Int).Quo(n, d)
		if q.Cmp(big.NewInt(int64(cr.Max))) > 0 {
			return cr.Max
		}
		return antq.Tenths(q.Int64())
	}
	return 0
}

// Sheet scores one member: every line and the total (bonus added,
// deduction taken off; never below 0).
func Sheet(sheet *rules.Sheet, e Entrant) ([]Line, antq.Tenths) {
	var lines []Line
	var total antq.Tenths
	for _, cr := range sheet.Criteria() {
		l := Line{ID: cr.ID, Max: cr.Max}
		if cr.Kind == rules.ScoringComputed {
			fr := e.Figures.Of(cr.Indicator, cr.UnitKinds)
			l.Points, l.Basis, l.Figure = ComputedPoints(cr, fr), "computed", &fr
		} else if s, ok := e.Scores[cr.ID]; ok {
			switch {
			case s.Reviewed != nil:
				l.Points, l.Basis = *s.Reviewed, "reviewed"
			case s.Self != nil:
				l.Points, l.Basis = *s.Self, "self"
			}
		}
		if cr.Kind == rules.ScoringDeduction {
			total -= l.Points
		} else {
			total += l.Points
		}
		lines = append(lines, l)
	}
	return lines, max(total, 0)
}

// tieKey is a member's value on one tie-break step, compared exactly.
type tieKey struct {
	known bool
	r     rules.Ratio // counts are r/1
}

func (k tieKey) cmp(o tieKey) int {
	switch {
	case k.known && !o.known:
		return 1
	case !k.known && o.known:
		return -1
	case !k.known:
		return 0
	}
	return k.r.Cmp(o.r)
}

func (k tieKey) String() string {
	if !k.known {
		return "—"
	}
	if k.r.Den == 1 {
		return itoa(int(k.r.Num))
	}
	return k.r.Percent(1)
}

func keysOf(sheet *rules.Sheet, e Entrant, lines []Line) []tieKey {
	keys := make([]tieKey, len(sheet.TieBreaks))
	for i, t := range sheet.TieBreaks {
		switch t.Kind {
		case rules.TieIndicatorCount:
			f := e.Figures.Of(t.Indicator, nil)
			keys[i] = tieKey{true, rules.Ratio{Num: f.Num, Den: 1}}
		case rules.TieIndicatorShare:
			if f := e.Figures.Of(t.Indicator, nil); f.Den > 0 {
				keys[i] = tieKey{true, rules.Ratio{Num: f.Num, Den: f.Den}}
			}
		case rules.TieCriterion:
			for _, l := range lines {
				if l.ID == t.Criterion {
					keys[i] = tieKey{true, rules.Ratio{Num: int64(l.Points), Den: 1}}
				}
			}
		case rules.TieVote:
			if e.Vote != nil && e.Vote.Den > 0 {
				keys[i] = tieKey{true, *e.Vote}
			}
		}
	}
	return keys
}

// Rank scores and ranks the entrants: the higher total first; equal totals
// are told apart by the sheet's tie-breaks in order; members still equal
// after every step share a rank and are marked tied (never broken
// silently), listed in the order given (the store gives Vietnamese order).
// Ranks are competition ranks: 1, 2, 2, 4.
func Rank(sheet *rules.Sheet, entrants []Entrant) []Row {
	type scored struct {
		row  Row
		keys []tieKey
		at   int
	}
	all := make([]scored, len(entrants))
	for i, e := range entrants {
		lines, total := Sheet(sheet, e)
		all[i] = scored{row: Row{Unit: e.Unit, Total: total, Lines: lines}, keys: keysOf(sheet, e, lines), at: i}
	}
	compare := func(a, b scored) int { // >0: a ranks above b
		if c := cmp.Compare(a.row.Total, b.row.Total); c != 0 {
			return c
		}
		for i := range a.keys {
			if c := a.keys[i].cmp(b.keys[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		if c := compare(a, b); c != 0 {
			return -c
		}
		return a.at - b.at
	})
	out := make([]Row, len(all))
	for i := range all {
		r := all[i].row
		r.DecidedBy = -1
		for _, k := range all[i].keys {
			r.Keys = append(r.Keys, k.String())
		}
		if i > 0 && compare(all[i-1], all[i]) == 0 {
			r.Rank, r.Tied = out[i-1].Rank, true
			out[i-1].Tied = true
			r.DecidedBy = out[i-1].DecidedBy
		} else {
			r.Rank = i + 1
			if i > 0 && all[i-1].row.Total == r.Total {
				for j := range all[i].keys {
					if all[i-1].keys[j].cmp(all[i].keys[j]) != 0 {
						r.DecidedBy = j
						break
					}
				}
			}
		}
		out[i] = r
	}
	return out
}

// Succession is one reorganisation event seen from a member's unit version
// that it ended: the event's kind, how many versions it ended (froms) and
// started (tos), and whether the member passed only part of itself.
type Succession struct {
	Kind    antq.LineageKind
	Froms   int
	Tos     int
	Partial bool
}

// CarriesFigures reports whether the one version an event started carries
// a member's figures whole, so that a member whose version ended within
// the year (the cluster recorded it as it joined) is ranked on the figures
// of its successor in the plan's tree: a rename or re-type, passing the
// whole unit to exactly one version. A merge does not, even of one unit (it
// may be absorbed by a unit in force, which keeps its own territory and
// figures), nor a split: the successor's figures are not the member's, and
// the member keeps its own (none in a later tree).
func CarriesFigures(s Succession) bool {
	switch s.Kind {
	case antq.LineageRename, antq.LineageRetype:
		return s.Froms == 1 && s.Tos == 1 && !s.Partial
	}
	return false
}
