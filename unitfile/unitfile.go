// Package unitfile reads unit import files (CSV or XLSX) into
// antq.UnitRecords. It checks everything that can be checked from the file
// alone (columns, encoding, numbers, dates, kinds, codes) and reports every
// problem as an antq.RowError naming the file, row and column; the place of
// each unit in the tree (parents, duplicates against the database, scope) is
// checked by store.ImportUnits.
//
// Two layouts are accepted, told apart by the header:
//
//   - the vn-admin layout of data/vn-admin: level,code,name,type,parent_code
//     (level is province, district or commune);
//   - the extended layout for residential areas and organisations: the same
//     five columns, where level may be any unit kind, plus any of the
//     optional columns households, staff, pupils, size_as_of, managing_level,
//     armed_forces, small_enterprise, primary_school, valid_from, valid_to,
//     budget_funded, no_legal_entity.
//
// Column order is free and header names are case-insensitive; an unknown
// column or a missing required one is an error.
//
// Codes are kept as text with their leading zeros. A spreadsheet that stored
// codes as numbers has already lost them ("1" for Hà Nội's "01"), and the
// cell text cannot tell: an all-digit province, district or commune code
// shorter than the official width (2, 3, 5 digits), or an all-digit parent
// code of 1 or 4 digits (no official code has that length), is reported as
// a code that lost its leading zeros. Other codes are taken as written.
package unitfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"antq"
)

// Options fill in what a file's rows leave out.
type Options struct {
	ValidFrom antq.Date // for rows without a valid_from value
	ValidTo   antq.Date // for rows without a valid_to value (zero: open-ended)
	SizeAsOf  antq.Date // date of the size counts; zero: the row's valid_from
	// MaxXLSXBytes bounds what an XLSX file may unpack to (its parts as
	// the archive declares them; Go's zip reader refuses a part longer
	// than declared). Zero is DefaultMaxXLSXBytes.
	MaxXLSXBytes int64
}

// DefaultMaxXLSXBytes is room for Excel's 1,048,576 rows of a unit file
// (about 600 MB of sheet XML with inline text); an XLSX bomb beyond it is
// refused before anything is unpacked.
const DefaultMaxXLSXBytes = 1 << 30

// Column names.
const (
	ColLevel           = "level"
	ColCode            = "code"
	ColName            = "name"
	ColType            = "type"
	ColParentCode      = "parent_code"
	ColHouseholds      = "households"
	ColStaff           = "staff"
	ColPupils          = "pupils"
	ColSizeAsOf        = "size_as_of"
	ColManagingLevel   = "managing_level"
	ColArmedForces     = "armed_forces"
	ColSmallEnterprise = "small_enterprise"
	ColPrimarySchool   = "primary_school"
	ColBudgetFunded    = "budget_funded"
	ColNoLegalEntity   = "no_legal_entity"
	ColValidFrom       = "valid_from"
	ColValidTo         = "valid_to"
)

// RequiredColumns are the columns of the vn-admin layout; every file has them.
var RequiredColumns = []string{ColLevel, ColCode, ColName, ColType, ColParentCode}

// OptionalColumns are the extra columns of the extended layout.
var OptionalColumns = []string{
	ColHouseholds, ColStaff, ColPupils, ColSizeAsOf, ColManagingLevel,
	ColArmedForces, ColSmallEnterprise, ColPrimarySchool, ColValidFrom, ColValidTo,
	ColBudgetFunded, ColNoLegalEntity,
}

// ReadFile reads the CSV or XLSX file at path.
func ReadFile(path string, opts Options) ([]antq.UnitRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, antq.ImportErrors{{File: path, Reason: "không mở được tệp (cannot open file): " + errText(err)}}
	}
	defer f.Close()
	p := newParser(path, opts)
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".csv" || ext == ".txt" || ext == ".tsv" {
		// Knowing the number of lines sizes the records once instead of
		// doubling them: a large file then needs half the memory at its peak.
		if n, err := countLines(f); err == nil {
			p.sizeHint = n
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, antq.ImportErrors{{File: path, Reason: "không đọc được tệp (read error): " + errText(err)}}
		}
	}
	return p.read(path, f)
}

// countLines counts the line ends of r.
func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	n := 0
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
	}
}

