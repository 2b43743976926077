package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCompressResponses(t *testing.T) {
	page := strings.Repeat("<p>Tỷ lệ đơn vị đăng ký phấn đấu đạt tiêu chuẩn</p>\n", 100) // ≈ 5 KB
	tiny := "<p>ngắn</p>"
	binary := strings.Repeat("\x00\x01PK\x03\x04", 1000)
	serve := func(contentType, body string, extra ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			for i := 0; i+1 < len(extra); i += 2 {
				w.Header().Set(extra[i], extra[i+1])
			}
			status := http.StatusOK
			if w.Header().Get("Content-Range") != "" {
				status = http.StatusPartialContent
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	for _, c := range []struct {
		name       string
		h          http.HandlerFunc
		method     string
		accept     string
		wantGzip   bool
		wantVary   bool
		wantHeader [2]string // a header the handler set, kept
	}{
		{name: "page", h: serve("text/html; charset=utf-8", page, "Cache-Control", "no-store"), accept: "gzip, deflate, br", wantGzip: true, wantVary: true, wantHeader: [2]string{"Cache-Control", "no-store"}},
		{name: "page without gzip", h: serve("text/html; charset=utf-8", page), accept: "", wantVary: true},
		{name: "gzip refused", h: serve("text/html; charset=utf-8", page), accept: "gzip;q=0, br", wantVary: true},
		{name: "gzip weighted", h: serve("text/html; charset=utf-8", page), accept: "br;q=1.0, gzip;q=0.5", wantGzip: true, wantVary: true},
		{name: "any coding", h: serve("text/html; charset=utf-8", page), accept: "*", wantGzip: true, wantVary: true},
		{name: "brotli only", h: serve("text/html; charset=utf-8", page), accept: "br", wantVary: true},
		{name: "static css", h: serve("text/css; charset=utf-8", page, "Cache-Control", "public, max-age=31536000, immutable"), accept: "gzip", wantGzip: true, wantVary: true, wantHeader: [2]string{"Cache-Control", "public, max-age=31536000, immutable"}},
		{name: "json", h: serve("application/json; charset=utf-8", page), accept: "gzip", wantGzip: true, wantVary: true},
		{name: "problem json", h: serve("application/problem+json", page), accept: "gzip", wantGzip: true, wantVary: true},
		{name: "svg", h: serve("image/svg+xml", page), accept: "gzip", wantGzip: true, wantVary: true},
		{name: "untyped html is sniffed", h: serve("", "<!doctype html>"+page), accept: "gzip", wantGzip: true, wantVary: true},
		{name: "announced length", h: serve("text/html; charset=utf-8", page, "Content-Length", "5400"), accept: "gzip", wantGzip: true, wantVary: true},
		{name: "tiny body", h: serve("text/html; charset=utf-8", tiny), accept: "gzip", wantVary: true},
		{name: "tiny announced", h: serve("application/json", `{"ok":true}`, "Content-Length", "11"), accept: "gzip", wantVary: true},
		{name: "xlsx", h: serve("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", binary), accept: "gzip"},
		{name: "pdf", h: serve("application/pdf", binary), accept: "gzip"},
		{name: "png", h: serve("image/png", binary), accept: "gzip"},
		{name: "jpeg", h: serve("image/jpeg", binary), accept: "gzip"},
		{name: "encoded by the handler", h: serve("text/html", page, "Content-Encoding", "br"), accept: "gzip, br", wantVary: true, wantHeader: [2]string{"Content-Encoding", "br"}},
		{name: "partial content", h: serve("text/html", page, "Content-Range", "bytes 0-99/5400"), accept: "gzip", wantVary: true},
		{name: "head", h: serve("text/html", page), method: http.MethodHead, accept: "gzip", wantVary: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "/", nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			rec := httptest.NewRecorder()
			compressResponses(c.h).ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			gotGzip := res.Header.Get("Content-Encoding") == "gzip"
			if gotGzip != c.wantGzip {
				t.Fatalf("Content-Encoding = %q, want gzip: %v", res.Header.Get("Content-Encoding"), c.wantGzip)
			}
			if got := strings.Contains(res.Header.Get("Vary"), "Accept-Encoding"); got != c.wantVary {
				t.Errorf("Vary = %q, want Accept-Encoding: %v", res.Header.Get("Vary"), c.wantVary)
			}
			if k := c.wantHeader[0]; k != "" && res.Header.Get(k) != c.wantHeader[1] {
				t.Errorf("%s = %q, want %q", k, res.Header.Get(k), c.wantHeader[1])
			}
			if method == http.MethodHead {
				return
			}
			if gotGzip {
				if res.Header.Get("Content-Length") != "" {
					t.Errorf("compressed answer keeps Content-Length %s", res.Header.Get("Content-Length"))
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			want := page
			switch {
			case c.name == "untyped html is sniffed":
				want = "<!doctype html>" + page
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("sniffed Content-Type = %q", ct)
				}
			case strings.HasPrefix(c.name, "tiny body"):
				want = tiny
			case c.name == "tiny announced":
				want = `{"ok":true}`
			case c.name == "xlsx" || c.name == "pdf" || c.name == "png" || c.name == "jpeg":
				want = binary
			}
			if string(body) != want {
				t.Errorf("body differs: %d bytes, want %d", len(body), len(want))
			}
		})
	}
}

// A handler that streams (flushes) still gets a valid gzip stream.
func TestCompressResponsesFlush(t *testing.T) {
	h := compressResponses(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"a":`)
		http.NewResponseController(w).Flush()
		io.WriteString(w, strings.Repeat(" ", 2000)+`1}`)
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !rec.Flushed || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("flushed %v, Content-Encoding %q", rec.Flushed, rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !strings.HasSuffix(string(body), "1}") || !strings.HasPrefix(string(body), `{"a":`) {
		t.Fatalf("body %q, %v", body, err)
	}
}
