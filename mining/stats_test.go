package mining

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestQuantileType7(t *testing.T) {
	// Values R's quantile(x, p) (type 7) gives.
	ten := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct {
		x    []int64
		p    float64
		want float64
	}{
		{ten, 0.9, 9.1}, {ten, 0.25, 3.25}, {ten, 0.5, 5.5}, {ten, 0, 1}, {ten, 1, 10},
		{[]int64{1, 3, 7, 15}, 0.75, 9}, {[]int64{4}, 0.3, 4}, {nil, 0.5, 0},
	} {
		if got := quantile(c.x, c.p); !near(got, c.want) {
			t.Errorf("quantile(%v, %v) = %v, want %v", c.x, c.p, got, c.want)
		}
	}
}

func TestNearestRank(t *testing.T) {
	ten := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct {
		p    float64
		want float64
	}{{0.5, 5}, {0.9, 9}, {0.91, 10}, {0.05, 1}, {1, 10}} {
		if got := nearestRank(ten, c.p); got != c.want {
			t.Errorf("nearestRank(1…10, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	// It is gonum's empirical quantile.
	rng := rand.New(rand.NewPCG(5, 6))
	x := randSample(rng, 101, 1000)
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	for _, p := range []float64{0.1, 0.5, 0.77, 0.99} {
		if got, want := nearestRank(x, p), stat.Quantile(p, stat.Empirical, f, nil); got != want {
			t.Errorf("p = %v: %v, gonum %v", p, got, want)
		}
	}
}

// The ranks of the distribution-free interval for the median, as in the
// published tables (e.g. Conover 1999, Table A3: n = 100 gives x(40), x(61)).
func TestMedianCI(t *testing.T) {
	for _, c := range []struct {
		n, l, u int
		cov     float64
	}{
		{0, 0, 0, 0}, {1, 1, 1, 0}, {2, 1, 2, 0.5}, {5, 1, 5, 0.9375}, {6, 1, 6, 0.96875},
		{10, 2, 9, 0.978515625}, {20, 6, 15, 0.95861053}, {100, 40, 61, 0.96479980},
	} {
		l, u, cov := medianCI(c.n, 0.95)
		if l != c.l || u != c.u || !near(cov, c.cov) {
			t.Errorf("n = %d: ranks %d, %d coverage %v; want %d, %d, %v", c.n, l, u, cov, c.l, c.u, c.cov)
		}
	}
}

// Hollander & Wolfe's example (also R's ?wilcox.test): U = 35; with the
// normal approximation and continuity correction, one-sided
// p = 1 − Φ((35 − 25 − 0.5)/√(10·5·16/12)) = 0.12231, two-sided 0.24462.
func TestMannWhitneyTextbook(t *testing.T) {
	x := []int64{80, 83, 189, 104, 145, 138, 191, 164, 73, 146}
	y := []int64{115, 88, 90, 74, 121}
	slices.Sort(x)
	slices.Sort(y)
	u, v := mannWhitney(x, y, ties(y))
	if u != 35 {
		t.Fatalf("U = %v, want 35", u)
	}
	checkNum(t, "variance", v, 10*5*16.0/12)
	checkNum(t, "one-sided p", math.Round(pGreater(u, 10, 5, v)*1e5)/1e5, 0.12231)
	checkNum(t, "two-sided p", math.Round(pTwoSided(u, 10, 5, v)*1e5)/1e5, 0.24462)
	// The other way round U is nm − 35 and the one-sided p the complement side.
	u2, _ := mannWhitney(y, x, ties(x))
	if u2 != 15 {
		t.Errorf("U of y = %v, want 15", u2)
	}
}

// Ties: x = 1 2 2 3, y = 2 3 3 4. Pairs x > y: 2 (the 3 over the 2), ties
// count half: 1 (2s) + 1 (3s) → U = 3. Tie groups of sizes 3 and 3:
// σ² = 16/12·(9 − 48/56) = 10.857, z = (3 − 8 + 0.5)/3.29502, two-sided
// p = 0.17203.
func TestMannWhitneyTies(t *testing.T) {
	x, y := []int64{1, 2, 2, 3}, []int64{2, 3, 3, 4}
	u, v := mannWhitney(x, y, ties(y))
	if u != 3 {
		t.Fatalf("U = %v, want 3", u)
	}
	checkNum(t, "variance", v, 16.0/12*(9-48.0/56))
	checkNum(t, "p", math.Round(pTwoSided(u, 4, 4, v)*1e5)/1e5, 0.17203)
	if p := pTwoSided(8, 4, 4, v); p != 1 {
		t.Errorf("p at the mean = %v, want 1", p)
	}
	if p := pGreater(2, 2, 2, 0); p != 1 {
		t.Errorf("p without variance = %v, want 1", p)
	}
}

// U against brute force on random samples with many ties.
func TestMannWhitneyBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 50 {
		x, y := randSample(rng, 1+rng.IntN(40), 6), randSample(rng, 1+rng.IntN(300), 6)
		var want float64
		for _, a := range x {
			for _, b := range y {
				switch {
				case a > b:
					want++
				case a == b:
					want += 0.5
				}
			}
		}
		counts := map[int64]float64{}
		for _, v := range append(slices.Clone(x), y...) {
			counts[v]++
		}
		var t3 float64
		for _, c := range counts {
			t3 += c*c*c - c
		}
		n, m := float64(len(x)), float64(len(y))
		N := n + m
		u, v := mannWhitney(x, y, ties(y))
		if u != want || !near(v, n*m/12*(N+1-t3/(N*(N-1)))) {
			t.Fatalf("x %v y %v: U %v variance %v, want %v", x, y, u, v, want)
		}
	}
}

// Benjamini & Hochberg's (1995) own example: 15 p-values, at q = 0.05 the
// first four are rejected.
func TestAdjustBH(t *testing.T) {
	p := []float64{0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298, 0.0344, 0.0459,
		0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	q := adjustBH(p)
	rejected := 0
	for i, v := range q {
		if v <= 0.05 {
			rejected++
			if p[i] > 0.0095 {
				t.Errorf("p = %v rejected", p[i])
			}
		}
	}
	if rejected != 4 {
		t.Errorf("%d rejected, want 4: %v", rejected, q)
	}
	// By hand: 0.0095·15/4 = 0.035625; 0.0201·15/5 = 0.0603 (below the
	// next ones); the largest stays 1.
	checkNum(t, "adjusted 0.0095", q[4], 0.035625)
	checkNum(t, "adjusted 0.0201", q[0], 0.0603)
	checkNum(t, "adjusted 1", q[14], 1)
	if got := adjustBH([]float64{0.04, 0.01, 0.03, 0.005}); !slices.EqualFunc(got, []float64{0.04, 0.02, 0.04, 0.02}, near) {
		t.Errorf("adjustBH = %v, want [0.04 0.02 0.04 0.02]", got)
	}
	if got := adjustBH(nil); len(got) != 0 {
		t.Errorf("adjustBH(nil) = %v", got)
	}
}

func TestSortHigh(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 100, 255, 256, 5000, 70000} {
		for _, span := range []int64{1, 7, 1 << 20, 1 << 62} {
			x := make([]int64, n)
			for i := range x {
				x[i] = rng.Int64N(span) - span/2
			}
			for _, from := range []int{0, 5, 32} {
				got, want := slices.Clone(x), slices.Clone(x)
				sortHigh(nil, got, nil, from)
				slices.SortStableFunc(want, func(a, b int64) int { return cmp.Compare(a>>from, b>>from) })
				if !slices.Equal(got, want) {
					t.Fatalf("n %d span %d from %d: not stably sorted", n, span, from)
				}
			}
		}
	}
}

func TestOrderStatsAndQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 2, 300, 4097, 50000} {
		for _, span := range []int64{1, 3, 1000, 1 << 45} {
			x := make([]int64, n)
			for i := range x {
				x[i] = rng.Int64N(span)
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			ranks := []int{n - 1, 0, n / 2, n / 2, (n - 1) * 9 / 10}
			out := make([]int64, len(ranks))
			orderStats(nil, slices.Clone(x), ranks, out, nil)
			for i, r := range ranks {
				if out[i] != sorted[r] {
					t.Fatalf("n %d span %d: rank %d = %d, want %d", n, span, r, out[i], sorted[r])
				}
			}
			q, _ := quantiles(nil, slices.Clone(x), nil, 0.5, 0.9, 0.25)
			for i, p := range []float64{0.5, 0.9, 0.25} {
				if want := quantile(sorted, p); q[i] != want {
					t.Fatalf("n %d span %d: quantile %v = %v, want %v", n, span, p, q[i], want)
				}
			}
		}
	}
}

// without takes a sub-multiset out: checked against counting values.
func TestWithout(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 500} {
		pool := make([]int64, n)
		for i := range pool {
			pool[i] = rng.Int64N(10) // many ties
		}
		slices.Sort(pool)
		var x []int64
		left := map[int64]int{}
		for _, v := range pool {
			if rng.IntN(3) == 0 {
				x = append(x, v)
			} else {
				left[v]++
			}
		}
		got := without(nil, pool, x, nil)
		if len(got) != n-len(x) || !slices.IsSorted(got) {
			t.Fatalf("n %d: %d values left of %d−%d, sorted %v", n, len(got), n, len(x), slices.IsSorted(got))
		}
		for _, v := range got {
			left[v]--
		}
		for v, c := range left {
			if c != 0 {
				t.Errorf("n %d: value %d off by %d", n, v, c)
			}
		}
	}
}

func TestWide(t *testing.T) {
	var w wide
	for range 4 {
		w.add(math.MaxInt64)
	}
	var v wide
	v.plus(w)
	v.plus(w)
	if want := 8 * float64(math.MaxInt64); v.float() != want {
		t.Errorf("sum %v, want %v", v.float(), want)
	}
}

func TestLongest(t *testing.T) {
	cs := func(leads ...float64) []Case { // a negative lead is an unmeasured case
		out := make([]Case, len(leads))
		for i, l := range leads {
			out[i] = Case{Lead: max(l, 0), Measured: l >= 0}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		cases []Case
		k     int
		want  []int
	}{
		{"nil", nil, 3, nil},
		{"k zero", cs(1, 2), 0, nil},
		{"fewer than k", cs(5, 9), 3, []int{1, 0}},
		{"ties keep log order", cs(4, 7, 4, 7, 1), 3, []int{1, 3, 0}},
		{"unmeasured skipped", cs(-1, 3, -1, 8), 5, []int{3, 1}},
		{"zero lead counts when measured", cs(0, -1), 2, []int{0}},
	} {
		if got := Longest(tc.cases, tc.k); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Longest = %v, want %v", tc.name, got, tc.want)
		}
	}
}
