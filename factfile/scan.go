package factfile

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"antq"
)

// Bounds of what a workbook may be. A hostile workbook — a zip bomb, a
// million rows, formulas, macros, external links — is refused by scan
// before any cell is read, in time and memory bounded by these.
const (
	// DefaultMaxBytes bounds the uploaded file.
	DefaultMaxBytes = 20 << 20
	// DefaultMaxUnpacked bounds what the workbook's parts unpack to, as
	// the archive declares them (Go's zip reader refuses a part longer
	// than declared).
	DefaultMaxUnpacked = 200 << 20
	// DefaultMaxRows bounds the rows of one sheet: ten times the units of
	// the largest template (store.MaxTemplateUnits).
	DefaultMaxRows = 50_000
	// maxCells bounds the cells of the whole workbook.
	maxCells = 2_000_000
)

// Options bound what Read accepts; zero values take the defaults.
type Options struct {
	MaxBytes    int64
	MaxUnpacked int64
	MaxRows     int
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxUnpacked <= 0 {
		o.MaxUnpacked = DefaultMaxUnpacked
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	return o
}

func refuse(format string, args ...any) error {
	return antq.Errorf(antq.EINVALID, format, args...)
}

// scan checks the workbook's package without reading its cells: size,
// unpacked size, macros, external links, data connections, embedded
// objects, and in every worksheet the row count and formula cells.
func scan(data []byte, o Options) error {
	if int64(len(data)) > o.MaxBytes {
		return refuse("Tệp lớn hơn %d MB", o.MaxBytes>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return refuse("Tệp không phải sổ tính Excel (.xlsx): không mở được gói tệp")
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(o.MaxUnpacked) {
			return refuse("Tệp giải nén ra hơn %d MB; không đọc", o.MaxUnpacked>>20)
		}
		name := strings.ToLower(zf.Name)
		switch {
		case strings.Contains(name, "vbaproject") || strings.HasSuffix(name, ".bin") && strings.Contains(name, "vba"):
			return refuse("Tệp chứa macro (VBA); không nhận tệp có macro. Hãy lưu lại dạng “Sổ làm việc Excel (.xlsx)”")
		case strings.HasPrefix(name, "xl/externallinks/"):
			return refuse("Tệp có liên kết tới sổ tính khác (liên kết ngoài); hãy gỡ liên kết (Dữ liệu → Sửa liên kết → Ngắt liên kết) rồi lưu lại")
		case name == "xl/connections.xml" || strings.HasPrefix(name, "xl/querytables/"):
			return refuse("Tệp có kết nối dữ liệu ngoài; hãy xóa kết nối rồi lưu lại")
		case strings.HasPrefix(name, "xl/embeddings/") || strings.HasPrefix(name, "xl/activex/"):
			return refuse("Tệp có đối tượng nhúng (OLE, ActiveX); hãy xóa rồi lưu lại")
		}
	}
	files := map[string]*zip.File{}
	for _, zf := range zr.File {
		files[zf.Name] = zf
	}
	if ct, ok := files["[Content_Types].xml"]; ok {
		b, err := readPart(ct, 1<<20)
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b), []byte("macroenabled")) {
			return refuse("Tệp là sổ tính có macro (.xlsm); không nhận tệp có macro. Hãy lưu lại dạng .xlsx")
		}
	}
	sheetsByPart, err := sheetParts(files)
	if err != nil {
		return err
	}
	cells := 0
	for part, sheetName := range sheetsByPart {
		zf, ok := files[part]
		if !ok {
			continue
		}
		if err := scanSheet(zf, sheetName, o, &cells); err != nil {
			return err
		}
	}
	return nil
}

func readPart(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, refuse("Tệp Excel bị hỏng: không đọc được phần %s", zf.Name)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, refuse("Tệp Excel bị hỏng: không đọc được phần %s", zf.Name)
	}
	if int64(len(b)) > limit {
		return nil, refuse("Tệp Excel có phần %s quá lớn", zf.Name)
	}
	return b, nil
}

// readXMLPart reads the part zf (at most limit bytes) into v; what names
// its content in the refusal of a part that does not parse.
func readXMLPart(zf *zip.File, limit int64, v any, what string) error {
	b, err := readPart(zf, limit)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return refuse("Tệp Excel bị hỏng: không đọc được %s", what)
	}
	return nil
}

// sheetParts maps each worksheet's part name to its sheet name, from the
// workbook and its relationships.
func sheetParts(files map[string]*zip.File) (map[string]string, error) {
	wb, ok := files["xl/workbook.xml"]
	if !ok {
		return nil, refuse("Tệp không phải sổ tính Excel (.xlsx): thiếu phần sổ làm việc")
	}
	var w struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXMLPart(wb, 16<<20, &w, "danh sách trang tính"); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	if rels, ok := files["xl/_rels/workbook.xml.rels"]; ok {
		var r struct {
			Rels []struct {
				ID     string `xml:"Id,attr"`
				Target string `xml:"Target,attr"`
				Mode   string `xml:"TargetMode,attr"`
				Type   string `xml:"Type,attr"`
			} `xml:"Relationship"`
		}
		if err := readXMLPart(rels, 4<<20, &r, "các liên kết của sổ làm việc"); err != nil {
			return nil, err
		}
		for _, rel := range r.Rels {
			if strings.EqualFold(rel.Mode, "External") {
				return nil, refuse("Tệp có liên kết ngoài (%s); hãy gỡ liên kết rồi lưu lại", path.Base(rel.Type))
			}
			t := rel.Target
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join("xl", t)
			}
			targets[rel.ID] = t
		}
	}
	out := map[string]string{}
	for _, s := range w.Sheets {
		if t, ok := targets[s.ID]; ok {
			out[t] = s.Name
		}
	}
	// Worksheets the workbook does not list are scanned all the same.
	for name := range files {
		if strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !strings.Contains(name, "_rels") {
			if _, ok := out[name]; !ok {
				out[name] = path.Base(name)
			}
		}
	}
	return out, nil
}

// scanSheet streams one worksheet's XML: it refuses a formula cell (naming
// it) and more than o.MaxRows rows, stopping there.
func scanSheet(zf *zip.File, sheetName string, o Options, cells *int) error {
	rc, err := zf.Open()
	if err != nil {
		return refuse("Tệp Excel bị hỏng: không đọc được trang %s", sheetName)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, o.MaxUnpacked))
	rows, cell := 0, ""
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return refuse("Tệp Excel bị hỏng: trang %s không đọc được (%s)", sheetName, xmlReason(err))
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			rows++
			if rows > o.MaxRows {
				return refuse("Trang %s có hơn %d dòng; mẫu nhập số liệu không lớn như vậy — hãy chia tệp theo đơn vị", sheetName, o.MaxRows)
			}
		case "c":
			*cells++
			if *cells > maxCells {
				return refuse("Tệp có hơn %d ô; không đọc", maxCells)
			}
			cell = ""
			for _, a := range se.Attr {
				if a.Name.Local == "r" {
					cell = a.Value
				}
			}
		case "f":
			where := sheetName
			if cell != "" {
				where += "!" + cell
			}
			return refuse("Ô %s chứa công thức; tệp nhập số liệu không được có công thức (hãy dán giá trị: Dán đặc biệt → Giá trị)", where)
		}
	}
}

func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("lỗi cú pháp ở dòng %d", se.Line)
	}
	return "dữ liệu hỏng"
}
