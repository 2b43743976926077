package store

import (
	"context"
	"errors"

	"antq"
)

// refusal is a step refused for a reason the audit trail keeps (separation
// of duties). withFactAudited records it once the transaction that found
// it has rolled back.
type refusal struct {
	err   error
	entry auditEntry
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuse wraps err (a refusal whose message says why) with the audit
// record of the attempt on the unit of t.
func refuse(err error, t *factTarget, entity string, attempt map[string]any) error {
	return &refusal{err: err, entry: auditEntry{Action: "refused", Entity: entity, Key: factKey(t), UnitID: t.unit.ID,
		Reason: antq.ErrorMessage(err), New: attempt}}
}

// withFactAudited is withFact that records a refusal fn returns (refuse)
// in the audit trail, in a transaction of its own, and returns the refusal.
func (db *DB) withFactAudited(ctx context.Context, planID, code string, fn func(tx *Tx, t *factTarget) error) error {
	err := db.withFact(ctx, planID, code, fn)
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	if imp, ok := ctx.Value(enclosingTxKey{}).(*importTx); ok {
		imp.refusals = append(imp.refusals, r.entry) // recorded by the import, after its rows (fact_import.go)
		return r.err
	}
	if aerr := db.inTx(ctx, func(tx *Tx) error { return db.audit(ctx, tx, r.entry) }); aerr != nil {
		return aerr
	}
	return r.err
}
