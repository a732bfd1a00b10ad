package mining

import (
	"encoding/binary"
	"slices"

	"github.com/caseflow/caseflow/internal/spill"
)

// hashSeq is FNV-1a over 32-bit codes, as an int64. Tests replace it to
// force collisions.
var hashSeq = func(s []int32) int64 {
	h := uint64(14695981039346656037)
	for _, c := range s {
		h = (h ^ uint64(uint32(c))) * 1099511628211
	}
	return int64(h ^ uint64(len(s)))
}

// grouping groups cases by equal sequences (of activities, or of units
// of the stays). Cases are first grouped by the top half of their hash —
// a radix sort of that half and the case index packed in one word, so
// each group keeps case order and its first case comes first — then every
// case is compared with its group's first case in the next pass over the
// log (check), and the rare case that differs, a hash collision, is
// regrouped exactly (fix). So the variants are exact, while comparisons
// read the log in order.
type grouping struct {
	m     *spill.Memory // holds every slice below; see free
	of    []int32       // per case: its group
	rep   []bool        // per case: it is its group's first case
	first []int         // per group: its first case
	count []int
	start []int // group g's sequence is seq[start[g]:start[g+1]]
	seq   []int32
}

// newGrouping groups n cases by hash, in slices from m; seq(k, buf)
// returns case k's sequence. It overwrites hash.
func newGrouping(m *spill.Memory, hash []int64, seq func(k int, buf []int32) []int32) *grouping {
	n := len(hash)
	keys := hash
	for k, h := range hash {
		keys[k] = h&^0xffffffff | int64(k)
	}
	spill.Free(m, sortHigh(m, keys, nil, 32)) // stable, so in case order within a hash
	g := &grouping{m: m, of: spill.Make[int32](m, n), rep: spill.Make[bool](m, n), start: []int{0}}
	var buf []int32
	for i, key := range keys {
		k := int(uint32(key))
		if i == 0 || key>>32 != keys[i-1]>>32 {
			buf = seq(k, buf[:0])
			g.add(k, buf)
			g.rep[k] = true
		}
		j := len(g.first) - 1
		g.count[j]++
		g.of[k] = int32(j)
	}
	return g
}

func (g *grouping) add(k int, s []int32) {
	g.first = spill.Push(g.m, g.first, k)
	g.count = spill.Push(g.m, g.count, 0)
	g.seq = spill.Append(g.m, g.seq, s...)
	g.start = spill.Push(g.m, g.start, len(g.seq))
}

// free gives back the grouping's slices; g must not be used after.
func (g *grouping) free() {
	spill.Free(g.m, g.first, g.count, g.start)
	spill.Free(g.m, g.of)
	spill.Free(g.m, g.rep)
	spill.Free(g.m, g.seq)
}

func (g *grouping) steps(j int32) []int32 { return g.seq[g.start[j]:g.start[j+1]] }

// check reports whether case k's sequence s is its group's.
func (g *grouping) check(k int, s []int32) bool {
	return g.rep[k] || slices.Equal(g.steps(g.of[k]), s)
}

// fix moves the cases that failed check, ascending, to exact groups.
func (g *grouping) fix(odd []int, seq func(k int, buf []int32) []int32) {
	at := map[string]int32{}
	var buf []int32
	for _, k := range odd {
		buf = seq(k, buf[:0])
		old := g.of[k]
		// The group it collided with and its sequence identify the new group.
		key := binary.LittleEndian.AppendUint32(nil, uint32(old))
		for _, c := range buf {
			key = binary.LittleEndian.AppendUint32(key, uint32(c))
		}
		j, ok := at[string(key)]
		if !ok {
			j = int32(len(g.first))
			at[string(key)] = j
			g.add(k, buf)
		}
		g.count[old]--
		g.count[j]++
		g.of[k] = j
	}
}

// variants lists the groups by count descending, then first appearance,
// and sets each case's rank with set.
func (g *grouping) variants(names []string, set func(k int, rank int32)) []Variant {
	// One radix sort on a packed key: count descending in the high half,
	// first case in the low.
	keys := spill.MakeCap[int64](g.m, 0, len(g.first))
	for j, c := range g.count {
		if c > 0 {
			keys = append(keys, int64(uint64(len(g.of)-c)<<32|uint64(g.first[j])))
		}
	}
	spill.Free(g.m, sortInts(g.m, keys, nil))
	rank := spill.Make[int32](g.m, len(g.first))
	defer spill.Free(g.m, keys)
	defer spill.Free(g.m, rank)
	out := make([]Variant, len(keys))
	text := make([]string, 0, len(g.seq))
	n := len(g.of)
	for r, key := range keys {
		j := g.of[uint32(key)]
		rank[j] = int32(r)
		from := len(text)
		for _, c := range g.steps(j) {
			text = append(text, names[c])
		}
		out[r] = Variant{Steps: text[from:len(text):len(text)], Count: g.count[j], Coverage: float64(g.count[j]) / float64(n)}
	}
	for k, j := range g.of {
		set(k, rank[j])
	}
	return out
}
