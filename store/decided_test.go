package store_test

import (
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// Decisions stay decided: a recognition or grade that carries a decision is
// neither overwritten nor deleted; a new decision naming the one it
// replaces changes it, and the replaced decision is kept and shown.
func TestDecidedResultsStayDecided(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		const code = "25195-KDC01"
		if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-10")}); err != nil {
			t.Fatal(err)
		}
		first := &antq.DocumentRef{Number: "120/QĐ-UBND", Date: antq.MustDate("2023-11-25"), Issuer: "UBND phường Tân Phú"}
		rec := antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-25"), Decision: first}
		if _, err := db.PutRecognition(ctx, planID, code, rec); err != nil {
			t.Fatal(err)
		}
		// The same decision again changes nothing.
		if _, err := db.PutRecognition(ctx, planID, code, rec); err != nil {
			t.Fatalf("the same decision again: %v", err)
		}
		// Overwriting: without a decision, under the same number, or by a
		// new decision that does not name the old one.
		for _, in := range []antq.Recognition{
			{Result: antq.RecognitionNotMet, DecidedOn: antq.MustDate("2023-12-01")},
			{Result: antq.RecognitionNotMet, DecidedOn: antq.MustDate("2023-11-25"), Decision: first},
			{Result: antq.RecognitionNotMet, DecidedOn: antq.MustDate("2023-12-01"),
				Decision: &antq.DocumentRef{Number: "130/QĐ-UBND", Date: antq.MustDate("2023-12-01")}},
		} {
			_, err := db.PutRecognition(ctx, planID, code, in)
			wantCode(t, err, antq.ECONFLICT)
		}
		wantCode(t, db.DeleteRecognition(ctx, planID, code), antq.ECONFLICT)
		refused := 0
		for _, r := range auditRows(t, db, "recognition", planID+"/"+code) {
			if r.Action == "refused" {
				refused++
			}
		}
		if refused != 4 {
			t.Errorf("%d refusals audited, want 4", refused)
		}
		_, facts, err := db.UnitFacts(ctx, planID, code)
		if err != nil || facts.Recognition.Result != antq.RecognitionMet || facts.Recognition.Decision.Number != first.Number {
			t.Fatalf("after the refusals: %+v, %v", facts.Recognition, err)
		}

		// A new decision that names the old one replaces it.
		second := &antq.DocumentRef{Number: "130/QĐ-UBND", Date: antq.MustDate("2023-12-01"), Issuer: "UBND phường Tân Phú"}
		got, err := db.PutRecognition(ctx, planID, code, antq.Recognition{Result: antq.RecognitionNotMet,
			DecidedOn: antq.MustDate("2023-12-01"), Decision: second, Replaces: first.Number})
		if err != nil {
			t.Fatal(err)
		}
		if got.ReplacedDecision == nil || got.ReplacedDecision.Number != first.Number {
			t.Fatalf("replaced decision = %+v", got.ReplacedDecision)
		}
		_, facts, err = db.UnitFacts(ctx, planID, code)
		if err != nil || facts.Recognition.Result != antq.RecognitionNotMet || facts.Recognition.ReplacedDecision == nil ||
			*facts.Recognition.ReplacedDecision != *first {
			t.Fatalf("stored recognition = %+v, %v", facts.Recognition, err)
		}

		// A decided grade: the same for grades.
		score := antq.Tenths(400)
		g1 := &antq.DocumentRef{Number: "140/QĐ-UBND", Date: antq.MustDate("2023-11-28")}
		if _, err := db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeWeak, Score: &score, Decision: g1}); err != nil {
			t.Fatal(err)
		}
		_, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeWeak, Score: ptr(antq.Tenths(450)), Decision: g1})
		wantCode(t, err, antq.ECONFLICT)
		wantCode(t, db.DeleteGrade(ctx, planID, code), antq.ECONFLICT)
		g2 := &antq.DocumentRef{Number: "150/QĐ-UBND", Date: antq.MustDate("2023-12-05")}
		g, err := db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeAverage, Score: ptr(antq.Tenths(520)), Decision: g2, Replaces: g1.Number})
		if err != nil || g.ReplacedDecision == nil || g.ReplacedDecision.Number != g1.Number {
			t.Fatalf("replacing grade = %+v, %v", g, err)
		}

		// A result without a decision is not locked.
		const other = "25195-KDC02"
		if _, err := db.PutRegistration(ctx, planID, other, antq.Registration{RegisteredOn: antq.MustDate("2023-02-10")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRecognition(ctx, planID, other, antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-25")}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteRecognition(ctx, planID, other); err != nil {
			t.Fatalf("undecided result: %v", err)
		}

		// The bulk load does not write over a decided result either.
		_, err = loadBulk(ctx, db, []bulkFact{{code: code, rec: &antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-12")}}})
		if err == nil || !strings.Contains(err.Error(), "không ghi") {
			t.Fatalf("bulk over a decided result: %v", err)
		}
		_, err = loadBulk(ctx, db, []bulkFact{{code: code, grade: &antq.GradeRecord{Grade: antq.GradeWeak, Score: ptr(antq.Tenths(300))}}})
		wantCode(t, err, antq.EINVALID)
	})
}

// Grades follow the rubric, and a decision is dated in its window and not
// in the future.
func TestGradeFollowsRubric(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		const code = "25195-KDC01"
		_, err := db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeGood, Score: ptr(antq.Tenths(400))})
		wantInvalid(t, err, "override_reason")
		_, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeExcellent, Score: ptr(antq.Tenths(950))})
		wantInvalid(t, err, "override_reason") // not recognised
		_, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeWeak, Score: ptr(antq.Tenths(400)),
			Decision: &antq.DocumentRef{Number: "1/QĐ", Date: antq.MustDate("2024-03-02")}})
		wantInvalid(t, err, "decision.date") // after today
		_, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeWeak, Score: ptr(antq.Tenths(400)),
			Decision: &antq.DocumentRef{Number: "1/QĐ", Date: antq.MustDate("2022-06-01")}})
		wantInvalid(t, err, "decision.date") // before the window
		_, err = db.PutRecognition(ctx, planID, code, antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2025-01-01")})
		wantInvalid(t, err, "decided_on", "unit")

		g, err := db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeWeak, Score: ptr(antq.Tenths(400))})
		if err != nil || g.RubricGrade != antq.GradeWeak || g.Overridden {
			t.Fatalf("40.0 as Yếu: %+v, %v", g, err)
		}
		g, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: antq.GradeGood, Score: ptr(antq.Tenths(400)), OverrideReason: "Hội đồng chấm lại theo biên bản 5/BB"})
		if err != nil || !g.Overridden || g.Grade != antq.GradeGood {
			t.Fatalf("Khá against the band with a reason: %+v, %v", g, err)
		}
		_, facts, err := db.UnitFacts(ctx, planID, code)
		if err != nil || !facts.Grade.Overridden || facts.Grade.RubricGrade != antq.GradeWeak || facts.Grade.OverrideReason == "" {
			t.Fatalf("overridden grade = %+v, %v", facts.Grade, err)
		}
	})
}

