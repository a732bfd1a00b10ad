package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Results are the answers to W2–W6 in one shape for every tool. Lists are
// in caseflow's order (see workload.sql). A reader that gets only part of
// a list (caseflow's JSON cuts lists to its --top) leaves the matching
// Full flag false; a figure it cannot get at all is -1.
type Results struct {
	Source string `json:"source"`
	Cases  int    `json:"cases"`
	Events int    `json:"events"`

	// W2: every directly-follows edge, and the number of arcs.
	DFG     []Count `json:"dfg"`
	DFGFull bool    `json:"dfg_full"`
	Edges   int     `json:"edges"`
	Arcs    int     `json:"arcs"`

	// W3: every handoff pair, and the number of handoffs.
	Handoffs     []Count `json:"handoffs"`
	HandoffsFull bool    `json:"handoffs_full"`
	HandoffPairs int     `json:"handoff_pairs"`
	HandoffTotal int     `json:"handoff_total"`

	// W4: direct ping-pong, closing returns left out, and the closing
	// returns apart.
	Occurrences int    `json:"occurrences"`
	PPCases     int    `json:"pingpong_cases"`
	Pairs       []Pair `json:"pairs"`
	PairsFull   bool   `json:"pairs_full"`
	PairCount   int    `json:"pair_count"`
	Closing     int    `json:"closing_returns"`

	// W5: lead time.
	Lead Lead `json:"lead"`

	// W6: the number of distinct activity variants and the top ones.
	Variants int       `json:"variants"`
	Top      []Variant `json:"top"`
}

// Count is a directly-follows edge or a handoff pair.
type Count struct {
	From string `json:"from"`
	To   string `json:"to"`
	N    int    `json:"n"`
}

// Pair is an unordered ping-pong pair, A before B in byte order.
type Pair struct {
	A           string `json:"a"`
	B           string `json:"b"`
	Occurrences int    `json:"occurrences"`
	Cases       int    `json:"cases"`
}

// Lead is the W5 lead-time summary.
type Lead struct {
	Cases int `json:"cases"`
	// Q are the median, P90, P95 and P99 in seconds.
	Q        [4]float64 `json:"q"`
	AboveP95 int        `json:"above_p95"`
	// AboveFrom names where AboveP95 came from when not from the source's
	// own figure.
	AboveFrom string `json:"above_from,omitempty"`
	// Tolerance is how far Q may be off because the source rounds it
	// (caseflow's JSON: to the millisecond).
	Tolerance float64 `json:"tolerance"`
}

// TopVariants is the length of W6's list.
const TopVariants = 10

// Variant is an activity variant and the cases that follow it.
type Variant struct {
	Steps []string `json:"steps"`
	Cases int      `json:"cases"`
}

// Check is one comparison of a figure between the peer and caseflow.
type Check struct {
	W, What string
	OK      bool
	// Skip says why the figure could not be compared; OK is then false.
	Skip string
	Diff string
}

