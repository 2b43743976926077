package xlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"antq/cluster"
	"antq/rules"
)

// WriteRanking writes a cluster's ranking: one row per member with its
// rank (ties marked), total and the points of every criterion of the
// sheet, under a title row; points are numbers with one decimal.
func WriteRanking(w io.Writer, title string, sheet *rules.Sheet, rows []cluster.Row) error {
	f := excelize.NewFile()
	defer f.Close()
	name := "Xếp hạng"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	tenth, err := f.NewStyle(&excelize.Style{NumFmt: 0, CustomNumFmt: ptr("0.0")})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: Text(title)}}); err != nil {
		return err
	}
	hdr := []any{excelize.Cell{StyleID: bold, Value: "Hạng"}, excelize.Cell{StyleID: bold, Value: "Đồng hạng"},
		excelize.Cell{StyleID: bold, Value: "Mã"}, excelize.Cell{StyleID: bold, Value: "Đơn vị"},
		excelize.Cell{StyleID: bold, Value: "Tổng điểm (tối đa " + sheet.Max().VN() + ")"}}
	for _, cr := range sheet.Criteria() {
		label := cr.Title + " (" + cr.Kind.Label() + ", tối đa " + cr.Max.VN() + ")"
		if !cr.Verified {
			label += " — chưa xác minh"
		}
		hdr = append(hdr, excelize.Cell{StyleID: bold, Value: Text(label)})
	}
	if err := sw.SetRow("A3", hdr); err != nil {
		return err
	}
	for i, r := range rows {
		tied := ""
		if r.Tied {
			tied = "Đồng hạng"
		}
		row := []any{r.Rank, tied, Text(r.Unit.Code), Text(r.Unit.Name), excelize.Cell{StyleID: tenth, Value: float64(r.Total) / 10}}
		for _, l := range r.Lines {
			row = append(row, excelize.Cell{StyleID: tenth, Value: float64(l.Points) / 10})
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+4)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func ptr[T any](v T) *T { return &v }
