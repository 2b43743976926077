package demo_test

import (
	"context"
	"encoding/json"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// snapshot is every indicator of every unit of the demo plan, and the
// province's results table, as JSON by unit code.
func snapshot(t *testing.T, ctx context.Context, db *store.DB) map[string]string {
	t.Helper()
	units, err := db.PlanTreeUnits(ctx, demo.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(units)+1)
	for _, u := range units {
		rep, err := db.Indicators(ctx, demo.PlanID, u.Code)
		if err != nil {
			t.Fatalf("%s: %v", u.Code, err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		out[u.Code] = string(b)
	}
	res, err := db.Results(ctx, demo.PlanID, demo.RootCode)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	out["results/70"] = string(b)
	return out
}

// History is never rewritten: the Bình Phước 2023 plan shows exactly the
// figures it showed before the 2025 reform was applied to its units.
func TestReformKeepsBinhPhuoc2023(t *testing.T) {
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
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, ctx, db)
		res, applied, err := demo.LoadReform(ctx, db)
		if err != nil || !applied {
			t.Fatalf("reform: %v %v", applied, err)
		}
		// 1 province + 11 districts + 111 communes; the new province and
		// the 40 communes that took Bình Phước's.
		if res.Rows != 1+11+111 || res.Created != 1+40 {
			t.Errorf("reform %+v", res)
		}
		after := snapshot(t, ctx, db)
		if len(after) != len(before) || len(before) < 2000 {
			t.Fatalf("%d units before, %d after", len(before), len(after))
		}
		changed := 0
		for code, b := range before {
			if after[code] != b {
				if changed++; changed <= 3 {
					t.Errorf("%s changed:\nbefore %s\nafter  %s", code, b, after[code])
				}
			}
		}
		if changed > 0 {
			t.Errorf("%d units show other figures after the reform", changed)
		}
		// Applied twice: refused, nothing changes.
		if _, applied, err := demo.LoadReform(ctx, db); err != nil || applied {
			t.Fatalf("second LoadReform: %v %v", applied, err)
		}
		// The district of Đồng Xoài ended on 30/06/2025 with its lineage.
		d, err := db.FindUnitByCode(ctx, "689", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		_, succ, err := db.Lineage(ctx, d.ID)
		if err != nil || len(succ) != 1 || succ[0].Code != "75" || succ[0].EffectiveOn != demo.ReformDate {
			t.Fatalf("689 successors %+v %v", succ, err)
		}
	})
}
