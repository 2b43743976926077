package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// A unique or primary-key violation reported by the database is a conflict
// (409), not an internal error, on both engines.
func TestUniqueViolationIsConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		mustUser(t, db, "trung", antq.RoleViewer, "25195")
		ctx := context.Background()
		for _, tc := range []struct {
			name  string
			twice bool // the first run inserts the row the second collides with
			query string
		}{
			{"unique column (users.username)", false, `INSERT INTO users (username, full_name, password_hash, role, unit_id, created_at, password_changed_at)
SELECT username, full_name, password_hash, role, unit_id, created_at, password_changed_at FROM users WHERE username = 'trung'`},
			{"primary key (sessions.id_hash)", true, `INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at)
SELECT 'phien', id, created_at, created_at, created_at FROM users WHERE username = 'trung'`},
		} {
			if tc.twice {
				if err := db.ExecInTxForTest(ctx, tc.query); err != nil {
					t.Fatalf("%s: first insert: %v", tc.name, err)
				}
			}
			err := db.ExecInTxForTest(ctx, tc.query)
			if antq.ErrorCode(err) != antq.ECONFLICT {
				t.Errorf("%s: %v (code %q), want a conflict", tc.name, err, antq.ErrorCode(err))
			}
		}
		// Other constraint failures stay internal errors.
		err := db.ExecInTxForTest(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at) VALUES ('mo-coi', 999999, $1, $1, $1)`, time.Now())
		if err == nil || antq.ErrorCode(err) == antq.ECONFLICT {
			t.Errorf("foreign-key violation: %v, want an internal error", err)
		}
	})
}

// Two administrators create the same account at once. On PostgreSQL the
// second one's check for the name runs before the first commits, so the
// database's unique index is what refuses it: that is a conflict (409), not
// an internal error. (SQLite has one writer: the second waits and its check
// finds the name.) The interleaving is forced: another transaction holds the
// new row uncommitted until CreateUser waits on it.
func TestConcurrentCreateUserIsConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != store.Postgres {
			t.Skip("SQLite serialises write transactions: the name check cannot miss a concurrent insert")
		}
		loadFacts(t, db)
		first := mustUser(t, db, "nguoi-dau", antq.RoleViewer, "25195")
		ctx := context.Background()
		raw := storetest.Raw(t, db)
		conn, err := raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var pid int
		if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		other, err := conn.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Rollback()
		if _, err := other.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, unit_id, created_at, password_changed_at)
VALUES ('trung-ten', 'x', 'viewer', $1, $2, $2)`, first.UnitID, time.Now()); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := db.CreateUser(antq.SystemContext(ctx), store.NewUser{Username: "trung-ten", Role: antq.RoleViewer,
				UnitCode: "25195", PasswordHash: "$argon2id$test"})
			done <- err
		}()
		waitBlockedBy(t, raw, pid, done)
		if err := other.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("create user racing another: %v (code %q), want a conflict", err, antq.ErrorCode(err))
		}
	})
}

// waitBlockedBy returns once some PostgreSQL session waits on a lock held by
// backend pid: the database itself says the racing call has got that far.
// It fails if the call finished first (it did not race). No wall-clock
// bound: the test binary's -timeout ends a hang, with every goroutine's stack.
func waitBlockedBy(t *testing.T, raw *sql.DB, pid int, done <-chan error) {
	t.Helper()
	for {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("the racing call finished before waiting on the other transaction: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
