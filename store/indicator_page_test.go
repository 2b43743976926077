package store_test

import (
	"reflect"
	"testing"

	"antq"
	"antq/demo"
	"antq/indicator"
	"antq/rules"
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

// The summed read (the dashboard's and the map's) lists the same
// non-organisation children as the whole read with their official figures,
// and its organisations' official figures are the sum of the organisations
// the whole read lists one by one; the unit-only read gives the same own
// figures.
func TestIndicatorsSummedEqualsWhole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadDemo(t, db, true)
		summedSome := 0
		for _, code := range []string{"", "70", "689", "25195"} {
			whole, err := db.Indicators(ctx, demo.PlanID, code)
			if err != nil {
				t.Fatal(err)
			}
			// The oracle: every count of the organisations' figures, added
			// up from the whole read's figures of each.
			var others, orgList []store.UnitFigures
			type sum struct {
				num, den int64
				byKind   map[antq.UnitKind]indicator.Fraction
				prov     indicator.Standing // none: official figures only
				pending  int64
			}
			sums := map[rules.Indicator]*sum{}
			n := 0
			for _, ch := range whole.Children {
				official := store.UnitFigures{Unit: ch.Unit}
				for _, f := range ch.Figures {
					f.Provisional, f.Pending = indicator.Standing{}, 0
					official.Figures = append(official.Figures, f)
				}
				if !ch.Unit.Kind.Organisation() {
					others = append(others, official)
					continue
				}
				orgList = append(orgList, official)
				n++
				for _, f := range ch.Figures {
					s := sums[f.ID]
					if s == nil {
						s = &sum{byKind: map[antq.UnitKind]indicator.Fraction{}}
						sums[f.ID] = s
					}
					s.num, s.den = s.num+f.Num, s.den+f.Den
					for kind, fr := range f.ByKind {
						k := s.byKind[kind]
						s.byKind[kind] = indicator.Fraction{Num: k.Num + fr.Num, Den: k.Den + fr.Den}
					}
				}
			}
			got, err := db.IndicatorsSummed(ctx, demo.PlanID, code, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got.ListedCount != len(others) {
				t.Errorf("%q: %d children to list, want %d", code, got.ListedCount, len(others))
			}
			// Pages of two: the same children, the same sums.
			for off := 0; off < len(others)+2; off += 2 {
				p, err := db.IndicatorsSummed(ctx, demo.PlanID, code, off, 2)
				if err != nil {
					t.Fatal(err)
				}
				want := others[min(off, len(others)):min(off+2, len(others))]
				if len(p.Children) != len(want) || (len(want) > 0 && !reflect.DeepEqual(p.Children, want)) ||
					p.ListedCount != got.ListedCount || p.OrganisationCount != got.OrganisationCount || !reflect.DeepEqual(p.Organisations, got.Organisations) {
					t.Errorf("%q: the page at %d differs from the whole summed read", code, off)
				}
			}
			// The organisations listed, whole and by pages of two.
			listed, err := db.OrganisationIndicators(ctx, demo.PlanID, code, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(listed.Children) != len(orgList) || (n > 0 && !reflect.DeepEqual(listed.Children, orgList)) || listed.ListedCount != n {
				t.Errorf("%q: %d organisations listed (of %d), want %d", code, len(listed.Children), listed.ListedCount, n)
			}
			for off := 0; off < n; off += 2 {
				p, err := db.OrganisationIndicators(ctx, demo.PlanID, code, off, 2)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(p.Children, orgList[off:min(off+2, n)]) || p.ListedCount != n {
					t.Errorf("%q: the organisations' page at %d differs", code, off)
				}
			}
			if !reflect.DeepEqual(got.Unit, whole.Unit) {
				t.Errorf("%q: own figures differ", code)
			}
			if !reflect.DeepEqual(got.Children, others) {
				t.Errorf("%q: %d children listed, want the %d that are not organisations", code, len(got.Children), len(others))
			}
			if got.OrganisationCount != n || got.ChildCount != whole.ChildCount {
				t.Errorf("%q: %d organisations of %d children, want %d of %d", code, got.OrganisationCount, got.ChildCount, n, whole.ChildCount)
			}
			if n > 0 {
				summedSome++
				if len(got.Organisations) != len(sums) {
					t.Errorf("%q: %d figures summed, want %d", code, len(got.Organisations), len(sums))
				}
				for _, f := range got.Organisations {
					s := sums[f.ID]
					if s == nil {
						t.Errorf("%q: figure %s summed, not in the children's", code, f.ID)
						continue
					}
					byKind := map[antq.UnitKind]indicator.Fraction{}
					for kind, fr := range f.ByKind {
						byKind[kind] = indicator.Fraction{Num: fr.Num, Den: fr.Den}
					}
					if got := (sum{f.Num, f.Den, byKind, f.Provisional, f.Pending}); !reflect.DeepEqual(got, *s) {
						t.Errorf("%q %s: organisations summed %+v, want %+v", code, f.ID, got, *s)
					}
				}
			} else if got.Organisations != nil {
				t.Errorf("%q: organisations' figures without organisations", code)
			}
			// The subtree's units by kind: the registry's units under the
			// unit on the plan's last day, and the unit itself.
			at := whole.Unit.Unit.Code
			sub, err := db.SubtreeCounts(ctx, at, whole.Plan.Window.To)
			if err != nil {
				t.Fatal(err)
			}
			units := map[antq.UnitKind]int64{whole.Unit.Unit.Kind: 1}
			for _, k := range sub {
				units[k.Kind] += int64(k.Count)
			}
			if !reflect.DeepEqual(got.Units, units) || !reflect.DeepEqual(whole.Units, units) {
				t.Errorf("%q: units %v (whole read %v), want %v", code, got.Units, whole.Units, units)
			}
			own, err := db.UnitIndicators(ctx, demo.PlanID, code)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(own.Unit, whole.Unit) || len(own.Children) != 0 {
				t.Errorf("%q: the unit-only read differs (%d children)", code, len(own.Children))
			}
		}
		if summedSome < 2 {
			t.Fatalf("only %d of the units read have organisations: the test proves nothing", summedSome)
		}
	})
}

// A read prepared once answers as the first time after the data changed:
// the read pool's prepared statements (SQLite) are run again, not their
// first answers kept.
func TestReadPoolPreparedAfterWrites(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		before, err := db.IndicatorsPage(ctx, planID, "70", 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		after, err := db.IndicatorsPage(ctx, planID, "70", 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(before.Unit.Figures, after.Unit.Figures) {
			t.Fatal("the province's figures did not change with a registration under it")
		}
		whole, err := db.Indicators(ctx, planID, "70")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(after.Unit.Figures, whole.Unit.Figures) || !reflect.DeepEqual(after.Children, whole.Children[:2]) {
			t.Fatal("the page read again differs from the whole read")
		}
	})
}
