package store

import (
	"context"
	"fmt"
	"strings"

	"antq/indicator"
	"antq/rules"
)

// The stored build of a plan (unit_status, indicator_counts, plan_builds):
// written as the difference from what is there, and read back whole.

// writeBuild replaces the plan's stored statuses and counts.
func (db *DB) writeBuild(ctx context.Context, tx *Tx, plan *rules.Plan, tree []treeUnit) error {
	stored, err := db.loadStored(ctx, tx, plan)
	if err != nil {
		return err
	}
	return db.writeBuildDiff(ctx, tx, plan, tree, stored)
}

type statusVal struct {
	parent   int64
	kind     string
	children int
	status   indicator.Status
}

type countKey struct {
	unit            int64
	indicator, kind string
}

// storedBuild is what a plan's build holds now.
type storedBuild struct {
	statuses map[int64]statusVal
	counts   map[countKey]indicator.Fraction
}

func (db *DB) loadStored(ctx context.Context, q querier, plan *rules.Plan) (*storedBuild, error) {
	st := &storedBuild{statuses: map[int64]statusVal{}, counts: map[countKey]indicator.Fraction{}}
	rows, err := q.QueryContext(ctx, `SELECT unit_id, parent_id, kind, children, `+statusCols+` FROM unit_status WHERE plan_id = $1`, plan.ID)
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	for rows.Next() {
		var id int64
		var v statusVal
		if err := rows.Scan(append([]any{&id, &v.parent, &v.kind, &v.children}, statusDest(&v.status)...)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("rebuild: %w", err)
		}
		st.statuses[id] = v
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT unit_id, indicator, kind, num, den FROM indicator_counts WHERE plan_id = $1`, plan.ID)
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k countKey
		var f indicator.Fraction
		if err := rows.Scan(&k.unit, &k.indicator, &k.kind, &f.Num, &f.Den); err != nil {
			return nil, fmt.Errorf("rebuild: %w", err)
		}
		st.counts[k] = f
	}
	return st, rows.Err()
}

// writeBuildDiff makes the stored build equal the computed tree, writing
// only the rows that differ (or replacing everything when most differ).
func (db *DB) writeBuildDiff(ctx context.Context, tx *Tx, plan *rules.Plan, tree []treeUnit, stored *storedBuild) error {
	parentOf := make([]int64, len(tree))
	for i := range tree {
		for _, c := range tree[i].children {
			parentOf[c] = tree[i].id
		}
	}
	type statusKey = int64
	want := make(map[statusKey]statusVal, len(tree))
	for i := range tree {
		u := &tree[i]
		want[u.id] = statusVal{parentOf[i], string(u.kind), len(u.children), u.status}
	}
	wantCounts := map[countKey]indicator.Fraction{}
	for i, c := range rollUp(tree) {
		for id, byKind := range c {
			for kind, f := range byKind {
				wantCounts[countKey{tree[i].id, string(id), string(kind)}] = *f
			}
		}
	}
	have, haveCounts := stored.statuses, stored.counts

	// New rows go in in tree order (parents before children, siblings
	// together), which keeps a unit's children close on disk for reads.
	var insStatus, updStatus, delStatus []statusKey
	for i := range tree {
		id := tree[i].id
		if old, ok := have[id]; !ok {
			insStatus = append(insStatus, id)
		} else if old != want[id] {
			updStatus = append(updStatus, id)
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			delStatus = append(delStatus, id)
		}
	}
	var insCounts, updCounts, delCounts []countKey
	for k, f := range wantCounts {
		if old, ok := haveCounts[k]; !ok {
			insCounts = append(insCounts, k)
		} else if old != f {
			updCounts = append(updCounts, k)
		}
	}
	for k, f := range haveCounts {
		if _, ok := wantCounts[k]; !ok && (f.Num != 0 || f.Den != 0) {
			delCounts = append(delCounts, k)
		}
	}
	// Mostly different (a first build, a changed rule): replace everything.
	if len(updStatus)+len(delStatus) > len(want)/2 {
		for _, q := range []string{`DELETE FROM indicator_counts WHERE plan_id = $1`, `DELETE FROM unit_status WHERE plan_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, plan.ID); err != nil {
				return fmt.Errorf("rebuild: %w", err)
			}
		}
		insStatus, updStatus, delStatus = insStatus[:0], nil, nil
		for i := range tree {
			insStatus = append(insStatus, tree[i].id)
		}
		insCounts, updCounts, delCounts = insCounts[:0], nil, nil
		for k := range wantCounts {
			insCounts = append(insCounts, k)
		}
	}
	for _, id := range delStatus {
		if _, err := tx.ExecContext(ctx, `DELETE FROM unit_status WHERE plan_id = $1 AND unit_id = $2`, plan.ID, id); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	for _, k := range delCounts {
		if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_counts WHERE plan_id = $1 AND unit_id = $2 AND indicator = $3 AND kind = $4`,
			plan.ID, k.unit, k.indicator, k.kind); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	for _, id := range updStatus {
		v := want[id]
		if _, err := tx.ExecContext(ctx, `UPDATE unit_status SET parent_id = $1, kind = $2, children = $3, den_mask = $4, num_mask = $5,
  hh_reached = $6, hh_total = $7, hh_reached_p = $8, hh_total_p = $9 WHERE plan_id = $10 AND unit_id = $11`,
			append(append([]any{v.parent, v.kind, v.children}, statusArgs(v.status)...), plan.ID, id)...); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	for _, k := range updCounts {
		f := wantCounts[k]
		if _, err := tx.ExecContext(ctx, `UPDATE indicator_counts SET num = $1, den = $2 WHERE plan_id = $3 AND unit_id = $4 AND indicator = $5 AND kind = $6`,
			f.Num, f.Den, plan.ID, k.unit, k.indicator, k.kind); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	w := db.newBatchInsert(ctx, tx, "unit_status", []string{"plan_id", "unit_id", "parent_id", "kind", "children",
		"den_mask", "num_mask", "hh_reached", "hh_total", "hh_reached_p", "hh_total_p"}, "")
	for _, id := range insStatus {
		v := want[id]
		if err := w.add(append([]any{plan.ID, id, v.parent, v.kind, v.children}, statusArgs(v.status)...)...); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	w = db.newBatchInsert(ctx, tx, "indicator_counts", []string{"plan_id", "unit_id", "indicator", "kind", "num", "den"}, "")
	for _, k := range insCounts {
		f := wantCounts[k]
		if err := w.add(plan.ID, k.unit, k.indicator, k.kind, f.Num, f.Den); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_builds (plan_id, tree_date, units, built_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (plan_id) DO UPDATE SET tree_date = excluded.tree_date, units = excluded.units, built_at = excluded.built_at`,
		plan.ID, plan.Window.To, len(tree), tx.now)
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	return db.writeTreeOrderOf(ctx, tx, plan.ID, tree) // plan_tree_order.go
}

