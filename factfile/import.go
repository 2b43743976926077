package factfile

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/xlsx"
)

// Importer is the storage an import needs.
type Importer interface {
	Plan(ctx context.Context, id string) (*rules.Plan, *rules.Catalog, error)
	ImportFacts(ctx context.Context, planID string, rows []store.FactRow, mode store.ImportMode) (*store.FactImportResult, error)
}

// Report is the outcome of an import: counts, every problem at its cell,
// and the workbook with each row's outcome in a column of its own.
type Report struct {
	Plan       string    `json:"plan"`
	Unit       string    `json:"unit"`
	PerRow     bool      `json:"per_row"`
	Committed  bool      `json:"committed"`
	Rows       int       `json:"rows"`
	Submitted  int       `json:"submitted"`
	Unchanged  int       `json:"unchanged"`
	Refused    int       `json:"refused"`
	NotWritten int       `json:"not_written"`
	Problems   []Problem `json:"problems"`
	Marked     []byte    `json:"-"`
}

// Summary is the report in one Vietnamese sentence.
func (r *Report) Summary() string {
	switch {
	case r.Refused == 0 && r.Submitted == 0:
		return fmt.Sprintf("Không có số liệu nào thay đổi (%d dòng không đổi).", r.Unchanged)
	case r.Refused == 0:
		return fmt.Sprintf("Đã ghi và gửi duyệt %d dòng; %d dòng không đổi.", r.Submitted, r.Unchanged)
	case !r.PerRow:
		return fmt.Sprintf("%d dòng có lỗi nên không ghi dòng nào (nhập cả tệp hoặc không gì cả). Sửa các dòng được đánh dấu rồi nạp lại.", r.Refused)
	}
	return fmt.Sprintf("Đã ghi và gửi duyệt %d dòng; %d dòng có lỗi không được ghi; %d dòng không đổi.", r.Submitted, r.Refused, r.Unchanged)
}

// Import reads a filled template for planID ("" = the plan it names) and
// writes it as the caller (store.ImportFacts): every row submitted for
// approval, per row or all-or-nothing. The error is a refusal of the
// workbook as a whole; row problems are in the report.
func Import(ctx context.Context, db Importer, planID string, data []byte, perRow bool, o Options) (*Report, error) {
	sets := func(id string) ([]*rules.RuleSet, error) {
		p, cat, err := db.Plan(ctx, id)
		if err != nil {
			return nil, err
		}
		return cat.RuleSetsOf(p)
	}
	wb, err := Read(data, planID, sets, o)
	if err != nil {
		return nil, err
	}
	rep := &Report{Plan: wb.Plan, Unit: wb.Unit, PerRow: perRow, Rows: len(wb.Rows), Problems: []Problem{}}
	var facts []store.FactRow
	var index []int // facts[k] is wb.Rows[index[k]]
	for i, r := range wb.Rows {
		if r.Err == nil {
			facts = append(facts, r.Fact)
			index = append(index, i)
		}
	}
	results := make([]store.FactRowResult, len(wb.Rows))
	for i, r := range wb.Rows {
		if r.Err != nil {
			results[i] = store.FactRowResult{Outcome: store.ImportRefused, Err: r.Err}
		}
	}
	// Rows whose cells could not be read refuse a whole-workbook import:
	// the other rows are still judged, and nothing is written.
	mode := store.ImportWhole
	switch {
	case perRow:
		mode = store.ImportPerRow
	case len(facts) < len(wb.Rows):
		mode = store.ImportCheck
	}
	res, err := db.ImportFacts(ctx, wb.Plan, facts, mode)
	if err != nil {
		return nil, err
	}
	for k, r := range res.Rows {
		results[index[k]] = r
	}
	for i, r := range results {
		switch r.Outcome {
		case store.ImportSubmitted:
			rep.Submitted++
		case store.ImportUnchanged:
			rep.Unchanged++
		case store.ImportRefused:
			rep.Refused++
			rep.Problems = append(rep.Problems, wb.Rows[i].Problems(r.Err)...)
		case store.ImportNotWritten:
			rep.NotWritten++
		}
	}
	rep.Committed = res.Committed
	if rep.Marked, err = mark(data, wb, results); err != nil {
		return nil, err
	}
	return rep, nil
}

// ResultColumn is the title of the column the marked copy adds.
const ResultColumn = "Kết quả nhập"

