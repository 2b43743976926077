package web_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"

	"antq/demo"
)

// TestCommuneFilters: the commune filter of a failing list offers the
// communes of the unit the list is of (a province's under its districts
// too), and the inbox's those of the caller's unit: the same communes as
// the unit search finds there, in order, and none of another unit's.
func TestCommuneFilters(t *testing.T) {
	base, client := demoAt(t, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), nil)
	get := okGetter(t, base, client)
	// The communes the unit search finds under the admin's province, as of
	// the plan's last day, each with its parent.
	var list struct {
		Units []struct {
			Code       string `json:"code"`
			ParentCode string `json:"parent_code"`
		} `json:"units"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/units?kind=commune&as_of=2023-12-31&limit=500")), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total == 0 || list.Total > len(list.Units) {
		t.Fatalf("the search found %d communes, %d listed", list.Total, len(list.Units))
	}
	var province, district []string
	for _, u := range list.Units {
		province = append(province, u.Code)
		if u.ParentCode == "689" {
			district = append(district, u.Code)
		}
	}
	if len(district) == 0 || len(district) == len(province) {
		t.Fatalf("district 689 has %d of the province's %d communes: the test would not tell them apart", len(district), len(province))
	}
	option := regexp.MustCompile(`<option value="([^"]+)"`)
	options := func(page, id string) []string {
		t.Helper()
		sel := regexp.MustCompile(`(?s)<select id="` + id + `".*?</select>`).FindString(page)
		var codes []string
		for _, m := range option.FindAllStringSubmatch(sel, -1) {
			codes = append(codes, m[1])
		}
		return codes
	}
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	plan := "/plans/" + demo.PlanID
	for _, c := range []struct {
		path, id string
		want     []string
	}{
		{plan + "/failing/recognition?unit=70", "f-commune", province},
		{plan + "/failing/recognition?unit=689", "f-commune", district},
		{plan + "/failing/recognition?unit=25195", "f-commune", nil},
		{plan + "/inbox", "in-commune", province},
	} {
		got := options(get(c.path), c.id)
		if !slices.Equal(sorted(got), sorted(c.want)) {
			t.Errorf("%s: the commune filter offers %d communes %v, want %d %v", c.path, len(got), got, len(c.want), c.want)
		}
		if c.want != nil && !slices.Equal(got, c.want) {
			t.Errorf("%s: the communes are not in the search's (Vietnamese) order: %v, want %v", c.path, got, c.want)
		}
	}
}
