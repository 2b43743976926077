package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// doMatch sends a JSON write with If-Match (none when version is "") and
// returns the status, the ETag and the body.
func (e *apiEnv) doMatch(t *testing.T, method, path, version, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	if version != "" {
		req.Header.Set("If-Match", version)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("ETag"), b
}

// Two users edit the same figure from the same version: the first write
// wins, the second gets 409 with the figure as the first left it and its
// version, and succeeds once it sends that version; the unit's facts list
// every version; a write without If-Match is not checked.
func TestStaleWritesAreRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		path := P + "/units/25195-KDC01/propaganda"
		st, v1, body := e.doMatch(t, "PUT", path, "", `{"reached":100,"as_of":"2023-10-31"}`)
		if st != 200 || v1 == "" {
			t.Fatalf("first write: %d ETag %q %s", st, v1, body)
		}
		var facts struct{ Versions map[string]string }
		if st, b := e.do(t, "GET", P+"/units/25195-KDC01", "", nil); st != 200 || json.Unmarshal(b, &facts) != nil || `"`+facts.Versions["propaganda"]+`"` != v1 {
			t.Fatalf("versions after the write = %v (%d %s), want propaganda %s", facts.Versions, st, b, v1)
		}
		// A and B both read v1. A writes first.
		st, v2, body := e.doMatch(t, "PUT", path, v1, `{"reached":150,"as_of":"2023-10-31"}`)
		if st != 200 || v2 == "" || v2 == v1 {
			t.Fatalf("A's write on %s: %d ETag %q %s", v1, st, v2, body)
		}
		st, tag, body := e.doMatch(t, "PUT", path, v1, `{"reached":120,"as_of":"2023-10-31"}`)
		var stale struct {
			Error struct {
				Code, Message, Version string
				Current                struct{ Reached int64 }
			}
		}
		if st != http.StatusConflict || json.Unmarshal(body, &stale) != nil {
			t.Fatalf("B's write on the stale %s: %d %s, want 409", v1, st, body)
		}
		if stale.Error.Current.Reached != 150 || `"`+stale.Error.Version+`"` != v2 || tag != v2 || !strings.Contains(stale.Error.Message, "người khác thay đổi") {
			t.Errorf("the 409 = %s (ETag %q); want the current figure 150 at version %s and a Vietnamese message", body, tag, v2)
		}
		if _, b := e.do(t, "GET", P+"/units/25195-KDC01", "", nil); !strings.Contains(string(b), `"reached":150`) {
			t.Errorf("after the refused write the figure is not A's: %s", b)
		}
		// B read again: its write on v2 goes through.
		if st, v3, body := e.doMatch(t, "PUT", path, v2, `{"reached":120,"as_of":"2023-10-31"}`); st != 200 || v3 == v2 {
			t.Fatalf("B's write on %s: %d ETag %q %s", v2, st, v3, body)
		}
		// A stale delete is refused too; "*" and no header are not checked.
		if st, _, body := e.doMatch(t, "DELETE", path, v2, ""); st != http.StatusConflict {
			t.Errorf("a delete on a stale version: %d %s, want 409", st, body)
		}
		if st, _, body := e.doMatch(t, "PUT", path, "*", `{"reached":130,"as_of":"2023-10-31"}`); st != 200 {
			t.Errorf("If-Match: * : %d %s, want 200", st, body)
		}
		if st, _, body := e.doMatch(t, "PUT", path, "", `{"reached":140,"as_of":"2023-10-31"}`); st != 200 {
			t.Errorf("no If-Match: %d %s, want 200", st, body)
		}
		// Models are versioned one by one.
		st, b := e.do(t, "POST", P+"/units/25195/models", "application/json", strings.NewReader(`{"name":"Tổ tự quản","kind":"tu_quan","status":"new","started_on":"2023-05-01","members":5}`))
		var m struct{ ID int64 }
		if st != 201 || json.Unmarshal(b, &m) != nil {
			t.Fatalf("model: %d %s", st, b)
		}
		mpath := P + "/units/25195/models/" + jsonInt(m.ID)
		st, mv1, body := e.doMatch(t, "PATCH", mpath, "", `{"members":6}`)
		if st != 200 || mv1 == "" {
			t.Fatalf("model patch: %d %q %s", st, mv1, body)
		}
		if st, _, _ := e.doMatch(t, "PATCH", mpath, mv1, `{"members":7}`); st != 200 {
			t.Fatalf("model patch on its version: %d", st)
		}
		if st, _, body := e.doMatch(t, "PATCH", mpath, mv1, `{"members":8}`); st != http.StatusConflict || !strings.Contains(string(body), `"members":7`) {
			t.Errorf("stale model patch: %d %s, want 409 with members 7", st, body)
		}
	})
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The forms carry the version they were drawn at: a save made on a page
// that another user's save has since overtaken is refused with 409, the
// page says so and shows the figure as it is now; saved again from the
// fresh page it goes through.
func TestStaleFormSaveIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.addUser("nhap-a", antq.RoleDataEntry, "25195", "Cán bộ A")
		b := e.addUser("nhap-b", antq.RoleDataEntry, "25195", "Cán bộ B")
		page := factsPage(inUnit)
		save := func(as *actor, version, reached string) response {
			return e.do(request{method: "POST", path: page + "/propaganda", as: as, cred: session,
				form: url.Values{"version": {version}, "reached": {reached}, "as_of": {"2023-06-30"}}})
		}
		if res := save(a, "", "100"); res.status != http.StatusSeeOther {
			t.Fatalf("first save: %d %s", res.status, res.body)
		}
		version := func(as *actor) string {
			res := e.do(request{method: "GET", path: page, as: as, cred: session})
			m := regexp.MustCompile(`action="[^"]*/propaganda" class="fact-form"><input type="hidden" name="version" value="(v\d+)">`).FindStringSubmatch(res.body)
			if m == nil {
				t.Fatalf("the propaganda form carries no version:\n%s", res.body)
			}
			return m[1]
		}
		va, vb := version(a), version(b) // both open the page
		if res := save(a, va, "150"); res.status != http.StatusSeeOther {
			t.Fatalf("A's save: %d %s", res.status, res.body)
		}
		res := save(b, vb, "120")
		if res.status != http.StatusConflict || !strings.Contains(res.body, "người khác thay đổi") || !strings.Contains(res.body, `value="150"`) {
			t.Fatalf("B's save on the overtaken page: %d; want 409 saying so and showing 150:\n%s", res.status, res.body)
		}
		if res := save(b, version(b), "120"); res.status != http.StatusSeeOther {
			t.Fatalf("B's save from the fresh page: %d %s", res.status, res.body)
		}
		_, facts, err := db.UnitFacts(antq.SystemContext(t.Context()), planID, inUnit)
		if err != nil || facts.Propaganda == nil || facts.Propaganda.Reached != 120 {
			t.Fatalf("figure after the saves: %+v %v, want 120", facts.Propaganda, err)
		}
	})
}
