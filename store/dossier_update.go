package store

import (
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/yearend"
)

// ensureDossier returns the id of the unit's dossier of kind, creating its
// row in the draft state if it does not exist yet.
func ensureDossier(ctx context.Context, tx *Tx, t *factTarget, kind yearend.DossierKind) (int64, error) {
	rec, err := findDossierRecord(ctx, tx, t, kind)
	if err != nil {
		return 0, err
	} else if rec != nil {
		return rec.id, nil
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO dossiers (plan_id, unit_id, kind, state, updated_at, updated_by) VALUES ($1, $2, $3, 'draft', $4, $5) RETURNING id`,
		t.factsPlanID, t.unit.ID, string(kind), tx.now, actorName(ctx)).Scan(&id); err != nil {
		return 0, fmt.Errorf("dossier: %w", err)
	}
	return id, nil
}

// UpdateDossier saves verdicts, documents and scores, by the rules of
// yearend.CheckDossierInput: load the dossier, check, write, in one
// transaction.
func (db *DB) UpdateDossier(ctx context.Context, planID, code string, kind yearend.DossierKind, in yearend.DossierInput) (*yearend.Dossier, error) {
	if err := kind.Validate(); err != nil {
		return nil, err
	}
	var out *yearend.Dossier
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		before, err := db.loadDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		evidence, err := unitEvidence(ctx, tx, t, in.EvidenceIDs())
		if err != nil {
			return err
		}
		if err := yearend.CheckDossierInput(before, in, evidence, antq.DateOf(db.Now())); err != nil {
			return err
		}
		id, err := ensureDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		if err := writeDossierInput(ctx, tx, id, in); err != nil {
			return err
		}
		if out, err = db.loadDossier(ctx, tx, t, kind); err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "update", Entity: "dossier_" + string(kind), Key: factKey(t), UnitID: t.unit.ID,
			Old: before.Summary(), New: map[string]any{"input": in, "summary": out.Summary()}})
	})
	return out, err
}

// unitEvidence tells which of the evidence files ids belong to the unit
// (in the plan's facts).
func unitEvidence(ctx context.Context, q querier, t *factTarget, ids []int64) (map[int64]bool, error) {
	own := map[int64]bool{}
	for _, id := range ids {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE id = $1 AND plan_id = $2 AND unit_id = $3`, id, t.factsPlanID, t.unit.ID).Scan(&n); err != nil {
			return nil, fmt.Errorf("dossier: %w", err)
		}
		own[id] = n > 0
	}
	return own, nil
}

// writeDossierInput saves what in gives into the dossier with id.
func writeDossierInput(ctx context.Context, tx *Tx, id int64, in yearend.DossierInput) error {
	for _, c := range in.Criteria {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_criteria (dossier_id, criterion_id, verdict, note, override_reason) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, criterion_id) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, override_reason = excluded.override_reason`,
			id, c.ID, string(c.Verdict), strings.TrimSpace(c.Note), strings.TrimSpace(c.OverrideReason)); err != nil {
			return fmt.Errorf("dossier criteria: %w", err)
		}
	}
	for _, d := range in.Documents {
		var ev, date any
		if d.EvidenceID != 0 {
			ev = d.EvidenceID
		}
		if !d.Date.IsZero() {
			date = d.Date
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_documents (dossier_id, code, number, doc_date, evidence_id) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, code) DO UPDATE SET number = excluded.number, doc_date = excluded.doc_date, evidence_id = excluded.evidence_id`,
			id, d.Code, strings.TrimSpace(d.Number), date, ev); err != nil {
			return fmt.Errorf("dossier documents: %w", err)
		}
	}
	for _, s := range in.Scores {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_scores (dossier_id, item_id, self_tenths, reviewed_tenths, note) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, item_id) DO UPDATE SET self_tenths = COALESCE(excluded.self_tenths, dossier_scores.self_tenths),
  reviewed_tenths = COALESCE(excluded.reviewed_tenths, dossier_scores.reviewed_tenths), note = excluded.note`,
			id, s.ItemID, tenthsArg(s.Self), tenthsArg(s.Reviewed), strings.TrimSpace(s.Note)); err != nil {
			return fmt.Errorf("dossier scores: %w", err)
		}
	}
	if in.Grade != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET result = $1, override_reason = $2 WHERE id = $3`, string(in.Grade), strings.TrimSpace(in.OverrideReason), id); err != nil {
			return fmt.Errorf("dossier: %w", err)
		}
	}
	return touchDossier(ctx, tx, id)
}

// touchDossier records who changed the dossier with id, and when.
func touchDossier(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET updated_at = $1, updated_by = $2 WHERE id = $3`, tx.now, actorName(ctx), id); err != nil {
		return fmt.Errorf("dossier: %w", err)
	}
	return nil
}

func tenthsArg(v *antq.Tenths) any {
	if v == nil {
		return nil
	}
	return int64(*v)
}
