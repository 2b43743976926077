package geo

import (
	"math"
	"strconv"
	"strings"
)

// Frame maps longitude and latitude onto an SVG canvas Width wide: an
// equirectangular projection centred on the shapes' mean latitude (at a
// province's or the nation's size the distortion is a few per cent), north
// up, with a margin.
type Frame struct {
	Width, Height float64
	b             Bounds
	kx, scale     float64
	margin        float64
}

// NewFrame fits the shapes into a canvas width units wide; the height
// follows the shapes' proportions.
func NewFrame(shapes []Shape, width float64) Frame {
	b := BoundsOf(shapes)
	f := Frame{Width: width, b: b, margin: 4}
	f.kx = math.Cos((b.MinLat + b.MaxLat) / 2 * math.Pi / 180)
	w := (b.MaxLon - b.MinLon) * f.kx
	h := b.MaxLat - b.MinLat
	if w <= 0 || h <= 0 || math.IsInf(w, 0) {
		f.Height = width
		return f
	}
	f.scale = (width - 2*f.margin) / w
	f.Height = math.Ceil(h*f.scale + 2*f.margin)
	return f
}

// xy projects a point, rounded to a tenth of a unit.
func (f Frame) xy(p Point) (int, int) {
	x := f.margin + (p[0]-f.b.MinLon)*f.kx*f.scale
	y := f.margin + (f.b.MaxLat-p[1])*f.scale
	return int(math.Round(x * 10)), int(math.Round(y * 10))
}

// Path is the SVG path data of a shape in the frame: every ring as a move
// and relative lines, in tenths written as decimals; points that fall on
// the previous one after rounding are dropped.
func (f Frame) Path(g MultiPolygon) string {
	var b strings.Builder
	for _, p := range g {
		for _, r := range p {
			var pts [][2]int
			for _, pt := range r[:len(r)-1] {
				x, y := f.xy(pt)
				if len(pts) > 0 && pts[len(pts)-1] == [2]int{x, y} {
					continue
				}
				pts = append(pts, [2]int{x, y})
			}
			if len(pts) > 1 && pts[len(pts)-1] == pts[0] {
				pts = pts[:len(pts)-1]
			}
			if len(pts) == 0 {
				continue
			}
			b.WriteByte('M')
			b.WriteString(tenths(pts[0][0]))
			b.WriteByte(' ')
			b.WriteString(tenths(pts[0][1]))
			if len(pts) > 1 {
				b.WriteByte('l')
			}
			for i := 1; i < len(pts); i++ {
				if i > 1 {
					b.WriteByte(' ')
				}
				b.WriteString(tenths(pts[i][0] - pts[i-1][0]))
				b.WriteByte(' ')
				b.WriteString(tenths(pts[i][1] - pts[i-1][1]))
			}
			b.WriteByte('z')
		}
	}
	return b.String()
}

// Centre is a point inside the box of the shape's largest part, in canvas
// units (for a label).
func (f Frame) Centre(g MultiPolygon) (float64, float64) {
	best, area := -1, -1.0
	for i, p := range g {
		bb := BoundsOf([]Shape{{Geometry: MultiPolygon{p}}})
		if a := (bb.MaxLon - bb.MinLon) * (bb.MaxLat - bb.MinLat); a > area {
			best, area = i, a
		}
	}
	if best < 0 {
		return 0, 0
	}
	bb := BoundsOf([]Shape{{Geometry: MultiPolygon{g[best]}}})
	x, y := f.xy(Point{(bb.MinLon + bb.MaxLon) / 2, (bb.MinLat + bb.MaxLat) / 2})
	return float64(x) / 10, float64(y) / 10
}

// tenths writes v/10 with at most one decimal.
func tenths(v int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.Itoa(v / 10)
	if d := v % 10; d != 0 {
		s += "." + strconv.Itoa(d)
	}
	if neg {
		s = "-" + s
	}
	return s
}
