package store_test

import (
	cmpx "cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// figure returns an indicator's figure from a report's unit.
func figure(t *testing.T, rep *store.IndicatorReport, id rules.Indicator) (num, den int64, met *bool) {
	t.Helper()
	for _, f := range rep.Unit.Figures {
		if f.ID == id {
			return f.Num, f.Den, f.Met
		}
	}
	t.Fatalf("no figure %s", id)
	return 0, 0, nil
}

func TestIndicatorsMaintainedOnWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		rep, err := db.Indicators(ctx, planID, "")
		if err != nil {
			t.Fatal(err)
		}
		// Eligible for registration: 3 areas, 2 communes, 70-CQ001,
		// 689-DN001, 689-THCS01 (not: the armed-forces agency, the small
		// enterprise, the primary school, districts, the province).
		if num, den, met := figure(t, rep, rules.IndicatorRegistration); num != 0 || den != 8 || met == nil || *met {
			t.Fatalf("registration = %d/%d met=%v, want 0/8 not met", num, den, met)
		}
		if _, den, met := figure(t, rep, rules.IndicatorRecognition); den != 0 || met != nil {
			t.Fatalf("recognition with nobody registered = den %d met %v, want 0 and null", den, met)
		}
		if len(rep.Children) != 4 { // two districts and two provincial agencies
			t.Fatalf("children = %d", len(rep.Children))
		}
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(ctx, planID, "")
		if num, den, _ := figure(t, rep, rules.IndicatorRegistration); num != 1 || den != 8 {
			t.Fatalf("after one registration = %d/%d, want 1/8", num, den)
		}
		// The commune's household figure sums its areas: 350 of 400 + 0 of
		// 600 = 35 % < 80 %; then the commune's own figure takes over.
		if _, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](350), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		failing, total, err := db.FailingUnits(ctx, planID, rules.IndicatorPropagandaHouseholds, "689", 0, 10)
		if err != nil || total != 1 || !strings.Contains(failing[0].Reason, "350\u00a0/\u00a01.000") {
			t.Fatalf("failing = %+v (%d), %v", failing, total, err)
		}
		if _, err := db.PutPropaganda(ctx, planID, "25195-KDC02", antq.PropagandaInput{Reached: ptr[int64](550), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(ctx, planID, "689")
		if num, den, met := figure(t, rep, rules.IndicatorPropagandaHouseholds); num != 1 || den != 1 || !*met {
			t.Fatalf("commune coverage 900/1000 = %d/%d, want met", num, den)
		}
		if _, err := db.PutPropaganda(ctx, planID, "25195", antq.PropagandaInput{Reached: ptr[int64](799), Total: ptr[int64](1000), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(ctx, planID, "689")
		if num, _, _ := figure(t, rep, rules.IndicatorPropagandaHouseholds); num != 0 {
			t.Fatal("the commune's own 799/1000 (< 80 %) should override its areas' 900/1000")
		}
		assertRebuildEqual(t, db)

		// Unknown plan, unit, indicator.
		_, err = db.Indicators(ctx, "no-plan", "")
		wantCode(t, err, antq.ENOTFOUND)
		_, err = db.Indicators(ctx, planID, "99999")
		wantCode(t, err, antq.ENOTFOUND)
		_, _, err = db.FailingUnits(ctx, planID, "happiness", "", 0, 10)
		wantCode(t, err, antq.ENOTFOUND)
	})
}

// assertRebuildEqual compares the incrementally maintained state with a
// rebuild from the facts.
func assertRebuildEqual(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := antq.SystemContext(context.Background())
	incremental, err := db.IndicatorState(ctx, planID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Rebuild(ctx, planID); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := db.IndicatorState(ctx, planID)
	if err != nil {
		t.Fatal(err)
	}
	if incremental != rebuilt {
		t.Fatalf("incremental != rebuilt\n%s", diffLines(incremental, rebuilt))
	}
}

func diffLines(a, b string) string {
	in := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		in[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		in[l]--
	}
	var out []string
	for l, n := range in {
		if n > 0 {
			out = append(out, "- "+l)
		} else if n < 0 {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestIncrementalEqualsRebuilt applies random sequences of fact changes,
// withdrawals and unit moves, and checks after every few steps that the
// maintained figures equal a rebuild from the facts.
func TestIncrementalEqualsRebuilt(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		units := []string{"70", "689", "693", "25195", "25200", "25195-KDC01", "25195-KDC02", "25200-KDC01",
			"70-CQ001", "70-CQ002", "689-DN001", "689-DN002", "25195-TH01", "689-THCS01"}
		areas := []string{"25195-KDC01", "25195-KDC02", "25200-KDC01"}
		rng := rand.New(rand.NewPCG(2023, 31))
		kinds := []antq.ModelStatus{antq.ModelNew, antq.ModelConsolidated, antq.ModelMaintained}
		grades := []antq.Grade{antq.GradeExcellent, antq.GradeGood, antq.GradeAverage, antq.GradeWeak}
		moveDay := antq.MustDate("2023-06-01")
		succeeded := map[int]int{}
		for step := 0; step < 400; step++ {
			code := units[rng.IntN(len(units))]
			var err error
			op := rng.IntN(11)
			switch op {
			case 0, 1: // on time, before the first quarter or after it (the on-time breakdown)
				on := []string{"2023-03-01", "2022-12-01", "2023-05-20"}[rng.IntN(3)]
				_, err = db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate(on)})
			case 2:
				err = db.DeleteRegistration(ctx, planID, code)
			case 3:
				db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
				res := antq.RecognitionMet
				if rng.IntN(3) == 0 {
					res = antq.RecognitionNotMet
				}
				_, err = db.PutRecognition(ctx, planID, code, antq.Recognition{Result: res, DecidedOn: antq.MustDate("2023-11-30")})
			case 4:
				err = db.DeleteRecognition(ctx, planID, code)
			case 5:
				total := int64(100 + rng.IntN(900))
				_, err = db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr(rng.Int64N(total + 1)), Total: &total, AsOf: antq.MustDate("2023-10-01"),
					TotalReason: "tổng số theo rà soát thực tế"})
			case 6:
				err = db.DeletePropaganda(ctx, planID, code)
			case 7:
				in := antq.ModelInput{Name: ptr("Mô hình"), Kind: ptr("tu_quan"), Status: ptr(kinds[rng.IntN(3)])}
				switch rng.IntN(4) {
				case 0: // not yet assessed
				case 1: // assessed, not effective
					in.Assessment = &antq.ModelAssessment{On: antq.MustDate("2023-10-20"), By: "Công an xã", Basis: "Biên bản kiểm tra"}
				default:
					in.Effective, in.Assessment = ptr(true), &antq.ModelAssessment{On: antq.MustDate("2023-10-20"), By: "Công an xã", Basis: "Biên bản kiểm tra"}
				}
				_, err = db.CreateModel(ctx, planID, code, in)
			case 8:
				// The score of the grade's band (Xuất sắc only for a recognised unit).
				g := grades[rng.IntN(4)]
				score := map[antq.Grade]antq.Tenths{antq.GradeExcellent: 950, antq.GradeGood: 750, antq.GradeAverage: 550, antq.GradeWeak: 300}[g]
				_, err = db.PutGrade(ctx, planID, code, antq.GradeRecord{Grade: g, Score: &score})
			case 9:
				err = db.DeleteGrade(ctx, planID, code)
			case 10:
				// Move an area between the two communes, or the school
				// between districts.
				if rng.IntN(2) == 0 {
					code = areas[rng.IntN(len(areas))]
					to := []string{"25195", "25200"}[rng.IntN(2)]
					err = db.MoveUnit(ctx, code, to, moveDay, "kiểm thử")
				} else {
					code = "689-THCS01"
					err = db.MoveUnit(ctx, code, []string{"689", "693"}[rng.IntN(2)], moveDay, "kiểm thử")
				}
				moveDay = moveDay.AddDays(1)
			}
			// Refusals (ineligible units, nothing to delete, same parent)
			// are part of the sequence; anything else is a failure.
			if c := antq.ErrorCode(err); err != nil && c != antq.EINVALID && c != antq.ENOTFOUND && c != antq.ECONFLICT {
				t.Fatalf("step %d op %d on %s: %v", step, op, code, err)
			}
			if err == nil {
				succeeded[op]++
			}
			if step%25 == 24 {
				assertRebuildEqual(t, db)
				assertBatchFactsEqual(t, db)
			}
		}
		// The sequence must have exercised every kind of change, or the
		// check above proves little.
		for op := 0; op <= 10; op++ {
			if succeeded[op] == 0 {
				t.Errorf("operation %d never succeeded (%v)", op, succeeded)
			}
		}
	})
}

