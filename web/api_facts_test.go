package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/auth"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// apiFixture: a province, a district, a commune with two areas, an
// enterprise and a small enterprise.
const apiFixture = `level,code,name,type,parent_code,households,staff,small_enterprise
province,70,Tỉnh Bình Phước,Tỉnh,,,,
district,689,Thành phố Đồng Xoài,Thành phố,70,,,
commune,25195,Phường Tân Phú,Phường,689,1000,,
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400,,
residential_area,25195-KDC02,Khu phố 2,Khu phố,25195,600,,
enterprise,689-DN001,Công ty TNHH An Phú,Công ty,689,,50,
enterprise,689-DN002,Công ty TNHH Bình Minh,Công ty,689,,8,x
`

type apiEnv struct {
	url   string
	token string
	db    *store.DB
}

func newAPIEnv(t *testing.T, db *store.DB) *apiEnv {
	t.Helper()
	sys := antq.SystemContext(context.Background())
	recs, err := unitfile.Read("api.csv", strings.NewReader(apiFixture), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(sys, "api.csv", recs); err != nil {
		t.Fatal(err)
	}
	storetest.Clock(db).Set(time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC))
	u, err := db.CreateUser(sys, store.NewUser{Username: "pv05", Role: antq.RoleAdmin, UnitCode: "70", PasswordHash: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewToken("antq_")
	if _, err := db.CreateToken(sys, u.ID, "test", auth.HashToken(token), token[:9]); err != nil {
		t.Fatal(err)
	}
	return &apiEnv{url: serveOn(t, db), token: token, db: db}
}

// user returns the env as another user, with a token of its own.
func (e *apiEnv) user(t *testing.T, name string, role antq.Role, unit string) *apiEnv {
	t.Helper()
	sys := antq.SystemContext(context.Background())
	u, err := e.db.CreateUser(sys, store.NewUser{Username: name, Role: role, UnitCode: unit, PasswordHash: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewToken("antq_")
	if _, err := e.db.CreateToken(sys, u.ID, "test", auth.HashToken(token), token[:9]); err != nil {
		t.Fatal(err)
	}
	return &apiEnv{url: e.url, token: token, db: e.db}
}

func (e *apiEnv) do(t *testing.T, method, path, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *apiEnv) json(t *testing.T, method, path, body string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return e.do(t, method, path, "application/json", r)
}

const P = "/api/v1/plans/binh-phuoc-2023"

func TestFactsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		// The commune approves what pv05 submits: only approved facts count
		// in the official figures.
		reviewer := e.user(t, "capx", antq.RoleReviewer, "25195")
		asReviewer := map[string]bool{"approve registration": true}
		for _, tt := range []struct {
			name, method, path, body string
			want                     int
			contains                 []string
		}{
			{"register", "PUT", P + "/units/25195-KDC01/registration", `{"registered_on":"2023-03-15","document":{"number":"12/BC-CAX","date":"2023-03-10","issuer":"Công an phường Tân Phú","title":"Đăng ký"}}`, 200, []string{`"registered_on":"2023-03-15"`, `"number":"12/BC-CAX"`}},
			{"submit registration", "POST", P + "/units/25195-KDC01/approval/submit", `{"fact":"registration"}`, 200, []string{`"state":"submitted"`}},
			{"approve registration", "POST", P + "/units/25195-KDC01/approval/approve", `{"fact":"registration"}`, 200, []string{`"state":"approved"`}},
			{"malformed JSON", "PUT", P + "/units/25195-KDC01/registration", `{"registered_on":`, 400, []string{`"code":"bad_request"`}},
			{"unknown field", "PUT", P + "/units/25195-KDC01/registration", `{"registered_on":"2023-03-15","signed_by":"x"}`, 400, []string{`"signed_by"`}},
			{"bad date", "PUT", P + "/units/25195-KDC01/registration", `{"registered_on":"15/03/2023"}`, 400, []string{"YYYY-MM-DD"}},
			{"ineligible unit names the rule", "PUT", P + "/units/689-DN002/registration", `{"registered_on":"2023-03-15"}`, 422, []string{`"unit":`, "siêu nhỏ", "TT 124/2021/TT-BCA"}},
			{"date outside window", "PUT", P + "/units/25195/registration", `{"registered_on":"2022-01-15"}`, 422, []string{`"registered_on":`}},
			{"unknown plan", "PUT", "/api/v1/plans/nope/units/25195/registration", `{"registered_on":"2023-03-15"}`, 404, []string{`"not_found"`}},
			{"unknown unit", "PUT", P + "/units/00000/registration", `{"registered_on":"2023-03-15"}`, 404, []string{`"not_found"`}},
			{"propaganda above total", "PUT", P + "/units/25195-KDC01/propaganda", `{"reached":401,"as_of":"2023-10-31"}`, 422, []string{`"reached":`, "400"}},
			{"propaganda negative", "PUT", P + "/units/25195-KDC01/propaganda", `{"reached":-1,"total":10,"as_of":"2023-10-31"}`, 422, []string{`"reached":`}},
			{"propaganda wrong type", "PUT", P + "/units/25195-KDC01/propaganda", `{"reached":"many","as_of":"2023-10-31"}`, 400, []string{`"reached":`}},
			{"propaganda", "PUT", P + "/units/25195-KDC01/propaganda", `{"reached":350,"as_of":"2023-10-31"}`, 200, []string{`"total":400`}},
			{"model unknown kind", "POST", P + "/units/25195/models", `{"name":"Camera","kind":"tu_bay","status":"new"}`, 422, []string{`"kind":`, "tu_quan"}},
			{"model", "POST", P + "/units/25195/models", `{"name":"Camera an ninh","kind":"tu_bao_ve","status":"new","effective":true,"started_on":"2023-05-01","members":12,"assessment":{"on":"2023-10-15","by":"Công an phường","basis":"Biên bản kiểm tra 3/BB"}}`, 201, []string{`"id":`}},
			{"incident unknown category", "POST", P + "/units/25195-KDC01/incidents", `{"occurred_on":"2023-05-01","category":"bao","description":"x"}`, 422, []string{`"category":`}},
			{"recognition without registration", "PUT", P + "/units/25195-KDC02/recognition", `{"result":"dat","decided_on":"2023-11-20"}`, 422, []string{`"unit":`}},
			{"recognition unknown result", "PUT", P + "/units/25195-KDC01/recognition", `{"result":"tot","decided_on":"2023-11-20"}`, 422, []string{`"result":`}},
			{"recognition", "PUT", P + "/units/25195-KDC01/recognition", `{"result":"dat","decided_on":"2023-11-20","decision":{"number":"120/QĐ-UBND","date":"2023-11-20"}}`, 200, []string{`"result":"dat"`}},
			{"grade two decimals", "PUT", P + "/units/25195-KDC01/grade", `{"grade":"kha","score":85.25}`, 400, []string{"một chữ số thập phân"}},
			{"grade unknown", "PUT", P + "/units/25195-KDC01/grade", `{"grade":"gioi"}`, 422, []string{`"grade":`}},
			{"grade", "PUT", P + "/units/25195-KDC01/grade", `{"grade":"kha","score":85.5}`, 200, []string{`"score":85.5`}},
			{"facts", "GET", P + "/units/25195-KDC01", "", 200, []string{`"registration":{`, `"propaganda":{`, `"recognition":{`, `"grade":{`}},
			{"indicators", "GET", P + "/indicators?unit=25195", "", 200, []string{`"id":"registration"`, `"children":[`}},
			{"indicators: the plan as written", "GET", P + "/indicators?unit=25195", "", 200, []string{`"registered_on_time":1`, `"registered_late":0`, `"population":"all"`, `"population":"tt124_eligible"`, `"judged":{"reading":"R2"`, `"disagreeing":0`,
				`"pooled":{"households_reached":0,"households":1000,"value":0,"at_threshold":false}`}},
			{"indicators unknown plan", "GET", "/api/v1/plans/nope/indicators", "", 404, nil},
			{"indicators unknown unit", "GET", P + "/indicators?unit=00000", "", 404, nil},
			{"failing unknown indicator", "GET", P + "/indicators/happiness/failing", "", 404, nil},
			{"failing", "GET", P + "/indicators/registration/failing?unit=689", "", 200, []string{`"25195-KDC02"`, "Chưa đăng ký"}},
			{"plans", "GET", "/api/v1/plans", "", 200, []string{`"binh-phuoc-2023"`, `"31/KH-UBND"`}},
			{"plan", "GET", P, "", 200, []string{`"tt124-2021"`, `"verified":false`}},
			{"delete grade", "DELETE", P + "/units/25195-KDC01/grade", "", 204, nil},
			{"delete grade again", "DELETE", P + "/units/25195-KDC01/grade", "", 404, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ee := e
				if asReviewer[tt.name] {
					ee = reviewer
				}
				status, body := ee.json(t, tt.method, tt.path, tt.body)
				if status != tt.want {
					t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, status, body, tt.want)
				}
				for _, c := range tt.contains {
					if !bytes.Contains(body, []byte(c)) {
						t.Errorf("body %s does not contain %s", body, c)
					}
				}
			})
		}
		// Models: change and delete by id; another unit's path does not reach it.
		status, body := e.json(t, "GET", P+"/units/25195/models", "")
		var list struct{ Models []antq.Model }
		json.Unmarshal(body, &list)
		if status != 200 || len(list.Models) != 1 {
			t.Fatalf("models = %d %s", status, body)
		}
		id := list.Models[0].ID
		if status, body := e.json(t, "PATCH", P+"/units/25195/models/"+itoa(id), `{"effective":false}`); status != 200 || !bytes.Contains(body, []byte(`"effective":false`)) {
			t.Fatalf("patch = %d %s", status, body)
		}
		if status, _ := e.json(t, "PATCH", P+"/units/25195-KDC01/models/"+itoa(id), `{"effective":true}`); status != 404 {
			t.Fatalf("foreign model id = %d, want 404", status)
		}
		if status, _ := e.json(t, "DELETE", P+"/units/25195/models/"+itoa(id), ""); status != 204 {
			t.Fatalf("delete model = %d", status)
		}
		// Every accepted change is in the audit trail with old and new.
		recs, err := db.AuditRecords(antq.SystemContext(context.Background()), store.AuditFilter{Entity: "model"})
		if err != nil || len(recs) != 3 || recs[1].Old == nil || recs[1].New == nil || recs[2].New != nil || recs[0].Username != "pv05" {
			t.Fatalf("model audit = %+v, %v", recs, err)
		}
	})
}

