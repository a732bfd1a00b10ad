package report

import (
	"slices"

	"github.com/caseflow/caseflow/mining"
)

// cost is what one ping-pong pair costs: the lead times of the measured
// cases with a direct ping-pong on the pair, and their median.
type cost struct {
	n      int
	median float64
}

// pairCosts finds, for each unordered pair {a, b} (a < b), the median lead
// time of the measured cases that ping-pong on it, from the cases' unit
// paths (mining's definition: a position i with s[i] = s[i+2] ≠ s[i+1],
// attributed to {s[i], s[i+1]}). A case counts once per pair however
// often it bounces. The median interpolates linearly (Hyndman & Fan 1996,
// definition 7), as mining's medians do.
func pairCosts(cases []mining.Case, paths [][]string) map[[2]string]cost {
	pairsOf := make([][][2]string, len(paths))
	for j, s := range paths {
		for i := 0; i+2 < len(s); i++ {
			if s[i] != s[i+2] || s[i] == s[i+1] {
				continue
			}
			k := [2]string{min(s[i], s[i+1]), max(s[i], s[i+1])}
			if !slices.Contains(pairsOf[j], k) {
				pairsOf[j] = append(pairsOf[j], k)
			}
		}
	}
	leads := map[[2]string][]float64{}
	for _, c := range cases {
		if !c.Measured || c.Path < 0 || int(c.Path) >= len(paths) {
			continue
		}
		for _, k := range pairsOf[c.Path] {
			leads[k] = append(leads[k], c.Lead)
		}
	}
	out := make(map[[2]string]cost, len(leads))
	for k, x := range leads {
		slices.Sort(x)
		out[k] = cost{n: len(x), median: median(x)}
	}
	return out
}

// median of sorted x, interpolating between the middle two; 0 when empty.
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