// compare checks got (caseflow, possibly partial) against want (the
// peer, complete).
func compare(want, got *Results) []Check {
	var cs []Check
	add := func(w, what string, ok bool, diff string) {
		cs = append(cs, Check{W: w, What: what, OK: ok, Diff: diff})
	}
	skip := func(w, what, why string) { cs = append(cs, Check{W: w, What: what, Skip: why}) }
	num := func(w, what string, a, b int) {
		if b < 0 {
			skip(w, what, "not in "+got.Source)
			return
		}
		add(w, what, a == b, fmt.Sprintf("%d vs %d", a, b))
	}
	num("-", "cases", want.Cases, got.Cases)
	num("-", "events", want.Events, got.Events)

	num("W2", "edges", want.Edges, got.Edges)
	num("W2", "arcs", want.Arcs, got.Arcs)
	list(&cs, "W2", "edge counts", want.DFG, got.DFG, got.DFGFull)

	num("W3", "handoffs", want.HandoffTotal, got.HandoffTotal)
	num("W3", "handoff pairs", want.HandoffPairs, got.HandoffPairs)
	list(&cs, "W3", "handoff matrix", want.Handoffs, got.Handoffs, got.HandoffsFull)

	num("W4", "occurrences", want.Occurrences, got.Occurrences)
	num("W4", "cases with ping-pong", want.PPCases, got.PPCases)
	num("W4", "pairs", want.PairCount, got.PairCount)
	list(&cs, "W4", "pair counts", want.Pairs, got.Pairs, got.PairsFull)
	num("W4", "closing returns", want.Closing, got.Closing)

	num("W5", "cases with a lead time", want.Lead.Cases, got.Lead.Cases)
	names := [4]string{"median", "P90", "P95", "P99"}
	// Timestamps have microseconds: closer than that is float rounding.
	// A value rounded at a tie is off by exactly its tolerance, which the
	// subtraction of two floats near 10^5 s may overstate by ~10^-11.
	tol := max(want.Lead.Tolerance, got.Lead.Tolerance, 1e-6) + 1e-9
	for i, name := range names {
		a, b := want.Lead.Q[i], got.Lead.Q[i]
		add("W5", name, math.Abs(a-b) <= tol, fmt.Sprintf("%.6f s vs %.6f s", a, b))
	}
	above := "cases above P95"
	if got.Lead.AboveFrom != "" {
		above += " (" + got.Lead.AboveFrom + ")"
	}
	num("W5", above, want.Lead.AboveP95, got.Lead.AboveP95)

	num("W6", "variants", want.Variants, got.Variants)
	k := min(TopVariants, len(want.Top))
	if len(got.Top) < k {
		add("W6", "top variants", false, fmt.Sprintf("%s lists %d, want %d", got.Source, len(got.Top), k))
	} else {
		list(&cs, "W6", fmt.Sprintf("top %d variants", TopVariants), want.Top[:k], got.Top[:k], true)
	}
	return cs
}

// ranked is an entry of a list ordered by a count, highest first.
type ranked interface{ rank() int }

func (c Count) rank() int   { return c.N }
func (p Pair) rank() int    { return p.Occurrences }
func (v Variant) rank() int { return v.Cases }

// list checks that got is want, or its top when got is cut (not full):
// every entry of got is a distinct entry of want and has the count of
// want's entry at its place. The order among equal counts is not part of
// the workload's definitions, so it may differ; the check says when it does.
func list[T ranked](cs *[]Check, w, what string, want, got []T, full bool) {
	c := Check{W: w, What: what, OK: true, Diff: fmt.Sprintf("%d entries", len(got))}
	if !full {
		c.What += fmt.Sprintf(" (top %d)", len(got))
	}
	defer func() { *cs = append(*cs, c) }()
	if len(got) > len(want) || full && len(got) != len(want) {
		c.OK, c.Diff = false, fmt.Sprintf("%d vs %d entries", len(want), len(got))
		return
	}
	in := make(map[string]bool, len(want))
	for _, x := range want {
		in[fmt.Sprint(x)] = true
	}
	reordered := false
	for i, x := range got {
		key := fmt.Sprint(x)
		switch {
		case x.rank() != want[i].rank():
			c.OK, c.Diff = false, fmt.Sprintf("entry %d: %v vs %v", i+1, want[i], x)
		case !in[key]:
			c.OK, c.Diff = false, fmt.Sprintf("entry %d: %v is not in %s's list", i+1, x, "the peer")
		}
		if !c.OK {
			return
		}
		delete(in, key) // a second copy is then "not in the list"
		reordered = reordered || key != fmt.Sprint(want[i])
	}
	if reordered {
		c.Diff += "; order among equal counts differs"
	}
}

// String shows a variant on one line.
func (v Variant) String() string {
	return fmt.Sprintf("{%s: %d}", strings.Join(v.Steps, " > "), v.Cases)
}

// totals fills the figures that follow from complete lists.
func (r *Results) totals() {
	r.Edges, r.Arcs = len(r.DFG), sumN(r.DFG)
	r.HandoffPairs, r.HandoffTotal = len(r.Handoffs), sumN(r.Handoffs)
	r.PairCount = len(r.Pairs)
	r.DFGFull, r.HandoffsFull, r.PairsFull = true, true, true
}

func sumN(cs []Count) int {
	s := 0
	for _, c := range cs {
		s += c.N
	}
	return s
}

// failed reports whether any check failed (skipped ones do not count).
func failed(cs []Check) bool {
	return slices.ContainsFunc(cs, func(c Check) bool { return !c.OK && c.Skip == "" })
}
