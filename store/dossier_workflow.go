package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
	"antq/yearend"
)

// Transition moves a dossier through the workflow, by the rules of
// yearend.CheckTransition: load the dossier, check, write, in one
// transaction. Deciding writes the decided result into the facts, which
// moves the indicators. A step separation of duties refuses is recorded in
// the audit trail.
func (db *DB) Transition(ctx context.Context, planID, code string, kind yearend.DossierKind, action yearend.Action, in yearend.TransitionInput) (*yearend.Dossier, error) {
	if err := kind.Validate(); err != nil {
		return nil, err
	}
	// The role before the unit is looked up: a step the role never takes
	// is refused whatever the unit.
	if err := yearend.CheckRole(yearend.ActorOf(antq.UserFromContext(ctx)), action); err != nil {
		return nil, err
	}
	in = in.Clean()
	var out *yearend.Dossier
	err := db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		d, err := db.loadDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		next, err := yearend.CheckTransition(d, action, in, antq.DateOf(db.Now()))
		if antq.ErrorCode(err) == antq.EFORBIDDEN {
			return refuse(err, t, "dossier_"+string(kind), map[string]any{"action": action, "state": d.State})
		} else if err != nil {
			return err
		}
		if action == yearend.Decide {
			if err := db.checkDecisionNumber(ctx, tx, t, d, in); err != nil {
				return err
			}
		}
		id, err := ensureDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		if err := writeTransition(ctx, tx, id, d, action, next, in); err != nil {
			return err
		}
		if action == yearend.Decide {
			if err := numberCertificate(ctx, tx, t, id, d, d.CertificateNo); err != nil {
				return err
			}
			if err := db.applyDecision(ctx, tx, t, d, in); err != nil {
				return err
			}
		}
		if out, err = db.loadDossier(ctx, tx, t, kind); err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: string(action), Entity: "dossier_" + string(kind), Key: factKey(t), UnitID: t.unit.ID,
			Reason: in.Reason, Old: d.Summary(), New: out.Summary()})
	})
	return out, err
}

// writeTransition records the step action, checked, on the dossier d with
// id: its new state next and what the step stamps.
func writeTransition(ctx context.Context, tx *Tx, id int64, d *yearend.Dossier, action yearend.Action, next yearend.State, in yearend.TransitionInput) error {
	who := actorName(ctx)
	var q string
	var args []any
	switch action {
	case yearend.Submit:
		q, args = `UPDATE dossiers SET state = $1, submitted_at = $2, submitted_by = $3, return_reason = '' WHERE id = $4`, []any{string(next), tx.now, who, id}
	case yearend.Return:
		q, args = `UPDATE dossiers SET state = $1, return_reason = $2 WHERE id = $3`, []any{string(next), in.Reason, id}
	case yearend.Review:
		q, args = `UPDATE dossiers SET state = $1, reviewed_at = $2, reviewed_by = $3, result = $4 WHERE id = $5`, []any{string(next), tx.now, who, d.Outcome(), id}
	case yearend.Decide:
		q, args = `UPDATE dossiers SET state = $1, decided_at = $2, decided_by = $3, decision_number = $4, decision_date = $5,
  authority = $6, authority_label = $7, decided_late = $8, authority_unit_id = $9, signer_title = $10, signer_name = $11,
  certificate_no = $12 WHERE id = $13`,
			[]any{string(next), tx.now, who, in.DecisionNumber, in.DecisionDate, d.Authority, d.AuthorityLabel, d.LateOn(in.DecisionDate),
				nullIfZero(issuerOf(d).UnitID), in.SignerTitle, in.SignerName, nil, id}
	case yearend.Reopen:
		q, args = `UPDATE dossiers SET state = $1, amended = TRUE, previous_decision = decision_number, return_reason = $2 WHERE id = $3`, []any{string(next), in.Reason, id}
	default:
		return fmt.Errorf("dossier: no statement for %q", action)
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("dossier %s: %w", action, err)
	}
	return touchDossier(ctx, tx, id)
}

