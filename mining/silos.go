package mining

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/caseflow/caseflow/internal/spill"
)

// silos computes the per-unit figures, runs the silo tests and finds the
// communities.
func (a *analysis) silos() {
	in, si := a.in, &a.f.Silos
	nU := int(in.nU)
	gaps, gap := a.internalGaps()

	// Per unit: handoffs in and out, partners, the handoff groups into it.
	in2, out := make([]int, nU), make([]int, nU)
	partners := make([][]int32, nU)
	into := make([][]int, nU) // per unit: the indices of the handoff groups into it
	for i, key := range a.handoffs.keys {
		from, to := int32(key/in.nU), int32(key%in.nU)
		x := a.handoffs.group(i)
		out[from] += len(x)
		in2[to] += len(x)
		partners[from] = append(partners[from], to)
		partners[to] = append(partners[to], from)
		into[to] = append(into[to], i)
	}
	t := a.tests(into, in2)
	present := make([]bool, nU)
	bounces := make([]int, nU)
	for _, p := range a.parts {
		for u := range nU {
			present[u] = present[u] || p.present[u]
			bounces[u] += p.bounces[u]
		}
	}
	byCode := make([]Unit, nU)
	for u := range nU {
		if !present[u] {
			continue
		}
		slices.Sort(partners[u])
		x := Unit{
			Name: in.units[u], In: in2[u], Out: out[u], Partners: len(slices.Compact(partners[u])),
			Entry: t.entry[u], Gaps: gaps[u], Gap: gap[u],
			Bounces: bounces[u], Tested: t.unitTested[u], Wait: t.units[u],
		}
		x.Silo = x.Tested && a.silo(x.Wait)
		if x.In > 0 {
			x.BounceRate = float64(x.Bounces) / float64(x.In)
		}
		byCode[u] = x
		a.units = append(a.units, int32(u))
	}
	slices.SortFunc(a.units, func(u, v int32) int {
		return cmp.Or(cmp.Compare(in2[v]+out[v], in2[u]+out[u]), cmp.Compare(in.units[u], in.units[v]))
	})
	for _, u := range a.units {
		si.Units = append(si.Units, byCode[u])
	}
	for i := range t.boundaries {
		t.boundaries[i].Silo = a.silo(t.boundaries[i].Comparison)
	}
	slices.SortFunc(t.boundaries, CompareBoundaries)
	si.Boundaries = t.boundaries
	if len(a.handoffs.vals) >= a.opt.MinSupport {
		si.Communities, si.Modularity, si.Crossing = a.communities(in2, out)
	}
	a.handoffs.free(a.opt.Memory)
}

// internalGaps puts the internal gaps in place in a pass of their own
// and returns per unit code their number and median in seconds, selected
// rather than sorted, as nothing else needs them in order.
func (a *analysis) internalGaps() (n []int, median []float64) {
	g := a.put(func(p *part, k, lo, hi int) { p.steps(k, p.stays(lo, hi), true) }, func(p *part) *tally { return &p.gaps })[0]
	defer g.free(a.opt.Memory)
	n, median = make([]int, a.in.nU), make([]float64, a.in.nU)
	g.groupQuantiles(a.opt.Memory, a.opt.Workers, []float64{0.5}, func(i int, x []int64, q func() []float64) {
		n[g.keys[i]], median[g.keys[i]] = len(x), sec(q()[0])
	})
	return n, median
}

