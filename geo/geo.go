// Package geo reads administrative boundaries (GeoJSON, RFC 7946),
// simplifies them for display and draws them as SVG paths. It is pure: no
// SQL, HTTP or files; the store keeps the simplified shapes and the web
// layer colours them.
package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"antq"
)

// Point is a longitude, latitude pair in degrees (WGS 84).
type Point [2]float64

// Ring is a closed ring: its first and last points are equal.
type Ring []Point

// Polygon is an exterior ring followed by its holes.
type Polygon []Ring

// MultiPolygon is every part of a shape (a Polygon is a MultiPolygon of one).
type MultiPolygon []Polygon

// Shape is the boundary of one unit, joined to it by its official code.
type Shape struct {
	Code       string
	Name       string
	ParentCode string
	Geometry   MultiPolygon
}

// Points counts the shape's points.
func (s Shape) Points() int {
	n := 0
	for _, p := range s.Geometry {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

// Collection is a boundary file: its shapes and what it says of itself.
type Collection struct {
	Name    string
	Source  string
	License string
	Shapes  []Shape
}

// MaxFileBytes bounds a boundary file.
const MaxFileBytes = 64 << 20

type rawFile struct {
	Type     string       `json:"type"`
	Name     string       `json:"name"`
	Source   string       `json:"source"`
	License  string       `json:"license"`
	Features []rawFeature `json:"features"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   *rawGeometry    `json:"geometry"`
	ID         json.RawMessage `json:"id"`
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// Parse reads a GeoJSON FeatureCollection whose features carry the unit's
// official code in properties.code (text, digits). Every problem is
// reported, in Vietnamese, with the feature's number and code; a file with
// any problem yields no shapes.
func Parse(name string, r io.Reader) (*Collection, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, antq.Errorf(antq.EINVALID, "%s: không đọc được tệp: %v", name, err)
	}
	if len(b) > MaxFileBytes {
		return nil, antq.Errorf(antq.EINVALID, "%s: tệp ranh giới lớn hơn %d MB", name, MaxFileBytes>>20)
	}
	var f rawFile
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&f); err != nil {
		return nil, antq.Errorf(antq.EINVALID, "%s: không phải tệp GeoJSON hợp lệ (%s)", name, jsonReason(b, err))
	}
	if f.Type != "FeatureCollection" {
		return nil, antq.Errorf(antq.EINVALID, "%s: tệp phải là một FeatureCollection của GeoJSON", name)
	}
	if len(f.Features) == 0 {
		return nil, antq.Errorf(antq.EINVALID, "%s: tệp không có đối tượng (feature) nào", name)
	}
	c := &Collection{Name: f.Name, Source: f.Source, License: f.License}
	var problems []string
	seen := map[string]int{}
	for i, rf := range f.Features {
		at := fmt.Sprintf("đối tượng thứ %d", i+1)
		sh, err := parseFeature(rf)
		if sh.Code != "" {
			at += " (mã " + sh.Code + ")"
		}
		if err != nil {
			problems = append(problems, at+": "+err.Error())
			continue
		}
		if j, dup := seen[sh.Code]; dup {
			problems = append(problems, fmt.Sprintf("%s: mã trùng với đối tượng thứ %d", at, j+1))
			continue
		}
		seen[sh.Code] = i
		c.Shapes = append(c.Shapes, sh)
	}
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("… và %d lỗi khác", len(problems)-20))
		}
		return nil, antq.Errorf(antq.EINVALID, "%s: %s", name, strings.Join(problems, "; "))
	}
	return c, nil
}

func jsonReason(b []byte, err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		line := 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n"))
		return fmt.Sprintf("lỗi cú pháp ở dòng %d, byte %d", line, se.Offset)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("trường %q sai kiểu dữ liệu", te.Field)
	}
	return "nội dung không đọc được"
}

func parseFeature(rf rawFeature) (Shape, error) {
	var sh Shape
	if v, ok := rf.Properties["code"].(string); ok {
		sh.Code = strings.TrimSpace(v)
	}
	if v, ok := rf.Properties["name"].(string); ok {
		sh.Name = strings.TrimSpace(v)
	}
	if v, ok := rf.Properties["parent_code"].(string); ok {
		sh.ParentCode = strings.TrimSpace(v)
	}
	if rf.Type != "Feature" {
		return sh, fmt.Errorf("không phải một Feature")
	}
	if _, isNum := rf.Properties["code"].(float64); isNum {
		return sh, fmt.Errorf("trường code phải là chuỗi (giữ số 0 ở đầu), không phải số")
	}
	if sh.Code == "" {
		return sh, fmt.Errorf("thiếu mã đơn vị (properties.code)")
	}
	for _, r := range sh.Code {
		if r < '0' || r > '9' {
			return sh, fmt.Errorf("mã đơn vị chỉ gồm chữ số")
		}
	}
	if len(sh.Code) > 16 {
		return sh, fmt.Errorf("mã đơn vị quá dài")
	}
	if rf.Geometry == nil {
		return sh, fmt.Errorf("thiếu hình (geometry)")
	}
	var err error
	switch rf.Geometry.Type {
	case "Polygon":
		var p [][][]float64
		if err = json.Unmarshal(rf.Geometry.Coordinates, &p); err == nil {
			var poly Polygon
			if poly, err = polygonOf(p); err == nil {
				sh.Geometry = MultiPolygon{poly}
			}
		}
	case "MultiPolygon":
		var mp [][][][]float64
		if err = json.Unmarshal(rf.Geometry.Coordinates, &mp); err == nil {
			for i, p := range mp {
				poly, perr := polygonOf(p)
				if perr != nil {
					err = fmt.Errorf("phần thứ %d: %w", i+1, perr)
					break
				}
				sh.Geometry = append(sh.Geometry, poly)
			}
		}
	default:
		return sh, fmt.Errorf("hình phải là Polygon hoặc MultiPolygon, không phải %q", rf.Geometry.Type)
	}
	if err != nil {
		if _, ok := err.(*json.UnmarshalTypeError); ok {
			return sh, fmt.Errorf("tọa độ không đúng dạng")
		}
		return sh, err
	}
	if len(sh.Geometry) == 0 {
		return sh, fmt.Errorf("hình rỗng")
	}
	return sh, nil
}

func polygonOf(p [][][]float64) (Polygon, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("đa giác không có vòng nào")
	}
	var poly Polygon
	for i, r := range p {
		if len(r) < 4 {
			return nil, fmt.Errorf("vòng thứ %d có ít hơn 4 điểm", i+1)
		}
		ring := make(Ring, len(r))
		for j, c := range r {
			if len(c) < 2 {
				return nil, fmt.Errorf("vòng thứ %d, điểm thứ %d thiếu tọa độ", i+1, j+1)
			}
			lon, lat := c[0], c[1]
			if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
				return nil, fmt.Errorf("vòng thứ %d, điểm thứ %d: tọa độ ngoài phạm vi kinh độ, vĩ độ", i+1, j+1)
			}
			ring[j] = Point{lon, lat}
		}
		if ring[0] != ring[len(ring)-1] {
			return nil, fmt.Errorf("vòng thứ %d không khép kín (điểm đầu khác điểm cuối)", i+1)
		}
		poly = append(poly, ring)
	}
	return poly, nil
}

// Bounds is a longitude, latitude box.
type Bounds struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// BoundsOf is the box around the shapes.
func BoundsOf(shapes []Shape) Bounds {
	b := Bounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, s := range shapes {
		for _, p := range s.Geometry {
			for _, r := range p {
				for _, pt := range r {
					b.MinLon, b.MaxLon = math.Min(b.MinLon, pt[0]), math.Max(b.MaxLon, pt[0])
					b.MinLat, b.MaxLat = math.Min(b.MinLat, pt[1]), math.Max(b.MaxLat, pt[1])
				}
			}
		}
	}
	return b
}

const metresPerDegree = 111_320.0

// ExtentMetres is the larger side of the box, in metres.
func (b Bounds) ExtentMetres() float64 {
	lat0 := (b.MinLat + b.MaxLat) / 2 * math.Pi / 180
	w := (b.MaxLon - b.MinLon) * metresPerDegree * math.Cos(lat0)
	h := (b.MaxLat - b.MinLat) * metresPerDegree
	return math.Max(w, h)
}

// MarshalGeometry encodes a geometry as GeoJSON MultiPolygon coordinates,
// rounded to 5 decimals (about 1 m).
func MarshalGeometry(g MultiPolygon) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range g {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, r := range p {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			for k, pt := range r {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "[%s,%s]", coord(pt[0]), coord(pt[1]))
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
	return b.String()
}

func coord(v float64) string {
	s := fmt.Sprintf("%.5f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// UnmarshalGeometry decodes what MarshalGeometry wrote.
func UnmarshalGeometry(s string) (MultiPolygon, error) {
	var raw [][][][]float64
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	g := make(MultiPolygon, 0, len(raw))
	for _, p := range raw {
		poly := make(Polygon, 0, len(p))
		for _, r := range p {
			ring := make(Ring, 0, len(r))
			for _, c := range r {
				if len(c) < 2 {
					return nil, fmt.Errorf("geometry: point without two coordinates")
				}
				ring = append(ring, Point{c[0], c[1]})
			}
			poly = append(poly, ring)
		}
		g = append(g, poly)
	}
	return g, nil
}
