package store_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// auditTrail makes a few audited changes and returns the number of records.
func auditTrail(t *testing.T, db *store.DB) int {
	t.Helper()
	sys := loadFacts(t, db)
	mustUser(t, db, "tanphu", antq.RoleReviewer, "25195")
	for _, d := range []string{"2023-03-01", "2023-03-02", "2023-03-03"} {
		if _, err := db.PutRegistration(sys, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate(d)}); err != nil {
			t.Fatal(err)
		}
	}
	checked, problems, err := db.VerifyAudit(context.Background())
	if err != nil || len(problems) != 0 || checked < 4 {
		t.Fatalf("intact trail: checked %d, problems %+v, %v", checked, problems, err)
	}
	return checked
}

func wantProblemAt(t *testing.T, db *store.DB, id int64, reason string) {
	t.Helper()
	_, problems, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.ID == id && strings.Contains(p.Reason, reason) {
			return
		}
	}
	t.Fatalf("want a problem at record %d (%q), got %+v", id, reason, problems)
}

func TestAuditTamperingDetected(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(t *testing.T, db *store.DB)
	}{
		{"altered value", func(t *testing.T, db *store.DB) {
			recs := auditRows(t, db, "registration", planID+"/25195-KDC01")
			if err := db.ExecForTest(ctx, `UPDATE audit_log SET new_value = '{"registered_on":"2023-01-01"}' WHERE id = $1`, recs[1].ID); err != nil {
				t.Fatal(err)
			}
			wantProblemAt(t, db, recs[1].ID, "bị sửa")
		}},
		{"altered and rehashed", func(t *testing.T, db *store.DB) {
			// Someone who also rewrites the row's own hash still breaks
			// the link from the next record.
			recs := auditRows(t, db, "registration", planID+"/25195-KDC01")
			if err := db.ExecForTest(ctx, `UPDATE audit_log SET username = 'someone', hash = $1 WHERE id = $2`, strings.Repeat("a", 64), recs[0].ID); err != nil {
				t.Fatal(err)
			}
			wantProblemAt(t, db, recs[1].ID, "mắt xích")
		}},
		{"deleted record", func(t *testing.T, db *store.DB) {
			recs := auditRows(t, db, "registration", planID+"/25195-KDC01")
			if err := db.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = $1`, recs[1].ID); err != nil {
				t.Fatal(err)
			}
			wantProblemAt(t, db, recs[2].ID, "bị thiếu")
		}},
		{"cut-off tail shows against an anchor", func(t *testing.T, db *store.DB) {
			id, hash, err := db.AuditHead(ctx)
			if err != nil || id == 0 || len(hash) != 64 {
				t.Fatalf("head %d %q %v", id, hash, err)
			}
			if err := db.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
			if _, err := db.AuditHashOf(ctx, id); antq.ErrorCode(err) != antq.ENOTFOUND {
				t.Fatalf("anchor after deletion: %v", err)
			}
		}},
	}
	storetest.ForEach(t, func(t *testing.T, first *store.DB) {
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				db := first
				if i > 0 {
					db = storetest.Open(t, first.Engine())
				}
				auditTrail(t, db)
				c.run(t, db)
			})
		}
	})
}

func TestAuditRecordsScopeAndFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		for _, code := range []string{"25195-KDC01", "25200-KDC01"} {
			if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
				t.Fatal(err)
			}
		}
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		recs, err := db.AuditRecords(actingAs(dist, ""), store.AuditFilter{Entities: []string{"registration"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].UnitCode != "25195-KDC01" {
			t.Fatalf("district admin sees %+v", recs)
		}
		// Newest first, with a cursor.
		all, _ := db.AuditRecords(sys, store.AuditFilter{Newest: true, Limit: 2})
		if len(all) != 2 || all[0].ID < all[1].ID {
			t.Fatalf("newest first: %+v", all)
		}
		older, _ := db.AuditRecords(sys, store.AuditFilter{Newest: true, BeforeID: all[1].ID})
		if len(older) == 0 || older[0].ID >= all[1].ID {
			t.Fatalf("before cursor: %+v", older)
		}
	})
}
