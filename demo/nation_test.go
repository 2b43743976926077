package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"antq"
	"antq/demo"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// smallNation is two provinces with four communes each: about 1,500 units.
var smallNation = demo.NationOptions{Provinces: []string{"01", "75"}, MaxCommunes: 4, ImportChunk: 500}

func nationUnits(t *testing.T, o demo.NationOptions) []antq.UnitRecord {
	t.Helper()
	recs, err := o.Roots()
	if err != nil {
		t.Fatal(err)
	}
	err = o.EachProvince(func(p *demo.NationProvince) error {
		recs = append(recs, p.Units...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestNationUnitsDeterministicAndPlausible(t *testing.T) {
	recs := nationUnits(t, smallNation)
	if again := nationUnits(t, smallNation); !reflect.DeepEqual(recs, again) {
		t.Fatal("two runs gave different units")
	}
	// A province's units do not depend on which other provinces are asked for.
	of75 := func(o demo.NationOptions) []antq.UnitRecord {
		var out []antq.UnitRecord
		o.EachProvince(func(p *demo.NationProvince) error {
			if p.Code == "75" {
				out = p.Units
			}
			return nil
		})
		return out
	}
	if a, b := of75(smallNation), of75(demo.NationOptions{Provinces: []string{"75"}, MaxCommunes: 4}); len(a) < 4*150 || !reflect.DeepEqual(a, b) {
		t.Fatalf("province 75: %d units with another province, %d alone", len(a), len(b))
	}

	byKind := map[antq.UnitKind]int{}
	codes := map[string]bool{}
	kinds := map[string]antq.UnitKind{}
	areaHH := map[string]int64{}
	communeHH := map[string]int64{}
	eligible, ineligible := 0, 0
	for _, r := range recs {
		u := r.Unit
		byKind[u.Kind]++
		if codes[u.Code] {
			t.Errorf("duplicate code %s", u.Code)
		}
		codes[u.Code] = true
		kinds[u.Code] = u.Kind
		if err := u.Validate(); err != nil {
			t.Errorf("%s invalid: %v", u.Code, antq.ErrorFields(err))
		}
		if !u.ValidFrom.Equal(demo.ReformDate) || !u.ValidTo.IsZero() {
			t.Errorf("%s valid %s..%s", u.Code, u.ValidFrom, u.ValidTo)
		}
		if u.Code != demo.NationCode && !antq.AllowedParent(u.Kind, kinds[u.ParentCode]) {
			t.Errorf("%s (%s) under %s (%s)", u.Code, u.Kind, u.ParentCode, kinds[u.ParentCode])
		}
		switch u.Kind {
		case antq.KindResidentialArea:
			if hh := *u.Size.Households; hh < 100 || hh > 1500 {
				t.Errorf("%s has %d households", u.Code, hh)
			}
			areaHH[u.ParentCode] += *u.Size.Households
		case antq.KindCommune:
			communeHH[u.Code] = *u.Size.Households
		case antq.KindAgency, antq.KindEnterprise, antq.KindSchool:
			if u.Size.Persons() == nil || *u.Size.Persons() <= 0 {
				t.Errorf("%s has no staff", u.Code)
			}
			if u.Flags.ArmedForces || u.Flags.SmallEnterprise || u.Flags.PrimarySchool {
				ineligible++
			} else {
				eligible++
			}
		}
	}
	if byKind[antq.KindNation] != 1 || byKind[antq.KindProvince] != 2 || byKind[antq.KindCommune] != 8 {
		t.Fatalf("by kind %v", byKind)
	}
	if n := byKind[antq.KindResidentialArea]; n < 8*22 || n > 8*38 {
		t.Errorf("%d residential areas for 8 communes", n)
	}
	for c, hh := range communeHH {
		if areaHH[c] != hh {
			t.Errorf("commune %s has %d households, its areas %d", c, hh, areaHH[c])
		}
	}
	if eligible == 0 || ineligible == 0 || byKind[antq.KindReligiousOrg] == 0 || byKind[antq.KindSocioPoliticalOrg] == 0 {
		t.Errorf("eligible %d, ineligible %d organisations; by kind %v", eligible, ineligible, byKind)
	}
}

func TestNationPlanIsMarkedAsDemo(t *testing.T) {
	p, err := rules.LoadPlan("vn-2025.json", demo.NationPlan())
	if err != nil {
		t.Fatal(err)
	}
	bp, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := bp.Plan(demo.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != demo.NationPlanID || p.RootUnit != demo.NationCode || p.Year != 2025 || p.Window.From.String() != "2025-07-01" ||
		!strings.Contains(p.Title, "MẪU") || p.Document.Verified {
		t.Fatalf("plan %s %q root %s %d %v", p.ID, p.Title, p.RootUnit, p.Year, p.Window)
	}
	if !reflect.DeepEqual(p.Targets, ref.Targets) {
		t.Error("the nation demo plan's targets differ from Bình Phước's")
	}
}

func TestLoadNationSmall(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		res, err := demo.LoadNation(ctx, db, smallNation)
		if err != nil {
			t.Fatal(err)
		}
		want := len(nationUnits(t, smallNation))
		if res.History == 0 || res.Reform == nil || !res.PlanLoaded || res.Facts == nil || res.Rebuild == nil || res.Rebuild.Units != want {
			t.Fatalf("first load: %+v (want %d units)", res, want)
		}
		// The 2025 tree is the nation root (from 2024), what the reform
		// made and what was imported after it; every commune the reform
		// made has its households.
		if made := res.Reform.Created; 1+made+res.Units != want || res.Sized == 0 || res.Sized > made {
			t.Fatalf("2025 tree: 1 + %d made by the reform + %d imported, %d sized; want %d units", made, res.Units, res.Sized, want)
		}
		// History survives: Bình Phước (70) is there as it was, ended
		// 30/06/2025, with Đồng Nai (75) its successor; every kept commune
		// of 75 the reform made has its predecessors.
		bp, err := db.FindUnitByCode(ctx, "70", demo.NationFrom)
		if err != nil {
			t.Fatal(err)
		}
		if bp.Name != "Tỉnh Bình Phước" || !bp.ValidTo.Equal(antq.NewDate(2025, 6, 30)) {
			t.Fatalf("Bình Phước in 2024: %s until %s", bp.Name, bp.ValidTo)
		}
		if _, succ, err := db.Lineage(ctx, bp.ID); err != nil || len(succ) != 1 || succ[0].Code != "75" {
			t.Fatalf("Bình Phước's successors %+v (%v)", succ, err)
		}
		// Today 75 is Thành phố Đồng Nai (30/04/2026); in the plan's year
		// it was Tỉnh Đồng Nai.
		if res.Changes2026 == nil || res.Changes2026.Rows == 0 {
			t.Fatalf("the changes of 30/04/2026 were not applied: %+v", res.Changes2026)
		}
		for day, want := range map[antq.Date]string{antq.NewDate(2025, 12, 31): "Tỉnh Đồng Nai", antq.NewDate(2026, 12, 1): "Thành phố Đồng Nai"} {
			if u, err := db.FindUnitByCode(ctx, "75", day); err != nil || u.Name != want || u.ParentCode != demo.NationCode {
				t.Fatalf("75 on %s: %+v (%v), want %s", day, u, err, want)
			}
		}
		for _, c := range nationUnits(t, smallNation) {
			if c.Unit.Kind != antq.KindCommune {
				continue
			}
			u, err := db.FindUnitByCode(ctx, c.Unit.Code, demo.ReformDate)
			if err != nil {
				t.Fatal(err)
			}
			if u.Size.Households == nil || *u.Size.Households != *c.Unit.Size.Households {
				t.Errorf("%s has households %v, want %d", u.Code, u.Size.Households, *c.Unit.Size.Households)
			}
		}
		if res.Facts.Registrations == 0 || res.Facts.Propaganda == 0 || res.Facts.Models == 0 || res.Facts.Recognitions == 0 || res.Facts.Grades == 0 {
			t.Fatalf("facts %+v", res.Facts)
		}
		rep, err := db.Indicators(ctx, demo.NationPlanID, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unit.Unit.Code != demo.NationCode || len(rep.Children) != 2 {
			t.Fatalf("nation report: %s with %d children", rep.Unit.Unit.Code, len(rep.Children))
		}
		for _, f := range rep.Unit.Figures {
			// Plausible: every figure has units, and is neither 0 % nor 100 %.
			if f.Den == 0 || f.Num == 0 || f.Num == f.Den {
				t.Errorf("%s = %d/%d", f.ID, f.Num, f.Den)
			}
		}
		state, err := db.IndicatorState(ctx, demo.NationPlanID)
		if err != nil {
			t.Fatal(err)
		}
		facts, _ := db.FactCount(ctx, demo.NationPlanID)
		audit, err := db.AuditRecords(ctx, store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}

		// A second run changes nothing.
		res, err = demo.LoadNation(ctx, db, smallNation)
		if err != nil {
			t.Fatal(err)
		}
		if res.History != 0 || res.Reform != nil || res.Units != 0 || res.Sized != 0 || res.Changes2026 != nil || res.PlanLoaded || res.Facts != nil || res.Rebuild != nil {
			t.Fatalf("second load did something: %+v", res)
		}
		if again, _ := db.IndicatorState(ctx, demo.NationPlanID); again != state {
			t.Error("indicators changed on the second run")
		}
		if again, _ := db.FactCount(ctx, demo.NationPlanID); again != facts {
			t.Errorf("facts %d → %d", facts, again)
		}
		if again, _ := db.AuditRecords(ctx, store.AuditFilter{Limit: 1000}); len(again) != len(audit) {
			t.Errorf("audit records %d → %d", len(audit), len(again))
		}
	})
}
