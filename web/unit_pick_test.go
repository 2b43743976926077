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

// An account form takes its unit by name, without diacritics if need be:
// one match is taken, several are offered to choose from, none is a field
// error; the prefilled unit stands while its name is left as it was. The
// page names the unit, not its code.
func TestAccountFormsPickUnitByName(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.addUser("quantri", antq.RoleAdmin, "25195", "Quản trị phường")

		res := e.do(request{method: "GET", path: "/users/new", as: admin, cred: session})
		if res.status != 200 || !strings.Contains(res.body, `id="unit" name="unit" value="Phường Tân Phú"`) {
			t.Fatalf("form does not show the unit by its name: %d %s", res.status, res.body)
		}
		create := func(username, unit, pick string) response {
			f := url.Values{"username": {username}, "unit": {unit}, "role": {"viewer"},
				"unit_prev": {"25195"}, "unit_prev_name": {"Phường Tân Phú"}}
			if pick != "" {
				f.Set("unit_pick", pick)
			}
			return e.do(request{method: "POST", path: "/users/new", as: admin, cred: session, form: f})
		}
		unitOf := func(username string) string {
			u, err := e.db.FindUserByUsername(e.sys, username)
			if err != nil {
				t.Fatal(err)
			}
			return u.UnitCode
		}

		if res := create("mot", "Phường Tân Phú", ""); res.status != 200 || unitOf("mot") != "25195" {
			t.Fatalf("the prefilled unit: %d", res.status)
		}
		if res := create("hai", "khu pho 2", ""); res.status != 200 || unitOf("hai") != "25195-KDC02" {
			t.Fatalf("one match without diacritics: %d %s", res.status, res.body)
		}
		res = create("baba", "Khu phố", "")
		if res.status != 422 || !strings.Contains(res.body, `id="unit-choices"`) || !strings.Contains(res.body, "nhiều đơn vị khớp") ||
			!strings.Contains(res.body, `name="unit_pick" value="25195-KDC01"`) || !strings.Contains(res.body, `name="unit_pick" value="25195-KDC02"`) {
			t.Fatalf("several matches are not offered: %d %s", res.status, res.body)
		}
		if _, err := e.db.FindUserByUsername(e.sys, "baba"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("an account was made before a unit was chosen (%v)", err)
		}
		if res := create("baba", "Khu phố", "25195-KDC01"); res.status != 200 || unitOf("baba") != "25195-KDC01" {
			t.Fatalf("the chosen unit: %d %s", res.status, res.body)
		}
		// Outside the administrator's scope by name: nothing matches.
		if res := create("bon", "Ấp Đoàn Kết", ""); res.status != 422 || !strings.Contains(res.body, `id="unit-err"`) ||
			!strings.Contains(res.body, "không có đơn vị nào trong phạm vi quản lý của bạn") {
			t.Fatalf("a unit outside the scope: %d %s", res.status, res.body)
		}

		// The move form: shown by name, a role change keeps the unit, a
		// name moves the account.
		res = e.do(request{method: "GET", path: "/users/hai", as: admin, cred: session})
		if res.status != 200 || !strings.Contains(res.body, `value="Khu phố 2"`) {
			t.Fatalf("move form: %d %s", res.status, res.body)
		}
		move := func(unit string) response {
			return e.do(request{method: "POST", path: "/users/hai/move", as: admin, cred: session, form: url.Values{
				"unit": {unit}, "unit_prev": {"25195-KDC02"}, "unit_prev_name": {"Khu phố 2"}, "role": {"data_entry"}, "reason": {"phân công"}}})
		}
		if res := move("Khu phố 2"); res.status != http.StatusSeeOther || unitOf("hai") != "25195-KDC02" {
			t.Fatalf("role change: %d %s", res.status, res.body)
		}
		if res := move("khu pho 1"); res.status != http.StatusSeeOther || unitOf("hai") != "25195-KDC01" {
			t.Fatalf("move by name: %d %s", res.status, res.body)
		}

		// /units is the search, or the caller's unit.
		if res := e.do(request{method: "GET", path: "/units?q=t%C3%A2n+ph%C3%BA", as: admin, cred: session}); res.status != http.StatusSeeOther ||
			res.header.Get("Location") != "/?q=t%C3%A2n+ph%C3%BA" {
			t.Fatalf("/units?q=: %d %s", res.status, res.header.Get("Location"))
		}
		if res := e.do(request{method: "GET", path: "/units", as: admin, cred: session}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/units/25195" {
			t.Fatalf("/units: %d %s", res.status, res.header.Get("Location"))
		}
	})
}
