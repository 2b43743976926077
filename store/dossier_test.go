package store_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// allDocs fills every document of the dossier list with a number.
func allDocs(d *yearend.Dossier) []yearend.DocumentInput {
	var out []yearend.DocumentInput
	for _, doc := range d.Documents {
		out = append(out, yearend.DocumentInput{Code: doc.Doc.Code, Number: "01/" + strings.ToUpper(doc.Doc.Code), Date: antq.MustDate("2023-11-05")})
	}
	return out
}

func verdict(t *testing.T, d *yearend.Dossier, id string) yearend.CriterionView {
	t.Helper()
	for _, c := range d.Criteria {
		if c.Criterion.ID == id {
			return c
		}
	}
	t.Fatalf("no criterion %s", id)
	return yearend.CriterionView{}
}

// recognise runs a residential area's recognition dossier from draft to the
// decision, marking the manual criteria with the given verdict.
func recognise(t *testing.T, db *store.DB, ctx context.Context, code string, manual yearend.Verdict, decision string) *yearend.Dossier {
	t.Helper()
	d, err := db.Dossier(ctx, planID, code, yearend.DossierRecognition)
	if err != nil {
		t.Fatal(err)
	}
	in := yearend.DossierInput{Documents: allDocs(d)}
	for _, c := range d.Criteria {
		if c.Suggestion.Verdict == yearend.Unknown {
			in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: manual, Note: "Theo biên bản họp"})
		}
	}
	if _, err := db.UpdateDossier(ctx, planID, code, yearend.DossierRecognition, in); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		a  yearend.Action
		in yearend.TransitionInput
	}{{yearend.Submit, yearend.TransitionInput{}}, {yearend.Review, yearend.TransitionInput{}},
		{yearend.Decide, yearend.TransitionInput{DecisionNumber: decision, DecisionDate: antq.MustDate("2023-11-15")}}} {
		if d, err = db.Transition(ctx, planID, code, yearend.DossierRecognition, step.a, step.in); err != nil {
			t.Fatalf("%s %s: %v", step.a, code, err)
		}
	}
	return d
}

func TestRecognitionDossierRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		// Not registered: not eligible for a dossier's first criterion.
		d, err := db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		if err != nil {
			t.Fatal(err)
		}
		if c := verdict(t, d, "kdc.1"); c.Suggestion.Verdict != yearend.NotMet {
			t.Fatalf("kdc.1 without registration = %+v", c.Suggestion)
		}
		// First-quarter rule: registered in April fails kdc.1.
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-04-05")}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		if c := verdict(t, d, "kdc.1"); c.Suggestion.Verdict != yearend.NotMet || !strings.Contains(c.Suggestion.Reason, "05/04/2023") {
			t.Fatalf("kdc.1 registered in April = %+v", c.Suggestion)
		}
		// Overriding a suggestion needs a reason.
		_, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.1", Verdict: yearend.Met}}})
		wantInvalid(t, err, "criteria[0].override_reason")
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: []yearend.CriterionInput{
			{ID: "kdc.1", Verdict: yearend.Met, OverrideReason: "Nghị quyết chi bộ ban hành 28/03, văn bản đăng ký gửi chậm"}}})
		if err != nil {
			t.Fatal(err)
		}
		if c := verdict(t, d, "kdc.1"); c.Verdict != yearend.Met || !c.Overridden {
			t.Fatalf("overridden kdc.1 = %+v", c)
		}
		// A data-entry user cannot override the software's suggestion.
		clerk, err := db.CreateUser(ctx, store.NewUser{Username: "kp1", Role: antq.RoleDataEntry, UnitCode: "25195-KDC01", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		clerkCtx := antq.NewContextWithActor(context.Background(), antq.Actor{User: clerk})
		_, err = db.UpdateDossier(clerkCtx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: []yearend.CriterionInput{
			{ID: "kdc.1", Verdict: yearend.Met, OverrideReason: "tự sửa"}}})
		wantInvalid(t, err, "criteria[0].override_reason")
		_, err = db.Transition(clerkCtx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Decide, yearend.TransitionInput{})
		wantCode(t, err, antq.EFORBIDDEN)

		// Veto: an unverified incident does not fail kdc.3; a verified one does.
		if _, err := db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-06-01"), Category: "veto.e", Description: "Tin báo chưa xác minh"}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		if c := verdict(t, d, "kdc.3"); c.Suggestion.Verdict != yearend.Met {
			t.Fatalf("kdc.3 with an unverified incident = %+v", c.Suggestion)
		}
		if _, err := db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-07-01"), Category: "veto.e", Description: "Tranh chấp kéo dài", Verified: true}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		if c := verdict(t, d, "kdc.3"); c.Suggestion.Verdict != yearend.NotMet || !strings.Contains(c.Suggestion.Reason, "01/07/2023") {
			t.Fatalf("kdc.3 with a verified veto incident = %+v", c.Suggestion)
		}
		// Conjunctive: with kdc.3 failed the dossier's result is chưa đạt
		// even when every other criterion is met.
		var crit []yearend.CriterionInput
		for _, c := range d.Criteria {
			if c.Suggestion.Verdict == yearend.Unknown {
				crit = append(crit, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
			}
		}
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: crit})
		if err != nil {
			t.Fatal(err)
		}
		if d.Result != antq.RecognitionNotMet {
			t.Fatalf("result with one criterion failed = %q", d.Result)
		}
		// Submitting needs the required documents.
		_, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{})
		wantInvalid(t, err, "documents")
		if !strings.Contains(antq.ErrorFields(err)["documents"], "Tờ trình") {
			t.Fatalf("missing documents = %q", antq.ErrorFields(err)["documents"])
		}
	})
}

