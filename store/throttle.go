package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"antq"
)

// ThrottlePolicy slows password guessing without locking the real user out.
//
// Every attempt is stored (login_attempts), so several servers share the
// count. Three counters are kept:
//   - per account: failures within Window from every address, but for
//     those a later success from the same address forgives (a success
//     elsewhere does not reset it);
//   - per address: failures from the client address within AddressWindow,
//     whatever the account;
//   - per account and address: failures of this account from this address
//     within Window since its last success from there.
//
// A counter at or above its free allowance makes the client wait
// BaseDelay·2^(failures−allowance) after the last failure, capped at
// MaxDelay; attempts refused for waiting are not counted, so hammering does
// not extend the wait. An address from which the account logged in
// successfully within TrustFor is trusted for that account: only the
// per-account-and-address counter applies to it, so an attacker elsewhere
// cannot lock the real user out of their usual machine, and an attacker at
// that address is still slowed. Every wait ends (at most MaxDelay after the
// last counted failure) and failures older than Window are forgotten. With
// the defaults a patient attacker gets about 100 guesses a day at one
// account (NIST SP 800-63B's bound), while the owner is never locked out:
// at their usual address they are not slowed at all, anywhere else they
// wait at most 15 minutes.
type ThrottlePolicy struct {
	Window        time.Duration
	AddressWindow time.Duration
	AccountFree   int
	AddressFree   int
	BaseDelay     time.Duration
	MaxDelay      time.Duration
	TrustFor      time.Duration
	KeepAttempts  time.Duration // attempts older than this are deleted
}

// DefaultThrottle: 5 free failures per account a day (TCVN's "lock after 5
// failed logins", made temporary), 20 per address an hour, waits of 30 s
// doubling to at most 15 min, addresses trusted for 30 days after a success.
var DefaultThrottle = ThrottlePolicy{
	Window:        24 * time.Hour,
	AddressWindow: time.Hour,
	AccountFree:   5,
	AddressFree:   20,
	BaseDelay:     30 * time.Second,
	MaxDelay:      15 * time.Minute,
	TrustFor:      30 * 24 * time.Hour,
	KeepAttempts:  31 * 24 * time.Hour,
}

// delay is the wait after n failures with free allowed.
func (p ThrottlePolicy) delay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := p.BaseDelay
	for i := free; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// LoginKey is how an attempted user name is stored: as typed when it could
// be a user name, else as a hash (people type passwords into the wrong
// field; those must not be kept).
func LoginKey(username string) string {
	if antq.ValidUsername(username) {
		return username
	}
	sum := sha256.Sum256([]byte(username))
	return "#" + hex.EncodeToString(sum[:12])
}

// LoginWait returns how long the client at addr must wait before trying to
// log in as username (0: it may try now).
func (db *DB) LoginWait(ctx context.Context, p ThrottlePolicy, username, addr string) (time.Duration, error) {
	now := db.Now().UTC()
	key := LoginKey(username)
	var trusted int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM login_attempts
WHERE username = $1 AND remote_addr = $2 AND success = TRUE AND at >= $3 LIMIT 1) t`, key, addr, now.Add(-p.TrustFor)).Scan(&trusted); err != nil {
		return 0, fmt.Errorf("login throttle: %w", err)
	}
	wait := func(n int, last time.Time, free int) time.Duration {
		if d := p.delay(n, free); d > 0 {
			return max(0, last.Add(d).Sub(now))
		}
		return 0
	}
	if trusted > 0 {
		n, last, err := db.failuresSinceSuccess(ctx, now.Add(-p.Window), key, addr)
		if err != nil {
			return 0, err
		}
		return wait(n, last, p.AccountFree), nil
	}
	n, last, err := db.accountFailures(ctx, now.Add(-p.Window), key)
	if err != nil {
		return 0, err
	}
	w := wait(n, last, p.AccountFree)
	n, last, err = db.addressFailures(ctx, now.Add(-p.AddressWindow), addr)
	if err != nil {
		return 0, err
	}
	return max(w, wait(n, last, p.AddressFree)), nil
}

// accountFailures counts the failures of the account from every address
// after since, and returns the time of the last one. A success forgives
// only the failures made before it from its own address (the owner's
// typos): a login by the owner at one address never refunds what a guesser
// at another has spent, so the account's daily budget holds.
func (db *DB) accountFailures(ctx context.Context, since time.Time, key string) (int, time.Time, error) {
	return db.countFailures(ctx, `username = $1 AND NOT EXISTS (SELECT 1 FROM login_attempts ok
WHERE ok.username = login_attempts.username AND ok.remote_addr = login_attempts.remote_addr
  AND ok.success = TRUE AND ok.id > login_attempts.id)`, []any{key, since})
}

// failuresSinceSuccess counts the failures of the account from addr after
// since and after its last success from there, and returns the time of the
// last one. "After the last success" goes by row id, so a failure and a
// success in the same instant are still ordered.
func (db *DB) failuresSinceSuccess(ctx context.Context, since time.Time, key, addr string) (int, time.Time, error) {
	cond, args := "username = $1 AND remote_addr = $2", []any{key, addr}
	var lastOK int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM login_attempts WHERE `+cond+` AND success = TRUE ORDER BY id DESC LIMIT 1`, args...).Scan(&lastOK)
	if err != nil && !errNoRows(err) {
		return 0, time.Time{}, fmt.Errorf("login throttle: %w", err)
	}
	args = append(args, lastOK)
	return db.countFailures(ctx, cond+fmt.Sprintf(" AND id > $%d", len(args)), append(args, since))
}

