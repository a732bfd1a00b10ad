package drawing

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Pool adjacent violators on a hand-solved case: with minimum spacings 1
// and 1, the wanted positions 3, 1, 2 become y-targets 3, 0, 0, whose
// weighted mean 1 is the best common y: x = 1, 2, 3.
func TestIsotonic(t *testing.T) {
	for _, c := range []struct {
		want, weight, offset, x []float64
	}{
		{[]float64{3, 1, 2}, []float64{1, 1, 1}, []float64{0, 1, 2}, []float64{1, 2, 3}},
		{[]float64{0, 5, 10}, []float64{1, 1, 1}, []float64{0, 1, 2}, []float64{0, 5, 10}},      // already feasible
		{[]float64{4, 0}, []float64{3, 1}, []float64{0, 2}, []float64{2.5, 4.5}},                // y-targets 4, −2: mean (12−2)/4
		{[]float64{10, 10, 10}, []float64{1, 1, 1}, []float64{0, 10, 20}, []float64{0, 10, 20}}, // all want one spot: centred
		{[]float64{5}, []float64{0.01}, []float64{0}, []float64{5}},
	} {
		got := isotonic(c.want, c.weight, c.offset)
		for i := range got {
			if math.Abs(got[i]-c.x[i]) > 1e-9 {
				t.Errorf("isotonic(%v, %v, %v) = %v, want %v", c.want, c.weight, c.offset, got, c.x)
				break
			}
		}
	}
}

// The greedy order keeps heavy edges pointing forward: only the light
// edge of a cycle is reversed.
func TestGreedyOrder(t *testing.T) {
	for _, c := range []struct {
		n     int
		edges []ledge
		want  []int
	}{
		{2, []ledge{{u: 0, v: 1, weight: 1}, {u: 1, v: 0, weight: 10}}, []int{1, 0}},
		{3, []ledge{{u: 0, v: 1, weight: 5}, {u: 1, v: 2, weight: 5}, {u: 2, v: 0, weight: 1}}, []int{0, 1, 2}},
		{3, []ledge{{u: 2, v: 1, weight: 1}, {u: 1, v: 0, weight: 1}}, []int{2, 1, 0}}, // a path: sources first
	} {
		if got := greedyOrder(c.n, c.edges); !reflect.DeepEqual(got, c.want) {
			t.Errorf("greedyOrder(%d, %v) = %v, want %v", c.n, c.edges, got, c.want)
		}
	}
}

// On random graphs the layered layout keeps its promises: boxes in a row
// and labels never overlap, each route runs from its source box to its
// target box, monotonically in y, and everything lies inside the drawing.
func TestLayeredRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + r.IntN(14)
		var g lgraph
		for range n {
			g.nodes = append(g.nodes, lnode{w: 40 + 100*r.Float64(), h: 38})
		}
		for range r.IntN(3 * n) {
			u, v := r.IntN(n), r.IntN(n)
			if u == v {
				continue
			}
			g.edges = append(g.edges, ledge{u: u, v: v, weight: 1 + float64(r.IntN(1000)), lw: 30 + 40*r.Float64(), lh: 13})
		}
		lay := layered(g)
		box := func(i int) rect {
			p, nd := lay.pos[i], g.nodes[i]
			return rect{p.x - nd.w/2, p.y - nd.h/2, p.x + nd.w/2, p.y + nd.h/2}
		}
		var rs []rect
		for i := range g.nodes {
			rs = append(rs, box(i))
		}
		for i, e := range g.edges {
			l := lay.labels[i]
			rs = append(rs, rect{l.x, l.y, l.x + e.lw, l.y + e.lh})
		}
		for i, a := range rs {
			if a.x0 < 0 || a.y0 < 0 || a.x1 > lay.w || a.y1 > lay.h {
				t.Fatalf("trial %d: box or label %d at %v lies outside %v×%v", trial, i, a, lay.w, lay.h)
			}
			for j := range i {
				if a.overlaps(rs[j]) {
					t.Fatalf("trial %d: boxes or labels %d and %d overlap: %v, %v", trial, j, i, rs[j], a)
				}
			}
		}
		for i, e := range g.edges {
			route := lay.routes[i]
			first, last := route[0], route[len(route)-1]
			if !onBorder(first, box(e.u)) || !onBorder(last, box(e.v)) {
				t.Fatalf("trial %d: edge %d→%d runs from %v to %v, not from box %v to box %v", trial, e.u, e.v, first, last, box(e.u), box(e.v))
			}
			down := last.y > first.y
			for k := 1; k < len(route); k++ {
				if (route[k].y > route[k-1].y) != down {
					t.Fatalf("trial %d: edge %d→%d is not monotonic in y: %v", trial, e.u, e.v, route)
				}
			}
		}
	}
}