// CompareBoundaries orders boundaries as Silos.Boundaries lists them:
// silos first, then by PAdjusted ascending, Shift descending, From, To.
func CompareBoundaries(x, y Boundary) int {
	silo := func(b Boundary) int {
		if b.Silo {
			return 0
		}
		return 1
	}
	return cmp.Or(cmp.Compare(silo(x), silo(y)), cmp.Compare(x.PAdjusted, y.PAdjusted),
		cmp.Compare(y.Shift, x.Shift), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
}

// silo says whether a comparison shows a silo: significant at the false
// discovery rate, and at least the minimum effect. The ratio is checked as
// a product, so a zero median in the denominator needs no division.
func (a *analysis) silo(c Comparison) bool {
	return c.PAdjusted <= a.opt.FDR && c.Shift >= a.opt.MinShift.Seconds() &&
		c.Median >= a.opt.MinRatio*c.OthersMedian
}

// siloTests are the results of tests: per unit code its median entry wait
// and, where tested, its comparison with the rest of the log; and the
// tested boundaries, in no particular order. P-values are adjusted.
type siloTests struct {
	entry      []float64
	unitTested []bool
	units      []Comparison
	boundaries []Boundary
}

// tests runs the silo tests. Each boundary A→B compares the handoffs from
// A into B with B's other incoming handoffs: the same queue, other
// senders, so a boundary is flagged only when B treats A's work worse
// than the rest of its work. Each unit B compares all handoffs into B with
// all handoffs into other units. Both are one-sided Mann–Whitney tests
// with Hodges–Lehmann shifts (see Comparison); every group needs
// Options.MinSupport handoffs. The p-values are adjusted by
// Benjamini–Hochberg over all tests together. into lists per unit the
// handoff groups into it, in2 their total size. Boundary.Waits are made
// in Options.Memory and outlive the analysis; the scratch is freed.
func (a *analysis) tests(into [][]int, in2 []int) siloTests {
	in, h, m := a.in, &a.handoffs, a.opt.Memory
	nU := int(in.nU)
	least := a.opt.MinSupport
	t := siloTests{entry: make([]float64, nU), unitTested: make([]bool, nU), units: make([]Comparison, nU)}
	// The boundaries each receiver tests, numbered in receiver order.
	first := make([]int, nU+1)
	var pairs []int // handoff group of each boundary
	for u := range nU {
		first[u] = len(pairs)
		for _, i := range into[u] {
			if n := h.start[i+1] - h.start[i]; n >= least && in2[u]-n >= least {
				pairs = append(pairs, i)
			}
		}
		t.unitTested[u] = in2[u] >= least && len(h.vals)-in2[u] >= least
	}
	first[nU] = len(pairs)
	t.boundaries = make([]Boundary, len(pairs))
	var all []int64
	if slices.Contains(t.unitTested, true) {
		all = spill.Clone(m, h.vals)
		spill.Free(m, sortInts(m, all, nil))
	}
	defer spill.Free(m, all)
	type scratch struct{ pool, rest []int64 }
	bufs := make([]scratch, a.opt.Workers)
	defer func() {
		for _, b := range bufs {
			spill.Free(m, b.pool, b.rest)
		}
	}()
	bySize(nU, func(u int) int { return in2[u] }, a.opt.Workers, func(w, u int) {
		if in2[u] == 0 {
			return
		}
		b := &bufs[w]
		if b.rest == nil {
			// Made once at their largest, as units come biggest first and
			// each test's rest is at most every handoff.
			b.pool, b.rest = spill.MakeCap[int64](m, 0, in2[u]), spill.MakeCap[int64](m, 0, len(h.vals))
		}
		pool := b.pool[:0]
		for _, i := range into[u] {
			pool = append(pool, h.group(i)...)
		}
		b.rest = sortInts(m, pool, b.rest)
		t.entry[u] = sec(quantile(pool, 0.5))
		for j := first[u]; j < first[u+1]; j++ {
			i := pairs[j]
			key := h.keys[i]
			x := h.group(i)
			b.rest = without(m, pool, x, b.rest)
			t.boundaries[j] = Boundary{From: in.units[key/in.nU], To: in.units[key%in.nU], Comparison: compare(m, x, b.rest, a.opt.Seed)}
			if a.opt.BoundaryWaits {
				t.boundaries[j].Waits = spill.Clone(m, x)
			}
		}
		if t.unitTested[u] {
			b.rest = without(m, all, pool, b.rest)
			t.units[u] = compare(m, pool, b.rest, a.opt.Seed)
		}
		b.pool = pool
	})
	var p []float64
	for _, b := range t.boundaries {
		p = append(p, b.P)
	}
	for u := range nU {
		if t.unitTested[u] {
			p = append(p, t.units[u].P)
		}
	}
	q := adjustBH(p)
	for i := range t.boundaries {
		t.boundaries[i].PAdjusted, q = q[0], q[1:]
	}
	for u := range nU {
		if t.unitTested[u] {
			t.units[u].PAdjusted, q = q[0], q[1:]
		}
	}
	return t
}

// compare is the Comparison of ascending µs samples x and y, both
// non-empty, with scratch space from m.
func compare(m *spill.Memory, x, y []int64, seed uint64) Comparison {
	u, v := mannWhitney(x, y, ties(y))
	c := Comparison{N: len(x), M: len(y), Median: sec(quantile(x, 0.5)), OthersMedian: sec(quantile(y, 0.5)),
		U: u, P: pGreater(u, float64(len(x)), float64(len(y)), v)}
	if c.OthersMedian > 0 {
		c.Ratio = c.Median / c.OthersMedian
	}
	est, lo, hi := shift(m, x, y, 0.95, seed)
	c.Shift, c.Low, c.High = sec(est), sec(lo), sec(hi)
	return c
}

// communities runs Louvain (Blondel et al. 2008) from gonum on the
// undirected unit graph whose edge weights are the handoffs between two
// units in either direction, seeded with Options.Seed, and returns the
// top-level communities, Newman's modularity Q computed exactly from the
// integer weights, and the share of handoffs between communities.
func (a *analysis) communities(in2, out []int) ([][]string, float64, float64) {
	in := a.in
	type edge struct {
		u, v int32
		w    int
	}
	var edges []edge
	at := map[[2]int32]int{}
	for i, key := range a.handoffs.keys {
		u, v := int32(key/in.nU), int32(key%in.nU)
		k := [2]int32{min(u, v), max(u, v)}
		j, ok := at[k]
		if !ok {
			j = len(edges)
			at[k] = j
			edges = append(edges, edge{u: k[0], v: k[1]})
		}
		edges[j].w += a.handoffs.start[i+1] - a.handoffs.start[i]
	}
	if len(edges) == 0 {
		return nil, 0, 0
	}
	g := simple.NewWeightedUndirectedGraph(0, 0)
	for _, e := range edges {
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e.u), simple.Node(e.v), float64(e.w)))
	}
	top := community.Modularize(g, 1, rand.NewPCG(a.opt.Seed, a.opt.Seed)).Communities()

	comm := make([]int, in.nU)
	var out2 [][]string
	for c, nodes := range top {
		var names []string
		for _, n := range nodes {
			comm[n.ID()] = c
			names = append(names, in.units[n.ID()])
		}
		slices.Sort(names)
		out2 = append(out2, names)
	}
	slices.SortFunc(out2, func(x, y []string) int {
		return cmp.Or(cmp.Compare(len(y), len(x)), cmp.Compare(x[0], y[0]))
	})

	var m, inside int
	for _, e := range edges {
		m += e.w
		if comm[e.u] == comm[e.v] {
			inside += e.w
		}
	}
	inner := make([]int, len(top))
	deg := make([]int, len(top))
	for _, e := range edges {
		if comm[e.u] == comm[e.v] {
			inner[comm[e.u]] += e.w
		}
	}
	for u := range int(in.nU) {
		deg[comm[u]] += in2[u] + out[u]
	}
	var q float64
	for c := range top {
		d := float64(deg[c]) / float64(2*m)
		q += float64(inner[c])/float64(m) - d*d
	}
	return out2, q, float64(m-inside) / float64(m)
}
