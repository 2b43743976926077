package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// The indicators export carries the dashboard's figures, figure for
// figure, for the unit and each child, on both engines.
func TestExportIndicatorsEqualTheFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		reviewer := w.roles[antq.RoleReviewer]
		w.submitted(inUnit)
		req, err := http.NewRequest("GET", w.srv.URL+"/plans/"+planID+"/indicators.xlsx?unit=25195", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(reviewer.cookie)
		res, err := w.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("status %d: %s", res.StatusCode, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Chỉ tiêu theo đơn vị", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string][]string{}
		for _, r := range rows {
			if len(r) > 0 {
				byCode[r[0]] = r
			}
		}
		rep, err := db.Indicators(w.sys, planID, "25195")
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, u := range append([]store.UnitFigures{rep.Unit}, rep.Children...) {
			row, ok := byCode[u.Unit.Code]
			if !ok {
				t.Fatalf("no row for %s", u.Unit.Code)
			}
			for i, fig := range u.Figures {
				at := 3 + i*6 // code, name, kind, then six columns per target
				cell := func(j int) string {
					if at+j < len(row) {
						return row[at+j]
					}
					return ""
				}
				if cell(0) != strconv.FormatInt(fig.Num, 10) || cell(1) != strconv.FormatInt(fig.Den, 10) ||
					cell(4) != strconv.FormatInt(fig.Provisional.Num, 10) || cell(5) != strconv.FormatInt(fig.Pending, 10) {
					t.Errorf("%s %s: row %v, want %d/%d provisional %d pending %d", u.Unit.Code, fig.ID, row[at:min(at+6, len(row))],
						fig.Num, fig.Den, fig.Provisional.Num, fig.Pending)
				}
				checked++
			}
		}
		if checked < 4 {
			t.Fatalf("only %d figures checked", checked)
		}
	})
}

// The upload page shows each refused row at its cell and offers the
// marked copy; nothing is written (whole workbook).
func TestTemplatePageShowsProblems(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		entry := w.roles[antq.RoleDataEntry]
		f, err := excelize.OpenReader(bytes.NewReader(w.template("25195")))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Đăng ký")
		line := 0
		for i, r := range rows {
			if len(r) > 0 && r[0] == inUnit {
				line = i + 1
			}
		}
		if line == 0 {
			t.Fatalf("no row for %s in %v", inUnit, rows)
		}
		col := 0
		for j, h := range rows[0] {
			if h == "Ngày đăng ký" {
				col = j + 1
			}
		}
		cell, _ := excelize.CoordinatesToCellName(col, line)
		f.SetCellValue("Đăng ký", cell, "ngày mai")
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		res := w.do(request{method: "POST", path: "/plans/" + planID + "/templates?unit=25195", as: entry, cred: session,
			file: &formFile{name: "mau.xlsx", contents: buf.Bytes()}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422:\n%s", res.status, truncate(res.body))
		}
		for _, want := range []string{">" + cell + "<", "không phải ngày", "Tải tệp đã đánh dấu", "không ghi dòng nào"} {
			if !bytes.Contains([]byte(res.body), []byte(want)) {
				t.Errorf("page lacks %q:\n%s", want, truncate(res.body))
			}
		}
	})
}
