package store_test

import (
	"reflect"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// A page of a unit's children carries the same figures as the whole list
// (children with children of their own included) and the whole count.
func TestIndicatorsPageEqualsWhole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		whole, err := db.Indicators(ctx, planID, "70")
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Children) < 3 || whole.ChildCount != len(whole.Children) {
			t.Fatalf("70 has %d children, count %d", len(whole.Children), whole.ChildCount)
		}
		for off := range whole.Children {
			p, err := db.IndicatorsPage(ctx, planID, "70", off, 1)
			if err != nil {
				t.Fatal(err)
			}
			if p.ChildCount != whole.ChildCount || len(p.Children) != 1 {
				t.Fatalf("page at %d: %d children, count %d", off, len(p.Children), p.ChildCount)
			}
			if !reflect.DeepEqual(p.Children[0], whole.Children[off]) {
				t.Errorf("child %d paged %+v, whole %+v", off, p.Children[0], whole.Children[off])
			}
			if !reflect.DeepEqual(p.Unit.Figures, whole.Unit.Figures) {
				t.Errorf("the unit's own figures differ on page %d", off)
			}
		}
		if p, err := db.IndicatorsPage(ctx, planID, "70", len(whole.Children), 5); err != nil || len(p.Children) != 0 || p.ChildCount != whole.ChildCount {
			t.Fatalf("past the end: %+v, %v", p, err)
		}
	})
}
