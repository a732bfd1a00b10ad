package drawing

import (
	"cmp"
	"math"
	"slices"
)

// lgraph is a directed graph to lay out in layers, top to bottom. Self
// loops are not laid out: the caller draws them beside their node, in
// space it reserves with lnode.extra.
type lgraph struct {
	nodes []lnode
	edges []ledge
}

// lnode is a box of w×h pixels, with extra pixels kept free on its right.
type lnode struct{ w, h, extra float64 }

// ledge is an edge u→v (u ≠ v) with a weight (its count: heavier edges are
// kept pointing down, short and straight) and a label box of lw×lh.
type ledge struct {
	u, v   int
	weight float64
	lw, lh float64
}

type pt struct{ x, y float64 }

// llayout is where layered puts things: box centres, each edge's route
// from u to v (see pathD), the top-left corner of each edge's label, and
// the size of the drawing.
type llayout struct {
	pos    []pt
	routes [][]pt
	labels []pt
	w, h   float64
}

// Spacing of the layered layout, in pixels.
const (
	nodeGap  = 28 // between boxes in a row
	dummyGap = 10 // between edges passing a row
	rowGap   = 14 // between rows
	Margin   = 8
)

// vert is a box or a dummy vertex (a point where an edge crosses a row) of
// the layered graph. Its x is a box's centre or the point the edge passes;
// it reaches l pixels left and r right of x (a label lies right of its
// edge).
type vert struct {
	layer int
	l, r  float64
	h     float64
	node  int // box index, or -1 for a dummy
	edge  int // for a dummy, the edge it belongs to
	label bool
	x     float64
	up    []arc // neighbours in the row above
	down  []arc // neighbours in the row below
}

type arc struct {
	v int
	w float64
}

// layered lays g out by the method of Sugiyama, Tagawa & Toda (1981):
//
//  1. Cycles are broken by reversing the edges that point backwards in the
//     vertex order of the greedy heuristic of Eades, Lin & Smyth (1993),
//     weighted by count, so that frequent flows point down.
//  2. Boxes get the rank of the longest path into them, then each moves
//     between its predecessors and successors to where its weighted edge
//     length is least. Ranks are doubled: odd rows carry the edge labels,
//     which are dummy vertices with the label's width, as in Graphviz's dot
//     (Gansner et al. 1993), so labels never overlap boxes or each other.
//     Edges longer than one row get a dummy vertex per row crossed.
//  3. Crossings are reduced by barycenter sweeps (Sugiyama et al. 1981),
//     keeping the order with the fewest weighted crossings.
//  4. Horizontal positions minimise the weighted squared distance of each
//     vertex to the mean of its neighbours, row by row, subject to the
//     order and spacing; each row is solved exactly by isotonic regression
//     (pool adjacent violators) after subtracting the minimum spacing.
//     Long edges weigh more, so they stay straight (Gansner et al. 1993).
//
// Everything iterates over slices in index order, so the layout depends
// only on g.
func layered(g lgraph) llayout {
	n := len(g.nodes)
	order := greedyOrder(n, g.edges)
	// DAG edges: reversed[e] when the edge points backwards in the order.
	reversed := make([]bool, len(g.edges))
	dag := make([][2]int, len(g.edges))
	for i, e := range g.edges {
		a, b := e.u, e.v
		if order[a] > order[b] {
			a, b = b, a
			reversed[i] = true
		}
		dag[i] = [2]int{a, b}
	}
	rank := ranks(n, g.edges, dag, order)

	// Vertices: boxes on even rows, dummies on the rows an edge crosses.
	var vs []vert
	for i, nd := range g.nodes {
		vs = append(vs, vert{layer: 2 * rank[i], l: nd.w / 2, r: nd.w/2 + nd.extra, h: nd.h, node: i, edge: -1})
	}
	chains := make([][]int, len(g.edges)) // vertices of each edge, in DAG direction
	for i, e := range g.edges {
		a, b := dag[i][0], dag[i][1]
		lo, hi := 2*rank[a], 2*rank[b]
		// The label sits on the middle odd row the edge crosses.
		odd := (hi - lo) / 2 // number of odd rows crossed
		labelRow := lo + 1 + 2*((odd-1)/2)
		chain := []int{a}
		for l := lo + 1; l < hi; l++ {
			v := vert{layer: l, l: 1, r: 1, node: -1, edge: i}
			if l == labelRow {
				v.label, v.l, v.r, v.h = true, 2, e.lw+10, e.lh
			}
			chain = append(chain, len(vs))
			vs = append(vs, v)
		}
		chains[i] = append(chain, b)
		w := 1 + math.Log10(max(e.weight, 1))
		for k := 0; k+1 < len(chains[i]); k++ {
			p, q := chains[i][k], chains[i][k+1]
			// Weights of dot's positioning: 1 between boxes, 2 between a
			// box and a dummy, 8 between dummies.
			omega := 2.0
			if vs[p].node < 0 && vs[q].node < 0 {
				omega = 8
			}
			vs[p].down = append(vs[p].down, arc{q, w * omega})
			vs[q].up = append(vs[q].up, arc{p, w * omega})
		}
	}
	layers := 0
	for _, v := range vs {
		layers = max(layers, v.layer+1)
	}
	rows := make([][]int, layers)
	// Boxes in the greedy order first, then dummies by edge: a start
	// the sweeps improve on.
	byOrder := make([]int, n)
	for i := range byOrder {
		byOrder[i] = i
	}
	slices.SortStableFunc(byOrder, func(a, b int) int { return order[a] - order[b] })
	for _, i := range byOrder {
		rows[vs[i].layer] = append(rows[vs[i].layer], i)
	}
	for i := n; i < len(vs); i++ {
		rows[vs[i].layer] = append(rows[vs[i].layer], i)
	}
	reduceCrossings(vs, rows)
	placeX(vs, rows)

	// Rows' heights and tops.
	tops := make([]float64, layers)
	heights := make([]float64, layers)
	for _, v := range vs {
		heights[v.layer] = max(heights[v.layer], v.h)
	}
	y := float64(Margin)
	for l := range tops {
		tops[l] = y
		y += heights[l] + rowGap
	}
	out := llayout{pos: make([]pt, n), routes: make([][]pt, len(g.edges)), labels: make([]pt, len(g.edges)), h: y - rowGap + Margin}
	for _, v := range vs {
		out.w = max(out.w, v.x+v.r+Margin)
	}
	for i := range g.nodes {
		v := vs[i]
		out.pos[i] = pt{v.x, tops[v.layer] + heights[v.layer]/2}
	}
	// Routes in DAG direction: the port under the upper box, each dummy
	// (the top and bottom of its row for a label, so that the edge passes
	// its label straight), the port over the lower box.
	for i, chain := range chains {
		r := make([]pt, 0, len(chain))
		r = append(r, pt{}) // port, set below
		for _, d := range chain[1 : len(chain)-1] {
			v := vs[d]
			if v.label {
				out.labels[i] = pt{v.x + 8, tops[v.layer] + (heights[v.layer]-v.h)/2}
				r = append(r, pt{v.x, tops[v.layer]}, pt{v.x, tops[v.layer] + heights[v.layer]})
				continue
			}
			r = append(r, pt{v.x, tops[v.layer] + heights[v.layer]/2})
		}
		out.routes[i] = append(r, pt{})
	}
	setPorts(g, vs, chains, out)
	for i := range out.routes {
		if reversed[i] {
			slices.Reverse(out.routes[i])
		}
	}
	return out
}

