package history

import (
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/caseflow/caseflow/mining"
)

// DefaultK is how many earlier runs are pooled for the second comparison.
const DefaultK = 7

// DefaultFDR is the false discovery rate over all comparisons of a run. It
// is lower than the silo tests' 5 %: a nightly job that alerts at 5 %
// would wake someone about once in twenty quiet nights.
const DefaultFDR = 0.01

// MinShift is the smallest change of durations that counts, as a share of
// the earlier median: a Hodges–Lehmann shift below it is not significant
// however small its p-value. On a large log a border's 43-minute wait
// that became 53 is "significant" (and arises from the days of the week a
// night holds); it is not what a nightly alert should wake anyone for.
// Like the silo tests' minimum ratio and shift, it is a minimum effect.
const MinShift = 0.25

// Methods of Change.Method.
const (
	ZTest        = "two-proportion z test"
	MannWhitney  = "Mann–Whitney"
	QuantileTest = "quantile test"
)

// Change is one metric of a run compared with earlier runs.
type Change struct {
	Metric string
	Kind   Kind
	// Pooled is false against the previous run, true against the last K
	// runs pooled, Runs of which have the metric.
	Pooled bool
	Runs   int
	// Before and After are the figures compared: rates, or durations'
	// medians or quantiles in seconds (Before of pooled runs is their
	// pooled sample's); NBefore and NAfter the sample sizes.
	Before, After   float64
	NBefore, NAfter int64
	// Diff is the change with its 95 % confidence interval [Low, High]:
	// for a rate After − Before with Newcombe's (1998, method 10) hybrid
	// score interval; for durations the Hodges–Lehmann shift in seconds
	// with Lehmann's interval; for a quantile the change in the share of
	// durations above Threshold (seconds, the pooled samples' quantile),
	// ShareBefore to ShareAfter, with Newcombe's interval: Mood's (1950)
	// median test at another quantile (Conover 1999, §4.3), its 2×2 table
	// tested as a rate.
	Diff, Low, High         float64
	Threshold               float64
	ShareBefore, ShareAfter float64
	Method                  string
	// P is the two-sided p-value; PAdjusted it adjusted by Benjamini &
	// Hochberg over all of the run's changes. Significant is PAdjusted ≤
	// the FDR and, for durations, a shift of at least MinShift of Before;
	// Worse is a significant change in the bad direction.
	P, PAdjusted       float64
	Significant, Worse bool
	HigherBetter       bool
	up                 int     // the direction of the change: +1 up, −1 down, 0 none
	minExpected        float64 // the smallest expected count of a 2×2 table
}

// Comparison is a run compared with the earlier runs of the same options.
type Comparison struct {
	// Previous is the ID and time of the previous comparable run; "" when
	// there is none.
	Previous     string
	PreviousTime time.Time
	// Comparable counts the earlier runs with the same options hash;
	// OtherOptions those with another, stored but not compared.
	Comparable, OtherOptions int
	// K is the most runs pooled, FDR the false discovery rate used.
	K   int
	FDR float64
	// Changes, metric by metric in the run's order, each against the
	// previous run and then, with two or more comparable runs, against
	// the last K pooled.
	Changes []Change
	// Untested names the metrics kept for the trend only; TooFew those
	// whose counts were too small to test (see MinExpected).
	Untested, TooFew []string
}

// MinExpected is the smallest expected count, in each cell of the 2×2
// table, for which a rate is tested: the normal approximation of the z
// test is poor below it (Cochran 1954), and a pair bouncing in a handful of
// cases would alarm on chance.
const MinExpected = 5