// Read reads a unit file from r; name gives the format by its extension
// (.csv or .xlsx; any other name is sniffed) and names the file in errors.
// On any problem it returns antq.ImportErrors listing them all (up to
// antq.MaxReportedRowErrors) and no records.
func Read(name string, r io.Reader, opts Options) ([]antq.UnitRecord, error) {
	return newParser(name, opts).read(name, r)
}

func (p *parser) read(name string, r io.Reader) ([]antq.UnitRecord, error) {
	src, err := openRows(name, r, p.opts.MaxXLSXBytes)
	if err != nil {
		return nil, err
	}
	defer src.close()
	return p.run(src)
}

// openRows opens a CSV or XLSX file by its extension (or, without one, by
// its first bytes); an error is an antq.ImportErrors naming the file.
// maxXLSX bounds what an XLSX file may unpack to (0: DefaultMaxXLSXBytes).
func openRows(name string, r io.Reader, maxXLSX int64) (rowSource, error) {
	var src rowSource
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv", ".txt", ".tsv":
		src, err = newCSVSource(r)
	case ".xlsx", ".xlsm":
		src, err = newXLSXSource(r, maxXLSX)
	case ".xls":
		return nil, antq.ImportErrors{{File: name, Reason: "định dạng Excel 97-2003 (.xls) không được hỗ trợ: lưu lại dạng .xlsx hoặc CSV UTF-8 (.xls is not supported; save as .xlsx or CSV)"}}
	default:
		br := bufio.NewReaderSize(r, 64<<10)
		if head, _ := br.Peek(4); bytes.Equal(head, []byte("PK\x03\x04")) {
			src, err = newXLSXSource(br, maxXLSX)
		} else {
			src, err = newCSVSource(br)
		}
	}
	if err != nil {
		var ie antq.ImportErrors
		if errors.As(err, &ie) {
			for i := range ie {
				ie[i].File = name
			}
			return nil, ie
		}
		return nil, antq.ImportErrors{{File: name, Reason: errText(err)}}
	}
	return src, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// rowSource yields the rows of a sheet: the 1-based row number in the file
// and the cell texts. The slice may be reused by the next call.
type rowSource interface {
	next() (row int, cells []string, err error) // io.EOF at the end
	padShortRows() bool                         // spreadsheets drop trailing empty cells
	close()
}

// ---- CSV ----

type csvSource struct {
	r *csv.Reader
}

func newCSVSource(r io.Reader) (*csvSource, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64<<10 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3) // the UTF-8 BOM Excel writes
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, antq.ImportErrors{{Row: 1, Reason: "sai mã hóa: tệp là UTF-16, cần lưu dạng CSV UTF-8 (bad encoding: UTF-16; save as CSV UTF-8)"}}
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{r: cr}, nil
}

// sniffDelimiter returns ';' or tab when the header line has no comma but
// has one of those (spreadsheets in some locales write them), else ','.
func sniffDelimiter(br *bufio.Reader) rune {
	line, _ := br.Peek(8192) // fewer bytes at the end of a short file
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if bytes.IndexByte(line, ',') < 0 {
		if bytes.IndexByte(line, ';') >= 0 {
			return ';'
		}
		if bytes.IndexByte(line, '\t') >= 0 {
			return '\t'
		}
	}
	return ','
}

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line := pe.StartLine
			if line == 0 {
				line = pe.Line
			}
			return line, nil, rowErr{column: "", reason: "lỗi cú pháp CSV (CSV syntax error): " + pe.Err.Error()}
		}
		return 0, nil, err
	}
	line, _ := s.r.FieldPos(0)
	return line, rec, nil
}

func (s *csvSource) padShortRows() bool { return false }
func (s *csvSource) close()             {}

// rowErr is a problem with one row that the source found.
type rowErr struct{ column, reason string }

func (e rowErr) Error() string { return e.reason }

// ---- XLSX ----

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