// A district's stricter plan that details the province's reads the same
// facts, judges them by its own targets, and follows every write.
func TestChildPlanSharesFacts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		child := `{"format": 1, "id": "dong-xoai-2023", "title": "Kế hoạch của Thành phố Đồng Xoài năm 2023",
  "document": {"number": "12/KH-UBND", "type": "Kế hoạch", "title": "Kế hoạch thực hiện phong trào", "date": "2023-02-20",
               "issuer": "UBND thành phố Đồng Xoài", "verified": true},
  "year": 2023, "root_unit": "689", "parent": "binh-phuoc-2023", "rule_sets": ["tt124-2021", "qd510-2022"],
  "window": {"from": "2023-01-01", "to": "2023-12-31"},
  "grade_reading": {"code": "R2", "title": "Các mức tối thiểu cộng dồn"},
  "targets": [{"indicator": "propaganda_households", "title": "Xã tuyên truyền ≥ 95% hộ", "share": "1.00",
               "unit_threshold": "0.95", "unit_kinds": ["commune"]}]}`
		if _, err := db.LoadPlan(ctx, "dong-xoai-2023.json", []byte(child)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{planID, "dong-xoai-2023"} {
			if _, err := db.Rebuild(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		// 900/1000 households: meets the province's 80 %, not the district's 95 %.
		if _, err := db.PutPropaganda(ctx, planID, "25195", antq.PropagandaInput{Reached: ptr[int64](900), Total: ptr[int64](1000), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			plan string
			met  bool
		}{{planID, true}, {"dong-xoai-2023", false}} {
			rep, err := db.Indicators(ctx, tt.plan, "25195")
			if err != nil {
				t.Fatal(err)
			}
			if num, den, _ := figure(t, rep, rules.IndicatorPropagandaHouseholds); den != 1 || (num == 1) != tt.met {
				t.Errorf("%s: commune 900/1000 = %d/%d, want met=%v", tt.plan, num, den, tt.met)
			}
		}
		// A write through the child plan lands in the shared facts.
		if _, err := db.PutPropaganda(ctx, "dong-xoai-2023", "25195", antq.PropagandaInput{Reached: ptr[int64](960), Total: ptr[int64](1000), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		_, facts, err := db.UnitFacts(ctx, planID, "25195")
		if err != nil || facts.Propaganda.Reached != 960 {
			t.Fatalf("province plan sees %+v, %v", facts.Propaganda, err)
		}
		rep, _ := db.Indicators(ctx, "dong-xoai-2023", "25195")
		if num, _, _ := figure(t, rep, rules.IndicatorPropagandaHouseholds); num != 1 {
			t.Error("960/1000 should meet the district's 95 %")
		}
		// Outside its root the child plan does not exist.
		_, err = db.Indicators(ctx, "dong-xoai-2023", "25200")
		wantCode(t, err, antq.ENOTFOUND)
		assertRebuildEqual(t, db)
	})
}

// The plan as written, on both engines: staff propaganda counts every
// agency, enterprise and school (a small enterprise's figure is counted,
// not only accepted), and the registration figure breaks down on time /
// late against the first quarter.
func TestPlanAsWrittenFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		rep, err := db.Indicators(ctx, planID, "")
		if err != nil {
			t.Fatal(err)
		}
		// 70-CQ001, 70-CQ002 (armed forces), 689-DN001, 689-DN002 (small),
		// 25195-TH01 (primary), 689-THCS01.
		if _, den, _ := figure(t, rep, rules.IndicatorPropagandaStaff); den != 6 {
			t.Fatalf("propaganda_staff denominator %d, want every organisation (6)", den)
		}
		if _, den, _ := figure(t, rep, rules.IndicatorModels); den != 8 {
			t.Fatalf("models denominator %d, want 2 communes + 6 organisations", den)
		}
		if _, err := db.PutPropaganda(ctx, planID, "689-DN002", antq.PropagandaInput{Reached: ptr[int64](8), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct{ code, on string }{{"25195-KDC01", "2023-02-01"}, {"25195-KDC02", "2022-11-05"}, {"689-DN001", "2023-04-03"}} {
			if _, err := db.PutRegistration(ctx, planID, r.code, antq.Registration{RegisteredOn: antq.MustDate(r.on)}); err != nil {
				t.Fatal(err)
			}
		}
		rep, _ = db.Indicators(ctx, planID, "")
		if num, den, _ := figure(t, rep, rules.IndicatorPropagandaStaff); num != 1 || den != 6 {
			t.Fatalf("small enterprise's 8/8: propaganda_staff %d/%d, want 1/6", num, den)
		}
		for _, f := range rep.Unit.Figures {
			if f.ID == rules.IndicatorRegistration && (f.Num != 3 || f.OnTime == nil || *f.OnTime != 1 || *f.Late != 2) {
				t.Fatalf("registration %d, on time %v, late %v; want 3, 1 and 2", f.Num, f.OnTime, f.Late)
			}
		}
		// The commune reports 700 of its 1000 households, its area 25195-KDC01
		// reports 350: both shown, the commune's counted, flagged.
		for _, p := range []struct {
			code           string
			reached, total int64
		}{{"25195", 700, 1000}, {"25195-KDC01", 350, 400}} {
			if _, err := db.PutPropaganda(ctx, planID, p.code, antq.PropagandaInput{Reached: &p.reached, Total: &p.total, AsOf: antq.MustDate("2023-10-01")}); err != nil {
				t.Fatal(err)
			}
		}
		rep, _ = db.Indicators(ctx, planID, "689")
		for _, f := range rep.Unit.Figures {
			if f.ID == rules.IndicatorPropagandaHouseholds && (f.Disagreeing == nil || *f.Disagreeing != 1) {
				t.Fatalf("disagreeing = %v, want 1", f.Disagreeing)
			}
		}
		failing, _, err := db.FailingUnits(ctx, planID, rules.IndicatorPropagandaHouseholds, "689", 0, 10)
		if err != nil || len(failing) != 1 || !strings.Contains(failing[0].Reason, "700\u00a0/\u00a01.000") || !strings.Contains(failing[0].Reason, "350\u00a0/\u00a01.000") {
			t.Fatalf("failing = %+v, %v; want both figures", failing, err)
		}
		assertRebuildEqual(t, db)
	})
}

// assertBatchFactsEqual checks that the facts the failing lists read for
// many units at once are, unit by unit, what is read for one unit alone.
func assertBatchFactsEqual(t *testing.T, db *store.DB) {
	t.Helper()
	one, batch, err := db.IndicatorFactsBothWaysForTest(antq.SystemContext(context.Background()), planID)
	if err != nil {
		t.Fatal(err)
	}
	models := func(f indicator.Facts) indicator.Facts {
		f.Models = slices.Clone(f.Models)
		slices.SortFunc(f.Models, func(a, b indicator.ModelFact) int {
			return cmpx.Or(strings.Compare(string(a.Status), string(b.Status)), cmpx.Compare(fmt.Sprint(a.Effective), fmt.Sprint(b.Effective)))
		})
		return f
	}
	if len(one) == 0 {
		t.Fatal("no units read")
	}
	for id, f := range one {
		if g := batch[id]; !reflect.DeepEqual(models(f), models(g)) {
			t.Errorf("unit %d: one by one %+v, at once %+v", id, f, g)
		}
	}
}
