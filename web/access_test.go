package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// signedIn reports whether cookie c still opens a session.
func (e *env) signedIn(c *http.Cookie) bool {
	e.t.Helper()
	res := e.do(request{method: "GET", path: "/api/v1/account", cookie: c})
	switch res.status {
	case http.StatusOK:
		return true
	case http.StatusUnauthorized:
		return false
	}
	e.t.Fatalf("GET /api/v1/account: %d %s", res.status, res.body)
	return false
}

func decode[T any](t testing.TB, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

func loginForm(username, password string) url.Values {
	return url.Values{"username": {username}, "password": {password}}
}

func TestSessionFixation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		victim := e.addUser("nannhan", antq.RoleViewer, "25195", "")
		attacker := e.addUser("kethu", antq.RoleViewer, "25195", "")

		// A cookie value made up by an attacker and planted before login.
		planted := &http.Cookie{Name: "antq_session", Value: "gia-tri-do-ke-gian-chon-truoc"}
		res := e.do(request{method: "POST", path: "/login", form: loginForm(victim.user.Username, victim.password), cookie: planted})
		got := sessionCookie(res.header)
		if res.status != http.StatusSeeOther || got == nil || got.Value == planted.Value {
			t.Fatalf("login with a planted cookie: %d, cookie %+v", res.status, got)
		}
		if e.signedIn(planted) {
			t.Fatal("the planted cookie opens a session after login")
		}
		if !e.signedIn(got) {
			t.Fatal("the new session does not work")
		}

		// The attacker's own live session planted in the victim's browser is
		// ended by the victim's login, not promoted to the victim.
		mine := attacker.cookie
		res = e.do(request{method: "POST", path: "/login", form: loginForm(victim.user.Username, victim.password), cookie: mine})
		got = sessionCookie(res.header)
		if res.status != http.StatusSeeOther || got == nil || got.Value == mine.Value {
			t.Fatalf("login over a live session: %d, cookie %+v", res.status, got)
		}
		if e.signedIn(mine) {
			t.Fatal("the session planted before login still works")
		}
		account := decode[map[string]any](t, e.do(request{method: "GET", path: "/api/v1/account", cookie: got}).body)
		if account["username"] != victim.user.Username {
			t.Fatalf("new session belongs to %v", account["username"])
		}
	})
}

func TestSessionCookieFlags(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, secure := range []bool{false, true} {
			e := newEnv(t, storetest.Open(t, db.Engine()), envOptions{secureCookies: secure})
			u := e.addUser("an-toan", antq.RoleViewer, "25195", "")
			c := u.cookie
			wantName := "antq_session"
			if secure {
				wantName = "__Host-antq_session"
			}
			if c.Name != wantName || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure || c.Domain != "" {
				t.Errorf("secure=%v: cookie %+v", secure, c)
			}
			if len(c.Value) < 43 { // 256 random bits, base64
				t.Errorf("session id %q is short", c.Value)
			}
		}
	})
}

func TestLogoutAndDisableEndSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		u := e.addUser("canbo", antq.RoleReviewer, "25195-KDC01", "")
		second := e.login(u)

		// Logout ends this session at once, and only this one.
		res := e.do(request{method: "POST", path: "/logout", cookie: u.cookie})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login" {
			t.Fatalf("logout: %d %v", res.status, res.header)
		}
		if c := sessionCookie(res.header); c != nil {
			t.Fatalf("logout set a session cookie: %+v", c)
		}
		if e.signedIn(u.cookie) {
			t.Fatal("session still open after logout")
		}
		if !e.signedIn(second) {
			t.Fatal("logout ended another session")
		}

		// Disabling the account ends every session and token at once.
		res = e.do(request{method: "PATCH", path: "/api/v1/users/canbo", as: admin, cred: bearer, json: map[string]any{"disabled": true, "reason": "nghỉ hưu"}})
		if res.status != 200 {
			t.Fatalf("disable: %d %s", res.status, res.body)
		}
		if e.signedIn(second) {
			t.Fatal("session of a disabled account still open")
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: u, cred: bearer}); res.status != 401 {
			t.Fatalf("token of a disabled account: %d", res.status)
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("canbo", u.password)}); res.status != 401 {
			t.Fatalf("login of a disabled account: %d", res.status)
		}
		recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "user", Key: "canbo", Action: "disable"})
		if err != nil || len(recs) != 1 || recs[0].Reason != "nghỉ hưu" || recs[0].Username != "quantri" || recs[0].RemoteAddr != "127.0.0.1" {
			t.Fatalf("audit %+v %v", recs, err)
		}
	})
}

