package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
)

// The registry of models (issue 15 item 2): every model fact of a plan year
// links to one identity (model_identities) that the same model keeps across
// the years — the unit that runs it, its kind, name and start — and an
// identity may record the identity it replicates (nhân rộng từ).

// linkModelIdentity links the model fact m of the target's unit, just
// written, to its identity: the one in.Continues names (a model of an
// earlier year this one continues), else the one it already has, else the
// unit's identity of the same kind and name, else a new one. It records
// in.Replicates on the identity when given, and keeps the identity's kind,
// name and unit those of the latest fact written.
func (db *DB) linkModelIdentity(ctx context.Context, tx *Tx, t *factTarget, m *antq.Model, in antq.ModelInput) error {
	f := antq.FieldErrors{}
	id := m.Identity
	if in.Continues != nil && *in.Continues != 0 {
		id = *in.Continues
		if err := db.checkContinues(ctx, tx, t, m, id, f); err != nil {
			return err
		}
	}
	if err := f.Err("Mô hình không hợp lệ"); err != nil {
		return err
	}
	if id == 0 {
		err := tx.QueryRowContext(ctx, `SELECT id FROM model_identities WHERE unit_id = $1 AND kind = $2 AND name = $3
  AND NOT EXISTS (SELECT 1 FROM models o WHERE o.identity_id = model_identities.id AND o.plan_id = $4 AND o.id <> $5)
ORDER BY id LIMIT 1`, t.unit.ID, m.Kind, m.Name, t.factsPlanID, m.ID).Scan(&id)
		if err != nil && !errNoRows(err) {
			return fmt.Errorf("model identity: %w", err)
		}
	}
	var started any
	if !m.StartedOn.IsZero() {
		started = m.StartedOn
	}
	if id == 0 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO model_identities (unit_id, kind, name, started_on, created_at)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.unit.ID, m.Kind, m.Name, started, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("model identity: %w", err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, `UPDATE model_identities SET unit_id = $1, kind = $2, name = $3 WHERE id = $4`,
			t.unit.ID, m.Kind, m.Name, id); err != nil {
			return fmt.Errorf("model identity: %w", err)
		}
		if started != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE model_identities SET started_on = $1 WHERE id = $2 AND (started_on IS NULL OR started_on > $1)`,
				started, id); err != nil {
				return fmt.Errorf("model identity: %w", err)
			}
		}
	}
	if in.Replicates != nil {
		if err := db.setReplicates(ctx, tx, id, *in.Replicates); err != nil {
			return err
		}
	}
	if id != m.Identity {
		if _, err := tx.ExecContext(ctx, `UPDATE models SET identity_id = $1 WHERE id = $2`, id, m.ID); err != nil {
			return fmt.Errorf("model identity: %w", err)
		}
		m.Identity = id
	}
	return nil
}

// checkContinues: the model continued is a registry entry the caller
// reaches, with no other model in this plan year; a model that continues
// one of an earlier year is not new this year.
func (db *DB) checkContinues(ctx context.Context, tx *Tx, t *factTarget, m *antq.Model, id int64, f antq.FieldErrors) error {
	var unitID int64
	err := tx.QueryRowContext(ctx, `SELECT unit_id FROM model_identities WHERE id = $1`, id).Scan(&unitID)
	unknown := fmt.Sprintf("không có mô hình số %d trong sổ mô hình của đơn vị này, đơn vị trực thuộc hoặc đơn vị tiền thân (trước sắp xếp) trong phạm vi của bạn", id)
	if errNoRows(err) {
		f.Add("continues", unknown)
		return nil
	} else if err != nil {
		return fmt.Errorf("model identity: %w", err)
	}
	if ok, err := db.continuable(ctx, tx, t, unitID); err != nil {
		return err
	} else if !ok {
		f.Add("continues", unknown)
		return nil
	}
	var here, elsewhere int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN plan_id = $2 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN plan_id <> $2 THEN 1 ELSE 0 END), 0)
FROM models WHERE identity_id = $1 AND id <> $3`, id, t.factsPlanID, m.ID).Scan(&here, &elsewhere); err != nil {
		return fmt.Errorf("model identity: %w", err)
	}
	if here > 0 {
		f.Add("continues", "mô hình này đã có trong kế hoạch năm nay")
	}
	if elsewhere > 0 && m.Status == antq.ModelNew {
		f.Add("status", "mô hình tiếp nối mô hình năm trước không phải mô hình xây dựng mới (chọn củng cố hoặc duy trì)")
	}
	return nil
}

