package web_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

func TestDossierAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		// The commune's data entry prepares and submits; the province's
		// administrator (e) reviews and decides: whoever submits a dossier
		// neither reviews nor decides it.
		clerk := e.as(t, "tanphu-nl", antq.RoleDataEntry, "25195")
		base := P + "/units/25195-KDC01/dossiers/recognition"
		if status, body := e.json(t, "PUT", P+"/units/25195-KDC01/registration", `{"registered_on":"2023-02-10"}`); status != 200 {
			t.Fatalf("register = %d %s", status, body)
		}
		status, body := e.json(t, "GET", base, "")
		if status != 200 || !bytes.Contains(body, []byte(`"state":"draft"`)) || !bytes.Contains(body, []byte(`"suggested":"met"`)) {
			t.Fatalf("dossier = %d %s", status, body)
		}
		var d struct {
			Criteria  []struct{ ID, Suggested string }
			Documents []struct {
				Code     string
				Required bool
			}
		}
		json.Unmarshal(body, &d)
		var crit, docs []string
		for _, c := range d.Criteria {
			if c.Suggested == "unknown" {
				crit = append(crit, `{"id":"`+c.ID+`","verdict":"met"}`)
			}
		}
		for _, doc := range d.Documents {
			if doc.Required {
				docs = append(docs, `{"code":"`+doc.Code+`","number":"01/X","date":"2023-11-05"}`)
			}
		}
		for _, tt := range []struct {
			name, method, path, body string
			want                     int
			contains                 string
			as                       *apiEnv // default e
		}{
			{"unknown kind", "GET", P + "/units/25195-KDC01/dossiers/khen-thuong", "", 404, "", nil},
			{"ineligible unit", "GET", P + "/units/689-DN002/dossiers/recognition", "", 422, `"unit"`, nil},
			{"submit without documents", "POST", base + "/submit", "", 422, `"documents"`, nil},
			{"unknown criterion", "PATCH", base, `{"criteria":[{"id":"kdc.9","verdict":"met"}]}`, 422, `"criteria[0].id"`, nil},
			{"override without reason", "PATCH", base, `{"criteria":[{"id":"kdc.1","verdict":"not_met"}]}`, 422, `"criteria[0].override_reason"`, nil},
			{"save", "PATCH", base, `{"criteria":[` + strings.Join(crit, ",") + `],"documents":[` + strings.Join(docs, ",") + `]}`, 200, `"result":"dat"`, clerk},
			{"unknown action", "POST", base + "/approve", "", 422, `"action"`, nil},
			{"submit", "POST", base + "/submit", "", 200, `"state":"submitted"`, clerk},
			{"data entry does not review", "POST", base + "/review", "", 403, `"forbidden"`, clerk},
			{"return without reason", "POST", base + "/return", `{}`, 422, `"reason"`, nil},
			{"inbox", "GET", P + "/inbox", "", 200, `"25195-KDC01"`, nil},
			{"bulk review", "POST", P + "/dossiers/recognition/review", `{"units":["25195-KDC01","25195-KDC02"]}`, 200, `"succeeded":1`, nil},
			{"decide without number", "POST", base + "/decide", `{"decision_date":"2023-11-15"}`, 422, `"decision_number"`, nil},
			{"decide", "POST", base + "/decide", `{"decision_number":"120/QĐ-UBND","decision_date":"2023-11-15"}`, 200, `"state":"decided"`, nil},
			{"locked", "PATCH", base, `{"criteria":[{"id":"kdc.2","verdict":"not_met"}]}`, 409, "", nil},
			{"direct entry locked", "PUT", P + "/units/25195-KDC01/recognition", `{"result":"chua_dat","decided_on":"2023-11-20"}`, 409, "", nil},
			{"fact shows the decision", "GET", P + "/units/25195-KDC01", "", 200, `"number":"120/QĐ-UBND"`, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				as := tt.as
				if as == nil {
					as = e
				}
				status, body := as.json(t, tt.method, tt.path, tt.body)
				if status != tt.want || (tt.contains != "" && !bytes.Contains(body, []byte(tt.contains))) {
					t.Fatalf("%s %s = %d %s, want %d with %s", tt.method, tt.path, status, body, tt.want, tt.contains)
				}
			})
		}
		// The results workbook has the decision.
		status, body = e.do(t, "GET", P+"/results.xlsx?unit=25195", "", nil)
		if status != 200 {
			t.Fatalf("xlsx = %d", status)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Khu dân cư")
		found := false
		for _, r := range rows {
			if len(r) > 7 && r[1] == "25195-KDC01" && r[6] == "Đạt" && r[7] == "120/QĐ-UBND" {
				found = true
			}
		}
		if !found {
			t.Fatalf("workbook rows = %q", rows)
		}
	})
}
