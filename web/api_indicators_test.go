package web_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// The indicators answer gives the children a page at a time, in Vietnamese
// order, with their total; a page past the end is empty; a bad size is
// refused naming the parameter.
func TestIndicatorsChildrenPaged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		type page struct {
			Children []struct {
				Unit struct{ Code string }
			}
			Total  int `json:"children_total"`
			Offset int `json:"children_offset"`
			Limit  int `json:"children_limit"`
		}
		get := func(query string) page {
			t.Helper()
			status, body := e.json(t, "GET", P+"/indicators?unit=689"+query, "")
			if status != 200 {
				t.Fatalf("indicators%s = %d %s", query, status, body)
			}
			var p page
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		all := get("")
		if all.Total < 3 || len(all.Children) != all.Total || all.Limit != 100 || all.Offset != 0 {
			t.Fatalf("the first page: %d of %d children, offset %d, limit %d", len(all.Children), all.Total, all.Offset, all.Limit)
		}
		var walked []string
		for off := 0; off < all.Total; off += 2 {
			p := get("&children_limit=2&children_offset=" + strconv.Itoa(off))
			if p.Total != all.Total || p.Offset != off || p.Limit != 2 || len(p.Children) != min(2, all.Total-off) {
				t.Fatalf("page at %d: %d children of %d, offset %d, limit %d", off, len(p.Children), p.Total, p.Offset, p.Limit)
			}
			for _, c := range p.Children {
				walked = append(walked, c.Unit.Code)
			}
		}
		var whole []string
		for _, c := range all.Children {
			whole = append(whole, c.Unit.Code)
		}
		if strings.Join(walked, ",") != strings.Join(whole, ",") {
			t.Fatalf("pages of two give %v, the whole list %v", walked, whole)
		}
		if p := get("&children_offset=" + strconv.Itoa(all.Total)); len(p.Children) != 0 || p.Total != all.Total {
			t.Fatalf("past the end: %d children of %d", len(p.Children), p.Total)
		}
		if status, body := e.json(t, "GET", P+"/indicators?unit=689&children_limit=5000", ""); status != 400 || !strings.Contains(string(body), `"children_limit"`) {
			t.Fatalf("children_limit=5000 = %d %s", status, body)
		}
	})
}
