package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"antq"
)

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
	caller, err := signedIn(ctx)
	if err != nil {
		return nil, err
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
	caller, err := signedIn(ctx)
	if err != nil {
		return err
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
		// Best effort on a full disk: the request (a read, most often) is
		// served; only the token's last use stays older.
		if _, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, tokenID); err != nil && !storageFull(err) {
			return nil, fmt.Errorf("token: %w", err)
		}
	}
	return u, nil
}
