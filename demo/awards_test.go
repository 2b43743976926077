package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// The demo's 2023 year-end commendation: one decided award, one waiting
// for the decision, drafts (one drafted from the figures); a second load
// writes nothing.
func TestDemoAwards(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadYearEnd(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadExemplars(ctx, db); err != nil {
			t.Fatal(err)
		}
		res, loaded, err := demo.LoadAwards(ctx, db)
		if err != nil || !loaded || res.Decided != 1 || res.Submitted != 1 || res.Drafts != 2 {
			t.Fatalf("load: %+v %v %v", res, loaded, err)
		}
		decided, err := db.Nominations(ctx, store.NominationFilter{PlanID: demo.PlanID, State: antq.NominationDecided})
		if err != nil || len(decided) != 1 || decided[0].PersonName != "Nguyễn Văn Hùng" || decided[0].DecisionNumber == "" {
			t.Fatalf("decided: %v %+v", err, decided)
		}
		if docs, err := db.NominationDocuments(ctx, decided[0].ID); err != nil || len(docs) != 2 {
			t.Fatalf("the decided dossier's files: %v %d", err, len(docs))
		}
		if _, loaded, err := demo.LoadAwards(ctx, db); err != nil || loaded {
			t.Fatalf("second load: %v %v", loaded, err)
		}
	})
}
