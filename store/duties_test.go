package store_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
	"antq/yearend"
)

// asUser creates an account and returns a context acting as it.
func asUser(t *testing.T, db *store.DB, username string, role antq.Role, unit string) context.Context {
	t.Helper()
	u, err := db.CreateUser(antq.SystemContext(context.Background()), store.NewUser{Username: username, Role: role, UnitCode: unit, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return antq.NewContextWithActor(context.Background(), antq.Actor{User: u, RemoteAddr: "192.0.2.1"})
}

// fillDossier numbers every document and marks every criterion the
// software cannot assess as met, acting as ctx.
func fillDossier(t *testing.T, db *store.DB, ctx context.Context, code string) {
	t.Helper()
	d, err := db.Dossier(ctx, planID, code, yearend.DossierRecognition)
	if err != nil {
		t.Fatal(err)
	}
	in := yearend.DossierInput{Documents: allDocs(d)}
	for _, c := range d.Criteria {
		if c.Suggestion.Verdict == yearend.Unknown {
			in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
		}
	}
	if _, err := db.UpdateDossier(ctx, planID, code, yearend.DossierRecognition, in); err != nil {
		t.Fatalf("fill %s: %v", code, err)
	}
}

func step(db *store.DB, ctx context.Context, code string, a yearend.Action) (*yearend.Dossier, error) {
	in := yearend.TransitionInput{}
	if a == yearend.Decide {
		in = yearend.TransitionInput{DecisionNumber: "99/QĐ-UBND", DecisionDate: antq.MustDate("2023-11-15")}
	}
	return db.Transition(ctx, planID, code, yearend.DossierRecognition, a, in)
}

// wantRefused asserts a separation-of-duties refusal whose reason contains
// why, and that the refusal is in the audit trail.
func wantRefused(t *testing.T, db *store.DB, err error, code string, a yearend.Action, why string) {
	t.Helper()
	if antq.ErrorCode(err) != antq.EFORBIDDEN || !strings.Contains(antq.ErrorMessage(err), why) {
		t.Fatalf("%s %s: got %v (%s), want forbidden with %q", a, code, err, antq.ErrorCode(err), why)
	}
	recs := auditRows(t, db, "dossier_recognition", planID+"/"+code)
	if len(recs) == 0 {
		t.Fatalf("%s %s: no audit records", a, code)
	}
	last := recs[len(recs)-1]
	if last.Action != "refused" || last.Reason != antq.ErrorMessage(err) || last.New == nil || !strings.Contains(*last.New, `"action":"`+string(a)+`"`) {
		t.Fatalf("%s %s: last audit record = %+v, want the refusal", a, code, last)
	}
}

// TestSeparationOfDuties: the unit under assessment does not review or
// decide itself, the submitter neither reviews nor decides, and only the
// deciding authority's unit (or above) decides; each refusal says why and is
// audited; bulk steps apply the same rules unit by unit.
func TestSeparationOfDuties(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		// A lower secondary school attached to the commune but managed by
		// the district: the district's UBND decides for it.
		mustImportText(t, db, "level,code,name,type,parent_code,staff,pupils,managing_level\nschool,25195-THCS9,Trường THCS Tân Phú 9,Trường,25195,40,900,district\n",
			unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		for _, code := range []string{"25195-KDC01", "25195-KDC02", "25195-THCS9"} {
			if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
				t.Fatal(err)
			}
		}
		areaReviewer := asUser(t, db, "kp1-ct", antq.RoleReviewer, "25195-KDC01")
		tp1 := asUser(t, db, "tanphu1", antq.RoleReviewer, "25195")
		tp2 := asUser(t, db, "tanphu2", antq.RoleReviewer, "25195")
		clerk := asUser(t, db, "tanphu-nl", antq.RoleDataEntry, "25195")
		district := asUser(t, db, "dongxoai", antq.RoleReviewer, "689")

		// The review's attack: an area's reviewer fills and submits its own
		// dossier, then tries to review and decide it.
		fillDossier(t, db, areaReviewer, "25195-KDC01")
		if _, err := step(db, areaReviewer, "25195-KDC01", yearend.Submit); err != nil {
			t.Fatal(err)
		}
		_, err := step(db, areaReviewer, "25195-KDC01", yearend.Review)
		wantRefused(t, db, err, "25195-KDC01", yearend.Review, "chính đơn vị được đánh giá")
		_, err = step(db, areaReviewer, "25195-KDC01", yearend.Return)
		wantRefused(t, db, err, "25195-KDC01", yearend.Return, "chính đơn vị được đánh giá")
		if _, err := step(db, tp1, "25195-KDC01", yearend.Review); err != nil {
			t.Fatalf("the commune reviews the area: %v", err)
		}
		_, err = step(db, areaReviewer, "25195-KDC01", yearend.Decide)
		wantRefused(t, db, err, "25195-KDC01", yearend.Decide, "chính đơn vị được đánh giá")
		d, err := db.Dossier(sys, planID, "25195-KDC01", yearend.DossierRecognition)
		if err != nil || d.State != yearend.Reviewed || d.DecisionNumber != "" {
			t.Fatalf("after the refusals the dossier is %+v, %v", d, err)
		}
		_, facts, _ := db.UnitFacts(sys, planID, "25195-KDC01")
		if facts.Recognition != nil {
			t.Fatalf("a refused decision reached the facts: %+v", facts.Recognition)
		}
		if d, err := step(db, tp1, "25195-KDC01", yearend.Decide); err != nil || d.AuthorityLabel != "UBND phường Tân Phú" {
			t.Fatalf("the commune decides for its area: %+v, %v", d, err)
		}

		// The submitter neither reviews nor decides.
		fillDossier(t, db, tp1, "25195-KDC02")
		if _, err := step(db, tp1, "25195-KDC02", yearend.Submit); err != nil {
			t.Fatal(err)
		}
		d, err = db.Dossier(tp1, planID, "25195-KDC02", yearend.DossierRecognition)
		if err != nil || !strings.Contains(d.Refused[yearend.Review], "Người đã gửi hồ sơ") {
			t.Fatalf("the page's refusals for the submitter = %v, %v", d.Refused, err)
		}
		if d, _ := db.Dossier(tp2, planID, "25195-KDC02", yearend.DossierRecognition); len(d.Refused) != 0 {
			t.Fatalf("a colleague is refused %v", d.Refused)
		}
		_, err = step(db, tp1, "25195-KDC02", yearend.Review)
		wantRefused(t, db, err, "25195-KDC02", yearend.Review, "Người đã gửi hồ sơ")

		// Bulk: the same rules unit by unit; a refused unit does not stop
		// the others.
		fillDossier(t, db, clerk, "25195-THCS9")
		if _, err := step(db, clerk, "25195-THCS9", yearend.Submit); err != nil {
			t.Fatal(err)
		}
		res, err := db.BulkTransition(tp1, planID, []string{"25195-KDC02", "25195-THCS9"}, yearend.DossierRecognition, yearend.Review, yearend.TransitionInput{})
		if err != nil || len(res) != 2 || !strings.Contains(res[0].Error, "Người đã gửi hồ sơ") || res[1].State != "reviewed" {
			t.Fatalf("bulk review = %+v, %v", res, err)
		}
		if recs := auditRows(t, db, "dossier_recognition", planID+"/25195-KDC02"); recs[len(recs)-1].Action != "refused" {
			t.Fatalf("the bulk refusal is not audited: %+v", recs[len(recs)-1])
		}
		if _, err := step(db, tp2, "25195-KDC02", yearend.Review); err != nil {
			t.Fatalf("a colleague reviews: %v", err)
		}
		_, err = step(db, tp1, "25195-KDC02", yearend.Decide)
		wantRefused(t, db, err, "25195-KDC02", yearend.Decide, "Người đã gửi hồ sơ")
		if _, err := step(db, district, "25195-KDC02", yearend.Decide); err != nil {
			t.Fatalf("the district decides: %v", err)
		}

		// Authority: the commune reviewed the district-managed school but
		// may not decide it; the district may.
		_, err = step(db, tp1, "25195-THCS9", yearend.Decide)
		wantRefused(t, db, err, "25195-THCS9", yearend.Decide, "Chỉ UBND cấp huyện hoặc cấp trên")
		res, err = db.BulkTransition(tp2, planID, []string{"25195-THCS9"}, yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: "98/QĐ-UBND", DecisionDate: antq.MustDate("2023-11-15")})
		if err != nil || !strings.Contains(res[0].Error, "Chỉ UBND cấp huyện") {
			t.Fatalf("bulk decision out of authority = %+v, %v", res, err)
		}
		if _, err := step(db, district, "25195-THCS9", yearend.Decide); err != nil {
			t.Fatalf("the district decides for its school: %v", err)
		}
		// Reopening a decision belongs to the authority too.
		_, err = db.Transition(tp1, planID, "25195-THCS9", yearend.DossierRecognition, yearend.Reopen, yearend.TransitionInput{Reason: "Sai sót"})
		wantRefused(t, db, err, "25195-THCS9", yearend.Reopen, "Chỉ UBND cấp huyện hoặc cấp trên")
	})
}