// applyDecision writes a decided dossier's result into the facts (the same
// records direct entry uses) and keeps the indicators in step.
func (db *DB) applyDecision(ctx context.Context, tx *Tx, t *factTarget, d *yearend.Dossier, in yearend.TransitionInput) error {
	doc := &antq.DocumentRef{Number: in.DecisionNumber, Date: in.DecisionDate, Issuer: d.AuthorityLabel, Title: d.Kind.Label()}
	stamp := antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}
	if d.Kind == yearend.DossierRecognition {
		old, err := db.recognition(ctx, tx, t)
		if err != nil {
			return err
		}
		var replaced *antq.DocumentRef
		if old != nil {
			replaced = replacedBy(old.Decision, doc)
		}
		if err := upsertFact(ctx, tx, t, "recognitions", append([]string{"result", "decided_on"}, replacedCols...),
			append([]any{string(d.Result), in.DecisionDate}, docArgs(replaced)...), doc); err != nil {
			return err
		}
		return db.factChanged(ctx, tx, t, antq.FactRecognition, putAction(old != nil), old,
			&antq.Recognition{Result: d.Result, DecidedOn: in.DecisionDate, Decision: doc, ReplacedDecision: replaced, Stamp: stamp})
	}
	old, err := db.grade(ctx, tx, t)
	if err != nil {
		return err
	}
	score := d.ReviewedTotal
	var replaced *antq.DocumentRef
	if old != nil {
		replaced = replacedBy(old.Decision, doc)
	}
	// The dossier's grade is the rubric's (ComputedGrade) unless it was
	// overridden with a reason.
	reason := ""
	if d.Grade != d.ComputedGrade {
		reason = d.OverrideReason
	}
	if err := upsertFact(ctx, tx, t, "grades", append([]string{"grade", "score_tenths", "rubric_grade", "override_reason"}, replacedCols...),
		append([]any{string(d.Grade), int64(score), nullIfEmpty(string(d.ComputedGrade)), nullIfEmpty(reason)}, docArgs(replaced)...), doc); err != nil {
		return err
	}
	return db.factChanged(ctx, tx, t, antq.FactGrade, putAction(old != nil), old,
		&antq.GradeRecord{Grade: d.Grade, Score: &score, RubricGrade: d.ComputedGrade, Overridden: reason != "", OverrideReason: reason,
			Decision: doc, ReplacedDecision: replaced, Stamp: stamp})
}

// replacedBy is the decision a dossier's decision (doc) replaces: the one
// the result carried before, unless it is the same decision.
func replacedBy(old, doc *antq.DocumentRef) *antq.DocumentRef {
	if old == nil || strings.EqualFold(old.Number, doc.Number) {
		return nil
	}
	return old
}

// mayEnterDecision guards direct entry (and deletion) of a decided result,
// recognition or grade, by the rules of yearend.CheckDirectDecision. A
// refusal by separation of duties is audited as an attempt on fact.
func (db *DB) mayEnterDecision(ctx context.Context, tx *Tx, t *factTarget, kind yearend.DossierKind, fact antq.FactKind, action string) error {
	rec, err := findDossierRecord(ctx, tx, t, kind)
	if err != nil {
		return err
	}
	var governing yearend.State
	var step yearend.Step
	if rec != nil {
		governing = yearend.State(rec.state)
	} else {
		rs := dossierRuleSet(t, kind)
		if rs == nil {
			return nil // no rule set: the write refuses the unit itself
		}
		a, err := db.authorityFor(ctx, tx, t, rs)
		if err != nil {
			a = nil
		}
		if step, err = db.dutyStep(ctx, tx, t, a, "", yearend.History{}); err != nil {
			return err
		}
	}
	err = yearend.CheckDirectDecision(governing, step)
	if antq.ErrorCode(err) == antq.EFORBIDDEN {
		return refuse(err, t, string(fact), map[string]any{"action": action})
	}
	return err
}

// BulkTransition applies one action to many units' dossiers, each in its own
// transaction, and reports each unit's outcome: an approver reviews or
// decides a list at once, and one bad dossier does not stop the others.
func (db *DB) BulkTransition(ctx context.Context, planID string, codes []string, kind yearend.DossierKind, action yearend.Action, in yearend.TransitionInput) ([]yearend.BulkResult, error) {
	if len(codes) == 0 || len(codes) > 1000 {
		return nil, antq.Invalid("Danh sách đơn vị không hợp lệ", map[string]string{"units": "cần từ 1 đến 1000 mã đơn vị"})
	}
	// The role decides for the whole list; separation of duties for each
	// unit (a refused unit is reported, the others go on).
	if err := yearend.CheckRole(yearend.ActorOf(antq.UserFromContext(ctx)), action); err != nil {
		return nil, err
	}
	if action == yearend.Decide {
		if err := db.checkOneIssuer(ctx, planID, codes, kind, in); err != nil {
			return nil, err
		}
	}
	out := make([]yearend.BulkResult, 0, len(codes))
	for _, code := range codes {
		d, err := db.Transition(ctx, planID, code, kind, action, in)
		r := yearend.BulkResult{Code: code}
		if err != nil {
			if antq.ErrorCode(err) == antq.EINTERNAL {
				return out, err
			}
			r.Error, r.Fields = antq.ErrorMessage(err), antq.ErrorFields(err)
		} else {
			r.State = string(d.State)
		}
		out = append(out, r)
	}
	return out, nil
}

