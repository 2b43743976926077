package geo

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// AutoTolerance is the simplification tolerance for a layer: 1/1500 of its
// larger side, about half a pixel on a map 800 px wide. A province's
// communes get about 130 m, the nation's provinces about 1.2 km.
func AutoTolerance(shapes []Shape) float64 {
	return BoundsOf(shapes).ExtentMetres() / 1500
}

// Simplify reduces every ring with Douglas–Peucker at tolerance metres,
// keeping the layer's topology: points where the rings sharing a border
// change (the ends of every shared border) are kept, and each shared border
// is simplified between the same two kept points on both sides, so that
// neighbours still meet. Every ring keeps at least four points, so no shape
// and no island disappears.
func Simplify(shapes []Shape, tolerance float64) []Shape {
	if tolerance <= 0 || len(shapes) == 0 {
		return shapes
	}
	b := BoundsOf(shapes)
	kx := metresPerDegree * math.Cos((b.MinLat+b.MaxLat)/2*math.Pi/180)
	planar := func(p Point) [2]float64 { return [2]float64{p[0] * kx, p[1] * metresPerDegree} }

	// Which rings each point lies on.
	type ringRef struct{ s, p, r int }
	var rings []ringRef
	on := map[Point][]int{}
	for si, s := range shapes {
		for pi, p := range s.Geometry {
			for ri, r := range p {
				id := len(rings)
				rings = append(rings, ringRef{si, pi, ri})
				for _, pt := range r[:len(r)-1] {
					ids := on[pt]
					if len(ids) == 0 || ids[len(ids)-1] != id {
						on[pt] = append(ids, id)
					}
				}
			}
		}
	}
	key := func(pt Point) string {
		ids := on[pt]
		if len(ids) == 1 {
			return strconv.Itoa(ids[0])
		}
		s := slices.Clone(ids)
		slices.Sort(s)
		var k strings.Builder
		for _, v := range s {
			k.WriteString(strconv.Itoa(v))
			k.WriteByte(',')
		}
		return k.String()
	}

	out := make([]Shape, len(shapes))
	for si, s := range shapes {
		out[si] = s
		out[si].Geometry = make(MultiPolygon, len(s.Geometry))
		for pi, p := range s.Geometry {
			out[si].Geometry[pi] = make(Polygon, len(p))
			for ri, r := range p {
				out[si].Geometry[pi][ri] = simplifyRing(r[:len(r)-1], tolerance, planar, key, func(pt Point) int { return len(on[pt]) })
			}
		}
	}
	return out
}

// simplifyRing simplifies an open ring (without its closing point) and
// returns it closed.
func simplifyRing(r []Point, tol float64, planar func(Point) [2]float64, key func(Point) string, shared func(Point) int) Ring {
	n := len(r)
	if n <= 3 {
		return closeRing(r)
	}
	keys := make([]string, n)
	for i, pt := range r {
		keys[i] = key(pt)
	}
	var fixed []int
	for i := range n {
		prev, next := keys[(i+n-1)%n], keys[(i+1)%n]
		if shared(r[i]) >= 3 || keys[i] != prev || keys[i] != next {
			fixed = append(fixed, i)
		}
	}
	if len(fixed) == 0 {
		// An island or a ring no neighbour touches: anchor it at its first
		// point and the point farthest from it.
		far, best := 0, -1.0
		p0 := planar(r[0])
		for i := 1; i < n; i++ {
			if d := dist(p0, planar(r[i])); d > best {
				far, best = i, d
			}
		}
		fixed = []int{0, far}
	}
	keep := make([]bool, n)
	for _, f := range fixed {
		keep[f] = true
	}
	for k, from := range fixed {
		to := fixed[(k+1)%len(fixed)]
		if to <= from {
			to += n
		}
		douglasPeucker(r, from, to, tol, planar, keep)
	}
	var kept []Point
	for i, pt := range r {
		if keep[i] {
			kept = append(kept, pt)
		}
	}
	if len(kept) < 3 {
		kept = kept[:0]
		for _, i := range []int{0, n / 3, 2 * n / 3} {
			kept = append(kept, r[i])
		}
	}
	return closeRing(kept)
}

func closeRing(r []Point) Ring {
	out := make(Ring, 0, len(r)+1)
	out = append(out, r...)
	return append(out, r[0])
}

// douglasPeucker marks in keep the points of r[from..to] (indices modulo
// len(r)) that the arc needs at tolerance tol; from and to are kept already.
func douglasPeucker(r []Point, from, to int, tol float64, planar func(Point) [2]float64, keep []bool) {
	n := len(r)
	type span struct{ a, b int }
	stack := []span{{from, to}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		pa, pb := planar(r[s.a%n]), planar(r[s.b%n])
		far, best := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			if d := segmentDist(planar(r[i%n]), pa, pb); d > best {
				far, best = i, d
			}
		}
		if far < 0 {
			continue
		}
		keep[far%n] = true
		stack = append(stack, span{s.a, far}, span{far, s.b})
	}
}

func dist(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// segmentDist is the distance from p to the segment a–b.
func segmentDist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return dist(p, a)
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return dist(p, [2]float64{a[0] + t*dx, a[1] + t*dy})
}

// Prepare simplifies a parsed file for storage: at tolerance metres, or at
// AutoTolerance when tolerance is 0. It returns the shapes and the
// tolerance used.
func Prepare(c *Collection, tolerance float64) ([]Shape, float64) {
	if tolerance == 0 {
		tolerance = AutoTolerance(c.Shapes)
	}
	return Simplify(c.Shapes, tolerance), tolerance
}

// SourceOf is what a layer records of its origin: the file's own name,
// source and licence members.
func (c *Collection) SourceOf(file string) string {
	parts := []string{file}
	for _, p := range []string{c.Name, c.Source, c.License} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}
