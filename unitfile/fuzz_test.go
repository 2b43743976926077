package unitfile_test

// Fuzz targets for the unit-file reader (test plan T7) and the hostile
// files it must refuse or neutralise (T12). go test runs the seeds (the
// f.Add calls and testdata/fuzz/…); make fuzz explores for a while.

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/internal/fuzzstat"
	"antq/unitfile"
)

var fuzzOpts = unitfile.Options{ValidFrom: antq.MustDate("2024-01-01"), MaxXLSXBytes: 256 << 10}

// checkRead is the property of every read: records without error, or an
// antq.ImportErrors naming the file and no records; every record a valid
// unit with a row number past the header, in file order.
func checkRead(t *testing.T, name string, recs []antq.UnitRecord, err error) {
	t.Helper()
	if err != nil {
		var ie antq.ImportErrors
		if !errors.As(err, &ie) || len(ie) == 0 {
			t.Fatalf("error %T %v is not a list of import errors", err, err)
		}
		for _, e := range ie {
			if e.File != name || e.Reason == "" {
				t.Fatalf("import error %+v does not name the file %s and a reason", e, name)
			}
		}
		if recs != nil {
			t.Fatalf("%d records returned with an error", len(recs))
		}
		return
	}
	last := 1
	for _, r := range recs {
		if r.Row <= last {
			t.Fatalf("record row %d after row %d", r.Row, last)
		}
		last = r.Row
		u := r.Unit
		if err := u.Validate(); err != nil {
			t.Fatalf("row %d: invalid unit %+v accepted: %v", r.Row, r.Unit, err)
		}
	}
}

const seedCSV = `level,code,name,type,parent_code,households,staff,pupils,valid_from
province,70,Tỉnh Bình Phước,Tỉnh,,,,,
district,689,Thành phố Đồng Xoài,Thành phố,70,,,,
commune,25195,Phường Tân Phú,Phường,689,1000,,,
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,,2024-02-01
school,25195-TH01,Trường Tiểu học Tân Phú,Trường,25195,,30,500,
`

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(seedCSV))
	f.Add([]byte("\ufefflevel,code,name,type,parent_code\nprovince,01,Thành phố Hà Nội,Thành phố,\n"))
	f.Add([]byte("level,code,name,type,parent_code\nprovince,1,Hà Nội,Thành phố,\n"))
	f.Add([]byte("level;code;name;type;parent_code\nprovince;70;Bình Phước;Tỉnh;\n"))
	f.Add([]byte("level,code,name,type,parent_code\r\nprovince,70,\"Bình \"\"Phước\"\"\",Tỉnh,\r\n"))
	f.Add([]byte("level,code,name,type,parent_code\nprovince,70,=HYPERLINK(\"http://x\",\"y\"),Tỉnh,\n"))
	f.Add([]byte("level,code,name,type,parent_code\nprovince,70,\xff\xfe,Tỉnh,\n"))
	f.Add([]byte("level,code,name,type,parent_code,extra\nprovince,70,A,B,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzstat.Count("FuzzReadCSV")
		recs, err := unitfile.Read("units.csv", bytes.NewReader(data), fuzzOpts)
		checkRead(t, "units.csv", recs, err)
	})
}

