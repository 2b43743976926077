package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"antq"
	"antq/rules"
)

// The import of a filled fact template (package factfile reads the
// workbook): every row goes through the single calls of direct entry —
// PutRegistration, PutPropaganda, CreateModel / UpdateModel,
// CreateIncident, then StepFact's submit — so the rules, the approval
// states, the audit trail and the figures are exactly those of the forms.
// The calls run inside one transaction of the import (inTx becomes a
// savepoint of it), each row in a savepoint of its own: a bad row is
// rolled back alone, and the import commits the good rows (per row) or
// nothing at all (per workbook).

// enclosingTxKey carries the import's transaction (an *importTx) in a
// context: inTx then runs its function in a savepoint of that
// transaction, and withFactAudited hands its refusals to the import.
type enclosingTxKey struct{}

// importTx is an import's transaction and the refusals its rows met,
// recorded in the audit trail once the rows are done, whatever is kept
// of them.
type importTx struct {
	tx       *Tx
	refusals []auditEntry
}

// savepoint runs fn in a savepoint of tx, rolled back to when fn fails.
// Savepoints of one name nest: each ROLLBACK TO / RELEASE acts on the most
// recent one, the one this call made.
func (tx *Tx) savepoint(ctx context.Context, fn func(tx *Tx) error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT antq_step`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	before := tx.state()
	if err := fn(tx); err != nil {
		tx.restore(before) // what the step did is undone, its locks and audit records too
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT antq_step`); rerr != nil {
			return fmt.Errorf("rollback to savepoint: %w (after %v)", rerr, err)
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE SAVEPOINT antq_step`); rerr != nil {
			return fmt.Errorf("release savepoint: %w (after %v)", rerr, err)
		}
		return conflictOnDuplicate(err)
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT antq_step`); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// FactRow is one row of a fact template: one fact of one unit. Exactly
// the field of its Kind is set, unless Blank.
type FactRow struct {
	Kind antq.FactKind
	Unit string // the unit's code
	// ID names an existing model or incident (0: a new one).
	ID int64
	// Blank: the row names a unit (and perhaps an ID) but no value.
	Blank        bool
	Registration *antq.Registration
	Propaganda   *antq.PropagandaInput
	Model        *antq.ModelInput
	Incident     *antq.IncidentInput
}

// ImportOutcome is what became of one row.
type ImportOutcome string

const (
	ImportSubmitted  ImportOutcome = "submitted"   // written (if changed) and submitted for approval
	ImportUnchanged  ImportOutcome = "unchanged"   // the values the unit already has: nothing written
	ImportSkipped    ImportOutcome = "skipped"     // a blank row with nothing to write
	ImportRefused    ImportOutcome = "refused"     // Err says why
	ImportNotWritten ImportOutcome = "not_written" // a good row of a workbook refused as a whole
)

// FactRowResult is the outcome of one row; Err (an *antq.Error whose
// Fields name the row's wrong inputs, as direct entry names them) is set
// when refused.
type FactRowResult struct {
	Outcome ImportOutcome
	Err     error
	ID      int64 // the model or incident written
}

// FactImportResult is the outcome of an import, one result per row in
// the order given.
type FactImportResult struct {
	Rows      []FactRowResult
	Committed bool // something was written
	Submitted int
	Unchanged int
	Refused   int
}

// ImportMode says what an import commits.
type ImportMode int

const (
	// ImportWhole writes every row or, when any is refused, none.
	ImportWhole ImportMode = iota
	// ImportPerRow writes the good rows whatever the others.
	ImportPerRow
	// ImportCheck judges every row and writes none (a workbook refused
	// before the store saw it, still judged row by row).
	ImportCheck
)

