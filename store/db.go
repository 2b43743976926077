// Package store keeps ANTQ's data in SQLite (embedded, the default) or
// PostgreSQL behind one API. The SQL is written once with $n placeholders,
// which both engines accept; the few places where the dialects differ are
// named fields of one dialect value, chosen in Open (dialect.go).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"antq"
	"antq/rules"
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
	dialect dialect
	write   *sql.DB
	read    *readPool // SQLite: statements prepared once (read_pool.go)
	dsn     string
	plans   planCache

	now      func() time.Time
	filesDir string
	limits   EvidenceLimits

	idKeyMu sync.Mutex // guards idKey, loaded on first use (store/person_key.go)
	idKey   []byte

	stmts  stmtCache  // SQLite: the writer's prepared statements (stmt_cache.go)
	writes writeGroup // fact writes committed together (write_group.go)

	subtree subtreeCache // SubtreeCounts per registry generation (unit_subtree.go)
}

// Options configure a DB; they are fixed when it opens.
type Options struct {
	// FilesDir holds evidence files by content hash (cmd/antq: files in the
	// data directory). Open creates it and refuses to proceed without it
	// unless NoEvidence is set.
	FilesDir string
	// NoEvidence opens without a files directory, for a caller that never
	// stores or serves evidence (verifying a backup, benchmarks of the
	// figures): evidence calls then fail with an internal error. A server
	// refuses such a DB (web.NewServer).
	NoEvidence bool
	// EvidenceLimits bound uploads; zero fields take DefaultEvidenceLimits.
	EvidenceLimits EvidenceLimits
	// Now returns the current time; nil means time.Now. Tests pass a clock
	// they move.
	Now func() time.Time
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is a SQLite file path. It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{dsn: dsn, now: opts.Now, filesDir: opts.FilesDir, limits: opts.EvidenceLimits}
	if db.now == nil {
		db.now = time.Now
	}
	if db.limits.MaxBytes <= 0 {
		db.limits.MaxBytes = DefaultEvidenceLimits.MaxBytes
	}
	switch {
	case opts.FilesDir != "" && opts.NoEvidence:
		return nil, errors.New("open: both a files directory and NoEvidence given")
	case opts.FilesDir == "" && !opts.NoEvidence:
		return nil, errors.New("open: no evidence files directory given (Options.FilesDir)")
	case opts.FilesDir != "":
		if err := checkFilesDir(opts.FilesDir); err != nil {
			return nil, err
		}
	}
	db.dialect = dialectOf(engineOf(dsn))
	if db.dialect.cachesStatements {
		db.stmts.init()
		db.stmts.on = true
	}
	write, read, err := db.dialect.openPools(dsn)
	if err != nil {
		return nil, err
	}
	db.write, db.read = write, newReadPool(read, db.dialect.cachesStatements)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect.engine, err)
	}
	return db, nil
}

// openPostgres opens two pools on the server. Reads get a pool of their
// own: a write transaction that reads through the read pool (the plan
// catalogue) must never wait for a connection that another write
// transaction holds.
func openPostgres(dsn string) (write, read *sql.DB, err error) {
	conns := max(8, 4*runtime.GOMAXPROCS(0))
	open := func() (*sql.DB, error) {
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		p.SetMaxOpenConns(conns)
		p.SetMaxIdleConns(conns)
		p.SetConnMaxIdleTime(5 * time.Minute)
		return p, nil
	}
	if write, err = open(); err != nil {
		return nil, nil, err
	}
	if read, err = open(); err != nil {
		write.Close()
		return nil, nil, err
	}
	return write, read, nil
}

