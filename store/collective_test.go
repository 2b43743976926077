package store_test

import (
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// The assessment of a collective of the grass-roots forces, on both
// engines: refused for a unit that is not a collective and for wrong
// fields; written, read, versioned and audited; locked once it carries a
// decision (a change needs a new decision naming the old one, and it is
// never deleted); removable while it has none.
func TestCollectiveAssessment(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		mustImportText(t, db, `level,code,name,type,parent_code,valid_to
commune_police,25195-CA,Công an phường Tân Phú,Công an phường,25195,
street_protection_board,25195-BBV,Ban bảo vệ dân phố phường Tân Phú,Ban bảo vệ dân phố,25195,2024-06-30
`, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		in := antq.CollectiveAssessment{Level: antq.CollectiveGood, AssessedOn: antq.MustDate("2023-11-20"),
			AssessedBy: "Chủ tịch UBND phường Tân Phú", Basis: "Biên bản họp đánh giá ngày 20/11/2023"}

		_, err := db.PutCollectiveAssessment(sys, planID, "25195", in)
		wantInvalid(t, err, "unit")
		bad := in
		bad.Level, bad.AssessedBy, bad.Basis, bad.AssessedOn = "kha", "", "", antq.MustDate("2024-03-02")
		_, err = db.PutCollectiveAssessment(sys, planID, "25195-CA", bad)
		wantInvalid(t, err, "level", "assessed_by", "basis", "assessed_on")
		if _, f, err := db.UnitFacts(sys, planID, "25195-CA"); err != nil || f.CollectiveAssessment != nil {
			t.Fatalf("after refusals: %v, %+v", err, f)
		}

		got, err := db.PutCollectiveAssessment(sys, planID, "25195-CA", in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Level != antq.CollectiveGood || got.UpdatedBy == "" {
			t.Fatalf("put: %+v", got)
		}
		_, f, err := db.UnitFacts(sys, planID, "25195-CA")
		if err != nil {
			t.Fatal(err)
		}
		a := f.CollectiveAssessment
		if a == nil || a.Level != antq.CollectiveGood || a.AssessedOn != antq.MustDate("2023-11-20") ||
			a.AssessedBy != in.AssessedBy || a.Basis != in.Basis || a.Decision != nil {
			t.Fatalf("read back: %+v", a)
		}
		v1, err := db.FactVersions(sys, planID, "25195-CA")
		if err != nil || v1["collective_assessment"] == "" {
			t.Fatalf("versions: %v %v", v1, err)
		}

		// The commune's decision locks it.
		decided := in
		decided.Decision = &antq.DocumentRef{Number: "15/QĐ-UBND", Date: antq.MustDate("2023-11-25"), Issuer: "UBND phường Tân Phú"}
		if _, err := db.PutCollectiveAssessment(sys, planID, "25195-CA", decided); err != nil {
			t.Fatal(err)
		}
		changed := decided
		changed.Level = antq.CollectiveExcellent
		_, err = db.PutCollectiveAssessment(sys, planID, "25195-CA", changed)
		wantCode(t, err, antq.ECONFLICT)
		wantCode(t, db.DeleteCollectiveAssessment(sys, planID, "25195-CA"), antq.ECONFLICT)
		changed.Decision = &antq.DocumentRef{Number: "20/QĐ-UBND", Date: antq.MustDate("2023-12-01"), Issuer: "UBND phường Tân Phú"}
		_, err = db.PutCollectiveAssessment(sys, planID, "25195-CA", changed)
		wantCode(t, err, antq.ECONFLICT) // no "replaces"
		changed.Replaces = "15/QĐ-UBND"
		if _, err := db.PutCollectiveAssessment(sys, planID, "25195-CA", changed); err != nil {
			t.Fatal(err)
		}
		_, f, err = db.UnitFacts(sys, planID, "25195-CA")
		if err != nil {
			t.Fatal(err)
		}
		if a := f.CollectiveAssessment; a.Level != antq.CollectiveExcellent || a.Decision.Number != "20/QĐ-UBND" ||
			a.ReplacedDecision == nil || a.ReplacedDecision.Number != "15/QĐ-UBND" {
			t.Fatalf("after the new decision: %+v", a)
		}
		recs, err := db.AuditRecords(sys, store.AuditFilter{Entity: "collective_assessment", UnitCode: "25195-CA"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action)
		}
		// create, update (decision), refused ×3, update (new decision).
		if len(recs) != 6 || actions[0] != "create" || actions[5] != "update" {
			t.Fatalf("audit: %v", actions)
		}

		// Without a decision it can be removed.
		if _, err := db.PutCollectiveAssessment(sys, planID, "25195-BBV", in); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteCollectiveAssessment(sys, planID, "25195-BBV"); err != nil {
			t.Fatal(err)
		}
		if _, f, err := db.UnitFacts(sys, planID, "25195-BBV"); err != nil || f.CollectiveAssessment != nil {
			t.Fatalf("after delete: %v %+v", err, f)
		}
		wantCode(t, db.DeleteCollectiveAssessment(sys, planID, "25195-BBV"), antq.ENOTFOUND)
	})
}
