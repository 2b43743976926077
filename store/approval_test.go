package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
)

// figureOf returns the whole figure of an indicator for the report's unit.
func figureOf(t *testing.T, rep *store.IndicatorReport, id rules.Indicator) indicator.Figure {
	t.Helper()
	for _, f := range rep.Unit.Figures {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no figure %s", id)
	return indicator.Figure{}
}

// wantFigures asserts the official and provisional figures and the pending
// count of an indicator for the unit code.
func wantFigures(t *testing.T, db *store.DB, code string, id rules.Indicator, official, provisional [2]int64, pending int64) {
	t.Helper()
	rep, err := db.Indicators(antq.SystemContext(context.Background()), planID, code)
	if err != nil {
		t.Fatal(err)
	}
	f := figureOf(t, rep, id)
	if f.Num != official[0] || f.Den != official[1] || f.Provisional.Num != provisional[0] || f.Provisional.Den != provisional[1] || f.Pending != pending {
		t.Fatalf("%s at %s = official %d/%d provisional %d/%d pending %d, want %v %v %d",
			id, code, f.Num, f.Den, f.Provisional.Num, f.Provisional.Den, f.Pending, official, provisional, pending)
	}
}

// wantStepRefused asserts a refusal of the code with why in its message,
// recorded in the audit trail of the fact's unit.
func wantStepRefused(t *testing.T, db *store.DB, err error, code, entity, key, why string) {
	t.Helper()
	if antq.ErrorCode(err) != code || !strings.Contains(antq.ErrorMessage(err), why) {
		t.Fatalf("got %v (%s), want %s with %q", err, antq.ErrorCode(err), code, why)
	}
	for _, r := range auditRows(t, db, entity, key) {
		if r.Action == "refused" && strings.Contains(r.Reason, why) {
			return
		}
	}
	t.Fatalf("refusal %q not in the audit trail of %s %s", why, entity, key)
}

func TestFactApproval(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		head := asUser(t, db, "kp1", antq.RoleDataEntry, "25195-KDC01")
		commune := asUser(t, db, "capx", antq.RoleReviewer, "25195")
		otherCommune := asUser(t, db, "xa2", antq.RoleReviewer, "25200")
		ownUnit := asUser(t, db, "kp1.ca", antq.RoleReviewer, "25195-KDC01")
		district := asUser(t, db, "cahuyen", antq.RoleReviewer, "689")
		province := asUser(t, db, "catinh", antq.RoleReviewer, "70")
		const area = "25195-KDC01"
		key := planID + "/" + area
		doc := &antq.DocumentRef{Number: "12/BC-KP1", Date: antq.MustDate("2023-02-01")}
		reg := antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}
		submit := func(ctx context.Context, code string, kind antq.FactKind, id int64) (*antq.Approval, error) {
			return db.StepFact(ctx, planID, code, kind, id, antq.ApprovalSubmit, "")
		}

		// Direct entry by a user starts as a draft and counts nowhere.
		r, err := db.PutRegistration(head, planID, area, reg)
		if err != nil || r.State != antq.FactDraft {
			t.Fatalf("registration by the head = %+v, %v; want a draft", r, err)
		}
		wantFigures(t, db, "", rules.IndicatorRegistration, [2]int64{0, 8}, [2]int64{0, 8}, 0)

		// No written record: refused with the field named.
		_, err = submit(head, area, antq.FactRegistration, 0)
		wantInvalid(t, err, "document")

		reg.Document = doc
		if _, err := db.PutRegistration(head, planID, area, reg); err != nil {
			t.Fatal(err)
		}
		if a, err := submit(head, area, antq.FactRegistration, 0); err != nil || a.State != antq.FactSubmitted || a.SubmittedBy != "kp1" {
			t.Fatalf("submit = %+v, %v", a, err)
		}
		// Submitted: provisional, waiting, not official; up the tree too.
		wantFigures(t, db, "", rules.IndicatorRegistration, [2]int64{0, 8}, [2]int64{1, 8}, 1)
		wantFigures(t, db, "25195", rules.IndicatorRegistration, [2]int64{0, 3}, [2]int64{1, 3}, 1)

		// A submitted fact waits: no change, no second submission.
		_, err = db.PutRegistration(head, planID, area, reg)
		wantCode(t, err, antq.ECONFLICT)
		_, err = submit(head, area, antq.FactRegistration, 0)
		wantStepRefused(t, db, err, antq.ECONFLICT, "registration", key, "Chỉ gửi duyệt")

		// Who may not approve: the data entry role, the unit itself, a
		// commune that does not manage the area.
		_, err = db.StepFact(head, planID, area, antq.FactRegistration, 0, antq.ApprovalApprove, "")
		wantStepRefused(t, db, err, antq.EFORBIDDEN, "registration", key, "không có quyền duyệt")
		_, err = db.StepFact(ownUnit, planID, area, antq.FactRegistration, 0, antq.ApprovalApprove, "")
		wantStepRefused(t, db, err, antq.EFORBIDDEN, "registration", key, "không tự duyệt")
		_, err = db.StepFact(otherCommune, planID, area, antq.FactRegistration, 0, antq.ApprovalApprove, "")
		wantCode(t, err, antq.ENOTFOUND) // outside its scope, the area does not exist for it

		// The commune returns it with a reason the submitter sees.
		_, err = db.StepFact(commune, planID, area, antq.FactRegistration, 0, antq.ApprovalReturn, " ")
		wantInvalid(t, err, "reason")
		if a, err := db.StepFact(commune, planID, area, antq.FactRegistration, 0, antq.ApprovalReturn, "Thiếu ngày ký biên bản"); err != nil || a.State != antq.FactReturned {
			t.Fatalf("return = %+v, %v", a, err)
		}
		_, facts, err := db.UnitFacts(head, planID, area)
		if err != nil || facts.Registration.State != antq.FactReturned || facts.Registration.ReturnReason != "Thiếu ngày ký biên bản" {
			t.Fatalf("the head sees %+v, %v", facts.Registration, err)
		}
		wantFigures(t, db, "", rules.IndicatorRegistration, [2]int64{0, 8}, [2]int64{0, 8}, 0)

		// Corrected and submitted again; the inbox lists it; approved.
		reg.Document = &antq.DocumentRef{Number: "12/BC-KP1", Date: antq.MustDate("2023-02-02")}
		if _, err := db.PutRegistration(head, planID, area, reg); err != nil {
			t.Fatal(err)
		}
		if _, err := submit(head, area, antq.FactRegistration, 0); err != nil {
			t.Fatal(err)
		}
		pending, total, err := db.PendingFacts(commune, planID, "25195", 0, 10)
		if err != nil || total != 1 || pending[0].Unit.Code != area || pending[0].Fact != antq.FactRegistration || pending[0].SubmittedBy != "kp1" {
			t.Fatalf("pending = %+v (%d), %v", pending, total, err)
		}
		if a, err := db.StepFact(commune, planID, area, antq.FactRegistration, 0, antq.ApprovalApprove, ""); err != nil || a.State != antq.FactApproved || a.ReturnReason != "" {
			t.Fatalf("approve = %+v, %v", a, err)
		}
		wantFigures(t, db, "", rules.IndicatorRegistration, [2]int64{1, 8}, [2]int64{1, 8}, 0)
		if _, total, _ := db.PendingFacts(commune, planID, "25195", 0, 10); total != 0 {
			t.Fatalf("pending after approval = %d", total)
		}

		// Approved is locked: no change, no withdrawal, until reopened.
		_, err = db.PutRegistration(head, planID, area, reg)
		wantCode(t, err, antq.ECONFLICT)
		wantCode(t, db.DeleteRegistration(head, planID, area), antq.ECONFLICT)
		_, err = db.StepFact(head, planID, area, antq.FactRegistration, 0, antq.ApprovalReopen, "sai ngày")
		wantStepRefused(t, db, err, antq.EFORBIDDEN, "registration", key, "không có quyền duyệt")
		_, err = db.StepFact(commune, planID, area, antq.FactRegistration, 0, antq.ApprovalReopen, "")
		wantInvalid(t, err, "reason")
		a, err := db.StepFact(commune, planID, area, antq.FactRegistration, 0, antq.ApprovalReopen, "Đơn vị báo sai ngày đăng ký")
		if err != nil || a.State != antq.FactDraft || !a.ChangedAfterApproval || a.ReopenReason == "" {
			t.Fatalf("reopen = %+v, %v", a, err)
		}
		wantFigures(t, db, "", rules.IndicatorRegistration, [2]int64{0, 8}, [2]int64{0, 8}, 0)
		if _, err := db.PutRegistration(head, planID, area, reg); err != nil {
			t.Fatalf("a reopened fact can change: %v", err)
		}
		_, facts, _ = db.UnitFacts(head, planID, area)
		if !facts.Registration.ChangedAfterApproval {
			t.Fatal("the change after approval is not marked")
		}

		// Whoever submits never approves, even with the role.
		if _, err := db.PutRegistration(district, planID, "25195-KDC02", reg); err != nil {
			t.Fatal(err)
		}
		if _, err := submit(district, "25195-KDC02", antq.FactRegistration, 0); err != nil {
			t.Fatal(err)
		}
		_, err = db.StepFact(district, planID, "25195-KDC02", antq.FactRegistration, 0, antq.ApprovalApprove, "")
		wantStepRefused(t, db, err, antq.EFORBIDDEN, "registration", planID+"/25195-KDC02", "Người gửi duyệt")
		if _, err := db.StepFact(commune, planID, "25195-KDC02", antq.FactRegistration, 0, antq.ApprovalApprove, ""); err != nil {
			t.Fatal(err)
		}

		// An organisation the district manages: the level above the
		// district (the province) approves, not the district.
		if _, err := db.PutPropaganda(district, planID, "689-DN001", antq.PropagandaInput{Reached: ptr[int64](48), AsOf: antq.MustDate("2023-10-01"), Document: doc,
			TotalReason: "tổng số theo rà soát thực tế"}); err != nil {
			t.Fatal(err)
		}
		if _, err := submit(district, "689-DN001", antq.FactPropaganda, 0); err != nil {
			t.Fatal(err)
		}
		wantFigures(t, db, "", rules.IndicatorPropagandaStaff, [2]int64{0, 6}, [2]int64{1, 6}, 1)
		_, err = db.StepFact(commune, planID, "689-DN001", antq.FactPropaganda, 0, antq.ApprovalApprove, "")
		wantCode(t, err, antq.ENOTFOUND)
		district2 := asUser(t, db, "cahuyen2", antq.RoleReviewer, "689")
		_, err = db.StepFact(district2, planID, "689-DN001", antq.FactPropaganda, 0, antq.ApprovalApprove, "")
		wantStepRefused(t, db, err, antq.EFORBIDDEN, "propaganda", planID+"/689-DN001", "cấp có thẩm quyền")
		if _, err := db.StepFact(province, planID, "689-DN001", antq.FactPropaganda, 0, antq.ApprovalApprove, ""); err != nil {
			t.Fatal(err)
		}
		wantFigures(t, db, "", rules.IndicatorPropagandaStaff, [2]int64{1, 6}, [2]int64{1, 6}, 0)

		// Models need no written record; bulk approval reports each fact.
		m, err := db.CreateModel(head, planID, area, antq.ModelInput{Name: ptr("Tổ tự quản"), Kind: ptr("tu_quan"), Status: ptr(antq.ModelNew), Effective: ptr(true),
			Assessment: &antq.ModelAssessment{On: antq.MustDate("2023-10-15"), By: "Công an phường", Basis: "Biên bản kiểm tra"}})
		if err != nil || m.State != antq.FactDraft {
			t.Fatalf("model = %+v, %v", m, err)
		}
		if _, err := submit(head, area, antq.FactModel, m.ID); err != nil {
			t.Fatal(err)
		}
		res, err := db.StepFacts(commune, planID, []store.FactRef{{Unit: area, Fact: antq.FactModel, ID: m.ID}, {Unit: area, Fact: antq.FactPropaganda}},
			antq.ApprovalApprove, "")
		if err != nil || len(res) != 2 || !res[0].OK || res[0].State != antq.FactApproved || res[1].OK || res[1].ErrorKey != antq.ENOTFOUND {
			t.Fatalf("bulk = %+v, %v", res, err)
		}

		// The command line's system actor loads facts of record: approved.
		if r, err := db.PutRegistration(sys, planID, "25200-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil || r.State != antq.FactApproved {
			t.Fatalf("system registration = %+v, %v", r, err)
		}
		assertRebuildEqual(t, db)
	})
}

