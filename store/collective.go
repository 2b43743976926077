package store

import (
	"context"

	"antq"
)

// PutCollectiveAssessment records (or replaces) the year's assessment of a
// collective of the grass-roots forces (rules.CheckCollectiveAssessment).
// Like a recognition it is decided, not approved: one that carries a
// decision changes only by a new decision naming the one it replaces
// (rules.CheckDecisionChange). Sending the recorded assessment again
// changes nothing.
func (db *DB) PutCollectiveAssessment(ctx context.Context, planID, code string, in antq.CollectiveAssessment) (*antq.CollectiveAssessment, error) {
	return writeFact(db.withFactAudited, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.CollectiveAssessment, error) {
		if err := t.rules.CheckCollectiveAssessment(&in); err != nil {
			return nil, err
		}
		return putDecidedFact(ctx, db, tx, t, decidedWrite[antq.CollectiveAssessment]{
			kind: antq.FactCollectiveAssessment, table: "collective_assessments", load: db.collectiveAssessment,
			decisionOf: func(a *antq.CollectiveAssessment) *antq.DocumentRef { return a.Decision },
			decision:   in.Decision, replaces: in.Replaces,
			same: func(old *antq.CollectiveAssessment) bool {
				return old.Level == in.Level && old.AssessedOn == in.AssessedOn && old.AssessedBy == in.AssessedBy && old.Basis == in.Basis
			},
			cols: []string{"level", "assessed_on", "assessed_by", "basis"},
			vals: []any{string(in.Level), in.AssessedOn, in.AssessedBy, in.Basis},
			record: func(replaced *antq.DocumentRef) *antq.CollectiveAssessment {
				return &antq.CollectiveAssessment{Level: in.Level, AssessedOn: in.AssessedOn, AssessedBy: in.AssessedBy, Basis: in.Basis,
					Decision: in.Decision, ReplacedDecision: replaced, Stamp: stamp(ctx, tx)}
			},
		})
	})
}

// DeleteCollectiveAssessment removes a wrongly entered assessment; one that
// carries a decision is never deleted (rules.CheckDecidedDelete).
func (db *DB) DeleteCollectiveAssessment(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactCollectiveAssessment, "collective_assessments", asAny(db.collectiveAssessment))
}

func (db *DB) collectiveAssessment(ctx context.Context, q querier, t *factTarget) (*antq.CollectiveAssessment, error) {
	var a antq.CollectiveAssessment
	var level string
	var replaced docScan
	doc, found, err := loadSingleFact(ctx, q, t, "collective_assessments",
		"level, assessed_on, assessed_by, basis, replaced_number, replaced_date, replaced_issuer, replaced_title",
		&a.Stamp, append([]any{&level, &a.AssessedOn, &a.AssessedBy, &a.Basis}, replaced.dest()...)...)
	if !found {
		return nil, err
	}
	a.Level, a.Decision, a.ReplacedDecision = antq.CollectiveLevel(level), doc, replaced.ref()
	return &a, nil
}
