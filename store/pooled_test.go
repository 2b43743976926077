package store_test

import (
	"context"
	"testing"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// wantPooled asserts the pooled household ratio (households reached ÷
// households over the communes counted) at the unit code, official and
// provisional.
func wantPooled(t *testing.T, db *store.DB, code string, official, provisional [2]int64) indicator.Figure {
	t.Helper()
	rep, err := db.Indicators(antq.SystemContext(context.Background()), planID, code)
	if err != nil {
		t.Fatal(err)
	}
	f := figureOf(t, rep, rules.IndicatorPropagandaHouseholds)
	if f.Pooled == nil || f.Provisional.Pooled == nil {
		t.Fatalf("%s: no pooled ratio in %+v", code, f)
	}
	if got := [2]int64{f.Pooled.Reached, f.Pooled.Households}; got != official {
		t.Fatalf("%s: official pooled %v, want %v", code, got, official)
	}
	if got := [2]int64{f.Provisional.Pooled.Reached, f.Provisional.Pooled.Households}; got != provisional {
		t.Fatalf("%s: provisional pooled %v, want %v", code, got, provisional)
	}
	return f
}

// The pooled household ratio sits beside the share of communes meeting the
// household target, is maintained on write (official and provisional) and
// equals a rebuild.
func TestPooledHouseholds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		// No figure yet: every household of both communes (their areas'
		// 400 + 600 and 800), none reached.
		f := wantPooled(t, db, "", [2]int64{0, 1800}, [2]int64{0, 1800})
		if *f.Pooled.Value != 0 || *f.Pooled.AtThreshold {
			t.Fatalf("pooled = %+v", f.Pooled)
		}
		for code, n := range map[string]int64{"25195-KDC01": 350, "25195-KDC02": 550} {
			if _, err := db.PutPropaganda(sys, planID, code, antq.PropagandaInput{Reached: &n, AsOf: antq.MustDate("2023-10-01")}); err != nil {
				t.Fatal(err)
			}
		}
		// Tân Phú meets 80 % (900/1000), Đoàn Kết does not: one commune of
		// two, while half the households were reached.
		f = wantPooled(t, db, "", [2]int64{900, 1800}, [2]int64{900, 1800})
		if f.Num != 1 || f.Den != 2 || *f.Pooled.Value != 0.5 || *f.Pooled.AtThreshold {
			t.Fatalf("communes %d/%d, pooled %+v", f.Num, f.Den, f.Pooled)
		}
		wantPooled(t, db, "689", [2]int64{900, 1000}, [2]int64{900, 1000})
		wantPooled(t, db, "25195", [2]int64{900, 1000}, [2]int64{900, 1000})

		// An area head's figure, submitted: provisional only.
		head := asUser(t, db, "ap1", antq.RoleDataEntry, "25200-KDC01")
		doc := &antq.DocumentRef{Number: "3/BC-AP1", Date: antq.MustDate("2023-10-02")}
		if _, err := db.PutPropaganda(head, planID, "25200-KDC01", antq.PropagandaInput{Reached: ptr[int64](700), AsOf: antq.MustDate("2023-10-01"), Document: doc}); err != nil {
			t.Fatal(err)
		}
		wantPooled(t, db, "", [2]int64{900, 1800}, [2]int64{900, 1800})
		if _, err := db.StepFact(head, planID, "25200-KDC01", antq.FactPropaganda, 0, antq.ApprovalSubmit, ""); err != nil {
			t.Fatal(err)
		}
		f = wantPooled(t, db, "", [2]int64{900, 1800}, [2]int64{1600, 1800})
		if !*f.Provisional.Pooled.AtThreshold || *f.Pooled.AtThreshold {
			t.Fatalf("1600/1800 reaches 80 %%, 900/1800 does not: %+v %+v", f.Pooled, f.Provisional.Pooled)
		}
		commune := asUser(t, db, "xa2", antq.RoleReviewer, "25200")
		if _, err := db.StepFact(commune, planID, "25200-KDC01", antq.FactPropaganda, 0, antq.ApprovalApprove, ""); err != nil {
			t.Fatal(err)
		}
		wantPooled(t, db, "", [2]int64{1600, 1800}, [2]int64{1600, 1800})

		// The commune's own figure is the one counted (799 of 1000 it
		// reports for itself), in the pooled ratio as in the share.
		if _, err := db.PutPropaganda(sys, planID, "25195", antq.PropagandaInput{Reached: ptr[int64](799), Total: ptr[int64](1000),
			AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		wantPooled(t, db, "", [2]int64{1499, 1800}, [2]int64{1499, 1800})
		assertRebuildEqual(t, db)
		if err := db.DeletePropaganda(sys, planID, "25195"); err != nil {
			t.Fatal(err)
		}
		wantPooled(t, db, "", [2]int64{1600, 1800}, [2]int64{1600, 1800})
		// An area moved to the other commune takes its households along;
		// the province's pool is unchanged.
		if err := db.MoveUnit(sys, "25195-KDC02", "25200", antq.MustDate("2023-06-01"), "kiểm thử"); err != nil {
			t.Fatal(err)
		}
		wantPooled(t, db, "689", [2]int64{350, 400}, [2]int64{350, 400})
		wantPooled(t, db, "", [2]int64{1600, 1800}, [2]int64{1600, 1800})
		assertRebuildEqual(t, db)
	})
}
