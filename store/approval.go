package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"antq"
	"antq/rules"
)

// Approval of facts: registrations, propaganda figures, models and
// incidents go draft → submitted → approved (locked) or returned with a
// reason. The rules of a step are rules.ApprovalStep (pure); here the step
// is loaded, checked and written in one transaction, audited, and the
// figures follow (official: approved facts; provisional: submitted and
// approved; pending: units with a fact waiting).
//
// Who writes decides the state a fact starts in: a user's direct entry
// starts as a draft; the command line's system actor and bulk loads
// (demo, BulkFacts) write facts of record, approved as written.

// approvalCols are the approval columns of a fact table, in approvalScan order.
const approvalCols = `state, submitted_by, submitted_at, reviewed_by, reviewed_at, return_reason, reopen_reason, changed_after_approval`

type approvalScan struct {
	state                                         string
	submittedBy, reviewedBy, returnReason, reopen sql.NullString
	submittedAt, reviewedAt                       anyTime
	changed                                       bool
}

func (a *approvalScan) dest() []any {
	return []any{&a.state, &a.submittedBy, &a.submittedAt, &a.reviewedBy, &a.reviewedAt, &a.returnReason, &a.reopen, &a.changed}
}

func (a *approvalScan) into(ap *antq.Approval) {
	*ap = antq.Approval{State: antq.FactState(a.state), SubmittedBy: a.submittedBy.String, ReviewedBy: a.reviewedBy.String,
		ReturnReason: a.returnReason.String, ReopenReason: a.reopen.String, ChangedAfterApproval: a.changed}
	if a.submittedAt.Valid {
		t := a.submittedAt.Time.UTC()
		ap.SubmittedAt = &t
	}
	if a.reviewedAt.Valid {
		t := a.reviewedAt.Time.UTC()
		ap.ReviewedAt = &t
	}
}

// systemWrite reports whether the command line's system actor writes.
func systemWrite(ctx context.Context) bool { return antq.UserFromContext(ctx) == antq.SystemUser }

// writeState is the state a fact has after a direct write (create, change
// or delete) by the caller, or the refusal: a user may change only a draft
// or a returned fact, and a new fact of a user starts as a draft. before
// is nil for a new fact.
func writeState(ctx context.Context, before *antq.Approval) (antq.FactState, error) {
	if systemWrite(ctx) {
		return antq.FactApproved, nil
	}
	if before == nil {
		return antq.FactDraft, nil
	}
	switch before.State {
	case antq.FactSubmitted:
		return "", antq.Errorf(antq.ECONFLICT, "Số liệu đang chờ duyệt nên không sửa, xóa được; cấp duyệt cần trả lại trước")
	case antq.FactApproved:
		return "", antq.Errorf(antq.ECONFLICT, "Số liệu đã được duyệt nên bị khóa; cần mở lại (kèm lý do) trước khi sửa, xóa")
	}
	return before.State, nil
}

// factTable is the table of an approvable fact kind.
func factTable(kind antq.FactKind) (string, bool) {
	switch kind {
	case antq.FactRegistration:
		return "registrations", true
	case antq.FactPropaganda:
		return "propaganda", true
	case antq.FactModel:
		return "models", true
	case antq.FactIncident:
		return "incidents", true
	}
	return "", false
}

// FactRef names one fact of a unit: single facts by kind, models and
// incidents by id as well.
type FactRef struct {
	Unit string        `json:"unit"`
	Fact antq.FactKind `json:"fact"`
	ID   int64         `json:"fact_id,omitempty"`
}

// single reports whether the fact kind has one row per unit.
func single(kind antq.FactKind) bool {
	return kind == antq.FactRegistration || kind == antq.FactPropaganda
}

// factRow is the WHERE clause and arguments that find one fact of t.
func factRow(t *factTarget, kind antq.FactKind, id int64) (string, []any) {
	if single(kind) {
		return `plan_id = $1 AND unit_id = $2`, []any{t.factsPlanID, t.unit.ID}
	}
	return `plan_id = $1 AND unit_id = $2 AND id = $3`, []any{t.factsPlanID, t.unit.ID, id}
}

