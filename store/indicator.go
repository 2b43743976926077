package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// The indicators are maintained on write: a fact change recomputes the
// unit's own status (and its commune's, for a residential area) and adjusts
// the counts of every ancestor by the difference, in the fact's own
// transaction. A dashboard read is O(children). Rebuild recomputes
// everything from the facts; incremental == rebuilt is a tested invariant.

// indicatorRules returns the plan's indicator rules.
func (db *DB) indicatorRules(ctx context.Context, plan *rules.Plan) (*indicator.Rules, error) {
	c, err := db.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		return nil, err
	}
	return indicator.NewRules(plan, sets), nil
}

// lockPlan serialises indicator maintenance of one plan. SQLite has a single
// writer already; PostgreSQL takes a transaction-scoped advisory lock, so
// concurrent writers never interleave their count adjustments.
func (db *DB) lockPlan(ctx context.Context, tx *Tx, planID string) error {
	if err := db.dialect.lock(ctx, tx, db.dialect.planLockSQL, planID); err != nil {
		return fmt.Errorf("lock plan: %w", err)
	}
	return nil
}

// built reports whether the plan's indicators have been built.
func (db *DB) built(ctx context.Context, q querier, planID string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_builds WHERE plan_id = $1`, planID).Scan(&n); err != nil {
		return false, fmt.Errorf("plan build: %w", err)
	}
	return n > 0, nil
}

type statusRow struct {
	unitID   int64
	parentID int64
	kind     antq.UnitKind
	children int
	status   indicator.Status
}

func (db *DB) statusRow(ctx context.Context, q querier, planID string, unitID int64) (*statusRow, error) {
	r := statusRow{unitID: unitID}
	var kind string
	err := q.QueryRowContext(ctx, `SELECT parent_id, kind, children, den_mask, num_mask FROM unit_status WHERE plan_id = $1 AND unit_id = $2`,
		planID, unitID).Scan(&r.parentID, &kind, &r.children, &r.status.Den, &r.status.Num)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("unit status: %w", err)
	}
	r.kind = antq.UnitKind(kind)
	return &r, nil
}

// refreshUnitStatus recomputes the unit's status after a fact change and
// carries the difference up the tree; for a residential area it does the
// same for its commune, whose household coverage sums its areas.
//
// Every plan that shares the facts (a plan and the stricter plans that
// detail it) is kept in step.
func (db *DB) refreshUnitStatus(ctx context.Context, tx *Tx, t *factTarget) error {
	c, err := db.Catalog(ctx)
	if err != nil {
		return err
	}
	for _, plan := range c.Plans() {
		if factsPlanID(c, plan) != t.factsID {
			continue
		}
		if ok, err := db.built(ctx, tx, plan.ID); err != nil {
			return err
		} else if !ok {
			continue // not built yet: the first read builds from the facts
		}
		if err := db.lockPlan(ctx, tx, plan.ID); err != nil {
			return err
		}
		r, err := db.indicatorRules(ctx, plan)
		if err != nil {
			return err
		}
		row, err := db.refreshOne(ctx, tx, r, plan, t.unit.ID)
		if err != nil {
			return err
		}
		if row != nil && row.kind == antq.KindResidentialArea && row.parentID != 0 {
			if _, err := db.refreshOne(ctx, tx, r, plan, row.parentID); err != nil {
				return err
			}
		}
	}
	return nil
}

// factsPlanOf returns the id of the plan whose facts plan reads.
func (db *DB) factsPlanOf(ctx context.Context, plan *rules.Plan) (string, error) {
	c, err := db.Catalog(ctx)
	if err != nil {
		return "", err
	}
	return factsPlanID(c, plan), nil
}

func (db *DB) refreshOne(ctx context.Context, tx *Tx, r *indicator.Rules, plan *rules.Plan, unitID int64) (*statusRow, error) {
	row, err := db.statusRow(ctx, tx, plan.ID, unitID)
	if err != nil || row == nil {
		return row, err // a unit outside the plan's tree has no status
	}
	facts, err := db.indicatorFacts(ctx, tx, plan, row)
	if err != nil {
		return nil, err
	}
	var flags antq.UnitFlags
	if err := tx.QueryRowContext(ctx, `SELECT armed_forces, small_enterprise, primary_school FROM units WHERE id = $1`, unitID).
		Scan(&flags.ArmedForces, &flags.SmallEnterprise, &flags.PrimarySchool); err != nil {
		return nil, fmt.Errorf("unit flags: %w", err)
	}
	next := r.Evaluate(row.kind, flags, facts)
	if next == row.status {
		return row, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_status SET den_mask = $1, num_mask = $2 WHERE plan_id = $3 AND unit_id = $4`,
		next.Den, next.Num, plan.ID, unitID); err != nil {
		return nil, fmt.Errorf("unit status: %w", err)
	}
	delta := indicator.Counts{}
	delta.Add(row.kind, row.status, -1)
	delta.Add(row.kind, next, +1)
	targets := []int64{}
	if row.children > 0 {
		targets = append(targets, unitID)
	}
	ancestors, err := db.statusAncestors(ctx, tx, plan.ID, row.parentID)
	if err != nil {
		return nil, err
	}
	if err := db.addCounts(ctx, tx, plan.ID, append(targets, ancestors...), delta); err != nil {
		return nil, err
	}
	row.status = next
	return row, nil
}

