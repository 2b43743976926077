package unitfile

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"antq"
)

// Reorganisation file columns. A file has the required ones; the others are
// optional. One row is one old unit and what it becomes (antq.ReorgRow).
const (
	ColEvent        = "event"
	ColEffectiveOn  = "effective_on"
	ColFromCode     = "from_code"
	ColToCode       = "to_code"
	ColToName       = "to_name"
	ColToType       = "to_type"
	ColToLevel      = "to_level"
	ColToParentCode = "to_parent_code"
	ColShare        = "share"
	ColLegalNumber  = "legal_number"
	ColLegalDate    = "legal_date"
	ColLegalIssuer  = "legal_issuer"
	ColNote         = "note"
)

// ReorgRequiredColumns are in every reorganisation file.
var ReorgRequiredColumns = []string{ColEvent, ColEffectiveOn, ColFromCode, ColLegalNumber, ColLegalDate, ColLegalIssuer}

// ReorgOptionalColumns may be present.
var ReorgOptionalColumns = []string{ColToCode, ColToName, ColToType, ColToLevel, ColToParentCode, ColShare, ColNote}

// NotComparable is what a split row's share cell says when the part cannot
// be measured (the official 2025 table gives no shares).
const NotComparable = "không so sánh được"

// ReadReorganisationFile reads a reorganisation file (CSV or XLSX).
func ReadReorganisationFile(path string) ([]antq.ReorgRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, antq.ImportErrors{{File: path, Reason: "không mở được tệp (cannot open file): " + errText(err)}}
	}
	defer f.Close()
	return ReadReorganisation(path, f)
}

// ReadReorganisation reads a reorganisation file from r; name gives the
// format by its extension and names the file in errors. Every problem found
// in the file alone is reported as an antq.ImportErrors and no rows are
// returned; the rows' place in the tree is checked by store.Reorganise.
func ReadReorganisation(name string, r io.Reader) ([]antq.ReorgRow, error) {
	src, err := openRows(name, r, 0)
	if err != nil {
		return nil, err
	}
	defer src.close()
	var errs errorList
	fail := func(row int, col, reason string) {
		errs.add(antq.RowError{File: name, Row: row, Column: col, Reason: reason})
	}
	var header []string
	headerRow := 0
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			fail(0, "", "tệp rỗng: thiếu dòng tiêu đề (empty file: no header row)")
			return nil, errs.list
		} else if err != nil {
			fail(row, "", errText(err))
			return nil, errs.list
		}
		if !allBlank(cells) {
			header, headerRow = append([]string(nil), cells...), row
			break
		}
	}
	at := map[string]int{}
	known := map[string]bool{}
	for _, c := range append(append([]string(nil), ReorgRequiredColumns...), ReorgOptionalColumns...) {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(cleanText(h))
		if h == "" {
			continue
		}
		if !known[h] {
			fail(headerRow, h, "cột không xác định (unknown column); các cột: "+strings.Join(append(append([]string(nil), ReorgRequiredColumns...), ReorgOptionalColumns...), ", "))
			continue
		}
		if _, dup := at[h]; dup {
			fail(headerRow, h, "cột bị lặp (duplicate column)")
		}
		at[h] = i
	}
	for _, c := range ReorgRequiredColumns {
		if _, ok := at[c]; !ok {
			fail(headerRow, c, "thiếu cột bắt buộc (missing required column)")
		}
	}
	if len(errs.list) > 0 {
		return nil, errs.list
	}
	var out []antq.ReorgRow
	for !errs.full {
		row, cells, err := src.next()
		if err == io.EOF {
			break
		} else if re, ok := err.(rowErr); ok {
			fail(row, re.column, re.reason)
			continue
		} else if err != nil {
			fail(row, "", "không đọc được tệp (read error): "+err.Error())
			break
		}
		if allBlank(cells) {
			continue
		}
		cell := func(col string) string {
			i, ok := at[col]
			if !ok || i >= len(cells) {
				return ""
			}
			return cleanText(cells[i])
		}
		r := antq.ReorgRow{Row: row, Event: antq.LineageKind(strings.ToLower(cell(ColEvent))),
			From: cell(ColFromCode), To: cell(ColToCode), ToName: cell(ColToName), ToType: cell(ColToType),
			ToParent: cell(ColToParentCode), Note: cell(ColNote),
			Legal: antq.LegalBasis{Number: cell(ColLegalNumber), Issuer: cell(ColLegalIssuer)}}
		bad := false
		if s := cell(ColEffectiveOn); s != "" {
			if d, err := parseDate(s); err != nil {
				fail(row, ColEffectiveOn, err.Error())
				bad = true
			} else {
				r.EffectiveOn = d
			}
		}
		if s := cell(ColLegalDate); s != "" {
			if d, err := parseDate(s); err != nil {
				fail(row, ColLegalDate, err.Error())
				bad = true
			} else {
				r.Legal.Date = d
			}
		}
		if s := cell(ColToLevel); s != "" {
			if k, ok := kindOf(s); ok {
				r.ToLevel = k
			} else {
				fail(row, ColToLevel, "cấp không hợp lệ: "+s+" (dùng "+kindList()+")")
				bad = true
			}
		}
		if s := cell(ColShare); s != "" {
			if ppm, nc, err := parseShare(s); err != nil {
				fail(row, ColShare, err.Error())
				bad = true
			} else {
				r.Share, r.NotComparable = ppm, nc
			}
		}
		if !bad {
			for col, reason := range r.Validate() {
				fail(row, col, reason)
			}
		}
		out = append(out, r)
	}
	if len(errs.list) > 0 {
		return nil, errs.list
	}
	if len(out) == 0 {
		fail(headerRow, "", "tệp không có dòng dữ liệu nào (no data rows)")
		return nil, errs.list
	}
	return out, nil
}

// parseShare reads a part's share: "40%", "40,5%", "0.4", "0,4", or
// "không so sánh được" / "not comparable" / "-".
func parseShare(s string) (ppm *int64, notComparable bool, err error) {
	switch f := antq.Fold(s); f {
	case antq.Fold(NotComparable), "not comparable", "-", "nc":
		return nil, true, nil
	}
	pct := strings.HasSuffix(s, "%")
	t := strings.TrimSpace(strings.TrimSuffix(s, "%"))
	t = strings.ReplaceAll(t, ",", ".")
	v, perr := strconv.ParseFloat(t, 64)
	if perr != nil || v != v {
		return nil, false, errors.New("tỷ lệ không hợp lệ: " + strconv.Quote(s) + " (ví dụ 40%, 0,4 hoặc \"" + NotComparable + "\")")
	}
	if pct {
		v /= 100
	}
	if v <= 0 || v > 1 {
		return nil, false, errors.New("tỷ lệ phải lớn hơn 0 và không quá 100%: " + s)
	}
	n := int64(v*antq.ShareWhole + 0.5)
	return &n, false, nil
}
