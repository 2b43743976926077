package store

import "context"

// ExecInTxForTest runs raw SQL in a write transaction of the store's own
// (inTx), so a test sees the error a service call would return for it.
func (db *DB) ExecInTxForTest(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}
