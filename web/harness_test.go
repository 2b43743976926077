package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"antq"
	"antq/auth"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
	"antq/web"
)

const planID = "binh-phuoc-2023"

// fixtureCSV is a small Bình Phước: two districts, a commune in each with
// residential areas, organisations at every level.
const fixtureCSV = `level,code,name,type,parent_code,households,staff,pupils,small_enterprise,primary_school,armed_forces
province,70,Tỉnh Bình Phước,Tỉnh,,,,,,,
district,689,Thành phố Đồng Xoài,Thành phố,70,,,,,,
district,693,Huyện Bù Đăng,Huyện,70,,,,,,
commune,25195,Phường Tân Phú,Phường,689,1000,,,,,
commune,25200,Xã Đoàn Kết,Xã,693,800,,,,,
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,,,,
residential_area,25195-KDC02,Khu phố 2,Khu phố,25195,600,,,,,
residential_area,25200-KDC01,Ấp Đoàn Kết 1,Ấp,25200,800,,,,,
agency,70-CQ001,Sở Tư pháp,Sở,70,,120,,,,
enterprise,689-DN001,Công ty TNHH An Phú,Công ty,689,,50,,,,
school,25195-TH01,Trường Tiểu học Tân Phú,Trường,25195,,30,500,,x,
`

// testParams make argon2id cheap in tests (the defaults take ~20 MiB and
// tens of milliseconds per hash).
var testParams = auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

// pdf is the smallest file the evidence sniffer takes for a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// testClock is the database's clock, which tests move (storetest's).
type testClock = storetest.TestClock

// logBuffer collects the server's log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// count returns how many log lines contain s.
func (b *logBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served tells when the server has finished a request, access-log line
// included: a client can read the whole answer before the handler returns.
// Each request from env.do carries an id; the server echoes it in the answer
// and closes the id's channel once its handler has returned.
type served struct {
	mu   sync.Mutex
	next int
	done map[string]chan struct{}
}

const servedHeader = "X-Antq-Test-Request"

// start registers a new request and returns its id and the channel closed
// when the server is done with it.
func (s *served) start() (string, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := strconv.Itoa(s.next)
	if s.done == nil {
		s.done = map[string]chan struct{}{}
	}
	ch := make(chan struct{})
	s.done[id] = ch
	return id, ch
}

func (s *served) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(servedHeader)
		if id != "" {
			w.Header().Set(servedHeader, id)
			defer func() {
				s.mu.Lock()
				defer s.mu.Unlock()
				if ch, ok := s.done[id]; ok {
					delete(s.done, id)
					close(ch)
				}
			}()
		}
		next.ServeHTTP(w, r)
	})
}

// actor is a test user with its credentials.
type actor struct {
	user     *antq.User
	password string
	token    string // API bearer token
	tokenID  int64
	cookie   *http.Cookie // a session from a real login
}

// env is a real server (web.NewServer) over a fresh database with the
// fixture, seen through an httptest server.
type env struct {
	t       testing.TB
	db      *store.DB
	srv     *httptest.Server
	server  *web.Server
	logs    *logBuffer
	clock   *testClock
	hasher  *auth.Hasher
	sys     context.Context
	client  *http.Client
	clients map[string]*http.Client
	seq     int
	served  served
}

type envOptions struct {
	secureCookies bool
	limits        web.Limits
}

func newEnv(t testing.TB, db *store.DB, opts ...envOptions) *env {
	t.Helper()
	var o envOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	e := &env{t: t, db: db, logs: &logBuffer{}, sys: antq.SystemContext(context.Background()), clock: storetest.Clock(db)}
	recs, err := unitfile.Read("fixture.csv", strings.NewReader(fixtureCSV), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(e.sys, "fixture.csv", recs); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC))
	e.hasher = auth.NewHasher(testParams, 4)
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e.server, err = web.NewServer(web.Options{DB: db, Hasher: e.hasher, Logger: logger, SecureCookies: o.secureCookies, Limits: o.limits})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.served.track(contractCheck(t, e.server)))
	t.Cleanup(e.srv.Close)
	e.client = &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e
}

// addUser creates an account (as the command line), an API token for it,
// and a session through the real login form.
func (e *env) addUser(username string, role antq.Role, unit, fullName string) *actor {
	e.t.Helper()
	a := &actor{password: "mật khẩu thử " + username + " 2024"}
	hash, err := e.hasher.Hash(context.Background(), a.password)
	if err != nil {
		e.t.Fatal(err)
	}
	if a.user, err = e.db.CreateUser(e.sys, store.NewUser{Username: username, FullName: fullName, Role: role, UnitCode: unit, PasswordHash: hash}); err != nil {
		e.t.Fatalf("create %s: %v", username, err)
	}
	a.token, a.tokenID = e.newToken(a, "scenario")
	a.cookie = e.login(a)
	return a
}

