package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// Bình Phước before the 2025 reform, as the demo sets it up.
var (
	bpFrom = antq.MustDate("2023-01-01")
	bpTo   = antq.MustDate("2025-06-30")
	bpOpts = unitfile.Options{ValidFrom: bpFrom, ValidTo: bpTo}
)

// importText reads a CSV (or, by name, XLSX) file from data and imports it
// as the command line does; errors from either step come back as they are.
func importText(ctx context.Context, db *store.DB, name string, data []byte, opts unitfile.Options) (store.ImportResult, error) {
	recs, err := unitfile.Read(name, bytes.NewReader(data), opts)
	if err != nil {
		return store.ImportResult{}, err
	}
	return db.ImportUnits(ctx, name, recs)
}

// mustImportText imports a CSV as the system and fails the test on error.
func mustImportText(t *testing.T, db *store.DB, text string, opts unitfile.Options) store.ImportResult {
	t.Helper()
	res, err := importText(antq.SystemContext(context.Background()), db, "fixture.csv", []byte(text), opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// importBinhPhuocSubset imports the real province 70 with its 11 districts
// and 111 communes from the demo data.
func importBinhPhuocSubset(t *testing.T, db *store.DB) {
	t.Helper()
	recs, err := unitfile.ReadFile("../demo/data/units-2024-binh-phuoc.csv", bpOpts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.ImportUnits(antq.SystemContext(context.Background()), "units-2024-binh-phuoc.csv", recs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Units != 123 {
		t.Fatalf("imported %d units, want 123", res.Units)
	}
}

// countUnits counts every unit version in the database.
func countUnits(t *testing.T, db *store.DB) int {
	t.Helper()
	_, total, err := db.FindUnits(antq.SystemContext(context.Background()), antq.UnitFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// wantImportError fails unless err is antq.ImportErrors holding an error
// at file:row [column] whose reason contains reason.
func wantImportError(t *testing.T, err error, file string, row int, column, reason string) {
	t.Helper()
	var ie antq.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("error = %v (%T), want antq.ImportErrors", err, err)
	}
	for _, e := range ie {
		if e.File == file && e.Row == row && e.Column == column && strings.Contains(e.Reason, reason) {
			return
		}
	}
	t.Errorf("no error %s:%d [%s] %q in:\n%v", file, row, column, reason, ie)
}

func TestImportResultCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		res := mustImportText(t, db, "level,code,name,type,parent_code,households,staff,pupils\n"+
			"province,70,Tỉnh Bình Phước,Tỉnh,,,,\n"+
			"district,689,Thành phố Đồng Xoài,Thành phố,70,,,\n"+
			"commune,25195,Phường Tân Phú,Phường,689,1200,,\n"+
			"residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,\n"+
			"school,25195-TH01,Trường Tiểu học Tân Phú,Tiểu học,25195,,40,700\n"+
			"agency,70-CQ001,Sở Y tế,Sở,70,,120,\n", bpOpts)
		want := []antq.KindCount{{Kind: antq.KindProvince, Count: 1}, {Kind: antq.KindDistrict, Count: 1}, {Kind: antq.KindCommune, Count: 1},
			{Kind: antq.KindResidentialArea, Count: 1}, {Kind: antq.KindAgency, Count: 1}, {Kind: antq.KindSchool, Count: 1}}
		if res.Units != 6 || res.Sizes != 4 || fmt.Sprint(res.ByKind) != fmt.Sprint(want) {
			t.Errorf("result = %+v, want 6 units, 4 sizes, %v", res, want)
		}
		if res.Duration <= 0 || res.RowsPerSecond() <= 0 {
			t.Errorf("duration %v, %v rows/s", res.Duration, res.RowsPerSecond())
		}
		ctx := antq.SystemContext(context.Background())
		school, err := db.FindUnitByCode(ctx, "25195-TH01", antq.MustDate("2024-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if school.ParentCode != "25195" || school.ManagingLevel != antq.ManagedByCommune ||
			school.Size.Staff == nil || *school.Size.Staff != 40 || school.Size.Pupils == nil || *school.Size.Pupils != 700 || school.Size.Households != nil {
			t.Errorf("school = %+v, size %+v", school, school.Size)
		}
		agency, err := db.FindUnitByCode(ctx, "70-CQ001", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if agency.ManagingLevel != antq.ManagedByProvince || !agency.ValidTo.Equal(bpTo) {
			t.Errorf("agency = %+v, want managed by the province, valid to %s", agency, bpTo)
		}
		commune, err := db.FindUnitByCode(ctx, "25195", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if commune.Size.Households == nil || *commune.Size.Households != 1200 || !commune.Size.AsOf.Equal(bpFrom) {
			t.Errorf("commune size = %+v", commune.Size)
		}
	})
}

func TestImportErrors(t *testing.T) {
	const header = "level,code,name,type,parent_code\n"
	const bp = "province,70,Tỉnh Bình Phước,Tỉnh,\n" // row 2 of every file below
	tests := []struct {
		name   string
		file   string // fixture.csv when empty
		text   string
		opts   *unitfile.Options
		row    int
		column string
		reason string
	}{
		{name: "unknown parent", text: header + bp + "commune,99999,Xã Không Có,Xã,999\n",
			row: 3, column: "parent_code", reason: "mã cha không tồn tại: 999"},
		{name: "duplicate code in the file", text: header + bp + "district,689,Thành phố Đồng Xoài,Thành phố,70\ndistrict,689,Thị xã Đồng Xoài,Thị xã,70\n",
			row: 4, column: "code", reason: "duplicate code"},
		{name: "duplicate code against the database", text: header + "district,689,Thành phố Đồng Xoài,Thành phố,70\n",
			row: 2, column: "code", reason: "code already exists"},
		{name: "cycle", text: header + "agency,A,Cơ quan A,Cơ quan,C\nagency,B,Cơ quan B,Cơ quan,A\nagency,C,Cơ quan C,Cơ quan,B\n",
			row: 3, column: "parent_code", reason: "cycle"},
		{name: "own parent", text: header + bp + "agency,X,Cơ quan X,Cơ quan,X\n",
			row: 3, column: "parent_code", reason: "cycle"},
		{name: "bad encoding", text: header + bp + "district,689,Th\xe0nh ph\xf4 \xd0\xf4ng Xo\xe0i,Thành phố,70\n",
			row: 3, column: "name", reason: "bad encoding: not UTF-8"},
		{name: "missing column", text: "level,code,name,parent_code\n" + "province,70,Tỉnh Bình Phước,\n",
			row: 1, column: "type", reason: "missing column"},
		{name: "unknown column", text: "level,code,name,type,parent_code,dân số\n" + "province,70,Tỉnh Bình Phước,Tỉnh,,1000\n",
			row: 1, column: "dân số", reason: "unknown column"},
		{name: "invalid number", text: "level,code,name,type,parent_code,households\n" + "province,70,Tỉnh Bình Phước,Tỉnh,,\nresidential_area,A-1,Ấp 1,Ấp,70,2 trăm\n",
			row: 3, column: "households", reason: "invalid number"},
		{name: "negative number", text: "level,code,name,type,parent_code,staff\n" + "province,70,Tỉnh Bình Phước,Tỉnh,,\nagency,70-CQ001,Sở Y tế,Sở,70,-3\n",
			row: 3, column: "staff", reason: "negative number"},
		{name: "invalid kind", text: header + bp + "ward,25195,Phường Tân Phú,Phường,70\n",
			row: 3, column: "level", reason: "invalid kind"},
		{name: "parent kind not allowed", text: header + bp + "residential_area,70-KDC01,Ấp 1,Ấp,70\n",
			row: 3, column: "parent_code", reason: "parent kind not allowed"},
		{name: "district under a district", text: header + bp + "district,689,Thành phố Đồng Xoài,Thành phố,70\ndistrict,690,Thị xã Bình Long,Thị xã,689\n",
			row: 4, column: "parent_code", reason: "parent kind not allowed"},
		{name: "commune without parent", text: header + "commune,25195,Phường Tân Phú,Phường,\n",
			row: 2, column: "parent_code", reason: "parent_code required"},
		{name: "parent not in force", text: header + "commune,25195,Phường Tân Phú,Phường,689\n",
			opts: &unitfile.Options{ValidFrom: antq.MustDate("2025-07-01")}, row: 2, column: "parent_code", reason: "not in force"},
		{name: "outlives its parent", text: "level,code,name,type,parent_code,valid_from,valid_to\n" +
			"province,70,Tỉnh Bình Phước,Tỉnh,,2023-01-01,2025-06-30\ndistrict,689,Thành phố Đồng Xoài,Thành phố,70,2023-01-01,\n",
			opts: &unitfile.Options{}, row: 3, column: "valid_to", reason: "outlives its parent"},
		{name: "name too long", text: header + bp + "agency,X,Cơ quan " + strings.Repeat("rất ", 60) + "dài,Cơ quan,70\n",
			row: 3, column: "name", reason: "quá dài"},
		{name: "xlsx", file: "fixture.xlsx", row: 3, column: "parent_code", reason: "mã cha không tồn tại: 698x"},
		{name: "xlsx bad number", file: "bad-number.xlsx", row: 2, column: "households", reason: "invalid number"},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		// The database already has the districts' province and one district.
		mustImportText(t, db, header+"province,69,Tỉnh Tây Ninh,Tỉnh,\ndistrict,689,Thành phố Đồng Xoài,Thành phố,69\n", bpOpts)
		before := countUnits(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				file, data := tt.file, []byte(tt.text)
				switch file {
				case "":
					file = "fixture.csv"
				case "fixture.xlsx":
					data = xlsxFixture(t, [][]any{
						{"level", "code", "name", "type", "parent_code"},
						{"commune", "25195", "Phường Tân Phú", "Phường", "689"},
						{"commune", "25198", "Phường Tân Đồng", "Phường", "698x"},
					})
				case "bad-number.xlsx":
					data = xlsxFixture(t, [][]any{
						{"level", "code", "name", "type", "parent_code", "households"},
						{"residential_area", "A-1", "Ấp 1", "Ấp", "25195", "ba trăm"},
					})
				}
				opts := bpOpts
				if tt.opts != nil {
					opts = *tt.opts
				}
				_, err := importText(ctx, db, file, data, opts)
				wantImportError(t, err, file, tt.row, tt.column, tt.reason)
				if n := countUnits(t, db); n != before {
					t.Errorf("a refused file changed the units: %d before, %d after", before, n)
				}
			})
		}
	})
}

// xlsxFixture builds a workbook in the test: no binary fixtures are committed.
func xlsxFixture(t *testing.T, rows [][]any) []byte {
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

func TestImportXLSX(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		data := xlsxFixture(t, [][]any{
			{"Level", "Code", "Name", "Type", "Parent_Code", "Households"},
			{"province", "70", "Tỉnh Bình Phước", "Tỉnh", ""},
			{"district", "689", "Thành phố Đồng Xoài", "Thành phố", "70"},
			{"commune", "25195", "Phường Tân Phú", "Phường", "689", 3100},
		})
		res, err := importText(ctx, db, "units.xlsx", data, bpOpts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Units != 3 || res.Sizes != 1 {
			t.Errorf("result = %+v", res)
		}
	})
}

func TestImportReportsAllErrors(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		_, err := importText(antq.SystemContext(context.Background()), db, "many.csv", []byte(
			"level,code,name,type,parent_code\n"+
				"province,70,Tỉnh Bình Phước,Tỉnh,\n"+
				"commune,25195,Phường Tân Phú,Phường,689\n"+
				"residential_area,A-1,Ấp 1,Ấp,70\n"+
				"province,70,Tỉnh Bình Phước,Tỉnh,\n"), bpOpts)
		var ie antq.ImportErrors
		if !errors.As(err, &ie) || len(ie) != 3 {
			t.Fatalf("got %v, want 3 errors", err)
		}
		// In row order.
		for i, row := range []int{3, 4, 5} {
			if ie[i].Row != row {
				t.Errorf("error %d at row %d, want %d", i, ie[i].Row, row)
			}
		}
	})
}

func TestImportVersions(t *testing.T) {
	// The same code may come back as a new version once the old one ended
	// (Phường Tân Phú 25195 → Phường Bình Phước 25195 on 01/07/2025).
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		mustImportText(t, db, "level,code,name,type,parent_code,valid_from,valid_to\n"+
			"province,70,Tỉnh Bình Phước,Tỉnh,,2023-01-01,2025-06-30\n"+
			"province,75,Tỉnh Đồng Nai,Tỉnh,,2023-01-01,\n"+
			"district,689,Thành phố Đồng Xoài,Thành phố,70,2023-01-01,2025-06-30\n"+
			"commune,25195,Phường Tân Phú,Phường,689,2023-01-01,2025-06-30\n"+
			"commune,25195,Phường Bình Phước,Phường,75,2025-07-01,\n", unitfile.Options{})
		if u, err := db.FindUnitByCode(ctx, "25195", antq.Date{}); err != nil || u.Name != "Phường Bình Phước" || u.ParentCode != "75" {
			t.Errorf("latest 25195 = %+v, %v; want Phường Bình Phước under 75", u, err)
		}
		if u, err := db.FindUnitByCode(ctx, "25195", antq.MustDate("2025-06-30")); err != nil || u.Name != "Phường Tân Phú" || u.ParentCode != "689" {
			t.Errorf("25195 on 2025-06-30 = %+v, %v; want Phường Tân Phú under 689", u, err)
		}
		// A third version overlapping the second is a duplicate.
		_, err := importText(ctx, db, "v3.csv", []byte("level,code,name,type,parent_code,valid_from\ncommune,25195,Phường Mới,Phường,75,2026-01-01\n"), unitfile.Options{})
		wantImportError(t, err, "v3.csv", 2, "code", "code already exists")
		// A child picks the parent version in force on its first day.
		mustImportText(t, db, "level,code,name,type,parent_code,valid_from\nresidential_area,25195-KDC01,Khu phố 1,Khu phố,25195,2025-07-01\n", unitfile.Options{})
		if u, err := db.FindUnitByCode(ctx, "25195-KDC01", antq.Date{}); err != nil || u.ParentCode != "25195" {
			t.Fatalf("area = %+v, %v", u, err)
		}
		_, kids, _, err := db.Children(ctx, "25195", antq.MustDate("2025-07-01"), nil, 0, 0)
		if err != nil || len(kids) != 1 {
			t.Errorf("children of the 2025 version: %d, %v; want 1", len(kids), err)
		}
		_, kids, _, err = db.Children(ctx, "25195", antq.MustDate("2025-06-30"), nil, 0, 0)
		if err != nil || len(kids) != 0 {
			t.Errorf("children of the 2024 version: %d, %v; want 0", len(kids), err)
		}
	})
}

