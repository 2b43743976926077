package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
)

// CreateModel adds a model to the unit's facts for the plan.
func (db *DB) CreateModel(ctx context.Context, planID, code string, in antq.ModelInput) (*antq.Model, error) {
	return db.createModel(ctx, planID, code, in, 0)
}

// createModel adds a model under a new id, or under id when it is not 0
// (a deleted model restored from the history keeps its id, and with it its
// evidence files).
func (db *DB) createModel(ctx context.Context, planID, code string, in antq.ModelInput, id int64) (*antq.Model, error) {
	return writeFact(db.withFact, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Model, error) {
		m, err := t.rules.CheckNewModel(in)
		if err != nil {
			return nil, err
		}
		m.ID, m.State, err = insertFact(ctx, tx, t, "models", modelCols, modelArgs(m), m.Document, id,
			"Không khôi phục được mô hình: số hiệu của nó đã được dùng cho mô hình khác")
		if err != nil {
			return nil, err
		}
		if err := db.linkModelIdentity(ctx, tx, t, m, in); err != nil {
			return nil, err
		}
		m.Stamp = stamp(ctx, tx)
		return m, db.factChanged(ctx, tx, t, antq.FactModel, "create", nil, m, m.ID)
	})
}

// UpdateModel changes the fields present in in.
func (db *DB) UpdateModel(ctx context.Context, planID, code string, id int64, in antq.ModelInput) (*antq.Model, error) {
	return writeFact(db.withFact, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Model, error) {
		old, err := db.model(ctx, tx, t, id)
		if err != nil {
			return nil, err
		}
		state, err := writeState(ctx, &old.Approval)
		if err != nil {
			return nil, err
		}
		m, err := t.rules.CheckModelChange(old, in)
		if err != nil {
			return nil, err
		}
		m.State = state
		args := append(append(modelArgs(m), docArgs(m.Document)...), tx.now, actorName(ctx), string(state), id)
		if _, err := tx.ExecContext(ctx, `UPDATE models SET name = $1, kind = $2, status = $3, effective = $4, started_on = $5, members = $6,
  assessed_on = $7, assessed_by = $8, assessment_basis = $9,
  doc_number = $10, doc_date = $11, doc_issuer = $12, doc_title = $13, updated_at = $14, updated_by = $15, state = $16 WHERE id = $17`, args...); err != nil {
			return nil, fmt.Errorf("update model: %w", err)
		}
		if err := db.linkModelIdentity(ctx, tx, t, m, in); err != nil {
			return nil, err
		}
		m.Stamp = stamp(ctx, tx)
		return m, db.factChanged(ctx, tx, t, antq.FactModel, "update", old, m, id)
	})
}

// modelArgs are the model's own columns: name, kind, status, effective,
// started_on (NULL when not known), members and the assessment (assessed_on,
// assessed_by, assessment_basis; NULL when not yet assessed).
// modelCols are the columns of a model's own fields, in modelArgs' order.
var modelCols = []string{"name", "kind", "status", "effective", "started_on", "members", "assessed_on", "assessed_by", "assessment_basis"}

func modelArgs(m *antq.Model) []any {
	var started, on, by, basis any
	if !m.StartedOn.IsZero() {
		started = m.StartedOn
	}
	if a := m.Assessment; a != nil {
		on, by, basis = a.On, a.By, a.Basis
	}
	return []any{m.Name, m.Kind, string(m.Status), m.Effective, started, m.Members, on, by, basis}
}

// DeleteModel removes a model.
func (db *DB) DeleteModel(ctx context.Context, planID, code string, id int64) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		old, err := db.model(ctx, tx, t, id)
		if err != nil {
			return err
		}
		if _, err := writeState(ctx, &old.Approval); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM models WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete model: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactModel, "delete", old, nil, id)
	})
}

// modelCountsEffective is what the indicators count as an effective model:
// one assessed as effective (a model written before assessments were kept
// counts only once it is assessed).
const modelCountsEffective = `CASE WHEN effective AND assessed_by IS NOT NULL THEN 1 ELSE 0 END`

const modelSelect = `SELECT id, name, kind, status, effective, started_on, members, assessed_on, assessed_by, assessment_basis, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by, identity_id, ` + approvalCols + ` FROM models `

func scanModel(row rowScanner) (*antq.Model, error) {
	var m antq.Model
	var status string
	var d docScan
	var on antq.Date
	var by, basis sql.NullString
	var a approvalScan
	var identity sql.NullInt64
	if err := row.Scan(append(append(append([]any{&m.ID, &m.Name, &m.Kind, &status, &m.Effective, &m.StartedOn, &m.Members, &on, &by, &basis}, d.dest()...), &m.UpdatedAt, &m.UpdatedBy, &identity), a.dest()...)...); err != nil {
		return nil, err
	}
	m.Identity = identity.Int64
	a.into(&m.Approval)
	m.Status, m.Document = antq.ModelStatus(status), d.ref()
	if by.Valid {
		m.Assessment = &antq.ModelAssessment{On: on, By: by.String, Basis: basis.String}
	}
	return &m, nil
}

// model returns one model of the unit; a model of another unit or plan is
// ENOTFOUND, so ids cannot be used to reach across units.
func (db *DB) model(ctx context.Context, q querier, t *factTarget, id int64) (*antq.Model, error) {
	m, err := scanModel(q.QueryRowContext(ctx, modelSelect+`WHERE id = $1 AND plan_id = $2 AND unit_id = $3`, id, t.factsPlanID, t.unit.ID))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mô hình %d của đơn vị %s", id, t.unit.Code)
	} else if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	return m, nil
}

func (db *DB) models(ctx context.Context, q querier, t *factTarget) ([]*antq.Model, error) {
	return listRows(ctx, q, "models", scanModel, modelSelect+`WHERE plan_id = $1 AND unit_id = $2 ORDER BY id`, t.factsPlanID, t.unit.ID)
}

// ListModels returns the unit's models for the plan.
func (db *DB) ListModels(ctx context.Context, planID, code string) ([]*antq.Model, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	return db.models(ctx, db.read, t)
}
