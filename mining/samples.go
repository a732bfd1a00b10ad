package mining

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/caseflow/caseflow/internal/spill"
)

// keyIndex maps keys to dense ids: a table when the key space is small, a
// map otherwise (pairs of thousands of resources).
type keyIndex struct {
	table  []int32 // id+1, 0 when absent
	sparse map[uint64]int32
}

const denseKeys = 1 << 20

func newKeyIndex(space uint64) keyIndex {
	if space <= denseKeys {
		return keyIndex{table: make([]int32, space)}
	}
	return keyIndex{sparse: map[uint64]int32{}}
}

func (x *keyIndex) get(k uint64) (int32, bool) {
	if x.table != nil {
		id := x.table[k]
		return id - 1, id != 0
	}
	id, ok := x.sparse[k]
	return id, ok
}

func (x *keyIndex) put(k uint64, id int32) {
	if x.table != nil {
		x.table[k] = id + 1
		return
	}
	x.sparse[k] = id
}

// tally counts one shard's durations of one kind by key, and, if asked,
// the distinct cases behind each key. The durations themselves are written
// only once every shard has counted (see collect), straight to their final
// place, so no shard keeps a copy.
type tally struct {
	index  keyIndex
	keys   []uint64 // by local id
	count  []int32
	cases  []int   // nil unless asked for
	last   []int   // the case that last counted the key
	cursor []int   // by local id: the next slot in out
	out    []int64 // the merged values, shared by all shards
}

func newTally(space uint64, cases bool) tally {
	t := tally{index: newKeyIndex(space)}
	if cases {
		t.cases = []int{}
	}
	return t
}

// add counts a duration of key in case k.
func (s *tally) add(key uint64, k int) {
	id, ok := s.index.get(key)
	if !ok {
		id = int32(len(s.keys))
		s.index.put(key, id)
		s.keys = append(s.keys, key)
		s.count = append(s.count, 0)
		if s.cases != nil {
			s.cases = append(s.cases, 0)
			s.last = append(s.last, -1)
		}
	}
	s.count[id]++
	if s.cases != nil && s.last[id] != k {
		s.last[id] = k
		s.cases[id]++
	}
}

// put writes a counted duration of key to its slot.
func (s *tally) put(key uint64, v int64) {
	id, _ := s.index.get(key)
	s.out[s.cursor[id]] = v
	s.cursor[id]++
}

// emit counts a duration of key in case k or, when put, writes its value v.
func (s *tally) emit(key uint64, k int, v int64, put bool) {
	if put {
		s.put(key, v)
	} else {
		s.add(key, k)
	}
}

// samples are durations of all shards grouped by key: keys ascending,
// group i is vals[start[i]:start[i+1]], in case order.
type samples struct {
	keys  []uint64
	start []int
	vals  []int64
	cases []int
}

func (s *samples) group(i int) []int64 { return s.vals[s.start[i]:s.start[i+1]] }

// collect merges the shards' counts and lays out the samples, in m, like
// a counting sort: each key's group holds the values of the first shard,
// then the second, and so on, so once the shards have put their values
// in, the result does not depend on the sharding.
func collect(m *spill.Memory, parts []*tally) samples {
	at := map[uint64]int{}
	var s samples
	for _, p := range parts {
		for _, k := range p.keys {
			if _, ok := at[k]; !ok {
				at[k] = 0
				s.keys = append(s.keys, k)
			}
		}
	}
	slices.Sort(s.keys)
	for i, k := range s.keys {
		at[k] = i
	}
	size := make([]int, len(s.keys))
	s.cases = make([]int, len(s.keys))
	for _, p := range parts {
		for id, k := range p.keys {
			size[at[k]] += int(p.count[id])
			if p.cases != nil {
				s.cases[at[k]] += p.cases[id]
			}
		}
	}
	s.start = make([]int, len(s.keys)+1)
	for g, n := range size {
		s.start[g+1] = s.start[g] + n
	}
	s.vals = spill.Make[int64](m, s.start[len(s.keys)])
	next := slices.Clone(s.start[:len(s.keys)])
	for _, p := range parts {
		p.out = s.vals
		p.cursor = make([]int, len(p.keys))
		for id, k := range p.keys {
			p.cursor[id] = next[at[k]]
			next[at[k]] += int(p.count[id])
		}
	}
	return s
}

// each calls f(w, i) for every i in [0, n) on up to workers goroutines; w
// is the goroutine's number, for per-goroutine scratch space.
func each(workers, n int, f func(w, i int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(w, i)
			}
		})
	}
	wg.Wait()
}

// free gives back the values, the one part of s that grows with the log.
func (s *samples) free(m *spill.Memory) {
	spill.Free(m, s.vals)
	*s = samples{}
}

// sortAll sorts every slice, with scratch space from m.
func sortAll(m *spill.Memory, xs [][]int64, workers int) {
	bufs := make([][]int64, workers)
	bySize(len(xs), func(i int) int { return len(xs[i]) }, workers, func(w, i int) {
		bufs[w] = sortInts(m, xs[i], bufs[w])
	})
	spill.Free(m, bufs...)
}

// groups returns the groups of s as slices.
func (s *samples) groups() [][]int64 {
	out := make([][]int64, len(s.keys))
	for i := range out {
		out[i] = s.group(i)
	}
	return out
}

// groupQuantiles calls f(i, x, q) for every group i of s, x, on up to workers
// goroutines, biggest groups first; q returns x's quantiles at ps (see
// quantiles), with scratch space from m shared by the goroutine's groups,
// and leaves x reordered and overwritten.
func (s *samples) groupQuantiles(m *spill.Memory, workers int, ps []float64, f func(i int, x []int64, q func() []float64)) {
	bufs := make([][]int64, workers)
	defer spill.Free(m, bufs...)
	bySize(len(s.keys), func(i int) int { return s.start[i+1] - s.start[i] }, workers, func(w, i int) {
		x := s.group(i)
		f(i, x, func() []float64 {
			var q []float64
			q, bufs[w] = quantiles(m, x, bufs[w], ps...)
			return q
		})
	})
}

// bySize calls f(w, i) for i in [0, n) on up to workers goroutines,
// biggest first so the workers finish together.
func bySize(n int, size func(i int) int, workers int, f func(w, i int)) {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return size(b) - size(a) })
	each(workers, n, func(w, i int) { f(w, order[i]) })
}
