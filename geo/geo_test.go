package geo_test

import (
	"os"
	"strings"
	"testing"

	"antq/geo"
)

func parseFile(t *testing.T, name string) *geo.Collection {
	t.Helper()
	f, err := os.Open("../demo/data/geo/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := geo.Parse(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every broken feature is reported with its number, its code and the
// reason, and the file yields nothing.
func TestParseReportsEveryBadFeature(t *testing.T) {
	square := `{"type":"Polygon","coordinates":[[[106,11],[107,11],[107,12],[106,12],[106,11]]]}`
	for _, tc := range []struct{ name, feature, want string }{
		{"no code", `{"type":"Feature","properties":{"name":"A"},"geometry":` + square + `}`, "thiếu mã đơn vị"},
		{"numeric code", `{"type":"Feature","properties":{"code":70},"geometry":` + square + `}`, "phải là chuỗi"},
		{"letters", `{"type":"Feature","properties":{"code":"7A"},"geometry":` + square + `}`, "chỉ gồm chữ số"},
		{"open ring", `{"type":"Feature","properties":{"code":"70"},"geometry":{"type":"Polygon","coordinates":[[[106,11],[107,11],[107,12],[106,12],[106,11.5]]]}}`, "không khép kín"},
		{"short ring", `{"type":"Feature","properties":{"code":"70"},"geometry":{"type":"Polygon","coordinates":[[[106,11],[107,11],[106,11]]]}}`, "ít hơn 4 điểm"},
		{"out of range", `{"type":"Feature","properties":{"code":"70"},"geometry":{"type":"Polygon","coordinates":[[[106,11],[207,11],[107,12],[106,11]]]}}`, "ngoài phạm vi"},
		{"a point", `{"type":"Feature","properties":{"code":"70"},"geometry":{"type":"Point","coordinates":[106,11]}}`, "Polygon hoặc MultiPolygon"},
		{"no geometry", `{"type":"Feature","properties":{"code":"70"},"geometry":null}`, "thiếu hình"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			good := `{"type":"Feature","properties":{"code":"689"},"geometry":` + square + `}`
			body := `{"type":"FeatureCollection","features":[` + good + `,` + tc.feature + `]}`
			c, err := geo.Parse("thu.geojson", strings.NewReader(body))
			if err == nil || c != nil {
				t.Fatalf("accepted: %+v", c)
			}
			if msg := err.Error(); !strings.Contains(msg, "thu.geojson") || !strings.Contains(msg, "đối tượng thứ 2") || !strings.Contains(msg, tc.want) {
				t.Fatalf("error = %q, want the file, the feature and %q", msg, tc.want)
			}
		})
	}
	dup := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"689"},"geometry":` + square +
		`},{"type":"Feature","properties":{"code":"689"},"geometry":` + square + `}]}`
	if _, err := geo.Parse("thu.geojson", strings.NewReader(dup)); err == nil || !strings.Contains(err.Error(), "trùng với đối tượng thứ 1") {
		t.Fatalf("duplicate code: %v", err)
	}
	if _, err := geo.Parse("thu.geojson", strings.NewReader(`{"type":"FeatureCollection","features":[`)); err == nil || !strings.Contains(err.Error(), "không phải tệp GeoJSON") {
		t.Fatalf("truncated file: %v", err)
	}
}

// Simplification reduces the points, keeps every shape and every ring
// closed with at least four points, and keeps shared borders shared: a
// point kept on a border two units shared is kept on both sides.
func TestSimplifyKeepsShapesAndSharedBorders(t *testing.T) {
	for _, name := range []string{"binh-phuoc-districts-2024.geojson", "dong-nai-communes-2025.geojson", "vn-provinces-2025.geojson"} {
		t.Run(name, func(t *testing.T) {
			c := parseFile(t, name)
			shapes, tol := geo.Prepare(c, 0)
			if len(shapes) != len(c.Shapes) {
				t.Fatalf("%d shapes after simplification, %d before", len(shapes), len(c.Shapes))
			}
			before, after := 0, 0
			sharedBy := map[geo.Point]map[string]bool{} // original point → shapes it lay on
			for _, s := range c.Shapes {
				before += s.Points()
				for _, p := range s.Geometry {
					for _, r := range p {
						for _, pt := range r {
							if sharedBy[pt] == nil {
								sharedBy[pt] = map[string]bool{}
							}
							sharedBy[pt][s.Code] = true
						}
					}
				}
			}
			keptBy := map[geo.Point]map[string]bool{}
			for i, s := range shapes {
				after += s.Points()
				if s.Code != c.Shapes[i].Code || len(s.Geometry) != len(c.Shapes[i].Geometry) {
					t.Fatalf("shape %s lost a part", s.Code)
				}
				for _, p := range s.Geometry {
					for _, r := range p {
						if len(r) < 4 || r[0] != r[len(r)-1] {
							t.Fatalf("shape %s: ring of %d points, closed %v", s.Code, len(r), r[0] == r[len(r)-1])
						}
						for _, pt := range r {
							if keptBy[pt] == nil {
								keptBy[pt] = map[string]bool{}
							}
							keptBy[pt][s.Code] = true
						}
					}
				}
			}
			if after >= before*3/4 {
				t.Fatalf("%d points kept of %d at %.0f m", after, before, tol)
			}
			broken := 0
			for pt, kept := range keptBy {
				for code := range sharedBy[pt] {
					if !kept[code] {
						broken++
					}
				}
			}
			// A ring too small for its own simplification falls back to
			// three of its points; allow those few, nothing systematic.
			if broken > before/1000 {
				t.Fatalf("%d shared points kept on one side only (of %d points)", broken, after)
			}
			t.Logf("%s: %d → %d points at %.0f m; %d one-sided shared points", name, before, after, tol, broken)
		})
	}
}

// The largest layer, Đồng Nai's 95 communes, draws in well under the 200 KB
// a map page may weigh.
func TestLargestLayerFitsAPage(t *testing.T) {
	c := parseFile(t, "dong-nai-communes-2025.geojson")
	shapes, _ := geo.Prepare(c, 0)
	f := geo.NewFrame(shapes, 1000)
	size := 0
	for _, s := range shapes {
		d := f.Path(s.Geometry)
		if !strings.HasPrefix(d, "M") || !strings.HasSuffix(d, "z") {
			t.Fatalf("path of %s = %.40q…", s.Code, d)
		}
		size += len(d) + 200 // the link, its title and the attributes
	}
	if size > 150_000 {
		t.Fatalf("the communes' paths weigh %d bytes", size)
	}
	if f.Height < 1000 || f.Height > 2000 {
		t.Fatalf("Đồng Nai (taller than wide) drawn %v × %v", f.Width, f.Height)
	}
	t.Logf("%d bytes of paths for %d communes", size, len(shapes))
}

// Geometry survives storage as text.
func TestGeometryRoundTrip(t *testing.T) {
	c := parseFile(t, "binh-phuoc-districts-2024.geojson")
	for _, s := range c.Shapes {
		g, err := geo.UnmarshalGeometry(geo.MarshalGeometry(s.Geometry))
		if err != nil {
			t.Fatal(err)
		}
		if geo.MarshalGeometry(g) != geo.MarshalGeometry(s.Geometry) || len(g[0][0]) != len(s.Geometry[0][0]) || g[0][0][3] != s.Geometry[0][0][3] {
			t.Fatalf("%s changed in storage", s.Code)
		}
	}
}
