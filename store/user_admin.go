package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"antq"
)

// Accounts administration, scoped: an administrator lists, reads and
// changes only the accounts whose unit lies in its subtree.

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
	where, err := withScope(ctx, db.read, db.usersInScope, arg, where)
	if err != nil {
		return nil, 0, err
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
	limit := pageLimit(f.Limit, 1000, 100)
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
	u, _, err := findInScope(ctx, q, userSelect, "us.username", username, db.usersInScope, func(r rowScanner) (*antq.User, int64, error) {
		u, err := scanUser(r)
		return u, 0, err
	}, "find user", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài khoản %q", username))
	return u, err
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
	caller, err := signedIn(ctx)
	if err != nil {
		return nil, err
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
	err = db.inTx(ctx, func(tx *Tx) error {
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
// at once. With mustChange the new password is a first password its owner
// must change at the next login (the pages and the API hand one over);
// the command line does not set it.
func (db *DB) ResetPassword(ctx context.Context, username, hash, reason string, mustChange bool) error {
	if hash == "" {
		return antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "cần mật khẩu"})
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u, err := db.findUserInScope(ctx, tx, username)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = $3 WHERE id = $4`, hash, tx.now, mustChange, u.ID); err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		revoked, err := db.revokeAccess(ctx, tx, u.ID, "", true)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "reset_password", Entity: "user", Key: u.Username, UnitID: u.UnitID, Reason: reason,
			New: map[string]any{"sessions_ended": true, "tokens_revoked": revoked, "must_change_password": mustChange}})
	})
}

// ChangeOwnPassword sets the caller's password (the caller has checked the
// current one) and ends the caller's other sessions; keepSession is the
// hash of the session making the change ("" for none, e.g. a token). With
// revokeTokens it also revokes the caller's API tokens (the user suspects
// the old password leaked); without, scripts keep working. A first
// password's mark (MustChangePassword) is cleared.
func (db *DB) ChangeOwnPassword(ctx context.Context, hash, keepSession string, revokeTokens bool) error {
	caller := antq.UserFromContext(ctx)
	if caller == nil || caller.ID == 0 {
		return antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = FALSE WHERE id = $3 AND disabled = FALSE`, hash, tx.now, caller.ID)
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
