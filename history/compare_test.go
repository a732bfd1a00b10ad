package history

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestProportions checks the interval against Newcombe's (1998) own
// example (a), 56/70 against 48/80, method 10: 0.0524 to 0.3339; and the
// p-value against Pearson's χ² of the 2×2 table, computed here from the
// expected counts.
func TestProportions(t *testing.T) {
	d, lo, hi, p := proportions(56, 70, 48, 80)
	if !near(d, 56.0/70-48.0/80, 1e-12) || !near(lo, 0.0524, 5e-5) || !near(hi, 0.3339, 5e-5) {
		t.Errorf("difference %.4f (%.4f to %.4f), want 0.1667 (0.0524 to 0.3339)", d, lo, hi)
	}
	obs := [2][2]float64{{56, 14}, {48, 32}}
	rows, cols, n := [2]float64{70, 80}, [2]float64{104, 46}, 150.0
	var chi2 float64
	for i := range 2 {
		for j := range 2 {
			e := rows[i] * cols[j] / n
			chi2 += (obs[i][j] - e) * (obs[i][j] - e) / e
		}
	}
	if want := (distuv.ChiSquared{K: 1}).Survival(chi2); !near(p, want, 1e-12) {
		t.Errorf("p = %g, want Pearson's %g", p, want)
	}
	if _, _, _, p := proportions(0, 10, 0, 20); p != 1 {
		t.Errorf("no events on either side: p = %g, want 1", p)
	}
}

// rates is a run whose only metric is a rate of k in n.
func rates(hash string, k, n int64) Run {
	return Run{OptionsHash: hash, Metrics: []Metric{{Name: "pingpong.case_rate", Kind: Rate, Value: float64(k) / float64(n), N: n, Num: k, Den: n}}}
}

func TestCompareRates(t *testing.T) {
	past := []Run{rates("h", 100, 1000), rates("other", 500, 1000), rates("h", 95, 1000), rates("h", 105, 1000)}
	cur := rates("h", 200, 1000)
	c := Compare(past, &cur, 2, DefaultFDR)
	if c.Comparable != 3 || c.OtherOptions != 1 {
		t.Errorf("comparable %d, other options %d; want 3 and 1", c.Comparable, c.OtherOptions)
	}
	if len(c.Changes) != 2 {
		t.Fatalf("%d changes, want against the previous run and the last 2", len(c.Changes))
	}
	prev, pooled := c.Changes[0], c.Changes[1]
	if prev.Pooled || prev.Runs != 1 || prev.Before != 0.105 || prev.NBefore != 1000 {
		t.Errorf("against the previous run: %+v", prev)
	}
	// The last 2 comparable runs: 95 and 105 of 1000; the run with other
	// options is skipped.
	if !pooled.Pooled || pooled.Runs != 2 || pooled.Before != 0.1 || pooled.NBefore != 2000 {
		t.Errorf("against the last 2: %+v", pooled)
	}
	for _, ch := range c.Changes {
		if !ch.Worse || ch.Method != ZTest || !(ch.Low > 0) {
			t.Errorf("10 %% to 20 %% of 1000: %+v; want significantly worse", ch)
		}
	}
	if d := c.Drift([]string{"lead_time"}); len(d) != 0 {
		t.Errorf("drift on lead_time: %v; the rate is not a lead time", d)
	}
	if d := c.Drift([]string{"pingpong"}); len(d) != 2 {
		t.Errorf("drift on pingpong: %d changes, want 2", len(d))
	}
	same := rates("h", 104, 1000)
	if c := Compare(past, &same, 7, DefaultFDR); len(c.Drift(nil)) != 0 {
		t.Errorf("10.5 %% to 10.4 %%: drift %+v", c.Drift(nil))
	}
	// Better is not drift, even when significant.
	better := rates("h", 20, 1000)
	if c := Compare(past, &better, 7, DefaultFDR); len(c.Drift(nil)) != 0 || !c.Changes[0].Significant {
		t.Errorf("10 %% to 2 %%: %+v; want significant, no drift", c.Changes)
	}
	lone := rates("new options", 1, 10)
	if c := Compare(past, &lone, 7, DefaultFDR); len(c.Changes) != 0 || c.OtherOptions != 4 {
		t.Errorf("a run with new options: %+v; want nothing compared, 4 runs with other options", c)
	}
}

