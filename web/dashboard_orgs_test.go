package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
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
	get := okGetter(t, base, client)
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
		label := "Cơ quan, doanh nghiệp, trường học trực thuộc (" + antq.FormatNumber(int64(n)) + ")"
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

// TestDashboardChildrenPaged: the dashboard lists its children a page at a
// time; following its "next" links walks every child the indicators API
// lists, in the same order, the organisations apart (orgs=1).
func TestDashboardChildrenPaged(t *testing.T) {
	base, client := demoAt(t, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), nil)
	get := okGetter(t, base, client)
	var api struct {
		Children []struct {
			Unit struct {
				Code string `json:"code"`
				Kind string `json:"kind"`
			} `json:"unit"`
		} `json:"children"`
	}
	const unit = "689"
	if err := json.Unmarshal([]byte(get("/api/v1/plans/"+demo.PlanID+"/indicators?unit="+unit+"&children_limit=1000")), &api); err != nil {
		t.Fatal(err)
	}
	orgKinds := map[string]bool{"agency": true, "enterprise": true, "school": true}
	var geographic, orgs []string
	for _, c := range api.Children {
		if orgKinds[c.Unit.Kind] {
			orgs = append(orgs, c.Unit.Code)
		} else {
			geographic = append(geographic, c.Unit.Code)
		}
	}
	if len(geographic) < 3 || len(orgs) < 3 {
		t.Fatalf("%s has %d geographic children and %d organisations: too few to page by two", unit, len(geographic), len(orgs))
	}
	// A child's row links to its dashboard; the organisations' sum row
	// links to orgs=1.
	rowLink := regexp.MustCompile(`<tr><th scope="row"><a href="/plans/[^"?]+/dashboard\?(?:ind=[^&"]+&amp;)?unit=([^&"]+)[^"]*">`)
	next := regexp.MustCompile(`<a href="([^"]+)">Trang sau ›</a>`)
	walk := func(path string) []string {
		var codes []string
		for pages := 0; path != ""; pages++ {
			if pages > 20 {
				t.Fatal("more than 20 pages")
			}
			page := get(path)
			for _, m := range rowLink.FindAllStringSubmatch(page, -1) {
				if m[1] != unit { // not the organisations' sum row
					codes = append(codes, m[1])
				}
			}
			path = ""
			if m := next.FindStringSubmatch(page); m != nil {
				path = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		return codes
	}
	if got := walk("/plans/" + demo.PlanID + "/dashboard?unit=" + unit + "&limit=2"); !slices.Equal(got, geographic) {
		t.Errorf("the dashboard's pages list %v, want %v", got, geographic)
	}
	if got := walk("/plans/" + demo.PlanID + "/dashboard?unit=" + unit + "&orgs=1&limit=2"); !slices.Equal(got, orgs) {
		t.Errorf("the organisations' pages list %v, want %v", got, orgs)
	}
	if page := get("/plans/" + demo.PlanID + "/dashboard?unit=" + unit); strings.Contains(page, "Trang sau") {
		t.Error("a district of a few communes is paged at the default page size")
	}
}

// okGetter returns a GET of a path under base that must answer 200 OK, and
// gives the body.
func okGetter(t *testing.T, base string, client *http.Client) func(path string) string {
	return func(path string) string {
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
}
