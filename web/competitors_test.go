package web_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// Who competes, as the API and the unit page show it: a budget-funded
// socio-political organisation registers as an agency, an enterprise
// without legal personality is refused with the plan's reason, a commune's
// police is a collective.
func TestWhoCompetesPagesAndAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		recs, err := unitfile.Read("more.csv", strings.NewReader(`level,code,name,type,parent_code,staff,budget_funded,no_legal_entity
socio_political_org,70-HPN,Hội Liên hiệp Phụ nữ tỉnh,Hội,70,40,x,
enterprise,689-DN003,Chi nhánh Công ty CP Sao Mai,Chi nhánh,689,30,,x
commune_police,25195-CA,Công an phường Tân Phú,Công an phường,25195,,,
`), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(antq.SystemContext(context.Background()), "more.csv", recs); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, method, path, body string
			want                     int
			contains                 []string
		}{
			{"flags in the API", "GET", "/api/v1/units/70-HPN", "", 200, []string{`"budget_funded":true`, `"no_legal_entity":false`}},
			{"the union registers as an agency", "PUT", P + "/units/70-HPN/registration", `{"registered_on":"2023-03-15"}`, 200, []string{`"registered_on":"2023-03-15"`}},
			{"the branch is not among those who compete", "PUT", P + "/units/689-DN003/registration", `{"registered_on":"2023-03-15"}`, 422, []string{"đối tượng thi đua", "tư cách pháp nhân"}},
			{"the police does not register", "PUT", P + "/units/25195-CA/registration", `{"registered_on":"2023-03-15"}`, 422, []string{`"unit":`}},
			{"the union's page", "GET", "/units/70-HPN", "", 200, []string{"hưởng ngân sách nhà nước", "như cơ quan"}},
			{"the branch's page", "GET", "/units/689-DN003", "", 200, []string{"không có tư cách pháp nhân"}},
			{"the police's page", "GET", "/units/25195-CA", "", 200, []string{"Công an xã, phường, thị trấn", "Tập thể thuộc lực lượng ở cơ sở"}},
		} {
			status, body := e.json(t, tt.method, tt.path, tt.body)
			if status != tt.want {
				t.Errorf("%s: status %d, want %d: %s", tt.name, status, tt.want, body)
				continue
			}
			for _, s := range tt.contains {
				if !strings.Contains(string(body), s) {
					t.Errorf("%s: no %q in %s", tt.name, s, body)
				}
			}
		}
	})
}