func newXLSXSource(r io.Reader, limit int64) (*xlsxSource, error) {
	if limit <= 0 {
		limit = DefaultMaxXLSXBytes
	}
	// excelize unpacks parts larger than UnzipXMLSizeLimit to temporary
	// files: the total limit also bounds the disk a bomb could fill.
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 16<<20)})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, antq.ImportErrors{{Reason: fmt.Sprintf("tệp XLSX giải nén vượt quá %d MB (XLSX unpacks to more than %d MB)", limit>>20, limit>>20)}}
		}
		return nil, antq.ImportErrors{{Reason: "không đọc được tệp XLSX (cannot read XLSX): " + err.Error()}}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, antq.ImportErrors{{Reason: "tệp XLSX không có trang tính nào (no worksheet)"}}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, antq.ImportErrors{{Reason: "không đọc được trang tính " + sheets[0] + ": " + err.Error()}}
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) next() (int, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, err
		}
		return 0, nil, io.EOF
	}
	s.row++
	// Columns returns each cell's text as the spreadsheet shows it (number
	// formats applied), so a code formatted "00" reads "01".
	cells, err := s.rows.Columns()
	if err != nil {
		return s.row, nil, rowErr{reason: "không đọc được dòng (cannot read row): " + err.Error()}
	}
	return s.row, cells, nil
}

func (s *xlsxSource) padShortRows() bool { return true }
func (s *xlsxSource) close() {
	s.rows.Close()
	s.f.Close()
}

// ---- parsing ----

// allColumns lists every known column; a column's position here is its field
// number in parser.at.
var allColumns = append(append([]string(nil), RequiredColumns...), OptionalColumns...)

const (
	fLevel = iota
	fCode
	fName
	fType
	fParentCode
	fHouseholds
	fStaff
	fPupils
	fSizeAsOf
	fManagingLevel
	fArmedForces
	fSmallEnterprise
	fPrimarySchool
	fValidFrom
	fValidTo
	fBudgetFunded
	fNoLegalEntity
	numFields
)

type parser struct {
	file     string
	opts     Options
	errs     errorList
	at       [numFields]int // field → cell index, -1 when the column is absent
	named    []bool         // cell index → has a known column name
	nHeader  int
	intern   map[string]string
	counts   []int64 // slab for size counts, so each count is not its own allocation
	sizeHint int     // expected number of rows, 0 if unknown
}

func newParser(file string, opts Options) *parser {
	return &parser{file: file, opts: opts, intern: map[string]string{}}
}

func (p *parser) fail(row int, column, reason string) {
	p.errs.add(antq.RowError{File: p.file, Row: row, Column: column, Reason: reason})
}

func (p *parser) run(src rowSource) ([]antq.UnitRecord, error) {
	// Header: the first non-empty row.
	var header []string
	headerRow := 0
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			p.fail(0, "", "tệp rỗng: thiếu dòng tiêu đề (empty file: no header row)")
			return nil, p.errs.list
		} else if re, ok := err.(rowErr); ok {
			p.fail(row, re.column, re.reason)
			return nil, p.errs.list
		} else if err != nil {
			p.fail(row, "", "không đọc được tệp (read error): "+err.Error())
			return nil, p.errs.list
		}
		if !allBlank(cells) {
			header, headerRow = append([]string(nil), cells...), row
			break
		}
	}
	if !p.readHeader(headerRow, header) {
		return nil, p.errs.list
	}

	var recs []antq.UnitRecord
	if p.sizeHint > 0 {
		recs = make([]antq.UnitRecord, 0, p.sizeHint)
	}
	for !p.errs.full {
		row, cells, err := src.next()
		if err == io.EOF {
			break
		} else if re, ok := err.(rowErr); ok {
			p.fail(row, re.column, re.reason)
			continue
		} else if err != nil {
			p.fail(row, "", "không đọc được tệp (read error): "+err.Error())
			break
		}
		if allBlank(cells) {
			continue
		}
		rec, ok := p.parseRow(row, cells, src.padShortRows())
		if ok && len(p.errs.list) == 0 {
			recs = append(recs, rec)
		} else if !ok {
			recs = nil // the file will be refused: stop holding records
		}
	}
	if len(p.errs.list) > 0 {
		return nil, p.errs.list
	}
	if len(recs) == 0 {
		p.fail(headerRow, "", "tệp không có dòng dữ liệu nào (no data rows)")
		return nil, p.errs.list
	}
	return recs, nil
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readHeader maps the header's columns; it reports every wrong name.
func (p *parser) readHeader(row int, header []string) bool {
	for i := range p.at {
		p.at[i] = -1
	}
	p.nHeader = len(header)
	p.named = make([]bool, len(header))
	ok := true
	for i, h := range header {
		if !utf8.ValidString(h) {
			p.fail(row, fmt.Sprintf("#%d", i+1), "sai mã hóa: tệp không phải UTF-8 (bad encoding: not UTF-8)")
			ok = false
			continue
		}
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if name == "" {
			continue // a column without a name is ignored while it stays empty
		}
		f := slices.Index(allColumns, name)
		switch {
		case f < 0:
			p.fail(row, strings.TrimSpace(h), "cột không xác định (unknown column); các cột hợp lệ: "+strings.Join(allColumns, ", "))
			ok = false
		case p.at[f] >= 0:
			p.fail(row, name, "cột bị lặp lại (duplicate column)")
			ok = false
		default:
			p.at[f] = i
			p.named[i] = true
		}
	}
	for f, c := range RequiredColumns {
		if p.at[f] < 0 {
			p.fail(row, c, "thiếu cột bắt buộc (missing column)")
			ok = false
		}
	}
	if p.at[fValidFrom] < 0 && p.opts.ValidFrom.IsZero() {
		p.fail(row, ColValidFrom, "thiếu ngày bắt đầu hiệu lực: thêm cột valid_from hoặc dùng --valid-from (missing valid_from)")
		ok = false
	}
	return ok
}

