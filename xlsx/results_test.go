package xlsx_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/xlsx"
	"antq/yearend"
)

func TestWriteResults(t *testing.T) {
	score := antq.Tenths(925)
	reg := antq.MustDate("2023-02-10")
	rows := []yearend.ResultRow{
		{Unit: &antq.Unit{Code: "25195-KDC01", Name: "Khu phố 1", Kind: antq.KindResidentialArea, Type: "Khu phố"}, Parent: "Phường Tân Phú",
			Registered: &reg, Recognition: antq.RecognitionMet, RecognitionDoc: "120/QĐ-UBND", RecognitionOn: antq.MustDate("2023-11-15"),
			Authority: "UBND cấp xã", Grade: antq.GradeExcellent, Score: &score},
		{Unit: &antq.Unit{Code: "25195", Name: "Phường Tân Phú", Kind: antq.KindCommune}},
	}
	var buf bytes.Buffer
	if err := xlsx.WriteResults(&buf, "Kết quả năm 2023", rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Xã, phường, thị trấn" || sheets[1] != "Khu dân cư" {
		t.Fatalf("sheets = %q (one per unit kind, in kind order)", sheets)
	}
	got, _ := f.GetRows("Khu dân cư")
	if len(got) != 4 || got[0][0] != "Kết quả năm 2023" || got[2][2] != "Đơn vị" {
		t.Fatalf("rows = %q", got)
	}
	want := []string{"1", "25195-KDC01", "Khu phố 1", "Khu phố", "Phường Tân Phú", "10/02/2023", "Đạt", "120/QĐ-UBND", "15/11/2023", "UBND cấp xã", "Xuất sắc", "92.5"}
	for i, w := range want {
		if got[3][i] != w {
			t.Errorf("column %d = %q, want %q", i, got[3][i], w)
		}
	}
}