// setPorts spreads the edges leaving the bottom (and entering the top) of
// each box along its side, in the order of where they go, so that they do
// not all meet in one point.
func setPorts(g lgraph, vs []vert, chains [][]int, out llayout) {
	type end struct {
		edge int
		last bool    // the route's last point (the top side) rather than its first
		to   float64 // x of the neighbouring point
	}
	bottom := make([][]end, len(g.nodes))
	top := make([][]end, len(g.nodes))
	for i, chain := range chains {
		r := out.routes[i]
		a, b := chain[0], chain[len(chain)-1]
		bottom[a] = append(bottom[a], end{i, false, r[1].x})
		top[b] = append(top[b], end{i, true, r[len(r)-2].x})
	}
	for i, nd := range g.nodes {
		c := out.pos[i]
		for side, ends := range [][]end{bottom[i], top[i]} {
			slices.SortStableFunc(ends, func(a, b end) int { return cmp.Compare(a.to, b.to) })
			step := min(8, 0.7*nd.w/float64(len(ends)+1))
			y := c.y + nd.h/2
			if side == 1 {
				y = c.y - nd.h/2
			}
			for k, e := range ends {
				p := pt{c.x + (float64(k)-float64(len(ends)-1)/2)*step, y}
				if e.last {
					out.routes[e.edge][len(out.routes[e.edge])-1] = p
				} else {
					out.routes[e.edge][0] = p
				}
			}
		}
	}
}

