package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// The assessment of a commune police as the unit's facts page and the API
// show it, on both engines: the section with the window marked unverified,
// a refused form naming the field in Vietnamese, a decided assessment
// locked against change and deletion, a unit that is not a collective
// refused.
func TestCollectiveAssessmentPageAndAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		recs, err := unitfile.Read("ca.csv", strings.NewReader("level,code,name,type,parent_code\ncommune_police,25195-CA,Công an phường Tân Phú,Công an phường,25195\n"),
			unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(antq.SystemContext(context.Background()), "ca.csv", recs); err != nil {
			t.Fatal(err)
		}
		page := "/plans/binh-phuoc-2023/units/25195-CA"
		api := "/api/v1/plans/binh-phuoc-2023/units/25195-CA/collective-assessment"
		form := url.Values{"level": {"tot"}, "assessed_on": {"2023-11-20"}, "assessed_by": {"Chủ tịch UBND phường Tân Phú"}, "basis": {""}}
		decided := `{"level":"tot","assessed_on":"2023-11-20","assessed_by":"Chủ tịch UBND phường Tân Phú","basis":"Biên bản họp ngày 20/11/2023",
			"decision":{"number":"15/QĐ-UBND","date":"2023-11-25","issuer":"UBND phường Tân Phú"}}`
		for _, tt := range []struct {
			name, method, path, body string
			want                     int
			contains, lacks          []string
		}{
			{"the section", "GET", page, "", 200, []string{`id="collective_assessment"`, "Chưa đánh giá", "15/11/2022 – 14/11/2023", "chưa xác minh", "Hoàn thành xuất sắc nhiệm vụ"}, nil},
			{"no section on a residential area", "GET", "/plans/binh-phuoc-2023/units/25195-KDC01", "", 200, nil, []string{`id="collective_assessment"`}},
			{"a form without basis", "POST", page + "/collective-assessment", form.Encode(), 422, []string{"cần căn cứ đánh giá", `value="Chủ tịch UBND phường Tân Phú"`}, nil},
			{"decided through the API", "PUT", api, decided, 200, []string{`"level":"tot"`, `"number":"15/QĐ-UBND"`}, nil},
			{"shown on the page", "GET", page, "", 200, []string{"Hoàn thành tốt nhiệm vụ", "15/QĐ-UBND", "không sửa, không xóa được"}, []string{"Xóa đánh giá"}},
			{"in the unit's facts", "GET", "/api/v1/plans/binh-phuoc-2023/units/25195-CA", "", 200, []string{`"collective_assessment":{"level":"tot"`, `"collective_assessment":"v`}, nil},
			{"a change without a new decision", "PUT", api, strings.Replace(decided, `"tot"`, `"xuat_sac"`, 1), 409, []string{"15/QĐ-UBND"}, nil},
			{"deleting a decided assessment", "DELETE", api, "", 409, []string{"không xóa được"}, nil},
			{"a commune is not a collective", "PUT", "/api/v1/plans/binh-phuoc-2023/units/25195/collective-assessment", decided, 422, []string{`"unit":`}, nil},
		} {
			var status int
			var body []byte
			if tt.method == "POST" {
				status, body = e.do(t, "POST", tt.path, "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			} else {
				status, body = e.json(t, tt.method, tt.path, tt.body)
			}
			if status != tt.want {
				t.Errorf("%s: status %d, want %d: %.600s", tt.name, status, tt.want, body)
				continue
			}
			for _, s := range tt.contains {
				if !strings.Contains(string(body), s) {
					t.Errorf("%s: no %q in %.2000s", tt.name, s, body)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(string(body), s) {
					t.Errorf("%s: %q shown", tt.name, s)
				}
			}
		}
	})
}
