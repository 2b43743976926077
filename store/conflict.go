package store

import (
	"errors"
	"syscall"

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

// storageFull reports whether err is a write refused for want of space:
// ENOSPC from the file system, SQLITE_FULL, or PostgreSQL's SQLSTATE 53100
// (disk_full).
func storageFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_FULL
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "53100"
}

// errNoSpace is what a user is told when the server's disk is full: the
// write did not happen (its transaction rolled back) and may be tried again
// once space is freed.
func errNoSpace(err error) error {
	return &antq.Error{Code: antq.ENOSPACE, Err: err,
		Message: "Máy chủ hết dung lượng lưu trữ: dữ liệu chưa được ghi. Đề nghị báo quản trị hệ thống giải phóng dung lượng rồi thử lại."}
}

// writeError is how a failed write reaches the caller: a duplicate key as
// ECONFLICT, a full disk as ENOSPACE, anything else as it is. Errors that
// already carry a code are left alone.
func writeError(err error) error {
	var ae *antq.Error
	switch {
	case err == nil || errors.As(err, &ae):
		return err
	case storageFull(err):
		return errNoSpace(err)
	}
	return conflictOnDuplicate(err)
}