// Compare compares cur with past (oldest first; cur not among them): with
// the last run whose options hash is cur's, and with the last k such runs
// pooled when there are two or more. fdr is the false discovery rate of
// Benjamini & Hochberg over all changes. A metric is compared with the
// runs that have it; a run without comparable runs gives no changes.
func Compare(past []Run, cur *Run, k int, fdr float64) Comparison {
	c := Comparison{K: k, FDR: fdr}
	var same []*Run
	for i := range past {
		if past[i].OptionsHash == cur.OptionsHash {
			same = append(same, &past[i])
		} else {
			c.OtherOptions++
		}
	}
	c.Comparable = len(same)
	if len(same) == 0 {
		return c
	}
	prev := same[len(same)-1]
	c.Previous, c.PreviousTime = prev.ID, prev.Time
	last := same[max(0, len(same)-k):]
	for i := range cur.Metrics {
		m := &cur.Metrics[i]
		if m.Kind == Value {
			c.Untested = append(c.Untested, m.Name)
			continue
		}
		sets := [][]*Run{{prev}}
		if len(last) >= 2 {
			sets = append(sets, last)
		}
		few := false
		for _, runs := range sets {
			ch, ok := compare(cur, m, runs)
			switch {
			case ok && ch.Method != MannWhitney && ch.minExpected < MinExpected:
				few = true
			case ok:
				c.Changes = append(c.Changes, ch)
			}
		}
		if few {
			c.TooFew = append(c.TooFew, m.Name)
		}
	}
	p := make([]float64, len(c.Changes))
	for i, ch := range c.Changes {
		p[i] = ch.P
	}
	for i, q := range mining.AdjustBH(p) {
		ch := &c.Changes[i]
		ch.PAdjusted = q
		ch.Significant = q <= fdr && (ch.Kind != Durations || math.Abs(ch.Diff) >= MinShift*ch.Before)
		ch.Worse = ch.Significant && (ch.up > 0 && !ch.HigherBetter || ch.up < 0 && ch.HigherBetter)
	}
	return c
}

