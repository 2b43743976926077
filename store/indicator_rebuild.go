package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// Rebuild computes a plan's figures from the facts, in Go; the stored
// build is written in indicator_build.go.

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
	plan, r, err := db.planRules(ctx, planID)
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

// loadPlanTree loads the units of the plan's tree under its root, root
// first, every parent before its children: each unit as it stood on its
// kind's tree date (rules.Plan.TreeDateGroups), in force and under the
// parent it had that day.
func (db *DB) loadPlanTree(ctx context.Context, q querier, plan *rules.Plan) ([]treeUnit, error) {
	query, args := treeDateQuery(plan, `SELECT u.id, u.code, u.kind, u.armed_forces, u.small_enterprise, u.primary_school, u.budget_funded, u.no_legal_entity, COALESCE(l.parent_id, 0)
FROM units u LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= $D AND (l.valid_to IS NULL OR l.valid_to >= $D)
WHERE u.valid_from <= $D AND (u.valid_to IS NULL OR u.valid_to >= $D) AND $KINDS`, "u.kind")
	rows, err := q.QueryContext(ctx, query, args...)
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
		if err := rows.Scan(&u.id, &code, &kind, &u.flags.ArmedForces, &u.flags.SmallEnterprise, &u.flags.PrimarySchool, &u.flags.BudgetFunded, &u.flags.NoLegalEntity, &u.parent); err != nil {
			return nil, fmt.Errorf("plan tree: %w", err)
		}
		// A unit competes as the kind the movement counts it as (a
		// budget-funded socio-political organisation as an agency).
		u.kind = antq.CompetingKind(antq.UnitKind(kind), u.flags)
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
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị gốc %s của kế hoạch %s không có hiệu lực vào ngày kế hoạch lấy cây đơn vị", plan.RootUnit, plan.ID)
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

// factRows are a plan's facts by unit id, as the indicators need them —
// approved facts for the official figures, submitted and approved ones for
// the provisional figures, and which wait — and the residential areas'
// household counts on the tree date.
type factRows struct {
	official, provisional map[int64]*indicator.Facts
	waiting               map[int64]*indicator.Waiting
	households            map[int64]int64
}

func factsOf(m map[int64]*indicator.Facts, id int64) *indicator.Facts {
	v := m[id]
	if v == nil {
		v = &indicator.Facts{}
		m[id] = v
	}
	return v
}

// each calls fn on the unit's facts of every channel a fact in state
// counts in (recognitions and grades, which have no state, count in both),
// and marks the unit waiting when the fact is submitted.
func (f *factRows) each(id int64, state string, fn func(*indicator.Facts), wait func(*indicator.Waiting)) {
	switch antq.FactState(state) {
	case antq.FactApproved, "":
		fn(factsOf(f.official, id))
		fn(factsOf(f.provisional, id))
	case antq.FactSubmitted:
		fn(factsOf(f.provisional, id))
		if wait != nil {
			w := f.waiting[id]
			if w == nil {
				w = &indicator.Waiting{}
				f.waiting[id] = w
			}
			wait(w)
		}
	}
}

// factQuery is one query of a load of fact rows, on the plan whose facts
// are read ($1); scan takes each row.
type factQuery struct {
	query string
	scan  func(rows *sql.Rows) error
}

// loadFacts reads a plan's fact rows: the queries queries gives (filling
// out), then the household sizes of residential areas on householdsOn, for
// communes' coverage where an area does not report (ordered by date, so
// the last one wins). what names the load in errors.
func (db *DB) loadFacts(ctx context.Context, q querier, plan *rules.Plan, what string, householdsOn antq.Date,
	queries func(out *factRows) []factQuery) (*factRows, error) {
	out := &factRows{official: map[int64]*indicator.Facts{}, provisional: map[int64]*indicator.Facts{},
		waiting: map[int64]*indicator.Waiting{}, households: map[int64]int64{}}
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return nil, err
	}
	for _, fq := range queries(out) {
		if err := queryEach(ctx, q, what, fq.scan, fq.query, factsID); err != nil {
			return nil, err
		}
	}
	var id, hh int64
	err = queryEach(ctx, q, what, func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &hh); err != nil {
			return err
		}
		out.households[id] = hh
		return nil
	}, `SELECT s.unit_id, s.households FROM unit_sizes s JOIN units u ON u.id = s.unit_id
WHERE u.kind = 'residential_area' AND s.households IS NOT NULL AND s.as_of <= $1 ORDER BY s.unit_id, s.as_of`, householdsOn)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// loadFactRows reads every fact of the plan that the indicators use, the
// households on the tree date.
func (db *DB) loadFactRows(ctx context.Context, q querier, plan *rules.Plan) (*factRows, error) {
	return db.loadFacts(ctx, q, plan, "rebuild", plan.KindDate(antq.KindResidentialArea), func(out *factRows) []factQuery {
		var id int64
		var state string
		return []factQuery{
			{`SELECT unit_id, registered_on, state FROM registrations WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var on antq.Date
				if err := rows.Scan(&id, &on, &state); err != nil {
					return err
				}
				out.each(id, state, func(f *indicator.Facts) { f.Registered, f.RegisteredOn = true, on }, func(w *indicator.Waiting) { w.Registration = true })
				return nil
			}},
			{`SELECT unit_id, result FROM recognitions WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var result string
				if err := rows.Scan(&id, &result); err != nil {
					return err
				}
				out.each(id, "", func(f *indicator.Facts) { f.Recognised = result == string(antq.RecognitionMet) }, nil)
				return nil
			}},
			{`SELECT unit_id, grade FROM grades WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var grade string
				if err := rows.Scan(&id, &grade); err != nil {
					return err
				}
				out.each(id, "", func(f *indicator.Facts) { f.Grade = antq.Grade(grade) }, nil)
				return nil
			}},
			{`SELECT unit_id, reached, total, state FROM propaganda WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var c indicator.Coverage
				if err := rows.Scan(&id, &c.Reached, &c.Total, &state); err != nil {
					return err
				}
				out.each(id, state, func(f *indicator.Facts) { f.Propaganda = &c }, func(w *indicator.Waiting) { w.Propaganda = true })
				return nil
			}},
			{`SELECT unit_id, status, ` + modelCountsEffective + `, state FROM models WHERE plan_id = $1`, func(rows *sql.Rows) error {
				var m indicator.ModelFact
				var status string
				if err := rows.Scan(&id, &status, &m.Effective, &state); err != nil {
					return err
				}
				m.Status = antq.ModelStatus(status)
				out.each(id, state, func(f *indicator.Facts) { f.Models = append(f.Models, m) }, func(w *indicator.Waiting) { w.Models = true })
				return nil
			}},
		}
	})
}