// ImportFacts writes the rows of a fact template as the caller, each
// submitted for approval, as mode says; every row is judged in any mode. An error is returned only when the
// import as a whole cannot run (not logged in, no permission, the
// database failing); row problems are in the result.
func (db *DB) ImportFacts(ctx context.Context, planID string, rows []FactRow, mode ImportMode) (*FactImportResult, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !user.Can(antq.PermFactWrite) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Tài khoản %s không có quyền ghi số liệu", user.Username)
	}
	if systemWrite(ctx) {
		return nil, antq.Errorf(antq.EINVALID, "Số liệu nhập từ tệp được gửi duyệt thay cho một người dùng: hãy nêu tài khoản nhập")
	}
	if _, _, err := db.Plan(ctx, planID); err != nil {
		return nil, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SAVEPOINT antq_import`); err != nil {
		return nil, fmt.Errorf("import facts: savepoint: %w", err)
	}
	start := tx.state()
	imp := &importTx{tx: tx}
	inner := context.WithValue(ctx, enclosingTxKey{}, imp)
	res := &FactImportResult{Rows: make([]FactRowResult, len(rows))}
	seen := map[string]int{} // single facts and existing ids: key → row index
	for i, r := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		key := string(r.Kind) + "\x00" + r.Unit
		if r.Kind == antq.FactModel || r.Kind == antq.FactIncident {
			key = ""
			if r.ID > 0 {
				key = fmt.Sprintf("%s\x00%s\x00%d", r.Kind, r.Unit, r.ID)
			}
		}
		if j, dup := seen[key]; dup && key != "" && !r.Blank {
			res.Rows[i] = FactRowResult{Outcome: ImportRefused, Err: antq.Invalid("Dòng trùng",
				map[string]string{"unit": fmt.Sprintf("số liệu này của đơn vị %s đã có ở một dòng phía trên (dòng thứ %d có số liệu của tệp)", r.Unit, j+1)})}
			res.Refused++
			continue
		} else if key != "" && !r.Blank {
			seen[key] = i
		}
		out, err := db.importRow(inner, planID, user, r)
		if err != nil {
			if antq.ErrorCode(err) == antq.EINTERNAL {
				return nil, err
			}
			out = FactRowResult{Outcome: ImportRefused, Err: err}
		}
		res.Rows[i] = out
		switch out.Outcome {
		case ImportSubmitted:
			res.Submitted++
		case ImportUnchanged:
			res.Unchanged++
		case ImportRefused:
			res.Refused++
		}
	}
	if mode == ImportCheck || res.Refused > 0 && mode != ImportPerRow {
		for i := range res.Rows {
			if res.Rows[i].Outcome == ImportSubmitted {
				res.Rows[i] = FactRowResult{Outcome: ImportNotWritten}
			}
		}
		res.Submitted = 0
		// Every row undone; only the refusals are kept.
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT antq_import`); err != nil {
			return nil, fmt.Errorf("import facts: rollback: %w", err)
		}
		tx.restore(start)
	}
	for _, e := range imp.refusals {
		if err := db.audit(ctx, tx, e); err != nil {
			return nil, err
		}
	}
	if res.Submitted == 0 && len(imp.refusals) == 0 {
		return res, nil
	}
	if err := tx.Commit(); err != nil {
		return nil, conflictOnDuplicate(fmt.Errorf("import facts: commit: %w", err))
	}
	res.Committed = res.Submitted > 0
	return res, nil
}

// importRow writes one row in a savepoint of the import.
func (db *DB) importRow(ctx context.Context, planID string, user *antq.User, r FactRow) (FactRowResult, error) {
	var out FactRowResult
	err := db.inTx(ctx, func(tx *Tx) error {
		t, err := db.resolve(ctx, tx, planID, r.Unit)
		if err != nil {
			return err
		}
		if !user.MayChange(t.unit) {
			// A row the template carried unchanged (or blank) writes nothing, so it
			// is no attempt to change another unit's figures; any other
			// row is refused and what importFact did is rolled back with
			// the savepoint.
			if got, err := db.importFact(ctx, tx, t, planID, r); err == nil && (got.Outcome == ImportUnchanged || got.Outcome == ImportSkipped) {
				out = got
				return nil
			}
			return antq.Errorf(antq.EFORBIDDEN, "Tài khoản %s chỉ ghi số liệu của đơn vị mình và các khu dân cư, tổ chức trực thuộc trực tiếp; không ghi được số liệu của %s (%s)",
				user.Username, t.unit.Name, t.unit.Code)
		}
		out, err = db.importFact(ctx, tx, t, planID, r)
		return named(t.unit, err)
	})
	return out, err
}

