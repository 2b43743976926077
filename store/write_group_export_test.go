package store

import (
	"context"
	"errors"

	"antq"
)

// RegistrationsInOneGroupForTest writes the registration of each unit of
// codes in one group (in order, one transaction), as PutRegistration does;
// the writes whose index fail names return an error after they have
// written their fact, audit record and status (their count changes noted),
// so that their savepoint is rolled back. It returns each write's error.
func (db *DB) RegistrationsInOneGroupForTest(ctx context.Context, planID string, codes []string, on antq.Date, fail map[int]bool) []error {
	batch := make([]*groupWrite, len(codes))
	for i, code := range codes {
		batch[i] = &groupWrite{ctx: ctx, wake: make(chan struct{}), fn: func(tx *Tx) error {
			t, err := db.resolve(ctx, tx, planID, code)
			if err != nil {
				return err
			}
			out := &antq.Registration{RegisteredOn: on, Stamp: stamp(ctx, tx)}
			if err := putSingleFact(ctx, db, tx, t, antq.FactRegistration, "registrations", db.registration,
				[]string{"registered_on"}, []any{on}, nil, out); err != nil {
				return err
			}
			if fail[i] {
				return errors.New("injected failure after the write")
			}
			return nil
		}}
	}
	db.commitGroup(batch)
	errs := make([]error, len(batch))
	for i, w := range batch {
		errs[i] = w.err
	}
	return errs
}