// statusAncestors returns id and its ancestors in the plan's tree.
func (db *DB) statusAncestors(ctx context.Context, q querier, planID string, id int64) ([]int64, error) {
	var out []int64
	for id != 0 && len(out) < maxTreeDepth {
		out = append(out, id)
		if err := q.QueryRowContext(ctx, `SELECT parent_id FROM unit_status WHERE plan_id = $1 AND unit_id = $2`, planID, id).Scan(&id); err != nil {
			return nil, fmt.Errorf("ancestors: %w", err)
		}
	}
	return out, nil
}

// addCounts adds delta to the counts of each unit.
func (db *DB) addCounts(ctx context.Context, tx *Tx, planID string, unitIDs []int64, delta indicator.Counts) error {
	for id, byKind := range delta {
		for kind, f := range byKind {
			if f.Num == 0 && f.Den == 0 {
				continue
			}
			for _, u := range unitIDs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_counts (plan_id, unit_id, indicator, kind, num, den) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (plan_id, unit_id, indicator, kind) DO UPDATE SET num = indicator_counts.num + excluded.num, den = indicator_counts.den + excluded.den`,
					planID, u, string(id), string(kind), f.Num, f.Den); err != nil {
					return fmt.Errorf("indicator counts: %w", err)
				}
			}
		}
	}
	return nil
}

// indicatorFacts reads what the indicators need of one unit's facts.
func (db *DB) indicatorFacts(ctx context.Context, q querier, plan *rules.Plan, row *statusRow) (indicator.Facts, error) {
	var f indicator.Facts
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return f, err
	}
	var n int
	var result, grade sql.NullString
	var reached, total sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT
  (SELECT COUNT(*) FROM registrations WHERE plan_id = $1 AND unit_id = $2),
  (SELECT result FROM recognitions WHERE plan_id = $1 AND unit_id = $2),
  (SELECT grade FROM grades WHERE plan_id = $1 AND unit_id = $2),
  (SELECT reached FROM propaganda WHERE plan_id = $1 AND unit_id = $2),
  (SELECT total FROM propaganda WHERE plan_id = $1 AND unit_id = $2)`, factsID, row.unitID).Scan(&n, &result, &grade, &reached, &total)
	if err != nil {
		return f, fmt.Errorf("indicator facts: %w", err)
	}
	f.Registered = n > 0
	f.Recognised = result.String == string(antq.RecognitionDat)
	f.Grade = antq.Grade(grade.String)
	if reached.Valid {
		f.Propaganda = &indicator.Coverage{Reached: reached.Int64, Total: total.Int64}
	}
	rows, err := q.QueryContext(ctx, `SELECT status, effective FROM models WHERE plan_id = $1 AND unit_id = $2`, factsID, row.unitID)
	if err != nil {
		return f, fmt.Errorf("indicator facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m indicator.ModelFact
		var status string
		if err := rows.Scan(&status, &m.Effective); err != nil {
			return f, fmt.Errorf("indicator facts: %w", err)
		}
		m.Status = antq.ModelStatus(status)
		f.Models = append(f.Models, m)
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	if row.kind == antq.KindCommune {
		// Residential areas that report count their figure; the others count
		// 0 reached of their households on the tree date.
		err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(COALESCE(p.reached, 0)), 0),
  COALESCE(SUM(COALESCE(p.total, (SELECT s.households FROM unit_sizes s WHERE s.unit_id = us.unit_id AND s.as_of <= $3 ORDER BY s.as_of DESC LIMIT 1), 0)), 0)
FROM unit_status us LEFT JOIN propaganda p ON p.plan_id = $4 AND p.unit_id = us.unit_id
WHERE us.plan_id = $1 AND us.parent_id = $2 AND us.kind = 'residential_area'`, plan.ID, row.unitID, plan.Window.To, factsID).
			Scan(&f.AreaCoverage.Reached, &f.AreaCoverage.Total)
		if err != nil {
			return f, fmt.Errorf("area coverage: %w", err)
		}
	}
	return f, nil
}

// ---- rebuild ----

// RebuildResult reports a rebuild.
type RebuildResult struct {
	Plan     string        `json:"plan"`
	Units    int           `json:"units"`
	Duration time.Duration `json:"duration"`
}

type treeUnit struct {
	id       int64
	parent   int64
	kind     antq.UnitKind
	flags    antq.UnitFlags
	children []int32 // indexes into the tree slice
	status   indicator.Status
}

// Rebuild recomputes every status and count of the plan from the facts, in
// one transaction.
func (db *DB) Rebuild(ctx context.Context, planID string) (*RebuildResult, error) {
	start := time.Now()
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	r, err := db.indicatorRules(ctx, plan)
	if err != nil {
		return nil, err
	}
	res := &RebuildResult{Plan: plan.ID}
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := db.lockPlan(ctx, tx, plan.ID); err != nil {
			return err
		}
		// The reads run in parallel on the read pool. They see exactly the
		// state this transaction would: it has written nothing yet, and it
		// holds the writer's lock (SQLite) or the plan's lock (PostgreSQL),
		// so no fact change can commit meanwhile.
		var (
			tree   []treeUnit
			facts  *factRows
			stored *storedBuild
			wg     sync.WaitGroup
			errs   [3]error
		)
		wg.Add(3)
		go func() { defer wg.Done(); tree, errs[0] = db.loadPlanTree(ctx, db.read, plan) }()
		go func() { defer wg.Done(); facts, errs[1] = db.loadFactRows(ctx, db.read, plan) }()
		go func() { defer wg.Done(); stored, errs[2] = db.loadStored(ctx, db.read, plan) }()
		wg.Wait()
		if err := errors.Join(errs[:]...); err != nil {
			return err
		}
		evaluateTree(r, tree, facts)
		res.Units = len(tree)
		return db.writeBuildDiff(ctx, tx, plan, tree, stored)
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// RebuildAll rebuilds every plan whose root unit exists.
func (db *DB) RebuildAll(ctx context.Context) ([]*RebuildResult, error) {
	c, err := db.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	var out []*RebuildResult
	for _, p := range c.Plans() {
		res, err := db.Rebuild(ctx, p.ID)
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			continue // the plan's root unit is not loaded here
		} else if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

// invalidateIndicators marks every plan build stale, for changes to the
// tree itself (an import): fact writes stop maintaining the figures and the
// next read rebuilds, writing only what differs from the stored rows.
func (db *DB) invalidateIndicators(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM plan_builds`); err != nil {
		return fmt.Errorf("invalidate indicators: %w", err)
	}
	return nil
}

// loadPlanTree loads the units in force on the plan's tree date under its
// root, root first, every parent before its children.
func (db *DB) loadPlanTree(ctx context.Context, q querier, plan *rules.Plan) ([]treeUnit, error) {
	d := plan.Window.To
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.code, u.kind, u.armed_forces, u.small_enterprise, u.primary_school, COALESCE(l.parent_id, 0)
FROM units u LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= $1 AND (l.valid_to IS NULL OR l.valid_to >= $1)
WHERE u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to >= $1)`, d)
	if err != nil {
		return nil, fmt.Errorf("plan tree: %w", err)
	}
	defer rows.Close()
	var all []treeUnit
	index := map[int64]int32{}
	rootIdx := int32(-1)
	for rows.Next() {
		var u treeUnit
		var code, kind string
		if err := rows.Scan(&u.id, &code, &kind, &u.flags.ArmedForces, &u.flags.SmallEnterprise, &u.flags.PrimarySchool, &u.parent); err != nil {
			return nil, fmt.Errorf("plan tree: %w", err)
		}
		u.kind = antq.UnitKind(kind)
		index[u.id] = int32(len(all))
		if code == plan.RootUnit {
			rootIdx = int32(len(all))
		}
		all = append(all, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("plan tree: %w", err)
	}
	if rootIdx < 0 {
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị gốc %s của kế hoạch %s không có hiệu lực ngày %s", plan.RootUnit, plan.ID, d.VN())
	}
	for i := range all {
		if p, ok := index[all[i].parent]; ok && int32(i) != rootIdx {
			all[p].children = append(all[p].children, int32(i))
		}
	}
	// Breadth-first from the root: parents precede children.
	tree := make([]treeUnit, 0, 1024)
	queue := []int32{rootIdx}
	newIndex := map[int32]int32{}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		u := all[i]
		newIndex[i] = int32(len(tree))
		queue = append(queue, u.children...)
		tree = append(tree, u)
	}
	for i := range tree {
		for j, c := range tree[i].children {
			tree[i].children[j] = newIndex[c]
		}
	}
	tree[0].parent = 0
	return tree, nil
}

// computeStatuses evaluates every unit of the tree from the plan's facts.
func (db *DB) computeStatuses(ctx context.Context, q querier, r *indicator.Rules, plan *rules.Plan, tree []treeUnit) error {
	rows, err := db.loadFactRows(ctx, q, plan)
	if err != nil {
		return err
	}
	evaluateTree(r, tree, rows)
	return nil
}

// factRows are a plan's facts by unit id, as the indicators need them, and
// the residential areas' household counts on the tree date.
type factRows struct {
	byUnit     map[int64]*indicator.Facts
	households map[int64]int64
}

func (f *factRows) of(id int64) *indicator.Facts {
	v := f.byUnit[id]
	if v == nil {
		v = &indicator.Facts{}
		f.byUnit[id] = v
	}
	return v
}

// loadFactRows reads every fact of the plan that the indicators use.
func (db *DB) loadFactRows(ctx context.Context, q querier, plan *rules.Plan) (*factRows, error) {
	out := &factRows{byUnit: map[int64]*indicator.Facts{}, households: map[int64]int64{}}
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return nil, err
	}
	scan := func(query string, arg any, fn func(rows *sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, arg)
		if err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return fmt.Errorf("rebuild: %w", err)
			}
		}
		return rows.Err()
	}
	var id int64
	steps := []struct {
		query string
		arg   any
		fn    func(rows *sql.Rows) error
	}{
		{`SELECT unit_id FROM registrations WHERE plan_id = $1`, factsID, func(rows *sql.Rows) error {
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out.of(id).Registered = true
			return nil
		}},
		{`SELECT unit_id, result FROM recognitions WHERE plan_id = $1`, factsID, func(rows *sql.Rows) error {
			var result string
			if err := rows.Scan(&id, &result); err != nil {
				return err
			}
			out.of(id).Recognised = result == string(antq.RecognitionDat)
			return nil
		}},
		{`SELECT unit_id, grade FROM grades WHERE plan_id = $1`, factsID, func(rows *sql.Rows) error {
			var grade string
			if err := rows.Scan(&id, &grade); err != nil {
				return err
			}
			out.of(id).Grade = antq.Grade(grade)
			return nil
		}},
		{`SELECT unit_id, reached, total FROM propaganda WHERE plan_id = $1`, factsID, func(rows *sql.Rows) error {
			var c indicator.Coverage
			if err := rows.Scan(&id, &c.Reached, &c.Total); err != nil {
				return err
			}
			out.of(id).Propaganda = &c
			return nil
		}},
		{`SELECT unit_id, status, effective FROM models WHERE plan_id = $1`, factsID, func(rows *sql.Rows) error {
			var m indicator.ModelFact
			var status string
			if err := rows.Scan(&id, &status, &m.Effective); err != nil {
				return err
			}
			m.Status = antq.ModelStatus(status)
			f := out.of(id)
			f.Models = append(f.Models, m)
			return nil
		}},
		// Household sizes of residential areas on the tree date, for
		// communes' coverage where an area does not report; ordered by date,
		// so the last one wins.
		{`SELECT s.unit_id, s.households FROM unit_sizes s JOIN units u ON u.id = s.unit_id
WHERE u.kind = 'residential_area' AND s.households IS NOT NULL AND s.as_of <= $1 ORDER BY s.unit_id, s.as_of`, plan.Window.To, func(rows *sql.Rows) error {
			var hh int64
			if err := rows.Scan(&id, &hh); err != nil {
				return err
			}
			out.households[id] = hh
			return nil
		}},
	}
	for _, st := range steps {
		if err := scan(st.query, st.arg, st.fn); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// evaluateTree sets every unit's status from its facts; a commune's
// household coverage sums its residential areas.
func evaluateTree(r *indicator.Rules, tree []treeUnit, rows *factRows) {
	none := &indicator.Facts{}
	facts := func(id int64) *indicator.Facts {
		if f := rows.byUnit[id]; f != nil {
			return f
		}
		return none
	}
	for i := range tree {
		u := &tree[i]
		f := *facts(u.id)
		if u.kind == antq.KindCommune {
			for _, c := range u.children {
				child := &tree[c]
				if child.kind != antq.KindResidentialArea {
					continue
				}
				if p := facts(child.id).Propaganda; p != nil {
					f.AreaCoverage.Reached += p.Reached
					f.AreaCoverage.Total += p.Total
				} else {
					f.AreaCoverage.Total += rows.households[child.id]
				}
			}
		}
		u.status = r.Evaluate(u.kind, u.flags, f)
	}
}

// rollUp returns the counts of every unit with children (index → counts),
// each including the unit's own status.
func rollUp(tree []treeUnit) map[int32]indicator.Counts {
	out := map[int32]indicator.Counts{}
	for i := len(tree) - 1; i >= 0; i-- { // children come after parents
		u := &tree[i]
		if len(u.children) == 0 {
			continue
		}
		c := indicator.Counts{}
		c.Add(u.kind, u.status, 1)
		for _, ch := range u.children {
			if sub, ok := out[ch]; ok {
				c.Merge(sub)
			} else {
				c.Add(tree[ch].kind, tree[ch].status, 1)
			}
		}
		out[int32(i)] = c
	}
	return out
}

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
	den, num int64
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
	rows, err := q.QueryContext(ctx, `SELECT unit_id, parent_id, kind, children, den_mask, num_mask FROM unit_status WHERE plan_id = $1`, plan.ID)
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	for rows.Next() {
		var id int64
		var v statusVal
		if err := rows.Scan(&id, &v.parent, &v.kind, &v.children, &v.den, &v.num); err != nil {
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
		want[u.id] = statusVal{parentOf[i], string(u.kind), len(u.children), int64(u.status.Den), int64(u.status.Num)}
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
		if _, err := tx.ExecContext(ctx, `UPDATE unit_status SET parent_id = $1, kind = $2, children = $3, den_mask = $4, num_mask = $5 WHERE plan_id = $6 AND unit_id = $7`,
			v.parent, v.kind, v.children, v.den, v.num, plan.ID, id); err != nil {
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
	w := db.newBatchInsert(ctx, tx, "unit_status", []string{"plan_id", "unit_id", "parent_id", "kind", "children", "den_mask", "num_mask"}, "")
	for _, id := range insStatus {
		v := want[id]
		if err := w.add(plan.ID, id, v.parent, v.kind, v.children, v.den, v.num); err != nil {
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
	return nil
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
// rebuilt with it.
func (db *DB) IndicatorState(ctx context.Context, planID string) (string, error) {
	var b strings.Builder
	rows, err := db.read.QueryContext(ctx, `SELECT unit_id, parent_id, kind, children, den_mask, num_mask FROM unit_status WHERE plan_id = $1 ORDER BY unit_id`, planID)
	if err != nil {
		return "", fmt.Errorf("indicator state: %w", err)
	}
	for rows.Next() {
		var id, parent, children, den, num int64
		var kind string
		if err := rows.Scan(&id, &parent, &kind, &children, &den, &num); err != nil {
			rows.Close()
			return "", fmt.Errorf("indicator state: %w", err)
		}
		fmt.Fprintf(&b, "status %d parent=%d %s children=%d den=%b num=%b\n", id, parent, kind, children, den, num)
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
