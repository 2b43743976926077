package factfile

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/xlsx"
)

// Template is what a template is made of: the plan and the units under
// the template's unit (itself first) with their facts.
type Template struct {
	Plan      *rules.Plan
	Sets      []*rules.RuleSet
	Units     []store.UnitWithFacts
	Kinds     []antq.FactKind // the sheets to write; none: every sheet
	Generated time.Time
}

// extraRows is how many rows below the filled ones keep the drop-downs
// and date formats, for rows the user adds.
const extraRows = 500

// lists are the drop-down lists of a plan: list name → labels, and for
// reading back, each label's and code's value.
type lists struct {
	order  []string
	labels map[string][]string
	values map[string]map[string]string // list → folded label or code → code
	label  map[string]map[string]string // list → code → label
}

func (l *lists) add(list, code, label string) {
	if l.values[list] == nil {
		l.order = append(l.order, list)
		l.values[list], l.label[list] = map[string]string{}, map[string]string{}
	}
	if _, dup := l.label[list][code]; dup {
		return
	}
	l.labels[list] = append(l.labels[list], label)
	l.label[list][code] = label
	l.values[list][fold(label)] = code
	l.values[list][fold(code)] = code
}

func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func planLists(sets []*rules.RuleSet) *lists {
	l := &lists{labels: map[string][]string{}, values: map[string]map[string]string{}, label: map[string]map[string]string{}}
	for _, rs := range sets {
		for _, mk := range rs.ModelKinds {
			l.add("model_kind", mk.Code, mk.Label)
		}
	}
	for _, s := range []antq.ModelStatus{antq.ModelNew, antq.ModelConsolidated, antq.ModelMaintained} {
		l.add("model_status", string(s), s.Label())
	}
	for _, rs := range sets {
		for _, ic := range rs.IncidentCategories() {
			l.add("incident_category", ic.Code, ic.Label)
		}
	}
	l.add("yes_no", "1", yes)
	l.add("yes_no", "0", no)
	return l
}

// onSheet reports whether the unit has a row on the sheet of kind: the
// units the rules let record the fact, and any unit that already has one.
func onSheet(t *Template, kind antq.FactKind, u store.UnitWithFacts) bool {
	switch kind {
	case antq.FactRegistration:
		ok, _ := rules.Eligibility(rules.RecognitionSet(t.Sets), u.Unit)
		return ok || u.Facts.Registration != nil
	case antq.FactPropaganda:
		return u.Unit.Kind.RecordsPropaganda() && t.Plan.CountsPropaganda(t.Sets, u.Unit) || u.Facts.Propaganda != nil
	case antq.FactModel:
		return u.Unit.Kind.BuildsModels() || len(u.Facts.Models) > 0
	}
	return true
}

