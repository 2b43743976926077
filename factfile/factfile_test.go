package factfile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/factfile"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

const planID = "binh-phuoc-2023"

// fixture is a small Bình Phước: a commune with residential areas and a
// school, a second commune elsewhere.
const fixture = `level,code,name,type,parent_code,households,staff,pupils
province,70,Tỉnh Bình Phước,Tỉnh,,,,
district,689,Thành phố Đồng Xoài,Thành phố,70,,,
district,693,Huyện Bù Đăng,Huyện,70,,,
commune,25195,Phường Tân Phú,Phường,689,1000,,
commune,25200,Xã Đoàn Kết,Xã,693,800,,
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,
residential_area,25195-KDC02,Khu phố 2,Khu phố,25195,600,,
residential_area,25200-KDC01,Ấp 1,Ấp,25200,800,,
school,25195-TH01,Trường Tiểu học Tân Phú,Trường,25195,,30,500
`

// open returns a fresh database of engine e with the fixture, its clock in
// 2024, and a commune data-entry user's context.
func open(t *testing.T, e store.Engine) (*store.DB, context.Context) {
	t.Helper()
	db := storetest.Open(t, e)
	recs, err := unitfile.Read("fixture.csv", strings.NewReader(fixture), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	sys := antq.SystemContext(context.Background())
	if _, err := db.ImportUnits(sys, "fixture.csv", recs); err != nil {
		t.Fatal(err)
	}
	storetest.Clock(db).Set(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
	return db, asUser(t, db, "xa.nhaplieu", antq.RoleDataEntry, "25195")
}

func asUser(t *testing.T, db *store.DB, username string, role antq.Role, unit string) context.Context {
	t.Helper()
	u, err := db.CreateUser(antq.SystemContext(context.Background()), store.NewUser{Username: username, Role: role, UnitCode: unit, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return antq.NewContextWithActor(context.Background(), antq.Actor{User: u, RemoteAddr: "192.0.2.1"})
}

// template downloads the template of code as ctx's user would.
func template(t *testing.T, db *store.DB, ctx context.Context, code string) []byte {
	t.Helper()
	plan, sets, units, err := db.TemplateFacts(ctx, planID, code)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := factfile.WriteTemplate(&buf, factfile.Template{Plan: plan, Sets: sets, Units: units, Generated: db.Now()}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheet is an open workbook being filled as a user fills it.
type sheet struct {
	t *testing.T
	f *excelize.File
}

func openBook(t *testing.T, data []byte) *sheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &sheet{t: t, f: f}
}

// column is the 1-based column titled title on the sheet.
func (s *sheet) column(name, title string) int {
	s.t.Helper()
	rows, err := s.f.GetRows(name)
	if err != nil {
		s.t.Fatal(err)
	}
	for j, h := range rows[0] {
		if h == title {
			return j + 1
		}
	}
	s.t.Fatalf("sheet %s has no column %q (%v)", name, title, rows[0])
	return 0
}

// row is the first row of the sheet for the unit whose Số hiệu (if the
// sheet has one) is empty when fresh.
func (s *sheet) row(name, unit string, fresh bool) int {
	s.t.Helper()
	rows, err := s.f.GetRows(name)
	if err != nil {
		s.t.Fatal(err)
	}
	code := s.column(name, "Mã đơn vị") - 1
	id := -1
	if fresh {
		id = s.column(name, "Số hiệu") - 1
	}
	for i, r := range rows {
		if len(r) > code && r[code] == unit && (id < 0 || len(r) <= id || r[id] == "") {
			return i + 1
		}
	}
	s.t.Fatalf("sheet %s has no row for %s", name, unit)
	return 0
}

// set fills the cells of one row by column title; a time.Time is typed as
// a date, the way Excel stores one.
func (s *sheet) set(name string, row int, values map[string]any) {
	s.t.Helper()
	for title, v := range values {
		cell, _ := excelize.CoordinatesToCellName(s.column(name, title), row)
		if err := s.f.SetCellValue(name, cell, v); err != nil {
			s.t.Fatal(err)
		}
	}
}

func (s *sheet) bytes() []byte {
	s.t.Helper()
	var buf bytes.Buffer
	if _, err := s.f.WriteTo(&buf); err != nil {
		s.t.Fatal(err)
	}
	return buf.Bytes()
}

func day(s string) time.Time { return antq.MustDate(s).Time() }

// figures is every indicator figure of the unit and its children, as JSON.
func figures(t *testing.T, db *store.DB, code string) string {
	t.Helper()
	rep, err := db.Indicators(antq.SystemContext(context.Background()), planID, code)
	if err != nil {
		t.Fatal(err)
	}
	all := []any{rep.Unit.Figures}
	for _, c := range rep.Children {
		all = append(all, c.Unit.Code, c.Figures)
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTemplateRoundTrip: a template downloaded, filled and uploaded gives
// the same facts, states and figures as the same entry made directly.
func TestTemplateRoundTrip(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		direct, dctx := open(t, e)
		viaFile, fctx := open(t, e)
		doc := &antq.DocumentRef{Number: "12/BC-CAX", Date: antq.MustDate("2023-03-10"), Issuer: "Công an phường Tân Phú"}

		// Direct entry, then submission, as the forms do it.
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		submit := func(code string, kind antq.FactKind, id int64) {
			t.Helper()
			must(direct.StepFact(dctx, planID, code, kind, id, antq.ApprovalSubmit, ""))
		}
		must(direct.PutRegistration(dctx, planID, "25195-KDC01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-15"), Document: doc}))
		submit("25195-KDC01", antq.FactRegistration, 0)
		must(direct.PutRegistration(dctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-20"), Document: doc}))
		submit("25195", antq.FactRegistration, 0)
		reached, total := int64(900), int64(1000)
		must(direct.PutPropaganda(dctx, planID, "25195", antq.PropagandaInput{Reached: &reached, Total: &total, AsOf: antq.MustDate("2023-10-31"), Document: doc}))
		submit("25195", antq.FactPropaganda, 0)
		name, kind, status := "Tổ tự quản an ninh khu phố 2", "tu_quan", antq.ModelNew
		started, members, eff := antq.MustDate("2023-04-01"), int64(12), false
		m, err := direct.CreateModel(dctx, planID, "25195-KDC02", antq.ModelInput{Name: &name, Kind: &kind, Status: &status, StartedOn: &started, Members: &members, Effective: &eff})
		must(m, err)
		submit("25195-KDC02", antq.FactModel, m.ID)
		inc, err := direct.CreateIncident(dctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-06-02"),
			Category: incidentCategory(t, direct), Description: "=Trộm cắp xe máy tại khu phố 1", Verified: true})
		must(inc, err)
		submit("25195-KDC01", antq.FactIncident, inc.ID)

		// The same through the template of the commune.
		b := openBook(t, template(t, viaFile, fctx, "25195"))
		b.set("Đăng ký", b.row("Đăng ký", "25195-KDC01", false), map[string]any{"Ngày đăng ký": day("2023-03-15"),
			"Số văn bản": doc.Number, "Ngày văn bản": day("2023-03-10"), "Cơ quan ban hành": doc.Issuer})
		b.set("Đăng ký", b.row("Đăng ký", "25195", false), map[string]any{"Ngày đăng ký": "20/02/2023",
			"Số văn bản": doc.Number, "Ngày văn bản": "10/03/2023", "Cơ quan ban hành": doc.Issuer})
		b.set("Tuyên truyền", b.row("Tuyên truyền", "25195", false), map[string]any{"Số đã được tuyên truyền": 900, "Tổng số": 1000,
			"Ngày số liệu": day("2023-10-31"), "Số văn bản": doc.Number, "Ngày văn bản": day("2023-03-10"), "Cơ quan ban hành": doc.Issuer})
		b.set("Mô hình", b.row("Mô hình", "25195-KDC02", true), map[string]any{"Tên mô hình": name, "Loại mô hình": modelKindLabel(t, viaFile, kind),
			"Tình trạng": "Xây dựng mới", "Ngày bắt đầu": day("2023-04-01"), "Số thành viên": 12, "Hoạt động hiệu quả": "Không"})
		b.set("Vụ việc", b.row("Vụ việc", "25195-KDC01", true), map[string]any{"Ngày xảy ra": day("2023-06-02"),
			"Loại vụ việc": incidentCategory(t, viaFile), "Mô tả": "=Trộm cắp xe máy tại khu phố 1", "Đã xác minh": "Có"})
		rep, err := factfile.Import(fctx, viaFile, planID, b.bytes(), false, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Refused != 0 || rep.Submitted != 5 || !rep.Committed {
			t.Fatalf("import = %s, problems %v; want 5 rows submitted", counts(rep), rep.Problems)
		}

		for _, code := range []string{"70", "689", "25195"} {
			if a, b := figures(t, direct, code), figures(t, viaFile, code); a != b {
				t.Errorf("figures of %s differ:\ndirect %s\nfile   %s", code, a, b)
			}
		}
		for _, code := range []string{"25195", "25195-KDC01", "25195-KDC02"} {
			_, a, err := direct.UnitFacts(dctx, planID, code)
			must(a, err)
			_, b, err := viaFile.UnitFacts(fctx, planID, code)
			must(b, err)
			if sa, sb := factsText(a), factsText(b); sa != sb {
				t.Errorf("facts of %s differ:\ndirect %s\nfile   %s", code, sa, sb)
			}
		}
		// The figures moved to provisional: submitted, not yet official.
		ind, err := viaFile.Indicators(antq.SystemContext(context.Background()), planID, "25195")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ind.Unit.Figures {
			if f.ID == rules.IndicatorRegistration && (f.Num != 0 || f.Provisional.Num != 2 || f.Pending == 0) {
				t.Errorf("registration at 25195 = official %d provisional %d pending %d; want 0, 2 and pending", f.Num, f.Provisional.Num, f.Pending)
			}
		}

		// The marked copy uploaded again changes nothing: the new model and
		// incident got their numbers in it, and every row is unchanged.
		again, err := factfile.Import(fctx, viaFile, planID, rep.Marked, false, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if again.Submitted != 0 || again.Refused != 0 || again.Unchanged != 5 {
			t.Fatalf("second import = %s %v; want 5 rows unchanged", counts(again), again.Problems)
		}
	})
}

// factsText is the facts without stamps and ids, to compare two databases.
func factsText(f *antq.UnitFacts) string {
	type fact struct {
		V     any
		State antq.FactState
		By    string
	}
	var out []fact
	if r := f.Registration; r != nil {
		out = append(out, fact{[]any{r.RegisteredOn, r.Document}, r.State, r.SubmittedBy})
	}
	if p := f.Propaganda; p != nil {
		out = append(out, fact{[]any{p.Reached, p.Total, p.AsOf, p.Document, p.TotalReason}, p.State, p.SubmittedBy})
	}
	for _, m := range f.Models {
		out = append(out, fact{[]any{m.Name, m.Kind, m.Status, m.StartedOn, m.Members, m.Effective, m.Assessment, m.Document}, m.State, m.SubmittedBy})
	}
	for _, i := range f.Incidents {
		out = append(out, fact{[]any{i.OccurredOn, i.Category, i.Description, i.Verified, i.Document}, i.State, i.SubmittedBy})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func incidentCategory(t *testing.T, db *store.DB) string {
	t.Helper()
	p, cat, err := db.Plan(context.Background(), planID)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := cat.RuleSetsOf(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range sets {
		for _, ic := range rs.IncidentCategories() {
			return ic.Code
		}
	}
	t.Fatal("no incident category")
	return ""
}

func modelKindLabel(t *testing.T, db *store.DB, code string) string {
	t.Helper()
	p, cat, err := db.Plan(context.Background(), planID)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := cat.RuleSetsOf(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range sets {
		if mk, ok := rs.ModelKind(code); ok {
			return mk.Label
		}
	}
	t.Fatalf("no model kind %s", code)
	return ""
}

func counts(r *factfile.Report) string {
	return fmt.Sprintf("rows %d submitted %d unchanged %d refused %d not written %d committed %v",
		r.Rows, r.Submitted, r.Unchanged, r.Refused, r.NotWritten, r.Committed)
}

// TestTemplateRowsOutOfReach: a data-entry account writes its own unit and
// the residential areas and organisations right below it, not the commune
// police. A template that carries the police's incident unchanged (as the
// commune's template does) uploads without a refusal; a new row for the
// police is refused at its cell, with the reason, and nothing of it is
// written.
func TestTemplateRowsOutOfReach(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		db, ctx := open(t, e)
		sys := antq.SystemContext(context.Background())
		recs, err := unitfile.Read("ca.csv", strings.NewReader("level,code,name,type,parent_code\ncommune_police,25195-CA,Công an phường Tân Phú,Công an phường,25195\n"),
			unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(sys, "ca.csv", recs); err != nil {
			t.Fatal(err)
		}
		category := incidentCategory(t, db)
		if _, err := db.CreateIncident(sys, planID, "25195-CA", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-02"),
			Category: category, Description: "Gây rối trật tự trước trụ sở", Verified: true}); err != nil {
			t.Fatal(err)
		}
		before := figures(t, db, "25195")

		tmpl := template(t, db, ctx, "25195")
		rep, err := factfile.Import(ctx, db, planID, tmpl, true, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Refused != 0 || rep.Unchanged != 1 {
			t.Fatalf("unchanged template = %s, problems %v; want the police's incident unchanged and nothing refused", counts(rep), rep.Problems)
		}

		b := openBook(t, tmpl)
		row := b.row("Vụ việc", "25195-CA", true)
		b.set("Vụ việc", row, map[string]any{"Ngày xảy ra": day("2023-06-02"), "Loại vụ việc": category,
			"Mô tả": "Trộm cắp tài sản", "Đã xác minh": "Có"})
		rep, err = factfile.Import(ctx, db, planID, b.bytes(), true, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Refused != 1 || rep.Submitted != 0 || len(rep.Problems) != 1 {
			t.Fatalf("new police row = %s, problems %v; want it refused", counts(rep), rep.Problems)
		}
		p := rep.Problems[0]
		if p.Sheet != "Vụ việc" || p.Row != row || !strings.Contains(p.Reason, "không ghi được số liệu của Công an phường Tân Phú") {
			t.Errorf("problem = %+v; want sheet Vụ việc row %d naming the police", p, row)
		}
		if after := figures(t, db, "25195"); after != before {
			t.Errorf("figures moved after a refused row:\nbefore %s\nafter  %s", before, after)
		}
	})
}
