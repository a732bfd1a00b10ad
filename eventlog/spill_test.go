package eventlog_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/logtest"
	"github.com/caseflow/caseflow/internal/spill"
)

// TestBuilderInMemory: a log built in file-backed memory (every slice
// mapped) is the log built on the heap, column by column, through
// everything that moves a slice: chunks merged into a builder sized too
// small, case codes widening from 8 to 16 to 32 bits, row numbers from 32
// to 64, batches of shared values, start times appearing late, attributes
// of every kind, events out of order (a permutation), several files. What
// the log makes per event or case (Codes, Narrow, CaseCodes, Rows,
// Starts, Filter, Keep) is the same too.
func TestBuilderInMemory(t *testing.T) {
	m, err := spill.New(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.SetThreshold(1)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	const cases = 40_000 // over 32,768: int32 case codes
	build := func(b *eventlog.Builder) *eventlog.Log {
		t.Helper()
		rng := rand.New(rand.NewPCG(1, 2))
		b.Grow(1000) // far too few: the columns grow
		var tm int64
		for part := range 4 {
			chunk := eventlog.NewBuilder() // a parse worker's, on the heap
			chunk.SetFile(fmt.Sprintf("f%d.csv", part/2))
			cust, _ := chunk.Attr("customer", eventlog.String)
			n, _ := chunk.Attr("n", eventlog.Int)
			ok, _ := chunk.Attr("ok", eventlog.Bool)
			for i := range 30_000 {
				tm += rng.Int64N(5) - 1              // sometimes back in time
				c := i*7919%(cases/4) + part*cases/4 // every case, interleaved
				e := eventlog.Event{Case: fmt.Appendf(nil, "C%05d", c), Activity: fmt.Appendf(nil, "a%d", rng.IntN(9)), Time: tm,
					Start: eventlog.NoTime, Row: int64(part*30_000 + i + 2)}
				if part == 3 && i == 7 {
					e.Row = math.MaxInt32 + 10 // the row column widens
				}
				if part >= 2 && i%5 == 0 {
					e.Start = tm - 3
				}
				if i%3 != 0 {
					e.Department = fmt.Appendf(nil, "d%d", rng.IntN(200))
				}
				chunk.Add(&e)
				chunk.SetString(cust, fmt.Appendf(nil, "K%d", c/2))
				if i%4 != 0 {
					chunk.SetNum(n, int64(i))
					chunk.SetNum(ok, int64(i%2))
				}
			}
			if err := b.Merge(chunk); err != nil {
				t.Fatal(err)
			}
		}
		// A batch whose case ids are another's values, in Arrow's layout.
		var data []byte
		offs := []int32{0}
		for k := range 3000 {
			data = fmt.Appendf(data, "B%d", k)
			offs = append(offs, int32(len(data)))
		}
		codes := make([]int32, 6000)
		for i := range codes {
			codes[i] = int32(i / 2)
		}
		acts := eventlog.NewCoded(1, func(int) string { return "batch" }, make([]int32, len(codes)))
		times := make([]int64, len(codes))
		for i := range times {
			times[i] = tm + int64(i%2)
		}
		b.SetFile("batch.parquet")
		b.AddBatch(&eventlog.Batch{Case: eventlog.NewCodedValues(data, offs, codes), Activity: acts, Time: times, Row: slices.Clone(times)}, 0, len(codes))
		l, err := b.Finish(mem)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	want := build(eventlog.NewBuilder())
	defer want.Release()
	got := build(eventlog.NewBuilderIn(m))
	defer got.Release()
	if st := m.Stats(); st.Mapped < int64(got.Len())*8 {
		t.Fatalf("%d bytes mapped for %d events: the log is not in the file-backed memory", st.Mapped, got.Len())
	}
	if got.Cases() != cases+3000 || got.Len() != 4*30_000+6000 {
		t.Fatalf("%d cases, %d events; want %d, %d", got.Cases(), got.Len(), cases+3000, 4*30_000+6000)
	}
	logtest.Same(t, got, want)

	for _, name := range []string{eventlog.Case, eventlog.Activity, eventlog.Department, eventlog.File, "customer"} {
		g, w := got.Codes(name), want.Codes(name)
		if !slices.Equal(g.Index, w.Index) || !slices.Equal(g.Names, w.Names) {
			t.Errorf("Codes(%s) differ", name)
		}
		g.Free()
		gn, wn := got.Narrow(name), want.Narrow(name)
		if !slices.Equal(gn.I8, wn.I8) || !slices.Equal(gn.I16, wn.I16) || !slices.Equal(gn.I32, wn.I32) {
			t.Errorf("Narrow(%s) differs", name)
		}
		gn.Free()
		gc, wc := got.CaseCodes(name, true), want.CaseCodes(name, true)
		if !slices.Equal(gc.Index, wc.Index) {
			t.Errorf("CaseCodes(%s) differ", name)
		}
		gc.Free()
	}
	if !slices.Equal(got.Rows(), want.Rows()) || !slices.Equal(got.Starts(), want.Starts()) {
		t.Error("Rows or Starts differ")
	}

	ts := want.Times()
	lo, hi := slices.Min(ts), slices.Max(ts)
	f := eventlog.Filter{From: time.UnixMicro(lo + (hi-lo)/3), To: time.UnixMicro(hi - (hi-lo)/3), Window: eventlog.Intersecting,
		Where: []eventlog.Condition{{Column: eventlog.Department, Values: []string{"d1", "d2", "d3", "d50", "d199"}}}}
	logtest.SameCuts(t, got, want, f, []string{eventlog.Activity, eventlog.Time}, mem)
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
}