func TestImportScope(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db)
		sys := antq.SystemContext(context.Background())
		dx, err := db.FindUnitByCode(sys, "689", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := antq.NewContextWithActor(context.Background(), antq.Actor{User: &antq.User{ID: 42, Username: "dongxoai", Role: antq.RoleAdmin, UnitID: dx.ID}})
		const header = "level,code,name,type,parent_code\n"
		// Inside the caller's district: accepted.
		recs, err := unitfile.Read("in.csv", strings.NewReader(header+"residential_area,25195-KDC01,Khu phố 1,Khu phố,25195\n"), bpOpts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(ctx, "in.csv", recs); err != nil {
			t.Fatalf("import inside the scope: %v", err)
		}
		// Under a commune of another district (25216 is in Phước Long): it
		// does not exist for this caller.
		before := countUnits(t, db)
		_, err = importText(ctx, db, "out.csv", []byte(header+"residential_area,25216-KDC01,Khu phố 1,Khu phố,25216\n"), bpOpts)
		wantImportError(t, err, "out.csv", 2, "parent_code", "mã cha không tồn tại: 25216")
		// A new root: only a root user may add one.
		_, err = importText(ctx, db, "root.csv", []byte(header+"province,71,Tỉnh Khác,Tỉnh,\n"), bpOpts)
		wantImportError(t, err, "root.csv", 2, "parent_code", "root user")
		if n := countUnits(t, db); n != before {
			t.Errorf("refused imports changed the units: %d → %d", before, n)
		}
		// Without a user nothing happens.
		if _, err := db.ImportUnits(context.Background(), "x.csv", recs); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("import without a user: %v, want EUNAUTHORIZED", err)
		}
	})
}

