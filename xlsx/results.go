// Package xlsx writes ANTQ's lists as Excel workbooks, the format provincial
// offices exchange.
package xlsx

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/yearend"
)

// resultColumns are the results sheet's columns with their widths (in
// characters of the default font).
var resultColumns = []struct {
	title string
	width float64
}{
	{"STT", 6}, {"Mã", 14}, {"Đơn vị", 32}, {"Loại hình", 14}, {"Trực thuộc", 28}, {"Ngày đăng ký", 13},
	{"Công nhận “An toàn về ANTT”", 16}, {"Số quyết định công nhận", 18}, {"Ngày quyết định", 14}, {"Cơ quan quyết định", 30},
	{"Xếp loại phong trào", 16}, {"Điểm", 8}, {"Số quyết định xếp loại", 18},
}

// headerRow is the row of the column titles (row 1 holds the title, row 2
// is empty).
const headerRow = 3

// WriteResults writes the year-end results, one sheet per unit kind, with a
// title row naming the plan and the unit: dates are Excel dates (shown
// dd/mm/yyyy), columns sized to their content, the header frozen with an
// autofilter over the list.
func WriteResults(w io.Writer, title string, rows []yearend.ResultRow) error {
	f := excelize.NewFile()
	defer f.Close()
	byKind := map[antq.UnitKind][]yearend.ResultRow{}
	for _, r := range rows {
		byKind[r.Unit.Kind] = append(byKind[r.Unit.Kind], r)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7ECF2"}}})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	scoreFmt := "0.0"
	scoreStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &scoreFmt})
	if err != nil {
		return err
	}
	first := true
	for _, kind := range antq.UnitKinds {
		list := byKind[kind]
		if len(list) == 0 {
			continue
		}
		sheet := SheetName(kind.Label())
		if first {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		// The sheet is streamed row by row (a nation's 597,278 units as
		// cells set one at a time did not finish in a minute); the
		// autofilter is set on the empty sheet, before the stream, over the
		// rows it will hold.
		last, _ := excelize.ColumnNumberToName(len(resultColumns))
		end := headerRow + len(list)
		if err := f.AutoFilter(sheet, "A"+strconv.Itoa(headerRow)+":"+last+strconv.Itoa(end), nil); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		titles := make([]any, len(resultColumns))
		for i, c := range resultColumns {
			titles[i] = excelize.Cell{StyleID: header, Value: c.title}
			if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
				return err
			}
		}
		// The title and the column titles stay in view, and so do the
		// number, code and name of the unit.
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 3, YSplit: headerRow, TopLeftCell: cell(4, headerRow+1), ActivePane: "bottomRight"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: Text(title)}}); err != nil {
			return err
		}
		if err := sw.SetRow(cell(1, headerRow), titles); err != nil {
			return err
		}
		styled := func(style int, v any) any {
			if v == "" {
				return nil
			}
			return excelize.Cell{StyleID: style, Value: v}
		}
		row := make([]any, len(resultColumns))
		for i, r := range list {
			row = append(row[:0], i+1, Text(r.Unit.Code), Text(r.Unit.Name), Text(r.Unit.Type), Text(r.Parent), styled(date, excelDate(r.Registered)),
				recognitionLabel(r.Recognition), Text(r.RecognitionDoc), styled(date, excelDate(&r.RecognitionOn)), Text(r.Authority),
				gradeLabel(r.Grade), styled(scoreStyle, scoreCell(r.Score)), Text(r.GradeDoc))
			if err := sw.SetRow(cell(1, headerRow+1+i), row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if first {
		f.SetCellValue("Sheet1", "A1", Text(title))
		f.SetCellValue("Sheet1", "A3", "Không có đơn vị nào.")
	}
	_, err = f.WriteTo(w)
	return err
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// excelDate is a date as Excel stores one (a serial day number shown
// through the date format), empty when there is none.
func excelDate(d *antq.Date) any {
	if d == nil || d.IsZero() {
		return ""
	}
	return d.Time()
}

// Text neutralises text that a spreadsheet would take for a formula
// (OWASP "CSV injection"): a value beginning with = + - @, their
// full-width forms, or a tab or carriage return (which some programs skip
// before such a sign) gets a leading apostrophe, so it shows as the text
// it is even once the workbook is saved as CSV and opened again. Every
// text cell of an export goes through Text (a CSV export must too).
func Text(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	switch first {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// SheetName fits a sheet name within Excel's 31 characters without the
// characters Excel forbids. A longer name takes its short form — the usual
// abbreviations of administrative documents ("thành phố" → "TP", "thị xã"
// → "TX", "thị trấn" → "TT") — and only a name still too long loses whole
// words from its end, marked with "…"; a name is never cut inside a word.
func SheetName(s string) string {
	s = strings.Map(func(c rune) rune {
		switch c {
		case ':', '\\', '/', '?', '*', '[', ']':
			return '-'
		}
		return c
	}, s)
	if utf8.RuneCountInString(s) <= 31 {
		return s
	}
	for _, a := range [][2]string{{"thành phố", "TP"}, {"Thành phố", "TP"}, {"thị xã", "TX"}, {"Thị xã", "TX"}, {"thị trấn", "TT"}, {"Thị trấn", "TT"},
		{"Ủy ban nhân dân", "UBND"}, {"doanh nghiệp", "DN"}, {"cơ sở giáo dục", "CSGD"}} {
		s = strings.ReplaceAll(s, a[0], a[1])
	}
	if utf8.RuneCountInString(s) <= 31 {
		return s
	}
	words := strings.Fields(s)
	for len(words) > 1 {
		words = words[:len(words)-1]
		if short := strings.TrimRight(strings.Join(words, " "), ",;-") + " …"; utf8.RuneCountInString(short) <= 31 {
			return short
		}
	}
	return string([]rune(s)[:31]) // one word longer than a sheet name
}

func recognitionLabel(r antq.RecognitionResult) string {
	if r == "" {
		return ""
	}
	return r.Label()
}

func gradeLabel(g antq.Grade) string {
	if g == "" {
		return ""
	}
	return g.Label()
}

func scoreCell(t *antq.Tenths) any {
	if t == nil {
		return ""
	}
	return float64(*t) / 10
}