func TestCommuneWaitsForItsUnitsAndSeventyPercent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		for _, code := range []string{"25195", "25195-KDC01", "25195-KDC02"} {
			if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateModel(ctx, planID, "25195", antq.ModelInput{Name: ptr("Camera an ninh"), Kind: ptr("tu_bao_ve"), Status: ptr(antq.ModelNew)}); err != nil {
			t.Fatal(err)
		}
		// The commune waits for its two registered areas (the primary school
		// is not covered by the standard).
		d, err := db.Dossier(ctx, planID, "25195", yearend.DossierRecognition)
		if err != nil {
			t.Fatal(err)
		}
		if c := verdict(t, d, "xa.4"); c.Suggestion.Verdict != yearend.Pending || !strings.Contains(c.Suggestion.Reason, "2 đơn vị") {
			t.Fatalf("xa.4 before the areas are decided = %+v", c.Suggestion)
		}
		if _, err := db.UpdateDossier(ctx, planID, "25195", yearend.DossierRecognition, yearend.DossierInput{Documents: allDocs(d)}); err != nil {
			t.Fatal(err)
		}
		_, err = db.Transition(ctx, planID, "25195", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{})
		wantInvalid(t, err, "criteria")

		// One area recognised, one not: 1 of 2 registered < ceil(0.7 × 2) = 2.
		if d := recognise(t, db, ctx, "25195-KDC01", yearend.Met, "101/QĐ-UBND"); d.Result != antq.RecognitionMet {
			t.Fatalf("KDC01 = %q", d.Result)
		}
		if d := recognise(t, db, ctx, "25195-KDC02", yearend.NotMet, "102/QĐ-UBND"); d.Result != antq.RecognitionNotMet {
			t.Fatalf("KDC02 = %q", d.Result)
		}
		d, _ = db.Dossier(ctx, planID, "25195", yearend.DossierRecognition)
		c := verdict(t, d, "xa.4")
		if c.Suggestion.Verdict != yearend.NotMet || !strings.Contains(c.Suggestion.Reason, "1/2") || !strings.Contains(c.Suggestion.Reason, "ít nhất 2") {
			t.Fatalf("xa.4 with 1 of 2 = %+v", c.Suggestion)
		}
		// The decisions moved the recognition indicator: 1 of the 2 decided
		// areas recognised, out of 3 registered units.
		rep, err := db.Indicators(ctx, planID, "25195")
		if err != nil {
			t.Fatal(err)
		}
		if num, den, _ := figure(t, rep, rules.IndicatorRecognition); num != 1 || den != 3 {
			t.Fatalf("recognition after decisions = %d/%d, want 1/3", num, den)
		}
		assertRebuildEqual(t, db)
	})
}

