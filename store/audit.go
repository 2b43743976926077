package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"antq"
)

// auditEntry is one change to record: who and from where come from the
// context, when from the transaction.
type auditEntry struct {
	Action string // create, update, delete, login, …
	Entity string // unit, user, registration, …
	Key    string // the entity's key, e.g. a unit code or "plan/unit"
	UnitID int64  // the unit the change concerns, for scoped browsing
	Old    any    // nil, or a value marshalled to JSON
	New    any
	Reason string
}

// auditReasonKey carries the reason the audit entries of a write give when
// the write itself names none (an undo from the history says so).
type auditReasonKey struct{}

// withAuditReason returns ctx whose writes record reason in the trail.
func withAuditReason(ctx context.Context, reason string) context.Context {
	return context.WithValue(ctx, auditReasonKey{}, reason)
}

// genesisHash is the "previous hash" of the first audit row.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// audit appends e to the audit trail in tx. Rows form a hash chain: each
// row's hash covers its content and the previous row's hash, so editing or
// deleting a row breaks every later link (antq audit verify finds it).
func (db *DB) audit(ctx context.Context, tx *Tx, e auditEntry) error {
	actor := antq.ActorFromContext(ctx)
	var userID *int64
	username := ""
	if actor.User != nil {
		username = actor.User.Username
		if actor.User.ID != 0 {
			userID = &actor.User.ID
		}
	}
	if e.Reason == "" {
		e.Reason, _ = ctx.Value(auditReasonKey{}).(string)
	}
	oldJSON, err := jsonOrNil(e.Old)
	if err != nil {
		return err
	}
	newJSON, err := jsonOrNil(e.New)
	if err != nil {
		return err
	}
	if err := db.lockAudit(ctx, tx); err != nil {
		return err
	}
	prev := genesisHash
	if tx.lastHash != "" {
		prev = tx.lastHash // tx appended the last record, under the lock it holds
	} else if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errNoRows(err) {
		return fmt.Errorf("audit: %w", err)
	}
	at := tx.now.Truncate(time.Microsecond)
	var unitID *int64
	if e.UnitID != 0 {
		unitID = &e.UnitID
	}
	row := AuditRecord{At: at, UserID: userID, Username: username, RemoteAddr: actor.RemoteAddr, Action: e.Action,
		Entity: e.Entity, Key: e.Key, UnitID: unitID, Old: oldJSON, New: newJSON, Reason: e.Reason, PrevHash: prev}
	row.Hash = row.computeHash()
	if tx.deferAudit { // a group's write: inserted with the group's others (flushAudit)
		tx.audits = append(tx.audits, row)
		tx.lastHash = row.Hash
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, username, remote_addr, action, entity, entity_key, unit_id, old_value, new_value, reason, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		at, userID, username, actor.RemoteAddr, e.Action, e.Entity, e.Key, unitID, oldJSON, newJSON, e.Reason, prev, row.Hash)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	tx.lastHash = row.Hash
	return nil
}

// auditFlushRows bounds the rows of one insert of flushAudit (13
// parameters a row).
const auditFlushRows = 500

// flushAudit inserts the audit records tx holds back (deferAudit), in the
// order they were appended, in multi-row inserts: the ids follow that
// order, and each record's previous hash is the one before it, already
// computed.
func (db *DB) flushAudit(ctx context.Context, tx *Tx) error {
	pending := tx.audits
	for len(pending) > 0 {
		n := min(len(pending), auditFlushRows)
		var b strings.Builder
		args := make([]any, 0, 13*n)
		b.WriteString(`INSERT INTO audit_log (at, user_id, username, remote_addr, action, entity, entity_key, unit_id, old_value, new_value, reason, prev_hash, hash) VALUES `)
		db.dialect.writeValues(&b, n, 13)
		for _, r := range pending[:n] {
			args = append(args, r.At, r.UserID, r.Username, r.RemoteAddr, r.Action, r.Entity, r.Key, r.UnitID, r.Old, r.New, r.Reason, r.PrevHash, r.Hash)
		}
		// Not through the statement cache: its shape changes with every group.
		if _, err := tx.Tx.ExecContext(tx.stmtCtx(ctx), b.String(), args...); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		pending = pending[n:]
	}
	tx.audits = nil
	return nil
}