// openSQLite opens the file with one writer connection (SQLite has one
// writer; queueing in Go beats busy retries) and a read-only pool.
func openSQLite(dsn string) (write, read *sql.DB, err error) {
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	if write, err = sql.Open("sqlite", sqliteDSN(dsn, true)); err != nil {
		return nil, nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if read, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return write, read, nil
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

// checkFilesDir creates the evidence directory and proves it writable, so a
// misconfigured server stops at start rather than at the first upload.
func checkFilesDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("evidence files directory: %w", err)
	}
	// A probe left by a process killed between creating and removing it
	// is not evidence: it goes.
	stale, _ := filepath.Glob(filepath.Join(dir, "probe-*"))
	for _, p := range stale {
		os.Remove(p)
	}
	f, err := os.CreateTemp(dir, "probe-*")
	if err != nil {
		return fmt.Errorf("evidence files directory is not writable: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Now returns the current time by the DB's clock.
func (db *DB) Now() time.Time { return db.now() }

// FilesDir is where evidence files live; "" when opened with NoEvidence.
func (db *DB) FilesDir() string { return db.filesDir }

// EvidenceLimits are the bounds on uploads.
func (db *DB) EvidenceLimits() EvidenceLimits { return db.limits }

// Engine returns the engine in use.
func (db *DB) Engine() Engine { return db.dialect.engine }

// Close closes all connections.
func (db *DB) Close() error {
	err := db.stmts.close()
	if db.read != nil && db.read.DB != db.write {
		err = errors.Join(err, db.read.Close())
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
	// noCancel: the statements run to their end whatever their context
	// (a transaction shared by a group of writes, write_group.go).
	noCancel bool
	// open: the rows of the last run of each cached query (stmt_cache.go).
	open map[string]*sql.Rows
	// What tx has done that later writes in it need not redo (a group's
	// writes, write_group.go): the locks it holds, the hash of the audit
	// record it appended last, the plans it found built.
	held     map[string]bool
	lastHash string
	built    map[string]bool
	// deferCounts: the count changes of status changes are noted in
	// counts and written before the commit (a group, write_counts.go).
	deferCounts bool
	counts      []countChange
	// deferAudit: audit records are held in audits and inserted together
	// (a group, flushAudit in audit.go).
	deferAudit bool
	audits     []AuditRecord
	// catalog: the plan catalogue the group's writes share (planIn).
	catalog *rules.Catalog
}

// txState is what a savepoint rolled back must forget of Tx.
type txState struct {
	held     map[string]bool
	lastHash string
	built    map[string]bool
	counts   int
	audits   int
}

func (tx *Tx) state() txState {
	return txState{held: maps.Clone(tx.held), lastHash: tx.lastHash, built: maps.Clone(tx.built), counts: len(tx.counts), audits: len(tx.audits)}
}

func (tx *Tx) restore(s txState) {
	tx.held, tx.lastHash, tx.built, tx.counts = s.held, s.lastHash, s.built, tx.counts[:s.counts]
	// The records held back since the savepoint; a write that flushed its
	// own (a version check) found none held at its savepoint.
	tx.audits = tx.audits[:min(s.audits, len(tx.audits))]
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC()}, nil
}

// inTx runs fn in a write transaction and commits it if fn succeeds. A
// duplicate key the database refuses is ECONFLICT (conflictOnDuplicate).
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	if outer, ok := ctx.Value(enclosingTxKey{}).(*importTx); ok && outer.tx.db == db {
		return outer.tx.savepoint(ctx, fn) // within an import's transaction (fact_import.go)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return writeError(err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(fmt.Errorf("commit: %w", err))
	}
	db.stmts.preparePending(ctx, db)
	return nil
}

// querier is what read helpers need: a *sql.DB or a *Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// queryColumn runs a query of one column and returns its values.
func queryColumn[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ---- migrations ----

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.dialect.engine)
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
func (db *DB) checkHistory(ctx context.Context, q querier, ms []migration) error {
	rows, err := q.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
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
				"cơ sở dữ liệu đã áp dụng bước %d là %s, chương trình này có %s ở bước đó: lịch sử lược đồ khác, không nâng cấp được; hãy phục hồi một bản sao lưu của phiên bản này",
				v, name, want)}
		}
	}
	return rows.Err()
}

// Migrate applies every pending migration, each in its own transaction.
//
// Every migration not recorded yet is applied, in order, even one below the
// newest recorded: branches developed side by side land their migrations
// out of number order, and a database built between two landings must get
// the one that landed later.
func (db *DB) Migrate(ctx context.Context) error {
	if _, _, err := db.SchemaVersion(ctx); err != nil {
		return err // creates schema_migrations when absent
	}
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	if err := db.checkHistory(ctx, db.write, ms); err != nil {
		return err
	}
	applied := map[int]bool{}
	versions, err := queryColumn[int](ctx, db.write, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read schema history: %w", err)
	}
	for _, v := range versions {
		applied[v] = true
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := db.inTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if step, ok := migrationSteps[m.version]; ok {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
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
// binary: the server must not run on a schema it does not know. It only
// reads, through the read pool (no DDL, never the writer), so a readiness
// probe neither writes nor waits behind a long write; a database without
// schema_migrations is at version 0.
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	want := 0
	if len(ms) > 0 {
		want = ms[len(ms)-1].version
	}
	var exists bool
	if err := db.read.QueryRowContext(ctx, db.dialect.schemaTableSQL).Scan(&exists); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	var have sql.NullInt64
	if exists {
		if err := db.read.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&have); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
	}
	if exists {
		if err := db.checkHistory(ctx, db.read, ms); err != nil {
			return err
		}
	}
	if int(have.Int64) != want {
		return &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf(
			"cơ sở dữ liệu ở phiên bản lược đồ %d, chương trình cần %d: chạy 'antq migrate'", have.Int64, want)}
	}
	return nil
}

// Checkpoint folds SQLite's write-ahead log into the database file (for
// copies and backups); a no-op on PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect.checkpointSQL == "" {
		return nil
	}
	_, err := db.write.ExecContext(ctx, db.dialect.checkpointSQL)
	return err
}

// ReadPool returns the pool that serves reads (not the writer), for
// connection statistics and tests that read the schema.
func (db *DB) ReadPool() *sql.DB { return db.read.DB }

// SearchPath is the PostgreSQL schema named in the connection URL, if any.
func (db *DB) SearchPath() string {
	_, schema := libpqURL(db.dsn)
	return schema
}
