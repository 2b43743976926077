package xlsx

import (
	"bytes"
	"math"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The zip writer's own pieces: column names past Z, fixed references, a
// sheet name with an apostrophe in the filter's defined name, and numbers
// that are not numbers left empty.
func TestZipBook(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA"} {
		if got := columnName(col); got != want {
			t.Errorf("columnName(%d) = %q, want %q", col, got, want)
		}
	}
	if got := absoluteRef("AB12"); got != "$AB$12" {
		t.Errorf("absoluteRef(AB12) = %q", got)
	}
	var buf bytes.Buffer
	b, err := newZipBook(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.startSheet("Xã 'mới' 1", sheetLayout{widths: []float64{10, 20}, frozenRows: 1}); err != nil {
		t.Fatal(err)
	}
	rows := [][]zipCell{{textCell("Tên", styleTableHeader), textCell("Số", styleTableHeader)},
		{textCell("a <b> & \"c\"", styleNone), numberCell(math.NaN(), styleNone)},
		{textCell("d", styleNone), numberCell(math.Inf(1), styleNone)},
		{}}
	for _, r := range rows {
		if err := b.addRow(r); err != nil {
			t.Fatal(err)
		}
	}
	b.setFilter(1, 2)
	if err := b.close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.GetRows("Xã 'mới' 1")
	if len(got) < 3 || got[1][0] != "a <b> & \"c\"" || len(got[1]) != 1 || len(got[2]) != 1 {
		t.Errorf("rows = %q; want the text kept and NaN, Inf empty", got)
	}
	found := false
	for _, n := range f.GetDefinedName() {
		found = found || n.Name == "_xlnm._FilterDatabase" && n.RefersTo == "'Xã ''mới'' 1'!$A$1:$B$4"
	}
	if !found {
		t.Errorf("defined names = %+v, want the filter over A1:B4 with the apostrophes doubled", f.GetDefinedName())
	}
	if w, _ := f.GetColWidth("Xã 'mới' 1", "B"); w != 20 {
		t.Errorf("column B width = %v, want 20", w)
	}
	if p, err := f.GetPanes("Xã 'mới' 1"); err != nil || !p.Freeze || p.YSplit != 1 || p.XSplit != 0 {
		t.Errorf("panes = %+v, %v; want the first row frozen", p, err)
	}
}
