package mining

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/caseflow/caseflow/internal/spill"
)

// shift returns the Hodges–Lehmann estimate of the shift between ascending
// samples x and y — the median of the n·m differences x[i]−y[j] (Hodges &
// Lehmann 1963) — and Lehmann's (1975) confidence interval at the given
// level: the differences of ranks C and nm+1−C with C = ⌊nm/2 −
// z·√(nm(n+m+1)/12)⌋ (Hollander & Wolfe 1999, §4.3, large-sample
// approximation; rounding down keeps the interval at least as wide), at
// least 1. Values are µs. Empty samples give zeros. The differences are
// never formed: the order statistics are selected exactly by diffRanks,
// in scratch space from mem.
func shift(mem *spill.Memory, x, y []int64, level float64, seed uint64) (est, lo, hi float64) {
	n, m := int64(len(x)), int64(len(y))
	if n == 0 || m == 0 {
		return 0, 0, 0
	}
	N := n * m
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	c := int64(math.Floor(float64(N)/2 - z*math.Sqrt(float64(n)*float64(m)*float64(n+m+1)/12)))
	c = max(c, 1)
	v := diffRanks(mem, x, y, []int64{c, (N + 1) / 2, N/2 + 1, N + 1 - c}, rand.New(rand.NewPCG(seed, 0)))
	return (float64(v[1]) + float64(v[2])) / 2, float64(v[0]), float64(v[3])
}

const (
	pivotSample = 1 << 14
	pivotSpread = 2 // pivots sit this many standard errors (√s/2) beyond the targets
)

// diffRanks returns the differences x[i]−y[j] of the given 1-based ranks
// (ascending, each in [1, nm]) among all n·m of them, exactly, for
// ascending samples x and y, in expected O((n+m)·log(nm)/log s) time and
// O(n+m) space; the seeded generator only steers the work.
//
// The differences form an implicit matrix with sorted rows (one per x[i],
// read as x[i]−y[m−1], …, x[i]−y[0]) and sorted columns, so the number of
// differences ≤ d is counted by one two-pointer sweep in O(n+m) (Johnson &
// Mizoguchi 1978; Monahan 1984). Each row keeps a window of ranks that may
// still hold a wanted rank. Every round draws s random differences from
// the windows and takes as pivots two of them that bracket the wanted
// ranks' expected positions in the sample (Floyd & Rivest 1975); counting
// then either narrows every window to the differences strictly between
// the pivots or, rarely, splits the ranks around a pivot. Ranks far apart
// are followed separately. Once few differences remain they are gathered
// and sorted. Its space, per row and for the gathered differences, comes
// from mem and is freed before it returns.
func diffRanks(mem *spill.Memory, x, y []int64, ranks []int64, rng *rand.Rand) []int64 {
	out := make([]int64, len(ranks))
	if len(x) > len(y) {
		// x−y = −(y−x): keep the shorter sample as rows.
		N := int64(len(x)) * int64(len(y))
		flip := make([]int64, len(ranks))
		for i, k := range ranks {
			flip[len(ranks)-1-i] = N + 1 - k
		}
		for i, v := range diffRanks(mem, y, x, flip, rng) {
			out[len(ranks)-1-i] = -v
		}
		return out
	}
	w := &window{mem: mem, x: x, y: y, lo: spill.Make[int32](mem, len(x)), hi: spill.Make[int32](mem, len(x)), active: int64(len(x)) * int64(len(y))}
	defer w.free()
	for i := range w.hi {
		w.hi[i] = int32(len(y))
	}
	idx := make([]int, len(ranks))
	for i := range idx {
		idx[i] = i
	}
	sc := newScratch(mem, len(x), len(y))
	defer sc.free(mem)
	w.find(ranks, idx, out, rng, sc)
	return out
}

// scratch is the working space of one goroutine's find calls, made once
// and reused by every round and every call after it, as a million-case
// log runs hundreds of them: ca and cb count per row, draws and sample
// are a round's sample, rest the differences gather sorts, buf the sorts'
// space.
type scratch struct {
	ca, cb                   []int32
	draws, sample, rest, buf []int64
}

// newScratch makes the space for samples of n and m values, the per-row
// counts in mem (the draws and samples are small).
func newScratch(mem *spill.Memory, n, m int) *scratch {
	s := sampleSize(n, m)
	return &scratch{ca: spill.Make[int32](mem, n), cb: spill.Make[int32](mem, n), draws: make([]int64, 0, s), sample: make([]int64, 0, s)}
}

func (sc *scratch) free(mem *spill.Memory) {
	spill.Free(mem, sc.ca, sc.cb)
	spill.Free(mem, sc.rest, sc.buf)
}

// sampleSize is the most differences a round of find draws: a sample of
// s costs O(s) to sort, a round O(n+m) to count, so the sample is kept a
// small fraction of the sweep.
func sampleSize(n, m int) int { return min(pivotSample, max(64, (n+m)/16)) }

// window is the state of diffRanks: row i may still hold a wanted rank
// between its row ranks lo[i] (exclusive) and hi[i] (inclusive); below
// differences lie under the windows, active inside them. lo, hi and the
// scratch space of its searches come from mem.
type window struct {
	mem           *spill.Memory
	x, y          []int64
	lo, hi        []int32
	below, active int64
}

func (w *window) clone() *window {
	c := *w
	c.lo, c.hi = spill.Clone(w.mem, w.lo), spill.Clone(w.mem, w.hi)
	return &c
}

// free gives back the rows' windows; w must not be used after.
func (w *window) free() { spill.Free(w.mem, w.lo, w.hi) }

// at is the difference of 1-based rank r in row i.
func (w *window) at(i int, r int32) int64 { return w.x[i] - w.y[len(w.y)-int(r)] }

