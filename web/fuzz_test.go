package web_test

// Fuzz targets through the real server over a fresh SQLite database (test
// plan T7, T12): every JSON body the API decodes, the evidence upload and
// its content check, and the login form's next redirect. go test runs the
// seeds; make fuzz explores.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"antq"
	"antq/auth"
	"antq/internal/fuzzstat"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
	"antq/web"
)

// fuzzEnv is a server over a fresh SQLite database with the API fixture,
// an administrator (token and password) and a registration to attach
// evidence to. It lives as long as the fuzz target (each fuzz worker
// process builds its own).
type fuzzEnv struct {
	url, token string
	client     *http.Client
}

const fuzzPassword = "mật khẩu quản trị thử nghiệm"

func newFuzzEnv(f testing.TB) *fuzzEnv {
	f.Helper()
	db := storetest.Open(f, store.SQLite)
	sys := antq.SystemContext(context.Background())
	recs, err := unitfile.Read("api.csv", strings.NewReader(apiFixture), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := db.ImportUnits(sys, "api.csv", recs); err != nil {
		f.Fatal(err)
	}
	storetest.Clock(db).Set(time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC))
	hash, err := fastHasher.Hash(context.Background(), fuzzPassword)
	if err != nil {
		f.Fatal(err)
	}
	u, err := db.CreateUser(sys, store.NewUser{Username: "pv05", Role: antq.RoleAdmin, UnitCode: "70", PasswordHash: hash})
	if err != nil {
		f.Fatal(err)
	}
	token := auth.NewToken("antq_")
	if _, err := db.CreateToken(sys, u.ID, "fuzz", auth.HashToken(token), token[:9]); err != nil {
		f.Fatal(err)
	}
	srv, err := web.NewServer(web.Options{DB: db, Hasher: fastHasher})
	if err != nil {
		f.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	f.Cleanup(ts.Close)
	e := &fuzzEnv{url: ts.URL, token: token, client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if status, body := e.do(f, "PUT", P+"/units/25195/registration", "application/json", strings.NewReader(`{"registered_on":"2023-03-01"}`)); status != 200 {
		f.Fatalf("register = %d %s", status, body)
	}
	return e
}

func (e *fuzzEnv) do(t testing.TB, method, p, ct string, body io.Reader) (int, []byte) {
	status, _, b := e.doHeader(t, method, p, ct, body)
	return status, b
}

func (e *fuzzEnv) doHeader(t testing.TB, method, p, ct string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+p, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// jsonRoutes are the API routes that decode a JSON body (web/routes.go).
var jsonRoutes = []struct{ method, path string }{
	{"PUT", P + "/units/25195-KDC01/registration"},
	{"PUT", P + "/units/25195-KDC01/propaganda"},
	{"POST", P + "/units/25195/models"},
	{"PATCH", P + "/units/25195/models/1"},
	{"POST", P + "/units/25195-KDC01/incidents"},
	{"PUT", P + "/units/25195-KDC01/recognition"},
	{"PUT", P + "/units/25195-KDC01/grade"},
	{"PATCH", P + "/units/25195-KDC01/dossiers/recognition"},
	{"PATCH", P + "/units/25195-KDC01/dossiers/grading"},
	{"POST", P + "/units/25195-KDC01/dossiers/recognition/submit"},
	{"POST", P + "/units/25195-KDC01/dossiers/grading/decide"},
	{"POST", P + "/dossiers/recognition/review"},
	{"POST", "/api/v1/tokens"},
	{"POST", "/api/v1/users"},
	{"PATCH", "/api/v1/users/fuzzed"},
	{"POST", "/api/v1/users/fuzzed/password"},
	{"POST", "/api/v1/account/password"},
}

// FuzzAPIJSON sends any body to any JSON route. Whatever the body, the
// answer is never a 5xx; a 2xx is JSON (or empty); anything else is the
// API's error object with a code.
func FuzzAPIJSON(f *testing.F) {
	e := newFuzzEnv(f)
	for i, body := range []string{
		`{"registered_on":"2023-03-15","document":{"number":"12/BC-CAX","date":"2023-03-10","issuer":"Công an","title":"Đăng ký"}}`,
		`{"reached":350,"total":400,"as_of":"2023-10-31"}`,
		`{"name":"Camera an ninh","kind":"tu_bao_ve","status":"new","effective":true,"started_on":"2023-05-01","members":12}`,
		`{"effective":false,"members":-1}`,
		`{"occurred_on":"2023-05-01","category":"an_ninh","description":"x","verified":true}`,
		`{"result":"dat","decided_on":"2023-11-20","decision":{"number":"120/QĐ-UBND","date":"2023-11-20"}}`,
		`{"grade":"kha","score":85.5}`,
		`{"criteria":[{"id":"kdc.1","verdict":"met"}],"documents":[{"code":"x","number":"01/X","date":"2023-11-05"}]}`,
		`{"scores":[{"item":"a","self":9.5}]}`,
		`{"reason":"thiếu"}`,
		`{"decision_number":"1/QĐ","decision_date":"2023-11-15"}`,
		`{"units":["25195-KDC01","25195-KDC02"],"reason":""}`,
		`{"name":"script","username":"pv05"}`,
		`{"username":"fuzzed","full_name":"Người thử","role":"viewer","unit":"25195","password":"mật khẩu đủ dài 2024"}`,
		`{"role":"admin","unit":"70","disabled":true,"reason":"x"}`,
		`{"password":"mật khẩu đủ dài 2025","reason":"quên"}`,
		`{"current_password":"a","new_password":"b","revoke_tokens":true}`,
	} {
		f.Add(uint8(i), []byte(body))
	}
	f.Add(uint8(0), []byte(`{"registered_on":"2023-03-15","registered_on":"2023-13-45"}`))
	f.Add(uint8(1), []byte(`{"reached":1e400,"as_of":"2023-10-31"}`))
	f.Add(uint8(6), []byte(`{"grade":"kha","score":-0.0}`))
	f.Add(uint8(2), []byte(`{"name":"\u0000","kind":"tu_quan","status":"new","members":9223372036854775807}`))
	f.Add(uint8(11), []byte(`{"units":[`+strings.Repeat(`"25195",`, 200)+`"x"]}`))
	f.Add(uint8(3), []byte(`[]`))
	f.Add(uint8(4), []byte(`{"occurred_on":"2023-05-01"} {"x":1}`))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		fuzzstat.Count("FuzzAPIJSON")
		r := jsonRoutes[int(route)%len(jsonRoutes)]
		status, resp := e.do(t, r.method, r.path, "application/json", bytes.NewReader(body))
		switch {
		case status >= 500:
			t.Fatalf("%s %s %q = %d %s", r.method, r.path, body, status, resp)
		case status >= 200 && status < 300:
			if len(resp) > 0 && !json.Valid(resp) {
				t.Fatalf("%s %s = %d with a body that is not JSON: %q", r.method, r.path, status, resp)
			}
		default:
			var er struct {
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
			}
			if err := json.Unmarshal(resp, &er); err != nil || er.Error.Code == "" {
				t.Fatalf("%s %s = %d without an error object: %q", r.method, r.path, status, resp)
			}
		}
	})
}

// signatures are what each accepted evidence extension's content must
// start with.
var signatures = map[string][]string{
	".pdf": {"%PDF-"}, ".png": {"\x89PNG\r\n\x1a\n"}, ".jpg": {"\xff\xd8\xff"}, ".jpeg": {"\xff\xd8\xff"},
	".docx": {"PK\x03\x04"}, ".xlsx": {"PK\x03\x04"},
	".doc": {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}, ".xls": {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
}

// FuzzEvidenceUpload sends any file name and content as evidence. Nothing
// is a 5xx; an accepted file has an allowed extension and content of that
// format, keeps a name without a directory, and downloads byte for byte as
// an attachment of the extension's type, never sniffed.
func FuzzEvidenceUpload(f *testing.F) {
	e := newFuzzEnv(f)
	for _, s := range []struct{ name, content string }{
		{"đăng-ký.pdf", "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"},
		{"ảnh.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
		{"ảnh.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00"},
		{"báo-cáo.docx", "PK\x03\x04\x14\x00\x00\x00"},
		{"bảng.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"},
		{"../../etc/passwd.pdf", "%PDF-1.4\n"},
		{`..\..\boot.ini.pdf`, "%PDF-1.4\n"},
		{"tool.exe", "MZ\x90\x00\x03\x00\x00\x00"},
		{"x.svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`},
		{"x.pdf", `<html><script>alert(1)</script></html>`},
		{"polyglot.jpg", "%PDF-1.4\n\xff\xd8\xff"},
		{"polyglot.pdf", "\xff\xd8\xff\xe0%PDF-1.4\n"},
		{"x.png.html", "\x89PNG\r\n\x1a\n<script>alert(1)</script>"},
		{"\x00.pdf", "%PDF-1.4\n"},
		{"", "%PDF-1.4\n"},
	} {
		f.Add(s.name, []byte(s.content))
	}
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		fuzzstat.Count("FuzzEvidenceUpload")
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("fact", "registration")
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Skip()
		}
		fw.Write(content)
		mw.Close()
		status, resp := e.do(t, "POST", P+"/units/25195/evidence", mw.FormDataContentType(), &buf)
		if status >= 500 {
			t.Fatalf("upload %q (%d bytes) = %d %s", name, len(content), status, resp)
		}
		if status != http.StatusCreated {
			return
		}
		var ev antq.Evidence
		if err := json.Unmarshal(resp, &ev); err != nil {
			t.Fatal(err)
		}
		ext := strings.ToLower(path.Ext(ev.Filename))
		sigs, ok := signatures[ext]
		switch {
		case !ok:
			t.Fatalf("accepted %q as %q: extension %q not allowed", name, ev.Filename, ext)
		case strings.ContainsAny(ev.Filename, `/\`) || ev.Filename == "" || ev.Filename == "." || ev.Filename == "..":
			t.Fatalf("accepted %q under the name %q", name, ev.Filename)
		case !hasAnyPrefix(content, sigs):
			t.Fatalf("accepted %q whose content %q is no %s", name, content[:min(len(content), 16)], ext)
		}
		status, h, got := e.doHeader(t, "GET", fmt.Sprintf("%s/units/25195/evidence/%d", P, ev.ID), "", nil)
		if status != 200 || !bytes.Equal(got, content) {
			t.Fatalf("download = %d, %d bytes of %d", status, len(got), len(content))
		}
		disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != ev.Filename || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Type") != ev.ContentType {
			t.Fatalf("download headers %v for %q", h, ev.Filename)
		}
	})
}

func hasAnyPrefix(b []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// sameOrigin reports whether a browser would resolve a Location header
// value against base to a URL of the same origin. Browsers (the WHATWG URL
// parser) drop ASCII tab and newline anywhere, trim leading and trailing
// C0 controls and spaces, and read a backslash as a slash.
func sameOrigin(base *url.URL, location string) bool {
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		if r == '\\' {
			return '/'
		}
		return r
	}, location)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	// Browsers keep a stray % and percent-encode other controls, where
	// url.Parse fails: do the same before parsing.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		case c == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])):
			b.WriteString("%25")
		default:
			b.WriteByte(c)
		}
	}
	u, err := url.Parse(b.String())
	if err != nil {
		return false
	}
	r := base.ResolveReference(u)
	return r.Scheme == base.Scheme && r.Host == base.Host
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// FuzzLoginNext logs in with any next parameter: the redirect after the
// login always stays on the site.
func FuzzLoginNext(f *testing.F) {
	e := newFuzzEnv(f)
	base, _ := url.Parse(e.url + "/login")
	for _, s := range []string{"/", "/plans/binh-phuoc-2023/dashboard?unit=70", "//evil.example/", "/\\evil.example",
		"https://evil.example/", "javascript:alert(1)", "/%2F%2Fevil.example", "///evil.example", "http:/evil.example",
		"/.//evil.example", " /x", "", "/plans#//evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		fuzzstat.Count("FuzzLoginNext")
		form := url.Values{"username": {"pv05"}, "password": {fuzzPassword}, "next": {next}}
		req, _ := http.NewRequest("POST", e.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// The transport, not a client: a client parses Location itself.
		resp, err := e.client.Transport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// A form field that is not UTF-8 is refused with a field error
		// (issue 10), before any login: no redirect at all.
		if !utf8.ValidString(next) {
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("login with next %q (not UTF-8) = %d, want 422", next, resp.StatusCode)
			}
			return
		}
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with next %q = %d", next, resp.StatusCode)
		}
		if loc := resp.Header.Get("Location"); !sameOrigin(base, loc) {
			t.Fatalf("next %q redirects to %q, off the site", next, loc)
		}
	})
}

// upload posts one evidence file for the registration of commune 25195.
func (e *fuzzEnv) upload(t testing.TB, name string, content []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("fact", "registration")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return e.do(t, "POST", P+"/units/25195/evidence", mw.FormDataContentType(), &buf)
}

// TestHostileEvidence: the hostile corpus of test plan T12 for uploads.
// Each file is refused, or stored under a plain name and served only as
// an attachment of its checked type with nosniff (neutralised).
func TestHostileEvidence(t *testing.T) {
	e := newFuzzEnv(t)
	pdf := "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
	eicar := `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`
	for _, tt := range []struct {
		name, file, content string
		stored              string // "" = refused; else the stored name
	}{
		{"windows executable", "setup.exe", "MZ\x90\x00\x03\x00\x00\x00", ""},
		{"executable renamed .pdf", "setup.pdf", "MZ\x90\x00\x03\x00\x00\x00", ""},
		{"ELF renamed .png", "a.png", "\x7fELF\x02\x01\x01", ""},
		{"double extension", "hoso.pdf.exe", pdf, ""},
		{"svg with script", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, ""},
		{"svg renamed .png", "logo.png", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, ""},
		{"html renamed .pdf", "bao-cao.pdf", `<!DOCTYPE html><html><script>alert(document.cookie)</script></html>`, ""},
		{"html renamed .jpg", "anh.jpg", `<html><body onload=alert(1)>`, ""},
		{"EICAR test file as .pdf", "eicar.pdf", eicar, ""},
		{"PDF+JPEG polyglot as .jpg", "anh.jpg", pdf + "\xff\xd8\xff\xe0", ""},
		{"empty file", "trong.pdf", "", ""},
		{"no name", "", pdf, ""},
		{"path traversal (slashes)", "../../../etc/cron.d/x.pdf", pdf, "x.pdf"},
		{"path traversal (backslashes)", `..\..\Windows\System32\x.pdf`, pdf, "x.pdf"},
		{"JPEG carrying HTML", "anh.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF<html><script>alert(1)</script>", "anh.jpg"},
		{"PDF carrying JavaScript", "hoso.PDF", "%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF", "hoso.PDF"},
		{"executable behind a .pdf name", "x.exe.pdf", pdf, "x.exe.pdf"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.upload(t, tt.file, []byte(tt.content))
			if tt.stored == "" {
				if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
					t.Fatalf("upload = %d %s, want refused", status, body)
				}
				return
			}
			if status != http.StatusCreated {
				t.Fatalf("upload = %d %s", status, body)
			}
			var ev antq.Evidence
			json.Unmarshal(body, &ev)
			if ev.Filename != tt.stored {
				t.Fatalf("stored as %q, want %q", ev.Filename, tt.stored)
			}
			status, h, got := e.doHeader(t, "GET", fmt.Sprintf("%s/units/25195/evidence/%d", P, ev.ID), "", nil)
			disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
			if status != 200 || string(got) != tt.content || disp != "attachment" || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Content-Security-Policy") == "" {
				t.Fatalf("download = %d %v", status, h)
			}
			if ct := h.Get("Content-Type"); ct == "text/html" || strings.Contains(ct, "svg") || strings.Contains(ct, "javascript") {
				t.Fatalf("served as %s", ct)
			}
		})
	}
}
