package store

import (
	"context"

	"antq"
	"antq/yearend"
)

// PutRecognition records the decided result of the "An toàn về ANTT" review
// for a registered, eligible unit, unless a dossier governs it or the caller
// may not decide it (mayEnterDecision).
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
		out := &antq.Recognition{Result: in.Result, DecidedOn: in.DecidedOn, Decision: in.Decision, Stamp: stamp(ctx, tx)}
		return out, putSingleFact(ctx, db, tx, t, antq.FactRecognition, "recognitions", db.recognition,
			[]string{"result", "decided_on"}, []any{string(in.Result), in.DecidedOn}, in.Decision, out)
	})
}

// DeleteRecognition removes a wrongly entered recognition result.
func (db *DB) DeleteRecognition(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactRecognition, "recognitions", asAny(db.recognition))
}

func (db *DB) recognition(ctx context.Context, q querier, t *factTarget) (*antq.Recognition, error) {
	var r antq.Recognition
	var result string
	doc, found, err := loadSingleFact(ctx, q, t, "recognitions", "result, decided_on", &r.Stamp, &result, &r.DecidedOn)
	if !found {
		return nil, err
	}
	r.Result, r.Decision = antq.RecognitionResult(result), doc
	return &r, nil
}
