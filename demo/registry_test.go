package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// The demo's registry: five commune models of Bình Phước 2023 replicated
// thirteen times across the province; the province's count is the sum of
// its districts'; a second load writes nothing.
func TestDemoRegistry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadApprovals(ctx, db); err != nil {
			t.Fatal(err)
		}
		res, loaded, err := demo.LoadRegistry(ctx, db)
		if err != nil || !loaded || res.Origins != 5 || res.Replications != 13 {
			t.Fatalf("load: %+v %v %v", res, loaded, err)
		}
		v, err := db.ModelRegistryOf(ctx, demo.PlanID, "")
		if err != nil {
			t.Fatal(err)
		}
		replicated, replicating := 0, 0
		for _, e := range v.Entries {
			replicated += len(e.Replications)
			if e.Replicates != nil {
				replicating++
			}
		}
		sum := 0
		for _, c := range v.Counts[1:] {
			sum += c.Replications
		}
		if replicated != 13 || replicating != 13 || v.Counts[0].Replications != 13 || sum != 13 {
			t.Fatalf("replications %d, replicating %d, province %d, districts %d; want 13", replicated, replicating, v.Counts[0].Replications, sum)
		}
		if len(v.Figures) != 1 || v.Figures[0].Existing == 0 {
			t.Fatalf("figures = %+v", v.Figures)
		}
		if _, loaded, err := demo.LoadRegistry(ctx, db); err != nil || loaded {
			t.Fatalf("second load: %v %v", loaded, err)
		}
	})
}