func TestImportManyRows(t *testing.T) {
	// More rows than one INSERT batch and more codes than the code-by-code
	// lookup takes, so both bulk paths run.
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db)
		var b strings.Builder
		b.WriteString("level,code,name,type,parent_code,households,staff\n")
		const n = 3000
		for i := range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, "residential_area,25195-KDC%04d,Khu phố %d,Khu phố,25195,%d,\n", i, i, 100+i)
			} else {
				fmt.Fprintf(&b, "enterprise,689-DN%04d,Công ty TNHH Số %d,Công ty,689,,%d\n", i, i, 10+i)
			}
		}
		res := mustImportText(t, db, b.String(), bpOpts)
		if res.Units != n || res.Sizes != n {
			t.Fatalf("result %+v, want %d units and sizes", res, n)
		}
		ctx := antq.SystemContext(context.Background())
		counts, err := db.SubtreeCounts(ctx, "689", antq.MustDate("2024-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint([]antq.KindCount{{Kind: antq.KindCommune, Count: 8}, {Kind: antq.KindResidentialArea, Count: n / 2}, {Kind: antq.KindEnterprise, Count: n / 2}})
		if fmt.Sprint(counts) != want {
			t.Errorf("subtree of 689 = %v, want %s", counts, want)
		}
		u, err := db.FindUnitByCode(ctx, "689-DN2999", antq.Date{})
		if err != nil || u.Size.Staff == nil || *u.Size.Staff != 3009 || u.ManagingLevel != antq.ManagedByDistrict {
			t.Errorf("last enterprise = %+v, %v", u, err)
		}
		// Ids continue after the bulk block.
		var x = antq.Unit{Code: "689-DN9999", Kind: antq.KindEnterprise, Name: "Công ty sau cùng", ParentCode: "689", ValidFrom: bpFrom, ValidTo: bpTo}
		if err := db.CreateUnit(ctx, &x); err != nil {
			t.Fatal(err)
		}
		if x.ID <= u.ID {
			t.Errorf("new id %d not after the imported %d", x.ID, u.ID)
		}
	})
}