func (p *parser) parseRow(row int, cells []string, pad bool) (antq.UnitRecord, bool) {
	ok := true
	bad := func(f int, reason string) {
		p.fail(row, allColumns[f], reason)
		ok = false
	}
	switch {
	case len(cells) > p.nHeader:
		for i := p.nHeader; i < len(cells); i++ {
			if strings.TrimSpace(cells[i]) != "" {
				p.fail(row, fmt.Sprintf("#%d", i+1), fmt.Sprintf("dòng có %d giá trị, nhiều hơn %d cột của dòng tiêu đề (too many fields)", len(cells), p.nHeader))
				return antq.UnitRecord{}, false
			}
		}
	case len(cells) < p.nHeader && !pad:
		p.fail(row, "", fmt.Sprintf("dòng có %d giá trị, dòng tiêu đề có %d cột (wrong number of fields)", len(cells), p.nHeader))
		return antq.UnitRecord{}, false
	}
	for f, i := range p.at {
		if i >= 0 && i < len(cells) && !utf8.ValidString(cells[i]) {
			bad(f, "sai mã hóa: tệp không phải UTF-8 (bad encoding: not UTF-8)")
		}
	}
	for i, c := range cells {
		if i < p.nHeader && !p.named[i] && strings.TrimSpace(c) != "" {
			p.fail(row, fmt.Sprintf("#%d", i+1), "có giá trị trong cột không có tên (value in a column without a header)")
			ok = false
		}
	}
	if !ok {
		return antq.UnitRecord{}, false
	}
	get := func(f int) string {
		if i := p.at[f]; i >= 0 && i < len(cells) {
			return cells[i]
		}
		return ""
	}

	var u antq.Unit
	// level
	level := strings.ToLower(strings.TrimSpace(get(fLevel)))
	if level == "" {
		bad(fLevel, "thiếu loại đơn vị (missing level)")
	} else if k, found := kindOf(level); !found {
		bad(fLevel, fmt.Sprintf("loại đơn vị không hợp lệ (invalid kind): %q; dùng một trong: %s", level, kindList()))
	} else {
		u.Kind = k
	}
	// code
	u.Code = strings.TrimSpace(get(fCode))
	switch {
	case u.Code == "":
		bad(fCode, "thiếu mã đơn vị (missing code)")
	case !antq.ValidCode(u.Code):
		bad(fCode, fmt.Sprintf("mã không hợp lệ (invalid code): %q; chỉ gồm chữ, số, '.', '-', '_', tối đa %d ký tự", u.Code, antq.MaxCodeLen))
	default:
		if w := officialWidth(u.Kind); w > 0 && antq.AllDigits(u.Code) && len(u.Code) < w {
			bad(fCode, fmt.Sprintf("mã %q có vẻ đã mất số 0 ở đầu (mã %s có %d chữ số, ví dụ %q): định dạng cột mã là Văn bản (code lost its leading zeros?)",
				u.Code, u.Kind, w, strings.Repeat("0", w-len(u.Code))+u.Code))
		}
	}
	// name, type
	if u.Name = cleanText(get(fName)); u.Name == "" {
		bad(fName, "thiếu tên đơn vị (missing name)")
	}
	u.Type = p.intern1(cleanText(get(fType)))
	// parent_code
	u.ParentCode = strings.TrimSpace(get(fParentCode))
	if u.ParentCode != "" {
		if !antq.ValidCode(u.ParentCode) {
			bad(fParentCode, fmt.Sprintf("mã cha không hợp lệ (invalid parent code): %q", u.ParentCode))
		} else if antq.AllDigits(u.ParentCode) && (len(u.ParentCode) == 1 || len(u.ParentCode) == 4) {
			bad(fParentCode, fmt.Sprintf("mã cha %q có vẻ đã mất số 0 ở đầu (không có mã chính thức nào gồm %d chữ số): định dạng cột là Văn bản (code lost its leading zeros?)",
				u.ParentCode, len(u.ParentCode)))
		}
	}
	// managing_level
	if v := strings.ToLower(strings.TrimSpace(get(fManagingLevel))); v != "" {
		if l := antq.ManagingLevel(v); !l.Valid() {
			bad(fManagingLevel, fmt.Sprintf("cấp quản lý không hợp lệ (invalid managing level): %q; dùng central, province, district hoặc commune", v))
		} else {
			u.ManagingLevel = antq.ManagingLevel(p.intern1(v))
		}
	}
	// flags
	flag := func(f int) bool {
		v, err := parseBool(get(f))
		if err != nil {
			bad(f, err.Error())
		}
		return v
	}
	u.Flags.ArmedForces = flag(fArmedForces)
	u.Flags.SmallEnterprise = flag(fSmallEnterprise)
	u.Flags.PrimarySchool = flag(fPrimarySchool)
	u.Flags.BudgetFunded = flag(fBudgetFunded)
	u.Flags.NoLegalEntity = flag(fNoLegalEntity)
	// dates
	date := func(f int, def antq.Date) (antq.Date, bool) {
		s := strings.TrimSpace(get(f))
		if s == "" {
			return def, true
		}
		d, err := parseDate(s)
		if err != nil {
			bad(f, err.Error())
			return antq.Date{}, false
		}
		return d, true
	}
	var fromOK, toOK bool
	u.ValidFrom, fromOK = date(fValidFrom, p.opts.ValidFrom)
	u.ValidTo, toOK = date(fValidTo, p.opts.ValidTo)
	switch {
	case !fromOK:
	case u.ValidFrom.IsZero():
		bad(fValidFrom, "thiếu ngày bắt đầu hiệu lực: điền cột valid_from hoặc dùng --valid-from (missing valid_from)")
	case toOK && !u.ValidTo.IsZero() && u.ValidTo.Before(u.ValidFrom):
		bad(fValidTo, fmt.Sprintf("ngày hết hiệu lực %s trước ngày bắt đầu %s (valid_to before valid_from)", u.ValidTo, u.ValidFrom))
	}
	sizeDef := p.opts.SizeAsOf
	if sizeDef.IsZero() {
		sizeDef = u.ValidFrom
	}
	u.Size.AsOf, _ = date(fSizeAsOf, sizeDef)
	// counts
	u.Size.Households = p.count(get(fHouseholds), fHouseholds, bad)
	u.Size.Staff = p.count(get(fStaff), fStaff, bad)
	u.Size.Pupils = p.count(get(fPupils), fPupils, bad)

	if !ok {
		return antq.UnitRecord{}, false
	}
	return antq.UnitRecord{Row: row, Unit: u}, true
}

