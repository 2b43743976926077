package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// What the facts of a unit share: their document columns, the write of a
// single-valued fact (registration, propaganda, recognition, grade) and its
// deletion, the audit record and indicator upkeep of every change, and the
// read of them all. Each fact has its own file (registration.go, …); the
// rules they obey are in package rules (FactRules), the unit and plan they
// belong to in fact_target.go.

// docArgs spreads a document reference into its four columns.
func docArgs(d *antq.DocumentRef) []any {
	if d == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{d.Number, d.Date, nullIfEmpty(d.Issuer), nullIfEmpty(d.Title)}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// docScan collects the four document columns of a row.
type docScan struct {
	number, issuer, title sql.NullString
	date                  antq.Date
}

func (d *docScan) dest() []any { return []any{&d.number, &d.date, &d.issuer, &d.title} }

func (d *docScan) ref() *antq.DocumentRef {
	if !d.number.Valid {
		return nil
	}
	return &antq.DocumentRef{Number: d.number.String, Date: d.date, Issuer: d.issuer.String, Title: d.title.String}
}

func actorName(ctx context.Context) string {
	if u := antq.UserFromContext(ctx); u != nil {
		return u.Username
	}
	return ""
}

// factKey names a fact in the audit trail: plan/unit[/id].
func factKey(t *factTarget, id ...int64) string {
	k := t.factsPlanID + "/" + t.unit.Code
	for _, v := range id {
		k += fmt.Sprintf("/%d", v)
	}
	return k
}

// upsertFact writes the one fact of a table a unit has for a plan: the
// given columns, the document reference and the stamp, inserted or
// replacing the row already there.
func upsertFact(ctx context.Context, tx *Tx, t *factTarget, table string, cols []string, vals []any, doc *antq.DocumentRef) error {
	all := append([]string{"plan_id", "unit_id"}, cols...)
	all = append(all, "doc_number", "doc_date", "doc_issuer", "doc_title", "updated_at", "updated_by")
	args := append([]any{t.factsPlanID, t.unit.ID}, vals...)
	args = append(append(args, docArgs(doc)...), tx.now, actorName(ctx))
	ph := make([]string, len(all))
	var set []string
	for i, c := range all {
		ph[i] = fmt.Sprintf("$%d", i+1)
		if i >= 2 {
			set = append(set, c+" = excluded."+c)
		}
	}
	q := "INSERT INTO " + table + " (" + strings.Join(all, ", ") + ") VALUES (" + strings.Join(ph, ", ") +
		")\nON CONFLICT (plan_id, unit_id) DO UPDATE SET " + strings.Join(set, ", ")
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// insertFact adds a row of a fact a unit may have several of (an incident,
// a model) for a plan: the given columns, the document reference, the stamp
// and the state of a new fact (writeState). The row takes a new id, or id
// when it is not 0 (a row restored from the history keeps its id, and with
// it its evidence files); taken is the refusal when that id is used
// already. It returns the row's id and state.
func insertFact(ctx context.Context, tx *Tx, t *factTarget, table string, cols []string, vals []any, doc *antq.DocumentRef,
	id int64, taken string) (int64, antq.FactState, error) {
	state, err := writeState(ctx, nil)
	if err != nil {
		return 0, "", err
	}
	all := append([]string{"plan_id", "unit_id"}, cols...)
	all = append(all, "doc_number", "doc_date", "doc_issuer", "doc_title", "updated_at", "updated_by", "state")
	args := append([]any{t.factsPlanID, t.unit.ID}, vals...)
	args = append(append(args, docArgs(doc)...), tx.now, actorName(ctx), string(state))
	ph := make([]string, len(all))
	for i := range all {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	if id != 0 {
		args = append(args, id)
		all, ph = append([]string{"id"}, all...), append([]string{fmt.Sprintf("$%d", len(args))}, ph...)
	}
	q := "INSERT INTO " + table + " (" + strings.Join(all, ", ") + ") VALUES (" + strings.Join(ph, ", ") + ") RETURNING id"
	var newID int64
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&newID); err != nil {
		if id != 0 && uniqueViolation(err) {
			return 0, "", antq.Errorf(antq.ECONFLICT, "%s", taken)
		}
		return 0, "", fmt.Errorf("create %s: %w", table, err)
	}
	return newID, state, nil
}

// asAny adapts a fact loader for deleteSingleFact: a missing fact is a nil
// interface, not a typed nil pointer.
func asAny[T any](load func(context.Context, querier, *factTarget) (*T, error)) func(context.Context, querier, *factTarget) (any, error) {
	return func(ctx context.Context, q querier, t *factTarget) (any, error) {
		v, err := load(ctx, q, t)
		if v == nil || err != nil {
			return nil, err
		}
		return v, nil
	}
}

func putAction(existed bool) string {
	if existed {
		return "update"
	}
	return "create"
}

// loadSingleFact reads the one row of table the unit has for the plan:
// cols into dest, then the document and the stamp. found is false when the
// unit has none.
func loadSingleFact(ctx context.Context, q querier, t *factTarget, table, cols string, stamp *antq.Stamp, dest ...any) (doc *antq.DocumentRef, found bool, err error) {
	var d docScan
	err = q.QueryRowContext(ctx, `SELECT `+cols+`, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM `+table+` WHERE plan_id = $1 AND unit_id = $2`, t.factsPlanID, t.unit.ID).Scan(append(append(dest, d.dest()...), &stamp.UpdatedAt, &stamp.UpdatedBy)...)
	if errNoRows(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("%s: %w", table, err)
	}
	return d.ref(), true, nil
}

// loadApprovableFact is loadSingleFact for a fact that is approved, with
// its approval in the same read.
func loadApprovableFact(ctx context.Context, q querier, t *factTarget, table, cols string, stamp *antq.Stamp, ap *antq.Approval, dest ...any) (*antq.DocumentRef, bool, error) {
	var a approvalScan
	doc, found, err := loadSingleFact(ctx, q, t, table, cols+", "+approvalCols, stamp, append(dest, a.dest()...)...)
	if found {
		a.into(ap)
	}
	return doc, found, err
}

// putSingleFact writes (or replaces) the one fact of table the unit has for
// the plan and records the change from what load finds there to new.
func putSingleFact[T any](ctx context.Context, db *DB, tx *Tx, t *factTarget, kind antq.FactKind, table string,
	load func(context.Context, querier, *factTarget) (*T, error), cols []string, vals []any, doc *antq.DocumentRef, new *T) error {
	old, err := load(ctx, tx, t)
	if err != nil {
		return err
	}
	if kind.Approvable() {
		// A user's new fact starts as a draft; a change keeps the state,
		// and only a draft or a returned fact may change (system loads are
		// approved as they are written).
		var before *antq.Approval
		if old != nil {
			before = antq.ApprovalOf(old)
		}
		state, err := writeState(ctx, before)
		if err != nil {
			return err
		}
		after := antq.ApprovalOf(new)
		if before != nil {
			*after = *before
		}
		after.State = state
		cols = append(cols, "state")
		vals = append(vals, string(state))
	}
	if err := upsertFact(ctx, tx, t, table, cols, vals, doc); err != nil {
		return err
	}
	return db.factChanged(ctx, tx, t, kind, putAction(old != nil), old, new)
}

// decidedWrite is one write of a fact that is decided, not approved (a
// recognition, a grade, a collective assessment).
type decidedWrite[T any] struct {
	kind  antq.FactKind
	table string
	load  func(context.Context, querier, *factTarget) (*T, error)
	// decisionOf returns the decision a recorded fact carries.
	decisionOf func(*T) *antq.DocumentRef
	// decision and replaces are what the caller sent.
	decision *antq.DocumentRef
	replaces string
	// same reports whether the recorded fact has the fields sent, but for
	// its decision (compared by putDecidedFact).
	same func(old *T) bool
	// cols and vals are the kind's own columns; the decision replaced
	// follows them (replacedCols).
	cols []string
	vals []any
	// record makes the fact written from the decision it replaces.
	record func(replaced *antq.DocumentRef) *T
}

// replacedCols hold the decision a decided result's new decision replaced.
var replacedCols = []string{"replaced_number", "replaced_date", "replaced_issuer", "replaced_title"}

// putDecidedFact writes w. Sending the recorded fact again changes nothing
// and returns it; otherwise a recorded decision changes only by a new
// decision that names the one it replaces (rules.CheckDecisionChange), which
// is kept in replacedCols.
func putDecidedFact[T any](ctx context.Context, db *DB, tx *Tx, t *factTarget, w decidedWrite[T]) (*T, error) {
	old, err := w.load(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	var oldDecision *antq.DocumentRef
	if old != nil {
		oldDecision = w.decisionOf(old)
		if w.same(old) && reflect.DeepEqual(oldDecision, w.decision) {
			return old, nil // the same decision again
		}
	}
	replaced, err := rules.CheckDecisionChange(oldDecision, w.decision, w.replaces)
	if err != nil {
		return nil, refuse(err, t, string(w.kind), map[string]any{"action": "put"})
	}
	out := w.record(replaced)
	return out, putSingleFact(ctx, db, tx, t, w.kind, w.table, w.load,
		append(w.cols, replacedCols...), append(w.vals, docArgs(replaced)...), w.decision, out)
}

// writeFact runs fn in a fact transaction on the plan's unit with code —
// within is db.withFact, or db.withFactAudited for the decided results —
// and returns what fn wrote.
func writeFact[T any](within func(context.Context, string, string, func(*Tx, *factTarget) error) error,
	ctx context.Context, planID, code string, fn func(tx *Tx, t *factTarget) (*T, error)) (*T, error) {
	var out *T
	err := within(ctx, planID, code, func(tx *Tx, t *factTarget) (err error) {
		out, err = fn(tx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// stamp is who changes a fact in tx, and when.
func stamp(ctx context.Context, tx *Tx) antq.Stamp {
	return antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}
}

// deleteSingleFact deletes the one fact of a kind a unit has for a plan.
func (db *DB) deleteSingleFact(ctx context.Context, planID, code string, kind antq.FactKind, table string,
	load func(context.Context, querier, *factTarget) (any, error)) error {
	return db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		var err error
		switch kind {
		case antq.FactRecognition:
			err = db.mayEnterDecision(ctx, tx, t, yearend.DossierRecognition, kind, "delete")
		case antq.FactGrade:
			err = db.mayEnterDecision(ctx, tx, t, yearend.DossierGrading, kind, "delete")
		}
		if err != nil {
			return err
		}
		old, err := load(ctx, tx, t)
		if err != nil {
			return err
		} else if old == nil {
			return antq.Errorf(antq.ENOTFOUND, "Đơn vị %s chưa có số liệu này trong kế hoạch %s", t.unit.Code, t.plan.ID)
		}
		var decision *antq.DocumentRef
		switch v := old.(type) {
		case *antq.Recognition:
			decision = v.Decision
		case *antq.GradeRecord:
			decision = v.Decision
		case *antq.CollectiveAssessment:
			decision = v.Decision
		}
		if err := rules.CheckDecidedDelete(decision); err != nil {
			return refuse(err, t, string(kind), map[string]any{"action": "delete"})
		}
		if a := antq.ApprovalOf(old); a != nil {
			if _, err := writeState(ctx, a); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE plan_id = $1 AND unit_id = $2`, t.factsPlanID, t.unit.ID); err != nil {
			return fmt.Errorf("delete %s: %w", table, err)
		}
		return db.factChanged(ctx, tx, t, kind, "delete", old, nil)
	})
}

// UnitFacts returns every fact of the unit for the plan, with the unit.
func (db *DB) UnitFacts(ctx context.Context, planID, code string) (*antq.Unit, *antq.UnitFacts, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, nil, err
	}
	var f antq.UnitFacts
	q := db.read
	for _, load := range []func() error{
		func() (err error) { f.Registration, err = db.registration(ctx, q, t); return },
		func() (err error) { f.Propaganda, err = db.propaganda(ctx, q, t); return },
		func() (err error) { f.Models, err = db.models(ctx, q, t); return },
		func() (err error) { f.Incidents, err = db.incidents(ctx, q, t, 0); return },
		func() (err error) { f.Recognition, err = db.recognition(ctx, q, t); return },
		func() (err error) { f.Grade, err = db.grade(ctx, q, t); return },
		func() (err error) { f.CollectiveAssessment, err = db.collectiveAssessment(ctx, q, t); return },
		func() (err error) { f.Evidence, err = db.evidenceList(ctx, q, t); return },
	} {
		if err := load(); err != nil {
			return nil, nil, err
		}
	}
	return t.unit, &f, nil
}

// factChanged runs in the transaction of every fact change: it appends the
// audit record (old → new) and keeps the indicators in step.
func (db *DB) factChanged(ctx context.Context, tx *Tx, t *factTarget, kind antq.FactKind, action string, old, new any, id ...int64) error {
	if err := db.audit(ctx, tx, auditEntry{Action: action, Entity: string(kind), Key: factKey(t, id...), UnitID: t.unit.ID, Old: old, New: new}); err != nil {
		return err
	}
	return db.refreshUnitStatus(ctx, tx, t)
}

// listWhere is listRows of base with the conditions where (ANDed) and
// tail (order, limit), for scans that also return the row's unit id (which
// a list does not need).
func listWhere[T any](ctx context.Context, q querier, what, base string, where []string, tail string, args []any,
	scan func(rowScanner) (*T, int64, error)) ([]*T, error) {
	query := base
	if len(where) > 0 {
		query += "WHERE " + strings.Join(where, " AND ")
	}
	return listRows(ctx, q, what, func(r rowScanner) (*T, error) {
		v, _, err := scan(r)
		return v, err
	}, query+tail, args...)
}

// rowScanner is a row to scan: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// listRows runs query and scans every row with scan; what names the rows in
// errors. The list is empty, never nil, when there are none.
func listRows[T any](ctx context.Context, q querier, what string, scan func(rowScanner) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []*T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
