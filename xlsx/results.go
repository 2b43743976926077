// Package xlsx writes ANTQ's lists as Excel workbooks, the format provincial
// offices exchange.
package xlsx

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

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
// autofilter over the list. Each sheet keeps the rows' order.
func WriteResults(w io.Writer, title string, rows []yearend.ResultRow) error {
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b yearend.ResultRow) int {
		return cmp.Compare(kindIndex(a.Unit.Kind), kindIndex(b.Unit.Kind))
	})
	s, err := NewResultsStream(w, title)
	if err != nil {
		return err
	}
	for i := range sorted {
		if err := s.Add(&sorted[i]); err != nil {
			return err
		}
	}
	return s.Close()
}

// ResultsStream writes the results workbook of WriteResults straight to
// its writer as the rows come (Add), grouped by unit kind in the order of
// antq.UnitKinds, as store.EachResult reads them: the first bytes leave
// before the first row is read, and a nation's 597,278 results never sit in
// memory, nor in a file. Close ends the workbook; a stream not closed is a
// broken file.
type ResultsStream struct {
	book  *zipBook
	title string
	kind  int // the index of the sheet's kind, -1 before the first
	n     int // the sheet's rows
	cells []zipCell
}

// NewResultsStream starts the workbook on w.
func NewResultsStream(w io.Writer, title string) (*ResultsStream, error) {
	b, err := newZipBook(w)
	if err != nil {
		return nil, err
	}
	return &ResultsStream{book: b, title: title, kind: -1, cells: make([]zipCell, len(resultColumns))}, nil
}

// Add writes the next row. A row of a kind that comes after a later kind's
// is an error; a kind the workbook has no sheet for is left out.
func (s *ResultsStream) Add(r *yearend.ResultRow) error {
	switch k := kindIndex(r.Unit.Kind); {
	case k < 0:
		return nil
	case k < s.kind:
		return fmt.Errorf("xlsx: a result of %s after those of %s", r.Unit.Kind, antq.UnitKinds[s.kind])
	case k > s.kind:
		if err := s.startSheet(k); err != nil {
			return err
		}
	}
	s.n++
	score := zipCell{}
	if r.Score != nil {
		score = numberCell(float64(*r.Score)/10, styleScore)
	}
	s.cells = append(s.cells[:0], numberCell(float64(s.n), styleNone), textCell(Text(r.Unit.Code), styleNone), textCell(Text(r.Unit.Name), styleNone),
		textCell(Text(r.Unit.Type), styleNone), textCell(Text(r.Parent), styleNone), dateCell(r.Registered),
		textCell(recognitionLabel(r.Recognition), styleNone), textCell(Text(r.RecognitionDoc), styleNone), dateCell(&r.RecognitionOn),
		textCell(Text(r.Authority), styleNone), textCell(gradeLabel(r.Grade), styleNone), score, textCell(Text(r.GradeDoc), styleNone))
	return s.book.addRow(s.cells)
}

// startSheet ends the sheet being written (its autofilter over its rows)
// and starts the one of the k-th kind: the title, an empty row, the column
// titles; the widths, and the title rows and the number, code and name of
// the unit frozen in view.
func (s *ResultsStream) startSheet(k int) error {
	if s.kind >= 0 {
		s.book.setFilter(headerRow, len(resultColumns))
	}
	s.kind, s.n = k, 0
	return s.header(SheetName(antq.UnitKinds[k].Label()))
}

func (s *ResultsStream) header(sheet string) error {
	widths := make([]float64, len(resultColumns))
	titles := make([]zipCell, len(resultColumns))
	for i, c := range resultColumns {
		widths[i], titles[i] = c.width, textCell(c.title, styleHeader)
	}
	if err := s.book.startSheet(sheet, sheetLayout{widths: widths, frozenCols: 3, frozenRows: headerRow}); err != nil {
		return err
	}
	for _, row := range [][]zipCell{{textCell(Text(s.title), styleBold)}, nil, titles} {
		if err := s.book.addRow(row); err != nil {
			return err
		}
	}
	return nil
}

// Close ends the last sheet and the workbook; a workbook without a row says
// so on its one sheet.
func (s *ResultsStream) Close() error {
	if s.kind < 0 {
		if err := s.book.startSheet("Sheet1", sheetLayout{}); err != nil {
			return err
		}
		for _, row := range [][]zipCell{{textCell(Text(s.title), styleNone)}, nil, {textCell("Không có đơn vị nào.", styleNone)}} {
			if err := s.book.addRow(row); err != nil {
				return err
			}
		}
	} else {
		s.book.setFilter(headerRow, len(resultColumns))
	}
	return s.book.close()
}

// kindIndex is the place of kind in antq.UnitKinds, the order of the
// sheets (-1: none).
func kindIndex(kind antq.UnitKind) int { return slices.Index(antq.UnitKinds, kind) }

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
