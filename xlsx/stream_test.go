package xlsx_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/xlsx"
)

// The streaming writer: text neutralised, dates as date cells, numbers
// as numbers, every row emitted in order, an empty table says so.
func TestStreamTables(t *testing.T) {
	n := int64(7)
	var buf bytes.Buffer
	err := xlsx.Stream(&buf, xlsx.Table{Sheet: "Danh sách", Title: "=HYPERLINK(\"http://evil.example\")", Subtitle: "Phường Tân Phú",
		Columns: []xlsx.Column{{Title: "Đơn vị"}, {Title: "Ngày", Kind: xlsx.ColDate}, {Title: "Số", Kind: xlsx.ColNumber}, {Title: "Tỷ lệ", Kind: xlsx.ColPercent}},
		Rows: func(emit func(...any) error) error {
			for _, s := range hostileTexts {
				if err := emit(s, antq.MustDate("2023-03-15"), &n, 0.85); err != nil {
					return err
				}
			}
			return emit("Khu phố 9", antq.Date{}, (*int64)(nil), nil)
		}}, xlsx.Table{Sheet: "Trống", Title: "Không có gì", Columns: []xlsx.Column{{Title: "Đơn vị"}}, Empty: "Không có đơn vị nào."})
	if err != nil {
		t.Fatal(err)
	}
	if cells := checkWorkbook(t, buf.Bytes()); cells < len(hostileTexts)*4 {
		t.Fatalf("only %d cells", cells)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Danh sách")
	if err != nil {
		t.Fatal(err)
	}
	// Title, subtitle, blank, header, then the rows.
	if len(rows) != 4+len(hostileTexts)+1 || rows[3][0] != "Đơn vị" || rows[4][1] != "15/03/2023" || rows[4][2] != "7" {
		t.Fatalf("rows = %q", rows)
	}
	raw, _ := f.GetCellValue("Danh sách", "B5", excelize.Options{RawCellValue: true})
	if raw != "45000" { // 15/03/2023 as an Excel date serial
		t.Fatalf("the date is stored as %q, not a date", raw)
	}
	if last := rows[len(rows)-1]; last[0] != "Khu phố 9" || len(last) > 1 {
		t.Fatalf("last row = %q; want empty cells for empty values", last)
	}
	if empty, _ := f.GetCellValue("Trống", "A4"); empty != "Không có đơn vị nào." {
		t.Fatalf("empty table = %q", empty)
	}
}
