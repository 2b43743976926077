package antq

import (
	"context"
	"errors"
)

// Versions of facts (concurrent edits, test plan T5). Every change of a fact
// appends an audit record in its own transaction; the fact's version is the
// number of its latest change. A client that read a fact at one version
// sends it back with its write (If-Match on the API, a hidden field in the
// forms); the store checks it inside the write's transaction, under a lock
// on the fact, and refuses a stale write with ErrStaleVersion instead of
// overwriting what another user saved meanwhile.

// VersionCheck asks the store to check a write against the version the
// client read, and reports the version the write made.
type VersionCheck struct {
	Kind FactKind // the fact the write names
	ID   int64    // its id, for facts a unit has many of (models, incidents)
	// IfMatch is the version the client read ("" checks nothing).
	IfMatch string
	// Current is the fact's version: after a refused write, the one that
	// beat the client; after a write, the one it made.
	Current string
}

type versionKey struct{}

// WithVersionCheck returns ctx carrying vc for the next fact write.
func WithVersionCheck(ctx context.Context, vc *VersionCheck) context.Context {
	return context.WithValue(ctx, versionKey{}, vc)
}

// VersionCheckFrom returns the check ctx carries, or nil.
func VersionCheckFrom(ctx context.Context) *VersionCheck {
	vc, _ := ctx.Value(versionKey{}).(*VersionCheck)
	return vc
}

// ErrStaleVersion is the cause of the conflict a stale write gets.
var ErrStaleVersion = errors.New("stale version")

// StaleVersion is the error of a write made on a version that is no longer
// the fact's: 409, with a message saying what to do.
func StaleVersion() error {
	return &Error{Code: ECONFLICT, Err: ErrStaleVersion,
		Message: "Số liệu này vừa được người khác thay đổi sau khi bạn mở; hãy xem giá trị hiện tại rồi nhập lại nếu vẫn cần sửa"}
}
