package store_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// reviewed brings a residential area's recognition dossier to the reviewed
// state, every criterion met.
func reviewed(t *testing.T, db *store.DB, ctx context.Context, code string) {
	t.Helper()
	if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Dossier(ctx, planID, code, yearend.DossierRecognition)
	if err != nil {
		t.Fatal(err)
	}
	in := yearend.DossierInput{Documents: allDocs(d)}
	for _, c := range d.Criteria {
		if c.Suggestion.Verdict == yearend.Unknown {
			in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met, Note: "Theo biên bản họp"})
		}
	}
	if _, err := db.UpdateDossier(ctx, planID, code, yearend.DossierRecognition, in); err != nil {
		t.Fatal(err)
	}
	for _, a := range []yearend.Action{yearend.Submit, yearend.Review} {
		if _, err := db.Transition(ctx, planID, code, yearend.DossierRecognition, a, yearend.TransitionInput{}); err != nil {
			t.Fatalf("%s %s: %v", a, code, err)
		}
	}
}

// TestDecisionIdentity: a decision is its issuer, number and date. Two
// communes' decisions sharing a number are two decisions in the list; a bulk
// decision mixing the units of two communes is refused with each commune's
// units named, and nothing is decided; an issuer cannot give one number two
// dates.
func TestDecisionIdentity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		codes := []string{"25195-KDC01", "25195-KDC02", "25200-KDC01"}
		for _, code := range codes {
			reviewed(t, db, ctx, code)
		}
		num := "201/QĐ-UBND"
		_, err := db.BulkTransition(ctx, planID, codes, yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: num, DecisionDate: antq.MustDate("2023-11-19")})
		wantInvalid(t, err, "units")
		msg := antq.ErrorMessage(err)
		for _, want := range []string{"UBND phường Tân Phú: Khu phố 1, Khu phố 2", "UBND xã Đoàn Kết: Ấp 1", num} {
			if !strings.Contains(msg, want) {
				t.Errorf("refusal %q does not name %q", msg, want)
			}
		}
		for _, code := range codes {
			if d, err := db.Dossier(ctx, planID, code, yearend.DossierRecognition); err != nil || d.State != yearend.Reviewed {
				t.Fatalf("%s after the refused bulk decision: %v, %v (want still reviewed)", code, d.State, err)
			}
		}

		// Each commune decides its own areas, under the same number, on other days.
		res, err := db.BulkTransition(ctx, planID, codes[:1], yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: num, DecisionDate: antq.MustDate("2023-11-15")})
		if err != nil || res[0].State != "decided" {
			t.Fatalf("Tân Phú's decision: %+v, %v", res, err)
		}
		if _, err := db.Transition(ctx, planID, "25200-KDC01", yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: num, DecisionDate: antq.MustDate("2023-11-19")}); err != nil {
			t.Fatalf("Đoàn Kết's decision under the same number: %v", err)
		}
		// Tân Phú cannot date its 201 on another day.
		_, err = db.Transition(ctx, planID, "25195-KDC02", yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: num, DecisionDate: antq.MustDate("2023-11-16")})
		wantInvalid(t, err, "decision_number")
		if f := antq.ErrorFields(err)["decision_number"]; !strings.Contains(f, "15/11/2023") || !strings.Contains(f, "UBND phường Tân Phú") {
			t.Errorf("reason %q should name the issuer and the date already used", f)
		}
		if _, err := db.Transition(ctx, planID, "25195-KDC02", yearend.DossierRecognition, yearend.Decide,
			yearend.TransitionInput{DecisionNumber: num, DecisionDate: antq.MustDate("2023-11-15")}); err != nil {
			t.Fatalf("second unit of Tân Phú's decision: %v", err)
		}

		rows, err := db.Decisions(ctx, planID, "70", yearend.DossierRecognition)
		if err != nil || len(rows) != 3 {
			t.Fatalf("decisions = %+v, %v", rows, err)
		}
		by := map[string]yearend.DecisionRow{}
		for _, r := range rows {
			by[r.Unit.Code] = r
		}
		if by["25195-KDC01"].Key() != by["25195-KDC02"].Key() {
			t.Errorf("Tân Phú's two areas are in two decisions: %+v / %+v", by["25195-KDC01"].Key(), by["25195-KDC02"].Key())
		}
		if by["25195-KDC01"].Key() == by["25200-KDC01"].Key() {
			t.Errorf("Tân Phú's and Đoàn Kết's 201/QĐ-UBND are listed as one decision")
		}
		if by["25200-KDC01"].AuthorityLabel != "UBND xã Đoàn Kết" || by["25195-KDC01"].AuthorityLabel != "UBND phường Tân Phú" {
			t.Errorf("issuers = %q, %q", by["25200-KDC01"].AuthorityLabel, by["25195-KDC01"].AuthorityLabel)
		}
		// Each decision is one run of rows.
		seen := map[yearend.DecisionKey]bool{}
		for i, r := range rows {
			if i > 0 && rows[i-1].Key() != r.Key() && seen[r.Key()] {
				t.Errorf("decision %+v split in the list", r.Key())
			}
			seen[r.Key()] = true
		}
	})
}