// compare compares metric m of cur with the same metric pooled over runs;
// false when none of them has it, or either side has no data.
func compare(cur *Run, m *Metric, runs []*Run) (Change, bool) {
	ch := Change{Metric: m.Name, Kind: m.Kind, After: m.Value, NAfter: m.N, HigherBetter: m.HigherBetter}
	var refs []*Metric
	var samples [][]int64
	for _, r := range runs {
		if o := r.Metric(m.Name); o != nil && o.Kind == m.Kind {
			refs = append(refs, o)
			if m.Kind == Quantile {
				if d := r.Metric(m.Of); d != nil {
					samples = append(samples, d.Samples)
				}
			}
		}
	}
	if len(refs) == 0 {
		return ch, false
	}
	ch.Runs, ch.Pooled = len(refs), len(runs) > 1
	switch m.Kind {
	case Rate:
		var k, n int64
		for _, o := range refs {
			k, n = k+o.Num, n+o.Den
		}
		if n == 0 || m.Den == 0 {
			return ch, false
		}
		ch.Method, ch.NBefore = ZTest, n
		ch.Before = float64(k) / float64(n)
		ch.Diff, ch.Low, ch.High, ch.P = proportions(m.Num, m.Den, k, n)
		ch.minExpected = minExpected(m.Num, m.Den, k, n)
	case Durations:
		var pooled [][]int64
		for _, o := range refs {
			pooled = append(pooled, o.Samples)
		}
		y := merge(pooled)
		if len(y) == 0 || len(m.Samples) == 0 {
			return ch, false
		}
		ch.Method, ch.NBefore = MannWhitney, int64(len(y))
		ch.Before = refs[0].Value
		if len(refs) > 1 {
			ch.Before = mining.Quantile(y, 0.5) / 1000
		}
		t := mining.CompareSamples(m.Samples, y, 0.95, 0)
		ch.Diff, ch.Low, ch.High, ch.P = t.Shift/1000, t.Low/1000, t.High/1000, t.P
		// The direction from U, which is not 0 when heavy ties make the
		// shift 0.
		ch.up = sign(t.U - float64(len(m.Samples))*float64(len(y))/2)
	case Quantile:
		d := cur.Metric(m.Of)
		y := merge(samples)
		if d == nil || len(d.Samples) == 0 || len(y) == 0 {
			return ch, false
		}
		x := d.Samples
		ch.Method, ch.NBefore = QuantileTest, int64(len(y))
		ch.Before = refs[0].Value
		if len(refs) > 1 {
			ch.Before = mining.Quantile(y, m.Q) / 1000
		}
		t := mining.Quantile(merge([][]int64{x, y}), m.Q)
		ch.Threshold = t / 1000
		above := func(s []int64) int64 {
			i, _ := slices.BinarySearch(s, int64(math.Floor(t))+1)
			return int64(len(s) - i)
		}
		ka, kb := above(x), above(y)
		ch.ShareAfter, ch.ShareBefore = float64(ka)/float64(len(x)), float64(kb)/float64(len(y))
		ch.Diff, ch.Low, ch.High, ch.P = proportions(ka, int64(len(x)), kb, int64(len(y)))
		ch.minExpected = minExpected(ka, int64(len(x)), kb, int64(len(y)))
	default:
		return ch, false
	}
	if m.Kind != Durations {
		ch.up = sign(ch.Diff)
	}
	return ch, true
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// merge returns the ascending union of ascending samples, merged in
// pairs: O(n log k) for k samples of n values in all, not a sort's
// O(n log n).
func merge(s [][]int64) []int64 {
	switch len(s) {
	case 0:
		return nil
	case 1:
		return s[0]
	}
	half := len(s) / 2
	a, b := merge(s[:half]), merge(s[half:])
	out := make([]int64, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0] < a[0] {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// proportions compares k1 of n1 with k0 of n0 (both n > 0): the difference
// p1 − p0, Newcombe's (1998) hybrid score interval at 95 % (method 10:
// from the two Wilson intervals), and the two-sided p-value of the pooled
// two-proportion z test (Fleiss, Levin & Paik 2003, §2.5.1), which is
// Pearson's χ² test of the 2×2 table; 1 when both shares are 0 or 1.
func proportions(k1, n1, k0, n0 int64) (diff, low, high, p float64) {
	p1, p0 := float64(k1)/float64(n1), float64(k0)/float64(n0)
	l1, u1 := mining.Wilson(int(k1), int(n1), 0.95)
	l0, u0 := mining.Wilson(int(k0), int(n0), 0.95)
	diff = p1 - p0
	low = diff - math.Sqrt((p1-l1)*(p1-l1)+(u0-p0)*(u0-p0))
	high = diff + math.Sqrt((u1-p1)*(u1-p1)+(p0-l0)*(p0-l0))
	pool := float64(k1+k0) / float64(n1+n0)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n0)))
	if se == 0 {
		return diff, low, high, 1
	}
	z := math.Abs(diff) / se
	return diff, low, high, min(1, 2*distuv.UnitNormal.Survival(z))
}

// minExpected is the smallest expected count of the 2×2 table of k1 of
// n1 against k0 of n0 under equal shares: the smaller margin times the
// smaller sample over the total.
func minExpected(k1, n1, k0, n0 int64) float64 {
	n := float64(n1 + n0)
	return float64(min(k1+k0, n1+n0-k1-k0)) * float64(min(n1, n0)) / n
}

// Matches reports whether metric is named by one of names: exactly, or
// as a prefix ending at a "." or "[" ("pingpong" names every ping-pong
// metric, "pingpong.pair" every pair's). No names match every metric.
func Matches(metric string, names []string) bool {
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if metric == n || strings.HasPrefix(metric, n) && (metric[len(n)] == '.' || metric[len(n)] == '[') {
			return true
		}
	}
	return false
}

// Mark sets Changed and Worse on the metrics of r that c found changed
// (against the previous run or the last K), for the trend charts.
func (c *Comparison) Mark(r *Run) {
	for _, ch := range c.Changes {
		if m := r.Metric(ch.Metric); m != nil && ch.Significant {
			m.Changed = true
			m.Worse = m.Worse || ch.Worse
		}
	}
}

// Drift returns the changes of c that got significantly worse, of the
// metrics names names (all when names is empty).
func (c *Comparison) Drift(names []string) []Change {
	var out []Change
	for _, ch := range c.Changes {
		if ch.Worse && Matches(ch.Metric, names) {
			out = append(out, ch)
		}
	}
	return out
}
