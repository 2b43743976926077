package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"antq"
	"antq/cluster"
	"antq/store"
	"antq/store/storetest"
)

const medal = "ky_niem_chuong_bao_ve_an_ninh_to_quoc"

// dossier is a complete nomination dossier for a candidate.
func dossier(form, unit string, person int64, by string) antq.NominationInput {
	return antq.NominationInput{PlanID: planID, FormCode: form, UnitCode: unit, PersonID: person, NominatedBy: by,
		Reasons: "Nhiều năm liền tham gia tuần tra, giữ gìn an ninh, trật tự ở khu dân cư", Achievements: "Báo cáo thành tích: tham gia 120 ca tuần tra, phát hiện 3 vụ việc",
		ProposalNumber: "15/TTr-UBND", ProposalDate: antq.MustDate("2024-01-10"), CouncilOn: antq.MustDate("2024-01-08"), VotesFor: 7, VotesAgainst: 1, VotesTotal: 9}
}

func suggestionOf(list []antq.AwardSuggestion, source, unit string, person int64) *antq.AwardSuggestion {
	for i := range list {
		if s := &list[i]; s.Source == source && s.UnitCode == unit && s.PersonID == person {
			return s
		}
	}
	return nil
}

func TestAwardNominationToDecision(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		entry := asUser(t, db, "kp1", antq.RoleDataEntry, "25195")
		board := asUser(t, db, "thiduatinh", antq.RoleReviewer, "70")
		out := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		viewer := asUser(t, db, "xem", antq.RoleViewer, "70")
		young, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195-KDC01", FullName: "Trần Văn Bình", BirthYear: 1985, Gender: antq.GenderMale,
			Role: "bao_ve_dan_pho", ServiceYears: 10, ServiceAsOf: antq.MustDate("2023-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		veteran, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195-KDC01", FullName: "Nguyễn Văn An", BirthYear: 1965, Gender: antq.GenderMale,
			Role: "bao_ve_dan_pho", ServiceYears: 16, ServiceAsOf: antq.MustDate("2023-12-31")})
		if err != nil {
			t.Fatal(err)
		}

		// Bad input names every field; a form not for collectives is refused.
		_, err = db.CreateNomination(entry, antq.NominationInput{VotesFor: 5, VotesTotal: 3})
		wantInvalid(t, err, "plan_id", "form_code", "unit_code", "nominated_by", "reasons", "votes_total")
		_, err = db.CreateNomination(entry, dossier(medal, "25195-KDC01", 0, "25195"))
		wantInvalid(t, err, "unit_code")
		if _, err := db.CreateNomination(viewer, dossier(medal, "", veteran.ID, "25195")); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("a viewer nominates: %v", err)
		}

		// Service years: 10 of the 15 a man needs, refused at submission
		// with the rule named; nothing changes.
		n, err := db.CreateNomination(entry, dossier(medal, "", young.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		if n.State != antq.NominationDraft || n.UnitCode != "25195-KDC01" || n.PersonName != "Trần Văn Bình" || n.Year != 2023 || n.FormName == "" {
			t.Fatalf("created %+v", n)
		}
		_, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "form_code")
		if msg := antq.ErrorFields(err)["form_code"]; !strings.Contains(msg, "cần ít nhất 15 năm công tác") || !strings.Contains(msg, "TT") {
			t.Errorf("service refusal = %q", msg)
		}
		if got, _ := db.Nomination(entry, n.ID); got.State != antq.NominationDraft {
			t.Fatalf("after a refused submission: %s", got.State)
		}

		// The veteran: a draft without its dossier cannot be submitted.
		in := dossier(medal, "", veteran.ID, "25195")
		in.ProposalNumber, in.VotesTotal, in.VotesFor, in.VotesAgainst = "", 0, 0, 0
		v, err := db.CreateNomination(entry, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateNomination(entry, in); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("a second nomination under way: %v", err)
		}
		_, err = db.StepNomination(entry, v.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "proposal_number", "votes_total")
		if v, err = db.UpdateNomination(entry, v.ID, dossier(medal, "", veteran.ID, "25195")); err != nil {
			t.Fatal(err)
		}
		if v, err = db.StepNomination(entry, v.ID, antq.NominationSubmit, antq.NominationStep{}); err != nil || v.State != antq.NominationSubmitted {
			t.Fatalf("submit: %v %+v", err, v)
		}
		// Submitted is locked for the nominator; deciding needs award:decide.
		if _, err := db.UpdateNomination(entry, v.ID, dossier(medal, "", veteran.ID, "25195")); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("a submitted dossier changed: %v", err)
		}
		step := antq.NominationStep{DecisionNumber: "1234/QĐ-BCA", DecisionDate: antq.MustDate("2024-02-20")}
		if _, err := db.StepNomination(entry, v.ID, antq.NominationDecide, step); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("data entry decides: %v", err)
		}
		_, err = db.StepNomination(board, v.ID, antq.NominationDecide, antq.NominationStep{DecisionDate: antq.MustDate("2030-01-01")})
		wantInvalid(t, err, "decision_number", "decision_date")
		if v, err = db.StepNomination(board, v.ID, antq.NominationDecide, step); err != nil {
			t.Fatal(err)
		}
		if v.State != antq.NominationDecided || v.DecisionNumber != "1234/QĐ-BCA" || v.DecisionAuthority != "Bộ trưởng Bộ Công an" {
			t.Fatalf("decided %+v", v)
		}
		// The year-end report's section IV lists it with its decision.
		props, err := db.AwardProposals(board, planID, "70")
		if err != nil || len(props) != 2 || !strings.Contains(props[1].Name, "Nguyễn Văn An") || !strings.Contains(props[1].Form, "Quyết định số 1234/QĐ-BCA") {
			t.Fatalf("report proposals: %v %+v", err, props)
		}
		// The decision locks it: no change, no second decision, no refusal.
		if _, err := db.UpdateNomination(board, v.ID, dossier(medal, "", veteran.ID, "25195")); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("a decided dossier changed: %v", err)
		}
		for _, a := range []antq.NominationAction{antq.NominationDecide, antq.NominationRefuse, antq.NominationSubmit, antq.NominationReturn} {
			if _, err := db.StepNomination(board, v.ID, a, antq.NominationStep{DecisionNumber: "9/QĐ", DecisionDate: antq.MustDate("2024-02-21"), Reason: "x"}); antq.ErrorCode(err) != antq.ECONFLICT {
				t.Fatalf("%s on a decided award: %v", a, err)
			}
		}

		// Once in a lifetime: a new nomination for the medal is refused at
		// submission, the rule named.
		again, err := db.CreateNomination(entry, dossier(medal, "", veteran.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, again.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "form_code")
		if msg := antq.ErrorFields(err)["form_code"]; !strings.Contains(msg, "chỉ trao một lần") {
			t.Errorf("once-only refusal = %q", msg)
		}

		// Public disclosure: a submitted nomination within its period is on
		// the public page (without login), one outside it is not.
		// (Only forms whose catalogue entry requires disclosure ask for it.)
		shown := dossier("bang_khen_chu_tich_tinh", "", young.ID, "25195")
		shown.DisclosedFrom, shown.DisclosedTo = antq.MustDate("2024-02-20"), antq.MustDate("2024-03-05")
		sn, err := db.CreateNomination(entry, shown)
		if err != nil {
			t.Fatal(err)
		}
		late := dossier("bang_khen_bo_truong_bo_cong_an", "", young.ID, "25195")
		late.DisclosedFrom, late.DisclosedTo = antq.MustDate("2024-03-10"), antq.MustDate("2024-03-20")
		if _, err := db.CreateNomination(entry, late); err != nil {
			t.Fatal(err)
		}
		pub, err := db.PublicNominations(context.Background(), "")
		if err != nil || len(pub) != 1 || pub[0].ID != sn.ID || pub[0].Candidate != "Trần Văn Bình" {
			t.Fatalf("public nominations: %v %+v", err, pub)
		}
		if pub, err := db.PublicNominations(context.Background(), "25200"); err != nil || len(pub) != 0 {
			t.Fatalf("public nominations of another commune: %v %+v", err, pub)
		}

		// Scope: another commune's reviewer does not see it.
		if _, err := db.Nomination(out, v.ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		if list, err := db.Nominations(out, store.NominationFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("out of scope list: %v %d", err, len(list))
		}
		if _, err := db.StepNomination(out, v.ID, antq.NominationCancel, antq.NominationStep{Reason: "x"}); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope cancel: %v", err)
		}
		if list, err := db.AwardHistory(board, veteran.ID, ""); err != nil || len(list) != 2 {
			t.Fatalf("history: %v %d", err, len(list))
		}

		// Cancellation needs its reason; then the medal may be proposed again.
		_, err = db.StepNomination(board, v.ID, antq.NominationCancel, antq.NominationStep{})
		wantInvalid(t, err, "reason")
		v, err = db.StepNomination(board, v.ID, antq.NominationCancel, antq.NominationStep{Reason: "Khai không đúng số năm công tác",
			Recovery: "Đã thu hồi hiện vật và tiền thưởng", CancelledOn: antq.MustDate("2024-02-28")})
		if err != nil || v.State != antq.NominationCancelled || v.Recovery == "" || v.CancelledOn != antq.MustDate("2024-02-28") || v.DecisionNumber != "1234/QĐ-BCA" {
			t.Fatalf("cancelled: %v %+v", err, v)
		}
		if _, err := db.StepNomination(entry, again.ID, antq.NominationSubmit, antq.NominationStep{}); err != nil {
			t.Fatalf("after the cancellation: %v", err)
		}
		var steps []string
		for _, r := range auditRows(t, db, "award_nomination", fmt.Sprint(v.ID)) {
			if r.Action != "read" {
				steps = append(steps, r.Action)
			}
		}
		if got := strings.Join(steps, ","); got != "create,update,submit,decide,cancel" {
			t.Errorf("audited %s", got)
		}
	})
}

func TestAwardSuggestionsFollowTheFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		board := asUser(t, db, "thiduatinh", antq.RoleReviewer, "70")
		out := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		const code = "25195-KDC01"
		if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-10")}); err != nil {
			t.Fatal(err)
		}
		veteran, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: code, FullName: "Nguyễn Văn An", BirthYear: 1965, Gender: antq.GenderMale,
			Role: "bao_ve_dan_pho", ServiceYears: 16, ServiceAsOf: antq.MustDate("2023-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		suggest := func(ctx context.Context) []antq.AwardSuggestion {
			t.Helper()
			list, err := db.AwardSuggestions(ctx, planID, "") // the caller's unit
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		if s := suggestionOf(suggest(board), "grade", code, 0); s != nil {
			t.Fatalf("suggested before any grade: %+v", s)
		}
		s := suggestionOf(suggest(board), "service", code, veteran.ID)
		if s == nil || s.FormCode != medal || !strings.Contains(s.Why, "16 năm công tác") {
			t.Fatalf("service suggestion %+v", s)
		}
		rec := &antq.DocumentRef{Number: "120/QĐ-UBND", Date: antq.MustDate("2023-11-25"), Issuer: "UBND phường Tân Phú"}
		if _, err := db.PutRecognition(sys, planID, code, antq.Recognition{Result: antq.RecognitionMet, DecidedOn: rec.Date, Decision: rec}); err != nil {
			t.Fatal(err)
		}
		// A grade without a decision is not an official figure.
		score := antq.Tenths(950)
		if _, err := db.PutGrade(sys, planID, code, antq.GradeRecord{Grade: antq.GradeExcellent, Score: &score}); err != nil {
			t.Fatal(err)
		}
		if s := suggestionOf(suggest(board), "grade", code, 0); s != nil {
			t.Fatalf("suggested on an undecided grade: %+v", s)
		}
		g1 := &antq.DocumentRef{Number: "140/QĐ-UBND", Date: antq.MustDate("2023-11-28")}
		if _, err := db.PutGrade(sys, planID, code, antq.GradeRecord{Grade: antq.GradeExcellent, Score: &score, Decision: g1}); err != nil {
			t.Fatal(err)
		}
		s = suggestionOf(suggest(board), "grade", code, 0)
		if s == nil || !strings.Contains(s.Why, "120/QĐ-UBND") || !strings.Contains(s.Why, "140/QĐ-UBND") || !strings.Contains(s.Why, "Xuất sắc") {
			t.Fatalf("grade suggestion %+v", s)
		}
		if s := suggestionOf(suggest(out), "grade", code, 0); s != nil {
			t.Fatalf("out of scope: %+v", s)
		}
		// Nominated: the suggestion points at the nomination.
		n, err := db.CreateNomination(board, dossier("giay_khen_chu_tich_huyen", code, 0, "689"))
		if err != nil {
			t.Fatal(err)
		}
		if s := suggestionOf(suggest(board), "grade", code, 0); s == nil || s.NominationID != n.ID {
			t.Fatalf("nominated suggestion %+v", s)
		}
		// A new decision grading it "Khá": the suggestion goes.
		good := antq.Tenths(750)
		if _, err := db.PutGrade(sys, planID, code, antq.GradeRecord{Grade: antq.GradeGood, Score: &good, Replaces: g1.Number,
			Decision: &antq.DocumentRef{Number: "150/QĐ-UBND", Date: antq.MustDate("2023-12-05")}}); err != nil {
			t.Fatal(err)
		}
		if s := suggestionOf(suggest(board), "grade", code, 0); s != nil {
			t.Fatalf("still suggested after the grade went to Khá: %+v", s)
		}
		// A cluster's vote: the leader for the province's Cờ thi đua, with
		// its votes. ClusterNominations needs the whole cluster in sight: the
		// province's board sees it, a commune's reviewer does not.
		c := newCluster(t, db, sys)
		if _, err := db.RecordNomination(sys, c.ID, cluster.NominationInput{Unit: "689", Award: cluster.AwardFlag, MeetingOn: antq.MustDate("2023-12-28"), Present: 2, VotesFor: 2}); err != nil {
			t.Fatal(err)
		}
		s = suggestionOf(suggest(board), "cluster", "689", 0)
		if s == nil || s.FormCode != "co_thi_dua_ubnd_tinh" || !strings.Contains(s.Why, "Cụm thi đua số 1") || !strings.Contains(s.Why, "2/2 phiếu") {
			t.Fatalf("cluster suggestion %+v", s)
		}
		// A published exemplary case of the year: its person is suggested.
		e, err := db.CreateExemplar(sys, antq.ExemplarInput{UnitCode: code, Subject: antq.SubjectPerson, PersonID: veteran.ID, Title: "Bắt quả tang trộm xe máy",
			Deed: "Phát hiện, hô hoán và cùng bà con bắt giữ hai đối tượng trộm xe máy", OccurredOn: antq.MustDate("2023-06-12"), Place: "Khu phố 1",
			Story: caseStory, Source: "Công an phường Tân Phú"})
		if err != nil {
			t.Fatal(err)
		}
		if s := suggestionOf(suggest(board), "exemplar", code, veteran.ID); s != nil {
			t.Fatalf("suggested before publication: %+v", s)
		}
		for _, st := range []struct {
			a antq.ExemplarAction
			s antq.ExemplarStep
		}{{antq.ExemplarReview, antq.ExemplarStep{}}, {antq.ExemplarConsent, antq.ExemplarStep{Consent: &antq.Consent{On: antq.MustDate("2023-07-01"), By: "Nguyễn Văn An", Document: "Phiếu đồng ý"}}},
			{antq.ExemplarPublish, antq.ExemplarStep{}}} {
			if _, err := db.StepExemplar(sys, e.ID, st.a, st.s); err != nil {
				t.Fatal(err)
			}
		}
		if s := suggestionOf(suggest(board), "exemplar", code, veteran.ID); s == nil || !strings.Contains(s.Why, "Bắt quả tang trộm xe máy") {
			t.Fatalf("exemplar suggestion %+v", s)
		}

		// The medal decided: no longer suggested for it.
		m, err := db.CreateNomination(board, dossier(medal, "", veteran.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepNomination(board, m.ID, antq.NominationSubmit, antq.NominationStep{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepNomination(board, m.ID, antq.NominationDecide, antq.NominationStep{DecisionNumber: "1/QĐ-BCA", DecisionDate: antq.MustDate("2024-02-01")}); err != nil {
			t.Fatal(err)
		}
		if s := suggestionOf(suggest(board), "service", code, veteran.ID); s != nil {
			t.Fatalf("suggested after the medal: %+v", s)
		}
	})
}