func TestCreateUnit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		p := antq.Unit{Code: "70", Kind: antq.KindProvince, Name: "Tỉnh Bình Phước", Type: "Tỉnh", ValidFrom: bpFrom, ValidTo: bpTo}
		if err := db.CreateUnit(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.ParentID != 0 {
			t.Errorf("province id %d parent %d", p.ID, p.ParentID)
		}
		staff := int64(85)
		a := antq.Unit{Code: "70-CQ001", Kind: antq.KindAgency, Name: "Sở Tư pháp", Type: "Sở", ParentCode: "70",
			ValidFrom: bpFrom, ValidTo: bpTo, Size: antq.UnitSize{Staff: &staff}}
		if err := db.CreateUnit(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if a.ParentID != p.ID || a.ManagingLevel != antq.ManagedByProvince || !a.Size.AsOf.Equal(bpFrom) {
			t.Errorf("agency = %+v", a)
		}
		got, err := db.FindUnitByCode(ctx, "70-CQ001", antq.Date{})
		if err != nil || got.ID != a.ID || got.Size.Staff == nil || *got.Size.Staff != 85 {
			t.Errorf("found %+v, %v", got, err)
		}
		dup := a
		if err := db.CreateUnit(ctx, &dup); antq.ErrorCode(err) != antq.ECONFLICT || antq.ErrorFields(err)["code"] == "" {
			t.Errorf("duplicate: %v (fields %v), want ECONFLICT on code", err, antq.ErrorFields(err))
		}
		bad := antq.Unit{Code: "x y", Kind: "hamlet", Name: "", ParentCode: "70", ValidFrom: bpFrom}
		err = db.CreateUnit(ctx, &bad)
		if f := antq.ErrorFields(err); antq.ErrorCode(err) != antq.EINVALID || f["code"] == "" || f["kind"] == "" || f["name"] == "" {
			t.Errorf("invalid unit: %v, fields %v", err, f)
		}
	})
}

