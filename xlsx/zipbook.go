package xlsx

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"antq"
)

// zipBook writes a workbook (SpreadsheetML) straight into a zip stream on
// its writer, so the first bytes leave before the first row is read and no
// sheet is kept, in memory or in a file: the parts that name no sheet go
// first (content types, the package's relations, the styles), then each
// sheet as its rows come, then the workbook and its relations, which name
// the sheets. The order of a zip's entries means nothing to a reader: the
// central directory at the end names them all.
//
// Its cells are text (inline strings, never a formula), numbers and dates
// (serial days under a date format), each in one of the styles of
// zipStyles.
type zipBook struct {
	zw     *zip.Writer
	sheets []zipSheetInfo
	sheet  *bufio.Writer // the sheet being written, nil between sheets
	row    int           // the rows it holds so far
}

// zipSheetInfo is what the workbook says of a sheet: its name and the
// range of its autofilter ("" for none).
type zipSheetInfo struct {
	name, filter string
}

// The styles of the cells (indexes into cellXfs of zipStyles).
const (
	styleNone        = 0
	styleBold        = 1 // the results' title
	styleHeader      = 2 // the results' column titles: bold, shaded, wrapped, centred vertically
	styleDate        = 3 // dd/mm/yyyy
	styleScore       = 4 // one decimal
	styleTitle       = 5 // a table's title: bold, 13 points
	styleTableHeader = 6 // a table's column titles: bold, shaded blue, a rule below, wrapped
	stylePercent     = 7 // 0.00%
	styleDecimal     = 8 // #,##0.0
)

const zipStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.0"/><numFmt numFmtId="166" formatCode="#,##0.0"/></numFmts>` +
	`<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFE7ECF2"/><bgColor indexed="64"/></patternFill></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="1" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// maxCellText is Excel's limit on the characters of a cell.
const maxCellText = 32767

// newZipBook starts the workbook on w with the parts that name no sheet.
func newZipBook(w io.Writer) (*zipBook, error) {
	b := &zipBook{zw: zip.NewWriter(w)}
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/styles.xml", zipStyles},
	} {
		if err := b.part(p.name, p.body); err != nil {
			return nil, err
		}
	}
	// Out of the zip's buffer: the reader sees the file begin.
	return b, b.zw.Flush()
}

// part writes one whole entry.
func (b *zipBook) part(name, body string) error {
	f, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, body)
	return err
}

// zipTime is the entries' modification time: fixed, so the same rows make
// the same file.
var zipTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// sheetLayout is how a sheet opens: its columns' widths (in characters of
// the default font) and the rows and columns frozen at its top left.
type sheetLayout struct {
	widths                 []float64
	frozenCols, frozenRows int
}

// startSheet ends the sheet being written, if any, and starts the sheet
// name.
func (b *zipBook) startSheet(name string, l sheetLayout) error {
	if err := b.endSheet(); err != nil {
		return err
	}
	f, err := b.zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", len(b.sheets)+1), Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	b.sheets = append(b.sheets, zipSheetInfo{name: name})
	b.sheet, b.row = bufio.NewWriterSize(f, 64<<10), 0
	w := b.sheet
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheetViews><sheetView workbookViewId="0"`)
	if len(b.sheets) == 1 {
		w.WriteString(` tabSelected="1"`)
	}
	w.WriteString(`>`)
	if l.frozenCols > 0 || l.frozenRows > 0 {
		topLeft := cellRef(l.frozenCols+1, l.frozenRows+1)
		pane, split := "bottomRight", ""
		switch {
		case l.frozenCols == 0:
			pane, split = "bottomLeft", fmt.Sprintf(`ySplit="%d"`, l.frozenRows)
		case l.frozenRows == 0:
			pane, split = "topRight", fmt.Sprintf(`xSplit="%d"`, l.frozenCols)
		default:
			split = fmt.Sprintf(`xSplit="%d" ySplit="%d"`, l.frozenCols, l.frozenRows)
		}
		fmt.Fprintf(w, `<pane %s topLeftCell="%s" activePane="%s" state="frozen"/><selection pane="%s" activeCell="%s" sqref="%s"/>`,
			split, topLeft, pane, pane, topLeft, topLeft)
	}
	w.WriteString(`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(l.widths) > 0 {
		w.WriteString(`<cols>`)
		for i, width := range l.widths {
			fmt.Fprintf(w, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(width, 'f', -1, 64))
		}
		w.WriteString(`</cols>`)
	}
	w.WriteString(`<sheetData>`)
	return nil
}

// zipCell is one cell: text or a number (a date is its serial day under a
// date style), in a style; the zero cell is an empty one.
type zipCell struct {
	style  int
	text   string
	number float64
	kind   byte // 0 empty, 't' text, 'n' number
}

func textCell(s string, style int) zipCell {
	if s == "" {
		return zipCell{}
	}
	return zipCell{kind: 't', text: s, style: style}
}

// numberCell is v in style; not a number (NaN, an infinity) is an empty
// cell, which a spreadsheet can hold.
func numberCell(v float64, style int) zipCell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return zipCell{}
	}
	return zipCell{kind: 'n', number: v, style: style}
}

func dateCell(d *antq.Date) zipCell {
	if d == nil || d.IsZero() {
		return zipCell{}
	}
	return zipCell{kind: 'n', number: excelSerial(d.Time()), style: styleDate}
}

// excelSerial is t's wall clock as Excel's serial days: whole days for a
// midnight, a fraction for the time of day.
func excelSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return wall.Sub(excelEpoch).Hours() / 24
}

// excelEpoch is day 0 of Excel's serial days (1900 date system, with its
// leap-year error folded in for every date after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// addRow writes the next row (row numbers count from 1, with no gap) of
// the sheet being written.
func (b *zipBook) addRow(cells []zipCell) error {
	if b.sheet == nil {
		return errors.New("xlsx: a row outside a sheet")
	}
	b.row++
	w := b.sheet
	fmt.Fprintf(w, `<row r="%d">`, b.row)
	for i, c := range cells {
		if c.kind == 0 {
			continue
		}
		w.WriteString(`<c r="` + cellRef(i+1, b.row) + `"`)
		if c.style != styleNone {
			fmt.Fprintf(w, ` s="%d"`, c.style)
		}
		switch c.kind {
		case 't':
			if utf8.RuneCountInString(c.text) > maxCellText {
				return fmt.Errorf("xlsx: a text of more than %d characters in %s", maxCellText, cellRef(i+1, b.row))
			}
			w.WriteString(` t="inlineStr"><is><t xml:space="preserve">`)
			xml.EscapeText(w, []byte(c.text))
			w.WriteString(`</t></is></c>`)
		case 'n':
			w.WriteString(`><v>` + strconv.FormatFloat(c.number, 'f', -1, 64) + `</v></c>`)
		}
	}
	_, err := w.WriteString(`</row>`)
	return err
}

// setFilter puts an autofilter over the columns 1 to cols of the rows from
// header to the last written, on the sheet being written.
func (b *zipBook) setFilter(header, cols int) {
	b.sheets[len(b.sheets)-1].filter = cellRef(1, header) + ":" + cellRef(cols, max(b.row, header+1))
}

// endSheet ends the sheet being written, if any.
func (b *zipBook) endSheet() error {
	if b.sheet == nil {
		return nil
	}
	w := b.sheet
	w.WriteString(`</sheetData>`)
	if f := b.sheets[len(b.sheets)-1].filter; f != "" {
		w.WriteString(`<autoFilter ref="` + f + `"/>`)
	}
	w.WriteString(`</worksheet>`)
	b.sheet = nil
	return w.Flush()
}

// close ends the last sheet, writes the workbook and its relations, and
// the zip's central directory.
func (b *zipBook) close() error {
	if err := b.endSheet(); err != nil {
		return err
	}
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var names strings.Builder
	for i, s := range b.sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlText(s.name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsRel, i+1)
		if s.filter != "" {
			from, to, _ := strings.Cut(s.filter, ":")
			fmt.Fprintf(&names, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s</definedName>`, i,
				xmlText("'"+strings.ReplaceAll(s.name, "'", "''")+"'!"+absoluteRef(from)+":"+absoluteRef(to)))
		}
	}
	wb.WriteString(`</sheets>`)
	if names.Len() > 0 {
		wb.WriteString(`<definedNames>` + names.String() + `</definedNames>`)
	}
	wb.WriteString(`</workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/></Relationships>`, len(b.sheets)+1, nsRel)
	if err := b.part("xl/workbook.xml", wb.String()); err != nil {
		return err
	}
	if err := b.part("xl/_rels/workbook.xml.rels", rels.String()); err != nil {
		return err
	}
	return b.zw.Close()
}

// cellRef is the A1 name of the cell at column col and row (both from 1).
func cellRef(col, row int) string {
	return columnName(col) + strconv.Itoa(row)
}

func columnName(col int) string {
	var name []byte
	for ; col > 0; col = (col - 1) / 26 {
		name = append([]byte{byte('A' + (col-1)%26)}, name...)
	}
	return string(name)
}

// absoluteRef is an A1 name with both parts fixed: A3 → $A$3.
func absoluteRef(ref string) string {
	i := strings.IndexFunc(ref, func(c rune) bool { return c >= '0' && c <= '9' })
	return "$" + ref[:i] + "$" + ref[i:]
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
