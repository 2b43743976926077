package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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

// MaxFullNameLen bounds a full name.
const MaxFullNameLen = 200

func checkFullName(f antq.FieldErrors, name string) {
	if utf8.RuneCountInString(name) > MaxFullNameLen || !utf8.ValidString(name) {
		f.Add("full_name", fmt.Sprintf("họ tên tối đa %d ký tự", MaxFullNameLen))
	}
}

// unitOutOfReach is the answer for a unit code that does not exist or lies
// outside the caller's scope: the same for both, so it reveals nothing.
func unitOutOfReach(code string) error {
	return &antq.Error{Code: antq.EFORBIDDEN, Message: "Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn",
		Fields: map[string]string{"unit": fmt.Sprintf("không có đơn vị mã %q trong phạm vi quản lý", code)}}
}

// CreateUser adds an account belonging to the unit with UnitCode (its latest
// version), which must be in the caller's scope: an administrator creates
// accounts only within its own subtree. A name already in use is a
// conflict for a caller who sees every account, else a neutral "choose
// another name" (EINVALID) that does not tell where the account lies.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (*antq.User, error) {
	nu.FullName = strings.TrimSpace(nu.FullName)
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
	checkFullName(f, nu.FullName)
	if err := f.Err("Thông tin tài khoản không hợp lệ"); err != nil {
		return nil, err
	}
	var user *antq.User
	err := db.inTx(ctx, func(tx *Tx) error {
		unit, err := db.findUnitByCode(ctx, tx, nu.UnitCode, antq.Date{})
		if err != nil {
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return unitOutOfReach(nu.UnitCode)
			}
			return err
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, nu.Username).Scan(&exists); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if exists > 0 {
			// Only a caller who sees every account learns that the name is
			// taken; anyone else gets the same neutral refusal whether the
			// account lies in its scope or elsewhere, so user add does not
			// reveal accounts outside it.
			whole, err := db.seesEverything(ctx, tx)
			if err != nil {
				return err
			}
			if whole {
				return &antq.Error{Code: antq.ECONFLICT, Message: "Tên đăng nhập đã tồn tại",
					Fields: map[string]string{"username": "tên đăng nhập đã được dùng"}}
			}
			return antq.Invalid("Không dùng được tên đăng nhập này", map[string]string{"username": "hãy chọn tên đăng nhập khác"})
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_id, created_at, password_changed_at)
VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, nu.Username, nu.FullName, nu.PasswordHash, string(nu.Role), unit.ID, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		user = &antq.User{ID: id, Username: nu.Username, FullName: nu.FullName, Role: nu.Role, UnitID: unit.ID, UnitCode: unit.Code, CreatedAt: tx.now}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "user", Key: nu.Username, UnitID: unit.ID,
			New: userAuditView(user)})
	})
	return user, err
}

// userAuditView is what the audit trail records of an account (never the
// password hash).
func userAuditView(u *antq.User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.Role, "unit": u.UnitCode, "disabled": u.Disabled}
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

// ---- accounts administration (scoped) ----

// UserFilter selects accounts. Zero fields do not filter.
type UserFilter struct {
	Query    string // part of the user name or full name (accents ignored)
	UnitCode string // accounts of this unit (not its subtree)
	Role     antq.Role
	Disabled *bool
	Offset   int
	Limit    int // default 100, at most 1000
}

// usersInScope returns the condition keeping an account (alias us, its
// unit joined as un) inside the caller's subtree: an account outside it
// does not exist for the caller. The account's unit is taken as of the
// same date as every other unit query: today while it is in force, else
// its last day, so accounts of a tree that ended (Bình Phước on 30/06/2025)
// stay with the administrators above them.
func (db *DB) usersInScope(ctx context.Context, q querier, arg func(any) string) (string, error) {
	return db.scopeCondition(ctx, q, "us.unit_id", refDateOf("un", antq.DateOf(db.Now()).String()), arg)
}

