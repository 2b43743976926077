package store_test

import (
	"context"
	"strconv"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// A database error while checking that a unit lies in the plan's tree is an
// error (500), not "not in this plan" (404). To make exactly that query fail,
// unit_links becomes a view whose row for the district raises an error
// (abs of the smallest integer overflows on both engines; written with a
// column so that PostgreSQL cannot fold it while planning): finding the
// residential area reads only its own link, walking up to the plan's root
// reads the district's.
func TestPlanTreeCheckErrorIsNotNotFound(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		const area = "25195-KDC01"
		if _, _, err := db.UnitFacts(sys, planID, area); err != nil {
			t.Fatal(err)
		}
		district, err := db.FindUnitByCode(sys, "689", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		raw := storetest.Raw(t, db)
		for _, q := range []string{
			`ALTER TABLE unit_links RENAME TO unit_links_kept`,
			`CREATE VIEW unit_links AS SELECT unit_id,
  CASE WHEN unit_id = ` + strconv.FormatInt(district.ID, 10) + ` THEN abs(parent_id - parent_id - 9223372036854775807 - 1) ELSE parent_id END AS parent_id,
  valid_from, valid_to FROM unit_links_kept`,
		} {
			if _, err := raw.ExecContext(context.Background(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := db.FindUnitByCode(sys, area, antq.Date{}); err != nil {
			t.Fatalf("the area itself must still be found (the test breaks only the walk up): %v", err)
		}
		_, _, err = db.UnitFacts(sys, planID, area)
		if err == nil || antq.ErrorCode(err) != antq.EINTERNAL {
			t.Errorf("reading facts with the tree check failing: %v (code %q), want an internal error", err, antq.ErrorCode(err))
		}
		_, err = db.PutRegistration(sys, planID, area, antq.Registration{RegisteredOn: antq.MustDate("2023-03-15")})
		if err == nil || antq.ErrorCode(err) != antq.EINTERNAL {
			t.Errorf("writing a fact with the tree check failing: %v (code %q), want an internal error", err, antq.ErrorCode(err))
		}
	})
}