// set narrows the windows to lo, hi (either may be nil: unchanged).
func (w *window) set(lo, hi []int32) {
	if lo != nil {
		copy(w.lo, lo)
	}
	if hi != nil {
		copy(w.hi, hi)
	}
	w.below, w.active = 0, 0
	for i := range w.lo {
		w.below += int64(w.lo[i])
		w.active += int64(w.hi[i] - w.lo[i])
	}
}

// find sets out[idx[j]] to the difference of rank ks[j] for ascending ks,
// all inside the windows, in the space of sc.
func (w *window) find(ks []int64, idx []int, out []int64, rng *rand.Rand, sc *scratch) {
	n, m := len(w.x), len(w.y)
	size := sampleSize(n, m)
	ca, cb := sc.ca, sc.cb
	for {
		if w.active <= int64(n+m)/4+1024 {
			w.gather(ks, idx, out, sc)
			return
		}
		last := len(ks) - 1
		if last > 0 && ks[last]-ks[0] > w.active/4 {
			// Far apart: follow the ranks on each side of the widest gap alone.
			cut := 1
			for j := 1; j <= last; j++ {
				if ks[j]-ks[j-1] > ks[cut]-ks[cut-1] {
					cut = j
				}
			}
			// The two sides share nothing: run them at once, each with its
			// own generator drawn here so the work does not depend on timing.
			c, r := w.clone(), rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
			done := make(chan struct{})
			go func() {
				csc := newScratch(w.mem, n, m)
				c.find(ks[:cut], idx[:cut], out, r, csc)
				csc.free(w.mem)
				c.free()
				close(done)
			}()
			w.find(ks[cut:], idx[cut:], out, rng, sc)
			<-done
			return
		}
		s := int(min(w.active, int64(size)))
		draws := sc.draws[:0]
		for range s {
			draws = append(draws, rng.Int64N(w.active))
		}
		sc.draws = draws
		sc.buf = sortInts(w.mem, draws, sc.buf)
		sample := sc.sample[:0]
		var cum int64
		for i := 0; i < n && len(sample) < s; i++ {
			span := int64(w.hi[i] - w.lo[i])
			for len(sample) < s && draws[len(sample)] < cum+span {
				sample = append(sample, w.at(i, w.lo[i]+int32(draws[len(sample)]-cum)+1))
			}
			cum += span
		}
		sc.sample = sample
		sc.buf = sortInts(w.mem, sample, sc.buf)
		pos := func(k int64) float64 { return float64(k-w.below) / float64(w.active) * float64(s) }
		d := pivotSpread * math.Sqrt(float64(s))
		a := sample[max(0, int(pos(ks[0])-d))]
		b := sample[min(s-1, int(pos(ks[last])+d))]

		if le := countLE(w.x, w.y, a, ca); ks[0] <= le {
			// Some ranks are at or below a: split them there.
			lt := countLT(w.x, w.y, a, cb)
			w.split(ks, idx, out, lt, le, a, cb, ca, rng, sc)
			return
		}
		if lt := countLT(w.x, w.y, b, cb); ks[last] > lt {
			// Some ranks are at or above b: narrow to above a, then split at b.
			w.set(ca, nil)
			le := countLE(w.x, w.y, b, ca)
			w.split(ks, idx, out, lt, le, b, cb, ca, rng, sc)
			return
		}
		w.set(ca, cb) // all ranks strictly between a and b
	}
}

// split handles ranks around pivot p with lt differences < p (per row in
// ltRow) and le ≤ p (per row in leRow): ranks in (lt, le] are p, those
// below continue under p, those above continue over it. Both windows are
// set before either search, as the searches reuse the rows' space (sc).
func (w *window) split(ks []int64, idx []int, out []int64, lt, le, p int64, ltRow, leRow []int32, rng *rand.Rand, sc *scratch) {
	i := 0
	for i < len(ks) && ks[i] <= lt {
		i++
	}
	j := i
	for j < len(ks) && ks[j] <= le {
		out[idx[j]] = p
		j++
	}
	var c *window
	if j < len(ks) {
		c = w.clone()
		c.set(leRow, nil)
	}
	if i > 0 {
		w.set(nil, ltRow)
	}
	if c != nil {
		c.find(ks[j:], idx[j:], out, rng, sc)
		c.free()
	}
	if i > 0 {
		w.find(ks[:i], idx[:i], out, rng, sc)
	}
}

// gather sorts the differences left in the windows and reads the ranks.
func (w *window) gather(ks []int64, idx []int, out []int64, sc *scratch) {
	rest := spill.Resize(w.mem, sc.rest, int(w.active))[:0]
	for i := range w.x {
		for r := w.lo[i] + 1; r <= w.hi[i]; r++ {
			rest = append(rest, w.at(i, r))
		}
	}
	sc.rest = rest
	sc.buf = sortInts(w.mem, rest, sc.buf)
	for j, k := range ks {
		out[idx[j]] = rest[k-w.below-1]
	}
}

// countLE sets c[i] to the number of j with x[i]−y[j] ≤ p and returns the
// total: as x[i] grows, the first y[j] ≥ x[i]−p only moves right.
func countLE(x, y []int64, p int64, c []int32) int64 {
	var total int64
	j := 0
	for i, xi := range x {
		for j < len(y) && y[j] < xi-p {
			j++
		}
		c[i] = int32(len(y) - j)
		total += int64(len(y) - j)
	}
	return total
}

// countLT is countLE for x[i]−y[j] < p.
func countLT(x, y []int64, p int64, c []int32) int64 {
	var total int64
	j := 0
	for i, xi := range x {
		for j < len(y) && y[j] <= xi-p {
			j++
		}
		c[i] = int32(len(y) - j)
		total += int64(len(y) - j)
	}
	return total
}
