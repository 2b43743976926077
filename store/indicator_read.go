package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// UnitFigures is a unit with its figures for every indicator of a plan.
type UnitFigures struct {
	Unit    *antq.Unit
	Figures []indicator.Figure
}

// IndicatorReport is a plan's figures for a unit and each of its children.
// Children whose statuses are equal share one Figures slice: read them,
// never change them.
type IndicatorReport struct {
	Plan     *rules.Plan
	Unit     UnitFigures
	Children []UnitFigures
	// ChildCount is how many children the unit has (IndicatorsPage gives
	// a page of them).
	ChildCount int
	// ListedCount, filled by IndicatorsSummed and OrganisationIndicators,
	// is how many children those reads list in all (Children is a page of
	// them).
	ListedCount int
	// Organisations, filled by IndicatorsSummed only, holds the figures of
	// the organisations directly under the unit (agencies, enterprises,
	// schools: Kind.Organisation), summed, and OrganisationCount how many
	// they are; Children then holds the other children.
	Organisations     []indicator.Figure
	OrganisationCount int
	// Units is how many units of each kind the unit's subtree in the
	// plan's tree holds, the unit itself included.
	Units map[antq.UnitKind]int64
}

// Indicators returns the plan's figures for the unit with code ("" = the
// plan's root) and for each child. It reads stored counts: O(children).
func (db *DB) Indicators(ctx context.Context, planID, code string) (*IndicatorReport, error) {
	return db.indicatorsRead(ctx, planID, code, childrenAll, 0, 0)
}

// IndicatorsPage is Indicators with a page of the children (limit of them
// from offset, in Vietnamese order; limit 0: all) and their count: a page
// costs its own children, not the 1,620 a province may have.
func (db *DB) IndicatorsPage(ctx context.Context, planID, code string, offset, limit int) (*IndicatorReport, error) {
	return db.indicatorsRead(ctx, planID, code, childrenAll, offset, limit)
}

// UnitIndicators is the plan's figures for the unit alone, for a page that
// shows the unit's own cards; ChildCount is not filled.
func (db *DB) UnitIndicators(ctx context.Context, planID, code string) (*IndicatorReport, error) {
	return db.indicatorsRead(ctx, planID, code, childrenNone, 0, 0)
}

// IndicatorsSummed is what the dashboard and the map show: a page (limit
// from offset, in Vietnamese order; limit 0: all) of the children that are
// not organisations, and the organisations the unit manages directly
// (agencies, enterprises, schools: Kind.Organisation) summed into
// Organisations. A province's 1,452 organisations without children are
// read as the few dozen distinct statuses they have (grouped by the
// database), not one row and one set of figures each; those with children
// by their stored counts, summed by the database. The children's and the
// organisations' figures are the official ones (no Provisional, no
// Pending: those pages show them for the unit alone), which halves the
// stored counts a province's 168 communes are read from.
func (db *DB) IndicatorsSummed(ctx context.Context, planID, code string, offset, limit int) (*IndicatorReport, error) {
	return db.indicatorsRead(ctx, planID, code, childrenSummed, offset, limit)
}

// OrganisationIndicators is a page of the organisations directly under the
// unit with their official figures: the dashboard's list of what
// IndicatorsSummed sums.
func (db *DB) OrganisationIndicators(ctx context.Context, planID, code string, offset, limit int) (*IndicatorReport, error) {
	return db.indicatorsRead(ctx, planID, code, childrenOrganisations, offset, limit)
}

// childrenRead is which children an indicators read lists.
type childrenRead int

const (
	childrenAll           childrenRead = iota // every child (or a page of them)
	childrenNone                              // the unit alone
	childrenSummed                            // organisations summed, the others listed
	childrenOrganisations                     // the organisations listed, official figures
)

// organisationKinds is the SQL list of the kinds that are organisations
// (Kind.Organisation): constants of the code, not user input.
var organisationKinds = func() string {
	var q []string
	for _, k := range antq.UnitKinds {
		if k.Organisation() {
			q = append(q, "'"+string(k)+"'")
		}
	}
	return "(" + strings.Join(q, ", ") + ")"
}()

