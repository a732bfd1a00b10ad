package mining

import (
	"cmp"
	"slices"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// flows merges the start and end activities, variants and the handoff
// matrix; edges adds the directly-follows graph.
func (a *analysis) flows() {
	in, fl := a.in, &a.f.Flows
	w := a.opt.Workers

	starts, ends := make([]int, in.nA), make([]int, in.nA)
	for _, p := range a.parts {
		for c := range starts {
			starts[c] += p.starts[c]
			ends[c] += p.ends[c]
		}
	}
	fl.Starts, fl.Ends = endpoints(starts, in.acts), endpoints(ends, in.acts)

	each(w, 2, func(_, kind int) {
		if kind == 0 {
			fl.Variants = a.acts.variants(in.acts, func(k int, r int32) { a.f.Cases[k].Variant = r })
		} else {
			fl.Paths = a.paths.variants(in.units, func(k int, r int32) { a.f.Cases[k].Path = r })
		}
	})
	a.acts.free()
	a.paths.free()
	a.acts, a.paths = nil, nil

	// Sorted: the silo tests need them so.
	sortAll(a.opt.Memory, a.handoffs.groups(), w)
	fl.Pairs = make([]Handoff, len(a.handoffs.keys))
	for i, key := range a.handoffs.keys {
		x := a.handoffs.group(i)
		fl.Pairs[i] = Handoff{From: in.units[key/in.nU], To: in.units[key%in.nU], Count: len(x), Median: sec(quantile(x, 0.5))}
	}
	fl.Handoffs = len(a.handoffs.vals)
	slices.SortFunc(fl.Pairs, func(x, y Handoff) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	})
}

// edges puts the directly-follows durations in place in a pass of their
// own and merges them into Flows.Edges.
func (a *analysis) edges() {
	in, fl := a.in, &a.f.Flows
	dfg := a.put(func(p *part, k, lo, hi int) { p.follows(k, lo, hi, true) }, func(p *part) *tally { return &p.dfg })[0]
	defer dfg.free(a.opt.Memory)
	fl.Edges = make([]Edge, len(dfg.keys))
	dfg.groupQuantiles(a.opt.Memory, a.opt.Workers, []float64{0.5, 0.9}, func(i int, x []int64, q func() []float64) {
		key := dfg.keys[i]
		e := Edge{From: in.acts[key/in.nA], To: in.acts[key%in.nA], Count: len(x), Mean: sec(sum(x).float() / float64(len(x)))}
		p := q()
		e.Median, e.P90 = sec(p[0]), sec(p[1])
		fl.Edges[i] = e
	})
	fl.Arcs = len(dfg.vals)
	slices.SortFunc(fl.Edges, func(x, y Edge) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	})
}

func endpoints(counts []int, names []string) []Endpoint {
	var out []Endpoint
	for c, n := range counts {
		if n > 0 {
			out = append(out, Endpoint{Activity: names[c], Cases: n})
		}
	}
	slices.SortFunc(out, func(x, y Endpoint) int {
		return cmp.Or(cmp.Compare(y.Cases, x.Cases), cmp.Compare(x.Activity, y.Activity))
	})
	return out
}

// pingPong merges the ping-pong pairs and totals.
func (a *analysis) pingPong() {
	in, pp := a.in, &a.f.PingPong
	returns := &a.returns
	pp.Pairs = make([]Pair, len(returns.keys))
	returns.groupQuantiles(a.opt.Memory, a.opt.Workers, []float64{0.5}, func(i int, x []int64, q func() []float64) {
		key := returns.keys[i]
		u, v := in.units[key/in.nU], in.units[key%in.nU]
		if u > v {
			u, v = v, u
		}
		pp.Pairs[i] = Pair{A: u, B: v, Occurrences: len(x), Cases: returns.cases[i], Return: sec(q()[0])}
	})
	a.returns.free(a.opt.Memory)
	slices.SortFunc(pp.Pairs, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Occurrences, x.Occurrences), cmp.Compare(y.Cases, x.Cases),
			cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	pp.Occurrences = a.total(func(p *part) int { return p.occ })
	pp.Cases = a.total(func(p *part) int { return p.occCases })
	pp.Revisits = a.total(func(p *part) int { return p.revisits })
	pp.RevisitCases = a.total(func(p *part) int { return p.revisitCases })
	pp.Closing = a.total(func(p *part) int { return p.closing })
	if n := in.cases(); n > 0 {
		pp.CaseRate = float64(pp.Cases) / float64(n)
		pp.ClosingRate = float64(pp.Closing) / float64(n)
	}
}

// closingReturn says whether the direct ping-pong that returns to the
// j-th of a case's n stays, unit(i) naming the i-th stay's unit, is a
// closing return: back to the case's front office for its last stay, the
// designed round trip of a front office that takes the request, passes
// it on and closes it (KCC → back office → KCC). Such a return is no
// sign of work bouncing, so it is counted apart from ping-pong. The front
// office is the first unit that is not a telephony waiting stage (the
// VRU and queue of call records, eventlog.CallVRUDepartment and
// CallQueueDepartment): a case that starts with a call and goes on as a
// ticket is taken by the agent's team, not by the VRU. A case with no
// such unit before stay j has no front office and no closing return.
func closingReturn(n, j int, unit func(i int) string) bool {
	if j != n-1 {
		return false
	}
	for i := range j {
		if u := unit(i); u != eventlog.CallVRUDepartment && u != eventlog.CallQueueDepartment {
			return u == unit(j)
		}
	}
	return false
}

// pairCosts sets each ping-pong pair's LeadCases and LeadMedian from the
// cases' unit paths: a path ping-pongs on {s[i], s[i+1]} where s[i] =
// s[i+2] ≠ s[i+1], unless that is its closing return (closingReturn). It
// runs once per distinct path, not per case.
func (a *analysis) pairCosts() {
	f := a.f
	pairs := f.PingPong.Pairs
	index := make(map[[2]string]int, len(pairs))
	for i, p := range pairs {
		index[[2]string{p.A, p.B}] = i
	}
	on := make([][]int, len(f.Flows.Paths)) // the pairs each path ping-pongs on
	for j, v := range f.Flows.Paths {
		s := v.Steps
		for i := 0; i+2 < len(s); i++ {
			if s[i] != s[i+2] || s[i] == s[i+1] || closingReturn(len(s), i+2, func(k int) string { return s[k] }) {
				continue
			}
			if k, ok := index[[2]string{min(s[i], s[i+1]), max(s[i], s[i+1])}]; ok && !slices.Contains(on[j], k) {
				on[j] = append(on[j], k)
			}
		}
	}
	m := a.opt.Memory
	leads := make([][]float64, len(pairs))
	defer spill.Free(m, leads...)
	for _, c := range f.Cases {
		if c.Measured && c.Path >= 0 && int(c.Path) < len(on) {
			for _, k := range on[c.Path] {
				leads[k] = spill.Push(m, leads[k], c.Lead)
			}
		}
	}
	for k, x := range leads {
		slices.Sort(x)
		pairs[k].LeadCases = len(x)
		pairs[k].LeadMedian = interpolate(len(x), 0.5, func(i int) float64 { return x[i] })
	}
}
