package web_test

import (
	"net/http"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// An administrator below the root cannot learn through user add that an
// account exists outside its scope: a taken name gets the same neutral
// refusal whether the account is in its scope or elsewhere. Only an
// administrator of the whole tree is told the name is taken.
func TestTakenNamesRevealNothingBelowTheRoot(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		district := e.addUser("dongxoai", antq.RoleAdmin, "689", "")
		e.addUser("tanphu", antq.RoleReviewer, "25195", "")  // in Đồng Xoài
		e.addUser("doanket", antq.RoleReviewer, "25200", "") // in Bù Đăng
		create := func(a *actor, username string) response {
			return e.do(request{method: "POST", path: "/api/v1/users", as: a, cred: bearer,
				json: map[string]string{"username": username, "role": "viewer", "unit": "25195-KDC01"}})
		}
		elsewhere, inScope := create(district, "doanket"), create(district, "tanphu")
		if elsewhere.status != http.StatusUnprocessableEntity || !strings.Contains(elsewhere.body, "chọn tên đăng nhập khác") {
			t.Errorf("a name taken outside the scope: %d %s", elsewhere.status, elsewhere.body)
		}
		if elsewhere.status != inScope.status || elsewhere.body != inScope.body {
			t.Errorf("taken elsewhere and taken in scope differ:\n%d %s\n%d %s", elsewhere.status, elsewhere.body, inScope.status, inScope.body)
		}
		for _, word := range []string{"tồn tại", "đã được dùng", "doanket"} {
			if strings.Contains(elsewhere.body, word) {
				t.Errorf("the refusal says %q: %s", word, elsewhere.body)
			}
		}
		if res := create(district, "moi-ten"); res.status != http.StatusCreated {
			t.Errorf("a free name: %d %s", res.status, res.body)
		}
		if res := create(root, "doanket"); res.status != http.StatusConflict || !strings.Contains(res.body, "đã tồn tại") {
			t.Errorf("the root admin on a taken name: %d %s", res.status, res.body)
		}
	})
}

// /metrics covers every route and unit of the deployment: it is for an
// administrator whose unit has no parent, not for one below it.
func TestMetricsNeedTheWholeTree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		district := e.addUser("dongxoai", antq.RoleAdmin, "689", "")
		commune := e.addUser("tanphu", antq.RoleAdmin, "25195", "")
		for _, cred := range []credential{bearer, session} {
			if res := e.do(request{method: "GET", path: "/metrics", as: root, cred: cred}); res.status != 200 || !strings.Contains(res.body, "antq_http_requests_total") {
				t.Errorf("root admin (%d): %d", cred, res.status)
			}
			for _, a := range []*actor{district, commune} {
				res := e.do(request{method: "GET", path: "/metrics", as: a, cred: cred})
				if res.status != http.StatusForbidden || strings.Contains(res.body, "antq_http") {
					t.Errorf("%s (%d): %d", a.user.Username, cred, res.status)
				}
			}
		}
	})
}
