package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// bulkFact is one fact of the bulk tests, written either through the single
// calls or through BulkFacts.
type bulkFact struct {
	code  string
	reg   *antq.Registration
	prop  *antq.Propaganda
	model *antq.Model
	rec   *antq.Recognition
	grade *antq.GradeRecord
}

func (f bulkFact) single(ctx context.Context, db *store.DB) error {
	var err error
	switch {
	case f.reg != nil:
		_, err = db.PutRegistration(ctx, planID, f.code, *f.reg)
	case f.prop != nil:
		_, err = db.PutPropaganda(ctx, planID, f.code, antq.PropagandaInput{Reached: &f.prop.Reached, Total: &f.prop.Total,
			AsOf: f.prop.AsOf, Document: f.prop.Document})
	case f.model != nil:
		m := f.model
		_, err = db.CreateModel(ctx, planID, f.code, antq.ModelInput{Name: &m.Name, Kind: &m.Kind, Status: &m.Status,
			Effective: &m.Effective, StartedOn: &m.StartedOn, Members: &m.Members, Document: m.Document, Assessment: m.Assessment})
	case f.rec != nil:
		_, err = db.PutRecognition(ctx, planID, f.code, *f.rec)
	case f.grade != nil:
		_, err = db.PutGrade(ctx, planID, f.code, *f.grade)
	}
	return err
}

func (f bulkFact) bulk(l *store.FactLoader) error {
	switch {
	case f.reg != nil:
		return l.Registration(f.code, *f.reg)
	case f.prop != nil:
		return l.Propaganda(f.code, *f.prop)
	case f.model != nil:
		return l.Model(f.code, *f.model)
	case f.rec != nil:
		return l.Recognition(f.code, *f.rec)
	case f.grade != nil:
		return l.Grade(f.code, *f.grade)
	}
	return nil
}

func loadBulk(ctx context.Context, db *store.DB, facts []bulkFact) (*store.BulkFactsResult, error) {
	return db.BulkFacts(ctx, planID, "test", func(l *store.FactLoader) error {
		for _, f := range facts {
			if err := f.bulk(l); err != nil {
				return err
			}
		}
		return nil
	})
}

func reg(on string) *antq.Registration { return &antq.Registration{RegisteredOn: antq.MustDate(on)} }

func prop(reached, total int64, asOf string) *antq.Propaganda {
	return &antq.Propaganda{Reached: reached, Total: total, AsOf: antq.MustDate(asOf)}
}

func tenths(v antq.Tenths) *antq.Tenths { return &v }

// goodFacts touches every fact kind and every kind of unit of factFixture.
var goodFacts = []bulkFact{
	{code: "25195-KDC01", reg: &antq.Registration{RegisteredOn: antq.MustDate("2023-02-01"),
		Document: &antq.DocumentRef{Number: "01/ĐK", Date: antq.MustDate("2023-02-01"), Title: "Bản đăng ký phấn đấu"}}},
	{code: "25195-KDC02", reg: reg("2023-02-03")},
	{code: "25195", reg: reg("2023-03-01")},
	{code: "70-CQ001", reg: reg("2023-02-10")},
	{code: "689-DN001", reg: reg("2023-02-11")},
	{code: "25195-KDC01", prop: prop(350, 400, "2023-10-01")},
	{code: "25195-KDC02", prop: &antq.Propaganda{Reached: 550, Total: 600, AsOf: antq.MustDate("2023-10-01"),
		Document: &antq.DocumentRef{Number: "07/BC-KDC", Date: antq.MustDate("2023-10-02"), Issuer: "Ban công tác Mặt trận"}}},
	{code: "25200", prop: prop(700, 800, "2023-10-10")},
	{code: "70-CQ001", prop: prop(115, 120, "2023-10-20")},
	{code: "689-DN002", prop: prop(8, 8, "2023-10-20")}, // not eligible, but may report
	{code: "25195", model: &antq.Model{Name: "Camera an ninh", Kind: "tu_bao_ve", Status: antq.ModelNew, Effective: true,
		StartedOn: antq.MustDate("2023-05-01"), Members: 12, Assessment: assessed}},
	{code: "689-DN001", model: &antq.Model{Name: "Tổ bảo vệ", Kind: "tu_quan", Status: antq.ModelConsolidated, Effective: true,
		StartedOn: antq.MustDate("2020-01-01"), Members: 6, Assessment: assessed}},
	{code: "25195-KDC01", model: &antq.Model{Name: "Tổ hòa giải", Kind: "tu_hoa_giai", Status: antq.ModelMaintained}},
	{code: "25195-KDC01", rec: &antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-12"),
		Decision: &antq.DocumentRef{Number: "112/QĐ-UBND", Date: antq.MustDate("2023-11-12")}}},
	{code: "70-CQ001", rec: &antq.Recognition{Result: antq.RecognitionNotMet, DecidedOn: antq.MustDate("2023-11-25")}},
	{code: "25195-KDC01", grade: &antq.GradeRecord{Grade: antq.GradeExcellent, Score: tenths(950)}},
	{code: "25195", grade: &antq.GradeRecord{Grade: antq.GradeGood, Score: tenths(750)}},
	{code: "689-THCS01", grade: &antq.GradeRecord{Grade: antq.GradeAverage, Score: tenths(610)}},
	{code: "70-CQ001", grade: &antq.GradeRecord{Grade: antq.GradeWeak, Score: tenths(420)}},
}

