package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// Two administrators add the same account at once (PostgreSQL: several
// writers). The one whose name check ran before the other committed is
// refused by the database's unique index; it gets 409 like any taken name,
// not 500. The interleaving is forced: another transaction holds the row
// uncommitted until the request waits on it. SQLite has one writer, so there
// the second request's check simply finds the name.
func TestConcurrentUserCreateAnswersConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != store.Postgres {
			t.Skip("SQLite serialises write transactions: the name check cannot miss a concurrent insert")
		}
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "70", "")
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
VALUES ('canbo-moi', 'x', 'viewer', $1, $2, $2)`, admin.user.UnitID, time.Now()); err != nil {
			t.Fatal(err)
		}
		type answer struct {
			status int
			body   string
			err    error
		}
		done := make(chan answer, 1)
		go func() {
			body, _ := json.Marshal(map[string]string{"username": "canbo-moi", "role": "viewer", "unit": "25195", "password": "mật khẩu của cán bộ mới"})
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/users", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer "+admin.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- answer{err: err}
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			done <- answer{status: res.StatusCode, body: string(b)}
		}()
		// Readiness, not timing: wait until the database says the request
		// waits on the other transaction (no wall-clock bound; -timeout
		// ends a hang with every goroutine's stack).
		for !blockedBy(t, raw, pid) {
			select {
			case a := <-done:
				t.Fatalf("the request finished before waiting on the other transaction: %d %s %v", a.status, a.body, a.err)
			case <-time.After(5 * time.Millisecond):
			}
		}
		if err := other.Commit(); err != nil {
			t.Fatal(err)
		}
		a := <-done
		if a.err != nil || a.status != http.StatusConflict {
			t.Fatalf("racing user create: %d %s %v, want 409", a.status, truncate(a.body), a.err)
		}
	})
}

// blockedBy reports whether some PostgreSQL session waits on a lock held by
// backend pid (the database's own word that a racing call got that far).
func blockedBy(t *testing.T, raw *sql.DB, pid int) bool {
	t.Helper()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}