// openRaw opens a fresh, migrated store on engine e and a plain database/sql
// handle on the same database, to look at what the store wrote.
func openRaw(t *testing.T, e store.Engine) (*store.DB, *sql.DB) {
	t.Helper()
	dsn := storetest.DSN(t, e)
	db, err := store.Open(context.Background(), dsn, store.Options{NoEvidence: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	driver, conn := "sqlite", "file:"+dsn+"?_pragma=foreign_keys(1)"
	if e == store.Postgres {
		driver, conn = "pgx", dsn
	}
	raw, err := sql.Open(driver, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

// schemaObjects lists the indexes and foreign keys of the unit tables.
func schemaObjects(t *testing.T, e store.Engine, raw *sql.DB) []string {
	t.Helper()
	query := `SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master
WHERE tbl_name IN ('units', 'unit_links', 'unit_sizes') ORDER BY 1`
	if e == store.Postgres {
		query = `SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes
WHERE schemaname = current_schema() AND tablename IN ('units', 'unit_links', 'unit_sizes')
UNION ALL
SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid IN ('units'::regclass, 'unit_links'::regclass, 'unit_sizes'::regclass)
ORDER BY 1`
	}
	rows, err := raw.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestImportBulkKeepsSchema(t *testing.T) {
	// A bulk import rebuilds indexes and foreign keys at the end; the schema
	// must come back exactly, and constraints must hold afterwards.
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db, raw := openRaw(t, e)
			before := schemaObjects(t, e, raw)
			if len(before) < 4 {
				t.Fatalf("schema objects: %q", before)
			}
			var b strings.Builder
			b.WriteString("level,code,name,type,parent_code,households\nprovince,70,Tỉnh Bình Phước,Tỉnh,,\n")
			const communes, areas = 200, 120 // 24,201 units: a bulk import
			for c := range communes {
				fmt.Fprintf(&b, "commune,%05d,Xã Số %d,Xã,70,\n", 25000+c, c)
				for a := range areas {
					fmt.Fprintf(&b, "residential_area,%05d-KDC%03d,Ấp %d,Ấp,%05d,%d\n", 25000+c, a+1, a+1, 25000+c, 150+a)
				}
			}
			res := mustImportText(t, db, b.String(), bpOpts)
			if res.Units != 1+communes*(1+areas) || res.Sizes != communes*areas {
				t.Fatalf("result %+v", res)
			}
			if after := schemaObjects(t, e, raw); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("schema after a bulk import:\n%q\nwant\n%q", after, before)
			}
			ctx := antq.SystemContext(context.Background())
			counts, err := db.SubtreeCounts(ctx, "70", antq.Date{})
			if err != nil || fmt.Sprint(counts) != fmt.Sprint([]antq.KindCount{{Kind: antq.KindCommune, Count: communes}, {Kind: antq.KindResidentialArea, Count: communes * areas}}) {
				t.Errorf("subtree of 70 = %v, %v", counts, err)
			}
			// The foreign key is back: a link to a missing unit is refused.
			if _, err := raw.Exec(`INSERT INTO unit_links (unit_id, parent_id, valid_from) VALUES (1, 999999999, '2023-01-01')`); err == nil {
				t.Error("a link to a missing unit was accepted after the bulk import")
			}
		})
	}
}

func TestImportStoresFoldAndSortKey(t *testing.T) {
	// What the import stores for search and order is exactly antq.Fold and
	// antq.SortKey of the name, for every real name of 2025 (which repeat
	// words a lot: the import folds word by word with a cache) and a few
	// awkward ones.
	recs, err := unitfile.ReadFile("../demo/data/units-2025.csv", unitfile.Options{ValidFrom: antq.MustDate("2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	odd := []string{"Xã  Đắk\u00a0Ơ", "ĐỒNG XOÀI", "Phu\u031bo\u031b\u0301c", "A \u0301B", "Hoà / Hòa", "Ấp 1", "ấp 1"}
	for i, name := range odd {
		recs = append(recs, antq.UnitRecord{Row: 9000 + i, Unit: antq.Unit{Code: fmt.Sprintf("X-%d", i), Kind: antq.KindAgency,
			Name: name, ParentCode: "75", ValidFrom: antq.MustDate("2025-07-01")}})
	}
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db, raw := openRaw(t, e)
			if _, err := db.ImportUnits(antq.SystemContext(context.Background()), "units-2025.csv", recs); err != nil {
				t.Fatal(err)
			}
			rows, err := raw.Query(`SELECT name, name_folded, sort_key FROM units`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var name, folded string
				var key []byte
				if err := rows.Scan(&name, &folded, &key); err != nil {
					t.Fatal(err)
				}
				n++
				if want := antq.Fold(name); folded != want {
					t.Errorf("name_folded of %q = %q, want %q", name, folded, want)
				}
				if want := antq.SortKey(name); !bytes.Equal(key, want) {
					t.Errorf("sort_key of %q differs from antq.SortKey", name)
				}
			}
			if n != len(recs) {
				t.Errorf("checked %d units, want %d", n, len(recs))
			}
		})
	}
}
