package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// A form whose catalogue entry requires documents and public disclosure:
// submission is refused with what is missing named, the documents are the
// evidence files (same checks), locked once submitted, read in scope only;
// a person's standings in force on the day refuse the award with the rule
// named, and an ended standing no longer does.
func TestAwardDocumentsDisclosureStandings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		entry := asUser(t, db, "kp1", antq.RoleDataEntry, "25195")
		out := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		viewer := asUser(t, db, "xem", antq.RoleViewer, "70")
		p, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195-KDC01", FullName: "Phạm Văn Cường", BirthYear: 1970, Gender: antq.GenderMale,
			Role: "bao_ve_dan_pho", ServiceYears: 20, ServiceAsOf: antq.MustDate("2023-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		// A form without disclosure does not take a period.
		noDisc := dossier("giay_khen_chu_tich_xa", "", p.ID, "25195")
		noDisc.DisclosedFrom, noDisc.DisclosedTo = antq.MustDate("2024-02-01"), antq.MustDate("2024-02-10")
		_, err = db.CreateNomination(entry, noDisc)
		wantInvalid(t, err, "disclosed_from")

		const form = "bang_khen_chu_tich_tinh"
		n, err := db.CreateNomination(entry, dossier(form, "", p.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "documents", "disclosed_from")
		if msg := antq.ErrorFields(err)["documents"]; !strings.Contains(msg, "Tờ trình") || !strings.Contains(msg, "Báo cáo thành tích") || !strings.Contains(msg, "Biên bản") {
			t.Errorf("missing documents = %q", msg)
		}
		// Every reason at once: the dossier's own fields with its files
		// and its disclosure, all in the message too.
		blank := dossier(form, "", p.ID, "25195")
		blank.ProposalNumber = ""
		if _, err := db.UpdateNomination(entry, n.ID, blank); err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "proposal_number", "documents", "disclosed_from")
		if msg := antq.ErrorMessage(err); !strings.Contains(msg, "cần số tờ trình") || !strings.Contains(msg, "Biên bản") || !strings.Contains(msg, "công khai") {
			t.Errorf("the refusal's message does not list every reason: %q", msg)
		}
		if _, err := db.UpdateNomination(entry, n.ID, dossier(form, "", p.ID, "25195")); err != nil {
			t.Fatal(err)
		}

		// Uploads: the evidence checks apply; the kind is required.
		_, err = db.AddNominationDocument(entry, n.ID, antq.DocumentProposal, "totrinh.pdf", strings.NewReader("\x7fELF not a pdf"))
		wantInvalid(t, err, "file")
		_, err = db.AddNominationDocument(entry, n.ID, "bia", "totrinh.pdf", bytes.NewReader(pdf))
		wantInvalid(t, err, "kind")
		_, err = db.AddNominationDocument(entry, n.ID, antq.DocumentProposal, "totrinh.exe", bytes.NewReader(pdf))
		wantInvalid(t, err, "file")
		if _, err := db.AddNominationDocument(viewer, n.ID, antq.DocumentProposal, "totrinh.pdf", bytes.NewReader(pdf)); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("a viewer uploads: %v", err)
		}
		if _, err := db.AddNominationDocument(out, n.ID, antq.DocumentProposal, "totrinh.pdf", bytes.NewReader(pdf)); antq.ErrorCode(err) != antq.EFORBIDDEN && antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("another commune uploads: %v", err)
		}
		ids := map[antq.DocumentKind]int64{}
		for _, k := range []antq.DocumentKind{antq.DocumentProposal, antq.DocumentAchievements, antq.DocumentMinutes} {
			d, err := db.AddNominationDocument(entry, n.ID, k, string(k)+".pdf", bytes.NewReader(pdf))
			if err != nil {
				t.Fatal(err)
			}
			ids[k] = d.ID
		}
		if err := db.DeleteNominationDocument(entry, n.ID, ids[antq.DocumentMinutes]); err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "documents", "disclosed_from")
		if msg := antq.ErrorFields(err)["documents"]; !strings.Contains(msg, "Biên bản") || strings.Contains(msg, "Tờ trình") {
			t.Errorf("missing minutes = %q", msg)
		}
		if _, err := db.AddNominationDocument(entry, n.ID, antq.DocumentMinutes, "bienban.pdf", bytes.NewReader(pdf)); err != nil {
			t.Fatal(err)
		}
		in := dossier(form, "", p.ID, "25195")
		in.DisclosedFrom, in.DisclosedTo = antq.MustDate("2024-02-20"), antq.MustDate("2024-03-05")
		if _, err := db.UpdateNomination(entry, n.ID, in); err != nil {
			t.Fatal(err)
		}

		// Standings: an open prosecution refuses, named; a viewer cannot
		// record one; another commune does not see the person.
		prosecuted := antq.StandingInput{Standing: antq.StandingProsecuted, From: antq.MustDate("2024-01-15"), Source: "Quyết định khởi tố bị can số 12/QĐ-CSHS"}
		if _, err := db.AddStanding(viewer, p.ID, prosecuted); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("a viewer records a standing: %v", err)
		}
		if _, err := db.AddStanding(out, p.ID, prosecuted); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope standing: %v", err)
		}
		_, err = db.AddStanding(entry, p.ID, antq.StandingInput{Standing: "x", From: antq.MustDate("2030-01-01"), To: antq.MustDate("2029-01-01")})
		wantInvalid(t, err, "standing", "from", "source")
		st, err := db.AddStanding(entry, p.ID, prosecuted)
		if err != nil {
			t.Fatal(err)
		}
		// A review that ended before today does not count.
		if _, err := db.AddStanding(entry, p.ID, antq.StandingInput{Standing: antq.StandingDisciplinaryReview, From: antq.MustDate("2023-03-01"),
			To: antq.MustDate("2023-06-30"), Source: "Biên bản họp chi bộ"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "form_code")
		msg := antq.ErrorFields(err)["form_code"]
		if !strings.Contains(msg, "Tạm hoãn xét khen: đang bị điều tra, truy cứu trách nhiệm hình sự") || strings.Contains(msg, "kỷ luật") {
			t.Errorf("standing refusal = %q", msg)
		}
		// The medal excludes the prosecuted (TT 11/2021), named.
		m, err := db.CreateNomination(entry, dossier(medal, "", p.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.StepNomination(entry, m.ID, antq.NominationSubmit, antq.NominationStep{})
		wantInvalid(t, err, "form_code")
		if msg := antq.ErrorFields(err)["form_code"]; !strings.Contains(msg, "Không xét khen: đang bị truy cứu trách nhiệm hình sự") || !strings.Contains(msg, "11/2021") {
			t.Errorf("medal refusal = %q", msg)
		}
		if s := suggestionOf(suggestions(t, db, entry), "service", "25195-KDC01", p.ID); s != nil {
			t.Errorf("a prosecuted person suggested: %+v", s)
		}
		if list, err := db.PersonStandings(entry, p.ID); err != nil || len(list) != 2 {
			t.Fatalf("standings: %v %d", err, len(list))
		}
		if _, err := db.PersonStandings(out, p.ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("standings out of scope: %v", err)
		}
		// A standing recorded by mistake is deleted with a reason, which
		// the trail keeps with what was removed; out of scope it is not
		// found.
		wrong, err := db.AddStanding(entry, p.ID, antq.StandingInput{Standing: antq.StandingDismissed, From: antq.MustDate("2024-01-02"), Source: "Quyết định nhầm"})
		if err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, db.DeleteStanding(entry, p.ID, wrong.ID, " "), "reason")
		if err := db.DeleteStanding(out, p.ID, wrong.ID, "nhầm"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("delete out of scope: %v", err)
		}
		if err := db.DeleteStanding(entry, p.ID, wrong.ID, "ghi nhầm người"); err != nil {
			t.Fatal(err)
		}
		if list, err := db.PersonStandings(entry, p.ID); err != nil || len(list) != 2 {
			t.Fatalf("standings after the delete: %v %d", err, len(list))
		}
		if recs, err := db.AuditRecords(sys, store.AuditFilter{Entity: "person_standing", Action: "delete"}); err != nil || len(recs) != 1 ||
			recs[0].Reason != "ghi nhầm người" || recs[0].Old == nil || !strings.Contains(*recs[0].Old, "Quyết định nhầm") {
			t.Fatalf("the delete's audit: %+v %v", recs, err)
		}
		if err := db.DeleteStanding(entry, p.ID, wrong.ID, "lần nữa"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("deleted twice: %v", err)
		}
		_, err = db.CloseStanding(entry, p.ID, st.ID, antq.MustDate("2023-01-01"))
		wantInvalid(t, err, "to")
		if _, err := db.CloseStanding(entry, p.ID, st.ID, antq.MustDate("2024-02-28")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CloseStanding(entry, p.ID, st.ID, antq.MustDate("2024-02-28")); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("closed twice: %v", err)
		}
		if s := suggestionOf(suggestions(t, db, entry), "service", "25195-KDC01", p.ID); s == nil {
			t.Error("not suggested once the standing ended")
		}
		if n, err = db.StepNomination(entry, n.ID, antq.NominationSubmit, antq.NominationStep{}); err != nil || n.State != antq.NominationSubmitted {
			t.Fatalf("submit: %v %+v", err, n)
		}

		// Submitted: the documents are locked.
		if _, err := db.AddNominationDocument(entry, n.ID, antq.DocumentOther, "them.pdf", bytes.NewReader(pdf)); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("upload to a submitted dossier: %v", err)
		}
		if err := db.DeleteNominationDocument(entry, n.ID, ids[antq.DocumentProposal]); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("delete from a submitted dossier: %v", err)
		}
		// Download in scope, audited; another commune gets not found, and
		// a document id of another nomination too.
		d, f, err := db.OpenNominationDocument(viewer, n.ID, ids[antq.DocumentProposal])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(body, pdf) || d.Kind != antq.DocumentProposal || d.ContentType != "application/pdf" {
			t.Fatalf("downloaded %+v %q", d, body)
		}
		if _, _, err := db.OpenNominationDocument(out, n.ID, ids[antq.DocumentProposal]); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("download out of scope: %v", err)
		}
		other, err := db.CreateNomination(entry, dossier("giay_khen_chu_tich_xa", "", p.ID, "25195"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.OpenNominationDocument(entry, other.ID, ids[antq.DocumentProposal]); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("another nomination's document: %v", err)
		}
		if len(auditRows(t, db, "award_document", fmt.Sprintf("%d/%d", n.ID, ids[antq.DocumentProposal]))) < 2 {
			t.Error("the upload and the download are not audited")
		}
		if len(auditRows(t, db, "person_standing", fmt.Sprintf("%d/%d", p.ID, st.ID))) != 2 {
			t.Error("standing not audited")
		}

		// The public page shows the disclosed nominee, and neither the
		// standing nor the documents.
		pub, err := db.PublicNominations(context.Background(), "")
		if err != nil || len(pub) != 1 || pub[0].Candidate != "Phạm Văn Cường" {
			t.Fatalf("public: %v %+v", err, pub)
		}
		raw := fmt.Sprintf("%+v", *pub[0])
		for _, s := range []string{"12/QĐ-CSHS", "truy cứu", ".pdf"} {
			if strings.Contains(raw, s) {
				t.Errorf("public nominee shows %q", s)
			}
		}
	})
}