// StepFact applies one approval step to one fact of the unit with code and
// returns the fact's approval after it. Refusals say why (in Vietnamese)
// and are recorded in the audit trail.
func (db *DB) StepFact(ctx context.Context, planID, code string, kind antq.FactKind, id int64, action antq.ApprovalAction, reason string) (*antq.Approval, error) {
	var out *antq.Approval
	err := db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		var err error
		out, err = db.stepFact(ctx, tx, t, kind, id, action, strings.TrimSpace(reason))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (db *DB) stepFact(ctx context.Context, tx *Tx, t *factTarget, kind antq.FactKind, id int64, action antq.ApprovalAction, reason string) (*antq.Approval, error) {
	table, ok := factTable(kind)
	if !ok {
		return nil, antq.Invalid("Loại số liệu không qua phê duyệt", map[string]string{"fact": "chỉ đăng ký, tuyên truyền, mô hình và vụ việc qua phê duyệt"})
	}
	if !action.Valid() {
		return nil, antq.Invalid("Bước phê duyệt không hợp lệ", map[string]string{"action": "submit, approve, return hoặc reopen"})
	}
	where, args := factRow(t, kind, id)
	var a approvalScan
	var docNumber sql.NullString
	var docDate sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT `+approvalCols+`, doc_number, CAST(doc_date AS TEXT) FROM `+table+` WHERE `+where, args...).
		Scan(append(a.dest(), &docNumber, &docDate)...)
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị %s chưa có số liệu này trong kế hoạch %s", t.unit.Code, t.plan.ID)
	} else if err != nil {
		return nil, fmt.Errorf("fact approval: %w", err)
	}
	var before antq.Approval
	a.into(&before)
	user := antq.UserFromContext(ctx)
	step := rules.ApprovalStep{Action: action, Kind: kind, State: before.State, SubmittedBy: before.SubmittedBy, Reason: reason,
		Actor: actorName(ctx), OwnUnit: user != nil && user.UnitID == t.unit.ID, CanApprove: user.Can(antq.PermFactDecide)}
	if action == antq.ApprovalSubmit && kind != antq.FactModel && kind != antq.FactIncident {
		step.HasRecord = docNumber.Valid && docNumber.String != "" && docDate.Valid && docDate.String != ""
		if !step.HasRecord {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE plan_id = $1 AND unit_id = $2 AND fact = $3`,
				t.factsPlanID, t.unit.ID, string(kind)).Scan(&n); err != nil {
				return nil, fmt.Errorf("evidence: %w", err)
			}
			step.HasRecord = n > 0
		}
	}
	if action != antq.ApprovalSubmit && user != nil {
		if step.AtApprover, err = db.atApprover(ctx, tx, t, user); err != nil {
			return nil, err
		}
	}
	next, err := step.Next()
	if err != nil {
		if c := antq.ErrorCode(err); c == antq.EFORBIDDEN || c == antq.ECONFLICT {
			return nil, refuse(err, t, string(kind), map[string]any{"action": string(action), "fact_id": id, "reason": reason})
		}
		return nil, err
	}
	after := before
	after.State = next
	now, who := tx.now, actorName(ctx)
	var set string
	sargs := []any{string(next), who, now}
	switch action {
	case antq.ApprovalSubmit:
		set = `state = $1, submitted_by = $2, submitted_at = $3`
		after.SubmittedBy, after.SubmittedAt = who, &now
	case antq.ApprovalApprove:
		set = `state = $1, reviewed_by = $2, reviewed_at = $3, return_reason = NULL`
		after.ReviewedBy, after.ReviewedAt, after.ReturnReason = who, &now, ""
	case antq.ApprovalReturn:
		set = `state = $1, reviewed_by = $2, reviewed_at = $3, return_reason = $4`
		sargs = append(sargs, reason)
		after.ReviewedBy, after.ReviewedAt, after.ReturnReason = who, &now, reason
	case antq.ApprovalReopen:
		set = `state = $1, reviewed_by = $2, reviewed_at = $3, reopen_reason = $4, changed_after_approval = $5`
		sargs = append(sargs, reason, true)
		after.ReviewedBy, after.ReviewedAt, after.ReopenReason, after.ChangedAfterApproval = who, &now, reason, true
	}
	// The row's own WHERE follows the SET arguments.
	n := len(sargs)
	w := where
	for i := len(args); i >= 1; i-- {
		w = strings.ReplaceAll(w, fmt.Sprintf("$%d", i), fmt.Sprintf("$%d", n+i))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+set+` WHERE `+w, append(sargs, args...)...); err != nil {
		return nil, fmt.Errorf("fact approval: %w", err)
	}
	var ids []int64
	if !single(kind) {
		ids = append(ids, id)
	}
	if err := db.audit(ctx, tx, auditEntry{Action: string(action), Entity: string(kind), Key: factKey(t, ids...), UnitID: t.unit.ID,
		Old: before, New: after, Reason: reason}); err != nil {
		return nil, err
	}
	if err := db.refreshUnitStatus(ctx, tx, t); err != nil {
		return nil, err
	}
	return &after, nil
}

// atApprover reports whether the user's unit is the unit that approves the
// facts of t's unit under the plan, or one above it, as the tree stood on
// the unit's day in the plan. A user with no unit (the whole deployment)
// stands above every unit.
func (db *DB) atApprover(ctx context.Context, q querier, t *factTarget, user *antq.User) (bool, error) {
	if user.UnitID == 0 {
		return true, nil
	}
	levels := t.plan.ApproverOf(t.unit.Kind).Levels()
	var chain []int64 // the unit's ancestors, nearest first
	err := queryEach(ctx, q, "approver", func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		chain = append(chain, id)
		return nil
	}, withAncestorsOn("$1", "$2")+`
SELECT up.id FROM up WHERE up.depth > 0 ORDER BY up.depth`, t.unit.ID, t.plan.UnitDate(t.unit))
	if err != nil {
		return false, err
	}
	if len(chain) == 0 {
		return false, nil // the plan's top unit: nobody above approves it
	}
	// Above the top of the tree the highest ancestor approves.
	from := min(levels, len(chain)) - 1
	for _, id := range chain[from:] {
		if id == user.UnitID {
			return true, nil
		}
	}
	return false, nil
}

