package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// wantReady asserts /readyz's status and its "status" word.
func wantReady(t *testing.T, e *env, status int, word string) {
	t.Helper()
	res := e.do(request{method: "GET", path: "/readyz"})
	if res.status != status || !strings.Contains(res.body, `"status":"`+word+`"`) {
		t.Fatalf("readyz = %d %s, want %d %q", res.status, strings.TrimSpace(res.body), status, word)
	}
}

// A long write (here a bulk load, which holds SQLite's one writer
// connection) does not make the server look unready: readiness only reads.
func TestReadyzWhileTheWriterIsBusy(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		wantReady(t, e, http.StatusOK, "ready")
		stop := errors.New("stop: the load was only there to hold the writer")
		_, err := db.BulkFacts(e.sys, planID, "readyz", func(*store.FactLoader) error {
			wantReady(t, e, http.StatusOK, "ready")
			return stop
		})
		if !errors.Is(err, stop) {
			t.Fatalf("bulk load: %v", err)
		}
	})
}

// An old schema is told apart from a slow database, and checking it
// creates nothing.
func TestReadyzSchemaOutOfDate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		raw := storetest.Raw(t, db)
		ctx := context.Background()
		if _, err := raw.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
			t.Fatal(err)
		}
		wantReady(t, e, http.StatusServiceUnavailable, "schema out of date")

		// No schema_migrations at all: out of date, and readiness did not
		// create the table (it runs no DDL).
		if _, err := raw.ExecContext(ctx, `DROP TABLE schema_migrations`); err != nil {
			t.Fatal(err)
		}
		wantReady(t, e, http.StatusServiceUnavailable, "schema out of date")
		var n int
		q := `SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'`
		if db.Engine() == store.Postgres {
			q = `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
		}
		if err := raw.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatal("readyz created schema_migrations")
		}
	})
}

// A database that does not answer in time is a timeout, not an old schema:
// here every connection of the read pool is taken, so the check waits out
// its deadline.
func TestReadyzTimeout(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		pool := db.ReadPool()
		for i := 0; i < pool.Stats().MaxOpenConnections; i++ {
			c, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
		}
		wantReady(t, e, http.StatusServiceUnavailable, "database timeout")
	})
}
