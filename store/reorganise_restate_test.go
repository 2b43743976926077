package store_test

import (
	"context"
	"testing"

	"antq"
	"antq/demo"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// restateFile reorganises part of the demo's Bình Phước on 01/07/2025: two
// communes merge whole into T1, one splits 40 / 60 % into T2 and T3, one
// splits without shares into T4 (which also takes a whole commune) and T5.
const restateFile = `event,effective_on,from_code,to_code,to_name,to_type,to_level,to_parent_code,share,legal_number,legal_date,legal_issuer
merge,2025-07-01,70,75,Tỉnh Đồng Nai,Tỉnh,province,,,202/2025/QH15,2025-06-12,Quốc hội
merge,2025-07-01,25207,T1,Phường Một,Phường,commune,75,,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
merge,2025-07-01,25210,T1,Phường Một,Phường,commune,75,,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
split,2025-07-01,25195,T2,Phường Hai,Phường,commune,75,40%,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
split,2025-07-01,25195,T3,Phường Ba,Phường,commune,75,60%,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
split,2025-07-01,25198,T4,Phường Bốn,Phường,commune,75,không so sánh được,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
split,2025-07-01,25198,T5,Phường Năm,Phường,commune,75,không so sánh được,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
merge,2025-07-01,25201,T4,Phường Bốn,Phường,commune,75,,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội
rename,2026-04-30,T1,,Phường Một Mới,Phường,,75,,237/NQ-UBTVQH16,2026-04-30,Ủy ban Thường vụ Quốc hội
`

// Old figures on today's units: a merged unit's restated figures are the
// sums of its predecessors' recorded ones (through a later rename too),
// the two parts of a 40 / 60 split add up to the whole, a part without a
// share makes the figures it counts in not comparable, and a unit of the
// plan's tree is its own record.
func TestRestateOnTodaysUnits(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnits(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.LoadFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		recorded := map[string][]indicator.Figure{}
		for _, code := range []string{"70", "25195", "25198", "25201", "25207", "25210"} {
			rep, err := db.Indicators(ctx, demo.PlanID, code)
			if err != nil {
				t.Fatal(err)
			}
			recorded[code] = rep.Unit.Figures
		}
		if _, err := reorganiseText(ctx, db, "restate.csv", restateFile); err != nil {
			t.Fatal(err)
		}
		restate := func(code string) *store.Restatement {
			t.Helper()
			r, err := db.Restate(ctx, demo.PlanID, code)
			if err != nil {
				t.Fatalf("restate %s: %v", code, err)
			}
			return r
		}
		sum := func(id rules.Indicator, shares map[string]int64) (num, den int64) {
			for code, share := range shares {
				for _, f := range recorded[code] {
					if f.ID == id {
						num += f.Num * share
						den += f.Den * share
					}
				}
			}
			return num, den
		}
		partCodes := func(r *store.Restatement) map[string]bool {
			out := map[string]bool{}
			for _, p := range r.Parts {
				out[p.Unit.Code] = true
			}
			return out
		}

		t1 := restate("T1")
		if t1.Unit.Name != "Phường Một Mới" || t1.Recorded || len(t1.Parts) != 2 || !partCodes(t1)["25207"] || !partCodes(t1)["25210"] {
			t.Fatalf("T1 %+v parts %v", t1.Unit, partCodes(t1))
		}
		nonzero := 0
		for _, f := range t1.Figures {
			num, den := sum(f.ID, map[string]int64{"25207": antq.ShareWhole, "25210": antq.ShareWhole})
			if !f.Comparable || f.NumMillionths != num || f.DenMillionths != den {
				t.Errorf("T1 %s: %+v, want %d/%d", f.ID, f, num, den)
			}
			if den > 0 {
				nonzero++
				if f.Value == nil || f.Met == nil || *f.Value != float64(num)/float64(den) {
					t.Errorf("T1 %s value %v", f.ID, f.Value)
				}
			}
		}
		if nonzero < 5 {
			t.Fatalf("only %d figures of T1 count units", nonzero)
		}

		// The split's parts add up to the whole commune.
		t2, t3 := restate("T2"), restate("T3")
		for i, f := range t2.Figures {
			g := t3.Figures[i]
			num, den := sum(f.ID, map[string]int64{"25195": antq.ShareWhole})
			if f.NumMillionths+g.NumMillionths != num || f.DenMillionths+g.DenMillionths != den {
				t.Errorf("%s: T2 %d/%d + T3 %d/%d, want %d/%d", f.ID, f.NumMillionths, f.DenMillionths, g.NumMillionths, g.DenMillionths, num, den)
			}
			if wn, wd := sum(f.ID, map[string]int64{"25195": 400_000}); f.NumMillionths != wn || f.DenMillionths != wd {
				t.Errorf("T2 %s %d/%d, want 40%% = %d/%d", f.ID, f.NumMillionths, f.DenMillionths, wn, wd)
			}
		}
		if len(t2.Parts) != 1 || t2.Parts[0].Share != 400_000 || t2.Parts[0].ShareLabel() != "40%" {
			t.Errorf("T2 parts %+v", t2.Parts)
		}

		// Not comparable where the unshared part counts.
		t4 := restate("T4")
		if len(t4.Parts) != 2 {
			t.Fatalf("T4 parts %v", partCodes(t4))
		}
		for _, f := range t4.Figures {
			_, den := sum(f.ID, map[string]int64{"25198": 1})
			if den > 0 && (f.Comparable || f.Value != nil || f.Met != nil) {
				t.Errorf("T4 %s should not be comparable: %+v", f.ID, f)
			}
		}

		// The new province takes the old one whole: its figures are Bình
		// Phước's, once (the communes below are not counted again).
		p := restate("75")
		if len(p.Parts) != 1 || p.Parts[0].Unit.Code != "70" {
			t.Fatalf("75 parts %v", partCodes(p))
		}
		for _, f := range p.Figures {
			num, den := sum(f.ID, map[string]int64{"70": antq.ShareWhole})
			if f.NumMillionths != num || f.DenMillionths != den {
				t.Errorf("75 %s %d/%d, want %d/%d", f.ID, f.NumMillionths, f.DenMillionths, num, den)
			}
		}

		// A unit of the 2023 tree is its own record.
		if r := restate("25198"); !r.Recorded || len(r.Parts) != 1 {
			t.Errorf("25198 %+v", r)
		}

		// An account of today's T1, whose scope holds none of the 2023
		// units, reads the same restatement: its predecessors' recorded
		// figures, marked as outside its scope (no link to their pages),
		// while the 2023 units themselves stay out of its reach.
		u, err := db.CreateUser(ctx, store.NewUser{Username: "phuong-mot", Role: antq.RoleReviewer, UnitCode: "T1", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		own := antq.NewContextWithActor(context.Background(), antq.Actor{User: u})
		mine, err := db.Restate(own, demo.PlanID, "T1")
		if err != nil {
			t.Fatalf("restate T1 as its own account: %v", err)
		}
		if len(mine.Parts) != len(t1.Parts) || len(mine.Figures) != len(t1.Figures) {
			t.Fatalf("T1 as its account: %d parts, %d figures; want %d, %d", len(mine.Parts), len(mine.Figures), len(t1.Parts), len(t1.Figures))
		}
		for i, f := range mine.Figures {
			if g := t1.Figures[i]; f.NumMillionths != g.NumMillionths || f.DenMillionths != g.DenMillionths {
				t.Errorf("T1 %s as its account %d/%d, as the system %d/%d", f.ID, f.NumMillionths, f.DenMillionths, g.NumMillionths, g.DenMillionths)
			}
		}
		for _, p := range mine.Parts {
			if p.InScope {
				t.Errorf("part %s is marked in the scope of T1's account", p.Unit.Code)
			}
		}
		if _, err := db.Indicators(own, demo.PlanID, "25207"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("T1's account reads 25207's own figures: %v", err)
		}
		if _, err := db.Restate(own, demo.PlanID, "T2"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("T1's account restates T2: %v", err)
		}
	})
}

// An account of a district the reform ended keeps working on the district
// as it was: its 2023 figures and communes, not today's units (which its
// scope never held), and it is listed for reassignment with the district's
// successor.
func TestEndedDistrictAccountKeepsItsHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnitsUnderNation(sys, db); err != nil {
			t.Fatal(err)
		}
		if _, applied, err := demo.LoadReform(sys, db); err != nil || !applied {
			t.Fatalf("reform: %v %v", applied, err)
		}
		// The new province hangs under the nation, as Bình Phước did.
		if u, err := db.FindUnitByCode(sys, "75", antq.Date{}); err != nil || u.ParentCode != demo.DemoNationCode {
			t.Fatalf("75: %+v %v", u, err)
		}
		ctx := asUser(t, db, "ca-dong-xoai", antq.RoleViewer, "689")
		if _, err := db.Indicators(ctx, demo.PlanID, "689"); err != nil {
			t.Fatalf("the district's own 2023 figures: %v", err)
		}
		if u, err := db.FindUnitByCode(ctx, "25195", antq.Date{}); err != nil || u.Name != "Phường Tân Phú" {
			t.Fatalf("its commune as it was: %+v %v", u, err)
		}
		if _, err := db.FindUnitByCode(ctx, "75", antq.Date{}); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("today's province seen from the ended district: %v", err)
		}
		if _, err := db.Restate(ctx, demo.PlanID, "75"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("restated on today's province from the ended district: %v", err)
		}
		// Code 25210 is today's Phường Đồng Xoài and, in the district's
		// scope, the Phường Tiến Thành of 2023 it was before.
		if u, err := db.FindUnitByCode(ctx, "25210", antq.Date{}); err != nil || u.Name != "Phường Tiến Thành" || u.ValidTo != demo.BinhPhuocTo {
			t.Errorf("25210 from the ended district: %+v %v", u, err)
		}
		if r, err := db.Restate(ctx, demo.PlanID, "25210"); err != nil || !r.Recorded || r.Unit.Name != "Phường Tiến Thành" {
			t.Errorf("restated 25210 from the ended district: %+v %v", r, err)
		}
		list, err := db.AccountsToReassign(sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].UnitCode != "689" || len(list[0].Successors) != 1 || list[0].Successors[0].Code != "75" {
			t.Fatalf("accounts to reassign: %+v", list)
		}
	})
}
