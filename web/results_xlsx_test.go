package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"antq/demo"
	"antq/store"
	"antq/web"
)

// demoAt serves a copy of the demo province whose clock stands at now, with
// pages and exports in zone (nil: the default), logged in as the admin.
func demoAt(t *testing.T, now time.Time, zone *time.Location) (string, *http.Client) {
	t.Helper()
	tmpl, err := demoTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "antq.db")
	body, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, store.Options{FilesDir: t.TempDir(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := web.NewServer(web.Options{DB: db, Hasher: fastHasher, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(contractCheck(t, srv))
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(ts.URL+"/login", url.Values{"username": {"admin"}, "password": {adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if u, _ := url.Parse(ts.URL); len(jar.Cookies(u)) == 0 {
		t.Fatalf("login: %d, no session cookie", res.StatusCode)
	}
	return ts.URL, c
}

// TestResultsWorkbook: results.xlsx is named after the unit asked for,
// names the deciding authority of every decided result (those the demo
// loaded without an issuer too), and dates its export in the server's time
// zone.
func TestResultsWorkbook(t *testing.T) {
	// 20:30 UTC on 1 March is already 2 March in Hồ Chí Minh City.
	now := time.Date(2024, 3, 1, 20, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		zone *time.Location
		day  string
	}{{"default zone", nil, "02/03/2024"}, {"UTC", time.UTC, "01/03/2024"}} {
		t.Run(c.name, func(t *testing.T) {
			base, client := demoAt(t, now, c.zone)
			res, err := client.Get(base + "/plans/" + demo.PlanID + "/results.xlsx?unit=70")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %.200s", res.StatusCode, body)
			}
			cd := res.Header.Get("Content-Disposition")
			if !strings.Contains(cd, `filename="ket-qua-`+demo.PlanID+`-70-tinh-binh-phuoc.xlsx"`) ||
				!strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("Kết quả 2023 — Tỉnh Bình Phước.xlsx")) {
				t.Errorf("Content-Disposition = %q, want the file named after unit 70", cd)
			}
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			title, _ := f.GetCellValue(sheets[0], "A1")
			if !strings.Contains(title, "Tỉnh Bình Phước") || !strings.Contains(title, "xuất ngày "+c.day) {
				t.Errorf("title = %q, want unit 70 and the export day %s", title, c.day)
			}
			decided, named := 0, 0
			for _, sheet := range sheets {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows[3:] {
					if len(r) > 7 && r[7] != "" { // a recognition decision
						decided++
						if len(r) > 9 && r[9] != "" {
							named++
						}
					}
				}
			}
			if decided == 0 || named != decided {
				t.Errorf("%d of %d decided results name their deciding authority", named, decided)
			}
			rows, _ := f.GetRows("Khu dân cư")
			for _, r := range rows[3:] {
				if len(r) > 9 && r[7] != "" && r[4] == "Phường Tân Phú" && r[9] != "UBND phường Tân Phú" {
					t.Errorf("%s of Phường Tân Phú decided by %q", r[2], r[9])
					break
				}
			}
		})
	}
}
