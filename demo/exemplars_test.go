package demo_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// The demo's exemplary cases: three on the public page (one naming its
// person by initials only, as she consented), two waiting for review, and
// a second load writes nothing.
func TestDemoExemplars(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		res, loaded, err := demo.LoadExemplars(ctx, db)
		if err != nil || !loaded || res.People != 6 || res.Published != 3 || res.InReview != 2 {
			t.Fatalf("load: %+v %v %v", res, loaded, err)
		}
		pub, err := db.PublicCases(context.Background(), demo.RootCode)
		if err != nil || len(pub) != 3 {
			t.Fatalf("public cases: %d %v", len(pub), err)
		}
		shown := map[string]bool{}
		for _, c := range pub {
			shown[c.Shown] = true
			if c.ProvinceName == "" || c.CommuneName == "" {
				t.Errorf("case %q without its province or commune", c.Title)
			}
		}
		if !shown["Nguyễn Văn Hùng"] || !shown["T.T.M."] || !shown["Phạm Minh Tuấn"] {
			t.Errorf("shown: %v", shown)
		}
		if _, loaded, err := demo.LoadExemplars(ctx, db); err != nil || loaded {
			t.Fatalf("second load: %v %v", loaded, err)
		}
	})
}
