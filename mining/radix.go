package mining

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/caseflow/caseflow/internal/spill"
)

const (
	radixBits = 11
	radixSize = 1 << radixBits
	radixMask = radixSize - 1
)

// sortInts sorts x ascending; buf is scratch space, grown in m if needed
// and returned for reuse.
func sortInts(m *spill.Memory, x, buf []int64) []int64 { return sortHigh(m, x, buf, 0) }

// sortHigh sorts x stably by x>>from with an LSD radix sort on the offsets
// from the minimum, 11 bits per pass, skipping passes where every value has
// the same digit: durations in µs need about four passes, far fewer than a
// comparison sort of millions of values needs comparisons. buf is scratch
// space, grown in m if needed and returned for reuse.
func sortHigh(m *spill.Memory, x, buf []int64, from int) []int64 {
	switch {
	case len(x) < 256 && from == 0:
		slices.Sort(x)
		return buf
	case len(x) < 256:
		slices.SortStableFunc(x, func(a, b int64) int { return cmp.Compare(a>>from, b>>from) })
		return buf
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	lo &^= 1<<from - 1 // so that (v−lo)>>from never borrows from the low bits
	span := (uint64(hi) - uint64(lo)) >> from
	passes := (bits.Len64(span) + radixBits - 1) / radixBits
	var count [6][radixSize]int
	for _, v := range x {
		d := (uint64(v) - uint64(lo)) >> from
		for p := range passes {
			count[p][(d>>(p*radixBits))&radixMask]++
		}
	}
	buf = spill.Resize(m, buf, len(x))
	src, dst := x, buf
	for p := range passes {
		c := &count[p]
		shift := from + p*radixBits
		if c[((uint64(src[0])-uint64(lo))>>shift)&radixMask] == len(x) {
			continue
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, v := range src {
			d := ((uint64(v) - uint64(lo)) >> shift) & radixMask
			dst[c[d]] = v
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &x[0] {
		copy(x, src)
	}
	return buf
}

// orderStats sets out[i] to the value of 0-based rank ranks[i] in x, as if
// x were sorted, by MSD radix selection: one pass counts the top 11 bits
// of the offsets from the minimum, a second gathers only the buckets that
// hold a wanted rank, and the search goes on within those. For a few ranks
// that is about two passes over x instead of a sort. x is reordered; buf
// is scratch space, grown in m if needed and returned for reuse.
func orderStats(m *spill.Memory, x []int64, ranks []int, out []int64, buf []int64) []int64 {
	if len(x) <= 2*radixSize {
		slices.Sort(x)
		for i, r := range ranks {
			out[i] = x[r]
		}
		return buf
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	span := uint64(hi) - uint64(lo)
	if span == 0 {
		for i := range ranks {
			out[i] = lo
		}
		return buf
	}
	shift := max(0, bits.Len64(span)-radixBits)
	var count [radixSize]int
	for _, v := range x {
		count[(uint64(v)-uint64(lo))>>shift]++
	}
	// The buckets holding the ranks, in order, and where their values go.
	type bucket struct {
		digit, from, at int // at: offset of the bucket's values in buf
		ranks           []int
	}
	var need []bucket
	slot := [radixSize]int16{}
	for i, r := range ranks {
		d, below := 0, 0
		for below+count[d] <= r {
			below += count[d]
			d++
		}
		j := int(slot[d]) - 1
		if j < 0 {
			at := 0
			if len(need) > 0 {
				last := need[len(need)-1]
				at = last.at + count[last.digit]
			}
			need = append(need, bucket{digit: d, from: below, at: at})
			j = len(need) - 1
			slot[d] = int16(j + 1)
		}
		need[j].ranks = append(need[j].ranks, i)
	}
	last := need[len(need)-1]
	total := last.at + count[last.digit]
	buf = spill.Resize(m, buf, total)
	buf = buf[:cap(buf)]
	pos := make([]int, len(need))
	for j, b := range need {
		pos[j] = b.at
	}
	for _, v := range x {
		if j := int(slot[(uint64(v)-uint64(lo))>>shift]) - 1; j >= 0 {
			buf[pos[j]] = v
			pos[j]++
		}
	}
	sub := make([]int, 0, len(ranks))
	val := make([]int64, len(ranks))
	for _, b := range need {
		sub = sub[:0]
		for _, i := range b.ranks {
			sub = append(sub, ranks[i]-b.from)
		}
		// x is free now: it becomes the scratch space of the next level,
		// never grown (the buckets are smaller), so never freed either.
		end := b.at + count[b.digit]
		orderStats(nil, buf[b.at:end:end], sub, val, x)
		for k, i := range b.ranks {
			out[i] = val[k]
		}
	}
	return buf
}

// quantiles returns the definition-7 quantiles of x at ps (see quantile),
// selecting just the order statistics they need. x is reordered; buf is
// scratch space, grown in m if needed and returned for reuse. An empty x
// gives zeros.
func quantiles(m *spill.Memory, x []int64, buf []int64, ps ...float64) ([]float64, []int64) {
	out := make([]float64, len(ps))
	if len(x) == 0 {
		return out, buf
	}
	var ranks []int
	for _, p := range ps {
		i := int(float64(len(x)-1) * p)
		ranks = append(ranks, i, min(i+1, len(x)-1))
	}
	vals := make([]int64, len(ranks))
	buf = orderStats(m, x, ranks, vals, buf)
	for j, p := range ps {
		out[j] = interpolate(len(x), p, func(r int) float64 { return float64(vals[2*j+r-ranks[2*j]]) })
	}
	return out, buf
}