// ensureBuilt builds the plan's indicators on first use.
func (db *DB) ensureBuilt(ctx context.Context, plan *rules.Plan) error {
	ok, err := db.built(ctx, db.read, plan.ID)
	if err != nil || ok {
		return err
	}
	_, err = db.Rebuild(ctx, plan.ID)
	return err
}

// IndicatorState returns the plan's stored statuses and counts as canonical
// text (sorted, zero counts left out): two builds are equal when their
// states are. The rebuild check and the tests compare incremental against
// rebuilt with it. A plan not built (never read, or its build invalidated
// by a unit import) has no maintained figures: its state is "".
func (db *DB) IndicatorState(ctx context.Context, planID string) (string, error) {
	if ok, err := db.built(ctx, db.read, planID); err != nil || !ok {
		return "", err
	}
	var b strings.Builder
	rows, err := db.read.QueryContext(ctx, `SELECT unit_id, parent_id, kind, children, `+statusCols+` FROM unit_status WHERE plan_id = $1 ORDER BY unit_id`, planID)
	if err != nil {
		return "", fmt.Errorf("indicator state: %w", err)
	}
	for rows.Next() {
		var id, parent, children int64
		var kind string
		var st indicator.Status
		if err := rows.Scan(append([]any{&id, &parent, &kind, &children}, statusDest(&st)...)...); err != nil {
			rows.Close()
			return "", fmt.Errorf("indicator state: %w", err)
		}
		fmt.Fprintf(&b, "status %d parent=%d %s children=%d den=%b num=%b households=%d/%d provisional=%d/%d\n", id, parent, kind, children,
			st.Den, st.Num, st.Households.Reached, st.Households.Total, st.HouseholdsProvisional.Reached, st.HouseholdsProvisional.Total)
	}
	rows.Close()
	rows, err = db.read.QueryContext(ctx, `SELECT unit_id, indicator, kind, num, den FROM indicator_counts
WHERE plan_id = $1 AND (num <> 0 OR den <> 0) ORDER BY unit_id, indicator, kind`, planID)
	if err != nil {
		return "", fmt.Errorf("indicator state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, num, den int64
		var ind, kind string
		if err := rows.Scan(&id, &ind, &kind, &num, &den); err != nil {
			return "", fmt.Errorf("indicator state: %w", err)
		}
		fmt.Fprintf(&b, "count %d %s %s %d/%d\n", id, ind, kind, num, den)
	}
	return b.String(), rows.Err()
}
