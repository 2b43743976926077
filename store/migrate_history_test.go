package store_test

import (
	"context"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// A database whose applied migrations carry other names than this
// binary's at the same numbers (a history renumbered since, like the
// development builds that had 0004_access before 0004_dossiers) is refused
// with a clear reason, by migrate and by the server's schema check, and
// nothing is applied to it.
func TestMigrateRefusesAnotherHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.ExecForTest(ctx, `UPDATE schema_migrations SET name = '0004_access.sql' WHERE version = 4`); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecForTest(ctx, `DELETE FROM schema_migrations WHERE version > 4`); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{"migrate": db.Migrate(ctx), "check": db.CheckSchema(ctx)} {
			if antq.ErrorCode(err) != antq.ECONFLICT {
				t.Fatalf("%s = %v, want a conflict naming the history", name, err)
			}
		}
		if have, _, err := db.SchemaVersion(ctx); err != nil || have != 4 {
			t.Fatalf("schema version = %d, %v: something was applied", have, err)
		}
	})
}