// greedyOrder is the vertex sequence of Eades, Lin & Smyth (1993) for
// the feedback arc set problem, with weights: sinks go to the end and
// sources to the front as they appear, and otherwise the vertex whose
// outgoing weight exceeds its incoming weight the most goes to the front.
// It returns each vertex's position; ties go to the lower index.
func greedyOrder(n int, edges []ledge) []int {
	in, out := make([]float64, n), make([]float64, n)
	indeg, outdeg := make([]int, n), make([]int, n)
	for _, e := range edges {
		out[e.u] += e.weight
		in[e.v] += e.weight
		outdeg[e.u]++
		indeg[e.v]++
	}
	done := make([]bool, n)
	var front, back []int
	remove := func(x int) {
		done[x] = true
		for _, e := range edges {
			switch {
			case e.u == x && !done[e.v]:
				in[e.v] -= e.weight
				indeg[e.v]--
			case e.v == x && !done[e.u]:
				out[e.u] -= e.weight
				outdeg[e.u]--
			}
		}
	}
	for left := n; left > 0; {
		moved := false
		for x := range n {
			if !done[x] && outdeg[x] == 0 {
				back = append(back, x)
				remove(x)
				left--
				moved = true
			}
		}
		for x := range n {
			if !done[x] && indeg[x] == 0 {
				front = append(front, x)
				remove(x)
				left--
				moved = true
			}
		}
		if moved || left == 0 {
			continue
		}
		best := -1
		for x := range n {
			if !done[x] && (best < 0 || out[x]-in[x] > out[best]-in[best]) {
				best = x
			}
		}
		front = append(front, best)
		remove(best)
		left--
	}
	slices.Reverse(back)
	pos := make([]int, n)
	for i, x := range append(front, back...) {
		pos[x] = i
	}
	return pos
}

// ranks assigns each vertex the length of the longest DAG path into it,
// then lets each vertex move within the ranks its edges allow to where the
// weighted length of its edges is least, a few times over.
func ranks(n int, edges []ledge, dag [][2]int, order []int) []int {
	topo := make([]int, n)
	for i := range topo {
		topo[i] = i
	}
	slices.SortFunc(topo, func(a, b int) int { return order[a] - order[b] })
	rank := make([]int, n)
	for _, x := range topo {
		for _, d := range dag {
			if d[0] == x {
				rank[d[1]] = max(rank[d[1]], rank[x]+1)
			}
		}
	}
	for range 4 {
		top := slices.Max(append([]int{0}, rank...))
		for _, x := range topo {
			lo, hi := 0, top
			var wIn, wOut float64
			for i, d := range dag {
				switch x {
				case d[1]:
					lo = max(lo, rank[d[0]]+1)
					wIn += edges[i].weight
				case d[0]:
					hi = min(hi, rank[d[1]]-1)
					wOut += edges[i].weight
				}
			}
			switch {
			case wIn > wOut:
				rank[x] = lo
			case wOut > wIn:
				rank[x] = hi
			}
		}
	}
	return rank
}

// reduceCrossings reorders the rows by alternating barycenter sweeps and
// keeps the order with the fewest weighted crossings.
func reduceCrossings(vs []vert, rows [][]int) {
	pos := func() {
		for _, r := range rows {
			for i, v := range r {
				vs[v].x = float64(i)
			}
		}
	}
	pos()
	best, bestC := cloneRows(rows), crossings(vs, rows)
	for it := range 24 {
		down := it%2 == 0
		for k := range rows {
			l := k
			if !down {
				l = len(rows) - 1 - k
			}
			r := rows[l]
			key := make(map[int]float64, len(r))
			for _, v := range r {
				nb := vs[v].up
				if !down {
					nb = vs[v].down
				}
				key[v] = bary(vs, nb, vs[v].x)
			}
			slices.SortStableFunc(r, func(a, b int) int { return cmp.Compare(key[a], key[b]) })
			for i, v := range r {
				vs[v].x = float64(i)
			}
		}
		if c := crossings(vs, rows); c < bestC {
			best, bestC = cloneRows(rows), c
		}
	}
	copy(rows, best)
	pos()
}

