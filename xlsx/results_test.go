package xlsx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/xlsx"
	"antq/yearend"
)

func TestWriteResults(t *testing.T) {
	score := antq.Tenths(925)
	reg := antq.MustDate("2023-02-10")
	rows := []yearend.ResultRow{
		{Unit: &antq.Unit{Code: "25195-KDC01", Name: "Khu phố 1", Kind: antq.KindResidentialArea, Type: "Khu phố"}, Parent: "Phường Tân Phú",
			Registered: &reg, Recognition: antq.RecognitionMet, RecognitionDoc: "120/QĐ-UBND", RecognitionOn: antq.MustDate("2023-11-15"),
			Authority: "UBND phường Tân Phú", Grade: antq.GradeExcellent, Score: &score},
		{Unit: &antq.Unit{Code: "25195-KDC02", Name: "Khu phố 2", Kind: antq.KindResidentialArea, Type: "Khu phố"}, Parent: "Phường Tân Phú"},
		{Unit: &antq.Unit{Code: "25195", Name: "Phường Tân Phú", Kind: antq.KindCommune}},
		{Unit: &antq.Unit{Code: "689", Name: "Thành phố Đồng Xoài", Kind: antq.KindDistrict}},
	}
	var buf bytes.Buffer
	if err := xlsx.WriteResults(&buf, "Kết quả năm 2023", rows); err != nil {
		t.Fatal(err)
	}
	book := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	// "Huyện, thị xã, thành phố thuộc tỉnh" has 35 characters: its short form.
	want := []string{"Huyện, TX, TP thuộc tỉnh", "Xã, phường, thị trấn", "Khu dân cư"}
	if len(sheets) != len(want) {
		t.Fatalf("sheets = %q, want %q (one per unit kind, in kind order)", sheets, want)
	}
	for i := range want {
		if sheets[i] != want[i] {
			t.Errorf("sheet %d = %q, want %q", i, sheets[i], want[i])
		}
	}
	got, _ := f.GetRows("Khu dân cư")
	if len(got) != 5 || got[0][0] != "Kết quả năm 2023" || got[2][2] != "Đơn vị" {
		t.Fatalf("rows = %q", got)
	}
	wantRow := []string{"1", "25195-KDC01", "Khu phố 1", "Khu phố", "Phường Tân Phú", "10/02/2023", "Đạt", "120/QĐ-UBND", "15/11/2023", "UBND phường Tân Phú", "Xuất sắc", "92.5"}
	for i, w := range wantRow {
		if got[3][i] != w {
			t.Errorf("column %d = %q, want %q", i, got[3][i], w)
		}
	}
	// Dates are Excel dates (serial numbers under a date format), not text.
	for _, c := range []struct{ cell, serial string }{{"F4", "44967"}, {"I4", "45245"}} {
		raw, err := f.GetCellValue("Khu dân cư", c.cell, excelize.Options{RawCellValue: true})
		if err != nil || raw != c.serial {
			t.Errorf("%s raw = %q, %v; want the serial day %s", c.cell, raw, err, c.serial)
		}
		if typ, _ := f.GetCellType("Khu dân cư", c.cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s is text", c.cell)
		}
	}
	if v, _ := f.GetCellValue("Khu dân cư", "F5"); v != "" {
		t.Errorf("no registration shows %q", v)
	}
	// Widths, frozen header, autofilter.
	if w, _ := f.GetColWidth("Khu dân cư", "C"); w < 25 {
		t.Errorf("name column width %v", w)
	}
	panes, err := f.GetPanes("Khu dân cư")
	if err != nil || !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("panes = %+v, %v; want the first 3 rows frozen", panes, err)
	}
	names := f.GetDefinedName()
	filtered := false
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && n.Scope == "Khu dân cư" && n.RefersTo == "'Khu dân cư'!$A$3:$M$5" {
			filtered = true
		}
	}
	if !filtered {
		t.Errorf("no autofilter over A3:M5 of the areas' sheet: %+v", names)
	}
	// The sheet itself carries the filter (the defined name alone shows no
	// filter buttons).
	if x := sheetXML(t, book, "Khu dân cư"); !strings.Contains(x, `<autoFilter ref="A3:M5"`) {
		t.Errorf("the areas' sheet has no autofilter over A3:M5")
	}
}

// sheetXML is the worksheet XML of the sheet named name in the workbook.
func sheetXML(t *testing.T, book []byte, name string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := f.GetSheetIndex(name)
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %q", name)
	}
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name != fmt.Sprintf("xl/worksheets/sheet%d.xml", idx+1) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("no worksheet part for sheet %q", name)
	return ""
}

// TestResultsStream: rows added kind after kind make the sheets with their
// autofilters; a kind after a later one is refused.
func TestResultsStream(t *testing.T) {
	rows := []yearend.ResultRow{
		{Unit: &antq.Unit{Code: "25195", Name: "Phường Tân Phú", Kind: antq.KindCommune}},
		{Unit: &antq.Unit{Code: "25196", Name: "Phường Tân Bình", Kind: antq.KindCommune}},
		{Unit: &antq.Unit{Code: "25195-KDC01", Name: "Khu phố 1", Kind: antq.KindResidentialArea}},
	}
	var buf bytes.Buffer
	s, err := xlsx.NewResultsStream(&buf, "Kết quả")
	if err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Error("nothing written before the first row")
	}
	for i := range rows {
		if err := s.Add(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(&rows[0]); err == nil || !strings.Contains(err.Error(), "after") {
		t.Errorf("a commune after the areas: err = %v, want a refusal", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	book := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Xã, phường, thị trấn", "Khu dân cư"}) {
		t.Fatalf("sheets = %q", got)
	}
	communes, _ := f.GetRows("Xã, phường, thị trấn")
	if len(communes) != 5 || communes[3][1] != "25195" || communes[4][0] != "2" || communes[4][1] != "25196" {
		t.Errorf("communes' sheet = %q, want both in order, numbered 1 and 2", communes)
	}
	for sheet, ref := range map[string]string{"Xã, phường, thị trấn": "A3:M5", "Khu dân cư": "A3:M4"} {
		if x := sheetXML(t, book, sheet); !strings.Contains(x, `<autoFilter ref="`+ref+`"`) {
			t.Errorf("%s: no autofilter over %s", sheet, ref)
		}
	}
}

func TestSheetName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Khu dân cư", "Khu dân cư"},
		{"Huyện, thị xã, thành phố thuộc tỉnh", "Huyện, TX, TP thuộc tỉnh"},
		{"Cơ quan/đơn vị [thử]", "Cơ quan-đơn vị -thử-"},
		{"Danh sách các đơn vị được công nhận đạt tiêu chuẩn an toàn", "Danh sách các đơn vị được …"},
	} {
		got := xlsx.SheetName(c.in)
		if got != c.want || utf8.RuneCountInString(got) > 31 {
			t.Errorf("SheetName(%q) = %q, want %q (≤ 31 characters)", c.in, got, c.want)
		}
	}
}
