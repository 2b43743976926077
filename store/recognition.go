package store

import (
	"context"

	"antq"
	"antq/yearend"
)

// PutRecognition records the decided result of the "An toàn về ANTT" review
// for a registered, eligible unit, unless a dossier governs it or the caller
// may not decide it (mayEnterDecision). A result that carries a decision is
// locked: it changes only by a new decision that names the one it replaces
// (rules.CheckDecisionChange), which is kept as ReplacedDecision.
// Sending the recorded result again changes nothing.
func (db *DB) PutRecognition(ctx context.Context, planID, code string, in antq.Recognition) (*antq.Recognition, error) {
	return writeFact(db.withFactAudited, ctx, planID, code, func(tx *Tx, t *factTarget) (*antq.Recognition, error) {
		if err := db.mayEnterDecision(ctx, tx, t, yearend.DossierRecognition, antq.FactRecognition, "put"); err != nil {
			return nil, err
		}
		reg, err := db.registration(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if err := t.rules.CheckRecognition(&in, reg != nil); err != nil {
			return nil, err
		}
		return putDecidedFact(ctx, db, tx, t, decidedWrite[antq.Recognition]{
			kind: antq.FactRecognition, table: "recognitions", load: db.recognition,
			decisionOf: func(r *antq.Recognition) *antq.DocumentRef { return r.Decision },
			decision:   in.Decision, replaces: in.Replaces,
			same: func(old *antq.Recognition) bool { return old.Result == in.Result && old.DecidedOn == in.DecidedOn },
			cols: []string{"result", "decided_on"}, vals: []any{string(in.Result), in.DecidedOn},
			record: func(replaced *antq.DocumentRef) *antq.Recognition {
				return &antq.Recognition{Result: in.Result, DecidedOn: in.DecidedOn, Decision: in.Decision, ReplacedDecision: replaced, Stamp: stamp(ctx, tx)}
			},
		})
	})
}

// DeleteRecognition removes a wrongly entered recognition result; one that
// carries a decision is never deleted (rules.CheckDecidedDelete).
func (db *DB) DeleteRecognition(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactRecognition, "recognitions", asAny(db.recognition))
}

func (db *DB) recognition(ctx context.Context, q querier, t *factTarget) (*antq.Recognition, error) {
	var r antq.Recognition
	var result string
	var replaced docScan
	doc, found, err := loadSingleFact(ctx, q, t, "recognitions", "result, decided_on, replaced_number, replaced_date, replaced_issuer, replaced_title",
		&r.Stamp, append([]any{&result, &r.DecidedOn}, replaced.dest()...)...)
	if !found {
		return nil, err
	}
	r.Result, r.Decision, r.ReplacedDecision = antq.RecognitionResult(result), doc, replaced.ref()
	return &r, nil
}
