package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// TestLoginRedirectStaysOnSite goes through the real login form: a hostile
// next (the review's "/%09/evil.example" arrives as "/\t/evil.example")
// sends the user home, a local one is kept, and the login page never
// carries a hostile next into its form.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleViewer, "25195", "")
		for _, tc := range []struct{ next, want string }{
			{"/\t/evil.example", "/"},
			{"/\n/evil.example", "/"},
			{"//evil.example", "/"},
			{"/\\evil.example", "/"},
			{"/%2F/evil.example", "/"},
			{"/%09/evil.example", "/"},
			{"https://evil.example", "/"},
			{"/ /evil.example", "/"},
			{"/\u3000/evil.example", "/"},
			{"/\uff0f/evil.example", "/"},
			{"/plans/binh-phuoc-2023/dashboard?unit=70", "/plans/binh-phuoc-2023/dashboard?unit=70"},
		} {
			res := e.do(request{method: "POST", path: "/login", form: url.Values{"username": {u.user.Username}, "password": {u.password}, "next": {tc.next}}})
			if res.status != http.StatusSeeOther || res.header.Get("Location") != tc.want {
				t.Errorf("login with next=%q: %d Location %q, want %q", tc.next, res.status, res.header.Get("Location"), tc.want)
			}
			page := e.do(request{method: "GET", path: "/login?next=" + url.QueryEscape(tc.next)})
			if !strings.Contains(page.body, `name="next" value="`+html.EscapeString(tc.want)+`"`) {
				t.Errorf("login page with next=%q does not carry %q", tc.next, tc.want)
			}
		}
	})
}