// onBorder reports whether p lies on the top or bottom side of b.
func onBorder(p pt, b rect) bool {
	return (p.y == b.y0 || p.y == b.y1) && p.x >= b.x0 && p.x <= b.x1
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) overlaps(o rect) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

// TestLayeredInside draws random graphs, loops included, top to bottom and
// left to right, and parses each drawing as XML: every box and every point
// of every edge's path (the Bézier control points, which hold the curve)
// lies inside the drawing, and each edge has its path and its label.
func TestLayeredInside(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	num := regexp.MustCompile(`-?[0-9.]+`)
	for trial := range 100 {
		n := 2 + r.IntN(12)
		g := Graph{Label: "test", Standalone: trial%2 == 0, Caption: "caption", LeftToRight: trial%4 < 2}
		for i := range n {
			g.Boxes = append(g.Boxes, Box{Name: strings.Repeat("n", 1+r.IntN(40)), Sub: fmt.Sprint(i, " events"), Fill: "#fff"})
		}
		loops := map[int]bool{}
		for range r.IntN(3 * n) {
			u, v := r.IntN(n), r.IntN(n)
			if u == v {
				if loops[u] {
					continue
				}
				loops[u] = true
			}
			g.Edges = append(g.Edges, Edge{From: u, To: v, Weight: float64(1 + r.IntN(100)), Width: 1, Label: fmt.Sprint(u, "→", v)})
		}
		svg := Layered(g)
		d := xml.NewDecoder(strings.NewReader(svg))
		var w, h float64
		paths, labels := 0, 0
		inside := func(x, y float64, what string) {
			if x < 0 || y < 0 || x > w || y > h {
				t.Fatalf("trial %d (left to right %v): %s at %v,%v outside %v×%v:\n%s", trial, g.LeftToRight, what, x, y, w, h, svg)
			}
		}
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("trial %d: not XML: %v", trial, err)
			}
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			a := map[string]float64{}
			var path, class string
			for _, x := range se.Attr {
				switch x.Name.Local {
				case "d":
					path = x.Value
				case "fill":
					class += " fill-" + x.Value
				case "class":
					class = x.Value
				}
				a[x.Name.Local], _ = strconv.ParseFloat(x.Value, 64)
			}
			switch {
			case se.Name.Local == "svg":
				w, h = a["width"], a["height"]
			case se.Name.Local == "rect" && a["rx"] > 0:
				inside(a["x"], a["y"], "box corner")
				inside(a["x"]+a["width"], a["y"]+a["height"], "box corner")
			case se.Name.Local == "path" && strings.Contains(class, "fill-none"):
				paths++
				xs := num.FindAllString(path, -1)
				for i := 0; i+1 < len(xs); i += 2 {
					x, _ := strconv.ParseFloat(xs[i], 64)
					y, _ := strconv.ParseFloat(xs[i+1], 64)
					inside(x, y, "path point")
				}
			case se.Name.Local == "text" && strings.HasPrefix(class, "lbl"):
				labels++
				inside(a["x"], a["y"], "label")
			}
		}
		if paths != len(g.Edges) || labels != len(g.Edges) {
			t.Errorf("trial %d: %d paths and %d labels for %d edges", trial, paths, labels, len(g.Edges))
		}
	}
}
