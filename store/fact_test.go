package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

const planID = "binh-phuoc-2023"

// factFixture is a small Bình Phước: two districts, two communes with
// residential areas, organisations at every level, some ineligible.
const factFixture = `level,code,name,type,parent_code,households,staff,pupils,small_enterprise,primary_school,armed_forces
province,70,Tỉnh Bình Phước,Tỉnh,,,,,,,
district,689,Thành phố Đồng Xoài,Thành phố,70,,,,,,
district,693,Huyện Bù Đăng,Huyện,70,,,,,,
commune,25195,Phường Tân Phú,Phường,689,1000,,,,,
commune,25200,Xã Đoàn Kết,Xã,693,800,,,,,
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,,,,
residential_area,25195-KDC02,Khu phố 2,Khu phố,25195,600,,,,,
residential_area,25200-KDC01,Ấp 1,Ấp,25200,800,,,,,
agency,70-CQ001,Sở Tư pháp,Sở,70,,120,,,,
agency,70-CQ002,Ban Chỉ huy Quân sự tỉnh,Cơ quan,70,,80,,,,x
enterprise,689-DN001,Công ty TNHH An Phú,Công ty,689,,50,,,,
enterprise,689-DN002,Công ty TNHH Bình Minh,Công ty,689,,8,,x,,
school,25195-TH01,Trường Tiểu học Tân Phú,Trường,25195,,30,500,,x,
school,689-THCS01,Trường THCS Tân Phú,Trường,689,,40,900,,,
`

// loadFacts imports the fixture (valid from 2022-01-01) and fixes the clock
// in 2024, after the plan year.
func loadFacts(t *testing.T, db *store.DB) context.Context {
	t.Helper()
	mustImportText(t, db, factFixture, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
	storetest.Clock(db).Set(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
	return antq.SystemContext(context.Background())
}

// wantInvalid asserts err is EINVALID with a reason on each named field.
func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	if antq.ErrorCode(err) != antq.EINVALID {
		t.Fatalf("got %v, want an invalid-input error on %v", err, fields)
	}
	got := antq.ErrorFields(err)
	for _, f := range fields {
		if got[f] == "" {
			t.Errorf("no reason for field %q in %v", f, got)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if antq.ErrorCode(err) != code {
		t.Fatalf("got %v (%s), want code %s", err, antq.ErrorCode(err), code)
	}
}

// auditRows returns the audit records for an entity key.
func auditRows(t *testing.T, db *store.DB, entity, key string) []store.AuditRecord {
	t.Helper()
	recs, err := db.AuditRecords(antq.SystemContext(context.Background()), store.AuditFilter{Entity: entity, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestRegistration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		doc := &antq.DocumentRef{Number: "05/ĐK-CAX", Date: antq.MustDate("2023-03-10"), Issuer: "Công an phường Tân Phú"}
		reg, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-15"), Document: doc})
		if err != nil {
			t.Fatal(err)
		}
		if reg.UpdatedBy != "system" || reg.Document.Number != "05/ĐK-CAX" {
			t.Fatalf("registration = %+v", reg)
		}
		// Replacing it is audited with old → new.
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-20")}); err != nil {
			t.Fatal(err)
		}
		recs := auditRows(t, db, "registration", planID+"/25195-KDC01")
		if len(recs) != 2 || recs[1].Action != "update" || recs[1].Old == nil || !strings.Contains(*recs[1].Old, "2023-03-15") || !strings.Contains(*recs[1].New, "2023-03-20") {
			t.Fatalf("audit = %+v", recs)
		}

		for _, tt := range []struct {
			name, code string
			in         antq.Registration
			fields     []string
			reason     string
		}{
			{"small enterprise excluded", "689-DN002", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}, []string{"unit"}, "doanh nghiệp nhỏ"},
			{"armed forces excluded", "70-CQ002", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}, []string{"unit"}, "lực lượng vũ trang"},
			{"primary school excluded", "25195-TH01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}, []string{"unit"}, "tiểu học"},
			{"district not covered", "689", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}, []string{"unit"}, "124/2021/TT-BCA"},
			{"date missing", "25195", antq.Registration{}, []string{"registered_on"}, ""},
			{"date before window", "25195", antq.Registration{RegisteredOn: antq.MustDate("2022-11-15")}, []string{"registered_on"}, "ngoài kỳ đánh giá"},
			{"date after window", "25195-KDC02", antq.Registration{RegisteredOn: antq.MustDate("2023-11-01")}, []string{"registered_on"}, "ngoài kỳ đánh giá"},
			{"document without number", "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01"), Document: &antq.DocumentRef{Issuer: "x"}}, []string{"document.number"}, ""},
			{"document in the future", "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01"), Document: &antq.DocumentRef{Number: "1/ĐK", Date: antq.MustDate("2030-01-01")}}, []string{"document.date"}, "tương lai"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.PutRegistration(ctx, planID, tt.code, tt.in)
				wantInvalid(t, err, tt.fields...)
				if tt.reason != "" && !strings.Contains(strings.ToLower(antq.ErrorFields(err)[tt.fields[0]]), strings.ToLower(tt.reason)) {
					t.Errorf("reason %q does not mention %q", antq.ErrorFields(err)[tt.fields[0]], tt.reason)
				}
				if _, facts, _ := db.UnitFacts(ctx, planID, tt.code); facts != nil && facts.Registration != nil {
					t.Errorf("a refused registration was written: %+v", facts.Registration)
				}
			})
		}
		_, err = db.PutRegistration(ctx, "no-such-plan", "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
		wantCode(t, err, antq.ENOTFOUND)
		_, err = db.PutRegistration(ctx, planID, "99999", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
		wantCode(t, err, antq.ENOTFOUND)

		// Withdrawal.
		if err := db.DeleteRegistration(ctx, planID, "25195-KDC01"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.DeleteRegistration(ctx, planID, "25195-KDC01"), antq.ENOTFOUND)
		if recs := auditRows(t, db, "registration", planID+"/25195-KDC01"); recs[len(recs)-1].Action != "delete" || recs[len(recs)-1].New != nil {
			t.Fatalf("withdrawal audit = %+v", recs[len(recs)-1])
		}
	})
}

