package store_test

import (
	"reflect"
	"testing"

	"antq"
	"antq/demo"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// The pre-order numbering of a plan's tree (issue 18) is the walk's
// subtree for every unit after the build; a move makes it stale (the
// failing lists walk, and still equal the recomputation); the rebuild
// numbers the moved tree again, equal to the walk.
func TestTreeOrderEqualsWalk(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadDemo(t, db, false)
		check := func(stage string, want bool) {
			t.Helper()
			numbered, err := db.TreeOrderCheckForTest(ctx, demo.PlanID)
			if err != nil {
				t.Fatalf("%s: %v", stage, err)
			}
			if numbered != want {
				t.Fatalf("%s: numbered %v, want %v", stage, numbered, want)
			}
			for _, code := range []string{"689", "693", "25195"} {
				for _, id := range []rules.Indicator{rules.IndicatorRegistration, rules.IndicatorRecognition} {
					ff := store.FailingFilter{Limit: 50}
					got, gotTotal, err := db.FailingUnitsFiltered(ctx, demo.PlanID, id, code, ff)
					if err != nil {
						t.Fatal(err)
					}
					want, wantTotal, err := db.FailingUnitsRecomputedForTest(ctx, demo.PlanID, id, code, ff)
					if err != nil {
						t.Fatal(err)
					}
					if gotTotal != wantTotal || !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: %s at %s: %d units (total %d), recomputed %d (total %d)", stage, id, code, len(got), gotTotal, len(want), wantTotal)
					}
				}
			}
		}
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		check("built", true)
		if err := db.MoveUnit(ctx, "25195", "693", antq.MustDate("2023-06-01"), "kiểm thử"); err != nil {
			t.Fatal(err)
		}
		check("moved", false)
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		check("rebuilt", true)
		// A rebuild of the same tree keeps the numbering.
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		check("rebuilt again", true)
	})
}