// importFact writes the row's fact of t's unit unless it is unchanged,
// then submits it.
func (db *DB) importFact(ctx context.Context, tx *Tx, t *factTarget, planID string, r FactRow) (FactRowResult, error) {
	out := FactRowResult{Outcome: ImportSubmitted}
	code := t.unit.Code
	var state antq.FactState // the fact's state when unchanged ("" when written)
	switch {
	case r.ID == 0 && (r.Kind == antq.FactModel || r.Kind == antq.FactIncident):
		// A row without an id adds a model or an incident.
		id, err := db.createImported(ctx, planID, code, r)
		if err != nil {
			return out, err
		} else if id == 0 {
			return FactRowResult{Outcome: ImportSkipped}, nil
		}
		out.ID = id
	case r.Kind == antq.FactRegistration:
		cur, err := db.registration(ctx, tx, t)
		if err != nil {
			return out, err
		}
		switch {
		case r.Blank || r.Registration == nil:
			return blankRow(cur != nil, "registered_on", "đăng ký")
		case cur != nil && cur.RegisteredOn == r.Registration.RegisteredOn && sameDoc(cur.Document, r.Registration.Document):
			state = cur.State
		default:
			if _, err := db.PutRegistration(ctx, planID, code, *r.Registration); err != nil {
				return out, err
			}
		}
	case r.Kind == antq.FactPropaganda:
		cur, err := db.propaganda(ctx, tx, t)
		if err != nil {
			return out, err
		}
		in := r.Propaganda
		switch {
		case r.Blank || in == nil:
			return blankRow(cur != nil, "reached", "tuyên truyền")
		case cur != nil && in.Reached != nil && *in.Reached == cur.Reached && in.AsOf == cur.AsOf &&
			(in.Total == nil || *in.Total == cur.Total) && strings.TrimSpace(in.TotalReason) == cur.TotalReason && sameDoc(cur.Document, in.Document):
			state = cur.State
		default:
			if _, err := db.PutPropaganda(ctx, planID, code, *in); err != nil {
				return out, err
			}
		}
	case r.Kind == antq.FactModel:
		cur, err := db.model(ctx, tx, t, r.ID)
		if err != nil {
			return out, err
		}
		out.ID = r.ID
		if r.Blank || r.Model == nil {
			return blankRow(true, "name", "mô hình")
		}
		changed := *cur
		r.Model.Apply(&changed)
		if sameModel(cur, &changed) {
			state = cur.State
		} else if _, err := db.UpdateModel(ctx, planID, code, r.ID, *r.Model); err != nil {
			return out, err
		}
	case r.Kind == antq.FactIncident:
		list, err := db.incidents(ctx, tx, t, r.ID)
		if err != nil {
			return out, err
		} else if len(list) == 0 {
			return out, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy vụ việc số %d của đơn vị %s", r.ID, code)
		}
		cur, in := list[0], r.Incident
		out.ID = r.ID
		if r.Blank || in == nil || cur.OccurredOn != in.OccurredOn || cur.Category != in.Category ||
			cur.Description != strings.TrimSpace(in.Description) || cur.Verified != in.Verified || !sameDoc(cur.Document, in.Document) {
			return out, antq.Invalid("Vụ việc đã ghi không sửa được qua tệp", map[string]string{"description": fmt.Sprintf(
				"vụ việc số %d đã ghi không sửa, xóa được qua tệp; hãy xóa nó trên trang Nhập liệu rồi ghi lại (có thể ở dòng mới, bỏ trống số hiệu)", r.ID)})
		}
		state = cur.State
	default:
		return out, antq.Invalid("Loại số liệu không nhập được từ tệp", map[string]string{"fact": "chỉ đăng ký, tuyên truyền, mô hình và vụ việc"})
	}
	if state != "" {
		// The values the unit already has: left as they are, whatever
		// their state (a draft entered on the forms is not submitted by
		// a template that merely repeats it).
		return FactRowResult{Outcome: ImportUnchanged, ID: out.ID}, nil
	}
	if _, err := db.StepFact(ctx, planID, code, r.Kind, out.ID, antq.ApprovalSubmit, ""); err != nil {
		return out, err
	}
	return out, nil
}