// Users returns the accounts in the caller's scope that match f, and their
// total. Listing accounts reads personal data, so it is audited.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]*antq.User, int, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	cond, err := db.usersInScope(ctx, db.read, arg)
	if err != nil {
		return nil, 0, err
	} else if cond != "" {
		where = append(where, cond)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + escapeLike(s) + "%"
		where = append(where, "(us.username LIKE "+arg(like)+" ESCAPE '\\' OR LOWER(us.full_name) LIKE "+arg(like)+" ESCAPE '\\')")
	}
	if f.UnitCode != "" {
		where = append(where, "un.code = "+arg(f.UnitCode))
	}
	if f.Role != "" {
		where = append(where, "us.role = "+arg(string(f.Role)))
	}
	if f.Disabled != nil {
		where = append(where, "us.disabled = "+arg(*f.Disabled))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	query := strings.Replace(userSelect, "us.created_at\n", "us.created_at, COUNT(*) OVER ()\n", 1)
	if len(where) > 0 {
		query += "WHERE " + strings.Join(where, " AND ") + "\n"
	}
	query += "ORDER BY us.username LIMIT " + arg(limit) + " OFFSET " + arg(max(0, f.Offset))
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	users := []*antq.User{}
	var total int
	for rows.Next() {
		u, err := scanUser(scanWith{rows.Scan, []any{&total}})
		if err != nil {
			return nil, 0, fmt.Errorf("users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("users: %w", err)
	}
	names := make([]string, 0, min(len(users), 50))
	for _, u := range users[:min(len(users), 50)] {
		names = append(names, u.Username)
	}
	err = db.auditRead(ctx, auditEntry{Action: "read", Entity: "user_list", Key: f.describe(),
		New: map[string]any{"returned": len(users), "total": total, "usernames": names}})
	return users, total, err
}

func (f UserFilter) describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("q", f.Query)
	add("unit", f.UnitCode)
	add("role", string(f.Role))
	if f.Disabled != nil {
		add("disabled", fmt.Sprint(*f.Disabled))
	}
	if f.Offset > 0 {
		add("offset", fmt.Sprint(f.Offset))
	}
	return strings.Join(parts, "&")
}

// findUserInScope returns the account named username if it is in the
// caller's scope, else ENOTFOUND (the same answer as for no such account).
func (db *DB) findUserInScope(ctx context.Context, q querier, username string) (*antq.User, error) {
	args := []any{username}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := userSelect + "WHERE us.username = $1"
	cond, err := db.usersInScope(ctx, q, arg)
	if err != nil {
		return nil, err
	} else if cond != "" {
		query += " AND " + cond
	}
	u, err := scanUser(q.QueryRowContext(ctx, query, args...))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài khoản %q", username)
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// UserDetails is an account as its administrator sees it.
type UserDetails struct {
	*antq.User
	PasswordChangedAt time.Time  `json:"password_changed_at"`
	ActiveSessions    int        `json:"active_sessions"`
	LastLoginAt       *time.Time `json:"last_login_at"`
}

// User returns the account named username, within the caller's scope.
// Reading another person's account is audited.
func (db *DB) User(ctx context.Context, username string) (*UserDetails, error) {
	u, err := db.findUserInScope(ctx, db.read, username)
	if err != nil {
		return nil, err
	}
	d := &UserDetails{User: u}
	if err := db.read.QueryRowContext(ctx, `SELECT password_changed_at FROM users WHERE id = $1`, u.ID).Scan(&d.PasswordChangedAt); err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2`, u.ID, db.Now().UTC()).Scan(&d.ActiveSessions); err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	var last time.Time
	err = db.read.QueryRowContext(ctx, `SELECT at FROM login_attempts WHERE username = $1 AND success = TRUE ORDER BY at DESC LIMIT 1`, u.Username).Scan(&last)
	if err == nil {
		d.LastLoginAt = &last
	} else if !errNoRows(err) {
		return nil, fmt.Errorf("user: %w", err)
	}
	if caller := antq.UserFromContext(ctx); caller == nil || caller.ID != u.ID {
		if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "user", Key: u.Username, UnitID: u.UnitID}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// UserChange changes an account; nil fields stay as they are.
type UserChange struct {
	FullName *string
	Role     *antq.Role
	UnitCode *string
	Disabled *bool
	Reason   string
}

// UpdateUser changes the account named username, which must be in the
// caller's scope, as must a new unit: an administrator cannot hand out a
// unit outside its own subtree. Nobody changes their own role or unit or
// disables themselves (another administrator must). Disabling an account
// ends its sessions and revokes its API tokens at once.
func (db *DB) UpdateUser(ctx context.Context, username string, c UserChange) (*antq.User, error) {
	caller := antq.UserFromContext(ctx)
	if caller == nil {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	f := antq.FieldErrors{}
	if c.Role != nil && !c.Role.Valid() {
		f.Add("role", fmt.Sprintf("vai trò không hợp lệ: %q", *c.Role))
	}
	if c.FullName != nil {
		name := strings.TrimSpace(*c.FullName)
		c.FullName = &name
		checkFullName(f, name)
	}
	if c.UnitCode != nil && *c.UnitCode == "" {
		f.Add("unit", "cần mã đơn vị")
	}
	if utf8.RuneCountInString(c.Reason) > 1000 {
		f.Add("reason", "lý do tối đa 1000 ký tự")
	}
	if err := f.Err("Thông tin tài khoản không hợp lệ"); err != nil {
		return nil, err
	}
	var out *antq.User
	err := db.inTx(ctx, func(tx *Tx) error {
		old, err := db.findUserInScope(ctx, tx, username)
		if err != nil {
			return err
		}
		u := *old
		if c.FullName != nil {
			u.FullName = *c.FullName
		}
		if c.Role != nil {
			u.Role = *c.Role
		}
		if c.Disabled != nil {
			u.Disabled = *c.Disabled
		}
		if c.UnitCode != nil && *c.UnitCode != old.UnitCode {
			unit, err := db.findUnitByCode(ctx, tx, *c.UnitCode, antq.Date{})
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return unitOutOfReach(*c.UnitCode)
			} else if err != nil {
				return err
			}
			u.UnitID, u.UnitCode = unit.ID, unit.Code
		}
		if old.ID == caller.ID && (u.Role != old.Role || u.UnitID != old.UnitID || u.Disabled) {
			return antq.Errorf(antq.EFORBIDDEN, "Không thể tự thay đổi vai trò, đơn vị hoặc tự khóa tài khoản của mình; hãy nhờ quản trị viên khác")
		}
		if u == *old {
			out = old
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET full_name = $1, role = $2, unit_id = $3, disabled = $4 WHERE id = $5`,
			u.FullName, string(u.Role), u.UnitID, u.Disabled, u.ID); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		action := "update"
		if u.Disabled && !old.Disabled {
			action = "disable"
			if err := db.endAccess(ctx, tx, u.ID, ""); err != nil {
				return err
			}
		} else if !u.Disabled && old.Disabled {
			action = "enable"
		}
		out = &u
		return db.audit(ctx, tx, auditEntry{Action: action, Entity: "user", Key: u.Username, UnitID: u.UnitID,
			Old: userAuditView(old), New: userAuditView(&u), Reason: c.Reason})
	})
	return out, err
}

