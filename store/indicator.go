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

// The indicators are maintained on write: a fact change recomputes the
// unit's own status (and its commune's, for a residential area) and adjusts
// the counts of every ancestor by the difference, in the fact's own
// transaction. A dashboard read is O(children). Rebuild recomputes
// everything from the facts; incremental == rebuilt is a tested invariant.

// indicatorRules returns the plan's indicator rules, from its rule sets in
// the catalogue c.
func indicatorRules(c *rules.Catalog, plan *rules.Plan) (*indicator.Rules, error) {
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		return nil, err
	}
	return indicator.NewRules(plan, sets), nil
}

// planRules returns the plan with id and its indicator rules.
func (db *DB) planRules(ctx context.Context, id string) (*rules.Plan, *indicator.Rules, error) {
	plan, c, err := db.Plan(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := indicatorRules(c, plan)
	return plan, r, err
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

// statusCols are the columns of a unit's status in unit_status, in
// statusDest order: the masks, then the household coverage it is judged on
// (official, provisional) for the pooled household ratio.
const statusCols = `den_mask, num_mask, hh_reached, hh_total, hh_reached_p, hh_total_p`

func statusDest(s *indicator.Status) []any {
	return []any{&s.Den, &s.Num, &s.Households.Reached, &s.Households.Total, &s.HouseholdsProvisional.Reached, &s.HouseholdsProvisional.Total}
}

// splitLeaves reads unit_status rows (unit_id, kind, children, then the
// status columns dest scans into) and calls leaf with each unit that has
// no children; it returns the ids of the others, whose counts are stored.
func splitLeaves(ctx context.Context, q querier, what string, dest func(*indicator.Status) []any,
	leaf func(id int64, kind antq.UnitKind, s indicator.Status), query string, args ...any) ([]int64, error) {
	var parents []int64
	err := queryEach(ctx, q, what, func(rows *sql.Rows) error {
		var id int64
		var kind string
		var children int
		var s indicator.Status
		if err := rows.Scan(append([]any{&id, &kind, &children}, dest(&s)...)...); err != nil {
			return err
		}
		if children > 0 {
			parents = append(parents, id)
		} else {
			leaf(id, antq.UnitKind(kind), s)
		}
		return nil
	}, query, args...)
	return parents, err
}

func statusArgs(s indicator.Status) []any {
	return []any{int64(s.Den), int64(s.Num), s.Households.Reached, s.Households.Total, s.HouseholdsProvisional.Reached, s.HouseholdsProvisional.Total}
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
	err := q.QueryRowContext(ctx, `SELECT parent_id, kind, children, `+statusCols+` FROM unit_status WHERE plan_id = $1 AND unit_id = $2`,
		planID, unitID).Scan(append([]any{&r.parentID, &kind, &r.children}, statusDest(&r.status)...)...)
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
	c := t.catalog // read by the write's resolve, in this transaction
	if c == nil {
		var err error
		if c, err = db.Catalog(ctx); err != nil {
			return err
		}
	}
	for _, plan := range c.Plans() {
		if factsPlanID(c, plan) != t.factsPlanID {
			continue
		}
		if !tx.built[plan.ID] {
			if ok, err := db.built(ctx, tx, plan.ID); err != nil {
				return err
			} else if !ok {
				continue // not built yet: the first read builds from the facts
			}
			if tx.built == nil {
				tx.built = map[string]bool{}
			}
			tx.built[plan.ID] = true
		}
		if err := db.lockPlan(ctx, tx, plan.ID); err != nil {
			return err
		}
		r, err := indicatorRules(c, plan)
		if err != nil {
			return err
		}
		row, err := db.refreshOneIn(ctx, tx, r, plan, t.factsPlanID, t.unit.ID)
		if err != nil {
			return err
		}
		if row != nil && row.kind == antq.KindResidentialArea && row.parentID != 0 {
			if _, err := db.refreshOneIn(ctx, tx, r, plan, t.factsPlanID, row.parentID); err != nil {
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

// refreshOne recomputes one unit's status and carries the difference up.
func (db *DB) refreshOne(ctx context.Context, tx *Tx, r *indicator.Rules, plan *rules.Plan, unitID int64) (*statusRow, error) {
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return nil, err
	}
	return db.refreshOneIn(ctx, tx, r, plan, factsID, unitID)
}

// refreshOneIn is refreshOne for the plan whose facts plan reads, factsID.
func (db *DB) refreshOneIn(ctx context.Context, tx *Tx, r *indicator.Rules, plan *rules.Plan, factsID string, unitID int64) (*statusRow, error) {
	// The unit's status row, its flags and its single-valued facts, in one
	// read.
	row := &statusRow{unitID: unitID}
	var kind string
	var flags antq.UnitFlags
	var sf singleFacts
	err := tx.QueryRowContext(ctx, `SELECT us.parent_id, us.kind, us.children, us.den_mask, us.num_mask, us.hh_reached, us.hh_total, us.hh_reached_p, us.hh_total_p,
  u.armed_forces, u.small_enterprise, u.primary_school, u.budget_funded, u.no_legal_entity,
  `+singleFactsCols+`
FROM unit_status us JOIN units u ON u.id = us.unit_id WHERE us.plan_id = $3 AND us.unit_id = $2`, factsID, unitID, plan.ID).
		Scan(append(append(append([]any{&row.parentID, &kind, &row.children}, statusDest(&row.status)...),
			&flags.ArmedForces, &flags.SmallEnterprise, &flags.PrimarySchool, &flags.BudgetFunded, &flags.NoLegalEntity), sf.dest()...)...)
	if errNoRows(err) {
		return nil, nil // a unit outside the plan's tree has no status
	} else if err != nil {
		return nil, fmt.Errorf("unit status: %w", err)
	}
	row.kind = antq.UnitKind(kind)
	official, provisional, waiting, err := db.indicatorFactStates(ctx, tx, plan, factsID, row, &sf)
	if err != nil {
		return nil, err
	}
	next := r.EvaluateStates(row.kind, flags, official, provisional, waiting)
	if next == row.status {
		return row, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_status SET den_mask = $1, num_mask = $2, hh_reached = $3, hh_total = $4, hh_reached_p = $5, hh_total_p = $6
WHERE plan_id = $7 AND unit_id = $8`, append(statusArgs(next), plan.ID, unitID)...); err != nil {
		return nil, fmt.Errorf("unit status: %w", err)
	}
	delta := indicator.Counts{}
	delta.Add(row.kind, row.status, -1)
	delta.Add(row.kind, next, +1)
	if tx.deferCounts { // a group's write: carried up before its commit (write_counts.go)
		c := countChange{planID: plan.ID, parentID: row.parentID, delta: delta}
		if row.children > 0 {
			c.self = unitID
		}
		tx.counts = append(tx.counts, c)
		row.status = next
		return row, nil
	}
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

// statusAncestors returns id and its ancestors in the plan's tree, nearest
// first, in one query.
func (db *DB) statusAncestors(ctx context.Context, q querier, planID string, id int64) ([]int64, error) {
	if id == 0 {
		return nil, nil
	}
	ids, err := queryColumn[int64](ctx, q, `WITH RECURSIVE up(id, depth) AS (
  SELECT CAST($2 AS BIGINT), 0
  UNION ALL
  SELECT s.parent_id, up.depth + 1 FROM up JOIN unit_status s ON s.plan_id = $1 AND s.unit_id = up.id
  WHERE s.parent_id <> 0 AND up.depth < $3)
SELECT id FROM up ORDER BY depth`, planID, id, maxTreeDepth-1)
	if err != nil {
		return nil, fmt.Errorf("ancestors: %w", err)
	}
	return ids, nil
}

// addCounts adds delta to the counts of each unit, in one statement.
func (db *DB) addCounts(ctx context.Context, tx *Tx, planID string, unitIDs []int64, delta indicator.Counts) error {
	var values []string
	var args []any
	for id, byKind := range delta {
		for kind, f := range byKind {
			if f.Num == 0 && f.Den == 0 {
				continue
			}
			for _, u := range unitIDs {
				n := len(args)
				values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6))
				args = append(args, planID, u, string(id), string(kind), f.Num, f.Den)
			}
		}
	}
	if len(values) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_counts (plan_id, unit_id, indicator, kind, num, den) VALUES `+strings.Join(values, ", ")+`
ON CONFLICT (plan_id, unit_id, indicator, kind) DO UPDATE SET num = indicator_counts.num + excluded.num, den = indicator_counts.den + excluded.den`, args...); err != nil {
		return fmt.Errorf("indicator counts: %w", err)
	}
	return nil
}

// indicatorFacts reads what the official figures need of one unit's
// facts (approved facts only).
func (db *DB) indicatorFacts(ctx context.Context, q querier, plan *rules.Plan, row *statusRow) (indicator.Facts, error) {
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return indicator.Facts{}, err
	}
	return db.indicatorFactsIn(ctx, q, plan, factsID, row, officialStates)
}

// The facts each channel of the figures counts, as an SQL condition on a
// fact table's state.
const (
	officialStates    = `state = 'approved'`
	provisionalStates = `state IN ('submitted', 'approved')`
)

// singleFactsCols select what the figures need of a unit's single-valued
// facts (in singleFacts.dest order), as subqueries on the facts plan $1 and
// the unit $2, for a query that reads the unit's status row.
const singleFactsCols = `(SELECT state FROM registrations WHERE plan_id = $1 AND unit_id = $2),
  (SELECT registered_on FROM registrations WHERE plan_id = $1 AND unit_id = $2),
  (SELECT result FROM recognitions WHERE plan_id = $1 AND unit_id = $2),
  (SELECT grade FROM grades WHERE plan_id = $1 AND unit_id = $2),
  (SELECT state FROM propaganda WHERE plan_id = $1 AND unit_id = $2),
  (SELECT reached FROM propaganda WHERE plan_id = $1 AND unit_id = $2),
  (SELECT total FROM propaganda WHERE plan_id = $1 AND unit_id = $2)`

type singleFacts struct {
	regState, propState, result, grade sql.NullString
	registeredOn                       antq.Date
	reached, total                     sql.NullInt64
}

func (f *singleFacts) dest() []any {
	return []any{&f.regState, &f.registeredOn, &f.result, &f.grade, &f.propState, &f.reached, &f.total}
}

// indicatorFactStates reads one unit's facts for both figures (official:
// approved; provisional: submitted and approved) and which of them wait —
// what indicatorFactsIn reads for each, in one pass over the unit's rows
// (a fact write runs it for every refresh; the round trips are its cost).
func (db *DB) indicatorFactStates(ctx context.Context, q querier, plan *rules.Plan, factsID string, row *statusRow, sf *singleFacts) (official, provisional indicator.Facts, w indicator.Waiting, err error) {
	regState, propState, result, grade := sf.regState, sf.propState, sf.result, sf.grade
	registeredOn, reached, total := sf.registeredOn, sf.reached, sf.total
	// counts: a fact in state st counts for the official figures (approved)
	// and for the provisional ones (submitted or approved).
	counts := func(st sql.NullString) (off, prov bool) {
		return st.String == "approved", st.String == "approved" || st.String == "submitted"
	}
	set := func(f *indicator.Facts, reg, prop bool) {
		if reg {
			f.Registered, f.RegisteredOn = true, registeredOn
		}
		f.Recognised = result.String == string(antq.RecognitionMet)
		f.Grade = antq.Grade(grade.String)
		if prop && reached.Valid {
			f.Propaganda = &indicator.Coverage{Reached: reached.Int64, Total: total.Int64}
		}
	}
	regO, regP := counts(regState)
	propO, propP := counts(propState)
	set(&official, regO, propO)
	set(&provisional, regP, propP)
	w.Registration, w.Propaganda = regState.String == "submitted", propState.String == "submitted"

	rows, err := q.QueryContext(ctx, `SELECT state, status, `+modelCountsEffective+` FROM models WHERE plan_id = $1 AND unit_id = $2`, factsID, row.unitID)
	if err != nil {
		err = fmt.Errorf("indicator facts: %w", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var m indicator.ModelFact
		var state sql.NullString
		var status string
		if err = rows.Scan(&state, &status, &m.Effective); err != nil {
			err = fmt.Errorf("indicator facts: %w", err)
			return
		}
		m.Status = antq.ModelStatus(status)
		off, prov := counts(state)
		if off {
			official.Models = append(official.Models, m)
		}
		if prov {
			provisional.Models = append(provisional.Models, m)
		}
		w.Models = w.Models || state.String == "submitted"
	}
	if err = rows.Err(); err != nil {
		return
	}
	rows.Close()
	if row.kind != antq.KindCommune {
		return
	}
	// Residential areas that report count their figure; the others count
	// 0 reached of their households on their tree date — per channel.
	var submitted int
	err = q.QueryRowContext(ctx, `SELECT
  COALESCE(SUM(CASE WHEN st = 'approved' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN st = 'approved' THEN COALESCE(reached, 0) ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN st = 'approved' THEN COALESCE(total, hh, 0) ELSE COALESCE(hh, 0) END), 0),
  COALESCE(SUM(CASE WHEN st IN ('submitted', 'approved') THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN st IN ('submitted', 'approved') THEN COALESCE(reached, 0) ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN st IN ('submitted', 'approved') THEN COALESCE(total, hh, 0) ELSE COALESCE(hh, 0) END), 0),
  COALESCE(SUM(CASE WHEN st = 'submitted' THEN 1 ELSE 0 END), 0)
FROM (SELECT p.state AS st, p.reached AS reached, p.total AS total,
    (SELECT s.households FROM unit_sizes s WHERE s.unit_id = us.unit_id AND s.as_of <= $3 ORDER BY s.as_of DESC LIMIT 1) AS hh
  FROM unit_status us LEFT JOIN propaganda p ON p.plan_id = $4 AND p.unit_id = us.unit_id
  WHERE us.plan_id = $1 AND us.parent_id = $2 AND us.kind = 'residential_area') areas`,
		plan.ID, row.unitID, plan.KindDate(antq.KindResidentialArea), factsID).
		Scan(&official.AreasReporting, &official.AreaCoverage.Reached, &official.AreaCoverage.Total,
			&provisional.AreasReporting, &provisional.AreaCoverage.Reached, &provisional.AreaCoverage.Total, &submitted)
	if err != nil {
		err = fmt.Errorf("area coverage: %w", err)
		return
	}
	w.AreaPropaganda = submitted > 0
	return
}

// indicatorFactsIn reads what the indicators need of one unit's facts in
// the states the condition states names.
func (db *DB) indicatorFactsIn(ctx context.Context, q querier, plan *rules.Plan, factsID string, row *statusRow, states string) (indicator.Facts, error) {
	var f indicator.Facts
	var n int
	var result, grade sql.NullString
	var registeredOn antq.Date
	var reached, total sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT
  (SELECT COUNT(*) FROM registrations WHERE plan_id = $1 AND unit_id = $2 AND `+states+`),
  (SELECT registered_on FROM registrations WHERE plan_id = $1 AND unit_id = $2 AND `+states+`),
  (SELECT result FROM recognitions WHERE plan_id = $1 AND unit_id = $2),
  (SELECT grade FROM grades WHERE plan_id = $1 AND unit_id = $2),
  (SELECT reached FROM propaganda WHERE plan_id = $1 AND unit_id = $2 AND `+states+`),
  (SELECT total FROM propaganda WHERE plan_id = $1 AND unit_id = $2 AND `+states+`)`, factsID, row.unitID).Scan(&n, &registeredOn, &result, &grade, &reached, &total)
	if err != nil {
		return f, fmt.Errorf("indicator facts: %w", err)
	}
	f.Registered, f.RegisteredOn = n > 0, registeredOn
	f.Recognised = result.String == string(antq.RecognitionMet)
	f.Grade = antq.Grade(grade.String)
	if reached.Valid {
		f.Propaganda = &indicator.Coverage{Reached: reached.Int64, Total: total.Int64}
	}
	rows, err := q.QueryContext(ctx, `SELECT status, `+modelCountsEffective+` FROM models WHERE plan_id = $1 AND unit_id = $2 AND `+states, factsID, row.unitID)
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
		// 0 reached of their households on their tree date.
		err := q.QueryRowContext(ctx, `SELECT COUNT(p.unit_id), COALESCE(SUM(COALESCE(p.reached, 0)), 0),
  COALESCE(SUM(COALESCE(p.total, (SELECT s.households FROM unit_sizes s WHERE s.unit_id = us.unit_id AND s.as_of <= $3 ORDER BY s.as_of DESC LIMIT 1), 0)), 0)
FROM unit_status us LEFT JOIN propaganda p ON p.plan_id = $4 AND p.unit_id = us.unit_id AND p.`+states+`
WHERE us.plan_id = $1 AND us.parent_id = $2 AND us.kind = 'residential_area'`, plan.ID, row.unitID, plan.KindDate(antq.KindResidentialArea), factsID).
			Scan(&f.AreasReporting, &f.AreaCoverage.Reached, &f.AreaCoverage.Total)
		if err != nil {
			return f, fmt.Errorf("area coverage: %w", err)
		}
	}
	return f, nil
}