func TestDecidedDossierIsLocked(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		// Returning needs a reason, which the submitter then sees.
		d, _ := db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Documents: allDocs(d)})
		if _, err := db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{}); err != nil {
			t.Fatal(err)
		}
		_, err := db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Return, yearend.TransitionInput{})
		wantInvalid(t, err, "reason")
		d, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Return, yearend.TransitionInput{Reason: "Thiếu chữ ký trong biên bản"})
		if err != nil || d.State != yearend.Returned || d.ReturnReason != "Thiếu chữ ký trong biên bản" {
			t.Fatalf("returned = %+v, %v", d, err)
		}
		// Review before every criterion is assessed is refused.
		db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{})
		_, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Review, yearend.TransitionInput{})
		wantInvalid(t, err, "criteria.kdc.2")
		// Deciding out of order is a conflict.
		_, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Decide, yearend.TransitionInput{DecisionNumber: "1/QĐ", DecisionDate: antq.MustDate("2023-11-15")})
		wantCode(t, err, antq.ECONFLICT)
		// Assess, review and decide; then every change is refused.
		d, _ = db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition)
		var crit []yearend.CriterionInput
		for _, c := range d.Criteria {
			if c.Suggestion.Verdict == yearend.Unknown {
				crit = append(crit, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
			}
		}
		if _, err := db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: crit}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Review, yearend.TransitionInput{}); err != nil {
			t.Fatal(err)
		}
		d, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Decide, yearend.TransitionInput{DecisionNumber: "120/QĐ-UBND", DecisionDate: antq.MustDate("2023-11-15")})
		if err != nil {
			t.Fatal(err)
		}
		if d.State != yearend.Decided || d.AuthorityLabel != "UBND phường Tân Phú" || d.DecidedLate {
			t.Fatalf("decided = %+v", d)
		}
		_, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.DossierInput{Criteria: []yearend.CriterionInput{{ID: "kdc.2", Verdict: yearend.NotMet}}})
		wantCode(t, err, antq.ECONFLICT)
		_, err = db.PutRecognition(ctx, planID, "25195-KDC01", antq.Recognition{Result: antq.RecognitionNotMet, DecidedOn: antq.MustDate("2023-11-20")})
		wantCode(t, err, antq.ECONFLICT)
		wantCode(t, db.DeleteRecognition(ctx, planID, "25195-KDC01"), antq.ECONFLICT)
		// A change needs the dossier reopened (with a reason) and a new decision.
		_, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Reopen, yearend.TransitionInput{})
		wantInvalid(t, err, "reason")
		d, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Reopen, yearend.TransitionInput{Reason: "Phát hiện vụ việc sau khi công nhận"})
		if err != nil || !d.Amended || d.PreviousDecision != "120/QĐ-UBND" {
			t.Fatalf("reopened = %+v, %v", d, err)
		}
		// The old decision stays in force until the new one.
		_, facts, _ := db.UnitFacts(ctx, planID, "25195-KDC01")
		if facts.Recognition == nil || facts.Recognition.Decision.Number != "120/QĐ-UBND" {
			t.Fatalf("recognition while reopened = %+v", facts.Recognition)
		}
		db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{})
		db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Review, yearend.TransitionInput{})
		_, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Decide, yearend.TransitionInput{DecisionNumber: "120/QĐ-UBND", DecisionDate: antq.MustDate("2023-12-01")})
		wantInvalid(t, err, "decision_number")
		d, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Decide, yearend.TransitionInput{DecisionNumber: "131/QĐ-UBND", DecisionDate: antq.MustDate("2023-12-01")})
		// A recognition follows TT 124's own timetable (decisions in
		// November–December, unverified), not QĐ 510's grading deadline of
		// 20/11: a decision of 01/12 is not late.
		if err != nil || d.DecidedLate || d.Deadline == nil || d.Deadline.Due != antq.MustDate("2023-12-31") || d.Deadline.Verified {
			t.Fatalf("new decision of 01/12 under TT 124's timetable: %+v, %v", d, err)
		}
		recs := auditRows(t, db, "dossier_recognition", planID+"/25195-KDC01")
		if len(recs) < 8 || recs[len(recs)-1].Action != "decide" {
			t.Fatalf("audit = %d records", len(recs))
		}
	})
}