// lockAudit serialises appends to the chain. SQLite has one writer already;
// PostgreSQL takes a transaction-scoped advisory lock.
func (db *DB) lockAudit(ctx context.Context, tx *Tx) error {
	if err := db.dialect.lock(ctx, tx, db.dialect.auditLockSQL); err != nil {
		return fmt.Errorf("audit lock: %w", err)
	}
	return nil
}

func jsonOrNil(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	s := string(b)
	return &s, nil
}

// AuditRecord is one row of the audit trail.
type AuditRecord struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     *int64    `json:"user_id"`
	Username   string    `json:"username"`
	RemoteAddr string    `json:"remote_addr"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	Key        string    `json:"key"`
	UnitID     *int64    `json:"-"`
	UnitCode   string    `json:"unit,omitempty"` // filled by AuditRecords
	// Filled by AuditRecords for the pages (not part of the API's record):
	// the user's full name, the unit's name and its parent's name.
	FullName   string  `json:"-"`
	UnitName   string  `json:"-"`
	ParentName string  `json:"-"`
	Old        *string `json:"old"`
	New        *string `json:"new"`
	Reason     string  `json:"reason"`
	PrevHash   string  `json:"prev_hash"`
	Hash       string  `json:"hash"`
}

func (r *AuditRecord) computeHash() string {
	h := sha256.New()
	str := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	ptr := func(s *string) {
		if s == nil {
			str("\x00null")
		} else {
			str(*s)
		}
	}
	id := func(n *int64) { // no id hashes as ""
		if n != nil {
			str(fmt.Sprint(*n))
		} else {
			str("")
		}
	}
	str(r.PrevHash)
	str(r.At.UTC().Format(time.RFC3339Nano))
	id(r.UserID)
	str(r.Username)
	str(r.RemoteAddr)
	str(r.Action)
	str(r.Entity)
	str(r.Key)
	id(r.UnitID)
	ptr(r.Old)
	ptr(r.New)
	str(r.Reason)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit records. Zero fields do not filter.
type AuditFilter struct {
	Entity   string
	Entities []string // any of these entities (e.g. only fact kinds)
	Key      string
	Username string
	Action   string
	UnitCode string // records about this unit (not its subtree)
	From, To time.Time
	AfterID  int64
	BeforeID int64
	Newest   bool // newest first (default: oldest first)
	Limit    int  // default and maximum 1000
}

// AuditRecords returns audit records, oldest first. Records about units
// outside the caller's scope are left out, as are records about no unit
// (accounts, plans) unless the caller sees everything.
func (db *DB) AuditRecords(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Entity != "" {
		where = append(where, "a.entity = "+arg(f.Entity))
	}
	if len(f.Entities) > 0 {
		var in []string
		for _, e := range f.Entities {
			in = append(in, arg(e))
		}
		where = append(where, "a.entity IN ("+strings.Join(in, ", ")+")")
	}
	if f.Key != "" {
		where = append(where, "a.entity_key = "+arg(f.Key))
	}
	if f.Action != "" {
		where = append(where, "a.action = "+arg(f.Action))
	}
	if f.Username != "" {
		where = append(where, "a.username = "+arg(f.Username))
	}
	if f.UnitCode != "" {
		where = append(where, "a.unit_id IN (SELECT id FROM units WHERE code = "+arg(f.UnitCode)+")")
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < "+arg(f.To.UTC()))
	}
	if f.AfterID > 0 {
		where = append(where, "a.id > "+arg(f.AfterID))
	}
	if f.BeforeID > 0 {
		where = append(where, "a.id < "+arg(f.BeforeID))
	}
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	// Records about a unit follow the unit's scope (as the unit last was);
	// records about no unit (accounts, plans) are for admins of a root unit.
	root, err := db.isRoot(ctx, db.read, user.UnitID)
	if err != nil {
		return nil, err
	}
	if cond, err := db.scopeCondition(ctx, db.read, "a.unit_id", refDate(antq.DateOf(db.Now()).String()), arg); err != nil {
		return nil, err
	} else if cond != "" && root {
		where = append(where, "(a.unit_id IS NULL OR "+cond+")")
	} else if cond != "" {
		where = append(where, "a.unit_id IS NOT NULL AND "+cond)
	}
	query := `SELECT a.id, a.at, a.user_id, a.username, a.remote_addr, a.action, a.entity, a.entity_key, a.unit_id,
  a.old_value, a.new_value, a.reason, a.prev_hash, a.hash, COALESCE(u.code, ''),
  COALESCE(us.full_name, ''), COALESCE(u.name, ''),
  COALESCE((SELECT p.name FROM unit_links l JOIN units p ON p.id = l.parent_id WHERE l.unit_id = a.unit_id ORDER BY l.valid_from DESC LIMIT 1), '')
FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN users us ON us.id = a.user_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := pageLimit(f.Limit, 1000, 1000)
	order := "a.id"
	if f.Newest {
		order = "a.id DESC"
	}
	query += " ORDER BY " + order + " LIMIT " + arg(limit)
	return db.scanAudit(ctx, query, true, args...)
}

// auditRead records a read of personal data, in its own transaction. A
// record about no particular unit is filed under the reader's unit, so the
// reader's administrators see it.
func (db *DB) auditRead(ctx context.Context, e auditEntry) error {
	if u := antq.UserFromContext(ctx); e.UnitID == 0 && u != nil {
		e.UnitID = u.UnitID
	}
	return db.inTx(ctx, func(tx *Tx) error { return db.audit(ctx, tx, e) })
}

func (db *DB) scanAudit(ctx context.Context, query string, withUnit bool, args ...any) ([]AuditRecord, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		dest := []any{&r.ID, &r.At, &r.UserID, &r.Username, &r.RemoteAddr, &r.Action, &r.Entity, &r.Key, &r.UnitID,
			&r.Old, &r.New, &r.Reason, &r.PrevHash, &r.Hash}
		if withUnit {
			dest = append(dest, &r.UnitCode, &r.FullName, &r.UnitName, &r.ParentName)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AuditProblem is a break in the audit chain.
type AuditProblem struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// VerifyAudit walks the whole chain and reports every record whose content
// no longer matches its hash and every broken link to the previous record
// (a record deleted, inserted or rewritten before it). An id gap alone is
// not a problem: PostgreSQL sequences skip the ids of rolled-back
// transactions; a deleted record shows as a broken link after the gap.
// Removing the newest records leaves an intact, shorter chain: compare
// with an anchor kept elsewhere (AuditHead, antq audit verify --anchor).
func (db *DB) VerifyAudit(ctx context.Context) (checked int, problems []AuditProblem, err error) {
	prev, lastID := genesisHash, int64(0)
	for {
		recs, err := db.scanAudit(ctx, `SELECT id, at, user_id, username, remote_addr, action, entity, entity_key, unit_id,
  old_value, new_value, reason, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000`, false, lastID)
		if err != nil {
			return checked, problems, err
		}
		if len(recs) == 0 {
			return checked, problems, nil
		}
		for i := range recs {
			r := &recs[i]
			if r.PrevHash != prev {
				if r.ID != lastID+1 {
					problems = append(problems, AuditProblem{r.ID, fmt.Sprintf("bản ghi %d–%d bị thiếu (đã xóa?): mắt xích với bản ghi trước không khớp", lastID+1, r.ID-1)})
				} else {
					problems = append(problems, AuditProblem{r.ID, "mắt xích với bản ghi trước không khớp"})
				}
			}
			if r.computeHash() != r.Hash {
				problems = append(problems, AuditProblem{r.ID, "nội dung đã bị sửa (mã băm không khớp)"})
			}
			prev, lastID = r.Hash, r.ID
			checked++
		}
	}
}

// AuditHead returns the newest record's id and hash (0, "" when the trail
// is empty): an anchor to keep outside the database.
func (db *DB) AuditHead(ctx context.Context) (id int64, hash string, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&id, &hash)
	if errNoRows(err) {
		return 0, "", nil
	} else if err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return id, hash, nil
}

// AuditHashOf returns the stored hash of record id, ENOTFOUND if it is gone.
func (db *DB) AuditHashOf(ctx context.Context, id int64) (string, error) {
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = $1`, id).Scan(&hash)
	if errNoRows(err) {
		return "", antq.Errorf(antq.ENOTFOUND, "bản ghi nhật ký %d không còn", id)
	} else if err != nil {
		return "", fmt.Errorf("audit: %w", err)
	}
	return hash, nil
}
