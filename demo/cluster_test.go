package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// The demo's clusters: the 11 districts split between the two cụm, Khối
// thi đua số 6 with the nine members the domain reference names, scoring
// under way (self-scores, some reviewed, nothing closed); loading twice
// changes nothing; the maintained figures equal the rebuilt ones with the
// college added.
func TestLoadClusters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		if loaded, err := demo.LoadClusters(ctx, db); err != nil || !loaded {
			t.Fatalf("load: %v, %v", loaded, err)
		}
		if _, err := db.Rebuild(ctx, demo.PlanID); err != nil {
			t.Fatal(err)
		}
		list, err := db.Clusters(ctx, 2023)
		if err != nil || len(list) != 3 {
			t.Fatalf("%d clusters, %v", len(list), err)
		}
		districts := map[string]bool{}
		for _, c := range list {
			r, err := db.ClusterRanking(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Closed != nil || len(r.Rows) != len(c.Members) || c.Pact == nil || c.Head == nil {
				t.Errorf("%s: closed %v, %d rows for %d members, pact %v, head %v", c.Code, c.Closed, len(r.Rows), len(c.Members), c.Pact, c.Head)
			}
			reviewed, self := 0, 0
			for _, byCrit := range r.Scores {
				for _, s := range byCrit {
					if s.Reviewed != nil {
						reviewed++
					} else if s.Self != nil {
						self++
					}
				}
			}
			if reviewed == 0 || self == 0 {
				t.Errorf("%s: %d reviewed, %d self-scored only: want scoring under way", c.Code, reviewed, self)
			}
			switch c.Code {
			case "khoi-6":
				if len(c.Members) != 9 {
					t.Errorf("Khối số 6 has %d members, want 9", len(c.Members))
				}
				found := false
				for _, m := range c.Members {
					found = found || m.Unit.Code == demo.CollegeCode
				}
				if !found {
					t.Error("Trường Cao đẳng Bình Phước is not a member of Khối số 6")
				}
			default:
				for _, m := range c.Members {
					if districts[m.Unit.Code] {
						t.Errorf("district %s in two cụm", m.Unit.Code)
					}
					districts[m.Unit.Code] = true
				}
			}
		}
		if len(districts) != 11 {
			t.Errorf("%d districts in the cụm, want 11", len(districts))
		}
		if loaded, err := demo.LoadClusters(ctx, db); err != nil || loaded {
			t.Fatalf("second load: %v, %v", loaded, err)
		}
	})
}
