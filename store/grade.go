package store

import (
	"context"
	"database/sql"
	"reflect"

	"antq"
	"antq/yearend"
)

// PutGrade records the unit's decided movement grade (QĐ 510), unless a
// dossier governs it or the caller may not decide it (mayEnterDecision).
// The grade is the one the rubric gives its score (gates judged on the
// unit's recognition); another grade needs a reason and the decide
// permission, and is recorded as overridden. A grade that carries a
// decision changes only by a new decision naming the one it replaces.
func (db *DB) PutGrade(ctx context.Context, planID, code string, in antq.GradeRecord) (*antq.GradeRecord, error) {
	return writeFact(db.withFactAudited, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.GradeRecord, error) {
		if err := db.mayEnterDecision(ctx, tx, t, yearend.DossierGrading, antq.FactGrade, "put"); err != nil {
			return nil, err
		}
		rec, err := db.recognition(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if err := t.rules.CheckGrade(&in, rec != nil && rec.Result == antq.RecognitionMet); err != nil {
			return nil, err
		}
		if in.Overridden {
			if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermFactDecide) {
				return nil, refuse(antq.Errorf(antq.EFORBIDDEN, "Xếp loại khác loại theo bảng điểm cần quyền quyết định kết quả"), t, string(antq.FactGrade), map[string]any{"action": "put"})
			}
		}
		var score any
		if in.Score != nil {
			score = int64(*in.Score)
		}
		return putDecidedFact(ctx, db, tx, t, decidedWrite[antq.GradeRecord]{
			kind: antq.FactGrade, table: "grades", load: db.grade,
			decisionOf: func(g *antq.GradeRecord) *antq.DocumentRef { return g.Decision },
			decision:   in.Decision, replaces: in.Replaces,
			same: func(old *antq.GradeRecord) bool {
				return old.Grade == in.Grade && reflect.DeepEqual(old.Score, in.Score) && old.OverrideReason == in.OverrideReason
			},
			cols: []string{"grade", "score_tenths", "rubric_grade", "override_reason"},
			vals: []any{string(in.Grade), score, nullIfEmpty(string(in.RubricGrade)), nullIfEmpty(in.OverrideReason)},
			record: func(replaced *antq.DocumentRef) *antq.GradeRecord {
				return &antq.GradeRecord{Grade: in.Grade, Score: in.Score, Decision: in.Decision, RubricGrade: in.RubricGrade,
					Overridden: in.Overridden, OverrideReason: in.OverrideReason, ReplacedDecision: replaced, Stamp: stamp(ctx, tx)}
			},
		})
	})
}

// DeleteGrade removes a wrongly entered grade; one that carries a decision
// is never deleted (rules.CheckDecidedDelete).
func (db *DB) DeleteGrade(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactGrade, "grades", asAny(db.grade))
}

func (db *DB) grade(ctx context.Context, q querier, t *factTarget) (*antq.GradeRecord, error) {
	var g antq.GradeRecord
	var grade string
	var score sql.NullInt64
	var rubric, reason sql.NullString
	var replaced docScan
	doc, found, err := loadSingleFact(ctx, q, t, "grades", "grade, score_tenths, rubric_grade, override_reason, replaced_number, replaced_date, replaced_issuer, replaced_title",
		&g.Stamp, append([]any{&grade, &score, &rubric, &reason}, replaced.dest()...)...)
	if !found {
		return nil, err
	}
	g.Grade, g.Decision, g.ReplacedDecision = antq.Grade(grade), doc, replaced.ref()
	g.RubricGrade, g.OverrideReason = antq.Grade(rubric.String), reason.String
	g.Overridden = g.OverrideReason != ""
	if score.Valid {
		s := antq.Tenths(score.Int64)
		g.Score = &s
	}
	return &g, nil
}
