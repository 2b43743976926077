package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

func TestUnitsReorganiseCLI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			data := t.TempDir()
			env := []string{"ANTQ_DATA=" + data, "ANTQ_DB=" + storetest.DSN(t, engine)}
			if engine == store.SQLite {
				env[1] = "ANTQ_DB="
			}
			write := func(name, text string) string {
				p := filepath.Join(data, name)
				if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			}
			tree := write("tree.csv", `level,code,name,type,parent_code
province,91,Tỉnh Thử,Tỉnh,
district,911,Huyện Một,Huyện,91
commune,91101,Xã A,Xã,911
commune,91102,Xã B,Xã,911
`)
			if out, errOut, code := cli(t, env, "", "units", "import", "--valid-from", "2023-01-01", tree); code != 0 {
				t.Fatalf("import: %d %s %s", code, out, errOut)
			}
			if _, errOut, code := cli(t, env, "", "units", "reorganise", "--help"); code != 0 || !strings.Contains(errOut, "không so sánh được") {
				t.Fatalf("reorganise --help should explain the layout: %d %q", code, errOut)
			}
			const legal = ",1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội\n"
			head := "event,effective_on,from_code,to_code,to_name,to_type,to_parent_code,share,legal_number,legal_date,legal_issuer\n"
			bad := write("bad.csv", head+
				"merge,2025-07-01,91101,91201,Xã Mới,Xã,91,"+legal+
				"split,2025-07-01,91102,91201,,,,70%"+legal+
				"abolish,2025-07-01,911,91,,,,"+legal)
			out, errOut, code := cli(t, env, "", "units", "reorganise", bad)
			if code != 2 || !strings.Contains(errOut, "bad.csv:3 [share]: tổng tỷ lệ các phần của 91102 là 70%, phải bằng 100%") || !strings.Contains(errOut, "không thay đổi đơn vị nào") {
				t.Fatalf("bad file: %d %q %q", code, out, errOut)
			}
			good := write("good.csv", head+
				"merge,2025-07-01,91101,91201,Xã Mới,Xã,91,"+legal+
				"merge,2025-07-01,91102,91201,,,,"+legal+
				"abolish,2025-07-01,911,91,,,,"+legal)
			out, errOut, code = cli(t, env, "", "units", "reorganise", good)
			if code != 0 || !strings.Contains(out, "3 đơn vị kết thúc, 1 đơn vị mới") {
				t.Fatalf("good file: %d %q %q", code, out, errOut)
			}
			// The same file again: the old units have ended.
			if _, errOut, code := cli(t, env, "", "units", "reorganise", good); code != 2 || !strings.Contains(errOut, "Xã A đã được sắp xếp từ ngày 01/07/2025") {
				t.Fatalf("again: %d %q", code, errOut)
			}
		})
	}
}
