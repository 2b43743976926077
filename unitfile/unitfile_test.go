package unitfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/unitfile"
)

var opts2023 = unitfile.Options{ValidFrom: antq.MustDate("2023-01-01"), ValidTo: antq.MustDate("2025-06-30")}

func readCSV(t *testing.T, text string, opts unitfile.Options) ([]antq.UnitRecord, error) {
	t.Helper()
	return unitfile.Read("units.csv", strings.NewReader(text), opts)
}

// importErrors returns err as antq.ImportErrors or fails the test.
func importErrors(t *testing.T, err error) antq.ImportErrors {
	t.Helper()
	var ie antq.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("error = %v (%T), want antq.ImportErrors", err, err)
	}
	return ie
}

// wantRowError fails unless errs has an error at row and column whose reason
// contains reason.
func wantRowError(t *testing.T, errs antq.ImportErrors, file string, row int, column, reason string) {
	t.Helper()
	for _, e := range errs {
		if e.File == file && e.Row == row && e.Column == column && strings.Contains(e.Reason, reason) {
			return
		}
	}
	t.Errorf("no error %s:%d [%s] %q in:\n%v", file, row, column, reason, errs)
}

func TestReadVNAdminLayout(t *testing.T) {
	// The layout of data/vn-admin, with a BOM and CRLF line ends as Excel
	// writes them, and a name that needs cleaning.
	text := "\uFEFFlevel,code,name,type,parent_code\r\n" +
		"province,70,Tỉnh Bình Phước,Tỉnh,\r\n" +
		"district,689,Thành  phố   Đồng Xoài ,Thành phố,70\r\n" +
		"\r\n" + // blank lines are skipped
		"commune,25195,\"Phường Tân Phú\",Phường,689\r\n"
	recs, err := readCSV(t, text, opts2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	want := []struct {
		row                         int
		kind                        antq.UnitKind
		code, name, typ, parentCode string
	}{
		{2, antq.KindProvince, "70", "Tỉnh Bình Phước", "Tỉnh", ""},
		{3, antq.KindDistrict, "689", "Thành phố Đồng Xoài", "Thành phố", "70"},
		{5, antq.KindCommune, "25195", "Phường Tân Phú", "Phường", "689"},
	}
	for i, w := range want {
		r := recs[i]
		u := r.Unit
		if r.Row != w.row || u.Kind != w.kind || u.Code != w.code || u.Name != w.name || u.Type != w.typ || u.ParentCode != w.parentCode {
			t.Errorf("record %d = row %d %s %q %q %q %q, want %+v", i, r.Row, u.Kind, u.Code, u.Name, u.Type, u.ParentCode, w)
		}
		if !u.ValidFrom.Equal(opts2023.ValidFrom) || !u.ValidTo.Equal(opts2023.ValidTo) {
			t.Errorf("record %d validity = %s..%s, want the options' dates", i, u.ValidFrom, u.ValidTo)
		}
		if u.Size.Households != nil || u.Size.Staff != nil || u.Size.Pupils != nil {
			t.Errorf("record %d has sizes, want none", i)
		}
	}
}

func TestReadNFC(t *testing.T) {
	// "Phước" written decomposed: u and o followed by combining horn and
	// acute, as some keyboards and PDFs produce it.
	nfd := "Tỉnh Bình Phu\u031bo\u031b\u0301c"
	recs, err := readCSV(t, "level,code,name,type,parent_code\nprovince,70,"+nfd+",Tỉnh,\n", opts2023)
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[0].Unit.Name; got != "Tỉnh Bình Phước" {
		t.Errorf("name = %q (% x), want NFC %q", got, got, "Tỉnh Bình Phước")
	}
}

func TestReadExtendedLayout(t *testing.T) {
	text := "Code,LEVEL,name,type,parent_code,households,staff,pupils,size_as_of,managing_level,armed_forces,small_enterprise,primary_school,valid_from,valid_to\n" +
		"25195-KDC01,residential_area,Khu phố 1,Khu phố,25195,\"1.250\",,,,,,,,2023-01-01,\n" +
		"25195-TH01,school,Trường Tiểu học Tân Phú,Tiểu học,25195,,45,820,01/09/2023,,không,0,x,01/01/2023,30/06/2025\n" +
		"25195-DN01,enterprise,Công ty TNHH Hạt điều Tân Phú,Công ty TNHH,25195,,12,,,commune,,có,,2023-01-01,\n" +
		"25195-QS,agency,Ban Chỉ huy Quân sự phường Tân Phú,Ban CHQS,25195,,15,,,,TRUE,,,2023-01-01,\n"
	recs, err := readCSV(t, text, unitfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4", len(recs))
	}
	ra, school, firm, army := recs[0].Unit, recs[1].Unit, recs[2].Unit, recs[3].Unit
	if ra.Kind != antq.KindResidentialArea || ra.Size.Households == nil || *ra.Size.Households != 1250 {
		t.Errorf("residential area = %+v, want 1250 households", ra)
	}
	if !ra.Size.AsOf.Equal(antq.MustDate("2023-01-01")) || !ra.ValidTo.IsZero() {
		t.Errorf("residential area size as of %s, valid to %s; want valid_from and open", ra.Size.AsOf, ra.ValidTo)
	}
	if school.Size.Staff == nil || *school.Size.Staff != 45 || school.Size.Pupils == nil || *school.Size.Pupils != 820 {
		t.Errorf("school sizes = %+v", school.Size)
	}
	if !school.Flags.PrimarySchool || school.Flags.ArmedForces || school.Flags.SmallEnterprise {
		t.Errorf("school flags = %+v", school.Flags)
	}
	if !school.Size.AsOf.Equal(antq.MustDate("2023-09-01")) || !school.ValidTo.Equal(antq.MustDate("2025-06-30")) {
		t.Errorf("school dates: size as of %s, valid to %s", school.Size.AsOf, school.ValidTo)
	}
	if !firm.Flags.SmallEnterprise || firm.ManagingLevel != antq.ManagedByCommune {
		t.Errorf("enterprise = %+v", firm)
	}
	if !army.Flags.ArmedForces {
		t.Errorf("armed forces flag not read: %+v", army.Flags)
	}
}

func TestReadSizeAsOfOption(t *testing.T) {
	recs, err := readCSV(t, "level,code,name,type,parent_code,households\nresidential_area,X-1,Ấp 1,Ấp,25195,300\n",
		unitfile.Options{ValidFrom: antq.MustDate("2023-01-01"), SizeAsOf: antq.MustDate("2023-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[0].Unit.Size.AsOf; !got.Equal(antq.MustDate("2023-06-30")) {
		t.Errorf("size as of %s, want the option's 2023-06-30", got)
	}
}

func TestReadSemicolonDelimiter(t *testing.T) {
	recs, err := readCSV(t, "level;code;name;type;parent_code\nprovince;70;Tỉnh Bình Phước;Tỉnh;\n", opts2023)
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Unit.Name != "Tỉnh Bình Phước" {
		t.Errorf("name = %q", recs[0].Unit.Name)
	}
}

func TestReadErrors(t *testing.T) {
	const header = "level,code,name,type,parent_code\n"
	tests := []struct {
		name   string
		text   string
		opts   unitfile.Options
		row    int
		column string
		reason string
	}{
		{"missing column", "level,code,name,parent_code\nprovince,70,Tỉnh Bình Phước,\n", opts2023, 1, "type", "missing column"},
		{"unknown column", "level,code,name,type,parent_code,population\nprovince,70,Tỉnh Bình Phước,Tỉnh,,5\n", opts2023, 1, "population", "unknown column"},
		{"duplicate column", "level,code,name,type,parent_code,Code\n", opts2023, 1, "code", "duplicate column"},
		{"no valid_from anywhere", header + "province,70,Tỉnh Bình Phước,Tỉnh,\n", unitfile.Options{}, 1, "valid_from", "valid_from"},
		{"empty valid_from cell", "level,code,name,type,parent_code,valid_from\nprovince,70,Tỉnh Bình Phước,Tỉnh,,\n", unitfile.Options{}, 2, "valid_from", "missing valid_from"},
		{"bad date", "level,code,name,type,parent_code,valid_from\nprovince,70,Tỉnh Bình Phước,Tỉnh,,2023-13-01\n", unitfile.Options{}, 2, "valid_from", "invalid date"},
		{"valid_to before valid_from", "level,code,name,type,parent_code,valid_to\nprovince,70,Tỉnh Bình Phước,Tỉnh,,2022-12-31\n", opts2023, 2, "valid_to", "valid_to before valid_from"},
		{"bad encoding", header + "province,70,T\xecnh B\xecnh Ph\xf6\xf4\xf9c,Tỉnh,\n", opts2023, 2, "name", "bad encoding: not UTF-8"},
		{"UTF-16", "\xff\xfel\x00e\x00", opts2023, 1, "", "UTF-16"},
		{"invalid kind", header + "hamlet,70-1,Ấp 1,Ấp,70\n", opts2023, 2, "level", "invalid kind"},
		{"invalid number", "level,code,name,type,parent_code,households\nresidential_area,X-1,Ấp 1,Ấp,25195,nhiều\n", opts2023, 2, "households", "invalid number"},
		{"decimal number", "level,code,name,type,parent_code,staff\nagency,X-1,Sở Y tế,Sở,70,12.5\n", opts2023, 2, "staff", "invalid number"},
		{"negative number", "level,code,name,type,parent_code,pupils\nschool,X-1,Trường Tiểu học A,Tiểu học,70,-5\n", opts2023, 2, "pupils", "negative number"},
		{"invalid boolean", "level,code,name,type,parent_code,armed_forces\nagency,X-1,Ban CHQS,Ban,70,maybe\n", opts2023, 2, "armed_forces", "invalid boolean"},
		{"invalid managing level", "level,code,name,type,parent_code,managing_level\nagency,X-1,Sở Y tế,Sở,70,ward\n", opts2023, 2, "managing_level", "invalid managing level"},
		{"missing code", header + "province,,Tỉnh Bình Phước,Tỉnh,\n", opts2023, 2, "code", "missing code"},
		{"invalid code", header + "province,7 0,Tỉnh Bình Phước,Tỉnh,\n", opts2023, 2, "code", "invalid code"},
		{"code lost its zero", header + "province,1,Thành phố Hà Nội,Thành phố Trung ương,\n", opts2023, 2, "code", "leading zeros"},
		{"parent code lost its zero", header + "commune,00004,Phường Ba Đình,Phường,1\n", opts2023, 2, "parent_code", "leading zeros"},
		{"missing name", header + "province,70,  ,Tỉnh,\n", opts2023, 2, "name", "missing name"},
		{"too many fields", header + "province,70,Tỉnh Bình Phước,Tỉnh,,extra\n", opts2023, 2, "#6", "too many fields"},
		{"too few fields", header + "province,70,Tỉnh Bình Phước\n", opts2023, 2, "", "wrong number of fields"},
		{"CSV syntax", header + "province,70,\"Tỉnh Bình Phước,Tỉnh,\n", opts2023, 2, "", "CSV syntax error"},
		{"empty file", "", opts2023, 0, "", "no header row"},
		{"header only", header, opts2023, 1, "", "no data rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := readCSV(t, tt.text, tt.opts)
			if recs != nil {
				t.Errorf("got %d records with an error, want none", len(recs))
			}
			wantRowError(t, importErrors(t, err), "units.csv", tt.row, tt.column, tt.reason)
		})
	}
}

func TestReadReportsEveryError(t *testing.T) {
	text := "level,code,name,type,parent_code,households\n" +
		"residential_area,A-1,Ấp 1,Ấp,25195,abc\n" +
		"residential_area,A-2,Ấp 2,Ấp,25195,300\n" +
		"village,A-3,Ấp 3,Ấp,25195,-1\n"
	_, err := readCSV(t, text, opts2023)
	errs := importErrors(t, err)
	if len(errs) != 3 {
		t.Fatalf("got %d errors, want 3:\n%v", len(errs), errs)
	}
	wantRowError(t, errs, "units.csv", 2, "households", "invalid number")
	wantRowError(t, errs, "units.csv", 4, "level", "invalid kind")
	wantRowError(t, errs, "units.csv", 4, "households", "negative number")
}

func TestReadCapsErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("level,code,name,type,parent_code\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "hamlet,A-%d,Ấp %d,Ấp,25195\n", i, i)
	}
	_, err := readCSV(t, b.String(), opts2023)
	errs := importErrors(t, err)
	if len(errs) != antq.MaxReportedRowErrors {
		t.Fatalf("got %d errors, want the cap %d", len(errs), antq.MaxReportedRowErrors)
	}
	if last := errs[len(errs)-1]; !strings.Contains(last.Reason, "too many errors") {
		t.Errorf("last error = %v, want a note that reading stopped", last)
	}
}

func TestReadNumberFormats(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "950": 950, "1.250": 1250, "1,250": 1250, "1 250 000": 1250000, "+": -1, "1.25": -1, "12,5": -1} {
		text := fmt.Sprintf("level,code,name,type,parent_code,households\nresidential_area,A-1,Ấp 1,Ấp,25195,\"%s\"\n", in)
		recs, err := readCSV(t, text, opts2023)
		if want < 0 {
			if err == nil {
				t.Errorf("%q: no error, want invalid number", in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := recs[0].Unit.Size.Households; got == nil || *got != want {
			t.Errorf("%q read as %v, want %d", in, got, want)
		}
	}
}

// writeXLSX builds a workbook in the test (no binary fixtures in the
// repository). Cells are written as given: strings as text, ints as numbers.
func writeXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := writeXLSX(t, [][]any{
		{"level", "code", "name", "type", "parent_code", "households"},
		{"province", "70", "Tỉnh Bình Phước", "Tỉnh", ""},
		{"district", "689", "Thành phố Đồng Xoài", "Thành phố", "70"},
		{"commune", "25195", "Phường Tân Phú", "Phường", "689", 4200},
		{}, // an empty row is skipped
		{"residential_area", "25195-KDC01", "Khu phố 1", "Khu phố", "25195", 310},
	})
	recs, err := unitfile.Read("units.xlsx", bytes.NewReader(data), opts2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4", len(recs))
	}
	if u := recs[0].Unit; u.Code != "70" || u.ParentCode != "" || u.Size.Households != nil {
		t.Errorf("province = %+v", u)
	}
	if r := recs[3]; r.Row != 6 || *r.Unit.Size.Households != 310 || r.Unit.Name != "Khu phố 1" {
		t.Errorf("residential area = row %d %+v", r.Row, r.Unit)
	}
	if got := *recs[2].Unit.Size.Households; got != 4200 {
		t.Errorf("commune households = %d", got)
	}
	// The format is sniffed when the name has no known extension.
	if recs, err := unitfile.Read("-", bytes.NewReader(data), opts2023); err != nil || len(recs) != 4 {
		t.Errorf("sniffed XLSX: %d records, %v", len(recs), err)
	}
}

func TestReadXLSXFormattedCode(t *testing.T) {
	// A code stored as the number 1 but formatted "00" shows as 01: the
	// reader takes the text as shown, so the leading zero is kept.
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{
		{"level", "code", "name", "type", "parent_code"},
		{"province", 1, "Thành phố Hà Nội", "Thành phố Trung ương", ""},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	format := "00"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "B2", "B2", style); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := unitfile.Read("hanoi.xlsx", &buf, opts2023)
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[0].Unit.Code; got != "01" {
		t.Errorf("code = %q, want 01", got)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	data := writeXLSX(t, [][]any{
		{"Level", "Code", "Name", "Type", "Parent_Code", "Staff"},
		{"province", 1, "Thành phố Hà Nội", "Thành phố Trung ương", ""}, // a numeric code lost its zero
		{"agency", "01-CQ001", "Sở Y tế", "Sở", "01", "nhiều"},
	})
	_, err := unitfile.Read("units.xlsx", bytes.NewReader(data), opts2023)
	errs := importErrors(t, err)
	wantRowError(t, errs, "units.xlsx", 2, "code", "leading zeros")
	wantRowError(t, errs, "units.xlsx", 3, "staff", "invalid number")
	if len(errs) != 2 {
		t.Errorf("got %d errors, want 2:\n%v", len(errs), errs)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(path, []byte("level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if recs, err := unitfile.ReadFile(path, opts2023); err != nil || len(recs) != 1 {
		t.Fatalf("ReadFile: %d records, %v", len(recs), err)
	}
	_, err := unitfile.ReadFile(filepath.Join(dir, "missing.csv"), opts2023)
	wantRowError(t, importErrors(t, err), filepath.Join(dir, "missing.csv"), 0, "", "cannot open file")
	_, err = unitfile.ReadFile(filepath.Join(dir, "old.xls"), opts2023)
	if err == nil {
		t.Error("a missing .xls opened")
	}
	os.WriteFile(filepath.Join(dir, "old.xls"), []byte("x"), 0o600)
	_, err = unitfile.ReadFile(filepath.Join(dir, "old.xls"), opts2023)
	wantRowError(t, importErrors(t, err), filepath.Join(dir, "old.xls"), 0, "", ".xls is not supported")
}

func TestReadVNAdminData(t *testing.T) {
	// The real 2025 list reads without a single complaint.
	recs, err := unitfile.ReadFile("../demo/data/units-2025.csv", unitfile.Options{ValidFrom: antq.MustDate("2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3355 {
		t.Errorf("got %d units, want 3355 (34 provinces + 3321 communes)", len(recs))
	}
}
