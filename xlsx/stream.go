package xlsx

import (
	"fmt"
	"io"
	"time"

	"antq"
)

// The shared streaming writer of every table export (children tables,
// failing lists, inboxes, decision lists, the registry of models, cluster
// rankings): a sheet is written row by row as its rows are read, straight
// into the response, so a table of 100,000 rows never sits in memory and
// the download begins at once. Text goes through Text, dates are dates,
// numbers numbers.

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

// Stream writes the tables as one workbook to w, straight into its zip
// (zipBook): the first bytes leave before the first row is read, and no
// sheet is kept, in memory or in a file.
func Stream(w io.Writer, tables ...Table) error {
	b, err := newZipBook(w)
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := SheetName(t.Sheet)
		if name == "" {
			name = fmt.Sprintf("Bảng %d", i+1)
		}
		if err := streamTable(b, name, &t); err != nil {
			return err
		}
	}
	return b.close()
}

// defaultWidths are the columns' widths by kind, where a column gives none.
var defaultWidths = map[ColumnKind]float64{ColText: 28, ColNumber: 12, ColDate: 12, ColPercent: 10}

func streamTable(b *zipBook, name string, t *Table) error {
	widths := make([]float64, len(t.Columns))
	for j, c := range t.Columns {
		widths[j] = c.Width
		if widths[j] == 0 {
			widths[j] = defaultWidths[c.Kind]
		}
	}
	headerRow := 3
	if t.Subtitle != "" {
		headerRow = 4
	}
	if err := b.startSheet(name, sheetLayout{widths: widths, frozenRows: headerRow}); err != nil {
		return err
	}
	top := [][]zipCell{{textCell(Text(t.Title), styleTitle)}}
	if t.Subtitle != "" {
		top = append(top, []zipCell{textCell(Text(t.Subtitle), styleNone)})
	}
	header := make([]zipCell, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = textCell(c.Title, styleTableHeader)
	}
	top = append(top, nil, header) // a blank row before the header
	for _, row := range top {
		if err := b.addRow(row); err != nil {
			return err
		}
	}
	n := 0
	out := make([]zipCell, len(t.Columns))
	emit := func(values ...any) error {
		if len(values) != len(t.Columns) {
			return fmt.Errorf("xlsx: %d values for %d columns of %q", len(values), len(t.Columns), t.Sheet)
		}
		for j, v := range values {
			out[j] = cellValue(t.Columns[j].Kind, v)
		}
		n++
		return b.addRow(out)
	}
	if t.Rows != nil {
		if err := t.Rows(emit); err != nil {
			return err
		}
	}
	if n == 0 && t.Empty != "" {
		return b.addRow([]zipCell{textCell(Text(t.Empty), styleNone)})
	}
	return nil
}

// cellValue is v as the cell of a column of kind k: nil and zero dates
// are empty cells.
func cellValue(k ColumnKind, v any) zipCell {
	switch x := v.(type) {
	case nil:
		return zipCell{}
	case *int64:
		if x == nil {
			return zipCell{}
		}
		return numberCell(float64(*x), styleNone)
	case *float64:
		if x == nil {
			return zipCell{}
		}
		v = *x
	case antq.Date:
		return dateCell(&x)
	case *antq.Date:
		return dateCell(x)
	case time.Time:
		if x.IsZero() {
			return zipCell{}
		}
		return numberCell(excelSerial(x), styleDate)
	case string:
		return textCell(Text(x), styleNone)
	case bool:
		if x {
			return textCell("Có", styleNone)
		}
		return textCell("Không", styleNone)
	}
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case float64:
		f = x
	case float32:
		f = float64(x)
	case fmt.Stringer:
		return textCell(Text(x.String()), styleNone)
	default:
		return textCell(Text(fmt.Sprint(x)), styleNone)
	}
	switch {
	case k == ColPercent:
		return numberCell(f, stylePercent)
	case k == ColNumber && f != float64(int64(f)):
		return numberCell(f, styleDecimal)
	}
	return numberCell(f, styleNone)
}
