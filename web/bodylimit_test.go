package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// countingBody is a request body that makes its bytes as they are read and
// counts them, so a test knows how much of it the server read.
type countingBody struct {
	r    io.Reader
	read int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// letters reads as an endless run of 'a'.
type letters struct{}

func (letters) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// bigJSON is a JSON object of about size bytes: {"<field>":"aaa…"}.
func bigJSON(field string, size int64) *countingBody {
	return &countingBody{r: io.MultiReader(strings.NewReader(`{"`+field+`":"`), io.LimitReader(letters{}, size), strings.NewReader(`"}`))}
}

// TestBodyLimitFollowsTheRoute: the limit comes from the matched route, not
// from the path's text. A 30 MB JSON body to routes whose path merely
// contains "evidence" (a plan or a user named so) is refused unread when
// announced and cut at 1 MiB when streamed; only the evidence upload routes
// take more.
func TestBodyLimitFollowsTheRoute(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		const size = 30 << 20
		send := func(method, path, contentType string, body *countingBody, length int64) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, body)
			req.ContentLength = length
			req.Header.Set("Authorization", "Bearer "+admin.token)
			req.Header.Set("Content-Type", contentType)
			rec := httptest.NewRecorder()
			e.server.ServeHTTP(rec, req)
			return rec
		}
		for _, tc := range []struct{ method, path, field string }{
			{"PUT", "/api/v1/plans/evidence/units/" + inUnit + "/registration", "registered_on"},
			{"PATCH", "/api/v1/users/evidence", "full_name"},
			{"PUT", factsAPI(inUnit) + "/registration", "registered_on"},
		} {
			body := bigJSON(tc.field, size)
			rec := send(tc.method, tc.path, "application/json", body, size+32)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `"code":"too_large"`) || body.read != 0 {
				t.Errorf("%s %s announced %d bytes: %d, read %d bytes: %s", tc.method, tc.path, size, rec.Code, body.read, truncate(rec.Body.String()))
			}
			body = bigJSON(tc.field, size)
			rec = send(tc.method, tc.path, "application/json", body, -1)
			if rec.Code < 400 || body.read > 1<<20+4<<10 {
				t.Errorf("%s %s streamed: %d after reading %d bytes", tc.method, tc.path, rec.Code, body.read)
			}
		}
		// An evidence upload takes more than 1 MiB, up to the evidence limit.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("fact", "registration")
		fw, _ := mw.CreateFormFile("file", "bien-ban.pdf")
		fw.Write(pdf[:len(pdf)-6])
		fw.Write(bytes.Repeat([]byte("% chú thích\n"), (2<<20)/14))
		fw.Write([]byte("%%EOF\n"))
		mw.Close()
		_, err := db.PutRegistration(e.sys, planID, inUnit, antq.Registration{RegisteredOn: antq.MustDate("2023-03-15")})
		e.must(err)
		body := &countingBody{r: bytes.NewReader(buf.Bytes())}
		rec := send("POST", factsAPI(inUnit)+"/evidence", mw.FormDataContentType(), body, int64(buf.Len()))
		if rec.Code == http.StatusRequestEntityTooLarge || body.read != int64(buf.Len()) {
			t.Errorf("a %d-byte evidence upload: %d after reading %d bytes: %s", buf.Len(), rec.Code, body.read, truncate(rec.Body.String()))
		}
		t.Logf("evidence upload of %d bytes: %d", buf.Len(), rec.Code)
		// … and refuses, unread, what is announced beyond it.
		body = bigJSON("file", size)
		rec = send("POST", factsAPI(inUnit)+"/evidence", mw.FormDataContentType(), body, size+32)
		if rec.Code != http.StatusRequestEntityTooLarge || body.read != 0 {
			t.Errorf("a %d-byte evidence upload: %d after reading %d bytes", size, rec.Code, body.read)
		}
	})
}