func TestSessionTimeoutsOverHTTP(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleViewer, "25195", "")
		e.clock.Advance(29 * time.Minute)
		if !e.signedIn(u.cookie) {
			t.Fatal("session ended before the idle timeout")
		}
		e.clock.Advance(30 * time.Minute)
		if e.signedIn(u.cookie) {
			t.Fatal("session open after 30 idle minutes")
		}
		// A page request with the dead session goes to the login page.
		res := e.do(request{method: "GET", path: "/account", cookie: u.cookie})
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Fatalf("page with an idle session: %d %v", res.status, res.header)
		}

		c := e.login(u)
		for i := 0; i < 35; i++ { // 35 × 20 min = 11 h 40 min of steady use
			e.clock.Advance(20 * time.Minute)
			if !e.signedIn(c) {
				t.Fatalf("active session ended after %d×20 min", i+1)
			}
		}
		e.clock.Advance(20 * time.Minute)
		if e.signedIn(c) {
			t.Fatal("session open after its 12-hour lifetime")
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// alice logs in at her office (127.0.0.1) as every day.
		alice := e.addUser("alice", antq.RoleReviewer, "25195", "")
		const attacker, newPhone = "127.0.0.2", "127.0.0.3"
		login := func(from, username, password string) response {
			return e.do(request{method: "POST", path: "/login", from: from, form: loginForm(username, password)})
		}
		for i := 0; i < 5; i++ {
			if res := login(attacker, "alice", "đoán mò "+strconv.Itoa(i)); res.status != 401 {
				t.Fatalf("guess %d: %d", i, res.status)
			}
		}
		// Throttling engages: even the right password is refused from the
		// attacker's address, with a wait to respect.
		res := login(attacker, "alice", alice.password)
		if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "30" || !strings.Contains(res.body, "thử lại sau 30 giây") {
			t.Fatalf("throttled attempt: %d %v", res.status, res.header)
		}
		if c := sessionCookie(res.header); c != nil {
			t.Fatal("a throttled attempt got a session")
		}
		// Hammering during the wait does not extend it.
		for i := 0; i < 10; i++ {
			login(attacker, "alice", "x")
		}
		if res := login(attacker, "alice", "x"); res.header.Get("Retry-After") != "30" {
			t.Fatalf("the wait grew while refused: Retry-After %q", res.header.Get("Retry-After"))
		}
		// From a new address alice waits like everyone else…
		if res := login(newPhone, "alice", alice.password); res.status != http.StatusTooManyRequests {
			t.Fatalf("alice on a new phone during the wait: %d", res.status)
		}
		// …but not for long: after the wait she gets in.
		e.clock.Advance(30 * time.Second)
		if res := login(newPhone, "alice", alice.password); res.status != http.StatusSeeOther {
			t.Fatalf("alice after the wait: %d %s", res.status, truncate(res.body))
		}
		// The attack goes on (alice's login elsewhere refunded none of the
		// guesses); at her usual address alice is not slowed at all.
		for i := 0; i < 8; i++ {
			login(attacker, "alice", "đoán tiếp "+strconv.Itoa(i))
			e.clock.Advance(time.Minute)
		}
		if res := login(attacker, "alice", alice.password); res.status != http.StatusTooManyRequests {
			t.Fatalf("attacker after more guesses: %d", res.status)
		}
		if res := login("127.0.0.1", "alice", alice.password); res.status != http.StatusSeeOther {
			t.Fatalf("alice at her office during an attack: %d %s", res.status, truncate(res.body))
		}
		// Other accounts from other addresses are unaffected.
		bob := e.addUser("bob", antq.RoleViewer, "25195", "")
		if res := login(newPhone, "bob", bob.password); res.status != http.StatusSeeOther {
			t.Fatalf("bob: %d", res.status)
		}
		if n := e.logs.count(`"msg":"login throttled"`); n < 11 {
			t.Errorf("%d throttled attempts logged", n)
		}
	})
}