// assessed is the assessment behind an effective model of the fixtures.
var assessed = &antq.ModelAssessment{On: antq.MustDate("2023-10-15"), By: "Công an xã", Basis: "Biên bản kiểm tra 3/BB-CAX"}

// allUnitFacts is every unit's facts as JSON, to compare two databases.
func allUnitFacts(t *testing.T, ctx context.Context, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(factFixture), "\n")[1:] {
		code := strings.Split(line, ",")[1]
		_, f, err := db.UnitFacts(ctx, planID, code)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(f)
		fmt.Fprintf(&b, "%s %s\n", code, j)
	}
	return b.String()
}

func TestBulkFactsEqualSingleCalls(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, single *store.DB) {
		// The single calls, with the indicators built first so every write
		// maintains them.
		ctx := loadFacts(t, single)
		if _, err := single.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		for i, f := range goodFacts {
			if err := f.single(ctx, single); err != nil {
				t.Fatalf("fact %d (%s): %v", i, f.code, err)
			}
		}
		want, err := single.IndicatorState(ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		wantFacts := allUnitFacts(t, ctx, single)

		for _, builtFirst := range []bool{true, false} {
			t.Run(fmt.Sprintf("built=%v", builtFirst), func(t *testing.T) {
				db := storetest.Open(t, single.Engine())
				ctx := loadFacts(t, db)
				if builtFirst {
					if _, err := db.Rebuild(ctx, planID); err != nil {
						t.Fatal(err)
					}
				}
				res, err := loadBulk(ctx, db, goodFacts)
				if err != nil {
					t.Fatal(err)
				}
				if res.Registrations != 5 || res.Propaganda != 5 || res.Models != 3 || res.Recognitions != 2 || res.Grades != 4 || res.Rows() != len(goodFacts) {
					t.Errorf("result = %+v", res)
				}
				if builtFirst != (len(res.Rebuilt) == 1 && res.Rebuilt[0] == planID) {
					t.Errorf("rebuilt = %v, indicators built before the load: %v", res.Rebuilt, builtFirst)
				}
				if _, err := db.Indicators(ctx, planID, ""); err != nil { // builds when not built
					t.Fatal(err)
				}
				got, err := db.IndicatorState(ctx, planID)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Fatalf("bulk != single calls\n%s", diffLines(got, want))
				}
				if got := allUnitFacts(t, ctx, db); got != wantFacts {
					t.Fatalf("stored facts differ\n%s", diffLines(got, wantFacts))
				}
				recs := auditRows(t, db, "facts", planID)
				if len(recs) != 1 || recs[0].Action != "import" || recs[0].New == nil || !strings.Contains(*recs[0].New, `"registrations":5`) {
					t.Fatalf("audit = %+v", recs)
				}
				if n := len(auditRows(t, db, "registration", "")); n != 0 {
					t.Errorf("%d per-fact audit records, want only the summary", n)
				}
			})
		}
	})
}