func TestPropaganda(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		// Total defaults to the unit's size: households of an area...
		p, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](350), AsOf: antq.MustDate("2023-10-31")})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 400 {
			t.Fatalf("total = %d, want the area's 400 households", p.Total)
		}
		// ... staff plus pupils of a school.
		p, err = db.PutPropaganda(ctx, planID, "689-THCS01", antq.PropagandaInput{Reached: ptr[int64](900), AsOf: antq.MustDate("2023-10-31")})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 940 {
			t.Fatalf("total = %d, want 40 staff + 900 pupils", p.Total)
		}
		for _, tt := range []struct {
			name, code string
			in         antq.PropagandaInput
			fields     []string
		}{
			{"reached above total", "25195", antq.PropagandaInput{Reached: ptr[int64](1200), Total: ptr[int64](1000), AsOf: antq.MustDate("2023-10-01")}, []string{"reached"}},
			{"reached above default total", "25195-KDC02", antq.PropagandaInput{Reached: ptr[int64](601), AsOf: antq.MustDate("2023-10-01")}, []string{"reached"}},
			{"negative", "25195", antq.PropagandaInput{Reached: ptr[int64](-1), Total: ptr[int64](1000), AsOf: antq.MustDate("2023-10-01")}, []string{"reached"}},
			{"zero total", "25195", antq.PropagandaInput{Reached: ptr[int64](0), Total: ptr[int64](0), AsOf: antq.MustDate("2023-10-01")}, []string{"total"}},
			{"missing reached and date", "25195", antq.PropagandaInput{}, []string{"reached", "as_of"}},
			{"outside window", "25195", antq.PropagandaInput{Reached: ptr[int64](1), Total: ptr[int64](2), AsOf: antq.MustDate("2023-12-01")}, []string{"as_of"}},
			{"district has no figure", "689", antq.PropagandaInput{Reached: ptr[int64](1), Total: ptr[int64](2), AsOf: antq.MustDate("2023-10-01")}, []string{"unit"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.PutPropaganda(ctx, planID, tt.code, tt.in)
				wantInvalid(t, err, tt.fields...)
			})
		}
		if err := db.DeletePropaganda(ctx, planID, "25195-KDC01"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.DeletePropaganda(ctx, planID, "25195-KDC01"), antq.ENOTFOUND)
	})
}

