package web_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"antq/store"
	"antq/store/storetest"
)

func TestDossierAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
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
		}{
			{"unknown kind", "GET", P + "/units/25195-KDC01/dossiers/khen-thuong", "", 404, ""},
			{"ineligible unit", "GET", P + "/units/689-DN002/dossiers/recognition", "", 422, `"unit"`},
			{"submit without documents", "POST", base + "/submit", "", 422, `"documents"`},
			{"unknown criterion", "PATCH", base, `{"criteria":[{"id":"kdc.9","verdict":"met"}]}`, 422, `"criteria[0].id"`},
			{"override without reason", "PATCH", base, `{"criteria":[{"id":"kdc.1","verdict":"not_met"}]}`, 422, `"criteria[0].override_reason"`},
			{"save", "PATCH", base, `{"criteria":[` + strings.Join(crit, ",") + `],"documents":[` + strings.Join(docs, ",") + `]}`, 200, `"result":"dat"`},
			{"unknown action", "POST", base + "/approve", "", 422, `"action"`},
			{"submit", "POST", base + "/submit", "", 200, `"state":"submitted"`},
			{"return without reason", "POST", base + "/return", `{}`, 422, `"reason"`},
			{"inbox", "GET", P + "/inbox", "", 200, `"25195-KDC01"`},
			{"bulk review", "POST", P + "/dossiers/recognition/review", `{"units":["25195-KDC01","25195-KDC02"]}`, 200, `"succeeded":1`},
			{"decide without number", "POST", base + "/decide", `{"decision_date":"2023-11-15"}`, 422, `"decision_number"`},
			{"decide", "POST", base + "/decide", `{"decision_number":"120/QĐ-UBND","decision_date":"2023-11-15"}`, 200, `"state":"decided"`},
			{"locked", "PATCH", base, `{"criteria":[{"id":"kdc.2","verdict":"not_met"}]}`, 409, ""},
			{"direct entry locked", "PUT", P + "/units/25195-KDC01/recognition", `{"result":"chua_dat","decided_on":"2023-11-20"}`, 409, ""},
			{"fact shows the decision", "GET", P + "/units/25195-KDC01", "", 200, `"number":"120/QĐ-UBND"`},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body := e.json(t, tt.method, tt.path, tt.body)
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