// outcomeLabels are the marked copy's words for each row's outcome ("Lỗi"
// for a refused row).
var outcomeLabels = antq.CodeList[store.ImportOutcome]{
	{Code: store.ImportSubmitted, Label: "Đã ghi, chờ duyệt"},
	{Code: store.ImportUnchanged, Label: "Không đổi"},
	{Code: store.ImportSkipped, Label: "Dòng trống, không ghi"},
	{Code: store.ImportNotWritten, Label: "Đúng, nhưng chưa ghi vì tệp có dòng lỗi"},
}

func outcomeLabel(o store.ImportOutcome) string { return outcomeLabels.LabelOr(o, "Lỗi") }

// mark returns a copy of the workbook with a result column on every fact
// sheet: each row's outcome, and for a refused row the reasons naming the
// cells, the row and its bad cells coloured.
func mark(data []byte, wb *Workbook, results []store.FactRowResult) ([]byte, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: DefaultMaxUnpacked, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fmt.Errorf("mark workbook: %w", err)
	}
	defer f.Close()
	rowStyle, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDE9E7"}}})
	if err != nil {
		return nil, err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F4B6B0"}},
		Border: []excelize.Border{{Type: "left", Color: "C00000", Style: 2}, {Type: "right", Color: "C00000", Style: 2},
			{Type: "top", Color: "C00000", Style: 2}, {Type: "bottom", Color: "C00000", Style: 2}}})
	if err != nil {
		return nil, err
	}
	reasonStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000", Bold: true}, Alignment: &excelize.Alignment{WrapText: true}})
	if err != nil {
		return nil, err
	}
	okStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "1E6B30"}})
	if err != nil {
		return nil, err
	}
	resultCol := map[string]int{} // sheet → the result column
	for _, sh := range sheets {
		if idx, _ := f.GetSheetIndex(sh.name); idx < 0 {
			continue
		}
		cols, err := f.GetCols(sh.name)
		if err != nil {
			return nil, fmt.Errorf("mark workbook: %w", err)
		}
		n := len(cols) + 1
		if len(cols) > 0 {
			if head, _ := f.GetCellValue(sh.name, cellName(len(cols), 1)); head == ResultColumn {
				n = len(cols) // a marked copy uploaded again reuses its column
			}
		}
		resultCol[sh.name] = n
		if err := f.SetCellStr(sh.name, cellName(n, 1), ResultColumn); err != nil {
			return nil, err
		}
		col, _ := excelize.ColumnNumberToName(n)
		if err := f.SetColWidth(sh.name, col, col, 60); err != nil {
			return nil, err
		}
	}
	for i, r := range wb.Rows {
		res := results[i]
		n := resultCol[r.Sheet]
		text := outcomeLabel(res.Outcome)
		style := okStyle
		if res.Outcome == store.ImportRefused {
			style = reasonStyle
			var parts []string
			last := n - 1
			from, to := cellName(1, r.Line), cellName(last, r.Line)
			if err := f.SetCellStyle(r.Sheet, from, to, rowStyle); err != nil {
				return nil, err
			}
			for _, p := range r.Problems(res.Err) {
				parts = append(parts, problemText(p))
				if p.Cell != "" {
					if err := f.SetCellStyle(r.Sheet, p.Cell, p.Cell, cellStyle); err != nil {
						return nil, err
					}
				}
			}
			text = "Lỗi — " + strings.Join(parts, "; ")
		}
		if res.Outcome == store.ImportSubmitted && res.ID > 0 && r.Fact.ID == 0 {
			if j, ok := r.cols["id"]; ok {
				// A new model or incident gets its number, so the copy
				// uploaded again updates it instead of adding it twice.
				if err := f.SetCellInt(r.Sheet, cellName(j, r.Line), res.ID); err != nil {
					return nil, err
				}
			}
		}
		cell := cellName(n, r.Line)
		if err := f.SetCellStr(r.Sheet, cell, xlsx.Text(text)); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(r.Sheet, cell, cell, style); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// problemText is a problem as the result column says it: "ô D5 (Ngày
// đăng ký): …".
func problemText(p Problem) string {
	if p.Cell == "" {
		return p.Reason
	}
	return fmt.Sprintf("ô %s (%s): %s", p.Cell, p.Column, p.Reason)
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// ErrNotTemplate reports whether err refuses the workbook as a whole (a
// Vietnamese reason for the user), not a failure of the server.
func ErrNotTemplate(err error) bool { return antq.ErrorCode(err) == antq.EINVALID }
