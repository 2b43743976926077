package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// identityOf is the registry number of the unit's model id.
func (w *world) identityOf(code string, id int64) int64 {
	models, err := w.db.ListModels(w.sys, planID, code)
	w.must(err)
	for _, m := range models {
		if m.ID == id {
			return m.Identity
		}
	}
	w.t.Fatalf("model %d of %s not found", id, code)
	return 0
}

// loadYearBefore loads a copy of the Bình Phước plan for 2022 (its own
// facts, the same tree).
func loadYearBefore(t *testing.T, e *env) string {
	t.Helper()
	body, err := os.ReadFile("../rules/data/plans/binh-phuoc-2023.json")
	e.must(err)
	var p map[string]any
	e.must(json.Unmarshal(body, &p))
	p["id"], p["year"] = "binh-phuoc-2022", 2022
	p["window"] = map[string]string{"from": "2022-01-01", "to": "2022-12-31"}
	delete(p, "tree_dates")
	out, _ := json.Marshal(p)
	_, err = e.db.LoadPlan(e.sys, "binh-phuoc-2022.json", out)
	e.must(err)
	return "binh-phuoc-2022"
}

// registryVariants: a model of the registry in scope, and the other
// unit's (404).
func registryVariants(prefix string) []variant {
	return []variant{
		{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
			return request{path: fmt.Sprintf("%s/%d", prefix, w.identityOf(inUnit, w.model(inUnit)))}
		}},
		{name: "another unit's model", out: true, build: func(w *world, _ *actor) request {
			return request{path: fmt.Sprintf("%s/%d", prefix, w.identityOf(outUnit, w.foreignMod))}
		}},
	}
}

// The registry pages: a data-entry user records that a model continues
// last year's and replicates the commune's; the unit's registry and the
// model's page show its years and replications in Vietnamese, the API
// answers the same; another commune's reader gets 404; a bad registry
// number is refused with the field named.
func TestRegistryPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		entry := e.addUser("nhaplieu", antq.RoleDataEntry, "25195", "Cán bộ nhập liệu")
		outsider := e.addUser("doanket", antq.RoleViewer, "25200", "Người xã khác")
		origin, err := db.CreateModel(e.sys, planID, "25195", antq.ModelInput{Name: ptr("Tổ tự quản phường"), Kind: ptr("tu_quan"), Status: ptr(antq.ModelNew)})
		e.must(err)
		base := "/plans/" + planID + "/units/25195-KDC01"
		// Last year's model of the residential area: the form offers to
		// continue it, and the entry then has both years.
		before := loadYearBefore(t, e)
		last, err := db.CreateModel(e.sys, before, "25195-KDC01", antq.ModelInput{Name: ptr("Camera khu phố"), Kind: ptr("khac"), Status: ptr(antq.ModelNew)})
		e.must(err)
		form := e.do(request{method: "GET", path: base, as: entry, cred: session})
		if !strings.Contains(form.body, "Tiếp nối mô hình năm trước") || !strings.Contains(form.body, fmt.Sprintf(`<option value="%d">Camera khu phố (số sổ %d, năm 2022: Xây dựng mới)</option>`, last.Identity, last.Identity)) {
			t.Fatalf("model form lacks last year's model:\n%s", truncate(form.body))
		}
		res := e.do(request{method: "POST", path: base + "/models", as: entry, cred: session,
			form: url.Values{"name": {"Camera khu phố (mở rộng)"}, "kind": {"khac"}, "status": {"consolidated"}, "continues": {fmt.Sprint(last.Identity)}}})
		if res.status != 303 {
			t.Fatalf("continuing model = %d: %s", res.status, truncate(res.body))
		}
		if got, err := db.ModelEntry(e.sys, planID, last.Identity); err != nil || len(got.Years) != 2 || got.Name != "Camera khu phố (mở rộng)" {
			t.Fatalf("continued entry = %+v, %v", got, err)
		}
		res = e.do(request{method: "POST", path: base + "/models", as: entry, cred: session,
			form: url.Values{"name": {"Tổ tự quản khu phố"}, "kind": {"tu_quan"}, "status": {"new"}, "replicates": {fmt.Sprint(origin.Identity)}}})
		if res.status != 303 {
			t.Fatalf("model form = %d: %s", res.status, truncate(res.body))
		}
		bad := e.do(request{method: "POST", path: base + "/models", as: entry, cred: session,
			form: url.Values{"name": {"Tổ khác"}, "kind": {"tu_quan"}, "status": {"new"}, "replicates": {"987654"}}})
		if bad.status != 422 || !strings.Contains(bad.body, "không có mô hình số 987654 trong sổ mô hình") {
			t.Fatalf("bad registry number = %d: %s", bad.status, truncate(bad.body))
		}
		page := e.do(request{method: "GET", path: "/plans/" + planID + "/units/25195/registry", as: entry, cred: session})
		for _, want := range []string{"Sổ mô hình — Phường Tân Phú", "Tổ tự quản khu phố", "Tổ tự quản phường", "Lượt được nhân rộng",
			"Tỷ lệ mô hình hiện có của xã, phường, thị trấn được củng cố"} {
			if !strings.Contains(page.body, want) {
				t.Fatalf("registry page lacks %q:\n%s", want, truncate(page.body))
			}
		}
		one := e.do(request{method: "GET", path: fmt.Sprintf("/plans/%s/models/%d", planID, origin.Identity), as: entry, cred: session})
		if one.status != 200 || !strings.Contains(one.body, "Được nhân rộng ở 1 nơi") || !strings.Contains(one.body, "Tổ tự quản khu phố") {
			t.Fatalf("model page = %d:\n%s", one.status, truncate(one.body))
		}
		api := e.do(request{method: "GET", path: "/api/v1/plans/" + planID + "/units/25195/registry", as: entry, cred: bearer})
		if api.status != 200 || !strings.Contains(api.body, `"replications":1`) {
			t.Fatalf("registry API = %d: %s", api.status, truncate(api.body))
		}
		for _, path := range []string{"/plans/" + planID + "/units/25195/registry", fmt.Sprintf("/plans/%s/models/%d", planID, origin.Identity),
			fmt.Sprintf("/api/v1/plans/%s/registry/%d", planID, origin.Identity)} {
			cred := session
			if strings.HasPrefix(path, "/api/") {
				cred = bearer
			}
			if res := e.do(request{method: "GET", path: path, as: outsider, cred: cred}); res.status != 404 {
				t.Fatalf("%s for another commune = %d", path, res.status)
			}
		}
	})
}