func cloneRows(rows [][]int) [][]int {
	out := make([][]int, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// bary is the weighted mean x of the neighbours, or def without any.
func bary(vs []vert, nb []arc, def float64) float64 {
	var s, w float64
	for _, a := range nb {
		s += a.w * vs[a.v].x
		w += a.w
	}
	if w == 0 {
		return def
	}
	return s / w
}

// crossings counts the crossings between consecutive rows, each weighted
// by the product of the two segments' weights; x holds row positions.
func crossings(vs []vert, rows [][]int) float64 {
	type seg struct{ a, b, w float64 }
	var c float64
	var segs []seg
	for _, r := range rows {
		segs = segs[:0]
		for _, v := range r {
			for _, d := range vs[v].down {
				segs = append(segs, seg{vs[v].x, vs[d.v].x, d.w})
			}
		}
		for i := range segs {
			for j := i + 1; j < len(segs); j++ {
				if (segs[i].a-segs[j].a)*(segs[i].b-segs[j].b) < 0 {
					c += segs[i].w * segs[j].w
				}
			}
		}
	}
	return c
}

// placeX sets the vertices' x coordinates: rows start packed, then sweeps
// pull each vertex towards its neighbours' weighted mean x, solving each
// row exactly under the order and spacing constraints.
func placeX(vs []vert, rows [][]int) {
	for _, r := range rows {
		x := 0.0
		for i, v := range r {
			if i > 0 {
				x += gap(vs[r[i-1]], vs[v])
			}
			vs[v].x = x
		}
	}
	for it := range 24 {
		down := it%2 == 0
		both := it >= 4
		for k := range rows {
			l := k
			if !down {
				l = len(rows) - 1 - k
			}
			r := rows[l]
			want := make([]float64, len(r))
			weight := make([]float64, len(r))
			for i, v := range r {
				nb := vs[v].up
				if !down {
					nb = vs[v].down
				}
				if both {
					nb = append(slices.Clone(vs[v].up), vs[v].down...)
				}
				want[i], weight[i] = vs[v].x, 0.01
				var s, w float64
				for _, a := range nb {
					s += a.w * vs[a.v].x
					w += a.w
				}
				if w > 0 {
					want[i], weight[i] = s/w, w
				}
			}
			seps := make([]float64, len(r))
			for i := 1; i < len(r); i++ {
				seps[i] = seps[i-1] + gap(vs[r[i-1]], vs[r[i]])
			}
			for i, x := range isotonic(want, weight, seps) {
				vs[r[i]].x = x
			}
		}
	}
	left := math.Inf(1)
	for _, v := range vs {
		left = min(left, v.x-v.l)
	}
	for i := range vs {
		vs[i].x += Margin - left
	}
}

// gap is the least distance between the x of neighbours a and b in a row.
func gap(a, b vert) float64 {
	g := float64(dummyGap)
	if a.node >= 0 && b.node >= 0 {
		g = nodeGap
	}
	return a.r + g + b.l
}

// isotonic returns the x minimising Σ weight·(x − want)² subject to
// x[i+1] − x[i] ≥ offset[i+1] − offset[i]: with y = x − offset the
// constraint is y non-decreasing, which pool adjacent violators solves
// exactly (Barlow et al. 1972).
func isotonic(want, weight, offset []float64) []float64 {
	type block struct {
		sum, w float64
		n      int
	}
	var bs []block
	for i := range want {
		bs = append(bs, block{weight[i] * (want[i] - offset[i]), weight[i], 1})
		for len(bs) > 1 {
			p, q := bs[len(bs)-2], bs[len(bs)-1]
			if p.sum/p.w <= q.sum/q.w {
				break
			}
			bs = append(bs[:len(bs)-2], block{p.sum + q.sum, p.w + q.w, p.n + q.n})
		}
	}
	x := make([]float64, 0, len(want))
	for _, b := range bs {
		for range b.n {
			x = append(x, b.sum/b.w+offset[len(x)])
		}
	}
	return x
}

// bezier is a route as a Catmull–Rom spline through its points (Catmull &
// Rom 1974) in cubic Bézier pieces: the first point, then two control
// points and an end point per piece, so that small steps between the rows
// of a long edge read as one smooth line. It leaves and enters boxes
// along the layers' direction, and runs along it where two points are
// aligned in a row (past a label). The curve lies within the hull of
// these points, which bounds the drawing.
func bezier(r []pt) []pt {
	n := len(r)
	tangent := make([]pt, n)
	for i := range r {
		prev, next := r[max(i-1, 0)], r[min(i+1, n-1)]
		tangent[i] = pt{(next.x - prev.x) / 2, (next.y - prev.y) / 2}
		if i == 0 || i == n-1 || prev.x == r[i].x && i > 0 || next.x == r[i].x && i < n-1 {
			tangent[i].x = 0
		}
	}
	out := []pt{r[0]}
	for i := 1; i < n; i++ {
		p, q := r[i-1], r[i]
		out = append(out, pt{p.x + tangent[i-1].x/3, p.y + tangent[i-1].y/3}, pt{q.x - tangent[i].x/3, q.y - tangent[i].y/3}, q)
	}
	return out
}

// pathD is the SVG path of Bézier points (see bezier), each placed by at.
func pathD(b []pt, at func(pt) pt) string {
	var s SVG
	for i, p := range b {
		p = at(p)
		switch {
		case i == 0:
			s.F("M%s %s", Num(p.x), Num(p.y))
		case i%3 == 1:
			s.F("C%s %s", Num(p.x), Num(p.y))
		default:
			s.F(" %s %s", Num(p.x), Num(p.y))
		}
	}
	return s.String()
}
