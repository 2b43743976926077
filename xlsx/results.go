// Package xlsx writes ANTQ's lists as Excel workbooks, the format provincial
// offices exchange.
package xlsx

import (
	"cmp"
	"fmt"
	"io"
	"slices"
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
// autofilter over the list. Each sheet keeps the rows' order.
func WriteResults(w io.Writer, title string, rows []yearend.ResultRow) error {
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b yearend.ResultRow) int {
		return cmp.Compare(kindIndex(a.Unit.Kind), kindIndex(b.Unit.Kind))
	})
	counts := map[antq.UnitKind]int{}
	for _, r := range sorted {
		counts[r.Unit.Kind]++
	}
	b, err := NewResultsBook(title, counts)
	if err != nil {
		return err
	}
	defer b.Close()
	for i := range sorted {
		if err := b.Add(&sorted[i]); err != nil {
			return err
		}
	}
	_, err = b.WriteTo(w)
	return err
}

// ResultsBook is the results workbook written as its rows come (Add), so a
// nation's 597,278 results never sit in memory together: the rows come
// grouped by unit kind in the order of antq.UnitKinds (as store.EachResult
// reads them), and each sheet is streamed (excelize keeps a sheet past 16 MB
// in a temporary file). Close removes what it kept.
type ResultsBook struct {
	f      *excelize.File
	title  string
	counts map[antq.UnitKind]int // rows of each kind, for the autofilters

	bold, header, date, score int // styles

	// The sheet being written: its kind's index, name, stream and rows.
	kind  int
	sheet string
	sw    *excelize.StreamWriter
	n     int
	row   []any
}

// NewResultsBook starts a workbook titled title whose sheets will hold
// counts[kind] rows of each kind (the autofilter of a streamed sheet is set
// before its rows).
func NewResultsBook(title string, counts map[antq.UnitKind]int) (*ResultsBook, error) {
	b := &ResultsBook{f: excelize.NewFile(), title: title, counts: counts, kind: -1, row: make([]any, len(resultColumns))}
	dateFmt, scoreFmt := "dd/mm/yyyy", "0.0"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&b.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&b.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7ECF2"}}}},
		{&b.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&b.score, &excelize.Style{CustomNumFmt: &scoreFmt}},
	} {
		var err error
		if *s.id, err = b.f.NewStyle(s.style); err != nil {
			b.f.Close()
			return nil, err
		}
	}
	return b, nil
}

// Add writes the next row. A row of a kind that comes after a later kind's
// is an error; a kind the workbook has no sheet for is left out.
func (b *ResultsBook) Add(r *yearend.ResultRow) error {
	switch k := kindIndex(r.Unit.Kind); {
	case k < 0:
		return nil
	case k < b.kind:
		return fmt.Errorf("xlsx: a result of %s after those of %s", r.Unit.Kind, antq.UnitKinds[b.kind])
	case k > b.kind:
		if err := b.startSheet(k); err != nil {
			return err
		}
	}
	styled := func(style int, v any) any {
		if v == "" {
			return nil
		}
		return excelize.Cell{StyleID: style, Value: v}
	}
	b.n++
	b.row = append(b.row[:0], b.n, Text(r.Unit.Code), Text(r.Unit.Name), Text(r.Unit.Type), Text(r.Parent), styled(b.date, excelDate(r.Registered)),
		recognitionLabel(r.Recognition), Text(r.RecognitionDoc), styled(b.date, excelDate(&r.RecognitionOn)), Text(r.Authority),
		gradeLabel(r.Grade), styled(b.score, scoreCell(r.Score)), Text(r.GradeDoc))
	return b.sw.SetRow(cell(1, headerRow+b.n), b.row)
}

// startSheet ends the sheet being written and starts the one of the k-th
// kind: the autofilter over the rows it will hold is set on the empty sheet,
// before the stream, then the widths, the frozen panes, the title and the
// column titles.
func (b *ResultsBook) startSheet(k int) error {
	first := b.sw == nil
	if !first {
		if err := b.sw.Flush(); err != nil {
			return err
		}
	}
	b.kind, b.sheet, b.n = k, SheetName(antq.UnitKinds[k].Label()), 0
	if first {
		if err := b.f.SetSheetName("Sheet1", b.sheet); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(b.sheet); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(resultColumns))
	end := headerRow + max(b.counts[antq.UnitKinds[k]], 1)
	if err := b.f.AutoFilter(b.sheet, "A"+strconv.Itoa(headerRow)+":"+last+strconv.Itoa(end), nil); err != nil {
		return err
	}
	var err error
	if b.sw, err = b.f.NewStreamWriter(b.sheet); err != nil {
		return err
	}
	titles := make([]any, len(resultColumns))
	for i, c := range resultColumns {
		titles[i] = excelize.Cell{StyleID: b.header, Value: c.title}
		if err := b.sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	// The title and the column titles stay in view, and so do the number,
	// code and name of the unit.
	if err := b.sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 3, YSplit: headerRow, TopLeftCell: cell(4, headerRow+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := b.sw.SetRow("A1", []any{excelize.Cell{StyleID: b.bold, Value: Text(b.title)}}); err != nil {
		return err
	}
	return b.sw.SetRow(cell(1, headerRow), titles)
}

// WriteTo ends the last sheet and writes the workbook to w; a workbook
// without a row says so on its one sheet.
func (b *ResultsBook) WriteTo(w io.Writer) (int64, error) {
	if b.sw == nil {
		b.f.SetCellValue("Sheet1", "A1", Text(b.title))
		b.f.SetCellValue("Sheet1", "A3", "Không có đơn vị nào.")
	} else if err := b.sw.Flush(); err != nil {
		return 0, err
	}
	return b.f.WriteTo(w)
}

// Close removes the temporary files of the streamed sheets.
func (b *ResultsBook) Close() error { return b.f.Close() }

// kindIndex is the place of kind in antq.UnitKinds, the order of the
// sheets (-1: none).
func kindIndex(kind antq.UnitKind) int { return slices.Index(antq.UnitKinds, kind) }

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
