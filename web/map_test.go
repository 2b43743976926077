package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/store/storetest"
)

// regionClass is the colour class of the region of code on a map page.
func regionClass(t *testing.T, body, code string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="[^"]*" class="region (m-[a-z0-9]+)" data-code="` + code + `">`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no region %s on the map", code)
	}
	return m[1]
}

// The map's colours follow the indicator values: Bù Đăng with every unit
// registered is "met", Đồng Xoài with none is in the lowest class, and as
// Đồng Xoài registers three of its four units its colour moves up to the
// class just under the target (100 %); the legend counts the units in each
// class and names the target, and each region links to its own map.
func TestMapColoursFollowTheIndicator(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		layer, err := demo.Boundaries(demo.BoundaryFiles[0]) // Bình Phước's districts
		e.must(err)
		res, err := db.ImportBoundaries(e.sys, layer)
		e.must(err)
		if res.Shapes != 11 || res.Matched != 2 { // the fixture has Đồng Xoài and Bù Đăng
			t.Fatalf("import = %+v", res)
		}
		admin := e.addUser("quantri", antq.RoleAdmin, "70", "Quản trị")
		register := func(codes ...string) {
			for _, c := range codes {
				_, err := db.PutRegistration(e.sys, planID, c, antq.Registration{RegisteredOn: antq.MustDate("2023-03-15")})
				e.must(err)
			}
		}
		page := func() string {
			t.Helper()
			res := e.do(request{method: "GET", path: "/plans/" + planID + "/map?unit=70&ind=registration", as: admin, cred: session})
			if res.status != http.StatusOK {
				t.Fatalf("map: %d %s", res.status, res.body)
			}
			return res.body
		}
		register("25200", "25200-KDC01")
		body := page()
		if got := regionClass(t, body, "693"); got != "m-met2" {
			t.Errorf("Bù Đăng, 2/2 registered: class %s, want m-met2", got)
		}
		if got := regionClass(t, body, "689"); got != "m-miss3" {
			t.Errorf("Đồng Xoài, 0/4 registered: class %s, want m-miss3", got)
		}
		for _, want := range []string{`fill="#2166ac"`, `fill="#b2182b"`, "Chú giải — chỉ tiêu 100\u00a0%",
			"Thành phố Đồng Xoài: 0\u00a0/\u00a04 (0,0\u00a0%) — Chưa đạt", "Huyện Bù Đăng: 2\u00a0/\u00a02 (100,0\u00a0%) — Đạt",
			`<li data-class="miss3">`, "Chưa đạt: dưới 33,3 %: 1 đơn vị", "Đạt chỉ tiêu 100 %: 1 đơn vị",
			`href="/plans/` + planID + `/map?ind=registration&amp;unit=689"`} {
			if !strings.Contains(body, want) {
				t.Errorf("map page lacks %q", want)
			}
		}
		if n := strings.Count(body, `class="region `); n != 2 {
			t.Errorf("%d regions drawn, want the 2 districts of the plan's tree", n)
		}
		register("25195", "25195-KDC01", "25195-KDC02")
		body = page()
		if got := regionClass(t, body, "689"); got != "m-miss1" {
			t.Errorf("Đồng Xoài, 3/4 registered: class %s, want m-miss1", got)
		}
		if !strings.Contains(body, "Thành phố Đồng Xoài: 3\u00a0/\u00a04 (75,0\u00a0%) — Chưa đạt") || !strings.Contains(body, `fill="#fddbc7"`) {
			t.Errorf("after registering, the map lacks Đồng Xoài's 3/4 in its class")
		}
		if len(body) > 200_000 {
			t.Errorf("map page weighs %d bytes", len(body))
		}
		// A district's communes (2024) have no boundaries: its map falls
		// back to the bars, and says so.
		res2 := e.do(request{method: "GET", path: "/plans/" + planID + "/map?unit=689&ind=registration", as: admin, cred: session})
		if res2.status != 200 || !strings.Contains(res2.body, "Chưa có ranh giới hành chính của các đơn vị trực thuộc") || !strings.Contains(res2.body, `class="chart chart-wide"`) {
			t.Errorf("district map: %d, fallback missing", res2.status)
		}
		if res3 := e.do(request{method: "GET", path: "/plans/" + planID + "/map?unit=70&ind=khong-co", as: admin, cred: session}); res3.status != http.StatusNotFound {
			t.Errorf("unknown indicator: %d", res3.status)
		}
	})
}

// A boundary holds only in its period: a 2025 shape under an old code is
// not drawn on the 2023 plan's map, and loading boundaries needs the whole
// deployment's administrator.
func TestMapBoundariesAreDated(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		layer, err := demo.Boundaries(demo.BoundaryFiles[0])
		e.must(err)
		layer.ValidFrom, layer.ValidTo = antq.MustDate("2025-07-01"), antq.Date{}
		_, err = db.ImportBoundaries(e.sys, layer)
		e.must(err)
		admin := e.addUser("quantri", antq.RoleAdmin, "70", "Quản trị")
		res := e.do(request{method: "GET", path: "/plans/" + planID + "/map?unit=70", as: admin, cred: session})
		if res.status != 200 || strings.Contains(res.body, `class="region `) || !strings.Contains(res.body, "Chưa có ranh giới hành chính") {
			t.Fatalf("2023 map with 2025 shapes: %d, regions drawn: %v", res.status, strings.Contains(res.body, `class="region `))
		}
		district := e.addUser("quantrihuyen", antq.RoleAdmin, "689", "Quản trị huyện")
		if _, err := db.ImportBoundaries(antq.NewContextWithActor(e.sys, antq.Actor{User: district.user}), layer); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("a district administrator loading boundaries: %v", err)
		}
	})
}