// endAccess deletes every session of the user but keep (a session id hash,
// or "") and, when keep is "", revokes its API tokens too.
func (db *DB) endAccess(ctx context.Context, tx *Tx, userID int64, keep string) error {
	_, err := db.revokeAccess(ctx, tx, userID, keep, keep == "")
	return err
}

// revokeAccess deletes every session of the user but keep (a session id
// hash, or "") and, with tokens, revokes its live API tokens; it returns
// how many tokens it revoked.
func (db *DB) revokeAccess(ctx context.Context, tx *Tx, userID int64, keep string, tokens bool) (int64, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, userID, keep); err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	if !tokens {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, tx.now, userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	return n, nil
}

// ResetPassword sets another account's password (an administrator's reset;
// the account must be in the caller's scope), ends its sessions and
// revokes its API tokens: a reset is for an account presumed compromised,
// so whoever was using the old password, or a token made with it, is out
// at once.
func (db *DB) ResetPassword(ctx context.Context, username, hash, reason string) error {
	if hash == "" {
		return antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "cần mật khẩu"})
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u, err := db.findUserInScope(ctx, tx, username)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3`, hash, tx.now, u.ID); err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		revoked, err := db.revokeAccess(ctx, tx, u.ID, "", true)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "reset_password", Entity: "user", Key: u.Username, UnitID: u.UnitID, Reason: reason,
			New: map[string]any{"sessions_ended": true, "tokens_revoked": revoked}})
	})
}

// ChangeOwnPassword sets the caller's password (the caller has checked the
// current one) and ends the caller's other sessions; keepSession is the
// hash of the session making the change ("" for none, e.g. a token). With
// revokeTokens it also revokes the caller's API tokens (the user suspects
// the old password leaked); without, scripts keep working.
func (db *DB) ChangeOwnPassword(ctx context.Context, hash, keepSession string, revokeTokens bool) error {
	caller := antq.UserFromContext(ctx)
	if caller == nil || caller.ID == 0 {
		return antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3 AND disabled = FALSE`, hash, tx.now, caller.ID)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return antq.Errorf(antq.EUNAUTHORIZED, "Tài khoản không còn hoạt động")
		}
		revoked, err := db.revokeAccess(ctx, tx, caller.ID, keepSession, revokeTokens)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "change_password", Entity: "user", Key: caller.Username, UnitID: caller.UnitID,
			New: map[string]any{"other_sessions_ended": true, "tokens_revoked": revoked}})
	})
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
SELECT us.id, us.username, us.full_name, us.role, us.unit_id, un.code, us.disabled, us.created_at, se.seen_at, se.expires_at
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