// issuerOf is the authority that decides for the dossier's unit: the
// deciding unit of its separation-of-duties step (the nearest ancestor at
// the rule's managing level) and the authority's name.
func issuerOf(d *yearend.Dossier) yearend.Issuer {
	is := yearend.Issuer{Label: d.AuthorityLabel}
	if len(d.Duty.Authority.Chain) > 0 {
		is.UnitID = d.Duty.Authority.Chain[0]
	}
	return is
}

// checkDecisionNumber loads the dates on which the dossier's issuer already
// used the decision number (in the plan's facts, either kind of dossier)
// and asks yearend.CheckDecisionNumber.
func (db *DB) checkDecisionNumber(ctx context.Context, tx *Tx, t *factTarget, d *yearend.Dossier, in yearend.TransitionInput) error {
	is := issuerOf(d)
	var used []antq.Date
	err := queryEach(ctx, tx, "decision number", func(rows *sql.Rows) error {
		var date antq.Date
		if err := rows.Scan(&date); err != nil {
			return err
		}
		used = append(used, date)
		return nil
	}, `SELECT DISTINCT decision_date FROM dossiers
WHERE plan_id = $1 AND state = 'decided' AND decision_number = $2 AND decision_date IS NOT NULL AND unit_id <> $3
  AND ((authority_unit_id IS NOT NULL AND authority_unit_id = $4) OR (authority_unit_id IS NULL AND authority_label = $5))`,
		t.factsPlanID, in.DecisionNumber, t.unit.ID, is.UnitID, is.Label)
	if err != nil {
		return err
	}
	return yearend.CheckDecisionNumber(in.DecisionNumber, in.DecisionDate, is, used)
}

// checkOneIssuer refuses, before any unit is decided, a bulk decision whose
// units belong to several deciding authorities (yearend.CheckOneIssuer). A
// unit whose dossier cannot be read is left to its own step, which reports
// why.
func (db *DB) checkOneIssuer(ctx context.Context, planID string, codes []string, kind yearend.DossierKind, in yearend.TransitionInput) error {
	units := make([]yearend.IssuedUnit, 0, len(codes))
	for _, code := range codes {
		d, err := db.Dossier(ctx, planID, code, kind)
		if antq.ErrorCode(err) == antq.EINTERNAL {
			return err
		} else if err != nil {
			continue
		}
		units = append(units, yearend.IssuedUnit{Code: d.Unit.Code, Name: d.Unit.Name, Issuer: issuerOf(d)})
	}
	return yearend.CheckOneIssuer(strings.TrimSpace(in.DecisionNumber), units)
}

// nullIfZero stores an absent id as NULL.
func nullIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// numberCertificate gives a unit decided "đạt" the next certificate number
// of its issuer in the plan (kept when the dossier is decided again).
func numberCertificate(ctx context.Context, tx *Tx, t *factTarget, id int64, d *yearend.Dossier, old int) error {
	if d.Kind != yearend.DossierRecognition || d.Result != antq.RecognitionMet {
		return nil
	}
	no := int64(old)
	if no == 0 {
		is := issuerOf(d)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(certificate_no), 0) + 1 FROM dossiers
WHERE plan_id = $1 AND kind = 'recognition' AND ((authority_unit_id IS NOT NULL AND authority_unit_id = $2) OR (authority_unit_id IS NULL AND authority_label = $3))`,
			t.factsPlanID, is.UnitID, is.Label).Scan(&no); err != nil {
			return fmt.Errorf("certificate number: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET certificate_no = $1 WHERE id = $2`, no, id); err != nil {
		return fmt.Errorf("certificate number: %w", err)
	}
	return nil
}