// TestDirectEntryOfOwnResult: the same rules hold when a result is entered
// directly (no dossier): an area's reviewer cannot record, change or delete
// its own recognition or grade; its commune can.
func TestDirectEntryOfOwnResult(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		const code = "25200-KDC01"
		if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		area := asUser(t, db, "ap1-ct", antq.RoleReviewer, code)
		commune := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		rec := antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-15"),
			Decision: &antq.DocumentRef{Number: "7/QĐ-UBND", Date: antq.MustDate("2023-11-15")}}
		wantDirectRefused := func(err error, entity, action string) {
			t.Helper()
			if antq.ErrorCode(err) != antq.EFORBIDDEN || !strings.Contains(antq.ErrorMessage(err), "chính đơn vị được đánh giá") {
				t.Fatalf("%s %s of its own unit: %v (%s), want forbidden", action, entity, err, antq.ErrorCode(err))
			}
			recs := auditRows(t, db, entity, planID+"/"+code)
			last := recs[len(recs)-1]
			if last.Action != "refused" || last.Username != "ap1-ct" || last.New == nil || !strings.Contains(*last.New, `"action":"`+action+`"`) {
				t.Fatalf("last %s audit record = %+v, want the refusal", entity, last)
			}
		}
		_, err := db.PutRecognition(area, planID, code, rec)
		wantDirectRefused(err, "recognition", "put")
		_, err = db.PutGrade(area, planID, code, antq.GradeRecord{Grade: antq.GradeExcellent})
		wantDirectRefused(err, "grade", "put")
		if _, err := db.PutRecognition(commune, planID, code, rec); err != nil {
			t.Fatalf("the commune records its area's result: %v", err)
		}
		wantDirectRefused(db.DeleteRecognition(area, planID, code), "recognition", "delete")
		_, facts, _ := db.UnitFacts(sys, planID, code)
		if facts.Recognition == nil || facts.Recognition.Decision.Number != "7/QĐ-UBND" {
			t.Fatalf("recognition = %+v", facts.Recognition)
		}
	})
}