func TestModelsAndIncidents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		m, err := db.CreateModel(ctx, planID, "25195", antq.ModelInput{Name: ptr("Camera an ninh"), Kind: ptr("tu_bao_ve"),
			Status: ptr(antq.ModelNew), StartedOn: ptr(antq.MustDate("2023-04-01")), Members: ptr[int64](12)})
		if err != nil {
			t.Fatal(err)
		}
		if m.Effective || m.Assessment != nil || m.ID == 0 {
			t.Fatalf("model = %+v (a new model starts not yet assessed)", m)
		}
		// Effective only with an explicit assessment: who, when, on what basis.
		_, err = db.UpdateModel(ctx, planID, "25195", m.ID, antq.ModelInput{Effective: ptr(true)})
		wantInvalid(t, err, "effective")
		a := &antq.ModelAssessment{On: antq.MustDate("2023-10-15"), By: "Công an phường", Basis: "Biên bản kiểm tra 3/BB"}
		m1, err := db.UpdateModel(ctx, planID, "25195", m.ID, antq.ModelInput{Effective: ptr(true), Assessment: a})
		if err != nil || !m1.Effective || m1.Assessment == nil || *m1.Assessment != *a {
			t.Fatalf("assessed model = %+v, %v", m1, err)
		}
		if models, err := db.ListModels(ctx, planID, "25195"); err != nil || models[0].Assessment == nil || *models[0].Assessment != *a {
			t.Fatalf("stored assessment = %+v, %v", models, err)
		}
		m2, err := db.UpdateModel(ctx, planID, "25195", m.ID, antq.ModelInput{Effective: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if m2.Effective || m2.Name != "Camera an ninh" {
			t.Fatalf("patched model = %+v", m2)
		}
		for _, tt := range []struct {
			name   string
			in     antq.ModelInput
			fields []string
		}{
			{"missing fields", antq.ModelInput{}, []string{"name", "kind", "status"}},
			{"unknown kind", antq.ModelInput{Name: ptr("X"), Kind: ptr("tu_bay"), Status: ptr(antq.ModelNew)}, []string{"kind"}},
			{"unknown status", antq.ModelInput{Name: ptr("X"), Kind: ptr("khac"), Status: ptr(antq.ModelStatus("old"))}, []string{"status"}},
			{"negative members", antq.ModelInput{Name: ptr("X"), Kind: ptr("khac"), Status: ptr(antq.ModelMaintained), Members: ptr[int64](-3)}, []string{"members"}},
			{"new model started before the window", antq.ModelInput{Name: ptr("X"), Kind: ptr("khac"), Status: ptr(antq.ModelNew), StartedOn: ptr(antq.MustDate("2020-01-01"))}, []string{"started_on"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.CreateModel(ctx, planID, "25195", tt.in)
				wantInvalid(t, err, tt.fields...)
			})
		}
		// A model id of another unit does not exist from this unit's path.
		_, err = db.UpdateModel(ctx, planID, "25200", m.ID, antq.ModelInput{Effective: ptr(true)})
		wantCode(t, err, antq.ENOTFOUND)
		wantCode(t, db.DeleteModel(ctx, planID, "25200", m.ID), antq.ENOTFOUND)
		if err := db.DeleteModel(ctx, planID, "25195", m.ID); err != nil {
			t.Fatal(err)
		}
		models, err := db.ListModels(ctx, planID, "25195")
		if err != nil || len(models) != 0 {
			t.Fatalf("models after delete = %v, %v", models, err)
		}

		inc, err := db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-02"),
			Category: "veto.e", Description: "Tranh chấp đất đai kéo dài", Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-02"), Category: "earthquake"})
		wantInvalid(t, err, "category", "description")
		wantCode(t, db.DeleteIncident(ctx, planID, "25195-KDC02", inc.ID), antq.ENOTFOUND)
		if err := db.DeleteIncident(ctx, planID, "25195-KDC01", inc.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRecognitionAndGrade(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		rec := antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-25"),
			Decision: &antq.DocumentRef{Number: "120/QĐ-UBND", Date: antq.MustDate("2023-11-25"), Issuer: "UBND phường Tân Phú"}}
		_, err := db.PutRecognition(ctx, planID, "25195-KDC01", rec)
		wantInvalid(t, err, "unit") // not registered yet
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-10")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutRecognition(ctx, planID, "25195-KDC01", rec); err != nil {
			t.Fatal(err)
		}
		_, err = db.PutRecognition(ctx, planID, "25195-KDC01", antq.Recognition{Result: "dat roi", DecidedOn: antq.MustDate("2026-01-01")})
		wantInvalid(t, err, "result", "decided_on")
		// A recognised unit cannot silently withdraw its registration.
		wantCode(t, db.DeleteRegistration(ctx, planID, "25195-KDC01"), antq.ECONFLICT)

		score := antq.Tenths(925)
		g, err := db.PutGrade(ctx, planID, "25195-KDC01", antq.GradeRecord{Grade: antq.GradeExcellent, Score: &score})
		if err != nil {
			t.Fatal(err)
		}
		if *g.Score != 925 {
			t.Fatalf("score = %v", g.Score)
		}
		_, err = db.PutGrade(ctx, planID, "25195-KDC01", antq.GradeRecord{Grade: "gioi", Score: ptr(antq.Tenths(1001))})
		wantInvalid(t, err, "grade", "score")
		_, err = db.PutGrade(ctx, planID, "689-DN002", antq.GradeRecord{Grade: antq.GradeGood})
		wantInvalid(t, err, "unit")

		_, facts, err := db.UnitFacts(ctx, planID, "25195-KDC01")
		if err != nil {
			t.Fatal(err)
		}
		if facts.Recognition == nil || facts.Recognition.Result != antq.RecognitionMet || facts.Grade == nil || facts.Grade.Grade != antq.GradeExcellent {
			t.Fatalf("facts = %+v", facts)
		}
		b, _ := json.Marshal(facts.Grade)
		if !strings.Contains(string(b), `"score":92.5`) {
			t.Fatalf("grade JSON %s", b)
		}
		if err := db.DeleteGrade(ctx, planID, "25195-KDC01"); err != nil {
			t.Fatal(err)
		}
		// The recognition carries a decision: it stays decided.
		wantCode(t, db.DeleteRecognition(ctx, planID, "25195-KDC01"), antq.ECONFLICT)
	})
}

