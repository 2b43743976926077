package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// libpqURL turns a pgx connection URL into one libpq tools accept: pgx's
// search_path parameter is not a libpq one, so it is returned apart (the
// schema to dump).
func libpqURL(dsn string) (conn, schema string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, ""
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// Backup writes a consistent copy of the database to path while the server
// keeps running — SQLite's VACUUM INTO, or pg_dump's custom format for
// PostgreSQL — and the evidence files it refers to into BackupFilesDir(path).
// It refuses to overwrite an existing file; a failed backup leaves neither.
func (db *DB) Backup(ctx context.Context, path string) error {
	for _, p := range []string{path, BackupFilesDir(path)} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("backup: %s already exists", p)
		}
	}
	if err := db.backupDatabase(ctx, path); err != nil {
		return err
	}
	if err := db.backupFiles(ctx, path); err != nil {
		os.Remove(path)
		os.RemoveAll(BackupFilesDir(path))
		return err
	}
	return nil
}

func (db *DB) backupDatabase(ctx context.Context, path string) error {
	return db.dialect.backup(ctx, db, path)
}

// backupSQLite copies the database with VACUUM INTO.
func backupSQLite(ctx context.Context, db *DB, path string) error {
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// backupPostgres dumps the database (its schema, when the URL names one)
// in pg_dump's custom format.
func backupPostgres(ctx context.Context, db *DB, path string) error {
	conn, schema := libpqURL(db.dsn)
	args := []string{"--format=custom", "--no-owner", "--file=" + path, "--dbname=" + conn}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	cmd := exec.CommandContext(ctx, "pg_dump", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// VerifyBackup checks a backup file: a SQLite copy must pass integrity and
// foreign-key checks and carry a known schema; a pg_dump archive must list
// the tables. Every evidence file the copy refers to must be in
// BackupFilesDir(path) with the content its name (a hash) says.
func VerifyBackup(ctx context.Context, engine Engine, path string) (units int, err error) {
	return verifyBackup(ctx, engine, path, "")
}

// verifyBackup is VerifyBackup; an evidence file missing from the backup
// may be found in fallback instead (the files directory a restore writes
// to, for a backup taken before backups carried files).
func verifyBackup(ctx context.Context, engine Engine, path, fallback string) (units int, err error) {
	d := dialectOf(engine)
	units, err = d.verifyBackup(ctx, path)
	if err != nil {
		return 0, err
	}
	sums, err := d.backupHashes(ctx, path)
	if err != nil {
		return 0, err
	}
	if err := verifyBackupFiles(sums, BackupFilesDir(path), fallback); err != nil {
		return 0, err
	}
	return units, nil
}

// verifyPostgresArchive checks that a pg_dump archive holds the data of
// the main tables; it cannot count the units (-1).
func verifyPostgresArchive(ctx context.Context, path string) (units int, err error) {
	out, err := exec.CommandContext(ctx, "pg_restore", "--list", path).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("verify backup: pg_restore --list: %v: %s", err, strings.TrimSpace(string(out)))
	}
	for _, table := range []string{"units", "unit_links", "audit_log", "schema_migrations"} {
		if !regexp.MustCompile(`TABLE DATA \S+ ` + table + ` `).Match(out) {
			return 0, fmt.Errorf("verify backup: the archive has no data for table %s", table)
		}
	}
	return -1, nil
}

// verifySQLiteBackup opens a SQLite copy and runs the integrity and
// foreign-key checks; its schema must be one this program knows.
func verifySQLiteBackup(ctx context.Context, path string) (units int, err error) {
	db, err := Open(ctx, path, Options{NoEvidence: true})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var result string
	if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		return 0, fmt.Errorf("verify backup: integrity check: %s %v", result, err)
	}
	rows, err := db.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return 0, fmt.Errorf("verify backup: %w", err)
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return 0, errors.New("verify backup: foreign key check failed")
	}
	have, want, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if have == 0 || have > want {
		return 0, fmt.Errorf("verify backup: schema version %d, this program knows up to %d", have, want)
	}
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&units)
	return units, err
}

// Restore replaces the database at dsn with a verified backup: for SQLite
// the file is copied into place (the server must be stopped); for
// PostgreSQL pg_restore recreates the objects in the target database. The
// backup's evidence files are copied into filesDir first, so the restored
// database never names a file that is not there.
func Restore(ctx context.Context, dsn, path, filesDir string) error {
	if filesDir == "" {
		return errors.New("restore: no evidence files directory given")
	}
	d := dialectOf(engineOf(dsn))
	if _, err := verifyBackup(ctx, d.engine, path, filesDir); err != nil {
		return err
	}
	sums, err := d.backupHashes(ctx, path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filesDir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := restoreFiles(sums, BackupFilesDir(path), filesDir); err != nil {
		return err
	}
	return d.restore(ctx, dsn, path)
}

// restorePostgres recreates the archive's objects in the target database,
// in one transaction.
func restorePostgres(ctx context.Context, dsn, path string) error {
	conn, _ := libpqURL(dsn)
	out, err := exec.CommandContext(ctx, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname="+conn, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("restore: pg_restore: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// restoreSQLite puts the copy in place of the database file (through a
// temporary name) and drops the old write-ahead log.
func restoreSQLite(ctx context.Context, dsn, path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp := dsn + ".restore"
	if err := os.WriteFile(tmp, body, 0o600); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dsn + suffix)
	}
	return os.Rename(tmp, dsn)
}