// ---- API tokens ----

// Token describes an API token; the secret itself is never stored.
type Token struct {
	ID         int64      `json:"id"`
	Username   string     `json:"username"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// MaxTokenNameLen bounds a token's label.
const MaxTokenNameLen = 100

// CreateToken stores the hash of a new token for the user. The caller
// decides whose token it may create (see TokenOwner).
func (db *DB) CreateToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (*Token, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxTokenNameLen || !utf8.ValidString(name) {
		return nil, antq.Invalid("Tên mã truy cập không hợp lệ", map[string]string{"name": fmt.Sprintf("tối đa %d ký tự", MaxTokenNameLen)})
	}
	t := &Token{Name: name, Prefix: prefix}
	err := db.inTx(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		var unitID int64
		if err := tx.QueryRowContext(ctx, `SELECT username, unit_id FROM users WHERE id = $1`, userID).Scan(&t.Username, &unitID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, name, tokenHash, prefix, tx.now).Scan(&t.ID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "api_token", Key: fmt.Sprint(t.ID), UnitID: unitID,
			New: map[string]any{"user": t.Username, "name": name, "prefix": prefix}})
	})
	return t, err
}

// TokenOwner returns the account whose tokens the caller may manage when it
// names username: itself ("" or its own name), or, for an administrator,
// an account in its scope. Anyone else is ENOTFOUND.
func (db *DB) TokenOwner(ctx context.Context, username string) (*antq.User, error) {
	caller := antq.UserFromContext(ctx)
	if caller == nil {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	if username == "" || username == caller.Username {
		return db.FindUserByUsername(ctx, caller.Username)
	}
	if !caller.Can(antq.PermUserAdmin) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài khoản %q", username)
	}
	return db.findUserInScope(ctx, db.read, username)
}

// Tokens lists the API tokens of the account named username (see
// TokenOwner), newest first, without secrets.
func (db *DB) Tokens(ctx context.Context, username string) ([]Token, error) {
	owner, err := db.TokenOwner(ctx, username)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
WHERE user_id = $1 ORDER BY id DESC`, owner.ID)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t := Token{Username: owner.Username}
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes the token with id if it is the caller's own, or, for
// an administrator, belongs to an account in its scope; any other id is
// ENOTFOUND. Revoking takes effect on the next request.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	caller := antq.UserFromContext(ctx)
	if caller == nil {
		return antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		args := []any{id}
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		query := `SELECT t.name, t.revoked_at, us.username, us.unit_id FROM api_tokens t JOIN users us ON us.id = t.user_id
JOIN units un ON un.id = us.unit_id WHERE t.id = $1`
		if caller.Can(antq.PermUserAdmin) {
			cond, err := db.usersInScope(ctx, tx, arg)
			if err != nil {
				return err
			} else if cond != "" {
				query += " AND (us.id = " + arg(caller.ID) + " OR " + cond + ")"
			}
		} else {
			query += " AND us.id = " + arg(caller.ID)
		}
		var name, owner string
		var revoked *time.Time
		var unitID int64
		err := tx.QueryRowContext(ctx, query, args...).Scan(&name, &revoked, &owner, &unitID)
		if errNoRows(err) {
			return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mã truy cập %d", id)
		} else if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if revoked != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "revoke", Entity: "api_token", Key: fmt.Sprint(id), UnitID: unitID,
			Old: map[string]any{"user": owner, "name": name}})
	})
}

// TokenUser returns the enabled user owning a live token, and notes its use
// (at most once a minute).
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (*antq.User, error) {
	var tokenID int64
	var lastUsed *time.Time
	u, err := scanUser(scanWith{db.read.QueryRowContext(ctx, strings.Replace(userSelect, "us.created_at\n", "us.created_at, t.id, t.last_used_at\n", 1)+`JOIN api_tokens t ON t.user_id = us.id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND us.disabled = FALSE`, tokenHash).Scan, []any{&tokenID, &lastUsed}})
	if errNoRows(err) {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
	} else if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if now := db.Now().UTC(); lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		if _, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, tokenID); err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
	}
	return u, nil
}
