package mining

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
)

// silos computes the per-unit figures, tests the boundaries and finds the
// communities.
func (a *analysis) silos() {
	in, si := a.in, &a.f.Silos
	nU := int(in.nU)
	sortAll(a.gaps.groups(), a.opt.Workers)
	gapOf := make([][]int64, nU)
	for i, key := range a.gaps.keys {
		gapOf[key] = a.gaps.group(i)
	}

	// Per unit: handoffs in and out, partners, entry waits, bounces.
	in2, out := make([]int, nU), make([]int, nU)
	partners := make([][]int32, nU)
	entries := make([][][]int64, nU) // per unit: the sorted delays of each pair into it
	for i, key := range a.handoffs.keys {
		from, to := int32(key/in.nU), int32(key%in.nU)
		x := a.handoffs.group(i)
		out[from] += len(x)
		in2[to] += len(x)
		partners[from] = append(partners[from], to)
		partners[to] = append(partners[to], from)
		entries[to] = append(entries[to], x)
	}
	entry := make([]float64, nU)
	each(a.opt.Workers, nU, func(_, u int) { entry[u] = sec(unionMedian(entries[u])) })
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
			Entry: entry[u], Gaps: len(gapOf[u]), Gap: sec(quantile(gapOf[u], 0.5)),
			Bounces: bounces[u],
		}
		if x.In > 0 && x.Gaps > 0 {
			x.Ratio = ratio(x.Entry, x.Gap)
		}
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
	si.Boundaries = a.boundaries(gapOf)
	si.Communities, si.Modularity, si.Crossing = a.communities(in2, out)
}

// ratio is the boundary penalty entry/gap: 1 when both are 0 (no penalty),
// +Inf when only gap is 0.
func ratio(entry, gap float64) float64 {
	if gap == 0 {
		if entry == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return entry / gap
}

// boundaries tests every directed pair A→B with at least MinSupport
// handoffs whose receiver B has internal gaps: one-sided Mann–Whitney of
// the entry waits from A into B against B's internal gaps, p-values
// adjusted by Benjamini–Hochberg over all tested pairs.
func (a *analysis) boundaries(gapOf [][]int64) []Boundary {
	in := a.in
	var out []Boundary
	var pairs []int
	tied := make([]bool, in.nU)
	for i, key := range a.handoffs.keys {
		if to := key % in.nU; a.handoffs.start[i+1]-a.handoffs.start[i] >= a.opt.MinSupport && len(gapOf[to]) > 0 {
			pairs = append(pairs, i)
			tied[to] = true
		}
	}
	tiesOf := make([]float64, in.nU)
	each(a.opt.Workers, int(in.nU), func(_, u int) {
		if tied[u] {
			tiesOf[u] = ties(gapOf[u])
		}
	})
	out = make([]Boundary, len(pairs))
	each(a.opt.Workers, len(pairs), func(_, j int) {
		i := pairs[j]
		key := a.handoffs.keys[i]
		from, to := key/in.nU, key%in.nU
		x, y := a.handoffs.group(i), gapOf[to]
		u, v := mannWhitney(x, y, tiesOf[to])
		b := Boundary{
			From: in.units[from], To: in.units[to], Handoffs: len(x),
			Entry: sec(quantile(x, 0.5)), Gap: sec(quantile(y, 0.5)),
			U: u, P: pGreater(u, float64(len(x)), float64(len(y)), v),
		}
		b.Ratio = ratio(b.Entry, b.Gap)
		out[j] = b
	})
	p := make([]float64, len(out))
	for i, b := range out {
		p[i] = b.P
	}
	for i, q := range adjustBH(p) {
		b := &out[i]
		b.PAdjusted = q
		b.Silo = q <= a.opt.FDR && b.Ratio >= a.opt.MinRatio
	}
	slices.SortFunc(out, func(x, y Boundary) int {
		silo := func(b Boundary) int {
			if b.Silo {
				return 0
			}
			return 1
		}
		return cmp.Or(cmp.Compare(silo(x), silo(y)), cmp.Compare(x.PAdjusted, y.PAdjusted),
			cmp.Compare(y.Ratio, x.Ratio), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	})
	return out
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