func TestFactScope(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		u, err := db.CreateUser(sys, store.NewUser{Username: "buddang", Role: antq.RoleDataEntry, UnitCode: "693", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		ctx := antq.NewContextWithActor(context.Background(), antq.Actor{User: u, RemoteAddr: "10.0.0.1"})
		if _, err := db.PutRegistration(ctx, planID, "25200-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
			t.Fatalf("in scope: %v", err)
		}
		// Another district's unit does not exist for this user.
		_, err = db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
		wantCode(t, err, antq.ENOTFOUND)
		_, _, err = db.UnitFacts(ctx, planID, "25195")
		wantCode(t, err, antq.ENOTFOUND)
		recs := auditRows(t, db, "registration", planID+"/25200-KDC01")
		if len(recs) != 1 || recs[0].Username != "buddang" || recs[0].RemoteAddr != "10.0.0.1" {
			t.Fatalf("audit = %+v", recs)
		}
	})
}

// pdf is the smallest file the sniffer takes for a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

func TestEvidence(t *testing.T) {
	storetest.ForEachWith(t, store.Options{EvidenceLimits: store.EvidenceLimits{MaxBytes: 1 << 10}}, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
			t.Fatal(err)
		}
		ev, err := db.AddEvidence(ctx, planID, "25195", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "dang-ky.pdf", Body: bytes.NewReader(pdf)})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Size != int64(len(pdf)) || len(ev.SHA256) != 64 || ev.ContentType != "application/pdf" {
			t.Fatalf("evidence = %+v", ev)
		}
		_, f, err := db.OpenEvidence(ctx, planID, "25195", ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, pdf) {
			t.Fatal("downloaded content differs")
		}
		// The same id from another unit's path is not found.
		_, _, err = db.OpenEvidence(ctx, planID, "25200", ev.ID)
		wantCode(t, err, antq.ENOTFOUND)

		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		for _, tt := range []struct {
			name string
			in   store.EvidenceInput
		}{
			{"too large", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "big.pdf", Body: bytes.NewReader(append(pdf, make([]byte, 2<<10)...))}},
			{"executable", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "virus.exe", Body: bytes.NewReader([]byte("MZ\x90\x00"))}},
			{"content does not match extension", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "scan.pdf", Body: bytes.NewReader(png)}},
			{"empty", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "empty.pdf", Body: bytes.NewReader(nil)}},
			{"fact not recorded", store.EvidenceInput{Fact: antq.FactGrade, Filename: "a.pdf", Body: bytes.NewReader(pdf)}},
			{"unknown fact", store.EvidenceInput{Fact: "gossip", Filename: "a.pdf", Body: bytes.NewReader(pdf)}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.AddEvidence(ctx, planID, "25195", tt.in)
				if antq.ErrorCode(err) != antq.EINVALID {
					t.Fatalf("got %v, want invalid", err)
				}
			})
		}
		_, facts, err := db.UnitFacts(ctx, planID, "25195")
		if err != nil || len(facts.Evidence) != 1 {
			t.Fatalf("evidence after refusals = %v, %v", facts.Evidence, err)
		}
		if err := db.DeleteEvidence(ctx, planID, "25195", ev.ID); err != nil {
			t.Fatal(err)
		}
		var e *antq.Error
		if err := db.DeleteEvidence(ctx, planID, "25195", ev.ID); !errors.As(err, &e) || e.Code != antq.ENOTFOUND {
			t.Fatalf("second delete: %v", err)
		}
	})
}