// StepResult is the outcome of one fact of a bulk step.
type StepResult struct {
	FactRef
	OK       bool           `json:"ok"`
	State    antq.FactState `json:"state,omitempty"`
	Error    string         `json:"error,omitempty"`
	ErrorKey string         `json:"code,omitempty"`
}

// StepFacts applies one step to many facts (an inbox's bulk approval),
// each in its own transaction: one refused fact does not stop the others.
func (db *DB) StepFacts(ctx context.Context, planID string, facts []FactRef, action antq.ApprovalAction, reason string) ([]StepResult, error) {
	if len(facts) == 0 || len(facts) > 1000 {
		return nil, antq.Invalid("Danh sách số liệu không hợp lệ", map[string]string{"facts": "cần từ 1 đến 1000 số liệu"})
	}
	out := make([]StepResult, 0, len(facts))
	for _, f := range facts {
		r := StepResult{FactRef: f}
		ap, err := db.StepFact(ctx, planID, f.Unit, f.Fact, f.ID, action, reason)
		switch {
		case err == nil:
			r.OK, r.State = true, ap.State
		case antq.ErrorCode(err) == antq.EINTERNAL:
			return nil, err
		default:
			r.Error, r.ErrorKey = antq.ErrorMessage(err), antq.ErrorCode(err)
		}
		out = append(out, r)
	}
	return out, nil
}

// PendingFact is a fact waiting for approval.
type PendingFact struct {
	Unit        *antq.Unit    `json:"unit"`
	Fact        antq.FactKind `json:"fact"`
	ID          int64         `json:"fact_id,omitempty"`
	SubmittedBy string        `json:"submitted_by"`
	SubmittedAt *time.Time    `json:"submitted_at"`
	// ReturnReason is the reason of an earlier return, if any.
	ReturnReason string `json:"return_reason,omitempty"`
}

// PendingFacts lists the facts waiting for approval under the unit with
// code ("" = the plan's root), itself included, oldest submission first.
func (db *DB) PendingFacts(ctx context.Context, planID, code string, offset, limit int) ([]PendingFact, int, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, 0, err
	}
	var out []PendingFact
	total := 0
	err = queryEach(ctx, db.read, "pending facts", func(rows *sql.Rows) error {
		u := &antq.Unit{}
		var kind string
		var p PendingFact
		var at anyTime
		var by, reason sql.NullString
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &kind, &u.Type, &p.Fact, &p.ID, &by, &at, &reason, &total); err != nil {
			return err
		}
		u.Kind = antq.UnitKind(kind)
		p.Unit, p.SubmittedBy, p.ReturnReason = u, by.String, reason.String
		if at.Valid {
			v := at.Time.UTC()
			p.SubmittedAt = &v
		}
		out = append(out, p)
		return nil
	}, withPlanSubtree("$1", "$2")+`, waiting AS (
  SELECT unit_id, 'registration' AS fact, 0 AS id, submitted_by, submitted_at, return_reason FROM registrations WHERE plan_id = $3 AND state = 'submitted'
  UNION ALL SELECT unit_id, 'propaganda', 0, submitted_by, submitted_at, return_reason FROM propaganda WHERE plan_id = $3 AND state = 'submitted'
  UNION ALL SELECT unit_id, 'model', id, submitted_by, submitted_at, return_reason FROM models WHERE plan_id = $3 AND state = 'submitted'
  UNION ALL SELECT unit_id, 'incident', id, submitted_by, submitted_at, return_reason FROM incidents WHERE plan_id = $3 AND state = 'submitted')
SELECT u.id, u.code, u.name, u.kind, u.type_label, w.fact, w.id, w.submitted_by, w.submitted_at, w.return_reason, COUNT(*) OVER ()
FROM sub JOIN waiting w ON w.unit_id = sub.id JOIN units u ON u.id = w.unit_id
ORDER BY w.submitted_at, u.sort_key, u.code, w.fact, w.id LIMIT $4 OFFSET $5`, t.unit.ID, t.plan.ID, t.factsPlanID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []PendingFact{}
	}
	return out, total, nil
}

// anyTime scans a nullable timestamp as either engine returns it, also
// from a compound query where SQLite no longer knows the column's type.
type anyTime struct {
	Time  time.Time
	Valid bool
}

func (t *anyTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = anyTime{}
		return nil
	case time.Time:
		*t = anyTime{v, true}
		return nil
	case []byte:
		src = string(v)
	}
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("timestamp: cannot scan %T", src)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			*t = anyTime{v, true}
			return nil
		}
	}
	return fmt.Errorf("timestamp: cannot parse %q", s)
}
