package mining

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// synth builds a random log of n cases, about 6.8 events each: cases walk
// over 8 departments, come back to the previous one a fifth of the time,
// and wait ten times longer to enter D3. One event in ten has no
// department; one handoff in 200 stalls; timestamps are whole seconds, so ties occur. Seven cases in
// ten follow one of 500 common paths (Zipf-distributed), the rest a path
// of their own, so about a third of the cases have a unique variant, as in
// service-desk logs. Events are added in an interleaved order, as exports
// often are.
func synth(t testing.TB, mem memory.Allocator, n int, seed uint64) *eventlog.Log {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	depts := make([][]byte, 8)
	for i := range depts {
		depts[i] = fmt.Appendf(nil, "D%d", i)
	}
	acts := make([][][]byte, len(depts))
	for d := range acts {
		for i := range 3 {
			acts[d] = append(acts[d], fmt.Appendf(nil, "A%d.%d", d, i))
		}
	}
	res := make([][]byte, 40)
	for i := range res {
		res[i] = fmt.Appendf(nil, "R%02d", i)
	}
	channels := [][]byte{[]byte("phone"), []byte("mail"), []byte("web")}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, 2)), 1.2, 1, 499)
	b := eventlog.NewBuilder()
	var pending []eventlog.Event
	for c := range n {
		path := rng // the structure of the case; times stay random
		if rng.IntN(10) < 7 {
			path = rand.New(rand.NewPCG(seed, 3+zipf.Uint64()))
		}
		id := fmt.Appendf(nil, "case-%07d", c)
		ch := channels[rng.IntN(len(channels))]
		at := int64(1_700_000_000+rng.IntN(30_000_000)) * 1e6
		prev, cur := -1, path.IntN(len(depts))
		stays := 1 + path.IntN(3) + path.IntN(3)
		for s := range stays {
			if s > 0 {
				next := path.IntN(len(depts))
				if prev >= 0 && path.IntN(5) == 0 {
					next = prev
				}
				for next == cur {
					next = path.IntN(len(depts))
				}
				wait := rng.ExpFloat64() * 4 * 3600
				if next == 3 {
					wait *= 10
				}
				if rng.IntN(200) == 0 {
					wait *= 300 // a stalled handoff: a long case
				}
				at += int64(wait) * 1e6
				prev, cur = cur, next
			}
			for i := range 1 + path.IntN(3) {
				if i > 0 {
					at += int64(rng.ExpFloat64()*600) * 1e6
				}
				e := eventlog.Event{Case: id, Activity: acts[cur][i], Time: at, Start: eventlog.NoTime,
					Department: depts[cur], Resource: res[rng.IntN(len(res))], Channel: ch}
				if path.IntN(10) == 0 {
					e.Department = nil
				}
				pending = append(pending, e)
			}
		}
		if len(pending) > 64 || c == n-1 {
			rng.Shuffle(len(pending), func(i, j int) { pending[i], pending[j] = pending[j], pending[i] })
			for i := range pending {
				b.Add(&pending[i])
			}
			pending = pending[:0]
		}
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