// TestIncrementalEqualsRebuiltWithApproval extends the property test
// (indicator_test.go) with users' drafts, submissions, approvals, returns
// and reopenings, and decisions (recognitions and grades, replaced by new
// decisions): the official and provisional figures, the pooled household
// ratio and the pending counts maintained on write equal a rebuild after
// every few steps.
func TestIncrementalEqualsRebuiltWithApproval(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		if _, err := db.Rebuild(sys, planID); err != nil {
			t.Fatal(err)
		}
		units := []string{"689", "693", "25195", "25200", "25195-KDC01", "25195-KDC02", "25200-KDC01",
			"70-CQ001", "689-DN001", "689-DN002", "25195-TH01", "689-THCS01"}
		entry := asUser(t, db, "nhaplieu", antq.RoleReviewer, "689") // enters and submits
		approver := asUser(t, db, "catinh", antq.RoleReviewer, "70")
		entry2 := asUser(t, db, "nhaplieu2", antq.RoleReviewer, "693")
		writer := func(code string) context.Context {
			if code == "693" || strings.HasPrefix(code, "25200") {
				return entry2
			}
			if code == "70-CQ001" {
				return sys
			}
			return entry
		}
		kinds := []antq.FactKind{antq.FactRegistration, antq.FactPropaganda, antq.FactModel}
		actions := []antq.ApprovalAction{antq.ApprovalSubmit, antq.ApprovalSubmit, antq.ApprovalSubmit, antq.ApprovalApprove, antq.ApprovalApprove,
			antq.ApprovalReturn, antq.ApprovalReopen}
		doc := &antq.DocumentRef{Number: "1/BC", Date: antq.MustDate("2023-03-01")}
		rng := rand.New(rand.NewPCG(2023, 12))
		succeeded := map[string]int{}
		for step := range 600 {
			code := units[rng.IntN(len(units))]
			ctx := writer(code)
			var err error
			op := ""
			switch n := rng.IntN(13); {
			case n >= 10:
				// A decision (recognition or grade), by the command line as the
				// year-end loads them: a first decision, or a new one that
				// names the decision it replaces.
				op = "decision"
				num := fmt.Sprintf("%d/QĐ-UBND", step)
				doc := &antq.DocumentRef{Number: num, Date: antq.MustDate("2023-11-25")}
				_, facts, ferr := db.UnitFacts(sys, planID, code)
				if ferr != nil {
					t.Fatal(ferr)
				}
				if n == 12 {
					score := antq.Tenths([]int{950, 750, 550, 300}[rng.IntN(4)])
					g := antq.GradeRecord{Score: &score, Decision: doc}
					g.Grade = map[antq.Tenths]antq.Grade{950: antq.GradeExcellent, 750: antq.GradeGood, 550: antq.GradeAverage, 300: antq.GradeWeak}[score]
					if facts.Grade != nil && facts.Grade.Decision != nil {
						g.Replaces = facts.Grade.Decision.Number
					}
					_, err = db.PutGrade(sys, planID, code, g)
					break
				}
				rec := antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-25"), Decision: doc}
				if rng.IntN(3) == 0 {
					rec.Result = antq.RecognitionNotMet
				}
				if facts.Recognition != nil && facts.Recognition.Decision != nil {
					rec.Replaces = facts.Recognition.Decision.Number
				}
				_, err = db.PutRecognition(sys, planID, code, rec)
			case n == 0:
				op = "registration"
				_, err = db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-01"), Document: doc})
			case n == 1:
				op = "propaganda"
				total := int64(100 + rng.IntN(900))
				_, err = db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr(rng.Int64N(total + 1)), Total: &total, AsOf: antq.MustDate("2023-10-01"), Document: doc,
					TotalReason: "tổng số theo rà soát thực tế"})
			case n == 2:
				op = "model"
				_, err = db.CreateModel(ctx, planID, code, antq.ModelInput{Name: ptr("Mô hình"), Kind: ptr("tu_quan"), Status: ptr(antq.ModelNew), Effective: ptr(rng.IntN(3) > 0)})
			case n == 3:
				op = "delete"
				err = db.DeletePropaganda(ctx, planID, code)
			default:
				kind := kinds[rng.IntN(len(kinds))]
				action := actions[rng.IntN(len(actions))]
				op = string(action)
				var id int64
				if kind == antq.FactModel {
					ms, _ := db.ListModels(sys, planID, code)
					if len(ms) == 0 {
						continue
					}
					id = ms[rng.IntN(len(ms))].ID
				}
				by := ctx
				if action != antq.ApprovalSubmit {
					by = approver
				}
				_, err = db.StepFact(by, planID, code, kind, id, action, "kiểm thử")
			}
			if c := antq.ErrorCode(err); err != nil && c != antq.EINVALID && c != antq.ENOTFOUND && c != antq.ECONFLICT {
				t.Fatalf("step %d %s on %s: %v", step, op, code, err)
			}
			if err == nil {
				succeeded[op]++
			}
			if step%30 == 29 {
				assertRebuildEqual(t, db)
			}
		}
		assertRebuildEqual(t, db)
		for _, op := range []string{"registration", "propaganda", "model", "delete", "submit", "approve", "return", "reopen", "decision"} {
			if succeeded[op] == 0 {
				t.Errorf("%s never succeeded (%v)", op, succeeded)
			}
		}
	})
}
