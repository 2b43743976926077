package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// An administrator's reset is for an account presumed compromised: its
// sessions end and its API tokens are revoked at once.
func TestAdminResetRevokesTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		kp1 := e.addUser("kp1", antq.RoleDataEntry, inUnit, "")
		second, _ := e.newToken(kp1, "máy tính bảng")
		bob := e.addUser("bob", antq.RoleViewer, "25195", "")

		res := e.do(request{method: "POST", path: "/api/v1/users/kp1/password", as: admin, cred: bearer, json: map[string]string{"reason": "nghi bị lộ"}})
		if res.status != 200 {
			t.Fatalf("reset: %d %s", res.status, res.body)
		}
		if !strings.Contains(res.body, `"tokens_revoked":true`) {
			t.Errorf("the answer does not say the tokens were revoked: %s", res.body)
		}
		for _, tok := range []string{kp1.token, second} {
			if res := e.do(request{method: "GET", path: "/api/v1/account", as: &actor{token: tok}, cred: bearer}); res.status != http.StatusUnauthorized {
				t.Errorf("a token after the admin reset: %d, want 401", res.status)
			}
		}
		if e.signedIn(kp1.cookie) {
			t.Error("a session after the admin reset")
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: bob, cred: bearer}); res.status != 200 {
			t.Errorf("another account's token: %d", res.status)
		}
		res = e.do(request{method: "GET", path: "/api/v1/tokens?user=kp1", as: admin, cred: bearer})
		if res.status != 200 || strings.Contains(res.body, `"revoked_at":null`) {
			t.Errorf("kp1's tokens after the reset: %d %s", res.status, res.body)
		}
		recs, err := db.AuditRecords(e.sys, store.AuditFilter{Action: "reset_password"})
		if err != nil || len(recs) != 1 || recs[0].New == nil || !strings.Contains(*recs[0].New, `"tokens_revoked":2`) || recs[0].Reason != "nghi bị lộ" {
			t.Fatalf("audit of the reset: %+v, %v", recs, err)
		}
	})
}

// A user's own password change ends its other sessions and, when asked
// (API: revoke_tokens; page: a checkbox), revokes its API tokens.
func TestOwnPasswordChangeMayRevokeTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.addUser("canbo", antq.RoleViewer, "25195", "")
		tokenWorks := func(tok string) bool {
			t.Helper()
			return e.do(request{method: "GET", path: "/api/v1/account", as: &actor{token: tok}, cred: bearer}).status == 200
		}
		change := func(revoke bool) {
			t.Helper()
			next := "mật khẩu mới thứ " + strings.Repeat("x", e.uniq())
			res := e.do(request{method: "POST", path: "/api/v1/account/password", as: u, cred: session,
				json: map[string]any{"current_password": u.password, "new_password": next, "revoke_tokens": revoke}})
			if res.status != 204 {
				t.Fatalf("change (revoke %v): %d %s", revoke, res.status, res.body)
			}
			u.password = next
		}
		// Without the option, tokens keep working (scripts are not broken).
		other := e.login(u)
		change(false)
		if !tokenWorks(u.token) {
			t.Error("a token after a change without revoke_tokens")
		}
		if e.signedIn(other) || !e.signedIn(u.cookie) {
			t.Error("the change must end the other sessions and keep this one")
		}
		// With it, every token is revoked.
		change(true)
		if tokenWorks(u.token) {
			t.Error("a token after a change with revoke_tokens")
		}

		// The page offers the same.
		res := e.do(request{method: "GET", path: "/account", as: u, cred: session})
		if res.status != 200 || !strings.Contains(res.body, `name="revoke_tokens"`) {
			t.Fatalf("account page lacks the option: %d", res.status)
		}
		tok, _ := e.newToken(u, "script")
		next := "một mật khẩu mới đủ dài nữa"
		res = e.do(request{method: "POST", path: "/account/password", as: u, cred: session,
			form: url.Values{"current_password": {u.password}, "new_password": {next}, "confirm_password": {"khác"}, "revoke_tokens": {"1"}}})
		if res.status != 422 || !strings.Contains(res.body, `name="revoke_tokens" value="1" checked`) {
			t.Errorf("a refused form keeps the box ticked: %d", res.status)
		}
		res = e.do(request{method: "POST", path: "/account/password", as: u, cred: session,
			form: url.Values{"current_password": {u.password}, "new_password": {next}, "confirm_password": {next}, "revoke_tokens": {"1"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("form change: %d %s", res.status, truncate(res.body))
		}
		if tokenWorks(tok) {
			t.Error("a token after a form change with the box ticked")
		}
		res = e.do(request{method: "GET", path: res.header.Get("Location"), as: u, cred: session})
		if !strings.Contains(res.body, "mã truy cập API đã bị thu hồi") {
			t.Errorf("the flash does not say the tokens were revoked: %s", truncate(res.body))
		}
	})
}
