package mining

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// truth is what plant put into a log, counted as it was built.
type truth struct {
	pingpong, closing, revisits int
	pairs                       map[[2]string]int // unordered pair, names in byte order
}

// plant builds a log of n cases over departments P0…P5 with known
// ping-pong: after two stays a case goes back to the one before last with
// probability 0.15 (a planted ping-pong; a closing return when it is the
// case's last stay and back in its first department), and otherwise to a
// department other than the last two, so no ping-pong happens by accident. Gaps and
// waits are exponential with a mean of one hour, except the waits from P2
// into P3 (six hours: the planted silo boundary) and one gap in five
// inside P5, which stalls for 200 hours on average (the planted slow
// department). One event in ten has no
// department. Timestamps are distinct within a case; the input order is
// shuffled in chunks.
func plant(t testing.TB, mem memory.Allocator, n int, seed uint64) (*eventlog.Log, truth) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 99))
	name := func(d int) string { return fmt.Sprintf("P%d", d) }
	tr := truth{pairs: map[[2]string]int{}}
	b := eventlog.NewBuilder()
	var pending []eventlog.Event
	hours := func(mean float64) int64 { return 1e6 * (1 + int64(rng.ExpFloat64()*mean*3600)) }
	for c := range n {
		id := fmt.Appendf(nil, "case %d", c)
		at := int64(1_700_000_000+rng.IntN(1e7)) * 1e6
		var s []int
		seen := map[int]bool{}
		stays := 2 + rng.IntN(7)
		for j := range stays {
			d := rng.IntN(6)
			switch {
			case j >= 2 && rng.Float64() < 0.15:
				d = s[j-2]
				if j == stays-1 && d == s[0] {
					tr.closing++
					break
				}
				tr.pingpong++
				a, b := name(s[j-2]), name(s[j-1])
				tr.pairs[[2]string{min(a, b), max(a, b)}]++
			default:
				for (j >= 1 && d == s[j-1]) || (j >= 2 && d == s[j-2]) {
					d = rng.IntN(6)
				}
			}
			if seen[d] {
				tr.revisits++
			}
			seen[d] = true
			if j > 0 {
				wait := 1.0
				if s[j-1] == 2 && d == 3 {
					wait = 6
				}
				at += hours(wait)
			}
			s = append(s, d)
			for i := range 1 + rng.IntN(3) {
				if i > 0 {
					gap := 1.0
					if d == 5 && rng.IntN(5) == 0 {
						gap = 200
					}
					at += hours(gap)
				}
				pending = append(pending, eventlog.Event{Case: id, Activity: fmt.Appendf(nil, "A%d", i), Time: at,
					Start: eventlog.NoTime, Department: []byte(name(d))})
				if rng.IntN(10) == 0 {
					at += hours(0.1)
					pending = append(pending, eventlog.Event{Case: id, Activity: []byte("Note"), Time: at, Start: eventlog.NoTime})
				}
			}
		}
		if len(pending) > 50 || c == n-1 {
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
	return l, tr
}

// Every planted ping-pong is found and nothing else; closing returns are
// counted apart, exactly.
func TestPlantedPingPong(t *testing.T) {
	for seed := range uint64(5) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		l, tr := plant(t, mem, 2000, seed)
		f, err := Analyze(l, Options{})
		if err != nil {
			t.Fatal(err)
		}
		pp := f.PingPong
		if pp.Occurrences != tr.pingpong || pp.Closing != tr.closing || pp.Revisits != tr.revisits {
			t.Errorf("seed %d: %d ping-pong, %d closing, %d revisits; planted %d, %d, %d",
				seed, pp.Occurrences, pp.Closing, pp.Revisits, tr.pingpong, tr.closing, tr.revisits)
		}
		if tr.closing == 0 {
			t.Errorf("seed %d: no closing return planted", seed)
		}
		if len(pp.Pairs) != len(tr.pairs) {
			t.Errorf("seed %d: %d pairs, planted %d", seed, len(pp.Pairs), len(tr.pairs))
		}
		for _, p := range pp.Pairs {
			if want := tr.pairs[[2]string{p.A, p.B}]; p.Occurrences != want {
				t.Errorf("seed %d: pair {%s, %s} %d, planted %d", seed, p.A, p.B, p.Occurrences, want)
			}
		}
		l.Release()
		mem.AssertSize(t, 0)
	}
}

// The planted boundary P2→P3 is flagged for every seed, with at most one
// false boundary over five seeds.
func TestPlantedSilo(t *testing.T) {
	false_ := 0
	for seed := range uint64(5) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		l, _ := plant(t, mem, 2000, seed)
		f, err := Analyze(l, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range f.Silos.Boundaries {
			switch {
			case !b.Silo:
			case b.From == "P2" && b.To == "P3":
				found = true
			default:
				false_++
				t.Logf("seed %d: false silo boundary %+v", seed, b)
			}
		}
		if !found {
			t.Errorf("seed %d: P2→P3 not flagged: %+v", seed, f.Silos.Boundaries)
		}
		l.Release()
		mem.AssertSize(t, 0)
	}
	if false_ > 1 {
		t.Errorf("%d false silo boundaries over 5 seeds, want at most 1", false_)
	}
}

// The planted slow department ranks first for where long cases lose time,
// by the default rule (above the P90) and by an SLA.
func TestPlantedSlowDepartment(t *testing.T) {
	for seed := range uint64(5) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		l, _ := plant(t, mem, 2000, seed)
		for _, opt := range []Options{{}, {SLA: 24 * time.Hour}} {
			f, err := Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			if f.LeadTime.Long == 0 {
				t.Errorf("seed %d, SLA %v: no long case", seed, opt.SLA)
				continue
			}
			if top := f.LeadTime.Where.Units[0]; top.Unit != "P5" {
				t.Errorf("seed %d, SLA %v: %s ranked first, want P5: %+v", seed, opt.SLA, top.Unit, f.LeadTime.Where.Units)
			}
		}
		l.Release()
		mem.AssertSize(t, 0)
	}
}