// createImported adds the model or incident of an import row without an id
// and returns its id; 0 for a blank row, which writes nothing.
func (db *DB) createImported(ctx context.Context, planID, code string, r FactRow) (int64, error) {
	switch {
	case r.Blank:
	case r.Kind == antq.FactModel && r.Model != nil:
		m, err := db.CreateModel(ctx, planID, code, *r.Model)
		if err != nil {
			return 0, err
		}
		return m.ID, nil
	case r.Kind == antq.FactIncident && r.Incident != nil:
		inc, err := db.CreateIncident(ctx, planID, code, *r.Incident)
		if err != nil {
			return 0, err
		}
		return inc.ID, nil
	}
	return 0, nil
}

// blankRow: a row left empty writes nothing, and never deletes a fact the
// unit has (had says whether it has one).
func blankRow(had bool, field, what string) (FactRowResult, error) {
	if !had {
		return FactRowResult{Outcome: ImportSkipped}, nil
	}
	return FactRowResult{}, antq.Invalid("Dòng để trống", map[string]string{field: fmt.Sprintf(
		"để trống không xóa được số liệu %s đã ghi; hãy xóa trên trang Nhập liệu, hoặc điền lại giá trị", what)})
}

// named puts the unit's name and code before a refusal's message, so a
// list of refusals reads on its own; the code and fields are kept.
func named(u *antq.Unit, err error) error {
	if err == nil {
		return nil
	}
	var e *antq.Error
	if !errors.As(err, &e) || e.Code == antq.EINTERNAL {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("%s (%s): %s", u.Name, u.Code, e.Message)
	return &c
}

func sameDoc(a, b *antq.DocumentRef) bool {
	norm := func(d *antq.DocumentRef) antq.DocumentRef {
		if d == nil {
			return antq.DocumentRef{}
		}
		return antq.DocumentRef{Number: strings.TrimSpace(d.Number), Date: d.Date, Issuer: strings.TrimSpace(d.Issuer), Title: strings.TrimSpace(d.Title)}
	}
	return norm(a) == norm(b)
}

func sameModel(a, b *antq.Model) bool {
	sameAssessment := (a.Assessment == nil) == (b.Assessment == nil) &&
		(a.Assessment == nil || *a.Assessment == *b.Assessment)
	return a.Name == b.Name && a.Kind == b.Kind && a.Status == b.Status && a.Effective == b.Effective &&
		a.StartedOn == b.StartedOn && a.Members == b.Members && sameDoc(a.Document, b.Document) && sameAssessment
}

// UnitWithFacts is a unit of a template with its facts for the plan.
type UnitWithFacts struct {
	Unit  *antq.Unit
	Facts *antq.UnitFacts
}

// MaxTemplateUnits bounds the units of one template: a province's
// template is made per district or commune.
const MaxTemplateUnits = 5000

// TemplateFacts returns the plan, its rule sets and the units of its tree
// under code (itself first, then in the tree's order) with their facts:
// what a fact template is filled with.
func (db *DB) TemplateFacts(ctx context.Context, planID, code string) (*rules.Plan, []*rules.RuleSet, []UnitWithFacts, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, nil, nil, err
	}
	codes, err := queryColumn[string](ctx, db.read, withPlanSubtree("$1", "$2")+`
SELECT u.code FROM sub JOIN units u ON u.id = sub.id ORDER BY sub.depth > 0, u.sort_key, u.code LIMIT $3`, t.unit.ID, t.plan.ID, MaxTemplateUnits+1)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("template units: %w", err)
	}
	if len(codes) > MaxTemplateUnits {
		return nil, nil, nil, antq.Errorf(antq.EINVALID, "%s có hơn %d đơn vị; hãy lấy mẫu cho từng đơn vị cấp dưới", t.unit.Name, MaxTemplateUnits)
	}
	out := make([]UnitWithFacts, 0, len(codes))
	for _, c := range codes {
		u, f, err := db.UnitFacts(ctx, planID, c)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, UnitWithFacts{Unit: u, Facts: f})
	}
	return t.plan, t.ruleSets, out, nil
}