func TestLoginAnswersTheSameForUnknownUsers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addUser("alice", antq.RoleViewer, "25195", "")
		locked := e.addUser("khoa", antq.RoleViewer, "25195", "")
		yes := true
		if _, err := db.UpdateUser(e.sys, "khoa", store.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		attempt := func(username, password string) (response, int64) {
			before := e.hasher.Hashes()
			res := e.do(request{method: "POST", path: "/login", form: loginForm(username, password)})
			return res, e.hasher.Hashes() - before
		}
		normalize := func(body, username string) string { return strings.ReplaceAll(body, username, "USER") }
		wrong, wrongHashes := attempt("alice", "không phải mật khẩu")
		for _, tc := range []struct{ name, username, password string }{
			{"unknown user", "khong-co-ai", "không phải mật khẩu"},
			{"disabled account, right password", "khoa", locked.password},
			{"over-long password", "alice", strings.Repeat("x", 5000)},
		} {
			res, hashes := attempt(tc.username, tc.password)
			if res.status != wrong.status || normalize(res.body, tc.username) != normalize(wrong.body, "alice") {
				t.Errorf("%s: answer differs from a wrong password:\n%d %s\nvs\n%d %s", tc.name, res.status, res.body, wrong.status, wrong.body)
			}
			if hashes != 1 || wrongHashes != 1 {
				t.Errorf("%s: %d hashes, wrong password %d; want one each", tc.name, hashes, wrongHashes)
			}
		}
		// The same work, counted rather than timed: every attempt, known or
		// unknown, costs exactly one argon2id hash. (Wall-clock timing is
		// too noisy for a test; make bench measures it.)
		var known, unknown int64
		for i := 0; i < 15; i++ {
			_, n := attempt("alice", "sai "+strconv.Itoa(i))
			known += n
			_, n = attempt("nguoi-la-"+strconv.Itoa(i), "sai")
			unknown += n
			e.clock.Advance(time.Hour) // stay below the throttle
		}
		if known != 15 || unknown != 15 {
			t.Errorf("15 wrong passwords cost %d hashes, 15 unknown users %d; want 15 each", known, unknown)
		}
	})
}

func TestCrossOriginRequestsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleReviewer, "25195", "")
		for _, tc := range []struct {
			name   string
			header http.Header
		}{
			{"Sec-Fetch-Site: cross-site", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
			{"foreign Origin", http.Header{"Origin": {"https://evil.example"}}},
		} {
			for _, path := range []string{"/logout", "/account/password", factsPage(inUnit) + "/registration"} {
				res := e.do(request{method: "POST", path: path, as: u, cred: session, header: tc.header,
					form: url.Values{"registered_on": {"2023-03-15"}, "current_password": {u.password}, "new_password": {"x"}}})
				if res.status != http.StatusForbidden || !strings.Contains(res.body, `"code":"forbidden"`) {
					t.Errorf("%s POST %s: %d %s", tc.name, path, res.status, res.body)
				}
				wantSecurityHeaders(t, res)
			}
			// An API write with a bearer token from a foreign page is refused too.
			res := e.do(request{method: "PUT", path: factsAPI(inUnit) + "/registration", as: u, cred: bearer, header: tc.header,
				json: map[string]any{"registered_on": "2023-03-15"}})
			if res.status != http.StatusForbidden {
				t.Errorf("%s PUT with a token: %d", tc.name, res.status)
			}
		}
		if !e.signedIn(u.cookie) {
			t.Fatal("a refused cross-origin logout ended the session")
		}
		_, facts, err := db.UnitFacts(e.sys, planID, inUnit)
		if err != nil || facts.Registration != nil {
			t.Fatalf("a cross-origin write went through: %+v %v", facts, err)
		}
		// The same requests from the site itself pass.
		res := e.do(request{method: "POST", path: factsPage(inUnit) + "/registration", as: u, cred: session,
			header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {e.srv.URL}}, form: url.Values{"registered_on": {"2023-03-15"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("same-origin form: %d %s", res.status, truncate(res.body))
		}
	})
}