func TestGradingDossier(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		d, err := db.Dossier(ctx, planID, "25195-KDC01", yearend.DossierGrading)
		if err != nil {
			t.Fatal(err)
		}
		if d.Rubric == nil || len(d.Scores) == 0 {
			t.Fatalf("no rubric: %+v", d)
		}
		// Every item at its maximum but 0.5: tenths add without drift.
		var in yearend.DossierInput
		var want antq.Tenths
		for i, s := range d.Scores {
			v := s.Item.MaxPoints
			if i == 0 {
				v -= 5
			}
			want += v
			in.Scores = append(in.Scores, yearend.ScoreInput{ItemID: s.Item.ID, Self: &v})
		}
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, in)
		if err != nil {
			t.Fatal(err)
		}
		if d.SelfTotal != want || d.SelfTotal.String() != "99.5" {
			t.Fatalf("self total = %v, want 99.5", d.SelfTotal)
		}
		// 99.5 points but not recognised: the gate withholds xuất sắc.
		if d.ComputedGrade != antq.GradeGood || !strings.Contains(strings.Join(d.GradeReasons, " "), "điều kiện") {
			t.Fatalf("grade without recognition = %q %v", d.ComputedGrade, d.GradeReasons)
		}
		// Scores outside 0..max are refused, naming the item.
		first := d.Scores[0].Item
		over := first.MaxPoints + 1
		_, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: first.ID, Self: &over}}})
		wantInvalid(t, err, "scores."+first.ID)
		neg := antq.Tenths(-1)
		_, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: "r510.kdc.99", Self: &neg}}})
		wantInvalid(t, err, "scores.r510.kdc.99")
		// The reviewed total counts reviewed scores only (issue 16 item 12):
		// one item reviewed at 0 is a reviewed total of 0, and no grade is
		// proposed until every item has its reviewed score.
		low := antq.Tenths(0)
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Scores: []yearend.ScoreInput{{ItemID: first.ID, Reviewed: &low}}})
		if err != nil {
			t.Fatal(err)
		}
		if d.ReviewedTotal != 0 || d.ReviewedScored != 1 || d.ComputedGrade != "" {
			t.Fatalf("reviewed total = %v (%d items), grade %q", d.ReviewedTotal, d.ReviewedScored, d.ComputedGrade)
		}
		var rest []yearend.ScoreInput
		for _, s := range d.Scores[1:] {
			v := *s.Self
			rest = append(rest, yearend.ScoreInput{ItemID: s.Item.ID, Reviewed: &v})
		}
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Scores: rest})
		if err != nil {
			t.Fatal(err)
		}
		if d.ReviewedTotal != want-first.MaxPoints+5 || d.ComputedGrade != antq.GradeGood {
			t.Fatalf("reviewed total = %v, grade %q", d.ReviewedTotal, d.ComputedGrade)
		}
		// An override of the grade needs a reason.
		_, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Grade: antq.GradeAverage})
		wantInvalid(t, err, "override_reason")
		d, err = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Grade: antq.GradeAverage, OverrideReason: "Để xảy ra vụ việc phức tạp"})
		if err != nil || d.Grade != antq.GradeAverage || d.ComputedGrade != antq.GradeGood {
			t.Fatalf("override = %q (computed %q), %v", d.Grade, d.ComputedGrade, err)
		}
		d, _ = db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{Documents: allDocs(d)})
		for _, step := range []struct {
			a  yearend.Action
			in yearend.TransitionInput
		}{{yearend.Submit, yearend.TransitionInput{}}, {yearend.Review, yearend.TransitionInput{}},
			{yearend.Decide, yearend.TransitionInput{DecisionNumber: "55/QĐ-UBND", DecisionDate: antq.MustDate("2023-11-18")}}} {
			if d, err = db.Transition(ctx, planID, "25195-KDC01", yearend.DossierGrading, step.a, step.in); err != nil {
				t.Fatalf("%s: %v", step.a, err)
			}
		}
		_, facts, _ := db.UnitFacts(ctx, planID, "25195-KDC01")
		if facts.Grade == nil || facts.Grade.Grade != antq.GradeAverage || *facts.Grade.Score != d.ReviewedTotal {
			t.Fatalf("decided grade in the facts = %+v", facts.Grade)
		}
		rep, _ := db.Indicators(ctx, planID, "25195-KDC01")
		if num, den, _ := figure(t, rep, rules.IndicatorGradeAverageOrBetter); num != 1 || den != 1 {
			t.Fatalf("grade indicator = %d/%d", num, den)
		}
		_, err = db.PutGrade(ctx, planID, "25195-KDC01", antq.GradeRecord{Grade: antq.GradeExcellent})
		wantCode(t, err, antq.ECONFLICT)
	})
}

