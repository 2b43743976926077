package store_test

import (
	"strings"
	"testing"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// Issue 16 item 13: a failing list says why each unit fails and how far it
// is from the target, sorts by that distance, and filters by state and by
// commune.
func TestFailingListsReasonOrderAndFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		// Households: Phường Tân Phú 300 of 1.000 (needs 800: 500 missing),
		// Xã Đoàn Kết 600 of 800 (needs 640: 40 missing) — the name order
		// is the opposite of the distance order.
		for code, reached := range map[string]int64{"25195": 300, "25200": 600} {
			if _, err := db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr(reached), AsOf: antq.MustDate("2023-10-01")}); err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := db.FailingUnitsFiltered(ctx, planID, rules.IndicatorPropagandaHouseholds, "70", store.FailingFilter{})
		if err != nil || total != 2 {
			t.Fatalf("failing = %+v (%d), %v", list, total, err)
		}
		if list[0].Unit.Code != "25200" || list[1].Unit.Code != "25195" {
			t.Fatalf("order = %s, %s; want the closest (25200) first", list[0].Unit.Code, list[1].Unit.Code)
		}
		if s := list[0].Shortfall; s.State != indicator.FailBelow || s.Missing != 40 || !strings.Contains(list[0].Reason, "còn thiếu 40 hộ") {
			t.Fatalf("25200 = %+v, %q", s, list[0].Reason)
		}
		if s := list[1].Shortfall; s.Missing != 500 || !strings.Contains(list[1].Reason, "còn thiếu 500 hộ") {
			t.Fatalf("25195 = %+v, %q", s, list[1].Reason)
		}
		only, total, err := db.FailingUnitsFiltered(ctx, planID, rules.IndicatorPropagandaHouseholds, "70", store.FailingFilter{Commune: "25195"})
		if err != nil || total != 1 || only[0].Unit.Code != "25195" {
			t.Fatalf("commune filter = %+v (%d), %v", only, total, err)
		}
		// Paging follows the distance order.
		page, total, _ := db.FailingUnitsFiltered(ctx, planID, rules.IndicatorPropagandaHouseholds, "70", store.FailingFilter{Offset: 1, Limit: 1})
		if total != 2 || len(page) != 1 || page[0].Unit.Code != "25195" {
			t.Fatalf("second page = %+v (%d)", page, total)
		}

		// Recognition: Khu phố 2's dossier waits for its decision, Khu phố 1
		// sent none.
		for _, code := range []string{"25195-KDC01", "25195-KDC02"} {
			if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
				t.Fatal(err)
			}
		}
		d, _ := db.Dossier(ctx, planID, "25195-KDC02", yearend.DossierRecognition)
		in := yearend.DossierInput{Documents: allDocs(d)}
		for _, c := range d.Criteria {
			if c.Suggestion.Verdict == yearend.Unknown {
				in.Criteria = append(in.Criteria, yearend.CriterionInput{ID: c.Criterion.ID, Verdict: yearend.Met})
			}
		}
		if _, err := db.UpdateDossier(ctx, planID, "25195-KDC02", yearend.DossierRecognition, in); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, planID, "25195-KDC02", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{}); err != nil {
			t.Fatal(err)
		}
		rec, total, err := db.FailingUnitsFiltered(ctx, planID, rules.IndicatorRecognition, "25195", store.FailingFilter{})
		if err != nil || total != 2 {
			t.Fatalf("recognition failing = %+v (%d), %v", rec, total, err)
		}
		if rec[0].Unit.Code != "25195-KDC02" || rec[0].Shortfall.State != indicator.FailWaiting || !strings.Contains(rec[0].Reason, "chờ quyết định") {
			t.Fatalf("first = %s %+v %q; want Khu phố 2 waiting", rec[0].Unit.Code, rec[0].Shortfall, rec[0].Reason)
		}
		if rec[1].Shortfall.State != indicator.FailNotSubmitted || !strings.Contains(rec[1].Reason, "Chưa gửi hồ sơ") {
			t.Fatalf("second = %+v %q", rec[1].Shortfall, rec[1].Reason)
		}
		waiting, total, _ := db.FailingUnitsFiltered(ctx, planID, rules.IndicatorRecognition, "25195", store.FailingFilter{State: indicator.FailNotSubmitted})
		if total != 1 || waiting[0].Unit.Code != "25195-KDC01" {
			t.Fatalf("state filter = %+v (%d)", waiting, total)
		}
	})
}
