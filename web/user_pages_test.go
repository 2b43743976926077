package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// firstPasswords returns the first passwords a sheet shows, in order.
func firstPasswords(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`<code class="first-password">([^<]+)</code>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// mustChangeOf reads the account's first-password mark as the command
// line sees it.
func mustChangeOf(t *testing.T, e *env, username string) bool {
	t.Helper()
	u, err := e.db.FindUserByUsername(e.sys, username)
	if err != nil {
		t.Fatal(err)
	}
	return u.MustChangePassword
}

// An administrator creates one account on the page; its first password is
// shown once and must be changed at the first login, before any other page.
func TestUserPageCreatesOneWithFirstPassword(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "Quản trị phường")

		if res := e.do(request{method: "GET", path: "/users/new", as: admin, cred: session}); res.status != 200 || !strings.Contains(res.body, `value="25195"`) {
			t.Fatalf("form: %d %s", res.status, res.body)
		}
		res := e.do(request{method: "POST", path: "/users/new", as: admin, cred: session,
			form: url.Values{"username": {"KP2.TanPhu"}, "full_name": {"Nguyễn Văn An"}, "unit": {"25195-KDC02"}, "role": {"data_entry"}}})
		if res.status != 200 || !strings.Contains(res.body, "kp2.tanphu") || !strings.Contains(res.body, "Khu phố 2") {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		// The sheet says where to log in: the address the administrator used.
		if want := "Đăng nhập tại <strong>" + e.srv.URL + "/login</strong>"; !strings.Contains(res.body, want) {
			t.Errorf("the sheet does not say %q", want)
		}
		pw := firstPasswords(t, res.body)
		if len(pw) != 1 || len(pw[0]) != 16 {
			t.Fatalf("first passwords %q", pw)
		}
		if !mustChangeOf(t, e, "kp2.tanphu") {
			t.Fatal("a new account's password is not marked as a first password")
		}

		// Refusals name the field, in Vietnamese, and keep what was typed.
		res = e.do(request{method: "POST", path: "/users/new", as: admin, cred: session,
			form: url.Values{"username": {"kp3"}, "full_name": {"Trần Thị Bình"}, "unit": {"25200"}, "role": {"viewer"}}})
		if res.status != 422 || !strings.Contains(res.body, `id="unit-err"`) || !strings.Contains(res.body, "phạm vi quản lý") || !strings.Contains(res.body, "Trần Thị Bình") {
			t.Fatalf("out-of-scope unit: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "POST", path: "/users/new", as: admin, cred: session,
			form: url.Values{"username": {"new"}, "unit": {"25195"}, "role": {"viewer"}}})
		if res.status != 422 || !strings.Contains(res.body, `id="username-err"`) {
			t.Fatalf("reserved name: %d %s", res.status, res.body)
		}

		// First login: sent to the password change; other pages and the
		// API (by session) are held back until it is changed.
		kp2 := &actor{user: &antq.User{Username: "kp2.tanphu"}, password: pw[0]}
		res = e.do(request{method: "POST", path: "/login", form: loginForm("kp2.tanphu", pw[0])})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/account?doi=can" {
			t.Fatalf("first login: %d %s", res.status, res.header.Get("Location"))
		}
		kp2.cookie = sessionCookie(res.header)
		if res := e.do(request{method: "GET", path: "/plans", as: kp2, cred: session}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/account?doi=can" {
			t.Fatalf("a page before the change: %d %s", res.status, res.header.Get("Location"))
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units", as: kp2, cred: session}); res.status != http.StatusForbidden {
			t.Fatalf("the API by session before the change: %d", res.status)
		}
		if res := e.do(request{method: "GET", path: "/account?doi=can", as: kp2, cred: session}); res.status != 200 || !strings.Contains(res.body, "mật khẩu lần đầu") {
			t.Fatalf("account page: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "POST", path: "/account/password", as: kp2, cred: session, form: url.Values{
			"current_password": {pw[0]}, "new_password": {"mật khẩu riêng của tôi"}, "confirm_password": {"mật khẩu riêng của tôi"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("change: %d %s", res.status, res.body)
		}
		if mustChangeOf(t, e, "kp2.tanphu") {
			t.Fatal("the mark stays after the change")
		}
		if res := e.do(request{method: "GET", path: "/plans", as: kp2, cred: session}); res.header.Get("Location") == "/account?doi=can" {
			t.Fatal("a page after the change still sends to the password change")
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units", as: kp2, cred: session}); res.status != 200 {
			t.Fatalf("the API by session after the change: %d", res.status)
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("kp2.tanphu", "mật khẩu riêng của tôi")}); res.header.Get("Location") != "/" {
			t.Fatalf("second login goes to %q", res.header.Get("Location"))
		}
	})
}

// A pasted or uploaded list creates every account or none: a bad line is
// named with its field and reason, and nothing is written.
func TestUserImportAllOrNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		count := func() int {
			t.Helper()
			_, n, err := db.Users(e.sys, store.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()

		// A bad role on line 3: nothing is created, the line is named.
		bad := "tên đăng nhập; họ tên; mã đơn vị; vai trò\nkp1a; Lê Văn A; 25195-KDC01; Nhập liệu\nkp1b; Lê Văn B; 25195-KDC01; trưởng thôn\n"
		res := e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {bad}}})
		if res.status != 422 || !strings.Contains(res.body, "Dòng 3") || !strings.Contains(res.body, "vai trò") || !strings.Contains(res.body, "trưởng thôn") {
			t.Fatalf("bad role: %d %s", res.status, res.body)
		}
		// A unit outside the scope on line 2 is found in the transaction:
		// line 1 is not kept either.
		outside := "kp1a; Lê Văn A; 25195-KDC01; Nhập liệu\nkp9; Lê Văn C; 25200-KDC01; Xem\n"
		res = e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {outside}}})
		if res.status != 422 || !strings.Contains(res.body, "Dòng 2") || !strings.Contains(res.body, "mã đơn vị") {
			t.Fatalf("out-of-scope unit: %d %s", res.status, res.body)
		}
		// The same name twice.
		twice := "kp1a; Lê Văn A; 25195-KDC01; Nhập liệu\nkp1a, Lê Văn B, 25195-KDC02, viewer\n"
		res = e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {twice}}})
		if res.status != 422 || !strings.Contains(res.body, "Dòng 2") || !strings.Contains(res.body, "trùng với dòng 1") {
			t.Fatalf("same name twice: %d %s", res.status, res.body)
		}
		// Every problem at once, whatever stage finds it: a bad role (line
		// 2, read), a unit outside the scope (line 3) and a name already
		// taken (line 4, the store), in line order.
		mixed := "kp1a; Lê Văn A; 25195-KDC01; trưởng thôn\nkp9; Lê Văn C; 25200-KDC01; Xem\nquantri; Lê Văn D; 25195; Xem\nkp1c; Lê Văn E; 25195; Xem\n"
		res = e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {mixed}}})
		i1, i2, i3 := strings.Index(res.body, "Dòng 1:"), strings.Index(res.body, "Dòng 2:"), strings.Index(res.body, "Dòng 3:")
		if res.status != 422 || i1 < 0 || i2 < i1 || i3 < i2 || strings.Contains(res.body, "Dòng 4:") {
			t.Fatalf("a list with problems found by reading and by the store: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {"kp9; Lê Văn C; 25200-KDC01; Xem\nquantri; Lê Văn D; 25195; Xem\n"}}})
		if res.status != 422 || !strings.Contains(res.body, "Dòng 1:") || !strings.Contains(res.body, "Dòng 2:") {
			t.Fatalf("two refusals by the store: %d %s", res.status, res.body)
		}
		if n := count(); n != before {
			t.Fatalf("%d accounts after refused lists, want %d", n, before)
		}

		// A good list, uploaded as a CSV file with a header: every account,
		// one sheet.
		good := "\uFEFFten_dang_nhap,ho_ten,ma_don_vi,vai_tro\r\nkp1a,Lê Văn A,25195-KDC01,Nhập liệu\r\n\r\n# tổ dân phố 2\r\nkp2a,Lê Văn B,25195-KDC02,viewer\r\ntruong.th,Phạm Thị C,25195-TH01,Xem\r\n"
		res = e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, file: &formFile{name: "danh-sach.csv", contents: []byte(good)}})
		if res.status != 200 {
			t.Fatalf("good list: %d %s", res.status, res.body)
		}
		if pw := firstPasswords(t, res.body); len(pw) != 3 {
			t.Fatalf("sheet passwords %q", pw)
		}
		for _, want := range []string{"kp1a", "kp2a", "truong.th", "Khu phố 1", "Trường Tiểu học Tân Phú", "đổi mật khẩu"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the sheet lacks %q", want)
			}
		}
		if n := count(); n != before+3 {
			t.Fatalf("%d accounts after the good list, want %d", n, before+3)
		}
		if !mustChangeOf(t, e, "kp2a") {
			t.Error("an imported account's password is not marked as a first password")
		}
		recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "user", Action: "create", Username: "quantri"})
		if err != nil || len(recs) != 3 {
			t.Fatalf("audit of the creations: %d, %v", len(recs), err)
		}
	})
}

// The account page: lock (with a confirmation step), unlock, reset,
// move, token revocation; all audited. An administrator elsewhere gets 404.
func TestUserPageManagesAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		other := e.addUser("quantri.dk", antq.RoleAdmin, "25200", "")
		kp1 := e.addUser("kp1", antq.RoleDataEntry, "25195-KDC01", "Trưởng khu phố 1")
		viewer := e.addUser("xem", antq.RoleViewer, "25195", "")

		res := e.do(request{method: "GET", path: "/users/kp1", as: admin, cred: session})
		if res.status != 200 || !strings.Contains(res.body, "Trưởng khu phố 1") || !strings.Contains(res.body, "scenario") || !strings.Contains(res.body, "Khu phố 1") {
			t.Fatalf("account page: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/users?q=kp", as: admin, cred: session}); !strings.Contains(res.body, `href="/users/kp1"`) {
			t.Fatalf("the list does not link the account: %s", res.body)
		}

		// Out of scope, or not an administrator: the account does not exist.
		for _, r := range []request{
			{method: "GET", path: "/users/kp1"},
			{method: "POST", path: "/users/kp1/state", form: url.Values{"to": {"disable"}, "confirm": {"yes"}}},
			{method: "POST", path: "/users/kp1/password", form: url.Values{"confirm": {"yes"}}},
			{method: "POST", path: "/users/kp1/move", form: url.Values{"unit": {"25200"}, "role": {"viewer"}}},
			{method: "POST", path: "/users/kp1/tokens/" + itoa(kp1.tokenID) + "/revoke", form: url.Values{}},
		} {
			r.as, r.cred = other, session
			if res := e.do(r); res.status != http.StatusNotFound {
				t.Errorf("%s %s by an administrator elsewhere: %d, want 404", r.method, r.path, res.status)
			}
			r.as = viewer
			if res := e.do(r); res.status != http.StatusForbidden {
				t.Errorf("%s %s by a viewer: %d, want 403", r.method, r.path, res.status)
			}
		}
		if res := e.do(request{method: "GET", path: "/users/kp1", as: admin, cred: session}); strings.Contains(res.body, "Đã khóa") {
			t.Fatal("the refused requests changed the account")
		}

		// Token revocation: asked first, then done.
		res = e.do(request{method: "POST", path: "/users/kp1/tokens/" + itoa(kp1.tokenID) + "/revoke", as: admin, cred: session, form: url.Values{}})
		if res.status != 200 || !strings.Contains(res.body, "Thu hồi mã truy cập “scenario”") || strings.Contains(res.body, `id="reason"`) {
			t.Fatalf("revoke asks first: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: kp1, cred: bearer}); res.status != 200 {
			t.Fatalf("the question revoked the token: %d", res.status)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/tokens/" + itoa(kp1.tokenID) + "/revoke", as: admin, cred: session, form: url.Values{"confirm": {"yes"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: kp1, cred: bearer}); res.status != http.StatusUnauthorized {
			t.Fatalf("a revoked token: %d", res.status)
		}
		if res := e.do(request{method: "POST", path: "/users/kp1/tokens/" + itoa(admin.tokenID) + "/revoke", as: admin, cred: session, form: url.Values{}}); res.status != http.StatusNotFound {
			t.Fatalf("another account's token through kp1's page: %d", res.status)
		}

		// Move within scope, with a reason; out of scope is refused at the field.
		res = e.do(request{method: "POST", path: "/users/kp1/move", as: admin, cred: session, form: url.Values{"unit": {"25195-KDC02"}, "role": {"viewer"}, "reason": {"chuyển công tác"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("move: %d %s", res.status, res.body)
		}
		if u, _ := db.FindUserByUsername(e.sys, "kp1"); u.UnitCode != "25195-KDC02" || u.Role != antq.RoleViewer {
			t.Fatalf("after the move: %+v", u)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/move", as: admin, cred: session, form: url.Values{"unit": {"25200"}, "role": {"viewer"}}})
		if res.status != 422 || !strings.Contains(res.body, `id="unit-err"`) {
			t.Fatalf("move out of scope: %d %s", res.status, res.body)
		}
		// Making an account an administrator asks first, then does it.
		res = e.do(request{method: "POST", path: "/users/kp1/move", as: admin, cred: session, form: url.Values{"unit": {"25195-KDC02"}, "role": {"admin"}}})
		if res.status != 200 || !strings.Contains(res.body, "Giao vai trò Quản trị hệ thống cho tài khoản kp1?") {
			t.Fatalf("promotion asks first: %d %s", res.status, res.body)
		}
		if u, _ := db.FindUserByUsername(e.sys, "kp1"); u.Role != antq.RoleViewer {
			t.Fatalf("the question promoted the account: %+v", u)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/move", as: admin, cred: session, form: url.Values{"unit": {"25195-KDC02"}, "role": {"admin"}, "confirm": {"yes"}}})
		if u, _ := db.FindUserByUsername(e.sys, "kp1"); res.status != http.StatusSeeOther || u.Role != antq.RoleAdmin {
			t.Fatalf("promotion: %d, %+v", res.status, u)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/move", as: admin, cred: session, form: url.Values{"unit": {"25195-KDC02"}, "role": {"viewer"}, "confirm": {"yes"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("back to viewer: %d %s", res.status, res.body)
		}

		// Lock: the first POST only asks.
		res = e.do(request{method: "POST", path: "/users/kp1/state", as: admin, cred: session, form: url.Values{"to": {"disable"}}})
		if res.status != 200 || !strings.Contains(res.body, `name="confirm" value="yes"`) {
			t.Fatalf("lock, first step: %d %s", res.status, res.body)
		}
		if !e.signedIn(kp1.cookie) {
			t.Fatal("the confirmation step locked the account")
		}
		res = e.do(request{method: "POST", path: "/users/kp1/state", as: admin, cred: session, form: url.Values{"to": {"disable"}, "confirm": {"yes"}, "reason": {"nghỉ việc"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("lock: %d %s", res.status, res.body)
		}
		if e.signedIn(kp1.cookie) {
			t.Fatal("a locked account's session is still open")
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("kp1", kp1.password)}); res.status != http.StatusUnauthorized {
			t.Fatalf("a locked account logs in: %d", res.status)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/state", as: admin, cred: session, form: url.Values{"to": {"enable"}, "confirm": {"yes"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("unlock: %d %s", res.status, res.body)
		}
		kp1.cookie = e.login(kp1)

		// Reset: a confirmation, then a new first password shown once; the
		// old one no longer works and the new one must be changed.
		res = e.do(request{method: "POST", path: "/users/kp1/password", as: admin, cred: session, form: url.Values{}})
		if res.status != 200 || !strings.Contains(res.body, `name="confirm" value="yes"`) || len(firstPasswords(t, res.body)) != 0 {
			t.Fatalf("reset, first step: %d %s", res.status, res.body)
		}
		res = e.do(request{method: "POST", path: "/users/kp1/password", as: admin, cred: session, form: url.Values{"confirm": {"yes"}, "reason": {"quên mật khẩu"}}})
		pw := firstPasswords(t, res.body)
		if res.status != 200 || len(pw) != 1 {
			t.Fatalf("reset: %d %s", res.status, res.body)
		}
		if e.signedIn(kp1.cookie) {
			t.Fatal("a session after the reset")
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("kp1", kp1.password)}); res.status != http.StatusUnauthorized {
			t.Fatalf("the old password after the reset: %d", res.status)
		}
		if res := e.do(request{method: "POST", path: "/login", form: loginForm("kp1", pw[0])}); res.header.Get("Location") != "/account?doi=can" {
			t.Fatalf("login after the reset goes to %q", res.header.Get("Location"))
		}
		// An administrator's own account: no reset through this page.
		if res := e.do(request{method: "POST", path: "/users/quantri/password", as: admin, cred: session, form: url.Values{"confirm": {"yes"}}}); res.status != http.StatusForbidden {
			t.Fatalf("own reset: %d", res.status)
		}

		// One record per step: the move, the promotion and its undoing are three updates.
		for action, n := range map[string]int{"disable": 1, "enable": 1, "reset_password": 1, "update": 3} {
			recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "user", Key: "kp1", Action: action})
			if err != nil || len(recs) != n || recs[0].Username != "quantri" {
				t.Errorf("audit of %s: %+v, %v", action, recs, err)
			}
		}
		if recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "api_token", Action: "revoke"}); err != nil || len(recs) != 1 {
			t.Errorf("audit of the token revocation: %+v, %v", recs, err)
		}
	})
}

// The API's creations and resets hand over first passwords too; a browser
// session of such an account is held on the password change, a bearer
// token is not.
func TestAPIFirstPassword(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		res := e.do(request{method: "POST", path: "/api/v1/users", as: admin, cred: bearer,
			json: map[string]string{"username": "kp2", "full_name": "Trưởng khu phố 2", "role": "viewer", "unit": "25195-KDC02"}})
		if res.status != 201 || !strings.Contains(res.body, `"must_change_password":true`) {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		created := decode[struct {
			User     antq.User `json:"user"`
			Password string    `json:"password"`
		}](t, res.body)
		kp2 := &actor{user: &created.User, password: created.Password}
		kp2.cookie = e.login(kp2)
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195-KDC02", as: kp2, cred: session}); res.status != http.StatusForbidden {
			t.Fatalf("the API by session before the change: %d", res.status)
		}
		if res := e.do(request{method: "POST", path: "/people", as: kp2, cred: session, form: url.Values{}}); res.status != http.StatusForbidden {
			t.Fatalf("a form before the change: %d", res.status)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/account", as: kp2, cred: session}); res.status != 200 || !strings.Contains(res.body, `"must_change_password":true`) {
			t.Fatalf("own account before the change: %d %s", res.status, res.body)
		}
		kp2.token, _ = e.newToken(kp2, "máy đo")
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195-KDC02", as: kp2, cred: bearer}); res.status != 200 {
			t.Fatalf("a token of the account: %d", res.status)
		}
		res = e.do(request{method: "POST", path: "/api/v1/account/password", as: kp2, cred: session,
			json: map[string]string{"current_password": kp2.password, "new_password": "mật khẩu riêng đủ dài"}})
		if res.status != 204 {
			t.Fatalf("change: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195-KDC02", as: kp2, cred: session}); res.status != 200 {
			t.Fatalf("the API by session after the change: %d", res.status)
		}
		res = e.do(request{method: "POST", path: "/api/v1/users/kp2/password", as: admin, cred: bearer, json: map[string]string{}})
		if res.status != 200 || !mustChangeOf(t, e, "kp2") {
			t.Fatalf("reset by the API: %d %s", res.status, res.body)
		}
	})
}

// The list's lines as people type them: any of the three separators, the
// role by its name with or without accents, decomposed accents, a comma in
// the role's name.
func TestParseAccountListForms(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "")
		list := "aa1\tNgười A\t25195-KDC01\tnhap lieu\n" +
			"aa2, Người B, 25195-KDC01, Thẩm định, phê duyệt\n" +
			"aa3; Người C; 25195; Nha\u0323\u0302p lie\u0323\u0302u\n"
		res := e.do(request{method: "POST", path: "/users/import", as: admin, cred: session, form: url.Values{"list": {list}}})
		if res.status != 200 || len(firstPasswords(t, res.body)) != 3 {
			t.Fatalf("list: %d %s", res.status, res.body)
		}
		for name, want := range map[string]antq.Role{"aa1": antq.RoleDataEntry, "aa2": antq.RoleReviewer, "aa3": antq.RoleDataEntry} {
			if u, err := db.FindUserByUsername(e.sys, name); err != nil || u.Role != want {
				t.Errorf("%s: %+v, %v", name, u, err)
			}
		}
	})
}
