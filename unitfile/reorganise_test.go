package unitfile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/unitfile"
)

func TestReadReorganisation(t *testing.T) {
	const head = "event,effective_on,from_code,to_code,share,legal_number,legal_date,legal_issuer\n"
	rows, err := unitfile.ReadReorganisation("r.csv", strings.NewReader(head+
		"split,01/07/2025,25102,25195,40%,1662/NQ-UBTVQH15,16/06/2025,Ủy ban Thường vụ Quốc hội\n"+
		"split,2025-07-01,25102,25210,\"0,6\",1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội\n"+
		"split,2025-07-01,25103,25210,Không so sánh được,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || *rows[0].Share != 400_000 || *rows[1].Share != 600_000 || !rows[2].NotComparable ||
		rows[0].EffectiveOn != antq.NewDate(2025, 7, 1) || rows[0].Legal.Date != antq.NewDate(2025, 6, 16) || rows[0].Row != 2 {
		t.Errorf("rows %+v", rows)
	}
	// Header and cell errors, each with row and column.
	_, err = unitfile.ReadReorganisation("r.csv", strings.NewReader("event,from_code,colour\n"))
	for _, want := range []string{"r.csv:1 [colour]: cột không xác định", "r.csv:1 [effective_on]: thiếu cột bắt buộc"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	_, err = unitfile.ReadReorganisation("r.csv", strings.NewReader(head+
		"split,2025-13-01,25102,25195,140%,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội\n"))
	for _, want := range []string{"r.csv:2 [effective_on]: ngày không hợp lệ", "r.csv:2 [share]: tỷ lệ phải lớn hơn 0 và không quá 100%"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	// The same file as XLSX.
	f := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimSpace(head+"merge,2025-07-01,25213,25210,,1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội"), "\n") {
		for j, cell := range strings.Split(line, ",") {
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", name, cell)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err = unitfile.ReadReorganisation("r.xlsx", &buf)
	if err != nil || len(rows) != 1 || rows[0].From != "25213" || rows[0].Event != antq.LineageMerge {
		t.Fatalf("xlsx: %+v %v", rows, err)
	}
}
