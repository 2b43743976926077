package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
)

// PutPropaganda records the unit's propaganda coverage: unique households
// for residential areas and communes, unique persons for organisations.
func (db *DB) PutPropaganda(ctx context.Context, planID, code string, in antq.PropagandaInput) (*antq.Propaganda, error) {
	return writeFact(db.withFact, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Propaganda, error) {
		var size antq.UnitSize // the denominator when none is given, else the size it is checked against
		if !in.AsOf.IsZero() {
			var err error
			if size, err = db.unitSizeOn(ctx, tx, t.unit.ID, in.AsOf); err != nil {
				return nil, err
			}
		}
		p, err := t.rules.CheckPropaganda(&in, size)
		if err != nil {
			return nil, err
		}
		p.Stamp = stamp(ctx, tx)
		return p, putSingleFact(ctx, db, tx, t, antq.FactPropaganda, "propaganda", db.propaganda,
			[]string{"reached", "total", "as_of", "registered_total", "total_reason"},
			[]any{p.Reached, p.Total, p.AsOf, p.RegisteredTotal, nullIfEmpty(p.TotalReason)}, p.Document, p)
	})
}

// DeletePropaganda removes a wrongly entered propaganda figure.
func (db *DB) DeletePropaganda(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactPropaganda, "propaganda", asAny(db.propaganda))
}

func (db *DB) propaganda(ctx context.Context, q querier, t *factTarget) (*antq.Propaganda, error) {
	var p antq.Propaganda
	var registered sql.NullInt64
	var reason sql.NullString
	doc, found, err := loadApprovableFact(ctx, q, t, "propaganda", "reached, total, as_of, registered_total, total_reason", &p.Stamp, &p.Approval,
		&p.Reached, &p.Total, &p.AsOf, &registered, &reason)
	if !found {
		return nil, err
	}
	p.Document, p.RegisteredTotal, p.TotalReason = doc, nullInt(registered), reason.String
	return &p, nil
}

// unitSizeOn returns the unit's latest size snapshot on or before d.
func (db *DB) unitSizeOn(ctx context.Context, q querier, unitID int64, d antq.Date) (antq.UnitSize, error) {
	var s antq.UnitSize
	var hh, staff, pupils sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT as_of, households, staff, pupils FROM unit_sizes
WHERE unit_id = $1 AND as_of <= $2 ORDER BY as_of DESC LIMIT 1`, unitID, d).Scan(&s.AsOf, &hh, &staff, &pupils)
	if errNoRows(err) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("unit size: %w", err)
	}
	s.Households, s.Staff, s.Pupils = nullInt(hh), nullInt(staff), nullInt(pupils)
	return s, nil
}
