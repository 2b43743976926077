package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"antq/store"
	"antq/store/storetest"
)

var antqBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "antq-cli")
	if err != nil {
		panic(err)
	}
	antqBin = filepath.Join(dir, "antq")
	build := exec.Command("go", "build", "-o", antqBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build antq:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary with env and stdin; it returns stdout, stderr and the
// exit code.
func cli(t *testing.T, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(antqBin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func TestCLIEndToEnd(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			data := t.TempDir()
			env := []string{"ANTQ_DATA=" + data, "ANTQ_DB=" + storetest.DSN(t, engine)}
			if engine == store.SQLite {
				env[1] = "ANTQ_DB=" // the default: antq.db in the data directory
			}
			if out, errOut, code := cli(t, env, "", "--help"); code != 0 || !strings.Contains(out, "units import") {
				t.Fatalf("--help: %d %q %q", code, out, errOut)
			}
			if _, errOut, code := cli(t, env, "", "units", "import", "--help"); code != 0 || !strings.Contains(errOut, "residential_area") {
				t.Fatalf("units import --help should explain the layouts: %d %q", code, errOut)
			}
			out, errOut, code := cli(t, env, "", "demo")
			if code != 0 {
				t.Fatalf("demo: %d %s %s", code, out, errOut)
			}
			if !regexp.MustCompile(`admin / \S{16}`).MatchString(out) {
				t.Fatalf("demo did not print the admin password: %q", out)
			}
			// Idempotent: a second run loads nothing and prints no password.
			out, _, code = cli(t, env, "", "demo")
			if code != 0 || strings.Contains(out, "admin /") || !strings.Contains(out, "không nạp lại") {
				t.Fatalf("second demo: %d %q", code, out)
			}
			if engine == store.SQLite {
				if _, err := os.Stat(filepath.Join(data, "antq.db")); err != nil {
					t.Fatalf("no SQLite file in the data directory: %v", err)
				}
			}
			if _, errOut, code := cli(t, env, "kẻ tấn công\n", "user", "add", "--username", "cax", "--role", "data_entry", "--unit", "25195", "--password-stdin"); code == 0 || !strings.Contains(errOut, "12") {
				t.Fatalf("short password accepted: %d %q", code, errOut)
			}
			if out, errOut, code := cli(t, env, "mật khẩu đủ dài 2023\n", "user", "add", "--username", "cax", "--role", "data_entry", "--unit", "25195", "--password-stdin"); code != 0 {
				t.Fatalf("user add: %d %q %q", code, out, errOut)
			}
			token, errOut, code := cli(t, env, "", "token", "create", "--username", "admin")
			token = strings.TrimSpace(token)
			if code != 0 || !strings.HasPrefix(token, "antq_") {
				t.Fatalf("token create: %d %q %q", code, token, errOut)
			}
			limited, _, _ := cli(t, env, "", "token", "create", "--username", "cax")
			limited = strings.TrimSpace(limited)

			// Serve on a free port.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv := exec.CommandContext(ctx, antqBin, "serve", "--addr", "127.0.0.1:0")
			srv.Env = append(os.Environ(), env...)
			stdout, _ := srv.StdoutPipe()
			srv.Stderr = io.Discard
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			defer srv.Wait()
			defer srv.Process.Signal(os.Interrupt)
			// Readiness: the server prints its address once it listens. The
			// bound only keeps a wedged start from hanging the run; it is
			// generous and no measure of speed.
			addr := make(chan string, 1)
			go func() {
				defer close(addr) // the server exited without saying where it listens
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					if m := regexp.MustCompile(`http://(\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
						addr <- m[1]
						io.Copy(io.Discard, stdout)
						return
					}
				}
			}()
			var base string
			select {
			case a, ok := <-addr:
				if !ok {
					t.Fatal("antq serve exited before printing its address")
				}
				base = "http://" + a
			case <-time.After(2 * time.Minute):
				t.Fatal("antq serve printed no address within 2 minutes")
			}

			get := func(path, tok string) (int, map[string]any) {
				req, _ := http.NewRequest("GET", base+path, nil)
				if tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var body map[string]any
				json.NewDecoder(resp.Body).Decode(&body)
				return resp.StatusCode, body
			}
			if code, _ := get("/healthz", ""); code != 200 {
				t.Fatalf("healthz = %d", code)
			}
			if code, _ := get("/readyz", ""); code != 200 {
				t.Fatalf("readyz = %d", code)
			}
			if code, body := get("/api/v1/units/70", ""); code != 401 || body["error"] == nil {
				t.Fatalf("anonymous = %d %v", code, body)
			}
			code, body := get("/api/v1/units/70", token)
			if code != 200 || body["name"] != "Tỉnh Bình Phước" || body["kind"] != "province" {
				t.Fatalf("unit 70 = %d %v", code, body)
			}
			sub := body["subtree"].(map[string]any)
			if sub["district"].(float64) != 11 || sub["commune"].(float64) != 111 {
				t.Fatalf("subtree of 70 = %v, want 11 districts and 111 communes", sub)
			}
			code, body = get("/api/v1/units/70/children?kind=district", token)
			if code != 200 || body["total"].(float64) != 11 || len(body["units"].([]any)) != 11 {
				t.Fatalf("district children of 70: %d %v", code, body["total"])
			}
			// Every version: Bình Phước's 111 communes of 2023, Đồng Nai's 95
			// of today and the 2025 versions of the 10 that became phường.
			code, body = get("/api/v1/units?kind=commune&limit=1000&q=", token)
			if code != 200 || body["total"].(float64) != 111+95+10 {
				t.Fatalf("communes = %d %v", code, body["total"])
			}
			code, body = get("/api/v1/units?q=dong+xoai&kind=district", token)
			if code != 200 || body["total"].(float64) != 1 {
				t.Fatalf("search dong xoai = %d %v", code, body)
			}
			// The commune user sees its commune, not another.
			if code, _ := get("/api/v1/units/25195", limited); code != 200 {
				t.Fatalf("own commune = %d", code)
			}
			if code, _ := get("/api/v1/units/25210", limited); code != 404 {
				t.Fatalf("other commune = %d, want 404", code)
			}
			code, body = get("/api/v1/plans/binh-phuoc-2023/indicators", token)
			if code != 200 || len(body["children"].([]any)) == 0 {
				t.Fatalf("indicators = %d %v", code, body)
			}
		})
	}
}

func TestCLIImportErrors(t *testing.T) {
	data := t.TempDir()
	env := []string{"ANTQ_DATA=" + data}
	file := filepath.Join(data, "bad.csv")
	os.WriteFile(file, []byte("level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\ndistrict,689,Thành phố Đồng Xoài,Thành phố,99\n"), 0o644)
	_, errOut, code := cli(t, env, "", "units", "import", "--valid-from", "2023-01-01", file)
	if code != 2 || !strings.Contains(errOut, "bad.csv:3") || !strings.Contains(errOut, "parent_code") {
		t.Fatalf("import with an unknown parent: exit %d, stderr %q", code, errOut)
	}
	// Nothing was written: the province of the refused file imports again
	// without a duplicate-code error.
	good := filepath.Join(data, "good.csv")
	os.WriteFile(good, []byte("level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\n"), 0o644)
	if out, errOut, code := cli(t, env, "", "units", "import", "--valid-from", "2023-01-01", good); code != 0 {
		t.Fatalf("good import: %d %q %q", code, out, errOut)
	}
}

func TestCLIBackupRestore(t *testing.T) {
	data := t.TempDir()
	env := []string{"ANTQ_DATA=" + data}
	if _, errOut, code := cli(t, env, "", "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	backup := filepath.Join(t.TempDir(), "antq-backup.db")
	out, errOut, code := cli(t, env, "", "backup", "--out", backup)
	// Bình Phước's 2,298 units, the nation above it, the 41 units of the
	// 2025 reform, Đồng Nai's 1,711 and the 11 versions of 30/04/2026.
	if code != 0 || !strings.Contains(out, "4.063") && !strings.Contains(out, "4063") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if _, _, code := cli(t, env, "", "backup", "--out", backup); code == 0 {
		t.Fatal("backup overwrote its previous file")
	}
	restored := []string{"ANTQ_DATA=" + t.TempDir()}
	if out, errOut, code := cli(t, restored, "", "restore", "--from", backup); code != 0 {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	// The restored database serves the demo: the admin exists, the figures rebuild.
	if out, errOut, code := cli(t, restored, "", "rebuild", "--check"); code != 0 || !strings.Contains(out, "khớp") {
		t.Fatalf("rebuild --check on the restored copy: %d %q %q", code, out, errOut)
	}
	if tok, _, code := cli(t, restored, "", "token", "create", "--username", "admin"); code != 0 || !strings.HasPrefix(tok, "antq_") {
		t.Fatalf("token on the restored copy: %d %q", code, tok)
	}
}
