package store_test

import (
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// The plan takes residential areas as they stood on 31/10 and the other
// kinds on 15/11 (its tree_dates): a unit that starts after its kind's day
// is not in the plan's tree, a size recorded after it is not the one
// counted, and a move after it leaves the plan's figures as they were.
func TestPlanTreeDates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		mustImportText(t, db, `level,code,name,type,parent_code,households,staff,valid_from
residential_area,25195-KDC03,Khu phố 3,Khu phố,25195,300,,2023-11-05
residential_area,25195-KDC04,Khu phố 4,Khu phố,25195,200,,2023-10-20
agency,70-CQ003,Sở Xây dựng,Sở,70,,60,2023-11-20
agency,70-CQ004,Sở Công Thương,Sở,70,,60,2023-11-10
`, unitfile.Options{})
		// A household count of 01/11 for Khu phố 1: after the area's day.
		raw := storetest.Raw(t, db)
		if _, err := raw.Exec(`INSERT INTO unit_sizes (unit_id, as_of, households) SELECT id, $1, 4000 FROM units WHERE code = '25195-KDC01'`,
			antq.MustDate("2023-11-01")); err != nil {
			t.Fatal(err)
		}

		// Eligible for registration: the fixture's 8, Khu phố 4 (in force on
		// 31/10) and Sở Công Thương (on 15/11); not Khu phố 3 (from 05/11)
		// nor Sở Xây dựng (from 20/11), though both are in force on 31/12.
		rep, err := db.Indicators(ctx, planID, "")
		if err != nil {
			t.Fatal(err)
		}
		if num, den, _ := figure(t, rep, rules.IndicatorRegistration); num != 0 || den != 10 {
			t.Fatalf("registration = %d/%d, want 0/10", num, den)
		}
		_, err = db.PutRegistration(ctx, planID, "25195-KDC03", antq.Registration{RegisteredOn: antq.MustDate("2023-11-06")})
		wantCode(t, err, antq.ENOTFOUND)

		// The commune's households are its areas' on 31/10: 400 + 600 + 200.
		if _, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](350), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		failing, _, err := db.FailingUnits(ctx, planID, rules.IndicatorPropagandaHouseholds, "689", 0, 10)
		if err != nil || len(failing) != 1 || !strings.Contains(failing[0].Reason, "350\u00a0/\u00a01.200") {
			t.Fatalf("failing = %+v, %v; want 350/1200", failing, err)
		}
		tree, err := db.PlanTreeUnits(ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range tree {
			if u.Code == "25195-KDC01" && (u.Size.Households == nil || *u.Size.Households != 400) {
				t.Fatalf("Khu phố 1's size in the plan = %+v, want 400 households (31/10)", u.Size)
			}
			if u.Code == "25195-KDC03" || u.Code == "70-CQ003" {
				t.Fatalf("%s started after its kind's day but is in the plan's tree", u.Code)
			}
		}

		// Moved on 01/11, after the area's day: the plan keeps it under its
		// old commune. Moved on 25/10: it follows.
		if err := db.MoveUnit(ctx, "25195-KDC02", "25200", antq.MustDate("2023-11-01"), "kiểm thử"); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(ctx, planID, "25195")
		if _, den, _ := figure(t, rep, rules.IndicatorRegistration); den != 4 {
			t.Fatalf("after a move on 01/11 the commune counts %d units, want 4 (itself and 3 areas)", den)
		}
		assertRebuildEqual(t, db)
		if err := db.MoveUnit(ctx, "25195-KDC04", "25200", antq.MustDate("2023-10-25"), "kiểm thử"); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(ctx, planID, "25195")
		if _, den, _ := figure(t, rep, rules.IndicatorRegistration); den != 3 {
			t.Fatalf("after a move on 25/10 the commune counts %d units, want 3", den)
		}
		assertRebuildEqual(t, db)
	})
}
