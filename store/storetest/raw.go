package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"testing"

	"antq/store"
)

// Raw opens a second, unrestricted connection pool to db's database, as
// someone with direct access to it would have: tests use it to tamper with
// the schema or to hold locks the store does not know about. It is closed
// when the test ends.
func Raw(t testing.TB, db *store.DB) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	switch db.Engine() {
	case store.SQLite:
		var seq int
		var name, file string
		if err := db.ReadPool().QueryRowContext(context.Background(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
			t.Fatalf("sqlite: database file: %v", err)
		}
		raw, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	default:
		u, perr := url.Parse(PostgresURL())
		if perr != nil {
			t.Fatalf("ANTQ_TEST_POSTGRES: %v", perr)
		}
		q := u.Query()
		q.Set("search_path", db.SearchPath())
		u.RawQuery = q.Encode()
		raw, err = sql.Open("pgx", u.String())
	}
	if err != nil {
		t.Fatalf("raw %s connection: %v", db.Engine(), err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}
