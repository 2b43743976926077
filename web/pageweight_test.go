package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Page-weight limits, deterministic for a given demo: a page over them
// means something grew far beyond what a phone on a slow link should load.
const (
	maxPageBytes     = 200 << 10 // a page's HTML, uncompressed
	maxPageGzipBytes = 40 << 10  // the same, as sent
)

// TestPageWeight fetches every page of the tour as a browser on a slow link
// would (Accept-Encoding: gzip) and checks that text answers are compressed,
// vary by Accept-Encoding and keep their caching rules: private pages
// no-store, static assets immutable. It reports each page's weight; with
// ANTQ_TEST_PAGE_WEIGHTS=FILE it writes the table (Markdown) to FILE, the
// source of the page-weight section of docs/BENCHMARKS.md.
func TestPageWeight(t *testing.T) {
	base, _ := demoServer(t)
	jar, _ := cookiejar.New(nil)
	// DisableCompression: see the bytes as they travel, not as Go's client
	// would decompress them.
	client := &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true}}
	get := func(path, acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Accept", "text/html")
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, body
	}
	plain := func(res *http.Response, body []byte) []byte {
		t.Helper()
		if res.Header.Get("Content-Encoding") != "gzip" {
			return body
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", res.Request.URL, err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", res.Request.URL, err)
		}
		return out
	}

	var report strings.Builder
	fmt.Fprintf(&report, "| page | path | HTML (bytes) | sent gzipped (bytes) | saved |\n|---|---|---:|---:|---:|\n")
	row := func(name, path string, raw, sent int) {
		fmt.Fprintf(&report, "| %s | `%s` | %s | %s | %d %% |\n", name, path, thousands(raw), thousands(sent), 100-100*sent/max(1, raw))
	}
	var assets []string
	loggedIn := false
	for _, p := range tourPages {
		if !p.anonymous && !loggedIn {
			res, _ := get("/login", "")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("login page: %d", res.StatusCode)
			}
			res, err := client.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {adminPassword}, "next": {"/account"}})
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.Request.URL.Path != "/account" {
				t.Fatalf("login ended at %s", res.Request.URL)
			}
			loggedIn = true
		}
		res, sent := get(p.path, "gzip, deflate, br")
		body := plain(res, sent)
		wantStatus := http.StatusOK
		if p.name == "not-found" {
			wantStatus = http.StatusNotFound
		}
		if res.StatusCode != wantStatus || !strings.Contains(string(body), p.want) {
			t.Errorf("%s: status %d, shows %q: %v", p.name, res.StatusCode, p.want, strings.Contains(string(body), p.want))
		}
		if got := res.Header.Get("Content-Encoding"); got != "gzip" {
			t.Errorf("%s: Content-Encoding %q, want gzip", p.name, got)
		}
		if got := res.Header.Get("Vary"); !strings.Contains(got, "Accept-Encoding") {
			t.Errorf("%s: Vary %q", p.name, got)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p.name, got)
		}
		if len(body) > maxPageBytes || len(sent) > maxPageGzipBytes {
			t.Errorf("%s: %d bytes (%d sent), over %d (%d)", p.name, len(body), len(sent), maxPageBytes, maxPageGzipBytes)
		}
		// The same page to a client that takes no gzip goes uncompressed.
		if res2, _ := get(p.path, ""); res2.Header.Get("Content-Encoding") != "" || !strings.Contains(res2.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s without gzip: Content-Encoding %q, Vary %q", p.name, res2.Header.Get("Content-Encoding"), res2.Header.Get("Vary"))
		}
		row(p.name, p.path, len(body), len(sent))
		if assets == nil {
			assets = regexp.MustCompile(`/static/[^"]+`).FindAllString(string(body), -1)
		}
	}
	fmt.Fprintf(&report, "\n| static asset (cached a year) | bytes | sent gzipped (bytes) |\n|---|---:|---:|\n")
	if len(assets) < 2 {
		t.Fatalf("static assets linked by the pages: %v", assets)
	}
	for _, a := range assets {
		res, sent := get(a, "gzip")
		body := plain(res, sent)
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", a, got)
		}
		if strings.HasSuffix(a, ".css") && res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not compressed", a)
		}
		fmt.Fprintf(&report, "| `%s` | %s | %s |\n", a, thousands(len(body)), thousands(len(sent)))
	}
	// Already compressed: the XLSX of results goes as it is.
	res, _ := get("/plans/binh-phuoc-2023/results.xlsx?unit=689", "gzip")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("results.xlsx: status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	t.Logf("page weights:\n%s", report.String())
	if path := os.Getenv("ANTQ_TEST_PAGE_WEIGHTS"); path != "" {
		if err := os.WriteFile(path, []byte(report.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// thousands writes n as 24,877 (the figures in docs/ are in English).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
