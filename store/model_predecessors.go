package store

import (
	"context"
	"fmt"
	"strconv"

	"antq"
)

// A model of today's unit may continue a model its predecessors ran before
// a reorganisation (Phường Đồng Xoài continues a model of Phường Tiến
// Thành, 2023): the unit versions it came from are found through the
// lineage, as the restated figures find them.

// withPredecessors is a CTE pred(id, depth): the unit version unit and
// every version it came from through reorganisation events, up to
// maxTreeDepth events back.
func withPredecessors(unit string) string {
	return `WITH RECURSIVE pred(id, depth) AS (SELECT CAST(` + unit + ` AS BIGINT), 0
UNION SELECT f.unit_id, p.depth + 1 FROM pred p
  JOIN lineage_units t ON t.unit_id = p.id AND t.role = 'to'
  JOIN lineage_units f ON f.event_id = t.event_id AND f.role = 'from' AND f.unit_id <> p.id
  WHERE p.depth < ` + strconv.Itoa(maxTreeDepth) + `)
`
}

// isPredecessor reports whether the unit version id came, through the
// lineage, before the unit version of.
func (db *DB) isPredecessor(ctx context.Context, q querier, id, of int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, withPredecessors("$1")+`SELECT COUNT(*) FROM pred WHERE depth > 0 AND id = $2`, of, id).Scan(&n); err != nil {
		return false, fmt.Errorf("predecessors: %w", err)
	}
	return n > 0, nil
}

// PredecessorModels are the registry entries of the models run by the
// units the unit with code came from (through the reorganisations), for a
// model of the plan to continue; the caller needs to reach the unit, not
// its predecessors.
func (db *DB) PredecessorModels(ctx context.Context, planID, code string) ([]*RegistryEntry, error) {
	t, cat, err := db.registryTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	return db.readRegistryEntries(ctx, cat, withPredecessors("$1")+
		registryEntrySelect(`(SELECT DISTINCT id FROM pred WHERE depth > 0) p JOIN model_identities i ON i.unit_id = p.id`), t.unit.ID)
}

// continuable reports whether the caller may continue the identity of a
// model run by the unit version unitID: a unit in the caller's scope on
// its last day in force (today if it still is), or one the target's unit
// came from.
func (db *DB) continuable(ctx context.Context, q querier, t *factTarget, unitID int64) (bool, error) {
	if unitID == t.unit.ID {
		return true, nil
	}
	on := antq.DateOf(db.Now())
	var validTo antq.Date // zero: in force
	if err := q.QueryRowContext(ctx, `SELECT valid_to FROM units WHERE id = $1`, unitID).Scan(&validTo); err != nil {
		return false, fmt.Errorf("model identity: %w", err)
	}
	if !validTo.IsZero() && validTo.Before(on) {
		on = validTo
	}
	if in, err := db.inScope(ctx, q, unitID, on); err != nil || in {
		return in, err
	}
	return db.isPredecessor(ctx, q, unitID, t.unit.ID)
}
