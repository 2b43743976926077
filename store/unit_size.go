package store

import (
	"context"
	"fmt"

	"antq"
)

// UnitSizeRecord is a dated size of an existing unit: the households of a
// commune counted again, the staff of an agency at the new year.
type UnitSizeRecord struct {
	Row  int
	Code string
	Size antq.UnitSize // Size.AsOf is the day of the count
}

// RecordUnitSizes adds dated size snapshots to units already in the
// registry (a unit created by a reorganisation starts without one), in one
// transaction: a record whose unit is not in force on its day, outside the
// caller's scope, or with a negative count, refuses the whole file with the
// row and the reason. A snapshot of the same unit and day is replaced.
// Facts recorded earlier keep the totals they were recorded with.
func (db *DB) RecordUnitSizes(ctx context.Context, file string, recs []UnitSizeRecord) error {
	if _, err := signedIn(ctx); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var errs antq.ImportErrors
		fail := func(r UnitSizeRecord, col, reason string) {
			errs = append(errs, antq.RowError{File: file, Row: r.Row, Column: col, Reason: reason})
		}
		ids := make([]int64, len(recs))
		for i, r := range recs {
			if r.Size.AsOf.IsZero() {
				fail(r, "size_as_of", "cần ngày của số liệu quy mô")
				continue
			}
			for col, v := range map[string]*int64{"households": r.Size.Households, "staff": r.Size.Staff, "pupils": r.Size.Pupils} {
				if v != nil && *v < 0 {
					fail(r, col, "không được âm")
				}
			}
			u, err := db.findUnitByCode(ctx, tx, r.Code, r.Size.AsOf)
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				fail(r, "code", "không có đơn vị mã "+r.Code+" còn hiệu lực ngày "+r.Size.AsOf.VN())
				continue
			} else if err != nil {
				return err
			}
			ids[i] = u.ID
		}
		if len(errs) > 0 {
			return errs
		}
		for i, r := range recs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO unit_sizes (unit_id, as_of, households, staff, pupils) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (unit_id, as_of) DO UPDATE SET households = excluded.households, staff = excluded.staff, pupils = excluded.pupils`,
				ids[i], r.Size.AsOf, intOrNil(r.Size.Households), intOrNil(r.Size.Staff), intOrNil(r.Size.Pupils)); err != nil {
				return fmt.Errorf("unit sizes: %w", err)
			}
		}
		return db.audit(ctx, tx, auditEntry{Action: "record_sizes", Entity: "unit", Key: file, New: map[string]any{"units": len(recs)}})
	})
}
