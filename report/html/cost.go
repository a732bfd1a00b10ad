package html

import (
	"slices"

	"github.com/caseflow/caseflow/mining"
)

// cost is what a ping-pong pair costs: the number of measured cases that
// ping-pong on it and their median lead time.
type cost struct {
	n      int
	median float64
}

// pairCosts finds the cost of each of pairs from the cases' unit paths,
// with mining's definition of a direct ping-pong (a position i with
// s[i] = s[i+2] ≠ s[i+1], attributed to {s[i], s[i+1]}); a case counts once
// per pair however often it bounces. The median interpolates between the
// middle two (Hyndman & Fan 1996, definition 7), as mining's do.
func pairCosts(f *mining.Findings, pairs []mining.Pair) []cost {
	index := make(map[[2]string]int, len(pairs))
	for i, p := range pairs {
		index[[2]string{p.A, p.B}] = i
	}
	on := make([][]int, len(f.Flows.Paths)) // pairs each path ping-pongs on
	for j, v := range f.Flows.Paths {
		s := v.Steps
		for i := 0; i+2 < len(s); i++ {
			if s[i] != s[i+2] || s[i] == s[i+1] {
				continue
			}
			if k, ok := index[[2]string{min(s[i], s[i+1]), max(s[i], s[i+1])}]; ok && !slices.Contains(on[j], k) {
				on[j] = append(on[j], k)
			}
		}
	}
	leads := make([][]float64, len(pairs))
	for _, c := range f.Cases {
		if c.Measured && int(c.Path) < len(on) {
			for _, k := range on[c.Path] {
				leads[k] = append(leads[k], c.Lead)
			}
		}
	}
	out := make([]cost, len(pairs))
	for k, x := range leads {
		slices.Sort(x)
		out[k] = cost{len(x), median(x)}
	}
	return out
}

// median of sorted x; 0 when empty.
func median(x []float64) float64 {
	n := len(x)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return x[n/2]
	}
	return x[n/2-1] + (x[n/2]-x[n/2-1])/2
}
