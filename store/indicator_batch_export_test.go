package store

import (
	"context"

	"antq/indicator"
)

// IndicatorFactsBothWaysForTest reads the official indicator facts of every
// unit of the plan's tree one unit at a time (indicatorFacts) and all at
// once (indicatorFactsOf).
func (db *DB) IndicatorFactsBothWaysForTest(ctx context.Context, planID string) (one, batch map[int64]indicator.Facts, err error) {
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT unit_id, kind FROM unit_status WHERE plan_id = $1`, plan.ID)
	if err != nil {
		return nil, nil, err
	}
	var all []*statusRow
	for rows.Next() {
		r := &statusRow{}
		if err := rows.Scan(&r.unitID, &r.kind); err != nil {
			rows.Close()
			return nil, nil, err
		}
		all = append(all, r)
	}
	rows.Close()
	one = map[int64]indicator.Facts{}
	for _, r := range all {
		f, err := db.indicatorFacts(ctx, db.read, plan, r)
		if err != nil {
			return nil, nil, err
		}
		one[r.unitID] = f
	}
	batch, err = db.indicatorFactsOf(ctx, db.read, plan, all)
	return one, batch, err
}