// TestCompareDurations checks the shift of a hand-computed example: the
// differences of {4,5,6} s and {1,2,3} s are 1,2,2,3,3,3,4,4,5, median 3 s.
func TestCompareDurations(t *testing.T) {
	mk := func(ms ...int64) Run {
		return Run{Metrics: []Metric{
			{Name: "lead_time.median_s", Kind: Durations, Value: float64(ms[len(ms)/2]) / 1000, N: int64(len(ms)), Samples: ms},
			{Name: "lead_time.p90_s", Kind: Quantile, Q: 0.9, Of: "lead_time.median_s"},
		}}
	}
	past := []Run{mk(1000, 2000, 3000)}
	cur := mk(4000, 5000, 6000)
	c := Compare(past, &cur, 7, DefaultFDR)
	if len(c.Changes) != 1 {
		t.Fatalf("changes %+v", c.Changes)
	}
	d := c.Changes[0]
	if d.Method != MannWhitney || d.Diff != 3 || d.Before != 2 || d.After != 5 || d.Worse {
		t.Errorf("durations: %+v; want a shift of 3 s from 2 s to 5 s, not significant", d)
	}
	// Three values a side put fewer than MinExpected above the pooled P90.
	if len(c.TooFew) != 1 || c.TooFew[0] != "lead_time.p90_s" {
		t.Errorf("too few to test: %v, want the P90", c.TooFew)
	}
	// 1..100 s against 51..150 s: the pooled 200 values are 1..50 once,
	// 51..100 twice and 101..150 once, so their P90 (definition 7: between
	// ranks 180 and 181, 1 + 199·0.9) is 130.1 s; 20 of the later values are
	// above it, none of the earlier.
	seq := func(from int64) []int64 {
		var x []int64
		for i := from; i < from+100; i++ {
			x = append(x, i*1000)
		}
		return x
	}
	past, cur = []Run{mk(seq(1)...)}, mk(seq(51)...)
	c = Compare(past, &cur, 7, DefaultFDR)
	if len(c.Changes) != 2 {
		t.Fatalf("changes %+v", c.Changes)
	}
	q := c.Changes[1]
	if q.Method != QuantileTest || !near(q.Threshold, 130.1, 1e-9) || q.ShareAfter != 0.2 || q.ShareBefore != 0 || !q.Worse {
		t.Errorf("quantile: %+v; want 0 %% to 20 %% above 130.1 s, worse", q)
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		metric string
		names  []string
		want   bool
	}{
		{"pingpong.case_rate", nil, true},
		{"pingpong.case_rate", []string{"pingpong.case_rate"}, true},
		{"pingpong.case_rate", []string{"pingpong"}, true},
		{"pingpong.pair[A ↔ B].case_rate", []string{"pingpong.pair"}, true},
		{"pingpong.closing_rate", []string{"pingpong.case_rate", "lead_time"}, false},
		{"pingpong.case_rates", []string{"pingpong.case_rate"}, false},
	} {
		if got := Matches(tc.metric, tc.names); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v", tc.metric, tc.names, got)
		}
	}
}

func TestMerge(t *testing.T) {
	got := merge([][]int64{{1, 4, 9}, {}, {2, 2, 10}, {0, 5}})
	if want := []int64{0, 1, 2, 2, 4, 5, 9, 10}; !slices.Equal(got, want) {
		t.Errorf("merge = %v, want %v", got, want)
	}
}

// TestMinShift: a shift of durations below MinShift of the earlier median
// is not significant however small its p-value. 4,000 waits of 100..4099 s
// (median 2,099.5 s) against the same plus 200 s (p ≈ 0, +9.5 %: not
// significant) or plus 600 s (+28.6 %: worse).
func TestMinShift(t *testing.T) {
	mk := func(plus int64) Run {
		var ms []int64
		for i := int64(100); i < 4100; i++ {
			ms = append(ms, (i+plus)*1000)
		}
		return Run{Metrics: []Metric{{Name: "silos.boundary[A → B].median_wait_s", Kind: Durations, Value: float64(ms[2000]) / 1000, N: int64(len(ms)), Samples: ms}}}
	}
	for _, tc := range []struct {
		plus  int64
		worse bool
	}{{200, false}, {600, true}} {
		cur := mk(tc.plus)
		c := Compare([]Run{mk(0)}, &cur, 7, DefaultFDR)
		if len(c.Changes) != 1 {
			t.Fatalf("changes %+v", c.Changes)
		}
		d := c.Changes[0]
		if d.Diff != float64(tc.plus) || d.PAdjusted > DefaultFDR || d.Worse != tc.worse || d.Significant != tc.worse {
			t.Errorf("+%d s: shift %v s, p %v, significant %v, worse %v; want the shift, p ≤ FDR, significant and worse %v",
				tc.plus, d.Diff, d.PAdjusted, d.Significant, d.Worse, tc.worse)
		}
	}
}
