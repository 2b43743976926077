package factfile

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"antq"
	"antq/rules"
	"antq/store"
)

// Workbook is a template read back.
type Workbook struct {
	Format string
	Plan   string // the plan the template was made for
	Unit   string // the unit it was made for
	Rows   []Row  // the rows with a unit or a value, sheet by sheet
	data   []byte
}

// Row is one row of a sheet. Err is set when a cell could not be read
// (its Fields name column keys); the row then goes no further.
type Row struct {
	Sheet string
	Line  int // the row's number in the sheet
	Fact  store.FactRow
	Err   error
	cols  map[string]int // column key → 1-based column of the sheet
}

// Cell names the cell of the row's column for a field of the rules'
// errors ("registered_on", "document.number", "unit"), e.g. "D5"; "" when
// the sheet has no such column.
func (r *Row) Cell(field string) string {
	j, ok := r.cols[fieldColumn(field)]
	if !ok {
		return ""
	}
	cell, _ := excelize.CoordinatesToCellName(j, r.Line)
	return cell
}

// Read reads a filled template for the plan planID ("" accepts the plan
// the template names). A workbook that is not a template of this format,
// or is hostile, is refused as a whole (EINVALID, the reason in
// Vietnamese); cells that cannot be read are reported on their rows.
// Nothing in a cell is ever evaluated: values are read as stored, and a
// formula cell refuses the workbook.
func Read(data []byte, planID string, sets func(planID string) ([]*rules.RuleSet, error), o Options) (*Workbook, error) {
	o = o.withDefaults()
	if err := scan(data, o); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: o.MaxUnpacked, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, refuse("Tệp không phải sổ tính Excel (.xlsx) đọc được")
	}
	defer f.Close()
	wb := &Workbook{data: data}
	if err := readMeta(f, wb); err != nil {
		return nil, err
	}
	if planID != "" && wb.Plan != planID {
		return nil, refuse("Mẫu này lập cho kế hoạch %s, không phải kế hoạch %s; hãy tải mẫu của kế hoạch này", wb.Plan, planID)
	}
	rs, err := sets(wb.Plan)
	if err != nil {
		return nil, err
	}
	ls := planLists(rs)
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	found := 0
	for i := range sheets {
		sh := &sheets[i]
		if idx, _ := f.GetSheetIndex(sh.name); idx < 0 {
			continue
		}
		found++
		if err := readSheet(f, sh, ls, date1904, wb); err != nil {
			return nil, err
		}
	}
	if found == 0 {
		return nil, refuse("Tệp không có trang số liệu nào (Đăng ký, Tuyên truyền, Mô hình, Vụ việc); đừng đổi tên các trang")
	}
	return wb, nil
}

func readMeta(f *excelize.File, wb *Workbook) error {
	missing := refuse("Tệp không phải mẫu nhập số liệu của hệ thống (thiếu trang ẩn nhận diện mẫu); hãy tải mẫu từ trang Nhập liệu")
	if idx, _ := f.GetSheetIndex(MetaSheet); idx < 0 {
		return missing
	}
	rows, err := f.GetRows(MetaSheet)
	if err != nil {
		return missing
	}
	for _, r := range rows {
		if len(r) < 2 {
			continue
		}
		switch r[0] {
		case "format":
			wb.Format = r[1]
		case "plan":
			wb.Plan = r[1]
		case "unit":
			wb.Unit = r[1]
		}
	}
	if wb.Format != Format {
		return refuse("Mẫu thuộc phiên bản khác (%q); hãy tải mẫu mới từ trang Nhập liệu", wb.Format)
	}
	if wb.Plan == "" || wb.Unit == "" {
		return missing
	}
	return nil
}

func readSheet(f *excelize.File, sh *sheet, ls *lists, date1904 bool, wb *Workbook) error {
	rows, err := f.Rows(sh.name)
	if err != nil {
		return refuse("Không đọc được trang %s", sh.name)
	}
	defer rows.Close()
	line := 0
	var cols map[string]int
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return refuse("Không đọc được dòng %d của trang %s", line, sh.name)
		}
		if cols == nil {
			if allBlank(cells) {
				continue
			}
			if cols, err = readHeader(sh, cells, line); err != nil {
				return err
			}
			continue
		}
		if allBlank(cells) {
			continue
		}
		r := parseRow(sh, cols, cells, ls, date1904)
		r.Line = line
		if r.Fact.Unit == "" && r.Fact.Blank && r.Err == nil {
			continue // nothing in it but names
		}
		wb.Rows = append(wb.Rows, r)
	}
	if err := rows.Error(); err != nil {
		return refuse("Không đọc được trang %s", sh.name)
	}
	return nil
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readHeader finds the sheet's columns by their titles; every column the
// import reads is required.
func readHeader(sh *sheet, cells []string, line int) (map[string]int, error) {
	cols := map[string]int{}
	for j, c := range cells {
		title := fold(c)
		for _, col := range sh.cols {
			if fold(col.title) == title {
				cols[col.key] = j + 1
			}
		}
	}
	var missing []string
	for _, col := range sh.cols {
		if _, ok := cols[col.key]; !ok && !col.info {
			missing = append(missing, "“"+col.title+"”")
		}
	}
	if len(missing) > 0 {
		return nil, refuse("Trang %s, dòng tiêu đề %d: thiếu cột %s; đừng đổi tên, xóa các cột của mẫu", sh.name, line, strings.Join(missing, ", "))
	}
	return cols, nil
}

