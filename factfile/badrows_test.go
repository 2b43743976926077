package factfile_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/factfile"
	"antq/store"
	"antq/store/storetest"
)

// cellOf is the name of the cell of the column titled title in row.
func (s *sheet) cellOf(name, title string, row int) string {
	s.t.Helper()
	c, _ := excelize.CoordinatesToCellName(s.column(name, title), row)
	return c
}

// wantProblem asserts the report refuses the cell of the sheet with a
// reason containing why.
func wantProblem(t *testing.T, rep *factfile.Report, sheetName, cell, why string) {
	t.Helper()
	for _, p := range rep.Problems {
		if p.Sheet == sheetName && p.Cell == cell && strings.Contains(p.Reason, why) {
			return
		}
	}
	t.Errorf("no problem at %s!%s with %q; problems:\n%s", sheetName, cell, why, problemList(rep))
}

func problemList(rep *factfile.Report) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// TestTemplateBadRows: every kind of bad row is refused at its cell with
// the reason in Vietnamese; per workbook nothing is written, per row the
// good rows are; the marked copy carries each reason on its row.
func TestTemplateBadRows(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		db, ctx := open(t, e)
		reviewer := asUser(t, db, "ca.phuong", antq.RoleReviewer, "689")
		doc := &antq.DocumentRef{Number: "5/BC-KP2", Date: antq.MustDate("2023-02-01")}
		// KDC02's registration is approved, hence locked; KDC01 has an
		// incident recorded.
		if _, err := db.PutRegistration(ctx, planID, "25195-KDC02", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01"), Document: doc}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepFact(ctx, planID, "25195-KDC02", antq.FactRegistration, 0, antq.ApprovalSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepFact(reviewer, planID, "25195-KDC02", antq.FactRegistration, 0, antq.ApprovalApprove, ""); err != nil {
			t.Fatal(err)
		}
		inc, err := db.CreateIncident(ctx, planID, "25195-KDC01", antq.IncidentInput{OccurredOn: antq.MustDate("2023-05-05"),
			Category: incidentCategory(t, db), Description: "Đánh nhau"})
		if err != nil {
			t.Fatal(err)
		}

		tpl := template(t, db, ctx, "25195")
		b := openBook(t, tpl)
		const reg, prop, mod, incS = "Đăng ký", "Tuyên truyền", "Mô hình", "Vụ việc"
		// A good row.
		good := b.row(reg, "25195", false)
		b.set(reg, good, map[string]any{"Ngày đăng ký": day("2023-02-20"), "Số văn bản": "1/KH-CAP", "Ngày văn bản": day("2023-02-15")})
		// An unreadable date.
		r1 := b.row(reg, "25195-KDC01", false)
		b.set(reg, r1, map[string]any{"Ngày đăng ký": "mười lăm tháng ba", "Số văn bản": "2/BC"})
		// A locked (approved) fact changed.
		r2 := b.row(reg, "25195-KDC02", false)
		b.set(reg, r2, map[string]any{"Ngày đăng ký": day("2023-02-03")})
		// A date outside the window, without a document (submission needs one).
		r3 := b.row(reg, "25195-TH01", false)
		b.set(reg, r3, map[string]any{"Ngày đăng ký": day("2022-06-01")})
		// A formula sign as text, never evaluated; reached > total.
		p1 := b.row(prop, "25195", false)
		b.set(prop, p1, map[string]any{"Số đã được tuyên truyền": "=1+1", "Tổng số": 1000, "Ngày số liệu": day("2023-10-31"), "Số văn bản": "3/BC"})
		p2 := b.row(prop, "25195-KDC01", false)
		b.set(prop, p2, map[string]any{"Số đã được tuyên truyền": 500, "Tổng số": 400, "Ngày số liệu": day("2023-10-31"), "Số văn bản": "4/BC", "Ngày văn bản": day("2023-10-31")})
		// A model kind not in the list; a model effective without assessment.
		m1 := b.row(mod, "25195-KDC01", true)
		b.set(mod, m1, map[string]any{"Tên mô hình": "Camera an ninh", "Loại mô hình": "Mô hình không có", "Tình trạng": "Duy trì"})
		m2 := b.row(mod, "25195-KDC02", true)
		b.set(mod, m2, map[string]any{"Tên mô hình": "Tổ tự quản", "Loại mô hình": "tu_quan", "Tình trạng": "Duy trì", "Hoạt động hiệu quả": "Có"})
		// A recorded incident changed; a unit outside the user's scope.
		i1 := 0
		for row := 2; row < 40; row++ {
			if v, _ := b.f.GetCellValue(incS, b.cellOf(incS, "Số hiệu", row)); v == strconv.FormatInt(inc.ID, 10) {
				i1 = row
			}
		}
		if i1 == 0 {
			t.Fatal("the recorded incident is not in the template")
		}
		b.set(incS, i1, map[string]any{"Mô tả": "Đánh nhau gây thương tích"})
		i2 := b.row(incS, "25195-TH01", true)
		b.set(incS, i2, map[string]any{"Mã đơn vị": "25200-KDC01", "Ngày xảy ra": day("2023-05-05"), "Loại vụ việc": incidentCategory(t, db), "Mô tả": "Trộm"})
		// A duplicate of a single fact.
		if err := b.f.InsertRows(prop, p2+1, 1); err != nil {
			t.Fatal(err)
		}
		b.set(prop, p2+1, map[string]any{"Mã đơn vị": "25195-KDC01", "Số đã được tuyên truyền": 100, "Tổng số": 400, "Ngày số liệu": day("2023-10-31"), "Số văn bản": "4/BC", "Ngày văn bản": day("2023-10-31")})
		data := b.bytes()

		rep, err := factfile.Import(ctx, db, planID, data, false, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, reg, b.cellOf(reg, "Ngày đăng ký", r1), "không phải ngày")
		wantProblem(t, rep, reg, b.cellOf(reg, "Mã đơn vị", r2), "đã được duyệt nên bị khóa")
		wantProblem(t, rep, reg, b.cellOf(reg, "Ngày đăng ký", r3), "nằm ngoài kỳ đánh giá")
		wantProblem(t, rep, prop, b.cellOf(prop, "Số đã được tuyên truyền", p1), "không phải số")
		wantProblem(t, rep, prop, b.cellOf(prop, "Số đã được tuyên truyền", p2), "lớn hơn tổng số")
		wantProblem(t, rep, prop, b.cellOf(prop, "Mã đơn vị", p2+1), "đã có ở một dòng phía trên")
		wantProblem(t, rep, mod, b.cellOf(mod, "Loại mô hình", m1), "không có trong danh mục")
		wantProblem(t, rep, mod, b.cellOf(mod, "Hoạt động hiệu quả", m2), "sau khi được đánh giá")
		wantProblem(t, rep, incS, b.cellOf(incS, "Mô tả", i1), "không sửa, xóa được qua tệp")
		wantProblem(t, rep, incS, b.cellOf(incS, "Mã đơn vị", i2), "Không tìm thấy đơn vị")
		t.Logf("problems:\n%s", problemList(rep))
		if rep.Committed || rep.Submitted != 0 || rep.NotWritten == 0 {
			t.Fatalf("whole-workbook import with bad rows = %s; want nothing written", counts(rep))
		}
		if _, f, err := db.UnitFacts(ctx, planID, "25195"); err != nil || f.Registration != nil {
			t.Fatalf("the good row was written by a refused workbook: %+v, %v", f, err)
		}
		// The marked copy: every bad row says why, naming its cell.
		mk := openBook(t, rep.Marked)
		col := mk.column(reg, factfile.ResultColumn)
		cell, _ := excelize.CoordinatesToCellName(col, r1)
		if v, _ := mk.f.GetCellValue(reg, cell); !strings.Contains(v, "ô "+b.cellOf(reg, "Ngày đăng ký", r1)) {
			t.Errorf("marked copy at %s = %q; want the reason naming the cell", cell, v)
		}
		cell, _ = excelize.CoordinatesToCellName(col, good)
		if v, _ := mk.f.GetCellValue(reg, cell); !strings.Contains(v, "chưa ghi") {
			t.Errorf("marked copy of the good row = %q; want it marked not written", v)
		}

		// Per row: the good row is written and submitted, the bad ones not.
		rep, err = factfile.Import(ctx, db, planID, data, true, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Committed || rep.Submitted != 1 {
			t.Fatalf("per-row import = %s %s; want the one good row", counts(rep), problemList(rep))
		}
		if _, f, err := db.UnitFacts(ctx, planID, "25195"); err != nil || f.Registration == nil || f.Registration.State != antq.FactSubmitted {
			t.Fatalf("registration of 25195 after a per-row import = %+v, %v; want submitted", f, err)
		}
		if _, f, _ := db.UnitFacts(ctx, planID, "25195-KDC01"); f.Propaganda != nil {
			t.Fatalf("a refused row was written: %+v", f.Propaganda)
		}

		// Out of reach: a district's data entry records the district, not
		// the commune's areas.
		district := asUser(t, db, "huyen.nhaplieu", antq.RoleDataEntry, "689")
		b2 := openBook(t, template(t, db, district, "25195"))
		row := b2.row(reg, "25195-TH01", false)
		b2.set(reg, row, map[string]any{"Ngày đăng ký": day("2023-02-20"), "Số văn bản": "1/KH", "Ngày văn bản": day("2023-02-15")})
		rep, err = factfile.Import(district, db, planID, b2.bytes(), true, factfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, reg, b2.cellOf(reg, "Mã đơn vị", row), "không ghi được số liệu của Trường Tiểu học Tân Phú")
	})
}
