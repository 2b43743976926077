package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/demo"
)

// TestDashboardOrganisationsRow: the dashboard sums the organisations a
// unit manages directly into one row; its count and its figures are those
// of the organisations the indicators API lists one by one.
func TestDashboardOrganisationsRow(t *testing.T) {
	base, client := demoAt(t, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), nil)
	get := func(path string) string {
		t.Helper()
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %.300s", path, res.StatusCode, body)
		}
		return string(body)
	}
	orgKinds := map[string]bool{"agency": true, "enterprise": true, "school": true}
	checked := 0
	for _, code := range []string{"70", "689", "25195"} {
		var api struct {
			Children []struct {
				Unit struct {
					Kind string `json:"kind"`
				} `json:"unit"`
				Indicators []struct {
					ID  string `json:"id"`
					Num int64  `json:"numerator"`
					Den int64  `json:"denominator"`
				} `json:"indicators"`
			} `json:"children"`
			Total int `json:"children_total"`
		}
		if err := json.Unmarshal([]byte(get("/api/v1/plans/"+demo.PlanID+"/indicators?unit="+code+"&children_limit=1000")), &api); err != nil {
			t.Fatal(err)
		}
		if api.Total != len(api.Children) {
			t.Fatalf("%s: %d of %d children listed", code, len(api.Children), api.Total)
		}
		n := 0
		var num, den int64
		for _, c := range api.Children {
			if !orgKinds[c.Unit.Kind] {
				continue
			}
			n++
			for _, f := range c.Indicators {
				if f.ID == "registration" {
					num, den = num+f.Num, den+f.Den
				}
			}
		}
		page := get("/plans/" + demo.PlanID + "/dashboard?unit=" + code + "&ind=registration")
		label := fmt.Sprintf("Cơ quan, doanh nghiệp, trường học trực thuộc (%d)", n)
		if n == 0 {
			if strings.Contains(page, "trường học trực thuộc (") {
				t.Errorf("%s: an organisations row without organisations", code)
			}
			continue
		}
		i := strings.Index(page, ">"+label+"</a>")
		if i < 0 {
			t.Errorf("%s: no row %q", code, label)
			continue
		}
		row := page[i:]
		row = row[:strings.Index(row, "</tr>")]
		// The first figure column is the registration.
		want := antq.FormatFraction(num, den)
		if cell := regexp.MustCompile(`<small>([^<]+)`).FindStringSubmatch(row); cell == nil || cell[1] != want {
			t.Errorf("%s: the organisations' registration cell %q, want %q", code, cell, want)
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("only %d units with organisations checked", checked)
	}
}
