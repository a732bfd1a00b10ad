package mining

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TwoSample compares sample X with sample Y (the same unit, any one:
// package history keeps milliseconds). U and P are the Mann–Whitney (1947)
// statistic of X against Y (pairs with x > y, ties half) and its two-sided
// p-value by the normal approximation with tie and continuity correction;
// Shift is the Hodges–Lehmann (1963) estimate of how much larger X is, and
// [Low, High] Lehmann's (1975) confidence interval for it. These are the
// tests of the ping-pong effect (PingPong.Effect), exported for comparing
// one run's lead times with an earlier run's.
type TwoSample struct {
	U, P, Shift, Low, High float64
}

// CompareSamples compares ascending samples x and y at the given
// confidence level (0.95 for 95 %); seed only steers the work of the
// interval, never its result. An empty sample gives U, Shift and the
// interval 0 and P 1.
func CompareSamples(x, y []int64, level float64, seed uint64) TwoSample {
	if len(x) == 0 || len(y) == 0 {
		return TwoSample{P: 1}
	}
	u, v := mannWhitney(x, y, ties(y))
	est, lo, hi := shift(nil, x, y, level, seed)
	return TwoSample{U: u, P: pTwoSided(u, float64(len(x)), float64(len(y)), v), Shift: est, Low: lo, High: hi}
}

// Quantile is the p-quantile of ascending x by Hyndman & Fan's (1996)
// definition 7, as every quantile of the report; 0 for an empty sample.
func Quantile(x []int64, p float64) float64 { return quantile(x, p) }

// AdjustBH returns the Benjamini & Hochberg (1995) adjusted p-values, as
// the silo tests are adjusted: a hypothesis is rejected at false discovery
// rate q when its adjusted p-value is at most q.
func AdjustBH(p []float64) []float64 { return adjustBH(p) }

// Wilson is the Wilson (1927) score interval of a proportion k/n at the
// given level; n = 0 gives [0, 1]. See Rate for why this interval.
func Wilson(k, n int, level float64) (low, high float64) {
	if n == 0 {
		return 0, 1
	}
	nf := float64(n)
	p := float64(k) / nf
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	z2 := z * z
	centre := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return max(0, centre-half), min(1, centre+half)
}
