package main_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"antq/store"
	"antq/store/storetest"
)

// TestCLIAccountsAndAudit drives account administration and audit
// verification through the binary, then tampers with the audit trail in the
// database directly and expects `antq audit verify` to fail and say where.
func TestCLIAccountsAndAudit(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			data := t.TempDir()
			dsn := storetest.DSN(t, engine)
			if engine == store.SQLite {
				dsn = filepath.Join(data, "antq.db")
			}
			env := []string{"ANTQ_DATA=" + data, "ANTQ_DB=" + dsn}
			run := func(stdin string, args ...string) string {
				t.Helper()
				out, errOut, code := cli(t, env, stdin, args...)
				if code != 0 {
					t.Fatalf("antq %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
				}
				return out
			}
			units := filepath.Join(data, "units.csv")
			os.WriteFile(units, []byte("level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\n"+
				"district,689,Thành phố Đồng Xoài,Thành phố,70\ncommune,25195,Phường Tân Phú,Phường,689\ncommune,25200,Xã Tiến Hưng,Xã,689\n"), 0o644)
			run("", "units", "import", "--valid-from", "2023-01-01", units)
			run("mật khẩu đủ dài 2024\n", "user", "add", "--username", "canbo", "--role", "data_entry", "--unit", "25195", "--name", "Nguyễn Văn A", "--password-stdin")
			run("mật khẩu đủ dài 2024\n", "user", "add", "--username", "quantri", "--role", "admin", "--unit", "70", "--password-stdin")

			out := run("", "user", "list")
			if !regexp.MustCompile(`canbo\s+data_entry\s+25195\s+active\s+Nguyễn Văn A`).MatchString(out) || !strings.Contains(out, "quantri") {
				t.Fatalf("user list:\n%s", out)
			}
			run("", "user", "set", "--username", "canbo", "--role", "reviewer", "--unit", "25200", "--reason", "điều động")
			if out := run("", "user", "list", "--unit", "25200"); !regexp.MustCompile(`canbo\s+reviewer\s+25200`).MatchString(out) {
				t.Fatalf("after set:\n%s", out)
			}
			if _, errOut, code := cli(t, env, "", "user", "set", "--username", "canbo", "--role", "sếp"); code != 2 || !strings.Contains(errOut, "role") {
				t.Fatalf("bad role: %d %q", code, errOut)
			}
			if _, errOut, code := cli(t, env, "", "user", "set", "--username", "canbo", "--unit", "99999"); code == 0 || !strings.Contains(errOut, "99999") {
				t.Fatalf("unknown unit: %d %q", code, errOut)
			}
			run("", "token", "create", "--username", "canbo", "--name", "script")
			if out := run("", "token", "list", "--username", "canbo"); !strings.Contains(out, "script") || !strings.Contains(out, "antq_") {
				t.Fatalf("token list:\n%s", out)
			}
			if out := run("", "user", "disable", "--username", "canbo", "--reason", "nghỉ việc"); !strings.Contains(out, "thu hồi") {
				t.Fatalf("disable: %s", out)
			}
			if out := run("", "user", "list", "--disabled"); !strings.Contains(out, "canbo") || strings.Contains(out, "quantri") {
				t.Fatalf("disabled accounts:\n%s", out)
			}
			if out := run("", "token", "list", "--username", "canbo"); strings.Count(out, "\n") != 2 || strings.Contains(out, "\t-\n") {
				t.Fatalf("tokens after disable:\n%s", out)
			}
			run("", "user", "enable", "--username", "canbo")
			if out := run("", "user", "password", "--username", "canbo"); !regexp.MustCompile(`canbo: \S{16} `).MatchString(out) {
				t.Fatalf("password reset: %s", out)
			}

			// The chain is intact; the verifier prints an anchor.
			out = run("", "audit", "verify")
			m := regexp.MustCompile(`bản ghi mới nhất: (\d+):([0-9a-f]{64})`).FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, "toàn vẹn") {
				t.Fatalf("audit verify:\n%s", out)
			}
			anchor := m[1] + ":" + m[2]
			run("", "audit", "verify", "--anchor", anchor)

			driver := "sqlite"
			if engine == store.Postgres {
				driver = "pgx"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			// Alter a record: verify fails and names it.
			var reason string
			if err := raw.QueryRow(`SELECT reason FROM audit_log WHERE id = 3`).Scan(&reason); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`UPDATE audit_log SET reason = 'sửa lén' WHERE id = 3`); err != nil {
				t.Fatal(err)
			}
			out, _, code := cli(t, env, "", "audit", "verify")
			if code != 1 || !strings.Contains(out, "bản ghi 3: nội dung đã bị sửa") {
				t.Fatalf("tampered record: exit %d\n%s", code, out)
			}
			// Cut off the newest record: only the anchor shows it.
			if _, err := raw.Exec(`UPDATE audit_log SET reason = $1 WHERE id = 3`, reason); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = ` + m[1]); err != nil {
				t.Fatal(err)
			}
			if out := run("", "audit", "verify"); !strings.Contains(out, "toàn vẹn") {
				t.Fatalf("restored record and a cut-off tail look intact without an anchor:\n%s", out)
			}
			out, _, code = cli(t, env, "", "audit", "verify", "--anchor", anchor)
			if code != 1 || !strings.Contains(out, "bản ghi neo "+m[1]+" không còn") {
				t.Fatalf("cut-off tail: exit %d\n%s", code, out)
			}
		})
	}
}
