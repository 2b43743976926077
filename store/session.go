package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"antq"
)

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after login whatever happens
}

// CreateSession stores a new session for the user under the hash of its
// secret id.
func (db *DB) CreateSession(ctx context.Context, idHash string, userID int64, p SessionPolicy, remoteAddr, userAgent string) error {
	return db.inTx(ctx, func(tx *Tx) error { return db.createSession(ctx, tx, idHash, userID, p, remoteAddr, userAgent) })
}

func (db *DB) createSession(ctx context.Context, tx *Tx, idHash string, userID int64, p SessionPolicy, remoteAddr, userAgent string) error {
	if len(userAgent) > 300 {
		userAgent = strings.ToValidUTF8(userAgent[:300], "")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at, remote_addr, user_agent)
VALUES ($1, $2, $3, $3, $4, $5, $6)`, idHash, userID, tx.now, tx.now.Add(p.Absolute), remoteAddr, userAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	// Sweep sessions that ended long ago, so the table stays small.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, tx.now.Add(-time.Hour)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of a live session and records the request
// (sliding the idle timeout). An unknown, expired or idle session, or a
// disabled user, is EUNAUTHORIZED.
func (db *DB) SessionUser(ctx context.Context, idHash string, p SessionPolicy) (*antq.User, error) {
	now := db.Now().UTC()
	var seen, expires time.Time
	row := db.read.QueryRowContext(ctx, `
SELECT us.id, us.username, us.full_name, us.role, us.unit_id, un.code, un.name, us.disabled, us.must_change_password, us.created_at, se.seen_at, se.expires_at
FROM sessions se JOIN users us ON us.id = se.user_id JOIN units un ON un.id = us.unit_id
WHERE se.id_hash = $1`, idHash)
	u, err := scanUser(scanWith{row.Scan, []any{&seen, &expires}})
	if errNoRows(err) {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn")
	} else if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if u.Disabled || !now.Before(expires) || now.Sub(seen) >= p.Idle {
		db.DeleteSession(ctx, idHash)
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn")
	}
	// Touch at most once a minute: most requests stay read-only.
	if now.Sub(seen) > time.Minute {
		// Best effort on a full disk: the page is served, the session's
		// last activity stays older (it may then expire a minute sooner).
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET seen_at = $1 WHERE id_hash = $2`, now, idHash); err != nil && !storageFull(err) {
			return nil, fmt.Errorf("session: %w", err)
		}
	}
	return u, nil
}

// scanWith adapts a Scan that needs extra destinations after the user's.
type scanWith struct {
	scan  func(...any) error
	extra []any
}

func (s scanWith) Scan(dest ...any) error { return s.scan(append(dest, s.extra...)...) }

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return err
}

// Logout ends the caller's session and records it in the audit trail.
func (db *DB) Logout(ctx context.Context, idHash string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		u := antq.UserFromContext(ctx)
		if n, _ := res.RowsAffected(); n == 0 || u == nil {
			return nil
		}
		return db.audit(ctx, tx, auditEntry{Action: "logout", Entity: "session", Key: u.Username, UnitID: u.UnitID})
	})
}
