package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// reorganiseText reads a reorganisation file and applies it, as the
// command line does.
func reorganiseText(ctx context.Context, db *store.DB, name, text string) (store.ReorgResult, error) {
	rows, err := unitfile.ReadReorganisation(name, strings.NewReader(text))
	if err != nil {
		return store.ReorgResult{}, err
	}
	return db.Reorganise(ctx, name, rows)
}

func countInForce(t *testing.T, db *store.DB, on antq.Date) int {
	t.Helper()
	_, n, err := db.FindUnits(antq.SystemContext(context.Background()), antq.UnitFilter{AsOf: on, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func lineageCodes(links []store.LineageLink) []string {
	var out []string
	for _, l := range links {
		out = append(out, l.Code)
	}
	return out
}

// The whole official 2025 conversion table goes through the reorganise
// path: 10,794 old units end on 30/06/2025, 3,355 new ones start, and the
// lineage says which became which.
func TestReorganiseOfficial2025(t *testing.T) {
	if testing.Short() {
		t.Skip("whole country")
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := antq.SystemContext(context.Background())
		old, err := demo.Units2024(antq.NewDate(2024, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(ctx, "units-2024.csv", old); err != nil {
			t.Fatal(err)
		}
		rows, err := demo.Reform2025(demo.Reform2025Options{})
		if err != nil {
			t.Fatal(err)
		}
		var file bytes.Buffer
		if err := demo.WriteReorgCSV(&file, rows); err != nil {
			t.Fatal(err)
		}
		res, err := reorganiseText(ctx, db, "reform-2025.csv", file.String())
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 63+696+10565 {
			t.Errorf("rows = %d", res.Rows)
		}
		if res.Ended != 10794 || res.Created != 3355 {
			t.Errorf("ended %d, created %d; want 10794, 3355", res.Ended, res.Created)
		}
		if n := countInForce(t, db, antq.NewDate(2025, 6, 30)); n != 10794 {
			t.Errorf("units on 30/06/2025 = %d", n)
		}
		if n := countInForce(t, db, antq.NewDate(2025, 7, 1)); n != 3355 {
			t.Errorf("units on 01/07/2025 = %d", n)
		}
		// Phường Đồng Xoài took Tiến Thành and Tân Thành whole.
		dx, err := db.FindUnitByCode(ctx, "25210", antq.NewDate(2025, 7, 1))
		if err != nil {
			t.Fatal(err)
		}
		if dx.Name != "Phường Đồng Xoài" || dx.ParentCode != "75" {
			t.Errorf("25210 = %s under %s", dx.Name, dx.ParentCode)
		}
		pred, _, err := db.Lineage(ctx, dx.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(lineageCodes(pred), ","); got != "25210,25207" && got != "25207,25210" {
			t.Errorf("predecessors of Phường Đồng Xoài = %s", got)
		}
		for _, p := range pred {
			if !p.Comparable || p.Share != nil || p.Legal.Number != "1662/NQ-UBTVQH15" {
				t.Errorf("predecessor %+v", p)
			}
		}
		// The district of Đồng Xoài ended with its lineage: abolished, the
		// province took its role.
		d, err := db.FindUnitByCode(ctx, "689", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if d.ValidTo != antq.NewDate(2025, 6, 30) {
			t.Errorf("689 ends %s", d.ValidTo)
		}
		_, succ, err := db.Lineage(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(succ) != 1 || succ[0].Code != "75" || succ[0].Event != antq.LineageAbolish {
			t.Errorf("successors of 689 = %+v", succ)
		}
		// A split commune: every part is marked not comparable.
		split := map[string]bool{}
		for _, r := range rows {
			if r.Event == antq.LineageSplit {
				split[r.From] = true
				if !r.NotComparable {
					t.Errorf("row %d: a part of a split without a share must be marked not comparable", r.Row)
				}
			}
		}
		if len(split) != 440 {
			t.Errorf("split communes = %d, want 440", len(split))
		}
		// Applying the table again is refused whole.
		before := countInForce(t, db, antq.NewDate(2025, 7, 1))
		_, err = reorganiseText(ctx, db, "reform-2025.csv", file.String())
		if ie, ok := err.(antq.ImportErrors); !ok || len(ie) == 0 || !strings.Contains(ie[0].Reason, "đã được sắp xếp từ ngày 01/07/2025") {
			t.Fatalf("second application: %v", err)
		}
		if after := countInForce(t, db, antq.NewDate(2025, 7, 1)); after != before {
			t.Errorf("a refused file changed the tree: %d → %d", before, after)
		}
	})
}

const smallTree = `level,code,name,type,parent_code
province,91,Tỉnh Thử,Tỉnh,
district,911,Huyện Một,Huyện,91
commune,91101,Xã A,Xã,911
commune,91102,Xã B,Xã,911
commune,91103,Xã C,Xã,911
residential_area,91101-KDC01,Ấp 1,Ấp,91101
residential_area,91103-KDC01,Ấp 1,Ấp,91103
`

const legal = "12/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội"

func loadSmallTree(t *testing.T, db *store.DB) context.Context {
	t.Helper()
	ctx := antq.SystemContext(context.Background())
	if _, err := importText(ctx, db, "tree.csv", []byte(smallTree), unitfile.Options{ValidFrom: antq.NewDate(2023, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// Merge, split with shares, rename, retype, move and abolish in one file;
// the past keeps its tree and names.
func TestReorganiseEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadSmallTree(t, db)
		file := `event,effective_on,from_code,to_code,to_name,to_type,to_parent_code,share,legal_number,legal_date,legal_issuer
merge,2025-07-01,91101,91201,Xã Mới,Xã,91,,` + legal + `
split,2025-07-01,91102,91201,,,,60%,` + legal + `
split,2025-07-01,91102,91202,Xã Hai,Xã,91,40%,` + legal + `
abolish,2025-07-01,911,91,,,,,` + legal + `
rename,2025-07-01,91103,,Xã C Mới,,,,` + legal + `
retype,2026-04-30,91202,,Phường Hai,Phường,,,` + legal + `
move,2026-05-01,91103-KDC01,,,,91201,,` + legal + `
`
		res, err := reorganiseText(ctx, db, "r.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		if res.Events != 6 || res.Ended != 5 || res.Created != 4 {
			t.Errorf("result %+v", res)
		}
		// Xã A's residential area followed it into Xã Mới.
		kdc, err := db.FindUnitByCode(ctx, "91101-KDC01", antq.NewDate(2025, 7, 1))
		if err != nil || kdc.ParentCode != "91201" {
			t.Fatalf("91101-KDC01 after: %+v %v", kdc, err)
		}
		if kdc, _ := db.FindUnitByCode(ctx, "91101-KDC01", antq.NewDate(2025, 6, 30)); kdc.ParentCode != "91101" {
			t.Errorf("91101-KDC01 before: under %s", kdc.ParentCode)
		}
		// The renamed commune: old name on old dates, new name after.
		if c, _ := db.FindUnitByCode(ctx, "91103", antq.NewDate(2024, 5, 1)); c.Name != "Xã C" || c.ParentCode != "911" {
			t.Errorf("91103 in 2024: %+v", c)
		}
		c, err := db.FindUnitByCode(ctx, "91103", antq.NewDate(2025, 7, 1))
		if err != nil || c.Name != "Xã C Mới" || c.ParentCode != "91" {
			t.Fatalf("91103 in 2025: %+v %v", c, err)
		}
		if k, _ := db.FindUnitByCode(ctx, "91103-KDC01", antq.NewDate(2025, 8, 1)); k.ParentCode != "91103" {
			t.Errorf("91103-KDC01 under %s", k.ParentCode)
		}
		if k, _ := db.FindUnitByCode(ctx, "91103-KDC01", antq.NewDate(2026, 5, 1)); k.ParentCode != "91201" {
			t.Errorf("moved 91103-KDC01 under %s", k.ParentCode)
		}
		if p, _ := db.FindUnitByCode(ctx, "91202", antq.NewDate(2026, 5, 1)); p.Name != "Phường Hai" || p.Type != "Phường" {
			t.Errorf("retyped: %+v", p)
		}
		// Split shares: 60% + 40% of Xã B.
		b, _ := db.FindUnitByCode(ctx, "91102", antq.Date{})
		_, succ, err := db.Lineage(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, s := range succ {
			if s.Share == nil || !s.Comparable {
				t.Errorf("part %+v", s)
				continue
			}
			sum += *s.Share
		}
		if len(succ) != 2 || sum != antq.ShareWhole {
			t.Errorf("successors of Xã B: %+v (sum %d)", succ, sum)
		}
		m, _ := db.FindUnitByCode(ctx, "91201", antq.NewDate(2025, 7, 1))
		pred, _, _ := db.Lineage(ctx, m.ID)
		if got := strings.Join(lineageCodes(pred), ","); got != "91101,91102" {
			t.Errorf("predecessors of Xã Mới: %s", got)
		}
	})
}

// A file with mistakes is refused whole, each mistake named by row and
// column in Vietnamese.
func TestReorganiseErrors(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadSmallTree(t, db)
		before := countInForce(t, db, antq.NewDate(2025, 7, 1))
		cases := []struct {
			name, file string
			want       []string
		}{
			{"file", `event,effective_on,from_code,to_code,share,legal_number,legal_date,legal_issuer
merge,2025-07-01,99999,91201,,` + legal + `
split,2025-07-01,91102,91101,30%,` + legal + `
fuse,2025-07-01,91103,91101,,` + legal + `
merge,01/07/2025,91103,91101,,,,
split,2025-07-01,91101,91102,,` + legal + `
`, []string{
				"r.csv:4 [event]: sự kiện không hợp lệ: fuse",
				"r.csv:5 [legal_number]: cần số hiệu văn bản",
				"r.csv:6 [share]: chia tách cần tỷ lệ",
			}},
			{"store", `event,effective_on,from_code,to_code,share,legal_number,legal_date,legal_issuer
merge,2025-07-01,99999,91201,,` + legal + `
split,2025-07-01,91102,91101,30%,` + legal + `
merge,2025-07-01,91103,91101,,` + legal + `
merge,2025-07-01,91103,91102,,` + legal + `
`, []string{
				"r.csv:2 [from_code]: không có đơn vị mã 99999 còn hiệu lực ngày 30/06/2025",
				"r.csv:3 [share]: tổng tỷ lệ các phần của 91102 là 30%, phải bằng 100%",
				"r.csv:5 [from_code]: Xã C đã được sắp xếp ở dòng 4",
			}},
			{"missing target", `event,effective_on,from_code,to_code,legal_number,legal_date,legal_issuer
abolish,2025-07-01,91103,,` + legal + `
merge,2025-07-01,91101,91299,` + legal + `
`, []string{
				"r.csv:2 [from_code]: Xã C còn 1 đơn vị trực thuộc đang hiệu lực",
				"r.csv:3 [to_code]: không có đơn vị mã 91299 vào ngày 01/07/2025",
			}},
		}
		for _, c := range cases {
			_, err := reorganiseText(ctx, db, "r.csv", c.file)
			ie, ok := err.(antq.ImportErrors)
			if !ok {
				t.Fatalf("%s: %v", c.name, err)
			}
			text := ie.Error()
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: missing %q in\n%s", c.name, w, text)
				}
			}
		}
		if after := countInForce(t, db, antq.NewDate(2025, 7, 1)); after != before {
			t.Errorf("refused files changed the tree: %d → %d", before, after)
		}
		if n := countInForce(t, db, antq.NewDate(2025, 6, 30)); n != 7 {
			t.Errorf("units on 30/06/2025 = %d", n)
		}
		// Someone below the root may not reorganise.
		viewer := antq.NewContextWithActor(context.Background(), antq.Actor{User: &antq.User{ID: 9, Username: "x", Role: antq.RoleAdmin, UnitID: 2}})
		_, err := reorganiseText(viewer, db, "r.csv", `event,effective_on,from_code,to_code,legal_number,legal_date,legal_issuer
merge,2025-07-01,91101,91102,`+legal+"\n")
		if antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Errorf("admin of a district: %v", err)
		}
	})
}
