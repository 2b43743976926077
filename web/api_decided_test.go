package web_test

import (
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// Through the API, on both databases: a decided result is neither
// overwritten nor deleted, a grade against its band needs a reason, a
// decision in the future or outside the window is refused, a propaganda
// total other than the registered size needs a reason, and a model is
// effective only when assessed. Every exchange is checked against the
// OpenAPI document (contractCheck).
func TestDecidedResultsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		const area = P + "/units/25195-KDC01"
		for _, tt := range []struct {
			name, method, path, body string
			want                     int
			contains                 []string
		}{
			{"register", "PUT", area + "/registration", `{"registered_on":"2023-03-15"}`, 200, nil},
			{"recognition decided", "PUT", area + "/recognition", `{"result":"dat","decided_on":"2023-11-20","decision":{"number":"120/QĐ-UBND","date":"2023-11-20","issuer":"UBND phường Tân Phú"}}`, 200, []string{`"replaced_decision":null`}},
			{"overwrite without a decision", "PUT", area + "/recognition", `{"result":"chua_dat","decided_on":"2023-11-25"}`, 409, []string{"120/QĐ-UBND"}},
			{"overwrite under the same decision", "PUT", area + "/recognition", `{"result":"chua_dat","decided_on":"2023-11-20","decision":{"number":"120/QĐ-UBND","date":"2023-11-20"}}`, 409, nil},
			{"new decision not naming the old", "PUT", area + "/recognition", `{"result":"chua_dat","decided_on":"2023-12-01","decision":{"number":"131/QĐ-UBND","date":"2023-12-01"}}`, 409, []string{`"replaces":`}},
			{"delete a decided result", "DELETE", area + "/recognition", "", 409, nil},
			{"replace by a new decision", "PUT", area + "/recognition", `{"result":"chua_dat","decided_on":"2023-12-01","decision":{"number":"131/QĐ-UBND","date":"2023-12-01"},"replaces":"120/QĐ-UBND"}`, 200, []string{`"replaced_decision":{"number":"120/QĐ-UBND"`}},
			{"shown with the replaced decision", "GET", area, "", 200, []string{`"replaced_decision":{"number":"120/QĐ-UBND"`}},
			{"grade against its band", "PUT", area + "/grade", `{"grade":"kha","score":40}`, 422, []string{`"override_reason":`, "Yếu"}},
			{"grade decision in the future", "PUT", area + "/grade", `{"grade":"yeu","score":40,"decision":{"number":"9/QĐ","date":"2024-02-02"}}`, 422, []string{`"decision.date":`}},
			{"grade decision outside the window", "PUT", area + "/grade", `{"grade":"yeu","score":40,"decision":{"number":"9/QĐ","date":"2022-05-02"}}`, 422, []string{`"decision.date":`}},
			{"grade by its band", "PUT", area + "/grade", `{"grade":"yeu","score":40}`, 200, []string{`"rubric_grade":"yeu"`, `"overridden":false`}},
			{"grade overridden with a reason", "PUT", area + "/grade", `{"grade":"kha","score":40,"override_reason":"Hội đồng chấm lại"}`, 200, []string{`"rubric_grade":"yeu"`, `"overridden":true`}},
			{"propaganda total without a reason", "PUT", area + "/propaganda", `{"reached":100,"total":150,"as_of":"2023-10-31"}`, 422, []string{`"total_reason":`}},
			{"propaganda total with a reason", "PUT", area + "/propaganda", `{"reached":100,"total":150,"as_of":"2023-10-31","total_reason":"250 hộ giải tỏa"}`, 200, []string{`"registered_total":400`, `"total_reason":"250 hộ giải tỏa"`}},
			{"model effective unassessed", "POST", P + "/units/25195/models", `{"name":"Camera","kind":"tu_bao_ve","status":"new","effective":true}`, 422, []string{`"effective":`}},
			{"model not yet assessed", "POST", P + "/units/25195/models", `{"name":"Camera","kind":"tu_bao_ve","status":"new"}`, 201, []string{`"effective":false`, `"assessment":null`}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body := e.json(t, tt.method, tt.path, tt.body)
				if status != tt.want {
					t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, status, body, tt.want)
				}
				for _, c := range tt.contains {
					if !strings.Contains(string(body), c) {
						t.Errorf("answer %s lacks %s", body, c)
					}
				}
			})
		}
	})
}