// xlsxOf builds a workbook whose first sheet holds rows.
func xlsxOf(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func seedRows() [][]any {
	var rows [][]any
	for _, line := range strings.Split(strings.TrimSpace(seedCSV), "\n") {
		var r []any
		for _, c := range strings.Split(line, ",") {
			r = append(r, c)
		}
		rows = append(rows, r)
	}
	return rows
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(xlsxOf(f, seedRows()))
	f.Add(xlsxOf(f, [][]any{{"level", "code", "name", "type", "parent_code"}, {"province", 70, "Bình Phước", "Tỉnh", ""}}))
	f.Add(xlsxOf(f, [][]any{{"level", "code", "name", "type", "parent_code"}, {"province", "70", "=1+1", "Tỉnh", nil}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzstat.Count("FuzzReadXLSX")
		recs, err := unitfile.Read("units.xlsx", bytes.NewReader(data), fuzzOpts)
		checkRead(t, "units.xlsx", recs, err)
	})
}

// zipWith is an archive with one stored part of size n (zeros, which
// deflate to almost nothing): the shape of a zip bomb.
func zipWith(t *testing.T, name string, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		w.Write(chunk[:min(len(chunk), left)])
	}
	zw.Close()
	return b.Bytes()
}

// TestHostileUnitFiles: bombs are refused before they are unpacked;
// formula cells, markup and traversal-looking names are read as plain text
// (nothing is evaluated, nothing is opened).
func TestHostileUnitFiles(t *testing.T) {
	limit := unitfile.Options{ValidFrom: antq.MustDate("2024-01-01"), MaxXLSXBytes: 4 << 20}
	// A real workbook whose sheet is padded far past the limit.
	good := xlsxOf(t, seedRows())
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, part := range zr.File {
		w, _ := zw.Create(part.Name)
		rc, _ := part.Open()
		var body bytes.Buffer
		body.ReadFrom(rc)
		rc.Close()
		if part.Name == "xl/worksheets/sheet1.xml" {
			s := body.String()
			i := strings.Index(s, "</sheetData>")
			pad := strings.Repeat(" ", 64<<20)
			body.Reset()
			body.WriteString(s[:i] + pad + s[i:])
		}
		w.Write(body.Bytes())
	}
	zw.Close()
	if bomb.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes: not a bomb", bomb.Len())
	}

	for _, tt := range []struct {
		name, file string
		data       []byte
		refused    string // a part of the reason, "" if the file must read
	}{
		{"xlsx bomb (64 MiB sheet in a small file)", "bomb.xlsx", bomb.Bytes(), "vượt quá 4 MB"},
		{"zip bomb named .xlsx", "units.xlsx", zipWith(t, "xl/worksheets/sheet1.xml", 32<<20), "vượt quá 4 MB"},
		{"zip bomb sniffed", "units.bin", zipWith(t, "a", 32<<20), "vượt quá 4 MB"},
		{"not an xlsx", "units.xlsx", []byte("%PDF-1.4 not a workbook"), "XLSX"},
		{"xls", "units.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), ".xls"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			recs, err := unitfile.Read(tt.file, bytes.NewReader(tt.data), limit)
			checkRead(t, tt.file, recs, err)
			if err == nil || !strings.Contains(err.Error(), tt.refused) {
				t.Fatalf("read = %d records, %v; want refused with %q", len(recs), err, tt.refused)
			}
			t.Logf("refused in %v: %v", time.Since(start).Round(time.Millisecond), err)
		})
	}

	// Text that would be live somewhere else stays text.
	texts := []string{`=HYPERLINK("http://evil.example/","bấm")`, `+cmd|' /C calc'!A0`, `-2+3`, `@SUM(A1:A9)`,
		`<svg onload=alert(1)>`, `<script>alert(1)</script>`, `../../etc/passwd`, `..\..\windows\win.ini`}
	for _, format := range []string{"csv", "xlsx"} {
		var data []byte
		rows := [][]any{{"level", "code", "name", "type", "parent_code"}, {"province", "70", "Tỉnh", "Tỉnh", ""}}
		for i, s := range texts {
			rows = append(rows, []any{"commune", 25000 + i, s, "Xã", "70"})
		}
		if format == "csv" {
			var b strings.Builder
			for _, r := range rows {
				for j, c := range r {
					if j > 0 {
						b.WriteString(",")
					}
					b.WriteString(strings.ReplaceAll(`"`+strings.ReplaceAll(fmt.Sprint(c), `"`, `""`)+`"`, "\n", " "))
				}
				b.WriteString("\n")
			}
			data = []byte(b.String())
		} else {
			data = xlsxOf(t, rows)
		}
		recs, err := unitfile.Read("hostile."+format, bytes.NewReader(data), limit)
		checkRead(t, "hostile."+format, recs, err)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for i, s := range texts {
			if got := recs[i+1].Unit.Name; got != s {
				t.Errorf("%s: name %q read as %q", format, s, got)
			}
		}
	}
}
