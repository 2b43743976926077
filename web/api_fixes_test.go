package web_test

// Regression tests for the server defects the contract test of issue 21
// found: a wrong method, null values, the bulk endpoint on things that do
// not exist, and messages that named Go types.

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// A path the route table knows under other methods answers 405 with Allow,
// on the API and on pages; a path it does not know stays 404.
func TestAPIWrongMethodIs405(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newAPIEnv(t, db)
	for _, tt := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"PATCH", "/api/v1/units/25195", 405, "GET, HEAD"},
		{"GET", P + "/units/25195/registration", 405, "PUT, DELETE"},
		{"PUT", P + "/dossiers/recognition/review", 405, "POST"},
		{"DELETE", "/login", 405, "GET, HEAD, POST"},
		{"GET", "/api/v1/khong-co", 404, ""},
		{"POST", "/khong-co", 404, ""},
	} {
		req, _ := http.NewRequest(tt.method, e.url+tt.path, nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body errorJSON
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != tt.want || res.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s = %d Allow %q, want %d Allow %q", tt.method, tt.path, res.StatusCode, res.Header.Get("Allow"), tt.want, tt.allow)
		}
		if tt.want == 405 && strings.HasPrefix(tt.path, "/api/") && (body.Error.Code != "method_not_allowed" || !strings.Contains(body.Error.Message, tt.allow)) {
			t.Errorf("%s %s: error body %+v", tt.method, tt.path, body.Error)
		}
	}
}

type errorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decodeError(t *testing.T, body []byte) errorJSON {
	t.Helper()
	var e errorJSON
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e
}

// null is refused where the document wants a string, number or object (and
// the document nowhere takes null): the request changes nothing.
func TestAPINullRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		if status, body := e.json(t, "PUT", P+"/units/25195-KDC01/registration", `{"registered_on":"2023-03-01"}`); status != 200 {
			t.Fatalf("register = %d %s", status, body)
		}
		status, body := e.json(t, "POST", P+"/units/25195-KDC01/models", `{"name":"Tổ tự quản","kind":"khac","status":"maintained"}`)
		if status != 201 {
			t.Fatalf("model = %d %s", status, body)
		}
		var model struct {
			ID        int64  `json:"id"`
			UpdatedAt string `json:"updated_at"`
		}
		json.Unmarshal(body, &model)
		for _, tt := range []struct {
			name, method, path, body, field string
		}{
			{"token for a null user", "POST", "/api/v1/tokens", `{"username":null}`, "username"},
			{"grade with a null decision", "PUT", P + "/units/25195-KDC01/grade", `{"grade":"kha","decision":null}`, "decision"},
			{"model patched with null", "PATCH", P + "/units/25195-KDC01/models/" + itoa(model.ID), `null`, "body"},
			{"null in a model field", "PATCH", P + "/units/25195-KDC01/models/" + itoa(model.ID), `{"name":null}`, "name"},
			{"null unit in a bulk step", "POST", P + "/dossiers/recognition/review", `{"units":[null]}`, "units[0]"},
			{"null deep in a dossier", "PATCH", P + "/units/25195-KDC01/dossiers/recognition", `{"criteria":[{"id":"kdc.1","verdict":"met"},{"id":"kdc.2","note":null}]}`, "criteria[1].note"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body := e.json(t, tt.method, tt.path, tt.body)
				if status != 400 {
					t.Fatalf("%s %s %s = %d %s, want 400", tt.method, tt.path, tt.body, status, body)
				}
				if got := decodeError(t, body); got.Error.Fields[tt.field] == "" {
					t.Fatalf("error names no %q: %s", tt.field, body)
				}
			})
		}
		_, body = e.json(t, "GET", P+"/units/25195-KDC01/models", "")
		if !bytes.Contains(body, []byte(`"updated_at":"`+model.UpdatedAt+`"`)) || !bytes.Contains(body, []byte("Tổ tự quản")) {
			t.Fatalf("a refused PATCH changed the model: %s (was updated %s)", body, model.UpdatedAt)
		}
		if _, body := e.json(t, "GET", P+"/units/25195-KDC01", ""); !bytes.Contains(body, []byte(`"grade":null`)) {
			t.Fatalf("a refused PUT recorded a grade: %s", body)
		}
	})
}