// Every accepted change leaves one audit record naming the fact, with the
// old and new values; refused changes leave none.
func TestEveryFactChangeIsAudited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		count := func() int {
			recs, err := db.AuditRecords(ctx, store.AuditFilter{UnitCode: "25195-KDC01", Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return len(recs)
		}
		var modelID, incidentID int64
		steps := []struct {
			name, entity, action string
			hasOld, hasNew       bool
			run                  func() error
		}{
			{"register", "registration", "create", false, true, func() error {
				_, err := db.PutRegistration(ctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")})
				return err
			}},
			{"propaganda", "propaganda", "create", false, true, func() error {
				_, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](300), AsOf: antq.MustDate("2023-10-01")})
				return err
			}},
			{"propaganda again", "propaganda", "update", true, true, func() error {
				_, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](320), AsOf: antq.MustDate("2023-10-02")})
				return err
			}},
			{"model", "model", "create", false, true, func() error {
				m, err := db.CreateModel(ctx, planID, "25195-KDC01", antq.ModelInput{Name: ptr("Tổ tự quản"), Kind: ptr("tu_quan"), Status: ptr(antq.ModelMaintained)})
				if m != nil {
					modelID = m.ID
				}
				return err
			}},
			{"model change", "model", "update", true, true, func() error {
				_, err := db.UpdateModel(ctx, planID, "25195-KDC01", modelID, antq.ModelInput{Members: ptr[int64](9)})
				return err
			}},
			{"incident", "incident", "create", false, true, func() error {
				inc, err := db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-01"), Category: "crime", Description: "Trộm cắp tài sản"})
				if inc != nil {
					incidentID = inc.ID
				}
				return err
			}},
			{"incident removed", "incident", "delete", true, false, func() error { return db.DeleteIncident(ctx, planID, "25195-KDC01", incidentID) }},
			{"recognition", "recognition", "create", false, true, func() error {
				_, err := db.PutRecognition(ctx, planID, "25195-KDC01", antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-15")})
				return err
			}},
			{"grade", "grade", "create", false, true, func() error {
				_, err := db.PutGrade(ctx, planID, "25195-KDC01", antq.GradeRecord{Grade: antq.GradeGood, Score: ptr(antq.Tenths(750))})
				return err
			}},
			{"grade removed", "grade", "delete", true, false, func() error { return db.DeleteGrade(ctx, planID, "25195-KDC01") }},
			{"evidence", "evidence", "create", false, true, func() error {
				_, err := db.AddEvidence(ctx, planID, "25195-KDC01", store.EvidenceInput{Fact: antq.FactPropaganda, Filename: "bao-cao.pdf", Body: bytes.NewReader(pdf)})
				return err
			}},
		}
		for _, s := range steps {
			before := count()
			if err := s.run(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			recs, _ := db.AuditRecords(ctx, store.AuditFilter{UnitCode: "25195-KDC01", Limit: 1000})
			if len(recs) != before+1 {
				t.Fatalf("%s: %d new audit records, want 1", s.name, len(recs)-before)
			}
			r := recs[len(recs)-1]
			if r.Entity != s.entity || r.Action != s.action || (r.Old != nil) != s.hasOld || (r.New != nil) != s.hasNew || r.Username != "system" {
				t.Errorf("%s: audit = %s %s old=%v new=%v by %q", s.name, r.Action, r.Entity, r.Old != nil, r.New != nil, r.Username)
			}
		}
		// A refused change adds nothing.
		before := count()
		if _, err := db.PutPropaganda(ctx, planID, "25195-KDC01", antq.PropagandaInput{Reached: ptr[int64](9999), AsOf: antq.MustDate("2023-10-01")}); err == nil {
			t.Fatal("impossible figure accepted")
		}
		if count() != before {
			t.Fatal("a refused change was audited")
		}
		if _, problems, err := db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
	})
}
