package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// importUnits adds units to the env's database (as the command line).
func (e *env) importUnits(csv string, opts unitfile.Options) {
	e.t.Helper()
	recs, err := unitfile.Read("extra.csv", strings.NewReader(csv), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.ImportUnits(e.sys, "extra.csv", recs); err != nil {
		e.t.Fatal(err)
	}
}

// After a tree has ended (as Bình Phước did on 30/06/2025) its
// administrators still list, open and change the accounts below them, and
// find the accounts they create.
func TestAccountsOfAnEndedTree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.importUnits(`level,code,name,type,parent_code
province,71,Tỉnh Cũ,Tỉnh,
district,711,Huyện Một,Huyện,71
district,712,Huyện Hai,Huyện,71
commune,25901,Xã Một,Xã,711
`, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01"), ValidTo: antq.MustDate("2025-06-30")})
		e.clock.Advance(time.Date(2025, 9, 1, 2, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
		tinh := e.addUser("tinh71", antq.RoleAdmin, "71", "")
		huyen := e.addUser("huyen1", antq.RoleAdmin, "711", "")
		e.addUser("thamdinh1", antq.RoleReviewer, "711", "")
		e.addUser("xa1", antq.RoleViewer, "25901", "")
		e.addUser("huyen2", antq.RoleAdmin, "712", "")
		e.addUser("phuong", antq.RoleAdmin, "25195", "") // the live fixture tree

		list := func(a *actor) []string {
			t.Helper()
			res := e.do(request{method: "GET", path: "/api/v1/users", as: a, cred: bearer})
			if res.status != 200 {
				t.Fatalf("list: %d %s", res.status, res.body)
			}
			var names []string
			for _, u := range decode[struct{ Users []antq.User }](t, res.body).Users {
				names = append(names, u.Username)
			}
			return names
		}
		if got := list(tinh); !slices.Equal(got, []string{"huyen1", "huyen2", "thamdinh1", "tinh71", "xa1"}) {
			t.Errorf("province admin lists %v", got)
		}
		if got := list(huyen); !slices.Equal(got, []string{"huyen1", "thamdinh1", "xa1"}) {
			t.Errorf("district admin lists %v", got)
		}
		res := e.do(request{method: "PATCH", path: "/api/v1/users/thamdinh1", as: tinh, cred: bearer, json: map[string]any{"full_name": "Trần Thẩm Định"}})
		if res.status != 200 {
			t.Errorf("province admin changes a district reviewer: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/users", as: tinh, cred: session}); res.status != 200 || !strings.Contains(res.body, "thamdinh1") {
			t.Errorf("users page: %d, lists the reviewer: %v", res.status, strings.Contains(res.body, "thamdinh1"))
		}
		// The district admin finds and manages the account it just created.
		res = e.do(request{method: "POST", path: "/api/v1/users", as: huyen, cred: bearer,
			json: map[string]string{"username": "moi1", "role": "data_entry", "unit": "25901"}})
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/users/moi1", as: huyen, cred: bearer}); res.status != 200 {
			t.Errorf("open the new account: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "PATCH", path: "/api/v1/users/moi1", as: huyen, cred: bearer, json: map[string]any{"disabled": true}}); res.status != 200 {
			t.Errorf("disable the new account: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "POST", path: "/api/v1/users/thamdinh1/password", as: huyen, cred: bearer, json: map[string]any{}}); res.status != 200 {
			t.Errorf("reset a reviewer's password: %d %s", res.status, res.body)
		}
		// Isolation holds: the other district, the province and the other tree
		// do not exist for the district admin.
		for _, name := range []string{"huyen2", "tinh71", "phuong"} {
			if res := e.do(request{method: "GET", path: "/api/v1/users/" + name, as: huyen, cred: bearer}); res.status != 404 {
				t.Errorf("district admin opens %s: %d", name, res.status)
			}
		}
	})
}

// Data entry's reach is judged on the unit's version in the plan year, the
// one the write goes to: an enterprise managed by Phường Tân Phú in 2023,
// attached to Đồng Xoài from 2024, is still the commune's to record for
// 2023, not the district's.
func TestDataEntryReachInThePlanYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // today is 01/03/2024
		e.importUnits("level,code,name,type,parent_code,staff\nenterprise,25195-DN01,Công ty TNHH Tân Phú,Công ty,25195,40\n",
			unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		if err := db.MoveUnit(e.sys, "25195-DN01", "689", antq.MustDate("2024-01-01"), "thành phố quản lý"); err != nil {
			t.Fatal(err)
		}
		district := e.addUser("nhaplieu-huyen", antq.RoleDataEntry, "689", "")
		commune := e.addUser("nhaplieu-xa", antq.RoleDataEntry, "25195", "")
		put := func(a *actor) response {
			return e.do(request{method: "PUT", path: factsAPI("25195-DN01") + "/registration", as: a, cred: bearer, json: map[string]any{"registered_on": "2023-03-15"}})
		}
		if res := put(district); res.status != http.StatusForbidden {
			t.Errorf("district data entry writes 2023 for a unit it did not manage then: %d %s", res.status, res.body)
		}
		res := e.do(request{method: "POST", path: factsPage("25195-DN01") + "/registration", as: district, cred: session,
			form: url.Values{"registered_on": {"2023-03-15"}}})
		if res.status != http.StatusForbidden {
			t.Errorf("the same through the form: %d", res.status)
		}
		if res := put(commune); res.status != 200 {
			t.Errorf("commune data entry writes 2023 for the enterprise it managed: %d %s", res.status, res.body)
		}
	})
}
