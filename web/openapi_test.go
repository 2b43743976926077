package web_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
)

// The OpenAPI document describes every /api/v1 route of the route table,
// and nothing else.
func TestOpenAPICoversTheAPI(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile("api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	routes := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) /api/v1(/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		routes[strings.ToLower(m[1])+" "+m[2]] = true
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			described[method+" "+path] = true
		}
	}
	for r := range routes {
		if !described[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range described {
		if !routes[d] {
			t.Errorf("openapi.json describes %s, which the route table lacks", d)
		}
	}
	if len(routes) < 20 {
		t.Fatalf("found only %d API routes: the pattern no longer matches routes.go", len(routes))
	}
}

// The metrics endpoint counts requests by route pattern, not by path.
func TestMetrics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		for range 3 {
			e.json(t, "GET", "/api/v1/units/25195", "")
		}
		status, body := e.do(t, "GET", "/metrics", "", nil)
		if status != 200 {
			t.Fatalf("metrics = %d", status)
		}
		want := `antq_http_requests_total{route="GET /api/v1/units/{code}",status="200"} 3`
		if !strings.Contains(string(body), want) || !strings.Contains(string(body), "go_goroutines") || !strings.Contains(string(body), "go_sql_open_connections") {
			t.Fatalf("metrics lack %q:\n%.2000s", want, body)
		}
		if strings.Contains(string(body), "25195") {
			t.Fatal("a unit code leaked into a metric label")
		}
	})
}
