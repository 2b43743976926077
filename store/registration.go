package store

import (
	"context"
	"fmt"

	"antq"
)

// PutRegistration records (or replaces) the unit's registration for the plan.
// Units the rule set excludes are refused with the rule named.
func (db *DB) PutRegistration(ctx context.Context, planID, code string, in antq.Registration) (*antq.Registration, error) {
	return writeFact(db.withFact, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Registration, error) {
		if err := t.rules.CheckRegistration(&in); err != nil {
			return nil, err
		}
		out := &antq.Registration{RegisteredOn: in.RegisteredOn, Document: in.Document, Stamp: stamp(ctx, tx)}
		return out, putSingleFact(ctx, db, tx, t, antq.FactRegistration, "registrations", db.registration,
			[]string{"registered_on"}, []any{in.RegisteredOn}, in.Document, out)
	})
}

// DeleteRegistration withdraws the unit's registration. A unit already
// recognised cannot withdraw: its recognition is removed first.
func (db *DB) DeleteRegistration(ctx context.Context, planID, code string) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		old, err := db.registration(ctx, tx, t)
		if err != nil {
			return err
		} else if old == nil {
			return antq.Errorf(antq.ENOTFOUND, "Đơn vị %s chưa đăng ký trong kế hoạch %s", t.unit.Code, t.plan.ID)
		}
		if _, err := writeState(ctx, &old.Approval); err != nil {
			return err
		}
		if rec, err := db.recognition(ctx, tx, t); err != nil {
			return err
		} else if rec != nil {
			return &antq.Error{Code: antq.ECONFLICT, Message: "Đơn vị đã có kết quả công nhận; hãy xóa kết quả công nhận trước khi rút đăng ký"}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM registrations WHERE plan_id = $1 AND unit_id = $2`, t.factsPlanID, t.unit.ID); err != nil {
			return fmt.Errorf("delete registration: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactRegistration, "delete", old, nil)
	})
}

func (db *DB) registration(ctx context.Context, q querier, t *factTarget) (*antq.Registration, error) {
	var r antq.Registration
	doc, found, err := loadApprovableFact(ctx, q, t, "registrations", "registered_on", &r.Stamp, &r.Approval, &r.RegisteredOn)
	if !found {
		return nil, err
	}
	r.Document = doc
	return &r, nil
}