// evaluateTree sets every unit's status from its facts; a commune's
// household coverage sums its residential areas.
func evaluateTree(r *indicator.Rules, tree []treeUnit, rows *factRows) {
	none := &indicator.Facts{}
	facts := func(m map[int64]*indicator.Facts, id int64) *indicator.Facts {
		if f := m[id]; f != nil {
			return f
		}
		return none
	}
	withAreas := func(m map[int64]*indicator.Facts, u *treeUnit) indicator.Facts {
		f := *facts(m, u.id)
		if u.kind != antq.KindCommune {
			return f
		}
		for _, c := range u.children {
			child := &tree[c]
			if child.kind != antq.KindResidentialArea {
				continue
			}
			if p := facts(m, child.id).Propaganda; p != nil {
				f.AreasReporting++
				f.AreaCoverage.Reached += p.Reached
				f.AreaCoverage.Total += p.Total
			} else {
				f.AreaCoverage.Total += rows.households[child.id]
			}
		}
		return f
	}
	for i := range tree {
		u := &tree[i]
		var w indicator.Waiting
		if v := rows.waiting[u.id]; v != nil {
			w = *v
		}
		if u.kind == antq.KindCommune {
			for _, c := range u.children {
				if child := &tree[c]; child.kind == antq.KindResidentialArea && rows.waiting[child.id] != nil && rows.waiting[child.id].Propaganda {
					w.AreaPropaganda = true
				}
			}
		}
		u.status = r.EvaluateStates(u.kind, u.flags, withAreas(rows.official, u), withAreas(rows.provisional, u), w)
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