func itoa(n int64) string { return jsonNum(n) }

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

// upload posts a file as the evidence form does.
func (e *apiEnv) upload(t *testing.T, code, fact, name string, content []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("fact", fact)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return e.do(t, "POST", P+"/units/"+code+"/evidence", mw.FormDataContentType(), &buf)
}

func TestEvidenceAPI(t *testing.T) {
	storetest.ForEachWith(t, store.Options{EvidenceLimits: store.EvidenceLimits{MaxBytes: 4 << 10}}, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		if status, body := e.json(t, "PUT", P+"/units/25195/registration", `{"registered_on":"2023-03-01"}`); status != 200 {
			t.Fatalf("register = %d %s", status, body)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		status, body := e.upload(t, "25195", "registration", "đăng-ký.pdf", pdf)
		if status != 201 {
			t.Fatalf("upload = %d %s", status, body)
		}
		var ev antq.Evidence
		json.Unmarshal(body, &ev)
		for _, tt := range []struct {
			name, fact, file string
			content          []byte
			want             int
			field            string
		}{
			{"over the size limit", "registration", "big.pdf", append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 8<<10)...), 422, "file"},
			{"disallowed type", "registration", "tool.exe", []byte("MZ\x90\x00\x03"), 422, "file"},
			{"content not matching extension", "registration", "photo.png", pdf, 422, "file"},
			{"fact not recorded", "grade", "a.pdf", pdf, 422, "fact"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body := e.upload(t, "25195", tt.fact, tt.file, tt.content)
				if status != tt.want || !bytes.Contains(body, []byte(`"`+tt.field+`":`)) {
					t.Fatalf("= %d %s, want %d naming %s", status, body, tt.want, tt.field)
				}
			})
		}
		status, got := e.do(t, "GET", P+"/units/25195/evidence/"+jsonNum(ev.ID), "", nil)
		if status != 200 || !bytes.Equal(got, pdf) {
			t.Fatalf("download = %d, %d bytes", status, len(got))
		}
		if status, _ := e.do(t, "GET", P+"/units/25195-KDC01/evidence/"+jsonNum(ev.ID), "", nil); status != 404 {
			t.Fatalf("evidence through another unit's path = %d, want 404", status)
		}
	})
}
