package web_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

const reorgLegal = ",1662/NQ-UBTVQH15,2025-06-16,Ủy ban Thường vụ Quốc hội\n"

const reorgHead = "event,effective_on,from_code,to_code,to_name,to_type,to_parent_code,share,legal_number,legal_date,legal_issuer\n"

// POST /api/v1/units/reorganise applies a file all or nothing; the unit
// API then shows predecessors and successors, and old dates the old tree.
func TestAPIReorganise(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		district := e.addUser("huyen", antq.RoleAdmin, "689", "")
		post := func(as *actor, text string) response {
			return e.do(request{method: "POST", path: "/api/v1/units/reorganise?file=r.csv", as: as, cred: bearer, raw: []byte(text), contentType: "text/csv"})
		}
		good := reorgHead +
			"merge,2025-07-01,25195,25210,Phường Đồng Xoài,Phường,70," + reorgLegal +
			"merge,2025-07-01,25200,25210,,,," + reorgLegal +
			"abolish,2025-07-01,689,70,,,," + reorgLegal +
			"abolish,2025-07-01,693,70,,,," + reorgLegal
		if res := post(district, good); res.status != 403 {
			t.Fatalf("district admin: %d %s", res.status, res.body)
		}
		bad := reorgHead + "split,2025-07-01,25195,25210,Phường Đồng Xoài,Phường,70,50%" + reorgLegal
		res := post(root, bad)
		if res.status != 422 || !strings.Contains(res.body, `"column":"share"`) || !strings.Contains(res.body, "phải bằng 100%") {
			t.Fatalf("bad file: %d %s", res.status, res.body)
		}
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195", as: root, cred: bearer}); res.status != 200 || strings.Contains(res.body, `"successors"`) {
			t.Fatalf("a refused file changed 25195: %d %s", res.status, res.body)
		}
		res = post(root, good)
		if res.status != 200 {
			t.Fatalf("good file: %d %s", res.status, res.body)
		}
		r := decode[store.ReorgResult](t, res.body)
		if r.Events != 3 || r.Ended != 4 || r.Created != 1 {
			t.Errorf("result %+v", r)
		}
		type detail struct {
			Name         string
			ParentCode   *string   `json:"parent_code"`
			ValidTo      antq.Date `json:"valid_to"`
			Predecessors []store.LineageLink
			Successors   []store.LineageLink
		}
		// The old URL opens the old unit as it was, with its successor.
		old := decode[detail](t, e.do(request{method: "GET", path: "/api/v1/units/25195", as: root, cred: bearer}).body)
		if old.Name != "Phường Tân Phú" || old.ValidTo != antq.NewDate(2025, 6, 30) || *old.ParentCode != "689" ||
			len(old.Successors) != 1 || old.Successors[0].Code != "25210" || old.Successors[0].Legal.Number != "1662/NQ-UBTVQH15" {
			t.Errorf("old unit: %+v", old)
		}
		now := decode[detail](t, e.do(request{method: "GET", path: "/api/v1/units/25210", as: root, cred: bearer}).body)
		if now.Name != "Phường Đồng Xoài" || len(now.Predecessors) != 2 {
			t.Errorf("new unit: %+v", now)
		}
		// The residential areas followed their commune.
		kdc := decode[detail](t, e.do(request{method: "GET", path: "/api/v1/units/25195-KDC01?as_of=2025-08-01", as: root, cred: bearer}).body)
		if *kdc.ParentCode != "25210" {
			t.Errorf("25195-KDC01 under %s today", *kdc.ParentCode)
		}
	})
}

// The unit page shows predecessors and successors with dates, and the old
// URL opens the old unit as it was.
func TestUnitPageLineage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		res := e.do(request{method: "POST", path: "/api/v1/units/reorganise?file=r.csv", as: root, cred: bearer, contentType: "text/csv", raw: []byte(reorgHead +
			"split,2025-07-01,25195,25210,Phường Đồng Xoài,Phường,70,60%" + reorgLegal +
			"split,2025-07-01,25195,25211,Phường Bình Phước,Phường,70,40%" + reorgLegal +
			"merge,2025-07-01,25200,25210,,,," + reorgLegal +
			"move,2025-07-01,25195-KDC01,,,,25210," + reorgLegal +
			"move,2025-07-01,25195-KDC02,,,,25211," + reorgLegal +
			"move,2025-07-01,25195-TH01,,,,25210," + reorgLegal +
			"abolish,2025-07-01,689,70,,,," + reorgLegal +
			"abolish,2025-07-01,693,70,,,," + reorgLegal)})
		if res.status != 200 {
			t.Fatalf("reorganise: %d %s", res.status, res.body)
		}
		page := e.do(request{method: "GET", path: "/units/25195", as: root, cred: session})
		for _, want := range []string{"<h1>Phường Tân Phú</h1>", "đến 30/06/2025", "Từ ngày 01/07/2025 đơn vị này trở thành",
			`href="/units/25210?as_of=2025-07-01">Phường Đồng Xoài</a> — chia tách, 60%`, "Phường Bình Phước</a> — chia tách, 40%", "căn cứ: 1662/NQ-UBTVQH15 ngày 16/06/2025 của Ủy ban Thường vụ Quốc hội"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("old unit page lacks %q", want)
			}
		}
		page = e.do(request{method: "GET", path: "/units/25210", as: root, cred: session})
		for _, want := range []string{"Hình thành từ", `href="/units/25195?as_of=2025-06-30">Phường Tân Phú</a> — chia tách, 60%`, "Xã Đoàn Kết</a> — sáp nhập, toàn bộ"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("new unit page lacks %q", want)
			}
		}
	})
}

