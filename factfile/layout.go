// Package factfile writes the Excel templates in which units report their
// facts for a plan (registration, propaganda, models, incidents: one sheet
// each), reads them back, refusing hostile workbooks, into store.FactRow
// values, and marks the rows an import refused in a copy of the workbook.
//
// A template's first row is its header; the columns are found by their
// titles, so columns may be moved. A hidden sheet (Format) names the
// template's format, plan and unit, so a workbook is never read against
// another plan.
package factfile

import (
	"antq"
)

// Format is the version of the template layout the hidden sheet records.
const Format = "antq-facts/1"

// MetaSheet is the very hidden sheet that identifies a template.
const MetaSheet = "ANTQ"

// ListSheet is the hidden sheet holding the drop-down lists.
const ListSheet = "Danh mục"

type colKind int

const (
	colText colKind = iota
	colDate
	colCount
	colBool
	colEnum
	colID
)

// column is one column of a sheet; info columns are written for the
// reader's sake (names, states) and never read back.
type column struct {
	key   string
	title string
	kind  colKind
	width float64
	info  bool
	list  string // colEnum: the list of ListSheet it takes
}

// sheet is one fact kind's sheet.
type sheet struct {
	kind  antq.FactKind
	name  string
	title string // what the sheet is for, in the help line
	cols  []column
}

var docCols = []column{
	{key: "doc_number", title: "Số văn bản", width: 16},
	{key: "doc_date", title: "Ngày văn bản", kind: colDate, width: 13},
	{key: "doc_issuer", title: "Cơ quan ban hành", width: 24},
	{key: "doc_title", title: "Trích yếu", width: 30},
}

var stateCol = column{key: "state", title: "Trạng thái hiện tại", width: 14, info: true}

func cols(c ...[]column) []column {
	var out []column
	for _, s := range c {
		out = append(out, s...)
	}
	return append(out, stateCol)
}

var unitCols = []column{
	{key: "unit_code", title: "Mã đơn vị", width: 14},
	{key: "unit_name", title: "Tên đơn vị", width: 30, info: true},
}

// Sheets are the template's sheets, in order.
var sheets = []sheet{
	{kind: antq.FactRegistration, name: "Đăng ký", title: "Đăng ký phấn đấu",
		cols: cols(unitCols, []column{
			{key: "unit_type", title: "Loại hình", width: 16, info: true},
			{key: "registered_on", title: "Ngày đăng ký", kind: colDate, width: 13},
		}, docCols)},
	{kind: antq.FactPropaganda, name: "Tuyên truyền", title: "Độ phủ tuyên truyền",
		cols: cols(unitCols, []column{
			{key: "registered", title: "Quy mô đăng ký", kind: colCount, width: 12, info: true},
			{key: "reached", title: "Số đã được tuyên truyền", kind: colCount, width: 14},
			{key: "total", title: "Tổng số", kind: colCount, width: 10},
			{key: "total_reason", title: "Lý do tổng số khác quy mô", width: 24},
			{key: "as_of", title: "Ngày số liệu", kind: colDate, width: 13},
		}, docCols)},
	{kind: antq.FactModel, name: "Mô hình", title: "Mô hình tự quản, liên kết",
		cols: cols([]column{{key: "id", title: "Số hiệu", kind: colID, width: 8}}, unitCols, []column{
			{key: "name", title: "Tên mô hình", width: 30},
			{key: "kind", title: "Loại mô hình", kind: colEnum, width: 22, list: "model_kind"},
			{key: "status", title: "Tình trạng", kind: colEnum, width: 14, list: "model_status"},
			{key: "started_on", title: "Ngày bắt đầu", kind: colDate, width: 13},
			{key: "members", title: "Số thành viên", kind: colCount, width: 10},
			{key: "effective", title: "Hoạt động hiệu quả", kind: colBool, width: 10},
			{key: "assessed_on", title: "Ngày đánh giá", kind: colDate, width: 13},
			{key: "assessed_by", title: "Người, cơ quan đánh giá", width: 22},
			{key: "basis", title: "Căn cứ đánh giá", width: 24},
		}, docCols)},
	{kind: antq.FactIncident, name: "Vụ việc", title: "Vụ việc về an ninh, trật tự",
		cols: cols([]column{{key: "id", title: "Số hiệu", kind: colID, width: 8}}, unitCols, []column{
			{key: "occurred_on", title: "Ngày xảy ra", kind: colDate, width: 13},
			{key: "category", title: "Loại vụ việc", kind: colEnum, width: 30, list: "incident_category"},
			{key: "description", title: "Mô tả", width: 40},
			{key: "verified", title: "Đã xác minh", kind: colBool, width: 10},
		}, docCols)},
}

// sheetOf returns the sheet of kind.
func sheetOf(kind antq.FactKind) *sheet {
	for i := range sheets {
		if sheets[i].kind == kind {
			return &sheets[i]
		}
	}
	return nil
}

// fieldColumn maps a field name of the rules' errors (rules.FactRules,
// the approval step) to the column that holds it.
func fieldColumn(field string) string {
	switch field {
	case "unit", "":
		return "unit_code"
	case "document", "document.number":
		return "doc_number"
	case "document.date":
		return "doc_date"
	case "document.issuer":
		return "doc_issuer"
	case "document.title":
		return "doc_title"
	case "assessment.on":
		return "assessed_on"
	case "assessment.by":
		return "assessed_by"
	case "assessment.basis":
		return "basis"
	case "fact_id":
		return "id"
	}
	return field
}

// yes and no are how a yes/no cell is written.
const (
	yes = "Có"
	no  = "Không"
)