func TestBulkAndInbox(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		codes := []string{"25195-KDC01", "25195-KDC02", "25200-KDC01"}
		for _, code := range codes {
			if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
				t.Fatal(err)
			}
			d, _ := db.Dossier(ctx, planID, code, yearend.DossierRecognition)
			in := yearend.DossierInput{Documents: allDocs(d)}
			for _, c := range d.Criteria {
				if c.Suggestion.Verdict == yearend.Unknown {
					in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
				}
			}
			if code == "25200-KDC01" {
				in.Documents = nil // this one cannot be submitted
			}
			if _, err := db.UpdateDossier(ctx, planID, code, yearend.DossierRecognition, in); err != nil {
				t.Fatal(err)
			}
		}
		res, err := db.BulkTransition(ctx, planID, codes, yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].State != "submitted" || res[1].State != "submitted" || res[2].Error == "" || res[2].Fields["documents"] == "" {
			t.Fatalf("bulk submit = %+v", res)
		}
		// The clock is in 2024: the areas' deadline (before 20/11/2023) passed.
		items, total, err := db.Inbox(ctx, planID, yearend.InboxFilter{})
		if err != nil || total != 2 || !items[0].Deadline.Late {
			t.Fatalf("inbox = %+v (%d), %v", items, total, err)
		}
		late, _, _ := db.Inbox(ctx, planID, yearend.InboxFilter{Late: true})
		if len(late) != 3 {
			t.Fatalf("late = %d, want all 3 undecided", len(late))
		}
		// Filtered by commune (issue 16 item 13): the commune's own dossiers
		// and its areas', none of another commune's.
		under, n, err := db.Inbox(ctx, planID, yearend.InboxFilter{Late: true, Under: "25200"})
		if err != nil || n != 1 || under[0].Unit.Code != "25200-KDC01" {
			t.Fatalf("inbox under 25200 = %+v (%d), %v", under, n, err)
		}
		under, n, err = db.Inbox(ctx, planID, yearend.InboxFilter{Under: "25195", States: []yearend.State{yearend.Draft}})
		if err != nil || n != 0 {
			t.Fatalf("drafts under 25195 = %+v (%d), %v", under, n, err)
		}
		under, n, err = db.Inbox(ctx, planID, yearend.InboxFilter{Under: "25195"})
		if err != nil || n != 2 || under[0].Unit.Code[:5] != "25195" || under[1].Unit.Code[:5] != "25195" {
			t.Fatalf("inbox under 25195 = %+v (%d), %v", under, n, err)
		}
		// A district user's inbox holds only its district.
		u, _ := db.CreateUser(ctx, store.NewUser{Username: "buddang", Role: antq.RoleReviewer, UnitCode: "693", PasswordHash: "x"})
		items, _, err = db.Inbox(antq.NewContextWithActor(context.Background(), antq.Actor{User: u}), planID, yearend.InboxFilter{Late: true})
		if err != nil || len(items) != 1 || items[0].Unit.Code != "25200-KDC01" {
			t.Fatalf("district inbox = %+v, %v", items, err)
		}
		res, err = db.BulkTransition(ctx, planID, codes[:2], yearend.DossierRecognition, yearend.Review, yearend.TransitionInput{})
		if err != nil || res[0].State != "reviewed" || res[1].State != "reviewed" {
			t.Fatalf("bulk review = %+v, %v", res, err)
		}
	})
}