// Accounts of an ended unit keep working on it as it was, are listed for
// reassignment with the successors, and an administrator moves them
// (audited).
func TestAccountsAcrossTheReform(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		clerk := e.addUser("phuong1", antq.RoleDataEntry, "25195", "")
		res := e.do(request{method: "POST", path: "/api/v1/units/reorganise?file=r.csv", as: root, cred: bearer, contentType: "text/csv", raw: []byte(reorgHead +
			"merge,2023-07-01,25195,25210,Phường Đồng Xoài,Phường,689,,12/NQ-HĐND,2023-06-01,HĐND tỉnh\n")})
		if res.status != 200 {
			t.Fatalf("reorganise: %d %s", res.status, res.body)
		}
		// Still works on its unit as it was.
		if res := e.do(request{method: "GET", path: "/api/v1/units/25195", as: clerk, cred: bearer}); res.status != 200 {
			t.Fatalf("clerk on the old unit: %d %s", res.status, res.body)
		}
		list, err := db.AccountsToReassign(antq.NewContextWithActor(context.Background(), antq.Actor{User: root.user}))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Username != "phuong1" || list[0].UnitEnded != antq.NewDate(2023, 6, 30) ||
			len(list[0].Successors) != 1 || list[0].Successors[0].Code != "25210" {
			t.Fatalf("accounts to reassign: %+v", list)
		}
		unit := "25210"
		if _, err := db.UpdateUser(antq.NewContextWithActor(context.Background(), antq.Actor{User: root.user}), "phuong1",
			store.UserChange{UnitCode: &unit, Reason: "sắp xếp đơn vị hành chính"}); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.AccountsToReassign(antq.NewContextWithActor(context.Background(), antq.Actor{User: root.user})); len(list) != 0 {
			t.Errorf("still listed: %+v", list)
		}
		audit := e.do(request{method: "GET", path: "/api/v1/audit?entity=user&key=phuong1&action=update", as: root, cred: bearer})
		if !strings.Contains(audit.body, "25210") || !strings.Contains(audit.body, "sắp xếp đơn vị hành chính") {
			t.Errorf("the move is not audited: %s", audit.body)
		}
	})
}

// An old name finds the old unit and what it became.
func TestSearchOldName(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		root := e.addUser("tinh", antq.RoleAdmin, "70", "")
		res := e.do(request{method: "POST", path: "/api/v1/units/reorganise?file=r.csv", as: root, cred: bearer, contentType: "text/csv", raw: []byte(reorgHead +
			"merge,2025-07-01,25195,25210,Phường Đồng Xoài,Phường,70," + reorgLegal +
			"merge,2025-07-01,25200,25210,,,," + reorgLegal +
			"abolish,2025-07-01,689,70,,,," + reorgLegal +
			"abolish,2025-07-01,693,70,,,," + reorgLegal)})
		if res.status != 200 {
			t.Fatalf("reorganise: %d %s", res.status, res.body)
		}
		type found struct {
			Units []struct {
				Code       string
				Successors []store.LineageLink
			}
		}
		got := decode[found](t, e.do(request{method: "GET", path: "/api/v1/units?q=T%C3%A2n%20Ph%C3%BA", as: root, cred: bearer}).body)
		ok := false
		for _, u := range got.Units {
			ok = ok || (u.Code == "25195" && len(u.Successors) == 1 && u.Successors[0].Code == "25210")
		}
		if !ok {
			t.Errorf("Tân Phú: the old commune and its successor: %+v", got)
		}
		got = decode[found](t, e.do(request{method: "GET", path: "/api/v1/units?q=dong%20xoai", as: root, cred: bearer}).body)
		codes := map[string]int{}
		for _, u := range got.Units {
			codes[u.Code] = len(u.Successors)
		}
		if n, ok := codes["689"]; !ok || n != 1 {
			t.Errorf("Đồng Xoài: the old district and its successor: %+v", got)
		}
		if _, ok := codes["25210"]; !ok {
			t.Errorf("Đồng Xoài: today's Phường Đồng Xoài missing: %+v", got)
		}
	})
}
