package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// Issue 16 item 11: the SQL order key orders numbers inside names by value
// (Khu phố 2 before Khu phố 10) on both engines, and migration 16 re-keys
// the units a database stored before it.
func TestNaturalOrderInSQL(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		want := []string{"Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 9", "Khu phố 10", "Khu phố 11", "Khu phố 20", "Khu phố 100"}
		text := "level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\ncommune,25195,Phường Tân Bình,Phường,70\n"
		for i, n := range []int{7, 0, 4, 2, 6, 1, 5, 3} { // not the expected order
			text += fmt.Sprintf("residential_area,25195-KP%02d,%s,Khu phố,25195\n", i, want[n])
		}
		mustImportText(t, db, text, bpOpts)
		ctx := antq.SystemContext(context.Background())
		children := func() []string {
			t.Helper()
			_, kids, _, err := db.Children(ctx, "25195", antq.Date{}, nil, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			return names(kids)
		}
		if got := children(); !slices.Equal(got, want) {
			t.Fatalf("children = %q, want %q", got, want)
		}
		units, _, err := db.FindUnits(ctx, antq.UnitFilter{Query: "khu pho"})
		if err != nil || !slices.Equal(names(units), want) {
			t.Fatalf("search = %q, %v", names(units), err)
		}

		// A database of before migration 16: keys without numeric order.
		old := collate.New(language.Vietnamese, collate.IgnoreCase)
		var buf collate.Buffer
		for _, n := range want {
			if err := db.ExecForTest(ctx, `UPDATE units SET sort_key = $1 WHERE name = $2`, old.KeyFromString(&buf, n), n); err != nil {
				t.Fatal(err)
			}
			buf.Reset()
		}
		if got := children(); slices.Equal(got, want) {
			t.Fatalf("the old keys already order naturally: %q", got)
		}
		if err := db.ExecForTest(ctx, `DELETE FROM schema_migrations WHERE version = 16`); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := children(); !slices.Equal(got, want) {
			t.Fatalf("after migration 16, children = %q, want %q", got, want)
		}
	})
}