func (db *DB) addressFailures(ctx context.Context, since time.Time, addr string) (int, time.Time, error) {
	return db.countFailures(ctx, "remote_addr = $1", []any{addr, since})
}

// countFailures counts failures matching cond after the time given as the
// last argument, and returns the latest.
func (db *DB) countFailures(ctx context.Context, cond string, args []any) (int, time.Time, error) {
	at := fmt.Sprintf("$%d", len(args))
	rows, err := db.read.QueryContext(ctx, `SELECT at FROM login_attempts WHERE `+cond+` AND success = FALSE AND at > `+at+`
ORDER BY id DESC LIMIT 64`, args...)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("login throttle: %w", err)
	}
	defer rows.Close()
	var n int
	var last time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return 0, time.Time{}, fmt.Errorf("login throttle: %w", err)
		}
		if t.After(last) {
			last = t
		}
		n++
	}
	return n, last, rows.Err()
}

// RecordLogin stores the outcome of a login attempt (one that was not
// refused for waiting). A success is also appended to the audit trail;
// failures stay in login_attempts (they are not changes, and an attacker
// must not be able to grow the hash chain at will). A successful login
// through the web goes through StartSession, which does this and opens the
// session in the same transaction.
func (db *DB) RecordLogin(ctx context.Context, p ThrottlePolicy, username, addr string, user *antq.User) error {
	return db.inTx(ctx, func(tx *Tx) error { return db.recordLogin(ctx, tx, p, username, addr, user) })
}

func (db *DB) recordLogin(ctx context.Context, tx *Tx, p ThrottlePolicy, username, addr string, user *antq.User) error {
	ok := user != nil
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (at, username, remote_addr, success) VALUES ($1, $2, $3, $4)`,
		tx.now, LoginKey(username), addr, ok); err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	if ok || rand.IntN(64) == 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < $1`, tx.now.Add(-p.KeepAttempts)); err != nil {
			return fmt.Errorf("record login: %w", err)
		}
	}
	if !ok {
		return nil
	}
	actx := antq.NewContextWithActor(ctx, antq.Actor{User: user, RemoteAddr: antq.ActorFromContext(ctx).RemoteAddr})
	return db.audit(actx, tx, auditEntry{Action: "login", Entity: "session", Key: user.Username, UnitID: user.UnitID})
}

// NewSession is a session to open at login.
type NewSession struct {
	IDHash     string // SHA-256 of the new session id
	Replaces   string // hash of a session the browser already had ("" for none): it is ended
	Policy     SessionPolicy
	RemoteAddr string
	UserAgent  string
}

// StartSession records the successful login of user (typed as username,
// from throttle address addr), audits it and opens the session, in one
// transaction. A session the browser already had is deleted, so a planted
// id is never promoted.
func (db *DB) StartSession(ctx context.Context, p ThrottlePolicy, username, addr string, user *antq.User, s NewSession) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := db.recordLogin(ctx, tx, p, username, addr, user); err != nil {
			return err
		}
		if s.Replaces != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, s.Replaces); err != nil {
				return fmt.Errorf("start session: %w", err)
			}
		}
		return db.createSession(ctx, tx, s.IDHash, user.ID, s.Policy, s.RemoteAddr, s.UserAgent)
	})
}