// The awards list of a unit on the 2023 plan: the unit resolved on the
// plan year's tree, so a nomination of a commune merged in 2025 is under
// its 2023 district.
func TestNominationsOnThePlanYearsTree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := antq.SystemContext(context.Background())
		if _, err := demo.LoadUnitsUnderNation(sys, db); err != nil {
			t.Fatal(err)
		}
		if _, applied, err := demo.LoadReform(sys, db); err != nil || !applied {
			t.Fatalf("reform: %v %v", applied, err)
		}
		in := dossier("giay_khen_chu_tich_huyen", "25195", 0, "689")
		in.PlanID = demo.PlanID
		n, err := db.CreateNomination(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"689", "25195"} {
			list, err := db.Nominations(sys, store.NominationFilter{PlanID: demo.PlanID, UnitCode: code})
			if err != nil || len(list) != 1 || list[0].ID != n.ID {
				t.Fatalf("2023 nominations under %s: %v %d", code, err, len(list))
			}
		}
		// Another 2023 district does not list it.
		if list, err := db.Nominations(sys, store.NominationFilter{PlanID: demo.PlanID, UnitCode: "690"}); err != nil || len(list) != 0 {
			t.Fatalf("2023 nominations under 690: %v %d", err, len(list))
		}
		// Today's plan: today's commune 25210 (Phường Đồng Xoài) under
		// today's province; the 2023 nomination is not in that year.
		if _, _, err := demo.LoadToday(sys, db); err != nil {
			t.Fatal(err)
		}
		today := dossier("giay_khen_chu_tich_xa", demo.TodayYearEndCommune, 0, demo.TodayYearEndCommune)
		today.PlanID = demo.TodayPlanID
		m, err := db.CreateNomination(sys, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{demo.TodayCode, demo.TodayYearEndCommune} {
			list, err := db.Nominations(sys, store.NominationFilter{PlanID: demo.TodayPlanID, UnitCode: code})
			if err != nil || len(list) != 1 || list[0].ID != m.ID {
				t.Fatalf("2026 nominations under %s: %v %d", code, err, len(list))
			}
		}
		if list, err := db.Nominations(sys, store.NominationFilter{PlanID: demo.PlanID, UnitCode: "689"}); err != nil || len(list) != 1 || list[0].ID != n.ID {
			t.Fatalf("2023 nominations under 689 after 2026's: %v %d", err, len(list))
		}
	})
}

func suggestions(t *testing.T, db *store.DB, ctx context.Context) []antq.AwardSuggestion {
	t.Helper()
	list, err := db.AwardSuggestions(ctx, planID, "")
	if err != nil {
		t.Fatal(err)
	}
	return list
}
