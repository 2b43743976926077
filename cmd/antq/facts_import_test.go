package main_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/demo"
	"antq/factfile"
	"antq/store"
	"antq/store/storetest"
)

// TestCLIFactsImport: `antq facts import` writes a filled template as the
// named user, submitted, lists refused rows by cell and writes the marked
// copy; a bad row in the default mode writes nothing (exit code 2).
func TestCLIFactsImport(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			data := t.TempDir()
			dsn := storetest.DSN(t, engine)
			if engine == store.SQLite {
				dsn = filepath.Join(data, "antq.db")
			}
			env := []string{"ANTQ_DATA=" + data, "ANTQ_DB=" + dsn}
			if out, errOut, code := cli(t, env, "", "demo"); code != 0 {
				t.Fatalf("demo: %d %s %s", code, out, errOut)
			}
			// A commune of 2023 whose code no unit of today took over (25195,
			// Phường Tân Phú, is today's Phường Bình Phước: an account made at
			// it now belongs to today's unit).
			if out, errOut, code := cli(t, env, "mật khẩu đủ dài 2023\n", "user", "add", "--username", "nhaplieu", "--role", "data_entry", "--unit", "25198", "--password-stdin"); code != 0 {
				t.Fatalf("user add: %d %q %q", code, out, errOut)
			}
			// The template, as the page would give it.
			db, err := store.Open(context.Background(), dsn, store.Options{FilesDir: filepath.Join(data, "files")})
			if err != nil {
				t.Fatal(err)
			}
			plan, sets, units, err := db.TemplateFacts(antq.SystemContext(context.Background()), demo.PlanID, "25198")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := factfile.WriteTemplate(&buf, factfile.Template{Plan: plan, Sets: sets, Units: units, Generated: db.Now()}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("Mô hình")
			col := map[string]int{}
			for j, h := range rows[0] {
				col[h] = j + 1
			}
			line := 0
			for i, r := range rows {
				if len(r) >= col["Mã đơn vị"] && r[col["Mã đơn vị"]-1] == "25198-KDC01" && r[col["Số hiệu"]-1] == "" {
					line = i + 1
				}
			}
			if line == 0 {
				t.Fatal("no row for a new model of 25198-KDC01")
			}
			set := func(title string, v any) {
				cell, _ := excelize.CoordinatesToCellName(col[title], line)
				f.SetCellValue("Mô hình", cell, v)
			}
			set("Tên mô hình", "Camera giám sát an ninh khu phố 1")
			set("Loại mô hình", "khac")
			set("Tình trạng", "Xây dựng mới")
			set("Hoạt động hiệu quả", "Có") // not yet assessed: refused
			bad := filepath.Join(data, "mau.xlsx")
			if err := f.SaveAs(bad); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := cli(t, env, "", "facts", "import", "--user", "nhaplieu", bad)
			effective, _ := excelize.CoordinatesToCellName(col["Hoạt động hiệu quả"], line)
			if code != 2 || !strings.Contains(errOut, "Mô hình!"+effective) || !strings.Contains(out, "không ghi dòng nào") {
				t.Fatalf("import with a bad row: %d %q %q", code, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(data, "mau-ket-qua.xlsx")); err != nil {
				t.Fatalf("no marked copy: %v", err)
			}
			set("Hoạt động hiệu quả", "Không")
			if err := f.SaveAs(bad); err != nil {
				t.Fatal(err)
			}
			out, errOut, code = cli(t, env, "", "facts", "import", "--user", "nhaplieu", bad)
			if code != 0 || !strings.Contains(out, "Đã ghi và gửi duyệt 1 dòng") {
				t.Fatalf("import: %d %q %q", code, out, errOut)
			}
		})
	}
}
