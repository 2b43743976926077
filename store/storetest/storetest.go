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
	"sync"
	"testing"
	"time"

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
	ForEachWith(t, store.Options{}, fn)
}

// ForEachWith is ForEach with options for store.Open (see OpenWith).
func ForEachWith(t *testing.T, opts store.Options, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachEngine(t, func(t *testing.T, e store.Engine) { fn(t, OpenWith(t, e, opts)) })
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

// Open returns a fresh, migrated database of engine e, with its evidence
// files in a temporary directory and its clock from Clock.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	return OpenWith(t, e, store.Options{})
}

// OpenWith is Open with options for store.Open. An empty FilesDir becomes
// a temporary directory (unless NoEvidence); a nil Now becomes a Clock that
// the test reaches through Clock(db).
func OpenWith(t testing.TB, e store.Engine, opts store.Options) *store.DB {
	t.Helper()
	dsn := DSN(t, e)
	if opts.FilesDir == "" && !opts.NoEvidence {
		opts.FilesDir = filepath.Join(t.TempDir(), "files")
	}
	var c *TestClock
	if opts.Now == nil {
		c = &TestClock{}
		opts.Now = c.Now
	}
	db, err := store.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	if c != nil {
		clocks.Store(db, c)
	}
	t.Cleanup(func() {
		clocks.Delete(db)
		db.Close()
	})
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// TestClock is a database's clock in tests: the wall clock until Set, then
// the time set, moved only by Advance.
type TestClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		return time.Now()
	}
	return c.now
}

// Set stops the clock at now.
func (c *TestClock) Set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// Advance moves the clock by d (from the wall clock's time if it was not set).
func (c *TestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.now = c.now.Add(d)
}

// clocks maps each database Open made to its clock.
var clocks sync.Map // *store.DB → *TestClock

// Clock returns the clock of a database opened by Open, OpenWith or
// ForEach (without Options.Now): the way a test sets the time, since a DB's
// configuration is fixed when it opens. It panics for any other database.
func Clock(db *store.DB) *TestClock {
	c, ok := clocks.Load(db)
	if !ok {
		panic("storetest.Clock: the database was not opened by storetest with its own clock")
	}
	return c.(*TestClock)
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
