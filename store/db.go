// Package store keeps ANTQ's data in SQLite (embedded, the default) or
// PostgreSQL behind one API. The SQL is written once with $n placeholders,
// which both engines accept; the few places where the dialects differ are
// named methods of dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"antq"
)

//go:embed migrations
var migrationFS embed.FS

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is the storage. Writes go through one connection on SQLite (SQLite has
// one writer; queueing in Go beats busy retries) and a pool on PostgreSQL.
type DB struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	dsn    string
	plans  planCache

	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// FilesDir holds evidence files by content hash.
	FilesDir string
	// EvidenceLimits bound evidence uploads.
	EvidenceLimits EvidenceLimits
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is a SQLite file path. It does not migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dsn: dsn, Now: time.Now, EvidenceLimits: DefaultEvidenceLimits}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.engine = Postgres
		if db.write, err = sql.Open("pgx", dsn); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.write.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
		db.write.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
		db.write.SetConnMaxIdleTime(5 * time.Minute)
		// Reads get a pool of their own: a write transaction that reads
		// through the read pool (the plan catalogue) must never wait for a
		// connection that another write transaction holds.
		if db.read, err = sql.Open("pgx", dsn); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.read.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
		db.read.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
		db.read.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		db.engine = SQLite
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		if db.write, err = sql.Open("sqlite", sqliteDSN(dsn, true)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxLifetime(0)
		if db.read, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		n := max(4, 2*runtime.GOMAXPROCS(0))
		db.read.SetMaxOpenConns(n)
		db.read.SetMaxIdleConns(n)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.engine, err)
	}
	return db, nil
}

// sqliteDSN adds the pragmas every connection needs: WAL so readers never
// block the writer, a busy timeout, foreign keys on.
func sqliteDSN(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32000)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Engine returns the engine in use.
func (db *DB) Engine() Engine { return db.engine }

// Close closes all connections.
func (db *DB) Close() error {
	var err error
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Tx is a write transaction. It records the time once, so every row a
// service call writes carries the same timestamp.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC()}, nil
}

// inTx runs fn in a write transaction and commits it if fn succeeds.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// querier is what read helpers need: a *sql.DB or a *Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ---- migrations ----

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		body, err := fs.ReadFile(migrationFS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: name, sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out, nil
}

// SchemaVersion returns the version the database is at and the version this
// binary expects.
func (db *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		want = ms[len(ms)-1].version
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, want, fmt.Errorf("schema_migrations: %w", err)
	}
	var v sql.NullInt64
	if err := db.write.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, want, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), want, nil
}

// checkHistory refuses a database whose applied migrations are not this
// binary's: the same number recorded under another file name means a
// history that was renumbered since (a development build's database), on
// which the pending migrations would run against the wrong schema.
func (db *DB) checkHistory(ctx context.Context, ms []migration) error {
	rows, err := db.write.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return fmt.Errorf("read schema history: %w", err)
	}
	defer rows.Close()
	names := map[int]string{}
	for _, m := range ms {
		names[m.version] = m.name
	}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return fmt.Errorf("read schema history: %w", err)
		}
		if want, ok := names[v]; ok && want != name {
			return &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf(
				"cơ sở dữ liệu đã áp dụng bước %d là %s, chương trình này có %s ở bước đó: lịch sử lược đồ khác, không nâng cấp được; hãy phục hồi một bản sao lưu của phiên bản này (the database's migration %d is %s, this antq's is %s)",
				v, name, want, v, name, want)}
		}
	}
	return rows.Err()
}

// Migrate applies every pending migration, each in its own transaction.
func (db *DB) Migrate(ctx context.Context) error {
	have, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	if err := db.checkHistory(ctx, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= have {
			continue
		}
		err := db.inTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, tx.now.Format(time.RFC3339))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// CheckSchema refuses a database whose schema is older (or newer) than this
// binary: the server must not run on a schema it does not know.
func (db *DB) CheckSchema(ctx context.Context) error {
	have, want, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	if err := db.checkHistory(ctx, ms); err != nil {
		return err
	}
	if have != want {
		return &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf(
			"cơ sở dữ liệu ở phiên bản lược đồ %d, chương trình cần %d: chạy 'antq migrate'", have, want)}
	}
	return nil
}

// Checkpoint folds SQLite's write-ahead log into the database file (for
// copies and backups); a no-op on PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// SQL returns the pool that serves reads, for connection statistics.
func (db *DB) SQL() *sql.DB { return db.read }

// SearchPath is the PostgreSQL schema named in the connection URL, if any.
func (db *DB) SearchPath() string {
	_, schema := libpqURL(db.dsn)
	return schema
}
