package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

func TestBinhPhuocUnitsDeterministic(t *testing.T) {
	a, err := demo.BinhPhuocUnits()
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.BinhPhuocUnits()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls gave different records")
	}
}

func TestBinhPhuocUnitsPlausible(t *testing.T) {
	recs, err := demo.BinhPhuocUnits()
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[antq.UnitKind]int{}
	codes := map[string]bool{}
	areasOf := map[string]int64{}   // commune code → households of its areas
	communeHH := map[string]int64{} // commune code → its own figure
	var primary, small, armed int
	for i, r := range recs {
		u := r.Unit
		byKind[u.Kind]++
		if codes[u.Code] {
			t.Errorf("duplicate code %s", u.Code)
		}
		codes[u.Code] = true
		if err := u.Validate(); err != nil {
			t.Errorf("record %d (%s) invalid: %v", i, u.Code, antq.ErrorFields(err))
		}
		if !u.ValidFrom.Equal(demo.BinhPhuocFrom) || !u.ValidTo.Equal(demo.BinhPhuocTo) {
			t.Errorf("%s valid %s..%s", u.Code, u.ValidFrom, u.ValidTo)
		}
		switch u.Kind {
		case antq.KindResidentialArea:
			hh := *u.Size.Households
			if hh < 150 || hh > 900 {
				t.Errorf("%s has %d households", u.Code, hh)
			}
			if !strings.HasPrefix(u.Code, u.ParentCode+"-KDC") || (u.Type != "Ấp" && u.Type != "Khu phố") || !strings.HasPrefix(u.Name, u.Type+" ") {
				t.Errorf("area %s %q (%s) under %s", u.Code, u.Name, u.Type, u.ParentCode)
			}
			areasOf[u.ParentCode] += hh
		case antq.KindCommune:
			communeHH[u.Code] = *u.Size.Households
		}
		if u.Kind.Organisation() {
			if s := u.Size.Staff; s == nil || *s < 10 || *s > 400 {
				t.Errorf("%s staff %v", u.Code, s)
			}
			if u.Kind == antq.KindSchool && u.Size.Pupils == nil {
				t.Errorf("school %s without pupils", u.Code)
			}
		}
		if u.Flags.PrimarySchool {
			primary++
			if u.Kind != antq.KindSchool || !(strings.Contains(u.Name, "Tiểu học") || strings.Contains(u.Name, "Mầm non")) {
				t.Errorf("primary flag on %s %q", u.Kind, u.Name)
			}
		}
		if u.Flags.SmallEnterprise {
			small++
		}
		if u.Flags.ArmedForces {
			armed++
		}
	}
	if byKind[antq.KindProvince] != 1 || byKind[antq.KindDistrict] != 11 || byKind[antq.KindCommune] != 111 {
		t.Errorf("real units: %v", byKind)
	}
	if n := byKind[antq.KindResidentialArea]; n < 888 || n > 1665 {
		t.Errorf("%d residential areas, want 8..15 per commune", n)
	}
	for code, hh := range communeHH {
		if areasOf[code] != hh {
			t.Errorf("commune %s has %d households, its areas %d", code, hh, areasOf[code])
		}
	}
	if byKind[antq.KindAgency] < 100 || byKind[antq.KindEnterprise] < 50 || byKind[antq.KindSchool] < 200 {
		t.Errorf("organisations: %v", byKind)
	}
	if primary < 222 || small == 0 || armed == 0 {
		t.Errorf("not eligible: %d primary schools, %d small enterprises, %d armed-forces units", primary, small, armed)
	}
	for _, code := range []string{"70-CQ001", "689-DN001", "25195-TH01", "25195-KDC01", "689-TR001"} {
		if !codes[code] {
			t.Errorf("no unit %s", code)
		}
	}
}

func TestUnits2025(t *testing.T) {
	recs, err := demo.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[antq.UnitKind]int{}
	for _, r := range recs {
		byKind[r.Unit.Kind]++
	}
	if byKind[antq.KindProvince] != 34 || byKind[antq.KindCommune] != 3321 {
		t.Errorf("2025 units: %v", byKind)
	}
}

func TestLoadUnits(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		loaded, err := demo.LoadUnits(ctx, db)
		if err != nil || !loaded {
			t.Fatalf("first load: %v, %v", loaded, err)
		}
		recs, _ := demo.BinhPhuocUnits()
		_, total, err := db.FindUnits(ctx, antq.UnitFilter{Limit: 1})
		if err != nil || total != len(recs) {
			t.Fatalf("%d units in the database, want %d (%v)", total, len(recs), err)
		}
		counts, err := db.SubtreeCounts(ctx, demo.RootCode, antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[antq.UnitKind]int{}
		for _, c := range counts {
			got[c.Kind] = c.Count
		}
		if got[antq.KindDistrict] != 11 || got[antq.KindCommune] != 111 || got[antq.KindResidentialArea] < 888 {
			t.Errorf("subtree of 70: %v", counts)
		}
		// Idempotent.
		if loaded, err := demo.LoadUnits(ctx, db); err != nil || loaded {
			t.Errorf("second load: %v, %v", loaded, err)
		}
		if _, n, _ := db.FindUnits(ctx, antq.UnitFilter{Limit: 1}); n != total {
			t.Errorf("second load changed the count: %d → %d", total, n)
		}
		// Organisations got their managing level from their parent.
		u, err := db.FindUnitByCode(ctx, "689-CQ001", antq.Date{})
		if err != nil || u.ManagingLevel != antq.ManagedByDistrict || u.Name != "Văn phòng HĐND và UBND thành phố Đồng Xoài" {
			t.Errorf("689-CQ001 = %+v, %v", u, err)
		}
	})
}