// The propaganda total is the unit's registered size unless a reason says
// why not; such a figure is flagged on the unit and in the failing list.
func TestPropagandaTotalReason(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		const code = "25195-KDC01" // 400 households
		_, err := db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr[int64](100), Total: ptr[int64](150), AsOf: antq.MustDate("2023-10-01")})
		wantInvalid(t, err, "total_reason")
		p, err := db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr[int64](100), Total: ptr[int64](400), AsOf: antq.MustDate("2023-10-01"), TotalReason: "thừa"})
		if err != nil || p.TotalDiffers() || p.TotalReason != "" {
			t.Fatalf("the registered size: %+v, %v", p, err)
		}
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		p, err = db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr[int64](100), Total: ptr[int64](150), AsOf: antq.MustDate("2023-10-01"),
			TotalReason: "250 hộ đã giải tỏa"})
		if err != nil || !p.TotalDiffers() || *p.RegisteredTotal != 400 {
			t.Fatalf("a different total: %+v, %v", p, err)
		}
		_, facts, err := db.UnitFacts(ctx, planID, code)
		if err != nil || !facts.Propaganda.TotalDiffers() || facts.Propaganda.TotalReason != "250 hộ đã giải tỏa" {
			t.Fatalf("stored: %+v, %v", facts.Propaganda, err)
		}
		// A commune (800 households) misses the 80% target on a total of its own.
		const commune = "25200"
		if _, err := db.PutPropaganda(ctx, planID, commune, antq.PropagandaInput{Reached: ptr[int64](100), Total: ptr[int64](700),
			AsOf: antq.MustDate("2023-10-01"), TotalReason: "250 hộ đã giải tỏa"}); err != nil {
			t.Fatal(err)
		}
		units, _, err := db.FailingUnits(ctx, planID, "propaganda_households", commune, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, u := range units {
			if u.Unit.Code == commune {
				found = strings.Contains(u.TotalNote, "250 hộ đã giải tỏa")
			}
		}
		if !found {
			t.Errorf("failing list does not flag the total: %+v", units)
		}
	})
}
