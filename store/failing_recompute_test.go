package store_test

import (
	"context"
	"reflect"
	"testing"

	"antq"
	"antq/demo"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// The failing lists read only what each indicator's classification needs,
// and the plan's root without a walk (issue 18): on the demo they list
// exactly the units, reasons and order of the plain recomputation, for every
// indicator, at the root, a district-level unit and a commune, whole and
// paged, filtered by state and by commune.
func TestFailingListsEqualRecomputed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadDemo(t, db, true)
		plan, _, err := db.Plan(ctx, demo.PlanID)
		if err != nil {
			t.Fatal(err)
		}
		// Two dossiers submitted: their units wait for a decision.
		for _, kind := range []yearend.DossierKind{yearend.DossierRecognition, yearend.DossierGrading} {
			id := rules.IndicatorRecognition
			if kind == yearend.DossierGrading {
				id = rules.IndicatorGradeAverageOrBetter
			}
			list, _, err := db.FailingUnitsFiltered(ctx, demo.PlanID, id, "25195", store.FailingFilter{State: indicator.FailNotSubmitted, Limit: 1})
			if err != nil || len(list) == 0 {
				t.Fatalf("no unsubmitted %s dossier: %v", kind, err)
			}
			code := list[0].Unit.Code
			d, err := db.Dossier(ctx, demo.PlanID, code, kind)
			if err != nil {
				t.Fatal(err)
			}
			in := yearend.DossierInput{Documents: allDocs(d)}
			for _, c := range d.Criteria {
				if c.Suggestion.Verdict == yearend.Unknown {
					in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
				}
			}
			if _, err := db.UpdateDossier(ctx, demo.PlanID, code, kind, in); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Transition(ctx, demo.PlanID, code, kind, yearend.Submit, yearend.TransitionInput{}); err != nil {
				t.Fatalf("submit %s of %s: %v", kind, code, err)
			}
		}
		states := map[indicator.FailState]int{}
		for _, target := range plan.Targets {
			id := target.Indicator
			for _, code := range []string{"", "689", "25195"} {
				// The plain list, whole; each filter and page is a slice of it.
				whole, _, err := db.FailingUnitsRecomputedForTest(ctx, demo.PlanID, id, code, store.FailingFilter{})
				if err != nil {
					t.Fatal(err)
				}
				filters := []store.FailingFilter{{}, {Offset: 3, Limit: 5}, {Offset: 1 << 20, Limit: 5}, {Offset: 2}, {Commune: "25195"}}
				for _, s := range indicator.FailStates {
					filters = append(filters, store.FailingFilter{State: s, Limit: 4}, store.FailingFilter{State: s, Offset: 1, Limit: 2})
				}
				for _, ff := range filters {
					got, gotTotal, err := db.FailingUnitsFiltered(ctx, demo.PlanID, id, code, ff)
					if err != nil {
						t.Fatalf("%s %q %+v: %v", id, code, ff, err)
					}
					var want []store.FailingUnit
					for _, u := range whole {
						if (ff.State == "" || u.Shortfall.State == ff.State) && (ff.Commune == "" || u.Unit.Code == ff.Commune || u.ParentCode == ff.Commune) {
							want = append(want, u)
						}
					}
					wantTotal := len(want)
					want = want[min(ff.Offset, len(want)):]
					if ff.Limit > 0 && len(want) > ff.Limit {
						want = want[:ff.Limit]
					}
					if len(got) == 0 && len(want) == 0 {
						got, want = nil, nil
					}
					if gotTotal != wantTotal || !reflect.DeepEqual(got, want) {
						t.Fatalf("%s under %q %+v: %d units %+v, want %d %+v", id, code, ff, gotTotal, got, wantTotal, want)
					}
				}
				if code == "" {
					for _, u := range whole {
						states[u.Shortfall.State]++
					}
				}
			}
		}
		t.Logf("failing units at the root by state: %v", states)
		if len(states) < 5 {
			t.Fatalf("the demo exercises only the states %v", states)
		}
	})
}

// loadDemo loads the Bình Phước demo's units and facts, and its approvals
// when asked, as the system.
func loadDemo(t *testing.T, db *store.DB, approvals bool) context.Context {
	t.Helper()
	ctx := antq.SystemContext(context.Background())
	if _, err := demo.LoadUnits(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, _, err := demo.LoadFacts(ctx, db); err != nil {
		t.Fatal(err)
	}
	if approvals {
		if _, err := demo.LoadApprovals(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}
