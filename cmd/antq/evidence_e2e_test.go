package main_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// TestServedEvidenceRoundTrip starts the built binary the way an operator
// does — `antq demo`, then `antq serve` configured only by ANTQ_DATA,
// ANTQ_ADDR and ANTQ_DB — and sends an evidence PDF through the API (bearer
// token) and through the web form (session cookie, same-origin headers as a
// browser sends them), downloads both byte for byte, deletes them and
// checks they are gone. It guards against a server that never learns where
// evidence files live (issue 10, defect 1: the upload answered 500).
func TestServedEvidenceRoundTrip(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, engine store.Engine) {
		data := t.TempDir()
		dsn := "" // SQLite: the default, antq.db in the data directory
		if engine == store.Postgres {
			dsn = storetest.DSN(t, engine) // a fresh schema for this binary
		}
		env := []string{"ANTQ_DATA=" + data, "ANTQ_DB=" + dsn, "ANTQ_ADDR=127.0.0.1:0"}
		out, errOut, code := cli(t, env, "", "demo")
		if code != 0 {
			t.Fatalf("demo: %d %s %s", code, out, errOut)
		}
		m := regexp.MustCompile(`admin / (\S{16})`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("demo printed no admin password: %q", out)
		}
		password := m[1]
		token, errOut, code := cli(t, env, "", "token", "create", "--username", "admin")
		if token = strings.TrimSpace(token); code != 0 {
			t.Fatalf("token create: %d %s", code, errOut)
		}
		base := serveBinary(t, env)

		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		script := &http.Client{CheckRedirect: browser.CheckRedirect}
		// browserHeaders are what a browser adds to a same-origin form post.
		browserHeaders := func(req *http.Request) {
			req.Header.Set("Origin", base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		bearer := func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) }
		send := func(c *http.Client, method, path, contentType string, body io.Reader, decorate func(*http.Request)) (int, http.Header, []byte) {
			t.Helper()
			req, err := http.NewRequest(method, base+path, body)
			if err != nil {
				t.Fatal(err)
			}
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			decorate(req)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, resp.Header, b
		}

		// Log in through the form.
		form := url.Values{"username": {"admin"}, "password": {password}, "next": {"/"}}
		if status, _, body := send(browser, "POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), browserHeaders); status != http.StatusSeeOther {
			t.Fatalf("login = %d %s", status, body)
		}

		const plan, unit = "binh-phuoc-2023", "25195"
		facts := "/api/v1/plans/" + plan + "/units/" + unit
		var before struct {
			Registration json.RawMessage `json:"registration"`
			Evidence     []struct{ ID int64 }
		}
		status, _, body := send(script, "GET", facts, "", nil, bearer)
		if status != 200 || json.Unmarshal(body, &before) != nil {
			t.Fatalf("facts = %d %s", status, body)
		}
		if string(before.Registration) == "null" || len(before.Registration) == 0 {
			if status, _, body := send(script, "PUT", facts+"/registration", "application/json", strings.NewReader(`{"registered_on":"2023-03-01"}`), bearer); status != 200 {
				t.Fatalf("register = %d %s", status, body)
			}
		}

		apiPDF, formPDF := samplePDF("API"), samplePDF("bieu mau")
		multipartBody := func(filename string, content []byte) (string, *bytes.Buffer) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("fact", "registration")
			mw.WriteField("fact_id", "") // the form's optional number, left empty
			fw, _ := mw.CreateFormFile("file", filename)
			fw.Write(content)
			mw.Close()
			return mw.FormDataContentType(), &buf
		}

		// Through the API, as a script.
		ct, mp := multipartBody("bien-ban-api.pdf", apiPDF)
		status, _, body = send(script, "POST", facts+"/evidence", ct, mp, bearer)
		if status != http.StatusCreated {
			t.Fatalf("API upload = %d %s", status, body)
		}
		var apiEv struct {
			ID     int64  `json:"id"`
			SHA256 string `json:"sha256"`
		}
		if err := json.Unmarshal(body, &apiEv); err != nil || apiEv.ID == 0 {
			t.Fatalf("API upload answered %s", body)
		}
		// The file lives under the data directory, by content hash.
		if _, err := os.Stat(filepath.Join(data, "files", apiEv.SHA256[:2], apiEv.SHA256)); err != nil {
			t.Fatalf("evidence file not under ANTQ_DATA/files: %v", err)
		}

		// Through the web form, as a browser. A cross-site post of the same
		// form is refused and stores nothing.
		formPath := "/plans/" + plan + "/units/" + unit + "/evidence-form"
		ct, mp = multipartBody("bien-ban-bieu-mau.pdf", formPDF)
		crossSite := func(req *http.Request) {
			req.Header.Set("Origin", "http://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		if status, _, body := send(browser, "POST", formPath, ct, bytes.NewReader(mp.Bytes()), crossSite); status != http.StatusForbidden {
			t.Fatalf("cross-site form upload = %d %s, want 403", status, body)
		}
		status, hdr, body := send(browser, "POST", formPath, ct, mp, browserHeaders)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "saved=evidence") {
			t.Fatalf("form upload = %d %q %s", status, hdr.Get("Location"), body)
		}
		// The facts page lists both files with their download links.
		status, _, page := send(browser, "GET", "/plans/"+plan+"/units/"+unit, "", nil, func(*http.Request) {})
		if status != 200 || !bytes.Contains(page, []byte("bien-ban-api.pdf")) || !bytes.Contains(page, []byte("bien-ban-bieu-mau.pdf")) {
			t.Fatalf("facts page = %d, lists the files: %v %v", status, bytes.Contains(page, []byte("bien-ban-api.pdf")), bytes.Contains(page, []byte("bien-ban-bieu-mau.pdf")))
		}
		var after struct {
			Evidence []struct {
				ID       int64  `json:"id"`
				Filename string `json:"filename"`
			} `json:"evidence"`
		}
		status, _, body = send(browser, "GET", facts, "", nil, func(*http.Request) {})
		if status != 200 || json.Unmarshal(body, &after) != nil {
			t.Fatalf("facts after upload = %d %s", status, body)
		}
		var formID int64
		for _, e := range after.Evidence {
			if e.Filename == "bien-ban-bieu-mau.pdf" {
				formID = e.ID
			}
		}
		if formID == 0 || len(after.Evidence) != len(before.Evidence)+2 {
			t.Fatalf("evidence after the two uploads (and one refused) = %+v", after.Evidence)
		}

		// Both download byte-identical: the API one with the token, the
		// form one with the session, as the page's link does.
		for _, dl := range []struct {
			id       int64
			want     []byte
			client   *http.Client
			decorate func(*http.Request)
		}{{apiEv.ID, apiPDF, script, bearer}, {formID, formPDF, browser, func(*http.Request) {}}} {
			status, hdr, got := send(dl.client, "GET", fmt.Sprintf("%s/evidence/%d", facts, dl.id), "", nil, dl.decorate)
			if status != 200 || !bytes.Equal(got, dl.want) || hdr.Get("Content-Type") != "application/pdf" {
				t.Fatalf("download %d = %d %q, %d bytes, identical %v", dl.id, status, hdr.Get("Content-Type"), len(got), bytes.Equal(got, dl.want))
			}
		}

		// An online backup carries both files; a restore (SQLite: into a
		// fresh data directory) puts them under its ANTQ_DATA/files.
		backup := filepath.Join(t.TempDir(), "antq-backup.db")
		if out, errOut, code := cli(t, env, "", "backup", "--out", backup); code != 0 {
			t.Fatalf("backup: %d %s %s", code, out, errOut)
		}
		formSum := fmt.Sprintf("%x", sha256.Sum256(formPDF))
		for _, sum := range []string{apiEv.SHA256, formSum} {
			if _, err := os.Stat(filepath.Join(backup+".files", sum[:2], sum)); err != nil {
				t.Fatalf("backup lacks evidence file %s: %v", sum, err)
			}
		}
		if engine == store.SQLite {
			fresh := t.TempDir()
			if out, errOut, code := cli(t, []string{"ANTQ_DATA=" + fresh, "ANTQ_DB="}, "", "restore", "--from", backup); code != 0 {
				t.Fatalf("restore: %d %s %s", code, out, errOut)
			}
			for sum, want := range map[string][]byte{apiEv.SHA256: apiPDF, formSum: formPDF} {
				if got, err := os.ReadFile(filepath.Join(fresh, "files", sum[:2], sum)); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("restored evidence file %s: %v", sum, err)
				}
			}
		}

		// Delete both; they are gone.
		if status, _, body := send(script, "DELETE", fmt.Sprintf("%s/evidence/%d", facts, apiEv.ID), "", nil, bearer); status != http.StatusNoContent {
			t.Fatalf("delete API evidence = %d %s", status, body)
		}
		if status, _, body := send(browser, "DELETE", fmt.Sprintf("%s/evidence/%d", facts, formID), "", nil, browserHeaders); status != http.StatusNoContent {
			t.Fatalf("delete form evidence = %d %s", status, body)
		}
		for _, id := range []int64{apiEv.ID, formID} {
			if status, _, _ := send(script, "GET", fmt.Sprintf("%s/evidence/%d", facts, id), "", nil, bearer); status != http.StatusNotFound {
				t.Fatalf("download of deleted evidence %d = %d, want 404", id, status)
			}
		}
		status, _, body = send(script, "GET", facts, "", nil, bearer)
		if status != 200 || json.Unmarshal(body, &after) != nil || len(after.Evidence) != len(before.Evidence) {
			t.Fatalf("evidence after delete = %d %s", status, body)
		}
	})
}

// samplePDF is a small, valid PDF whose page says text, with a binary
// comment line so that a download that changes bytes shows.
func samplePDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := []int{}
	obj := func(s string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), s)
	}
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (Minh chung %s) Tj ET", text)
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// serveBinary runs `antq serve` with env until the test ends and returns
// its base URL. The address is read from the line the server prints once it
// listens; the test fails if the server exits first.
func serveBinary(t *testing.T, env []string) string {
	t.Helper()
	srv := exec.Command(antqBin, "serve")
	srv.Env = append(os.Environ(), env...)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		srv.Process.Signal(os.Interrupt)
		<-exited
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://(\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		srv.Wait()
		close(addr)
		close(exited)
	}()
	a, ok := <-addr
	if !ok {
		t.Fatalf("antq serve exited before listening: %s", stderr.String())
	}
	return "http://" + a
}
