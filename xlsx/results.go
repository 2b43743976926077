// Package xlsx writes ANTQ's lists as Excel workbooks, the format provincial
// offices exchange.
package xlsx

import (
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/yearend"
)

// WriteResults writes the year-end results, one sheet per unit kind, with a
// title row naming the plan and the unit.
func WriteResults(w io.Writer, title string, rows []yearend.ResultRow) error {
	f := excelize.NewFile()
	defer f.Close()
	byKind := map[antq.UnitKind][]yearend.ResultRow{}
	for _, r := range rows {
		byKind[r.Unit.Kind] = append(byKind[r.Unit.Kind], r)
	}
	first := true
	headers := []any{"STT", "Mã", "Đơn vị", "Loại hình", "Trực thuộc", "Ngày đăng ký", "Công nhận “An toàn về ANTT”",
		"Số quyết định công nhận", "Ngày quyết định", "Cơ quan quyết định", "Xếp loại phong trào", "Điểm", "Số quyết định xếp loại"}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for _, kind := range antq.UnitKinds {
		list := byKind[kind]
		if len(list) == 0 {
			continue
		}
		sheet := truncateSheet(kind.Label())
		if first {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: Text(title)}}); err != nil {
			return err
		}
		hdr := make([]any, len(headers))
		for i, h := range headers {
			hdr[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A3", hdr); err != nil {
			return err
		}
		for i, r := range list {
			row := []any{i + 1, Text(r.Unit.Code), Text(r.Unit.Name), Text(r.Unit.Type), Text(r.Parent), dateCell(r.Registered),
				recognitionLabel(r.Recognition), Text(r.RecognitionDoc), dateOrEmpty(r.RecognitionOn), Text(r.Authority),
				gradeLabel(r.Grade), scoreCell(r.Score), Text(r.GradeDoc)}
			cell, _ := excelize.CoordinatesToCellName(1, i+4)
			if err := sw.SetRow(cell, row); err != nil {
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

// truncateSheet keeps sheet names within Excel's 31 characters, without the
// characters Excel forbids.
func truncateSheet(s string) string {
	out := make([]rune, 0, 31)
	for _, c := range s {
		switch c {
		case ':', '\\', '/', '?', '*', '[', ']':
			c = '-'
		}
		out = append(out, c)
		if len(out) == 31 {
			break
		}
	}
	return string(out)
}

func dateCell(d *antq.Date) any {
	if d == nil {
		return ""
	}
	return d.VN()
}

func dateOrEmpty(d antq.Date) any { return d.VN() }

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