// setReplicates records that the identity id replicates the identity of
// (0: none). The model replicated must exist, not be the model itself, and
// not replicate it in turn (no circle).
func (db *DB) setReplicates(ctx context.Context, tx *Tx, id, of int64) error {
	if of == 0 {
		_, err := tx.ExecContext(ctx, `UPDATE model_identities SET replicates_id = NULL WHERE id = $1`, id)
		return err
	}
	f := antq.FieldErrors{}
	if of == id {
		f.Add("replicates", "mô hình không thể nhân rộng từ chính nó")
		return f.Err("Mô hình không hợp lệ")
	}
	// Walk up what of replicates: meeting id would close a circle.
	for at, steps := of, 0; at != 0 && steps < 64; steps++ {
		var next sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT replicates_id FROM model_identities WHERE id = $1`, at).Scan(&next)
		if errNoRows(err) {
			f.Add("replicates", fmt.Sprintf("không có mô hình số %d trong sổ mô hình", of))
			return f.Err("Mô hình không hợp lệ")
		} else if err != nil {
			return fmt.Errorf("model replicates: %w", err)
		}
		if next.Int64 == id {
			f.Add("replicates", fmt.Sprintf("mô hình số %d đã nhân rộng từ mô hình này", of))
			return f.Err("Mô hình không hợp lệ")
		}
		at = next.Int64
	}
	// A model cannot take up one that started after it.
	var mine, theirs antq.Date // zero: not known
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT started_on FROM model_identities WHERE id = $1), (SELECT started_on FROM model_identities WHERE id = $2)`,
		id, of).Scan(&mine, &theirs); err != nil {
		return fmt.Errorf("model replicates: %w", err)
	}
	if !mine.IsZero() && !theirs.IsZero() && mine.Before(theirs) {
		f.Add("replicates", fmt.Sprintf("mô hình này bắt đầu ngày %s, trước mô hình số %d mà nó nhân rộng (bắt đầu ngày %s)", mine.VN(), of, theirs.VN()))
		return f.Err("Mô hình không hợp lệ")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE model_identities SET replicates_id = $1 WHERE id = $2`, of, id); err != nil {
		return fmt.Errorf("model replicates: %w", err)
	}
	return nil
}

// linkUnlinkedModels gives the models written without an identity (a bulk
// load) the identity of their unit's model of the same kind and name, or a
// new one: what migration 0024 did for the models it found.
func linkUnlinkedModels(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO model_identities (unit_id, kind, name, started_on, created_at)
SELECT m.unit_id, m.kind, m.name, MIN(m.started_on), $1 FROM models m
WHERE m.identity_id IS NULL AND NOT EXISTS (SELECT 1 FROM model_identities i WHERE i.unit_id = m.unit_id AND i.kind = m.kind AND i.name = m.name)
GROUP BY m.unit_id, m.kind, m.name ORDER BY MIN(m.id)`, tx.now); err != nil {
		return fmt.Errorf("model identities: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE models SET identity_id = (SELECT MIN(i.id) FROM model_identities i
  WHERE i.unit_id = models.unit_id AND i.kind = models.kind AND i.name = models.name) WHERE identity_id IS NULL`); err != nil {
		return fmt.Errorf("model identities: %w", err)
	}
	return nil
}