func (db *DB) indicatorsRead(ctx context.Context, planID, code string, which childrenRead, offset, limit int) (*IndicatorReport, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	plan := t.plan
	r := indicator.NewRules(plan, t.ruleSets)
	row, err := db.statusRow(ctx, db.read, plan.ID, t.unit.ID)
	if err != nil {
		return nil, err
	} else if row == nil {
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị %s không thuộc cây đơn vị của kế hoạch %s", code, plan.ID)
	}
	rep := &IndicatorReport{Plan: plan, Unit: UnitFigures{Unit: t.unit}}
	official := which == childrenSummed || which == childrenOrganisations

	// Children with their statuses, in Vietnamese order.
	type child struct {
		unit     *antq.Unit
		children int
		status   indicator.Status
	}
	var children []child
	if which != childrenNone {
		page, only := "", ""
		args := []any{plan.ID, t.unit.ID}
		if limit > 0 {
			page = " LIMIT $3 OFFSET $4" // parameters: one statement text, prepared once
			args = append(args, limit, max(offset, 0))
		}
		switch which {
		case childrenSummed:
			only = " AND us.kind NOT IN " + organisationKinds
		case childrenOrganisations:
			only = " AND us.kind IN " + organisationKinds
		}
		err = queryEach(ctx, db.read, "indicators", func(rows *sql.Rows) error {
			var c child
			c.unit = &antq.Unit{ParentCode: t.unit.Code}
			var kind string
			if err := rows.Scan(&c.unit.ID, &c.unit.Code, &c.unit.Name, &kind, &c.unit.Type, &c.children, &c.status.Den, &c.status.Num,
				&c.status.Households.Reached, &c.status.Households.Total, &c.status.HouseholdsProvisional.Reached, &c.status.HouseholdsProvisional.Total); err != nil {
				return err
			}
			c.unit.Kind = antq.UnitKind(kind)
			children = append(children, c)
			return nil
		}, `SELECT us.unit_id, u.code, u.name, u.kind, u.type_label, us.children, us.den_mask, us.num_mask,
  us.hh_reached, us.hh_total, us.hh_reached_p, us.hh_total_p
FROM unit_status us JOIN units u ON u.id = us.unit_id
WHERE us.plan_id = $1 AND us.parent_id = $2`+only+` ORDER BY u.sort_key, u.code`+page, args...)
		if err != nil {
			return nil, err
		}
		rep.ChildCount = len(children)
		if limit > 0 || official {
			// How many children in all, and how many of them this read
			// lists.
			var total, listed int
			if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN us.kind IN `+organisationKinds+` THEN 1 ELSE 0 END), 0)
FROM unit_status us WHERE us.plan_id = $1 AND us.parent_id = $2`, plan.ID, t.unit.ID).Scan(&total, &listed); err != nil {
				return nil, fmt.Errorf("indicators: %w", err)
			}
			rep.ChildCount = total
			switch which {
			case childrenSummed:
				rep.ListedCount, rep.OrganisationCount = total-listed, listed
			case childrenOrganisations:
				rep.ListedCount = listed
			}
		}
	}

	// The organisations summed by the database: those without children
	// over their distinct statuses, those with children over their stored
	// official counts.
	orgs := indicator.Counts{}
	if which == childrenSummed && rep.OrganisationCount > 0 {
		err = queryEach(ctx, db.read, "indicators", func(rows *sql.Rows) error {
			var kind string
			var s indicator.Status
			var n int64
			if err := rows.Scan(&kind, &s.Den, &s.Num, &s.Households.Reached, &s.Households.Total,
				&s.HouseholdsProvisional.Reached, &s.HouseholdsProvisional.Total, &n); err != nil {
				return err
			}
			orgs.Add(antq.UnitKind(kind), s, n)
			return nil
		}, `SELECT us.kind, us.den_mask, us.num_mask, us.hh_reached, us.hh_total, us.hh_reached_p, us.hh_total_p, COUNT(*)
FROM unit_status us
WHERE us.plan_id = $1 AND us.parent_id = $2 AND us.children = 0 AND us.kind IN `+organisationKinds+`
GROUP BY us.kind, us.den_mask, us.num_mask, us.hh_reached, us.hh_total, us.hh_reached_p, us.hh_total_p`, plan.ID, t.unit.ID)
		if err != nil {
			return nil, err
		}
		err = queryEach(ctx, db.read, "indicators", func(rows *sql.Rows) error {
			var ind, kind string
			var f indicator.Fraction
			if err := rows.Scan(&ind, &kind, &f.Num, &f.Den); err != nil {
				return err
			}
			orgs.AddFraction(rules.Indicator(ind), antq.UnitKind(kind), f)
			return nil
		}, `SELECT c.indicator, c.kind, SUM(c.num), SUM(c.den) FROM indicator_counts c
WHERE c.plan_id = $1 AND c.unit_id IN (SELECT unit_id FROM unit_status
  WHERE plan_id = $1 AND parent_id = $2 AND children > 0 AND kind IN `+organisationKinds+`)
  AND c.indicator NOT LIKE '%:%'
GROUP BY c.indicator, c.kind`, plan.ID, t.unit.ID)
		if err != nil {
			return nil, err
		}
	}

	// Stored counts of the unit and of its (listed) children that have
	// children.
	counts := map[int64]indicator.Counts{}
	whose := `c.unit_id IN (SELECT CAST($2 AS BIGINT) UNION ALL
  SELECT unit_id FROM unit_status WHERE plan_id = $1 AND parent_id = $2 AND children > 0)`
	args := []any{plan.ID, t.unit.ID}
	if limit > 0 || which != childrenAll {
		marks := []string{"$2"}
		for _, c := range children {
			if c.children > 0 {
				args = append(args, c.unit.ID)
				marks = append(marks, fmt.Sprintf("$%d", len(args)))
			}
		}
		whose = "c.unit_id IN (" + strings.Join(marks, ", ") + ")"
	}
	// The subtree's units by kind (indicator.Units) of the unit only; in a
	// summed read, the provisional and pending counts (id:provisional,
	// id:pending) of the unit only too.
	onlyOfficial := ` AND (c.unit_id = $2 OR c.indicator <> 'units')`
	if official {
		onlyOfficial = ` AND (c.unit_id = $2 OR (c.indicator <> 'units' AND c.indicator NOT LIKE '%:%'))`
	}
	err = queryEach(ctx, db.read, "indicators", func(rows *sql.Rows) error {
		var id int64
		var ind, kind string
		var f indicator.Fraction
		if err := rows.Scan(&id, &ind, &kind, &f.Num, &f.Den); err != nil {
			return err
		}
		c := counts[id]
		if c == nil {
			c = indicator.Counts{}
			counts[id] = c
		}
		c.AddFraction(rules.Indicator(ind), antq.UnitKind(kind), f)
		return nil
	}, `SELECT c.unit_id, c.indicator, c.kind, c.num, c.den FROM indicator_counts c
WHERE c.plan_id = $1 AND `+whose+onlyOfficial, args...)
	if err != nil {
		return nil, err
	}
	// A unit without children counts its own status.
	figures := func(id int64, kind antq.UnitKind, hasChildren bool, s indicator.Status) []indicator.Figure {
		if hasChildren {
			return r.Figures(counts[id])
		}
		c := indicator.Counts{}
		c.Add(kind, s, 1)
		return r.Figures(c)
	}
	rep.Unit.Figures = figures(t.unit.ID, row.kind, row.children > 0, row.status)
	rep.Units = map[antq.UnitKind]int64{row.kind: 1}
	if row.children > 0 {
		rep.Units = map[antq.UnitKind]int64{}
		for kind, f := range counts[t.unit.ID][indicator.Units] {
			if f.Den != 0 {
				rep.Units[kind] = f.Den
			}
		}
	}
	// The children's: the figures of equal statuses are computed once
	// (most organisations share a few).
	type leafKey struct {
		kind   antq.UnitKind
		status indicator.Status
	}
	leaves := map[leafKey][]indicator.Figure{}
	for _, c := range children {
		k := leafKey{c.unit.Kind, c.status}
		f, ok := leaves[k]
		if !ok || c.children > 0 {
			if f = figures(c.unit.ID, c.unit.Kind, c.children > 0, c.status); official {
				f = officialOnly(f)
			}
			if c.children == 0 {
				leaves[k] = f
			}
		}
		rep.Children = append(rep.Children, UnitFigures{Unit: c.unit, Figures: f})
	}
	if rep.OrganisationCount > 0 {
		rep.Organisations = officialOnly(r.Figures(orgs))
	}
	return rep, nil
}

// officialOnly is figs without their provisional and pending parts, as a
// summed read gives the children's figures.
func officialOnly(figs []indicator.Figure) []indicator.Figure {
	out := make([]indicator.Figure, len(figs))
	for i, f := range figs {
		f.Provisional, f.Pending = indicator.Standing{}, 0
		out[i] = f
	}
	return out
}

// builtTarget resolves the unit with code ("" = the plan's root) for a read
// of the plan's figures, building them first if they are not.
func (db *DB) builtTarget(ctx context.Context, planID, code string) (*factTarget, error) {
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if code == "" {
		code = plan.RootUnit
	}
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	return t, db.ensureBuilt(ctx, t.plan)
}

// GradedUnit is a unit of a grade bucket, with its grade and score.
type GradedUnit struct {
	Unit   *antq.Unit
	Parent string
	Grade  antq.Grade
	Score  *antq.Tenths
}

// GradeUnits lists the units under code (itself included) in one bucket of
// the grade distribution, on their official figures, in Vietnamese order:
// the drill-down of the dashboard's grade bar.
func (db *DB) GradeUnits(ctx context.Context, planID, code string, b indicator.GradeBucket, offset, limit int) ([]GradedUnit, int, error) {
	den, must, not, ok := b.Masks()
	if !ok {
		return nil, 0, antq.Invalid("Mức xếp loại không hợp lệ", map[string]string{"grade": "chọn Xuất sắc, Khá, Trung bình, Yếu hoặc Chưa xếp loại"})
	}
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, withTargetSubtree(t, "$2")+`
SELECT u.code, u.name, u.kind, u.type_label, COALESCE(p.name, ''), g.grade, g.score_tenths, COUNT(*) OVER ()
FROM sub CROSS JOIN unit_status us
JOIN units u ON u.id = us.unit_id LEFT JOIN units p ON p.id = us.parent_id
LEFT JOIN grades g ON g.plan_id = $3 AND g.unit_id = u.id
WHERE us.plan_id = $2 AND us.unit_id = sub.id AND (us.den_mask & $4) <> 0 AND (us.num_mask & $5) = $5 AND (us.num_mask & $6) = 0
ORDER BY u.sort_key, u.code LIMIT $7 OFFSET $8`, t.unit.ID, t.plan.ID, t.factsPlanID, int64(den), int64(must), int64(not), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("grade units: %w", err)
	}
	defer rows.Close()
	var out []GradedUnit
	total := 0
	for rows.Next() {
		g := GradedUnit{Unit: &antq.Unit{}}
		var kind string
		var grade sql.NullString
		var score sql.NullInt64
		if err := rows.Scan(&g.Unit.Code, &g.Unit.Name, &kind, &g.Unit.Type, &g.Parent, &grade, &score, &total); err != nil {
			return nil, 0, fmt.Errorf("grade units: %w", err)
		}
		g.Unit.Kind, g.Grade, g.Score = antq.UnitKind(kind), antq.Grade(grade.String), tenthsPtr(score)
		out = append(out, g)
	}
	return out, total, rows.Err()
}

// HouseholdCoverage is a commune's or a residential area's own household
// propaganda figure, on approved facts: households reached over
// households. A commune counts its own figure where it reports one, else
// the sum of its residential areas (as the indicator does); an area that has
// not reported counts 0 of its households.
type HouseholdCoverage struct {
	Reached, Total int64
	// Own: the unit reported a figure of its own. For a commune without
	// one, the figure is its areas' (AreasReporting of Areas reported).
	Own                   bool
	AreasReporting, Areas int
}

// HouseholdCoverage returns the unit's own household figure (a commune or a
// residential area; nil for another kind) for the plan.
func (db *DB) HouseholdCoverage(ctx context.Context, planID, code string) (*HouseholdCoverage, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	if !t.unit.Kind.CountsHouseholds() {
		return nil, nil
	}
	f, err := db.indicatorFacts(ctx, db.read, t.plan, &statusRow{unitID: t.unit.ID, kind: t.unit.Kind})
	if err != nil {
		return nil, err
	}
	c := &HouseholdCoverage{AreasReporting: f.AreasReporting}
	switch {
	case f.Propaganda != nil:
		c.Reached, c.Total, c.Own = f.Propaganda.Reached, f.Propaganda.Total, true
	case t.unit.Kind == antq.KindCommune:
		c.Reached, c.Total = f.AreaCoverage.Reached, f.AreaCoverage.Total
	case t.unit.Size.Households != nil:
		c.Total = *t.unit.Size.Households
	}
	if t.unit.Kind == antq.KindCommune {
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_status WHERE plan_id = $1 AND parent_id = $2 AND kind = 'residential_area'`,
			t.plan.ID, t.unit.ID).Scan(&c.Areas); err != nil {
			return nil, fmt.Errorf("household coverage: %w", err)
		}
	}
	return c, nil
}
