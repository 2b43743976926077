package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"antq"
)

// The shared streaming writer of every table export (children tables,
// failing lists, inboxes, decision lists, the registry of models, cluster
// rankings): a sheet is written row by row as its rows are read, so a
// table of 100,000 rows never sits in memory (excelize's stream writer
// keeps the sheet in a temporary file past 16 MB). Text goes through
// Text, dates are dates, numbers numbers.

// ColumnKind is how a column's values are written.
type ColumnKind int

const (
	// ColText: text, made harmless by Text.
	ColText ColumnKind = iota
	// ColNumber: a number (int, int64, float64, *int64, *float64).
	ColNumber
	// ColDate: an antq.Date or time.Time, shown dd/mm/yyyy.
	ColDate
	// ColPercent: a share 0–1 (float64 or *float64), shown as a percentage.
	ColPercent
)

// Column is one column of a table.
type Column struct {
	Title string
	Kind  ColumnKind
	Width float64 // 0: a width from the kind
}

// Table is one sheet: a title row, a subtitle (what, for whom, when),
// the header, then the rows Rows emits, in order.
type Table struct {
	Sheet    string // the sheet's name (shortened to Excel's 31 characters)
	Title    string
	Subtitle string
	Columns  []Column
	// Rows calls emit once per row with one value per column; an error
	// from emit (the client went away) must be returned.
	Rows func(emit func(values ...any) error) error
	// Empty is written instead of the rows when there are none.
	Empty string
}

// Stream writes the tables as one workbook to w.
func Stream(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStreamStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := SheetName(t.Sheet)
		if name == "" {
			name = fmt.Sprintf("Bảng %d", i+1)
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := streamTable(f, name, &t, st); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

type streamStyles struct{ title, header, date, percent, decimal int }

func newStreamStyles(f *excelize.File) (*streamStyles, error) {
	var s streamStyles
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return nil, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}}); err != nil {
		return nil, err
	}
	dateFmt := "dd/mm/yyyy"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, err
	}
	if s.percent, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
		return nil, err
	}
	decimal := "#,##0.0"
	if s.decimal, err = f.NewStyle(&excelize.Style{CustomNumFmt: &decimal}); err != nil {
		return nil, err
	}
	return &s, nil
}

func streamTable(f *excelize.File, name string, t *Table, st *streamStyles) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for j, c := range t.Columns {
		width := c.Width
		if width == 0 {
			width = map[ColumnKind]float64{ColText: 28, ColNumber: 12, ColDate: 12, ColPercent: 10}[c.Kind]
		}
		if err := sw.SetColWidth(j+1, j+1, width); err != nil {
			return err
		}
	}
	headerRow := 3
	if t.Subtitle != "" {
		headerRow = 4
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := 1
	put := func(values []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, values)
	}
	if err := put([]any{excelize.Cell{StyleID: st.title, Value: Text(t.Title)}}); err != nil {
		return err
	}
	if t.Subtitle != "" {
		if err := put([]any{Text(t.Subtitle)}); err != nil {
			return err
		}
	}
	row++ // a blank row before the header
	header := make([]any, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = excelize.Cell{StyleID: st.header, Value: c.Title}
	}
	if err := put(header); err != nil {
		return err
	}
	n := 0
	out := make([]any, len(t.Columns))
	emit := func(values ...any) error {
		if len(values) != len(t.Columns) {
			return fmt.Errorf("xlsx: %d values for %d columns of %q", len(values), len(t.Columns), t.Sheet)
		}
		for j, v := range values {
			out[j] = cellValue(t.Columns[j].Kind, v, st)
		}
		n++
		return put(out)
	}
	if t.Rows != nil {
		if err := t.Rows(emit); err != nil {
			return err
		}
	}
	if n == 0 && t.Empty != "" {
		if err := put([]any{Text(t.Empty)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cellValue is v as the cell of a column of kind k: nil and zero dates
// are empty cells.
func cellValue(k ColumnKind, v any, st *streamStyles) any {
	switch x := v.(type) {
	case nil:
		return nil
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		v = *x
	case antq.Date:
		if x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: st.date, Value: x.Time()}
	case *antq.Date:
		if x == nil || x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: st.date, Value: x.Time()}
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: st.date, Value: x}
	case string:
		if x == "" {
			return nil
		}
		return Text(x)
	case bool:
		if x {
			return "Có"
		}
		return "Không"
	}
	switch k {
	case ColPercent:
		return excelize.Cell{StyleID: st.percent, Value: v}
	case ColNumber:
		if f, ok := v.(float64); ok && f != float64(int64(f)) {
			return excelize.Cell{StyleID: st.decimal, Value: f}
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return Text(s.String())
	}
	return v
}