// cellReader reads the typed values of one row, collecting each bad
// cell's reason under its column key.
type cellReader struct {
	sh       *sheet
	cols     map[string]int
	cells    []string
	ls       *lists
	date1904 bool
	bad      antq.FieldErrors
}

func (c *cellReader) raw(key string) string {
	j, ok := c.cols[key]
	if !ok || j-1 >= len(c.cells) {
		return ""
	}
	return c.cells[j-1]
}

func (c *cellReader) title(key string) string {
	for _, col := range c.sh.cols {
		if col.key == key {
			return col.title
		}
	}
	return key
}

func (c *cellReader) fail(key, format string, args ...any) {
	c.bad.Add(key, fmt.Sprintf(format, args...))
}

// text is a text cell: trimmed, NFC, runs of white space as one space; an
// apostrophe our exports put before a formula sign is taken off again.
func (c *cellReader) text(key string) string {
	s := c.raw(key)
	if !utf8.ValidString(s) {
		c.fail(key, "văn bản không hợp lệ (sai mã hóa)")
		return ""
	}
	s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@＝＋－＠", []rune(s[1:])[0]) {
		s = s[1:]
	}
	return s
}

func (c *cellReader) date(key string) antq.Date {
	s := strings.TrimSpace(c.raw(key))
	if s == "" {
		return antq.Date{}
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v < 1 || v > 2958465 || v != float64(int64(v)) && v-float64(int64(v)) > 0.99999 {
			c.fail(key, "không phải ngày hợp lệ (%s)", s)
			return antq.Date{}
		}
		t, err := excelize.ExcelDateToTime(v, c.date1904)
		if err != nil {
			c.fail(key, "không phải ngày hợp lệ (%s)", s)
			return antq.Date{}
		}
		return antq.DateOf(t)
	}
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return antq.DateOf(t)
		}
	}
	c.fail(key, "“%s” không phải ngày; ghi ngày dạng dd/mm/yyyy, ví dụ 15/03/2023", clip(s))
	return antq.Date{}
}

func (c *cellReader) count(key string) *int64 {
	s := strings.TrimSpace(c.raw(key))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, " ", ""), 64)
	if err != nil || v != float64(int64(v)) || v < 0 || v > 1e12 {
		c.fail(key, "“%s” không phải số nguyên không âm", clip(s))
		return nil
	}
	n := int64(v)
	return &n
}

func (c *cellReader) id() int64 {
	s := strings.TrimSpace(c.raw("id"))
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 1 || v != float64(int64(v)) || v > 1e15 {
		c.fail("id", "số hiệu “%s” không hợp lệ; để trống khi thêm mới", clip(s))
		return 0
	}
	return int64(v)
}

func (c *cellReader) boolean(key string) bool {
	switch strings.ToLower(strings.TrimSpace(norm.NFC.String(c.raw(key)))) {
	case "", "không", "khong", "0", "false", "no", "k":
		return false
	case "có", "co", "1", "true", "yes", "x", "c":
		return true
	}
	c.fail(key, "ghi “%s” hoặc “%s”", yes, no)
	return false
}

// enum returns the code of the list value the cell names (by label or
// code); "" when empty.
func (c *cellReader) enum(key, list string) string {
	s := c.text(key)
	if s == "" {
		return ""
	}
	if code, ok := c.ls.values[list][fold(s)]; ok {
		return code
	}
	c.fail(key, "“%s” không có trong danh mục %s; chọn trong danh sách thả xuống", clip(s), strings.ToLower(c.title(key)))
	return ""
}

func (c *cellReader) doc() *antq.DocumentRef {
	d := antq.DocumentRef{Number: c.text("doc_number"), Date: c.date("doc_date"), Issuer: c.text("doc_issuer"), Title: c.text("doc_title")}
	if d == (antq.DocumentRef{}) {
		return nil
	}
	return &d
}