func wantSecurityHeaders(t *testing.T, res response) {
	t.Helper()
	h := res.header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", h)
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleViewer, "25195", "")
		for _, tc := range []struct {
			name   string
			req    request
			status int
			json   bool
		}{
			{"login page", request{method: "GET", path: "/login"}, 200, false},
			{"page", request{method: "GET", path: "/account", as: u, cred: session}, 200, false},
			{"API", request{method: "GET", path: "/api/v1/units/25195", as: u, cred: bearer}, 200, true},
			{"health", request{method: "GET", path: "/healthz"}, 200, true},
			{"page not found", request{method: "GET", path: "/khong-co", as: u, cred: session}, 404, false},
			{"API not found", request{method: "GET", path: "/api/v1/units/25200", as: u, cred: bearer}, 404, true},
			{"API unauthorized", request{method: "GET", path: "/api/v1/units"}, 401, true},
			{"API forbidden", request{method: "GET", path: "/api/v1/users", as: u, cred: bearer}, 403, true},
			{"bad token", request{method: "GET", path: "/api/v1/units", header: http.Header{"Authorization": {"Bearer antq_sai"}}}, 401, true},
		} {
			res := e.do(tc.req)
			if res.status != tc.status {
				t.Errorf("%s: %d, want %d", tc.name, res.status, tc.status)
			}
			wantSecurityHeaders(t, res)
			if ct := res.header.Get("Content-Type"); tc.json != strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s: Content-Type %q", tc.name, ct)
			}
			if tc.status != 200 && tc.json && !strings.Contains(res.body, `"error":{"code":`) {
				t.Errorf("%s: error body %q", tc.name, res.body)
			}
			if tc.status == 401 && tc.json && res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: no WWW-Authenticate", tc.name)
			}
		}
	})
}

func TestBodyLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		big := `{"full_name":"` + strings.Repeat("a", 2<<20) + `"}`
		// Announced too large: refused before reading.
		res := e.do(request{method: "PATCH", path: "/api/v1/users/quantri", as: admin, cred: bearer, raw: []byte(big), contentType: "application/json"})
		if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, `"error":{"code":"too_large"`) {
			t.Fatalf("announced large body: %d %s", res.status, truncate(res.body))
		}
		wantSecurityHeaders(t, res)
		// Streamed without a length: cut at the limit while decoding.
		req, _ := http.NewRequest("PATCH", e.srv.URL+"/api/v1/users/quantri", io.MultiReader(strings.NewReader(big)))
		req.Header.Set("Authorization", "Bearer "+admin.token)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		r, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "quá lớn") || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("streamed large body: %d %s", r.StatusCode, truncate(string(b)))
		}
		// The login form is limited as well.
		res = e.do(request{method: "POST", path: "/login", raw: []byte("username=a&password=" + strings.Repeat("x", 2<<20)), contentType: "application/x-www-form-urlencoded"})
		if res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("large login form: %d", res.status)
		}
	})
}

func TestTokensAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		kp1 := e.addUser("kp1", antq.RoleDataEntry, inUnit, "")

		// Create: the secret is returned once…
		res := e.do(request{method: "POST", path: "/api/v1/tokens", as: kp1, cred: session, json: map[string]string{"name": "máy tính bảng"}})
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		created := decode[struct {
			ID     int64  `json:"id"`
			Token  string `json:"token"`
			Prefix string `json:"prefix"`
		}](t, res.body)
		if !strings.HasPrefix(created.Token, created.Prefix) || len(created.Token) < 40 {
			t.Fatalf("created %+v", created)
		}
		// …and never listed.
		res = e.do(request{method: "GET", path: "/api/v1/tokens", as: kp1, cred: bearer})
		if res.status != 200 || strings.Contains(res.body, created.Token) || !strings.Contains(res.body, "máy tính bảng") {
			t.Fatalf("list: %d %s", res.status, res.body)
		}
		// The token acts as its user, with the user's scope.
		tok := &actor{token: created.Token}
		if res := e.do(request{method: "GET", path: "/api/v1/units/" + inUnit, as: tok, cred: bearer}); res.status != 200 {
			t.Fatalf("token in scope: %d", res.status)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195", as: tok, cred: bearer}); res.status != 404 {
			t.Fatalf("token above its user's unit: %d", res.status)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/users", as: tok, cred: bearer}); res.status != 403 {
			t.Fatalf("token beyond its user's role: %d", res.status)
		}
		// Revoked: 401 at once.
		if res := e.do(request{method: "DELETE", path: "/api/v1/tokens/" + strconv.FormatInt(created.ID, 10), as: kp1, cred: bearer}); res.status != 204 {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units/" + inUnit, as: tok, cred: bearer}); res.status != 401 {
			t.Fatalf("revoked token: %d", res.status)
		}
		// An administrator revokes a token of an account in its scope.
		if res := e.do(request{method: "DELETE", path: "/api/v1/tokens/" + strconv.FormatInt(kp1.tokenID, 10), as: admin, cred: bearer}); res.status != 204 {
			t.Fatalf("admin revoke: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: kp1, cred: bearer}); res.status != 401 {
			t.Fatalf("token revoked by the admin: %d", res.status)
		}
	})
}

func TestAccountsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")

		// Create with a generated password, shown once; the account works.
		res := e.do(request{method: "POST", path: "/api/v1/users", as: admin, cred: bearer,
			json: map[string]string{"username": "kp2", "full_name": "Trưởng khu phố 2", "role": "data_entry", "unit": "25195-KDC02"}})
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		created := decode[struct {
			User     antq.User `json:"user"`
			Password string    `json:"password"`
		}](t, res.body)
		if created.User.UnitCode != "25195-KDC02" || len(created.Password) != 16 {
			t.Fatalf("created %+v", created)
		}
		kp2 := &actor{user: &created.User, password: created.Password}
		kp2.cookie = e.login(kp2)
		// Bad input names the field.
		res = e.do(request{method: "POST", path: "/api/v1/users", as: admin, cred: bearer,
			json: map[string]string{"username": "X", "role": "boss", "unit": "25195", "password": "ngắn"}})
		if res.status != 422 || !strings.Contains(res.body, `"password"`) {
			t.Fatalf("bad create: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "POST", path: "/api/v1/users", as: admin, cred: bearer,
			json: map[string]string{"username": "X", "role": "boss", "unit": "25195"}})
		if res.status != 422 || !strings.Contains(res.body, `"username"`) || !strings.Contains(res.body, `"role"`) {
			t.Fatalf("bad create: %d %s", res.status, res.body)
		}

		// Own password change: the current password is required.
		res = e.do(request{method: "POST", path: "/api/v1/account/password", as: kp2, cred: session,
			json: map[string]string{"current_password": "sai", "new_password": "một mật khẩu mới đủ dài"}})
		if res.status != 422 || !strings.Contains(res.body, "current_password") {
			t.Fatalf("wrong current password: %d %s", res.status, res.body)
		}
		other := e.login(kp2)
		res = e.do(request{method: "POST", path: "/api/v1/account/password", as: kp2, cred: session,
			json: map[string]string{"current_password": kp2.password, "new_password": "một mật khẩu mới đủ dài"}})
		if res.status != 204 {
			t.Fatalf("change: %d %s", res.status, res.body)
		}
		if !e.signedIn(kp2.cookie) || e.signedIn(other) {
			t.Fatal("a password change must keep this session and end the others")
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("kp2", "một mật khẩu mới đủ dài")}); res.status != 303 {
			t.Fatalf("login with the new password: %d", res.status)
		}

		// Admin reset: the account's sessions end at once.
		res = e.do(request{method: "POST", path: "/api/v1/users/kp2/password", as: admin, cred: bearer, json: map[string]string{"reason": "quên"}})
		reset := decode[map[string]any](t, res.body)
		if res.status != 200 || len(reset["password"].(string)) != 16 {
			t.Fatalf("reset: %d %s", res.status, res.body)
		}
		if e.signedIn(kp2.cookie) {
			t.Fatal("session still open after an admin reset")
		}
		// An admin resets others, never itself (its own goes through the current password).
		if res := e.do(request{method: "POST", path: "/api/v1/users/quantri/password", as: admin, cred: bearer, json: map[string]string{}}); res.status != 403 {
			t.Fatalf("self reset: %d", res.status)
		}

		// Change role and unit within scope; not one's own.
		res = e.do(request{method: "PATCH", path: "/api/v1/users/kp2", as: admin, cred: bearer, json: map[string]any{"role": "viewer", "unit": "25195"}})
		if res.status != 200 || !strings.Contains(res.body, `"role":"viewer"`) || !strings.Contains(res.body, `"unit_code":"25195"`) {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "PATCH", path: "/api/v1/users/quantri", as: admin, cred: bearer, json: map[string]any{"role": "viewer"}}); res.status != 403 {
			t.Fatalf("own role: %d", res.status)
		}
		if res := e.do(request{method: "PATCH", path: "/api/v1/users/kp2", as: admin, cred: bearer, json: map[string]any{"password_hash": "x"}}); res.status != 400 {
			t.Fatalf("unknown field (mass assignment): %d", res.status)
		}

		// Reading another person's account is in the audit trail, which the
		// admin can browse.
		if res := e.do(request{method: "GET", path: "/api/v1/users/kp2", as: admin, cred: bearer}); res.status != 200 {
			t.Fatalf("show: %d", res.status)
		}
		res = e.do(request{method: "GET", path: "/api/v1/audit?entity=user&key=kp2&action=read", as: admin, cred: bearer})
		audit := decode[struct {
			Records []store.AuditRecord `json:"records"`
		}](t, res.body)
		if res.status != 200 || len(audit.Records) != 1 || audit.Records[0].Username != "quantri" || audit.Records[0].RemoteAddr != "127.0.0.1" {
			t.Fatalf("audit of the read: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "GET", path: "/api/v1/audit?key=kp2", as: admin, cred: bearer})
		for _, want := range []string{`"action":"create"`, `"action":"change_password"`, `"action":"reset_password"`, `"reason":"quên"`, `"action":"update"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("audit of kp2 lacks %s: %s", want, truncate(res.body))
			}
		}
		if strings.Contains(res.body, "argon2id") {
			t.Error("a password hash is in the audit trail")
		}
		if res := e.do(request{method: "GET", path: "/api/v1/audit?after=x", as: admin, cred: bearer}); res.status != 400 {
			t.Errorf("bad cursor: %d", res.status)
		}
		// The pages render.
		for _, p := range []string{"/users", "/audit", "/audit?entity=user&key=kp2", "/account"} {
			if res := e.do(request{method: "GET", path: p, as: admin, cred: session}); res.status != 200 {
				t.Errorf("GET %s: %d %s", p, res.status, truncate(res.body))
			}
		}
	})
}

func TestAccountPasswordForm(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleViewer, "25195", "")
		post := func(f url.Values) response {
			return e.do(request{method: "POST", path: "/account/password", as: u, cred: session, form: f})
		}
		res := post(url.Values{"current_password": {u.password}, "new_password": {"ngắn"}, "confirm_password": {"ngắn"}})
		if res.status != 422 || !strings.Contains(res.body, "ít nhất 12 ký tự") || !strings.Contains(res.body, `aria-invalid="true"`) {
			t.Fatalf("short password: %d %s", res.status, truncate(res.body))
		}
		if strings.Contains(res.body, u.password) {
			t.Fatal("the form echoed a password")
		}
		res = post(url.Values{"current_password": {u.password}, "new_password": {"mật khẩu có canbo ở trong"}, "confirm_password": {"mật khẩu có canbo ở trong"}})
		if res.status != 422 || !strings.Contains(res.body, "tên đăng nhập") {
			t.Fatalf("password with the user name: %d", res.status)
		}
		res = post(url.Values{"current_password": {u.password}, "new_password": {"một mật khẩu mới đủ dài"}, "confirm_password": {"khác"}})
		if res.status != 422 || !strings.Contains(res.body, "không khớp") {
			t.Fatalf("confirmation: %d", res.status)
		}
		res = post(url.Values{"current_password": {u.password}, "new_password": {"một mật khẩu mới đủ dài"}, "confirm_password": {"một mật khẩu mới đủ dài"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/account?doi=ok" {
			t.Fatalf("change: %d %s", res.status, truncate(res.body))
		}
		res = e.do(request{method: "GET", path: "/account?doi=ok", as: u, cred: session})
		if res.status != 200 || !strings.Contains(res.body, "Đã đổi mật khẩu") {
			t.Fatalf("flash: %d", res.status)
		}
	})
}

func TestDataEntryReach(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		district := e.addUser("nhaplieu-huyen", antq.RoleDataEntry, "689", "")
		commune := e.addUser("nhaplieu-xa", antq.RoleDataEntry, "25195", "")
		area := e.addUser("nhaplieu-kp", antq.RoleDataEntry, inUnit, "")
		reviewer := e.addUser("thamdinh-huyen", antq.RoleReviewer, "689", "")
		put := func(a *actor, code string) int {
			return e.do(request{method: "PUT", path: factsAPI(code) + "/registration", as: a, cred: bearer, json: map[string]any{"registered_on": "2023-03-15"}}).status
		}
		for _, tc := range []struct {
			who  *actor
			code string
			want int
		}{
			{district, "689-DN001", 200},  // an enterprise the district manages
			{district, "25195", 403},      // a commune below: its own staff records it
			{district, inUnit, 403},       // further below
			{commune, "25195", 200},       // its own unit
			{commune, inUnit, 200},        // its residential area
			{commune, "25195-TH01", 422},  // its school (in reach; a primary school is not eligible)
			{commune, "25200-KDC01", 404}, // outside its scope
			{area, inUnit, 200},           // its own area
			{area, "25195-KDC02", 404},    // the neighbouring area is outside its scope
			{reviewer, inUnit, 200},       // a reviewer decides within its whole subtree
		} {
			if got := put(tc.who, tc.code); got != tc.want {
				t.Errorf("%s → %s: %d, want %d", tc.who.user.Username, tc.code, got, tc.want)
			}
		}
		// Reading is the whole subtree.
		if res := e.do(request{method: "GET", path: factsAPI(inUnit), as: district, cred: bearer}); res.status != 200 {
			t.Errorf("district data entry reads below: %d", res.status)
		}
	})
}

func TestReadOfPersonalDataIsLogged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		e.addUser("kp1", antq.RoleDataEntry, inUnit, "")
		for _, p := range []string{"/users", "/api/v1/users", "/api/v1/users/kp1"} {
			cred := session
			if strings.HasPrefix(p, "/api/") {
				cred = bearer
			}
			if res := e.do(request{method: "GET", path: p, as: admin, cred: cred}); res.status != 200 {
				t.Fatalf("GET %s: %d", p, res.status)
			}
		}
		_, err := db.AuditRecords(context.Background(), store.AuditFilter{})
		if antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Fatalf("audit without a caller: %v", err)
		}
		recs, err := db.AuditRecords(e.sys, store.AuditFilter{Action: "read"})
		if err != nil || len(recs) != 3 {
			t.Fatalf("read records %+v %v", recs, err)
		}
		for _, r := range recs {
			if r.Username != "quantri" || r.RemoteAddr != "127.0.0.1" {
				t.Errorf("read record %+v", r)
			}
		}
	})
}
