package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// TestUndoFromHistory is issue 16 item 8 through the pages: a data-entry
// user deletes a model (asked first), finds the deletion in the unit's
// history with a button to take it back, is asked again, and gets the
// model back under its id; the history says so, offers the undo of the
// newest change only, and a stale undo is refused with the reason.
func TestUndoFromHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		kp := e.addUser("kp1-hoantac", antq.RoleDataEntry, inUnit, "Trưởng khu phố Một")
		page := factsPage(inUnit)
		post := func(path string, form url.Values) response {
			return e.do(request{method: "POST", path: path, as: kp, cred: session, form: form})
		}
		if res := post(page+"/models", url.Values{"name": {"Tổ tự quản an ninh"}, "kind": {"khac"}, "status": {"new"}}); res.status != http.StatusSeeOther {
			t.Fatalf("create model: %d %s", res.status, res.body)
		}
		models, err := db.ListModels(e.sys, planID, inUnit)
		if err != nil || len(models) != 1 {
			t.Fatalf("models = %v, %v", models, err)
		}
		id := models[0].ID
		modelPath := fmt.Sprintf("%s/models/%d", page, id)
		if res := post(modelPath, url.Values{"action": {"delete"}}); res.status != 200 || !strings.Contains(res.body, "Đồng ý xóa mô hình") ||
			!strings.Contains(res.body, "Xóa mô hình “Tổ tự quản an ninh” (xây dựng mới, bắt đầu chưa ghi ngày) của Khu phố 1?") ||
			!strings.Contains(res.body, "hoàn tác được từ lịch sử") {
			t.Fatalf("delete asks first: %d %s", res.status, res.body)
		}
		if res := post(modelPath, url.Values{"action": {"delete"}, "confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", res.status, res.body)
		}
		key := fmt.Sprintf("%s/%s/%d", planID, inUnit, id)
		newest := func() int64 {
			recs, err := db.AuditRecords(e.sys, store.AuditFilter{Entity: "model", Key: key, Newest: true, Limit: 1})
			if err != nil || len(recs) == 0 {
				t.Fatalf("history of the model: %v, %v", recs, err)
			}
			return recs[0].ID
		}
		deletion := newest()
		undoPath := func(id int64) string { return fmt.Sprintf("%s/history/%d/undo", page, id) }
		undoButtons := func() []string {
			res := e.do(request{path: page, as: kp, cred: session})
			if res.status != 200 {
				t.Fatalf("facts page: %d", res.status)
			}
			var got []string
			for _, part := range strings.Split(res.body, `action="`)[1:] {
				if p, _, _ := strings.Cut(part, `"`); strings.HasSuffix(p, "/undo") {
					got = append(got, p)
				}
			}
			return got
		}
		if got := undoButtons(); len(got) != 1 || got[0] != undoPath(deletion) {
			t.Fatalf("undo buttons after the deletion = %v, want only %s", got, undoPath(deletion))
		}
		res := post(undoPath(deletion), url.Values{})
		if res.status != 200 || !strings.Contains(res.body, "Hoàn tác việc Trưởng khu phố Một đã xóa mô hình của Khu phố 1") ||
			!strings.Contains(res.body, "Đồng ý hoàn tác") {
			t.Fatalf("undo asks first: %d %s", res.status, res.body)
		}
		if models, _ := db.ListModels(e.sys, planID, inUnit); len(models) != 0 {
			t.Fatalf("the question restored the model already: %v", models)
		}
		res = post(undoPath(deletion), url.Values{"confirm": {"yes"}})
		if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "undone=model") {
			t.Fatalf("undo: %d %v %s", res.status, res.header, res.body)
		}
		models, err = db.ListModels(e.sys, planID, inUnit)
		if err != nil || len(models) != 1 || models[0].ID != id || models[0].Name != "Tổ tự quản an ninh" || models[0].State != antq.FactDraft {
			t.Fatalf("models after the undo = %+v, %v", models, err)
		}
		res = e.do(request{path: page + "?undone=model", as: kp, cred: session})
		// Said at the top and inside the history, where the page lands.
		_, history, _ := strings.Cut(res.body, `id="history"`)
		if !strings.Contains(res.body, "Đã hoàn tác thay đổi mô hình.") || !strings.Contains(history, "Đã hoàn tác thay đổi mô hình.") ||
			!strings.Contains(res.body, "lý do: hoàn tác việc xóa") {
			t.Fatalf("facts page after the undo does not say so: %s", res.body)
		}
		restore := newest()
		if got := undoButtons(); len(got) != 1 || got[0] != undoPath(restore) {
			t.Fatalf("undo buttons after the undo = %v, want only %s", got, undoPath(restore))
		}
		res = post(undoPath(deletion), url.Values{"confirm": {"yes"}})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "chỉ hoàn tác được thay đổi mới nhất") {
			t.Fatalf("a stale undo: %d %s", res.status, res.body)
		}
	})
}