func TestBulkFactsRefusesBadRows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		before, err := db.IndicatorState(ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		facts := []bulkFact{
			{code: "25195-KDC01", reg: reg("2023-02-01")},                                                                      // 1 good
			{code: "25195-KDC02", reg: reg("2023-11-05")},                                                                      // 2 after the area's window
			{code: "25195-KDC01", prop: prop(500, 400, "2023-10-01")},                                                          // 3 reached > total
			{code: "25195", grade: &antq.GradeRecord{Grade: "gioi"}},                                                           // 4 unknown grade
			{code: "689-DN002", reg: reg("2023-02-01")},                                                                        // 5 small enterprise
			{code: "25200-KDC01", rec: &antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-12")}}, // 6 not registered
			{code: "25195", model: &antq.Model{Name: "Mô hình", Kind: "xyz", Status: antq.ModelNew}},                           // 7 unknown model kind
			{code: "99999", reg: reg("2023-02-01")},                                                                            // 8 unknown unit
			{code: "25195-KDC01", reg: reg("2023-02-02")},                                                                      // 9 twice
			{code: "25195-KDC01", rec: &antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-12")}}, // 10 good
			{code: "25200", prop: prop(10, 800, "2024-06-01")},                                                                 // 11 after the window (and future)
			{code: "70-CQ002", grade: &antq.GradeRecord{Grade: antq.GradeGood}},
			{code: "25200", rec: &antq.Recognition{Result: "dat"}}, // 13 not registered, no date
		}
		_, err = loadBulk(ctx, db, facts)
		wantCode(t, err, antq.EINVALID)
		var rows antq.ImportErrors
		if !errors.As(err, &rows) {
			t.Fatalf("error %v does not carry the row errors", err)
		}
		got := map[string]bool{}
		for _, r := range rows {
			if r.File != "test" || r.Reason == "" {
				t.Errorf("row error %+v", r)
			}
			got[fmt.Sprintf("%d %s", r.Row, r.Column)] = true
		}
		for _, want := range []string{"2 registration.registered_on", "3 propaganda.reached", "4 grade.grade", "5 registration.unit",
			"6 recognition.unit", "7 model.kind", "8 registration.unit", "9 registration.unit", "11 propaganda.as_of",
			"12 grade.unit", "13 recognition.unit", "13 recognition.decided_on"} {
			if !got[want] {
				t.Errorf("no error for row %s in\n%v", want, rows)
			}
		}
		for _, notWant := range []string{"1 ", "10 "} {
			for k := range got {
				if strings.HasPrefix(k, notWant) {
					t.Errorf("error on a good row: %s", k)
				}
			}
		}
		if n, err := db.FactCount(ctx, planID); err != nil || n != 0 {
			t.Fatalf("%d facts written by a refused load (%v)", n, err)
		}
		if after, _ := db.IndicatorState(ctx, planID); after != before {
			t.Fatal("a refused load changed the indicators")
		}
		if recs := auditRows(t, db, "facts", planID); len(recs) != 0 {
			t.Fatalf("a refused load was audited: %+v", recs)
		}
	})
}

func TestBulkFactsScopeAndDossiers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		u := mustUser(t, db, "canbo.tanphu", antq.RoleDataEntry, "25195")
		ctx := actingAs(u, "127.0.0.1")
		_, err := loadBulk(ctx, db, []bulkFact{
			{code: "25195-KDC01", reg: reg("2023-02-01")},
			{code: "25200-KDC01", reg: reg("2023-02-01")}, // another district: does not exist for this caller
		})
		var rows antq.ImportErrors
		if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Row != 2 || rows[0].Column != "registration.unit" {
			t.Fatalf("out of scope: %v", err)
		}
		res, err := loadBulk(ctx, db, []bulkFact{{code: "25195-KDC01", reg: reg("2023-02-01")}})
		if err != nil || res.Registrations != 1 {
			t.Fatalf("in scope: %+v, %v", res, err)
		}
		// A second load replaces the registration, as PutRegistration does.
		if _, err := loadBulk(ctx, db, []bulkFact{{code: "25195-KDC01", reg: reg("2023-02-05")}}); err != nil {
			t.Fatal(err)
		}
		_, f, err := db.UnitFacts(ctx, planID, "25195-KDC01")
		if err != nil || f.Registration == nil || f.Registration.RegisteredOn.String() != "2023-02-05" {
			t.Fatalf("registration = %+v, %v", f, err)
		}
		// Once registered, a later load may recognise the unit.
		if _, err := loadBulk(ctx, db, []bulkFact{{code: "25195-KDC01", rec: &antq.Recognition{Result: antq.RecognitionMet,
			DecidedOn: antq.MustDate("2023-11-12")}}}); err != nil {
			t.Fatal(err)
		}
		// A result that a year-end dossier governs is not loaded directly.
		if _, err := db.UpdateDossier(ctx, planID, "25195-KDC01", yearend.DossierGrading, yearend.DossierInput{}); err != nil {
			t.Fatal(err)
		}
		_, err = loadBulk(ctx, db, []bulkFact{{code: "25195-KDC01", grade: &antq.GradeRecord{Grade: antq.GradeGood, Score: tenths(750)}}})
		if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Column != "grade.unit" || !strings.Contains(rows[0].Reason, "hồ sơ") {
			t.Fatalf("grade under a dossier: %v", err)
		}
	})
}
