package store

import "context"

// ExecForTest runs raw SQL on the write connection, as someone with direct
// access to the database would: tests use it to tamper with rows.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}
