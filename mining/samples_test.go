package mining

import (
	"fmt"
	"testing"
)

// The figures of every sample kind (directly-follows times, internal gaps,
// handoffs, returns) are right on groups larger than radix selection's
// cut-off of 2·radixSize values, whatever the workers, whose shards each
// put part of a group. Case i of n takes d[i] seconds: Open (P) at 0, Work
// (P) at d, Pass (Q) 2d later, Back (P) 3d later and End (R) 1 s later, so
// each figure is c·d for a c of its own. d is a permutation of 1…n, whose
// mean and median are (n+1)/2 and whose P90 (definition 7, at rank 0.9·(n−1)
// = 4499.1 from 0) is 4500.1; and a skewed sample, one case of 2000 s
// first and the others alternating 2 s and 1 s, where selection recurses
// into a bucket of more than 2·radixSize values and overwrites the group
// with it: 2499 ones, 2500 twos and 2000, so mean 9499/5000, median and
// P90 2.
func TestLargeSampleFigures(t *testing.T) {
	const n = 5000
	if n <= 2*radixSize {
		t.Fatalf("n = %d does not exceed the selection cut-off %d", n, 2*radixSize)
	}
	perm, skewed := make([]int, n), make([]int, n)
	for i := range n {
		perm[i] = (i*7919)%n + 1 // 7919 is prime to n: each of 1…n once
		skewed[i] = 1 + i%2
	}
	skewed[0] = 2000
	for _, c := range []struct {
		name              string
		d                 []int
		mean, median, p90 float64
	}{
		{"permutation", perm, float64(n+1) / 2, float64(n+1) / 2, 4500.1},
		{"skewed", skewed, 9499.0 / n, 2, 2},
	} {
		for _, w := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", c.name, w), func(t *testing.T) {
				largeSample(t, c.d, w, c.mean, c.median, c.p90)
			})
		}
	}
}

func largeSample(t *testing.T, d []int, workers int, mean, median, p90 float64) {
	n := len(d)
	at := func(s int) string { return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60) }
	var evs []ev
	for i, d := range d {
		id := fmt.Sprintf("c%04d", i)
		evs = append(evs,
			ev{id, "Open", at(0), "P"},
			ev{id, "Work", at(d), "P"},
			ev{id, "Pass", at(3 * d), "Q"},
			ev{id, "Back", at(6 * d), "P"},
			ev{id, "End", at(6*d + 1), "R"})
	}
	f := analyze(t, evs, Options{Workers: workers})
	e := edges(f)
	for _, c := range []struct {
		from, to string
		k        float64
	}{{"Open", "Work", 1}, {"Work", "Pass", 2}, {"Pass", "Back", 3}} {
		x := e[[2]string{c.from, c.to}]
		name := c.from + "→" + c.to
		if x.Count != n {
			t.Errorf("%s: count %d, want %d", name, x.Count, n)
		}
		checkNum(t, name+" mean", x.Mean, c.k*mean)
		checkNum(t, name+" median", x.Median, c.k*median)
		checkNum(t, name+" P90", x.P90, c.k*p90)
	}
	handoff := map[[2]string]Handoff{}
	for _, h := range f.Flows.Pairs {
		handoff[[2]string{h.From, h.To}] = h
	}
	checkNum(t, "handoff P→Q median", handoff[[2]string{"P", "Q"}].Median, 2*median)
	checkNum(t, "handoff Q→P median", handoff[[2]string{"Q", "P"}].Median, 3*median)
	if h := handoff[[2]string{"P", "R"}]; h.Count != n || h.Median != 1 {
		t.Errorf("handoff P→R %+v, want %d of 1 s", h, n)
	}
	for _, u := range f.Silos.Units {
		if u.Name == "P" && (u.Gaps != n || !near(u.Gap, median)) {
			t.Errorf("P has %d gaps of median %v, want %d of %v", u.Gaps, u.Gap, n, median)
		}
	}
	pp := f.PingPong.Pairs
	if len(pp) != 1 || pp[0].A != "P" || pp[0].B != "Q" || pp[0].Occurrences != n || pp[0].Cases != n {
		t.Fatalf("ping-pong %+v, want P–Q in all %d cases", pp, n)
	}
	checkNum(t, "P–Q return median", pp[0].Return, 5*median)
}