// The bulk endpoint answers an unknown plan or kind with 404 and an unknown
// action with 422, as the single-unit endpoint does, before any unit.
func TestAPIBulkUnknownPlanKindAction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		units := `{"units":["25195-KDC01"]}`
		for _, tt := range []struct {
			path string
			want int
			code string
		}{
			{"/api/v1/plans/nope/dossiers/recognition/review", 404, "not_found"},
			{P + "/dossiers/khen-thuong/review", 404, "not_found"},
			{P + "/dossiers/recognition/approve", 422, "invalid"},
		} {
			status, body := e.json(t, "POST", tt.path, units)
			if status != tt.want || decodeError(t, body).Error.Code != tt.code {
				t.Errorf("POST %s = %d %s, want %d %s", tt.path, status, body, tt.want, tt.code)
			}
			// The single-unit endpoint agrees.
			single := strings.Replace(tt.path, "/dossiers/", "/units/25195-KDC01/dossiers/", 1)
			if status, body := e.json(t, "POST", single, ""); status != tt.want {
				t.Errorf("POST %s = %d %s, want %d", single, status, body, tt.want)
			}
		}
	})
}

// Messages say which JSON type a field takes, never a Go type's name.
func TestAPIMessagesNameNoGoType(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newAPIEnv(t, db)
	if status, body := e.json(t, "PUT", P+"/units/25195-KDC01/registration", `{"registered_on":"2023-03-01"}`); status != 200 {
		t.Fatalf("register = %d %s", status, body)
	}
	for _, tt := range []struct {
		path, body, field, want string
	}{
		{P + "/units/25195-KDC01/dossiers/grading", `{"scores":[1]}`, "scores", "cần đối tượng JSON"},
		{P + "/units/25195-KDC01/dossiers/grading", `{"scores":{"item":"a"}}`, "scores", "cần danh sách (mảng JSON)"},
		{P + "/units/25195-KDC01/dossiers/recognition", `{"criteria":[{"id":1}]}`, "criteria.id", "cần chuỗi"},
		{P + "/units/25195-KDC01/dossiers/recognition", `{"documents":[{"code":"x","evidence_id":"7"}]}`, "documents.evidence_id", "cần số nguyên"},
	} {
		status, body := e.json(t, "PATCH", tt.path, tt.body)
		got := decodeError(t, body)
		if status != 400 || got.Error.Fields[tt.field] != tt.want {
			t.Errorf("PATCH %s = %d %s, want 400 with %s: %q", tt.body, status, body, tt.field, tt.want)
		}
		if bytes.Contains(body, []byte("store.")) || bytes.Contains(body, []byte("antq.")) || bytes.Contains(body, []byte("Input")) {
			t.Errorf("a Go type reached the user: %s", body)
		}
	}
}

// An upload whose fact field is empty says what to put there; one without
// the field before the file says the order.
func TestAPIEvidenceFactField(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newAPIEnv(t, db)
	if status, body := e.json(t, "PUT", P+"/units/25195/registration", `{"registered_on":"2023-03-01"}`); status != 200 {
		t.Fatalf("register = %d %s", status, body)
	}
	status, body := e.upload(t, "25195", "", "bien-ban.pdf", pdf)
	if got := decodeError(t, body); status != 422 || !strings.Contains(got.Error.Fields["fact"], "registration, propaganda") {
		t.Errorf("empty fact = %d %s, want 422 naming the facts", status, body)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "bien-ban.pdf")
	fw.Write(pdf)
	mw.Close()
	status, body = e.do(t, "POST", P+"/units/25195/evidence", mw.FormDataContentType(), &buf)
	if got := decodeError(t, body); status != 400 || !strings.Contains(got.Error.Message, "fact phải đứng trước") {
		t.Errorf("no fact = %d %s, want 400 about the order", status, body)
	}
}

// The inbox refuses a state it does not know instead of listing nothing.
func TestAPIInboxUnknownState(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newAPIEnv(t, db)
	if status, body := e.json(t, "GET", P+"/inbox?state=submitted&state=approved", ""); status != 400 || decodeError(t, body).Error.Fields["state"] == "" {
		t.Errorf("unknown state = %d %s, want 400 naming state", status, body)
	}
	if status, body := e.json(t, "GET", P+"/inbox?state=decided", ""); status != 200 {
		t.Errorf("state=decided = %d %s", status, body)
	}
}
