package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
	"antq/rules"
)

// PlanTreeUnit is a unit of a plan's tree with its size on its kind's tree
// date.
type PlanTreeUnit struct {
	Code       string
	Kind       antq.UnitKind
	Flags      antq.UnitFlags
	ParentCode string
	Size       antq.UnitSize
}

// eachTreeDateUnit calls fn with the id and code of every unit version in
// force on some tree date of the plan (rules.Plan.TreeDateGroups); what
// names the read in errors.
func eachTreeDateUnit(ctx context.Context, q querier, plan *rules.Plan, what string, fn func(id int64, code string)) error {
	var id int64
	var code string
	return queryEach(ctx, q, what, func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		fn(id, code)
		return nil
	}, `SELECT id, code FROM units WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $2)`, plan.LatestTreeDate(), plan.EarliestTreeDate())
}

// PlanTreeUnits lists the units of the plan's tree (root first, parents
// before children) within the caller's scope, for generators and exports.
func (db *DB) PlanTreeUnits(ctx context.Context, planID string) ([]PlanTreeUnit, error) {
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if _, err := db.resolve(ctx, db.read, planID, plan.RootUnit); err != nil {
		return nil, err
	}
	tree, err := db.loadPlanTree(ctx, db.read, plan)
	if err != nil {
		return nil, err
	}
	last := plan.LatestTreeDate()
	codes := map[int64]string{}
	if err := eachTreeDateUnit(ctx, db.read, plan, "plan tree", func(id int64, code string) { codes[id] = code }); err != nil {
		return nil, err
	}
	kindOf := make(map[int64]antq.UnitKind, len(tree))
	for _, u := range tree {
		kindOf[u.id] = u.kind
	}
	sizes := map[int64]antq.UnitSize{}
	err = queryEach(ctx, db.read, "plan tree", func(rows *sql.Rows) error {
		var id int64
		var s antq.UnitSize
		if err := rows.Scan(&id, &s.AsOf, &s.Households, &s.Staff, &s.Pupils); err != nil {
			return err
		}
		if kind, ok := kindOf[id]; ok && !plan.KindDate(kind).Before(s.AsOf) {
			sizes[id] = s // ordered by date: the last one by the unit's tree date wins
		}
		return nil
	}, `SELECT unit_id, as_of, households, staff, pupils FROM unit_sizes WHERE as_of <= $1 ORDER BY unit_id, as_of`, last)
	if err != nil {
		return nil, err
	}
	out := make([]PlanTreeUnit, len(tree))
	parentOf := make([]int64, len(tree))
	for i := range tree {
		for _, c := range tree[i].children {
			parentOf[c] = tree[i].id
		}
	}
	for i, u := range tree {
		out[i] = PlanTreeUnit{Code: codes[u.id], Kind: u.kind, Flags: u.flags, ParentCode: codes[parentOf[i]], Size: sizes[u.id]}
	}
	return out, nil
}

// FactCount is how many facts of any kind the plan holds.
func (db *DB) FactCount(ctx context.Context, planID string) (int, error) {
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return 0, err
	}
	planID = factsPlanID(c, plan)
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT
  (SELECT COUNT(*) FROM registrations WHERE plan_id = $1) + (SELECT COUNT(*) FROM propaganda WHERE plan_id = $1) +
  (SELECT COUNT(*) FROM models WHERE plan_id = $1) + (SELECT COUNT(*) FROM incidents WHERE plan_id = $1) +
  (SELECT COUNT(*) FROM recognitions WHERE plan_id = $1) + (SELECT COUNT(*) FROM grades WHERE plan_id = $1) +
  (SELECT COUNT(*) FROM collective_assessments WHERE plan_id = $1)`, planID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("fact count: %w", err)
	}
	return n, nil
}

// treeDateQuery returns query once per day the plan looks at units on
// (rules.Plan.TreeDateGroups), joined by UNION ALL, with its arguments: in
// each part $D is that day and $KINDS the condition that the unit kind
// (the SQL expression kindCol) is one the day is for. The parameters of
// query's parts are numbered after each other; query itself takes none.
func treeDateQuery(plan *rules.Plan, query, kindCol string) (string, []any) {
	var parts []string
	var args []any
	for _, g := range plan.TreeDateGroups() {
		args = append(args, g.On)
		day := fmt.Sprintf("$%d", len(args))
		var kinds []string
		for _, k := range g.Kinds {
			args = append(args, string(k))
			kinds = append(kinds, fmt.Sprintf("$%d", len(args)))
		}
		cond := "1 = 1"
		switch {
		case len(kinds) > 0 && g.Others:
			cond = kindCol + " NOT IN (" + strings.Join(kinds, ", ") + ")"
		case len(kinds) > 0:
			cond = kindCol + " IN (" + strings.Join(kinds, ", ") + ")"
		case !g.Others:
			cond = "1 = 0"
		}
		parts = append(parts, strings.NewReplacer("$D", day, "$KINDS", cond).Replace(query))
	}
	return strings.Join(parts, "\nUNION ALL\n"), args
}
