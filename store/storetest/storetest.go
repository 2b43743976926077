// Package storetest opens fresh, migrated databases for tests: SQLite always,
// PostgreSQL when ANTQ_TEST_POSTGRES holds a connection URL. Each test gets
// its own SQLite file or PostgreSQL schema, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"antq/store"
)

// PostgresURL returns the PostgreSQL URL tests use, or "" when none is set.
func PostgresURL() string { return os.Getenv("ANTQ_TEST_POSTGRES") }

// Engines lists the engines to run storage tests on.
func Engines() []store.Engine {
	if PostgresURL() != "" {
		return []store.Engine{store.SQLite, store.Postgres}
	}
	return []store.Engine{store.SQLite}
}

// ForEach runs fn as a subtest on a fresh database of each engine. When
// ANTQ_TEST_REQUIRE_POSTGRES is set and no PostgreSQL URL is, it fails the
// test instead of silently running SQLite only.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	if os.Getenv("ANTQ_TEST_REQUIRE_POSTGRES") != "" && PostgresURL() == "" {
		t.Fatal("ANTQ_TEST_REQUIRE_POSTGRES is set but ANTQ_TEST_POSTGRES is empty")
	}
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, Open(t, e)) })
	}
}

// EachEngine runs fn as a subtest for each engine, with the same rule as
// ForEach for ANTQ_TEST_REQUIRE_POSTGRES; fn makes its own database (for a
// test that hands a connection string to the built binary).
func EachEngine(t *testing.T, fn func(t *testing.T, e store.Engine)) {
	t.Helper()
	if os.Getenv("ANTQ_TEST_REQUIRE_POSTGRES") != "" && PostgresURL() == "" {
		t.Fatal("ANTQ_TEST_REQUIRE_POSTGRES is set but ANTQ_TEST_POSTGRES is empty")
	}
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// Open returns a fresh, migrated database of engine e.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	dsn := DSN(t, e)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// DSN returns a connection string for a fresh, empty database of engine e:
// a SQLite file in a temporary directory, or a new PostgreSQL schema.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "antq.db")
	}
	base := PostgresURL()
	if base == "" {
		t.Fatal("ANTQ_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("ANTQ_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
