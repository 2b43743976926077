package store

import (
	"context"
	"database/sql"

	"antq"
	"antq/yearend"
)

// PutGrade records the unit's decided movement grade (QĐ 510), unless a
// dossier governs it or the caller may not decide it (mayEnterDecision).
func (db *DB) PutGrade(ctx context.Context, planID, code string, in antq.GradeRecord) (*antq.GradeRecord, error) {
	return writeFact(db.withFactAudited, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.GradeRecord, error) {
		if err := db.mayEnterDecision(ctx, tx, t, yearend.DossierGrading, antq.FactGrade, "put"); err != nil {
			return nil, err
		}
		if err := t.rules.CheckGrade(&in); err != nil {
			return nil, err
		}
		var score any
		if in.Score != nil {
			score = int64(*in.Score)
		}
		out := &antq.GradeRecord{Grade: in.Grade, Score: in.Score, Decision: in.Decision, Stamp: stamp(ctx, tx)}
		return out, putSingleFact(ctx, db, tx, t, antq.FactGrade, "grades", db.grade,
			[]string{"grade", "score_tenths"}, []any{string(in.Grade), score}, in.Decision, out)
	})
}

// DeleteGrade removes a wrongly entered grade.
func (db *DB) DeleteGrade(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactGrade, "grades", asAny(db.grade))
}

func (db *DB) grade(ctx context.Context, q querier, t *factTarget) (*antq.GradeRecord, error) {
	var g antq.GradeRecord
	var grade string
	var score sql.NullInt64
	doc, found, err := loadSingleFact(ctx, q, t, "grades", "grade, score_tenths", &g.Stamp, &grade, &score)
	if !found {
		return nil, err
	}
	g.Grade, g.Decision = antq.Grade(grade), doc
	if score.Valid {
		s := antq.Tenths(score.Int64)
		g.Score = &s
	}
	return &g, nil
}