// WriteTemplate writes the template of t: one sheet per fact kind with the
// units pre-filled by code and name and their current values, drop-down
// lists for the enumerations, dates as dates, a help sheet, and the very
// hidden sheet identifying format, plan and unit.
func WriteTemplate(w io.Writer, t Template) error {
	if len(t.Units) == 0 {
		return antq.Errorf(antq.EINVALID, "Không có đơn vị nào để lập mẫu")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	ls := planLists(t.Sets)
	first := true
	for _, sh := range sheets {
		if len(t.Kinds) > 0 && !slices.Contains(t.Kinds, sh.kind) {
			continue
		}
		if first {
			first = false
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		rows := templateRows(&t, sh.kind, ls)
		if err := writeSheet(f, st, &sh, rows, ls); err != nil {
			return err
		}
	}
	if err := writeHelp(f, &t); err != nil {
		return err
	}
	if err := writeLists(f, ls); err != nil {
		return err
	}
	root := t.Units[0].Unit
	meta := [][]any{
		{"format", Format},
		{"plan", t.Plan.ID},
		{"unit", root.Code},
		{"unit_name", xlsx.Text(root.Name)},
		{"generated", t.Generated.UTC().Format(time.RFC3339)},
	}
	if _, err := f.NewSheet(MetaSheet); err != nil {
		return err
	}
	for i, r := range meta {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(MetaSheet, cell, &r); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(MetaSheet, false, true); err != nil {
		return err
	}
	if err := f.SetSheetVisible(ListSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

type styles struct{ header, info, date, infoDate int }

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
	if s.info, err = f.NewStyle(&excelize.Style{Fill: grey, Font: &excelize.Font{Color: "595959"}}); err != nil {
		return nil, err
	}
	dateFmt := "dd/mm/yyyy"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, err
	}
	if s.infoDate, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Fill: grey}); err != nil {
		return nil, err
	}
	return &s, nil
}

// templateRows are the rows of the sheet of kind: per column key, the value.
func templateRows(t *Template, kind antq.FactKind, ls *lists) []map[string]any {
	var out []map[string]any
	for _, u := range t.Units {
		if !onSheet(t, kind, u) {
			continue
		}
		base := func() map[string]any {
			return map[string]any{"unit_code": u.Unit.Code, "unit_name": u.Unit.Name, "unit_type": u.Unit.Type}
		}
		switch kind {
		case antq.FactRegistration:
			r := base()
			if reg := u.Facts.Registration; reg != nil {
				r["registered_on"] = reg.RegisteredOn
				putDoc(r, reg.Document)
				r["state"] = reg.State.Label()
			}
			out = append(out, r)
		case antq.FactPropaganda:
			r := base()
			size := u.Unit.Size.Households
			if !u.Unit.Kind.CountsHouseholds() {
				size = u.Unit.Size.Persons()
			}
			if size != nil {
				r["registered"] = *size
			}
			if p := u.Facts.Propaganda; p != nil {
				r["reached"], r["total"], r["total_reason"], r["as_of"] = p.Reached, p.Total, p.TotalReason, p.AsOf
				putDoc(r, p.Document)
				r["state"] = p.State.Label()
			}
			out = append(out, r)
		case antq.FactModel:
			for _, m := range u.Facts.Models {
				r := base()
				r["id"], r["name"], r["kind"], r["status"] = m.ID, m.Name, ls.label["model_kind"][m.Kind], m.Status.Label()
				if r["kind"] == "" {
					r["kind"] = m.Kind
				}
				r["started_on"], r["members"], r["effective"] = m.StartedOn, m.Members, yesNo(m.Effective)
				if a := m.Assessment; a != nil {
					r["assessed_on"], r["assessed_by"], r["basis"] = a.On, a.By, a.Basis
				}
				putDoc(r, m.Document)
				r["state"] = m.State.Label()
				out = append(out, r)
			}
			out = append(out, base()) // a row for a new model
		case antq.FactIncident:
			for _, inc := range u.Facts.Incidents {
				r := base()
				r["id"], r["occurred_on"], r["description"], r["verified"] = inc.ID, inc.OccurredOn, inc.Description, yesNo(inc.Verified)
				r["category"] = ls.label["incident_category"][inc.Category]
				if r["category"] == "" {
					r["category"] = inc.Category
				}
				putDoc(r, inc.Document)
				r["state"] = inc.State.Label()
				out = append(out, r)
			}
			if u.Unit.Kind != antq.KindProvince && u.Unit.Kind != antq.KindNation {
				out = append(out, base()) // a row for a new incident
			}
		}
	}
	return out
}

func putDoc(r map[string]any, d *antq.DocumentRef) {
	if d == nil {
		return
	}
	r["doc_number"], r["doc_date"], r["doc_issuer"], r["doc_title"] = d.Number, d.Date, d.Issuer, d.Title
}

func yesNo(b bool) string {
	if b {
		return yes
	}
	return no
}

func writeSheet(f *excelize.File, st *styles, sh *sheet, rows []map[string]any, ls *lists) error {
	name := sh.name
	for j, c := range sh.cols {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(name, cell, c.title); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(sh.cols), 1)
	if err := f.SetCellStyle(name, "A1", last, st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(name, 1, 32); err != nil {
		return err
	}
	for i, r := range rows {
		for j, c := range sh.cols {
			v, ok := r[c.key]
			if !ok {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := setCell(f, name, cell, v); err != nil {
				return err
			}
		}
	}
	end := len(rows) + 1 + extraRows
	for j, c := range sh.cols {
		from, _ := excelize.CoordinatesToCellName(j+1, 2)
		to, _ := excelize.CoordinatesToCellName(j+1, end)
		var style int
		switch {
		case c.info && c.kind == colDate:
			style = st.infoDate
		case c.info:
			style = st.info
		case c.kind == colDate:
			style = st.date
		}
		if style != 0 {
			if err := f.SetCellStyle(name, from, to, style); err != nil {
				return err
			}
		}
		list := c.list
		if c.kind == colBool {
			list = "yes_no"
		}
		if list != "" && len(ls.labels[list]) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = from + ":" + to
			dv.SetSqrefDropList(listRange(ls, list))
			dv.SetError(excelize.DataValidationErrorStyleStop, "Giá trị không có trong danh mục", "Hãy chọn một giá trị trong danh sách.")
			if err := f.AddDataValidation(name, dv); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// setCell writes one value: dates as dates, numbers as numbers, text made
// harmless (xlsx.Text).
func setCell(f *excelize.File, sheet, cell string, v any) error {
	switch x := v.(type) {
	case antq.Date:
		if x.IsZero() {
			return nil
		}
		return f.SetCellValue(sheet, cell, x.Time())
	case string:
		if x == "" {
			return nil
		}
		return f.SetCellStr(sheet, cell, xlsx.Text(x))
	case int64:
		return f.SetCellInt(sheet, cell, x)
	}
	return f.SetCellValue(sheet, cell, v)
}

// listRange is the cells of ListSheet holding list's labels.
func listRange(ls *lists, list string) string {
	for i, l := range ls.order {
		if l == list {
			col, _ := excelize.ColumnNumberToName(i + 1)
			return fmt.Sprintf("'%s'!$%s$2:$%s$%d", ListSheet, col, col, len(ls.labels[list])+1)
		}
	}
	return ""
}

var listTitles = map[string]string{"model_kind": "Loại mô hình", "model_status": "Tình trạng mô hình",
	"incident_category": "Loại vụ việc", "yes_no": "Có / Không"}

func writeLists(f *excelize.File, ls *lists) error {
	if _, err := f.NewSheet(ListSheet); err != nil {
		return err
	}
	for i, l := range ls.order {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(ListSheet, col+"1", listTitles[l]); err != nil {
			return err
		}
		for j, label := range ls.labels[l] {
			if err := f.SetCellStr(ListSheet, fmt.Sprintf("%s%d", col, j+2), xlsx.Text(label)); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(ListSheet, col, col, 40); err != nil {
			return err
		}
	}
	return nil
}

func writeHelp(f *excelize.File, t *Template) error {
	const name = "Hướng dẫn"
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	root := t.Units[0].Unit
	lines := []string{
		"Mẫu nhập số liệu phong trào “Toàn dân bảo vệ an ninh Tổ quốc”",
		fmt.Sprintf("Kế hoạch: %s (%s) — đơn vị: %s (%s) — lập lúc %s", t.Plan.Title, t.Plan.Document.Number, root.Name, root.Code,
			t.Generated.In(vnZone).Format("15:04 02/01/2006")),
		"",
		"Mỗi trang là một loại số liệu: Đăng ký, Tuyên truyền, Mô hình, Vụ việc. Đơn vị đã được điền sẵn theo mã và tên, kèm số liệu hiện có.",
		"Cột nền xám (tên đơn vị, loại hình, quy mô đăng ký, trạng thái) chỉ để đối chiếu; khi nạp tệp, các cột này không được đọc.",
		"Ngày ghi dạng dd/mm/yyyy (ví dụ 15/03/2023). Số ghi bằng chữ số, không dùng công thức: ô có công thức làm cả tệp bị từ chối.",
		"Loại mô hình, tình trạng, loại vụ việc, có/không: chọn trong danh sách thả xuống.",
		"Thêm mô hình hoặc vụ việc mới: điền vào dòng có mã đơn vị và để trống cột Số hiệu; cần thêm dòng thì chép một dòng, xóa Số hiệu.",
		"Dòng đã có Số hiệu là số liệu đã ghi: sửa giá trị để cập nhật (chỉ khi số liệu ở trạng thái Nháp hoặc Trả lại).",
		"Để trống một dòng không xóa số liệu đã ghi; xóa số liệu trên trang Nhập liệu.",
		"Khi nạp tệp, mỗi dòng được kiểm tra như khi nhập trên trang Nhập liệu, rồi được gửi duyệt (trạng thái Chờ duyệt).",
		"Đăng ký và số liệu tuyên truyền cần số, ngày văn bản (hoặc tệp minh chứng đã tải lên) mới gửi duyệt được.",
		"Tệp trả về đánh dấu dòng lỗi và ghi lý do ở cột “Kết quả nhập”, nêu ô bị lỗi.",
		"Không đổi tên các trang và không xóa trang ẩn: trang ẩn cho biết mẫu thuộc kế hoạch và đơn vị nào.",
	}
	for i, l := range lines {
		if err := f.SetCellStr(name, fmt.Sprintf("A%d", i+1), xlsx.Text(l)); err != nil {
			return err
		}
	}
	return f.SetColWidth(name, "A", "A", 140)
}

var vnZone = time.FixedZone("ICT", 7*3600)