// blank reports whether every read column but the unit and id is empty.
func (c *cellReader) blank() bool {
	for _, col := range c.sh.cols {
		if col.info || col.key == "unit_code" || col.key == "id" {
			continue
		}
		if strings.TrimSpace(c.raw(col.key)) != "" {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

func parseRow(sh *sheet, cols map[string]int, cells []string, ls *lists, date1904 bool) Row {
	c := &cellReader{sh: sh, cols: cols, cells: cells, ls: ls, date1904: date1904, bad: antq.FieldErrors{}}
	r := Row{Sheet: sh.name, cols: cols}
	fr := store.FactRow{Kind: sh.kind, Unit: strings.TrimSpace(c.raw("unit_code")), Blank: c.blank()}
	if _, ok := cols["id"]; ok {
		fr.ID = c.id()
	}
	if fr.Unit == "" && !fr.Blank {
		c.fail("unit_code", "cần mã đơn vị (điền như các dòng có sẵn)")
	}
	if !fr.Blank {
		switch sh.kind {
		case antq.FactRegistration:
			fr.Registration = &antq.Registration{RegisteredOn: c.date("registered_on"), Document: c.doc()}
		case antq.FactPropaganda:
			fr.Propaganda = &antq.PropagandaInput{Reached: c.count("reached"), Total: c.count("total"), AsOf: c.date("as_of"),
				TotalReason: c.text("total_reason"), Document: c.doc()}
		case antq.FactModel:
			in := antq.ModelInput{Document: c.doc()}
			if s := c.text("name"); s != "" {
				in.Name = &s
			}
			if k := c.enum("kind", "model_kind"); k != "" {
				in.Kind = &k
			}
			if s := c.enum("status", "model_status"); s != "" {
				st := antq.ModelStatus(s)
				in.Status = &st
			}
			started := c.date("started_on")
			in.StartedOn = &started
			members := c.count("members")
			if members == nil {
				members = new(int64)
			}
			in.Members = members
			eff := c.boolean("effective")
			in.Effective = &eff
			a := antq.ModelAssessment{On: c.date("assessed_on"), By: c.text("assessed_by"), Basis: c.text("basis")}
			if a != (antq.ModelAssessment{}) {
				in.Assessment = &a
			}
			fr.Model = &in
		case antq.FactIncident:
			fr.Incident = &antq.IncidentInput{OccurredOn: c.date("occurred_on"), Category: c.enum("category", "incident_category"),
				Description: c.text("description"), Verified: c.boolean("verified"), Document: c.doc()}
		}
	}
	if len(c.bad) > 0 {
		r.Err = antq.Invalid("Ô không đọc được", c.bad)
	}
	r.Fact = fr
	return r
}

// Problem is one reason a row was refused, at its cell.
type Problem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Cell   string `json:"cell,omitempty"`   // "D5"; "" when the reason is the row's
	Column string `json:"column,omitempty"` // the column's title
	Reason string `json:"reason"`
}

// String is the problem as a line of a report: "Đăng ký!D5 (Ngày đăng
// ký): …".
func (p Problem) String() string {
	where := fmt.Sprintf("%s, dòng %d", p.Sheet, p.Row)
	if p.Cell != "" {
		where = fmt.Sprintf("%s!%s (%s)", p.Sheet, p.Cell, p.Column)
	}
	return where + ": " + p.Reason
}

// Problems lists, for a refused row, each reason at its cell: the fields
// of err in order, or the message alone when it names none.
func (r *Row) Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	msg := antq.ErrorMessage(err)
	fields := antq.ErrorFields(err)
	if len(fields) == 0 {
		cell := ""
		switch antq.ErrorCode(err) {
		case antq.ENOTFOUND, antq.EFORBIDDEN, antq.ECONFLICT:
			cell = r.Cell("unit") // the unit cannot be written
		}
		return []Problem{{Sheet: r.Sheet, Row: r.Line, Cell: cell, Column: r.columnTitle(cell, "unit"), Reason: msg}}
	}
	var out []Problem
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		cell := r.Cell(k)
		reason := fields[k]
		if cell == "" {
			reason = msg + ": " + reason
		}
		out = append(out, Problem{Sheet: r.Sheet, Row: r.Line, Cell: cell, Column: r.columnTitle(cell, k), Reason: reason})
	}
	return out
}

func (r *Row) columnTitle(cell, field string) string {
	if cell == "" {
		return ""
	}
	sh := sheetOf(r.Fact.Kind)
	key := fieldColumn(field)
	for _, c := range sh.cols {
		if c.key == key {
			return c.title
		}
	}
	return ""
}
