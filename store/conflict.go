package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"antq"
)

// uniqueViolation reports whether err is the database refusing a duplicate
// key: SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY, or PostgreSQL's SQLSTATE
// 23505 (unique_violation, primary keys included).
func uniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// conflictOnDuplicate turns a duplicate key the database refused into
// ECONFLICT (409), keeping the cause for the log. The store checks for
// duplicates before it writes; this is what a caller sees when a concurrent
// transaction wrote the same key between that check and the write. Errors
// that already carry a code are left alone.
func conflictOnDuplicate(err error) error {
	var ae *antq.Error
	if err == nil || errors.As(err, &ae) || !uniqueViolation(err) {
		return err
	}
	return &antq.Error{Code: antq.ECONFLICT, Err: err,
		Message: "Dữ liệu vừa được ghi trùng bởi một thao tác khác; hãy tải lại và thử lại (duplicate key)"}
}
