package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"antq"
)

const userSelect = `
SELECT us.id, us.username, us.full_name, us.role, us.unit_id, un.code, us.disabled, us.created_at
FROM users us JOIN units un ON un.id = us.unit_id
`

func scanUser(row interface{ Scan(...any) error }) (*antq.User, error) {
	var u antq.User
	var role string
	if err := row.Scan(&u.ID, &u.Username, &u.FullName, &role, &u.UnitID, &u.UnitCode, &u.Disabled, &u.CreatedAt); err != nil {
		return nil, err
	}
	u.Role = antq.Role(role)
	return &u, nil
}

// NewUser is what creating an account takes. PasswordHash is computed by
// the caller (package auth), so the store never sees a password.
type NewUser struct {
	Username     string
	FullName     string
	Role         antq.Role
	UnitCode     string
	PasswordHash string
}

// CreateUser adds an account belonging to the unit with UnitCode (its latest
// version), which must be in the caller's scope.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (*antq.User, error) {
	f := antq.FieldErrors{}
	if !antq.ValidUsername(nu.Username) {
		f.Add("username", "tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, '.', '-', '_'")
	}
	if !nu.Role.Valid() {
		f.Add("role", fmt.Sprintf("vai trò không hợp lệ: %q", nu.Role))
	}
	if nu.UnitCode == "" {
		f.Add("unit", "cần mã đơn vị")
	}
	if nu.PasswordHash == "" {
		f.Add("password", "cần mật khẩu")
	}
	if err := f.Err("Thông tin tài khoản không hợp lệ"); err != nil {
		return nil, err
	}
	var user *antq.User
	err := db.inTx(ctx, func(tx *Tx) error {
		unit, err := db.findUnitByCode(ctx, tx, nu.UnitCode, antq.Date{})
		if err != nil {
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return antq.Invalid("Đơn vị không tồn tại", map[string]string{"unit": "không có đơn vị mã " + nu.UnitCode})
			}
			return err
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, nu.Username).Scan(&exists); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if exists > 0 {
			return &antq.Error{Code: antq.ECONFLICT, Message: "Tên đăng nhập đã tồn tại",
				Fields: map[string]string{"username": "tên đăng nhập đã được dùng"}}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_id, created_at, password_changed_at)
VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, nu.Username, strings.TrimSpace(nu.FullName), nu.PasswordHash, string(nu.Role), unit.ID, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		user = &antq.User{ID: id, Username: nu.Username, FullName: nu.FullName, Role: nu.Role, UnitID: unit.ID, UnitCode: unit.Code, CreatedAt: tx.now}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "user", Key: nu.Username, UnitID: unit.ID,
			New: map[string]any{"username": nu.Username, "role": nu.Role, "unit": unit.Code, "full_name": nu.FullName}})
	})
	return user, err
}

// FindUserByUsername returns the account, ENOTFOUND if there is none. It is
// not scoped: login needs it before anyone is known.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*antq.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+`WHERE us.username = $1`, username))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài khoản %q", username)
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// PasswordHash returns the stored hash of an enabled account, or "" when the
// account does not exist or is disabled (the caller then still spends the
// time of a hash).
func (db *DB) PasswordHash(ctx context.Context, username string) (userID int64, hash string, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE username = $1 AND disabled = FALSE`, username).Scan(&userID, &hash)
	if errNoRows(err) {
		return 0, "", nil
	}
	return userID, hash, err
}

// ---- sessions ----

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after login whatever happens
}

// CreateSession stores a new session for the user under the hash of its
// secret id.
func (db *DB) CreateSession(ctx context.Context, idHash string, userID int64, p SessionPolicy, remoteAddr, userAgent string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if len(userAgent) > 300 {
			userAgent = userAgent[:300]
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at, remote_addr, user_agent)
VALUES ($1, $2, $3, $3, $4, $5, $6)`, idHash, userID, tx.now, tx.now.Add(p.Absolute), remoteAddr, userAgent)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// SessionUser returns the user of a live session and records the request
// (sliding the idle timeout). An unknown, expired or idle session, or a
// disabled user, is EUNAUTHORIZED.
func (db *DB) SessionUser(ctx context.Context, idHash string, p SessionPolicy) (*antq.User, error) {
	now := db.Now().UTC()
	var seen, expires time.Time
	row := db.read.QueryRowContext(ctx, `
SELECT us.id, us.username, us.full_name, us.role, us.unit_id, un.code, us.disabled, us.created_at, se.seen_at, se.expires_at
FROM sessions se JOIN users us ON us.id = se.user_id JOIN units un ON un.id = us.unit_id
WHERE se.id_hash = $1`, idHash)
	u, err := scanUser(scanWith{row.Scan, []any{&seen, &expires}})
	if errNoRows(err) {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn")
	} else if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if u.Disabled || now.After(expires) || now.Sub(seen) > p.Idle {
		db.DeleteSession(ctx, idHash)
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn")
	}
	// Touch at most once a minute: most requests stay read-only.
	if now.Sub(seen) > time.Minute {
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET seen_at = $1 WHERE id_hash = $2`, now, idHash); err != nil {
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

// DeleteSession ends one session (logout).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return err
}

// ---- API tokens ----

// Token describes an API token; the secret itself is never stored.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// CreateToken stores the hash of a new token for the user.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (*Token, error) {
	t := &Token{Name: name, Prefix: prefix}
	err := db.inTx(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, name, tokenHash, prefix, tx.now).Scan(&t.ID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "api_token", Key: fmt.Sprint(t.ID),
			New: map[string]any{"user_id": userID, "name": name, "prefix": prefix}})
	})
	return t, err
}

// TokenUser returns the enabled user owning a live token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (*antq.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+`JOIN api_tokens t ON t.user_id = us.id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND us.disabled = FALSE`, tokenHash))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
	} else if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	return u, nil
}
