package store_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// jpegBytes is the smallest file the photo check takes as a JPEG.
var jpegBytes = append([]byte("\xFF\xD8\xFF\xE0"), bytes.Repeat([]byte{0}, 60)...)

const caseStory = "Trong đêm 12/6/2023, ông phát hiện hai đối tượng lạ đang cạy khóa xe máy trước nhà dân, đã hô hoán bà con cùng tổ bảo vệ an ninh khống chế, giao cho Công an phường."

func caseInput(code string, subject antq.ExemplarSubject) antq.ExemplarInput {
	return antq.ExemplarInput{UnitCode: code, Subject: subject, Title: "Bắt quả tang trộm xe máy", Deed: "Phát hiện, hô hoán và cùng bà con bắt giữ hai đối tượng trộm xe máy",
		OccurredOn: antq.MustDate("2023-06-12"), Place: "Khu phố 1, phường Tân Phú", Story: caseStory, Source: "Công an phường Tân Phú"}
}

func TestExemplars(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		entry := asUser(t, db, "kp1", antq.RoleDataEntry, "25195")
		reviewer := asUser(t, db, "thamtra", antq.RoleReviewer, "25195")
		out := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		p, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195-KDC01", FullName: "Nguyễn Văn An", BirthYear: 1968, Gender: antq.GenderMale, Role: "to_bao_ve_antt"})
		if err != nil {
			t.Fatal(err)
		}
		// Bad input: every field named, nothing written.
		_, err = db.CreateExemplar(entry, antq.ExemplarInput{UnitCode: "25195-KDC01", Subject: antq.SubjectPerson, OccurredOn: antq.MustDate("2030-01-01")})
		wantInvalid(t, err, "person_id", "title", "deed", "place", "story", "source", "occurred_on")
		in := caseInput("25195-KDC01", antq.SubjectPerson)
		in.PersonID = p.ID
		e, err := db.CreateExemplar(entry, in)
		if err != nil {
			t.Fatal(err)
		}
		if e.State != antq.ExemplarReported || e.PersonName != "Nguyễn Văn An" || e.ReportedBy != "kp1" {
			t.Fatalf("reported %+v", e)
		}
		// A person out of the reporter's scope cannot be named.
		foreign, err := db.CreatePerson(sys, antq.PersonInput{UnitCode: "25200-KDC01", FullName: "Người Ngoài", BirthYear: 1970, Gender: antq.GenderMale, Role: "cong_dan"})
		if err != nil {
			t.Fatal(err)
		}
		in2 := in
		in2.PersonID = foreign.ID
		_, err = db.CreateExemplar(entry, in2)
		wantInvalid(t, err, "person_id")
		if _, err := db.Exemplar(out, e.ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		if _, err := db.AddExemplarPhoto(entry, e.ID, "anh.jpg", "Ông An nhận giấy khen", bytes.NewReader(jpegBytes)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddExemplarPhoto(entry, e.ID, "anh.jpg", "", strings.NewReader("không phải ảnh")); antq.ErrorCode(err) != antq.EINVALID {
			t.Fatalf("a text as a photo: %v", err)
		}
		// Steps: data entry cannot review; the reporter cannot review his
		// own; publishing needs the consent.
		if _, err := db.StepExemplar(entry, e.ID, antq.ExemplarReview, antq.ExemplarStep{}); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("data entry reviews: %v", err)
		}
		own, err := db.CreateExemplar(reviewer, caseInput("25195", antq.SubjectCollective))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepExemplar(reviewer, own.ID, antq.ExemplarReview, antq.ExemplarStep{}); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("own case reviewed: %v", err)
		}
		if _, err := db.StepExemplar(reviewer, e.ID, antq.ExemplarPublish, antq.ExemplarStep{}); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("published before review: %v", err)
		}
		if got, err := db.Exemplar(reviewer, e.ID); err != nil || len(got.Photos) != 1 {
			t.Fatalf("read: %v", err)
		}
		if _, err := db.StepExemplar(reviewer, e.ID, antq.ExemplarReview, antq.ExemplarStep{Note: "Đã xác minh với Công an phường"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.StepExemplar(reviewer, e.ID, antq.ExemplarPublish, antq.ExemplarStep{})
		wantInvalid(t, err, "consent")
		pub, err := db.PublicCases(context.Background(), "")
		if err != nil || len(pub) != 0 {
			t.Fatalf("unpublished on the public list: %v %d", err, len(pub))
		}
		_, err = db.StepExemplar(entry, e.ID, antq.ExemplarConsent, antq.ExemplarStep{Consent: &antq.Consent{On: antq.MustDate("2030-01-01")}})
		wantInvalid(t, err, "consent_by", "consent_document", "consent_on")
		// Consent to the photos but not to the name or the birth year.
		if _, err := db.StepExemplar(entry, e.ID, antq.ExemplarConsent, antq.ExemplarStep{Consent: &antq.Consent{On: antq.MustDate("2023-08-10"), By: "Nguyễn Văn An", Document: "Phiếu đồng ý ngày 10/08/2023", Photos: true}}); err != nil {
			t.Fatal(err)
		}
		if e, err = db.StepExemplar(reviewer, e.ID, antq.ExemplarPublish, antq.ExemplarStep{}); err != nil || e.State != antq.ExemplarPublished {
			t.Fatalf("publish: %v", err)
		}
		pub, err = db.PublicCases(context.Background(), "689")
		if err != nil || len(pub) != 1 {
			t.Fatalf("public list: %v %d", err, len(pub))
		}
		pc := pub[0]
		if pc.Shown != "N.V.A." || pc.BirthYear != 0 || pc.CommuneName != "Phường Tân Phú" || pc.ProvinceName != "Tỉnh Bình Phước" || len(pc.Photos) != 1 {
			t.Fatalf("public case %+v", pc)
		}
		if pub, _ := db.PublicCases(context.Background(), "693"); len(pub) != 0 {
			t.Fatalf("another district lists the case")
		}
		ph, f, err := db.OpenPublicPhoto(context.Background(), e.ID, pc.Photos[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(body, jpegBytes) || ph.ContentType != "image/jpeg" {
			t.Fatalf("photo %+v", ph)
		}
		// Published: consent and photos are frozen until withdrawn.
		if _, err := db.AddExemplarPhoto(entry, e.ID, "anh2.png", "", strings.NewReader("\x89PNG\r\n\x1a\n0000000000")); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("photo added after publication: %v", err)
		}
		if _, err := db.StepExemplar(reviewer, e.ID, antq.ExemplarWithdraw, antq.ExemplarStep{}); antq.ErrorCode(err) != antq.EINVALID {
			t.Fatalf("withdrawn without a reason: %v", err)
		}
		if _, err := db.StepExemplar(reviewer, e.ID, antq.ExemplarWithdraw, antq.ExemplarStep{Note: "Người được nêu rút lại sự đồng ý"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublicCase(context.Background(), e.ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("withdrawn case public: %v", err)
		}
		if _, _, err := db.OpenPublicPhoto(context.Background(), e.ID, pc.Photos[0].ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("withdrawn case's photo public: %v", err)
		}
		steps := map[string]bool{}
		for _, r := range auditRows(t, db, "exemplar", "") {
			steps[r.Action] = true
		}
		for _, a := range []string{"create", "review", "consent", "publish", "withdraw", "read"} {
			if !steps[a] {
				t.Errorf("no %s in the audit trail: %v", a, steps)
			}
		}
	})
}
