package mining

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/caseflow/caseflow/internal/spill"
)

// sec converts microseconds to seconds.
func sec(us float64) float64 { return us / 1e6 }

// quantile is the p-quantile of ascending x by Hyndman & Fan (1996)
// definition 7, the default of R and pandas: linear interpolation between
// the order statistics around h = (n−1)·p. It is 0 for an empty sample.
func quantile(x []int64, p float64) float64 {
	return interpolate(len(x), p, func(i int) float64 { return float64(x[i]) })
}

// interpolate is definition 7 over the n ascending values at(0)…at(n−1).
func interpolate(n int, p float64, at func(int) float64) float64 {
	if n == 0 {
		return 0
	}
	h := float64(n-1) * p
	i := int(h)
	if i >= n-1 {
		return at(n - 1)
	}
	lo := at(i)
	return lo + (h-float64(i))*(at(i+1)-lo)
}

// nearestRank is the p-quantile of ascending x by definition 1 (nearest
// rank): the smallest value with at least a fraction p of the sample at or
// below it, as gonum's stat.Quantile with stat.Empirical. 0 when empty.
func nearestRank(x []int64, p float64) float64 {
	if len(x) == 0 {
		return 0
	}
	r := int(math.Ceil(p * float64(len(x))))
	return float64(x[max(r, 1)-1])
}

// medianCI returns the 1-based ranks l ≤ u of the order statistics that
// bound a distribution-free confidence interval for the median at the
// given level, and its exact coverage P(l ≤ B < u) for B ~ Binomial(n, ½)
// (Conover 1999, §3.2; the sign-test interval of Hollander & Wolfe 1999,
// ch. 3): l is the largest rank with P(B < l) ≤ (1−level)/2 and u = n+1−l.
// When no rank qualifies (n ≤ 5 at 95 %) it returns the sample range and
// its smaller coverage. n = 0 gives zeros.
func medianCI(n int, level float64) (l, u int, coverage float64) {
	if n == 0 {
		return 0, 0, 0
	}
	b := distuv.Binomial{N: float64(n), P: 0.5}
	tail := (1 - level) / 2
	// The first rank that no longer qualifies; CDF(l−1) grows with l.
	l = sort.Search((n+1)/2, func(i int) bool { return b.CDF(float64(i)) > tail })
	l = max(l, 1)
	u = n + 1 - l
	return l, u, 1 - 2*b.CDF(float64(l-1))
}

// ties is Σ(t³−t) over the groups of equal values of ascending x.
func ties(x []int64) float64 {
	var s float64
	for i := 0; i < len(x); {
		j := upper(x, i, x[i])
		t := float64(j - i)
		s += t*t*t - t
		i = j
	}
	return s
}

// lower returns the first index i ≥ from with x[i] ≥ v, galloping from
// `from` so a merge-like scan costs O(log gap) per call.
func lower(x []int64, from int, v int64) int {
	step, hi := 1, from
	for hi < len(x) && x[hi] < v {
		from = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(x))
	for from < hi { // binary search in [from, hi)
		mid := int(uint(from+hi) >> 1)
		if x[mid] < v {
			from = mid + 1
		} else {
			hi = mid
		}
	}
	return from
}

// upper returns the first index i ≥ from with x[i] > v; as lower.
func upper(x []int64, from int, v int64) int {
	if v == math.MaxInt64 {
		return len(x)
	}
	return lower(x, from, v+1)
}

// mannWhitney returns the Mann–Whitney (1947) statistic U of ascending x
// against ascending y — the number of pairs with x > y, ties counting
// half — and its null variance with the tie correction of Hollander &
// Wolfe (1999, §4.1): nm/12·(N+1 − Σ(t³−t)/(N(N−1))). tiesY is ties(y), so
// a sample tested many times is scanned once. Cost O(n log(m/n+1)).
func mannWhitney(x, y []int64, tiesY float64) (u, variance float64) {
	var u2 int64
	t3 := tiesY
	j := 0
	for i := 0; i < len(x); {
		v := x[i]
		i2 := upper(x, i, v)
		lo := lower(y, j, v)
		hi := upper(y, lo, v)
		cx, cy := int64(i2-i), int64(hi-lo)
		u2 += cx * (2*int64(lo) + cy)
		t, ty := float64(cx+cy), float64(cy)
		t3 += t*t*t - t - (ty*ty*ty - ty)
		i, j = i2, hi
	}
	n, m := float64(len(x)), float64(len(y))
	N := n + m
	if N > 1 {
		variance = n * m / 12 * (N + 1 - t3/(N*(N-1)))
	}
	return float64(u2) / 2, variance
}

// pGreater is the one-sided p-value of U against H1: x tends to be larger,
// by the normal approximation with continuity correction (as R's
// wilcox.test with correct = TRUE). 1 when the variance is 0.
func pGreater(u, n, m, variance float64) float64 {
	if variance <= 0 {
		return 1
	}
	z := (u - n*m/2 - 0.5) / math.Sqrt(variance)
	return distuv.UnitNormal.Survival(z)
}

// pTwoSided is the two-sided p-value of U, with continuity correction
// towards the mean. 1 when the variance is 0.
func pTwoSided(u, n, m, variance float64) float64 {
	if variance <= 0 {
		return 1
	}
	d := u - n*m/2
	switch {
	case d > 0:
		d -= 0.5
	case d < 0:
		d += 0.5
	}
	z := d / math.Sqrt(variance)
	return min(1, 2*min(distuv.UnitNormal.CDF(z), distuv.UnitNormal.Survival(z)))
}

// adjustBH returns the Benjamini & Hochberg (1995) adjusted p-values: the
// i-th smallest p times m/i, made monotone from the largest down and
// capped at 1. A hypothesis is rejected at false discovery rate q exactly
// when its adjusted p-value is ≤ q.
func adjustBH(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p[a], p[b]) })
	out := make([]float64, m)
	run := 1.0
	for r := m - 1; r >= 0; r-- {
		run = min(run, p[idx[r]]*float64(m)/float64(r+1))
		out[idx[r]] = run
	}
	return out
}

// wide is an exact non-negative 128-bit sum of µs, so totals do not depend
// on the order shards are added in and do not overflow on big logs.
type wide struct{ hi, lo uint64 }

func (w *wide) add(v int64) {
	var c uint64
	w.lo, c = bits.Add64(w.lo, uint64(v), 0)
	w.hi += c
}

func (w *wide) plus(o wide) {
	var c uint64
	w.lo, c = bits.Add64(w.lo, o.lo, 0)
	w.hi += o.hi + c
}

func (w wide) float() float64 { return float64(w.hi)*0x1p64 + float64(w.lo) }

// sum is the exact sum of x.
func sum(x []int64) wide {
	var w wide
	for _, v := range x {
		w.add(v)
	}
	return w
}

// without returns the ascending values of pool that remain when the
// ascending sub-multiset x is taken out of it, in buf (grown in m, once,
// if needed).
func without(m *spill.Memory, pool, x, buf []int64) []int64 {
	buf = spill.Resize(m, buf, len(pool)-len(x))[:0]
	j := 0
	for _, v := range pool {
		if j < len(x) && x[j] == v {
			j++
			continue
		}
		buf = append(buf, v)
	}
	return buf
}
