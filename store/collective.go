package store

import (
	"context"
	"reflect"

	"antq"
	"antq/rules"
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
		old, err := db.collectiveAssessment(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if old != nil && old.Level == in.Level && old.AssessedOn == in.AssessedOn && old.AssessedBy == in.AssessedBy &&
			old.Basis == in.Basis && reflect.DeepEqual(old.Decision, in.Decision) {
			return old, nil // the same assessment again
		}
		var oldDecision *antq.DocumentRef
		if old != nil {
			oldDecision = old.Decision
		}
		replaced, err := rules.CheckDecisionChange(oldDecision, in.Decision, in.Replaces)
		if err != nil {
			return nil, refuse(err, t, string(antq.FactCollectiveAssessment), map[string]any{"action": "put"})
		}
		out := &antq.CollectiveAssessment{Level: in.Level, AssessedOn: in.AssessedOn, AssessedBy: in.AssessedBy, Basis: in.Basis,
			Decision: in.Decision, ReplacedDecision: replaced, Stamp: stamp(ctx, tx)}
		return out, putSingleFact(ctx, db, tx, t, antq.FactCollectiveAssessment, "collective_assessments", db.collectiveAssessment,
			append([]string{"level", "assessed_on", "assessed_by", "basis"}, replacedCols...),
			append([]any{string(in.Level), in.AssessedOn, in.AssessedBy, in.Basis}, docArgs(replaced)...), in.Decision, out)
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