func (p *parser) count(cell string, f int, bad func(f int, reason string)) *int64 {
	s := strings.TrimSpace(cell)
	if s == "" {
		return nil
	}
	n, err := parseCount(s)
	if err != nil {
		bad(f, err.Error())
		return nil
	}
	if len(p.counts) == cap(p.counts) {
		p.counts = make([]int64, 0, 1024)
	}
	p.counts = append(p.counts, n)
	return &p.counts[len(p.counts)-1]
}

// intern shares one copy of each distinct short, often repeated text (type
// labels, managing levels) instead of keeping every row's line alive.
func (p *parser) intern1(s string) string {
	if v, ok := p.intern[s]; ok {
		return v
	}
	if len(p.intern) < 10000 {
		s = strings.Clone(s)
		p.intern[s] = s
	}
	return s
}

func kindOf(s string) (antq.UnitKind, bool) {
	for _, k := range antq.UnitKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

func kindList() string {
	var b strings.Builder
	for i, k := range antq.UnitKinds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}

// officialWidth is the number of digits of an official code of kind k (0
// when codes of that kind are not official).
func officialWidth(k antq.UnitKind) int {
	switch k {
	case antq.KindProvince:
		return 2
	case antq.KindDistrict:
		return 3
	case antq.KindCommune:
		return 5
	}
	return 0
}

// cleanText returns s in Unicode NFC with white space trimmed and runs of it
// collapsed to one space. Already clean text is returned as is.
func cleanText(s string) string {
	clean := true
	prevSpace := true // a leading space is not clean
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			prevSpace = false
			continue
		}
		if c == ' ' {
			if prevSpace {
				clean = false
				break
			}
			prevSpace = true
		} else if c < ' ' || c == 0x7f {
			clean = false
			break
		} else {
			prevSpace = false
		}
	}
	if clean && prevSpace && s != "" {
		clean = false // trailing space
	}
	if clean && (ascii || norm.NFC.IsNormalString(s)) && (ascii || !hasUnicodeSpace(s)) {
		return s
	}
	return strings.Join(strings.FieldsFunc(norm.NFC.String(s), unicode.IsSpace), " ")
}