// newToken creates a token for a (as the command line does).
func (e *env) newToken(a *actor, name string) (string, int64) {
	e.t.Helper()
	secret := auth.NewToken("antq_")
	tk, err := e.db.CreateToken(e.sys, a.user.ID, name, auth.HashToken(secret), secret[:9])
	if err != nil {
		e.t.Fatal(err)
	}
	return secret, tk.ID
}

// login posts the login form and returns the session cookie.
func (e *env) login(a *actor) *http.Cookie {
	e.t.Helper()
	res := e.do(request{method: "POST", path: "/login", form: url.Values{"username": {a.user.Username}, "password": {a.password}}})
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d %s", a.user.Username, res.status, res.body)
	}
	c := sessionCookie(res.header)
	if c == nil {
		e.t.Fatalf("login %s: no session cookie", a.user.Username)
	}
	return c
}

func sessionCookie(h http.Header) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if strings.HasSuffix(c.Name, "antq_session") && c.Value != "" {
			return c
		}
	}
	return nil
}

// credential says how a request authenticates.
type credential int

const (
	anonymous credential = iota
	bearer
	session
)

// request is one HTTP request of a test.
type request struct {
	method, path string
	as           *actor
	cred         credential
	json         any        // a JSON body
	raw          []byte     // a raw body (with contentType)
	contentType  string     //
	form         url.Values // a form body
	file         *formFile  // a multipart body with one file
	header       http.Header
	cookie       *http.Cookie // overrides the actor's session
	from         string       // the client's loopback address (default 127.0.0.1)
}

type formFile struct {
	fields   map[string]string
	name     string
	contents []byte
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(r request) response {
	e.t.Helper()
	var body io.Reader
	ct := r.contentType
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			e.t.Fatal(err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	case r.form != nil:
		body, ct = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	case r.file != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, k := range []string{"fact", "fact_id", "kind"} {
			if v, ok := r.file.fields[k]; ok {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("file", r.file.name)
		fw.Write(r.file.contents)
		mw.Close()
		body, ct = &buf, mw.FormDataContentType()
	case r.raw != nil:
		body = bytes.NewReader(r.raw)
	}
	req, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if strings.HasPrefix(r.path, "/api/") {
		req.Header.Set("Accept", "application/json")
	} else {
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	switch {
	case r.cookie != nil:
		req.AddCookie(r.cookie)
	case r.as != nil && r.cred == bearer:
		req.Header.Set("Authorization", "Bearer "+r.as.token)
	case r.as != nil && r.cred == session:
		req.AddCookie(r.as.cookie)
	}
	id, done := e.served.start()
	req.Header.Set(servedHeader, id)
	client := e.client
	if r.from != "" {
		client = e.clientFrom(r.from)
	}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	if res.Header.Get(servedHeader) == id {
		<-done // the handler ran: wait until it has returned and logged
	}
	text := string(b)
	if strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		text = unzipText(e.t, b) // so assertions see the cells, not compressed bytes
	}
	return response{status: res.StatusCode, header: res.Header, body: text}
}

// unzipText returns the concatenated contents of the files of a ZIP (XLSX).
func unzipText(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	var out strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("workbook %s: %v", f.Name, err)
		}
		io.Copy(&out, io.LimitReader(rc, 16<<20))
		rc.Close()
	}
	return out.String()
}

// clientFrom returns a client whose connections come from the loopback
// address ip (127.0.0.2, …), so the server sees another client address.
func (e *env) clientFrom(ip string) *http.Client {
	if c, ok := e.clients[ip]; ok {
		return c
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if e.clients == nil {
		e.clients = map[string]*http.Client{}
	}
	e.clients[ip] = c
	return c
}

// uniq returns a fresh suffix for names.
func (e *env) uniq() int {
	e.seq++
	return e.seq
}

var assetPattern = regexp.MustCompile(`/static/([A-Za-z0-9._-]+\.css)`)

// assetName returns the hashed name of app.css, read from the login page.
func (e *env) assetName() string {
	e.t.Helper()
	res := e.do(request{method: "GET", path: "/login"})
	m := assetPattern.FindStringSubmatch(res.body)
	if m == nil {
		e.t.Fatalf("no stylesheet link in the login page")
	}
	return m[1]
}

// must fails the test on err, ignoring the codes given.
func (e *env) must(err error, ignore ...string) {
	e.t.Helper()
	if err == nil {
		return
	}
	for _, c := range ignore {
		if antq.ErrorCode(err) == c {
			return
		}
	}
	e.t.Fatal(err)
}
