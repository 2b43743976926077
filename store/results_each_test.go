package store_test

import (
	stdcmp "cmp"
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// TestEachResultEqualsResults: the streamed results (the workbook's read)
// are the listed ones, grouped by kind in the order of antq.UnitKinds,
// each kind in the list's order, after one start; an error of the caller's
// stops the read and comes back.
func TestEachResultEqualsResults(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		authorities := 0
		for _, code := range []string{"", "689", "25195"} {
			want, err := db.Results(ctx, demo.PlanID, code)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("%q: no results to compare", code)
			}
			slices.SortStableFunc(want, func(a, b yearend.ResultRow) int {
				return stdcmp.Compare(slices.Index(antq.UnitKinds, a.Unit.Kind), slices.Index(antq.UnitKinds, b.Unit.Kind))
			})
			wantCounts, counts := map[antq.UnitKind]int{}, map[antq.UnitKind]int{}
			for _, r := range want {
				wantCounts[r.Unit.Kind]++
				if r.Authority != "" {
					authorities++
				}
			}
			var got []yearend.ResultRow
			started := 0
			err = db.EachResult(ctx, demo.PlanID, code, func() error {
				if got != nil {
					t.Error("start called after a row")
				}
				started++
				return nil
			}, func(r *yearend.ResultRow) error {
				got = append(got, *r)
				counts[r.Unit.Kind]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if started != 1 {
				t.Errorf("%q: start called %d times, want once", code, started)
			}
			if !reflect.DeepEqual(counts, wantCounts) {
				t.Errorf("%q: rows by kind = %v, want %v", code, counts, wantCounts)
			}
			if len(got) != len(want) {
				t.Fatalf("%q: %d rows streamed, %d listed", code, len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%q: row %d = %+v (unit %+v), want %+v (unit %+v)", code, i, got[i], *got[i].Unit, want[i], *want[i].Unit)
				}
			}
		}
		if authorities == 0 {
			t.Error("no result names its authority: the comparison would not see one lost")
		}
		stop := errors.New("stop")
		n := 0
		err := db.EachResult(ctx, demo.PlanID, "", func() error { return nil }, func(*yearend.ResultRow) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("a row's error: err = %v after %d rows, want stop after 1", err, n)
		}
		err = db.EachResult(ctx, demo.PlanID, "no-such-unit", func() error {
			t.Error("started on an unknown unit")
			return nil
		}, func(*yearend.ResultRow) error { return nil })
		if antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("unknown unit: err = %v, want not found", err)
		}
	})
}
