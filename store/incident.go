package store

import (
	"context"
	"fmt"

	"antq"
)

// CreateIncident records an incident whose category is a veto item of the
// checklist or an outcome category of the plan's rule sets.
func (db *DB) CreateIncident(ctx context.Context, planID, code string, in antq.IncidentInput) (*antq.Incident, error) {
	return db.createIncident(ctx, planID, code, in, 0)
}

// createIncident records an incident under a new id, or under id when it is
// not 0 (restored from the history with its evidence).
func (db *DB) createIncident(ctx context.Context, planID, code string, in antq.IncidentInput, id int64) (*antq.Incident, error) {
	return writeFact(db.withFact, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Incident, error) {
		inc, err := t.rules.CheckIncident(in)
		if err != nil {
			return nil, err
		}
		inc.Stamp = stamp(ctx, tx)
		inc.ID, inc.State, err = insertFact(ctx, tx, t, "incidents", []string{"occurred_on", "category", "description", "verified"},
			[]any{inc.OccurredOn, inc.Category, inc.Description, inc.Verified}, inc.Document, id,
			"Không khôi phục được vụ việc: số hiệu của nó đã được dùng cho vụ việc khác")
		if err != nil {
			return nil, err
		}
		return inc, db.factChanged(ctx, tx, t, antq.FactIncident, "create", nil, inc, inc.ID)
	})
}

// DeleteIncident removes a wrongly entered incident.
func (db *DB) DeleteIncident(ctx context.Context, planID, code string, id int64) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		incs, err := db.incidents(ctx, tx, t, id)
		if err != nil {
			return err
		} else if len(incs) == 0 {
			return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy vụ việc %d của đơn vị %s", id, t.unit.Code)
		}
		if _, err := writeState(ctx, &incs[0].Approval); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM incidents WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete incident: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactIncident, "delete", incs[0], nil, id)
	})
}

// incidents lists the unit's incidents (only the one with id, if id > 0).
func (db *DB) incidents(ctx context.Context, q querier, t *factTarget, id int64) ([]*antq.Incident, error) {
	query := `SELECT id, occurred_on, category, description, verified, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by, ` + approvalCols + `
FROM incidents WHERE plan_id = $1 AND unit_id = $2`
	args := []any{t.factsPlanID, t.unit.ID}
	if id > 0 {
		query += ` AND id = $3`
		args = append(args, id)
	}
	return listRows(ctx, q, "incidents", scanIncident, query+` ORDER BY occurred_on, id`, args...)
}

func scanIncident(row rowScanner) (*antq.Incident, error) {
	var inc antq.Incident
	var d docScan
	var a approvalScan
	if err := row.Scan(append(append(append([]any{&inc.ID, &inc.OccurredOn, &inc.Category, &inc.Description, &inc.Verified}, d.dest()...), &inc.UpdatedAt, &inc.UpdatedBy), a.dest()...)...); err != nil {
		return nil, err
	}
	a.into(&inc.Approval)
	inc.Document = d.ref()
	return &inc, nil
}