func hasUnicodeSpace(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.IsSpace(r) {
			return true
		}
	}
	return false
}

// parseCount reads a non-negative whole number. Thousands separators are
// accepted when they group digits by three ("1.200", "1,200", "1 200").
func parseCount(s string) (int64, error) {
	if strings.HasPrefix(s, "-") {
		if _, err := parseCount(s[1:]); err == nil {
			return 0, fmt.Errorf("số âm không hợp lệ (negative number): %s", s)
		}
		return 0, fmt.Errorf("số không hợp lệ (invalid number): %q", s)
	}
	digits := s
	if !antq.AllDigits(s) {
		digits = ungroup(s)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || digits == "" {
		return 0, fmt.Errorf("số không hợp lệ (invalid number): %q; cần số nguyên không âm", s)
	}
	if n > 1_000_000_000 {
		return 0, fmt.Errorf("số quá lớn (number too large): %s", s)
	}
	return n, nil
}

// ungroup removes one kind of thousands separator from s when every group
// after the first has exactly three digits; otherwise it returns "".
func ungroup(s string) string {
	for _, sep := range []string{".", ",", " ", "\u00a0", "\u202f"} {
		parts := strings.Split(s, sep)
		if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 || !antq.AllDigits(parts[0]) {
			continue
		}
		good := true
		for _, g := range parts[1:] {
			if len(g) != 3 || !antq.AllDigits(g) {
				good = false
				break
			}
		}
		if good {
			return strings.Join(parts, "")
		}
	}
	return ""
}

// parseBool reads a yes/no cell: true/false, 1/0, x, có/không (empty: no).
func parseBool(s string) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); norm.NFC.String(v) {
	case "", "false", "0", "không", "khong", "no", "n", "f":
		return false, nil
	case "true", "1", "x", "có", "co", "yes", "y", "t":
		return true, nil
	default:
		return false, fmt.Errorf("giá trị đúng/sai không hợp lệ (invalid boolean): %q; dùng true/false, 1/0, x, có/không", v)
	}
}

// parseDate reads YYYY-MM-DD or dd/mm/yyyy (as Vietnamese users write it).
func parseDate(s string) (antq.Date, error) {
	if d, err := antq.ParseDate(s); err == nil {
		return d, nil
	}
	if t, err := time.Parse("2/1/2006", s); err == nil {
		return antq.DateOf(t), nil
	}
	return antq.Date{}, fmt.Errorf("ngày không hợp lệ (invalid date): %q; dùng YYYY-MM-DD hoặc dd/mm/yyyy", s)
}

// errorList collects row errors up to antq.MaxReportedRowErrors; the last
// slot says that reading stopped.
type errorList struct {
	list antq.ImportErrors
	full bool
}

func (l *errorList) add(e antq.RowError) {
	if l.full {
		return
	}
	if len(l.list) == antq.MaxReportedRowErrors-1 {
		l.list = append(l.list, antq.RowError{File: e.File, Row: e.Row,
			Reason: fmt.Sprintf("quá nhiều lỗi: dừng kiểm tra sau %d lỗi (too many errors; stopped)", antq.MaxReportedRowErrors-1)})
		l.full = true
		return
	}
	l.list = append(l.list, e)
}
