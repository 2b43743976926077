package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
)

// dialect is what differs between the engines. Open chooses one
// (dialectOf); everything else is one SQL text for both. Where the
// difference is only SQL text it is a field here; where it is code, the
// field names a function kept with its subject (backup.go, import_load.go…).
type dialect struct {
	engine Engine

	// numberedParams: statements built in Go number their parameters ($1,
	// $2, …). SQLite gets anonymous '?' instead: it looks numbered ones up
	// by name, which grows with the square of their number.
	numberedParams bool
	// cachesStatements: the writer's statements are prepared once and
	// reused (stmt_cache.go). SQLite only: pgx caches per connection.
	cachesStatements bool

	// Locks taken inside a write transaction; "" where SQLite's single
	// writer serialises already.
	planLockSQL  string // indicator maintenance of one plan ($1: the plan id)
	auditLockSQL string // appends to the audit hash chain
	factLockSQL  string // one fact's version check and write ($1: kind|key)
	// unitsLockSQL keeps other unit writers out of an import: its overlap
	// checks must see every unit that could conflict, and ids are taken as
	// one block. Readers are not blocked.
	unitsLockSQL string

	// schemaTableSQL tells whether schema_migrations exists, without DDL.
	schemaTableSQL string
	// checkpointSQL folds the write-ahead log into the database file ("":
	// nothing to fold).
	checkpointSQL string
	// analyze: the planner's statistics must be refreshed after a bulk load
	// (PostgreSQL; SQLite plans from its indexes alone).
	analyze bool

	// Bulk imports. bulkSessionSQL sets the import connection up (outside
	// the transaction) and bulkSessionResetSQL puts it back;
	// bulkForeignKeyCheck names the tables whose foreign keys are checked
	// before commit because the session switched them off.
	bulkSessionSQL, bulkSessionResetSQL []string
	bulkForeignKeyCheck                 []string
	// suspendableSQL list, as (drop, create) statement pairs, the indexes
	// and constraints of the unit tables that a bulk import drops and
	// restores at the end.
	suspendableSQL []string
	// allocateUnitIDs reserves n consecutive unit ids and returns the first.
	allocateUnitIDs func(ctx context.Context, tx *Tx, n int) (int64, error)
	// loadUnits writes the units, their links and sizes of an import on the
	// transaction (conn is the connection that holds it) and returns the
	// number of sizes written.
	loadUnits func(ctx context.Context, conn *sql.Conn, tx *Tx, recs []antq.UnitRecord) (sizes int, err error)

	// openPools opens the writer and the read pool.
	openPools func(dsn string) (write, read *sql.DB, err error)
	// Backups: a consistent copy while the server runs, its verification
	// (units counted, -1 when the format cannot tell), the evidence hashes
	// its database names, and the restore over dsn.
	backup       func(ctx context.Context, db *DB, path string) error
	verifyBackup func(ctx context.Context, path string) (units int, err error)
	backupHashes func(ctx context.Context, path string) ([]string, error)
	restore      func(ctx context.Context, dsn, path string) error
}

// engineOf tells the engine from a DSN: a postgres:// or postgresql:// URL
// is PostgreSQL, anything else a SQLite file path.
func engineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// dialectOf returns the engine's dialect.
func dialectOf(e Engine) dialect {
	if e == Postgres {
		return dialect{
			engine:         Postgres,
			numberedParams: true,
			// Advisory locks belong to the database, not to a schema: the
			// keys name the schema, so that deployments (and the tests,
			// one schema each) sharing a database never wait on, or
			// deadlock with, one another.
			planLockSQL:    `SELECT pg_advisory_xact_lock(hashtextextended('antq.plan.' || current_schema() || '.' || $1, 0))`,
			auditLockSQL:   `SELECT pg_advisory_xact_lock(hashtextextended('antq.audit.' || current_schema(), 0))`,
			factLockSQL:    `SELECT pg_advisory_xact_lock(hashtextextended('antq.fact.' || current_schema() || '.' || $1, 0))`,
			unitsLockSQL:   `LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`,
			schemaTableSQL: `SELECT to_regclass('schema_migrations') IS NOT NULL`,
			analyze:        true,
			// Foreign keys are checked by a trigger per row here: they are
			// suspended with the indexes.
			suspendableSQL: []string{`
SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN ('units'::regclass, 'unit_links'::regclass, 'unit_sizes'::regclass)
  AND NOT i.indisunique AND NOT i.indisprimary
ORDER BY 1`, `
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
FROM pg_constraint c
WHERE c.contype = 'f' AND c.conrelid IN ('unit_links'::regclass, 'unit_sizes'::regclass)
ORDER BY 1`},
			allocateUnitIDs: allocateUnitIDsPostgres,
			loadUnits:       copyUnitsPostgres,
			openPools:       openPostgres,
			backup:          backupPostgres,
			verifyBackup:    verifyPostgresArchive,
			backupHashes:    archiveHashes,
			restore:         restorePostgres,
		}
	}
	return dialect{
		engine:           SQLite,
		cachesStatements: true,
		schemaTableSQL:   `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
		checkpointSQL:    `PRAGMA wal_checkpoint(TRUNCATE)`,
		// Foreign keys are switched per connection, outside transactions,
		// and checked in full before commit; the index rebuild sorts with a
		// helper thread.
		bulkSessionSQL:      []string{`PRAGMA foreign_keys = OFF`, `PRAGMA threads = 2`},
		bulkSessionResetSQL: []string{`PRAGMA foreign_keys = ON`, `PRAGMA threads = 0`},
		bulkForeignKeyCheck: []string{"unit_links", "unit_sizes"},
		suspendableSQL: []string{`
SELECT 'DROP INDEX "' || name || '"', sql FROM sqlite_master
WHERE type = 'index' AND tbl_name IN ('units', 'unit_links', 'unit_sizes')
  AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'
ORDER BY name`},
		allocateUnitIDs: allocateUnitIDsSQLite,
		loadUnits:       insertUnitsSQLite,
		openPools:       openSQLite,
		backup:          backupSQLite,
		verifyBackup:    verifySQLiteBackup,
		backupHashes:    sqliteBackupHashes,
		restore:         restoreSQLite,
	}
}

// lock runs one of the dialect's lock statements in tx; "" is no lock.
func (d *dialect) lock(ctx context.Context, tx *Tx, query string, args ...any) error {
	if query == "" {
		return nil
	}
	key := query + fmt.Sprint(args...)
	if tx.held[key] {
		return nil // a transaction-scoped lock tx holds already
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	if tx.held == nil {
		tx.held = map[string]bool{}
	}
	tx.held[key] = true
	return nil
}

// writeParam writes the n-th parameter (from 1) of a statement built in Go.
func (d *dialect) writeParam(b *strings.Builder, n int) {
	if d.numberedParams {
		fmt.Fprintf(b, "$%d", n)
	} else {
		b.WriteByte('?')
	}
}

// writeValues writes the VALUES list of a multi-row insert: rows tuples of
// cols parameters each, numbered from 1 in row order.
func (d *dialect) writeValues(b *strings.Builder, rows, cols int) {
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			d.writeParam(b, i*cols+j+1)
		}
		b.WriteByte(')')
	}
}
