package mining

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteDiffs sorts all n·m differences x[i]−y[j].
func bruteDiffs(x, y []int64) []int64 {
	var d []int64
	for _, a := range x {
		for _, b := range y {
			d = append(d, a-b)
		}
	}
	slices.Sort(d)
	return d
}

func randSample(rng *rand.Rand, n int, span int64) []int64 {
	x := make([]int64, n)
	for i := range x {
		x[i] = rng.Int64N(span) - span/3
	}
	slices.Sort(x)
	return x
}

func TestDiffRanksBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		n, m int
		span int64
	}{
		{1, 1, 10}, {1, 7, 10}, {7, 1, 10}, {3, 4, 2}, {20, 13, 5}, {13, 20, 1 << 40},
		{60, 45, 3}, {45, 60, 1000}, {2000, 1500, 4}, {1500, 2000, 1_000_000}, {900, 3000, 50},
	}
	for _, c := range cases {
		for rep := range 3 {
			x, y := randSample(rng, c.n, c.span), randSample(rng, c.m, c.span)
			want := bruteDiffs(x, y)
			N := int64(len(want))
			ranks := []int64{1, max(1, N/40), (N + 1) / 2, N/2 + 1, N - N/40, N}
			if N <= 30 {
				ranks = ranks[:0]
				for k := int64(1); k <= N; k++ {
					ranks = append(ranks, k)
				}
			}
			slices.Sort(ranks)
			got := diffRanks(nil, x, y, ranks, rand.New(rand.NewPCG(uint64(rep), 9)))
			for i, k := range ranks {
				if got[i] != want[k-1] {
					t.Errorf("n=%d m=%d span=%d rep %d: rank %d of %d = %d, want %d", c.n, c.m, c.span, rep, k, N, got[i], want[k-1])
				}
			}
		}
	}
}

// The Hodges–Lehmann shift against the brute-force median of differences
// and the interval ranks of Hollander & Wolfe computed by hand: n = m = 10,
// C = ⌊50 − 1.959964·√(100·21/12)⌋ = ⌊50 − 25.93⌋ = 24.
func TestShiftBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for rep := range 20 {
		x, y := randSample(rng, 10, 1000), randSample(rng, 10, 1000)
		d := bruteDiffs(x, y)
		est, lo, hi := shift(nil, x, y, 0.95, uint64(rep))
		if want := float64(d[49]+d[50]) / 2; est != want {
			t.Errorf("rep %d: shift %v, want %v", rep, est, want)
		}
		if lo != float64(d[23]) || hi != float64(d[100-24]) {
			t.Errorf("rep %d: interval [%v, %v], want [%v, %v]", rep, lo, hi, d[23], d[76])
		}
	}
	if est, lo, hi := shift(nil, nil, []int64{1}, 0.95, 0); est != 0 || lo != 0 || hi != 0 {
		t.Errorf("empty sample: %v %v %v", est, lo, hi)
	}
}
