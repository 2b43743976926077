package store

import (
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/rules"
)

// factTarget is what every fact read or write resolves first: the plan, the
// unit as it was in the plan year (within the caller's scope), the rule sets
// the plan applies and the unit's evaluation window.
type factTarget struct {
	plan *rules.Plan
	// factsPlanID is the plan whose facts this plan reads and writes: a
	// plan that details another (a district's stricter plan under the
	// province's) shares the facts of the top plan of its chain.
	factsPlanID string
	unit        *antq.Unit
	ruleSets    []*rules.RuleSet
	window      rules.Period // evaluation window of the unit's kind, else the plan's window
	// rules judge the unit's facts (the same unit, rule sets and window),
	// today as of the resolve.
	rules *rules.FactRules
	// catalog is the plan catalogue the resolve read.
	catalog *rules.Catalog
}

// recognitionRules is the plan's rule set with checklists (TT 124).
func (t *factTarget) recognitionRules() *rules.RuleSet { return rules.RecognitionSet(t.ruleSets) }

// gradingRules is the plan's rule set with rubrics (QĐ 510).
func (t *factTarget) gradingRules() *rules.RuleSet { return rules.GradingSet(t.ruleSets) }

// resolve finds the plan and the unit, as of the end of the plan's window
// (or its start, for a unit that ended during the year), in scope.
func (db *DB) resolve(ctx context.Context, q querier, planID, code string) (*factTarget, error) {
	plan, cat, err := db.planIn(ctx, q, planID)
	if err != nil {
		return nil, err
	}
	t := &factTarget{plan: plan, factsPlanID: factsPlanID(cat, plan), catalog: cat}
	if t.ruleSets, err = cat.RuleSetsOf(plan); err != nil {
		return nil, err
	}
	for _, d := range []antq.Date{plan.Window.To, plan.Window.From} {
		t.unit, err = db.findUnitByCode(ctx, q, code, d)
		if err == nil || antq.ErrorCode(err) != antq.ENOTFOUND {
			break
		}
	}
	if err != nil {
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy đơn vị %q trong năm %d của kế hoạch", code, plan.Year)
		}
		return nil, err
	}
	// The unit's facts follow the kind it competes as (a budget-funded
	// socio-political organisation registers and reports as an agency).
	t.unit.Kind = antq.CompetingKind(t.unit.Kind, t.unit.Flags)
	if in, err := db.inPlanTree(ctx, q, plan, t.unit); err != nil {
		return nil, err
	} else if !in {
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị %q không thuộc phạm vi kế hoạch %s", code, plan.ID)
	}
	t.rules = rules.NewFactRules(plan, t.ruleSets, t.unit, antq.DateOf(db.Now()))
	t.window = t.rules.Window
	return t, nil
}

// factsPlanID follows a plan's parents to the top plan, whose facts the
// whole chain shares.
func factsPlanID(c *rules.Catalog, p *rules.Plan) string {
	for i := 0; i < 16 && p.Parent != ""; i++ {
		parent, err := c.Plan(p.Parent)
		if err != nil {
			break
		}
		p = parent
	}
	return p.ID
}

// inPlanTree reports whether the unit is the plan's root unit or below it.
// A failed query is an error, never "not in the tree".
func (db *DB) inPlanTree(ctx context.Context, q querier, plan *rules.Plan, u *antq.Unit) (bool, error) {
	if u.Code == plan.RootUnit {
		return true, nil
	}
	var n int
	err := q.QueryRowContext(ctx, withAncestorsOn("$1", "$2")+`
SELECT COUNT(*) FROM up JOIN units u ON u.id = up.id WHERE u.code = $3`, u.ID, plan.UnitDate(u), plan.RootUnit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("plan tree of %s: %w", plan.ID, err)
	}
	return n > 0, nil
}

// withFact runs fn in a write transaction on the plan's unit with code,
// resolved (and scope-checked) inside that transaction; concurrent fact
// writes share one transaction and one commit (write_group.go).
//
// A write that carries an antq.VersionCheck is checked against the version
// the client read, under a lock on the fact (PostgreSQL; SQLite's writer is
// one already), and reports the version it made.
func (db *DB) withFact(ctx context.Context, planID, code string, fn func(tx *Tx, t *factTarget) error) error {
	return db.inGroupTx(ctx, func(tx *Tx) error {
		t, err := db.resolve(ctx, tx, planID, code)
		if err != nil {
			return err
		}
		vc := antq.VersionCheckFrom(ctx)
		if vc == nil || vc.Kind == "" {
			return fn(tx, t)
		}
		key := factKey(t)
		if vc.ID > 0 {
			key = factKey(t, vc.ID)
		}
		if err := db.dialect.lock(ctx, tx, db.dialect.factLockSQL, string(vc.Kind)+"|"+key); err != nil {
			return fmt.Errorf("fact lock: %w", err)
		}
		if vc.Current, err = db.factVersion(ctx, tx, vc.Kind, key); err != nil {
			return err
		}
		if vc.IfMatch != "" && vc.IfMatch != vc.Current {
			return antq.StaleVersion()
		}
		if err := fn(tx, t); err != nil {
			return err
		}
		vc.Current, err = db.factVersion(ctx, tx, vc.Kind, key)
		return err
	})
}

// factVersion is the version of a fact: the number of the latest audit
// record of a change to it ("v0" before any).
func (db *DB) factVersion(ctx context.Context, q querier, kind antq.FactKind, key string) (string, error) {
	if tx, ok := q.(*Tx); ok {
		if err := tx.db.flushAudit(ctx, tx); err != nil { // the records a group holds back (write_group.go)
			return "", err
		}
	}
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE entity = $1 AND entity_key = $2 AND action <> 'refused'`,
		string(kind), key).Scan(&id); err != nil {
		return "", fmt.Errorf("fact version: %w", err)
	}
	return fmt.Sprintf("v%d", id), nil
}

// FactVersions returns the version of every fact the unit has changed for
// the plan, by "registration", "propaganda", "recognition", "grade",
// "model/ID" and "incident/ID".
func (db *DB) FactVersions(ctx context.Context, planID, code string) (map[string]string, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	key := factKey(t)
	// The unit's own key and those below it ("key/ID"): '0' follows '/'.
	rows, err := db.read.QueryContext(ctx, `SELECT entity, entity_key, MAX(id) FROM audit_log
WHERE (entity_key = $1 OR (entity_key > $2 AND entity_key < $3)) AND action <> 'refused'
GROUP BY entity, entity_key`, key, key+"/", key+"0")
	if err != nil {
		return nil, fmt.Errorf("fact versions: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var entity, k string
		var id int64
		if err := rows.Scan(&entity, &k, &id); err != nil {
			return nil, fmt.Errorf("fact versions: %w", err)
		}
		if !antq.FactKind(entity).Valid() {
			continue // evidence, dossiers: not facts with a version here
		}
		name := entity
		if rest, ok := strings.CutPrefix(k, key+"/"); ok {
			name += "/" + rest
		}
		out[name] = fmt.Sprintf("v%d", id)
	}
	return out, rows.Err()
}

// PlanUnit returns the unit with code as the plan sees it (in force in the
// plan year, in the plan's tree, in the caller's scope), with the rule sets
// the plan applies.
func (db *DB) PlanUnit(ctx context.Context, planID, code string) (*antq.Unit, []*rules.RuleSet, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, nil, err
	}
	return t.unit, t.ruleSets, nil
}
