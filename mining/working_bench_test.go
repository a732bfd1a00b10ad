package mining

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
)

// startedLog is the benchmark log of cases cases with a start on 9 of 10
// events, each worked on for an exponential time of mean 10 minutes before
// its end, so that some overlap the event before.
func startedLog(b *testing.B, cases int) *eventlog.Log {
	l := benchLog(b, cases)
	cs, acts, deps := l.Codes(eventlog.Case), l.Codes(eventlog.Activity), l.Codes(eventlog.Department)
	name := func(c eventlog.Codes, i int) []byte {
		if c.Index[i] < 0 {
			return nil
		}
		return []byte(c.Names[c.Index[i]])
	}
	rng := rand.New(rand.NewPCG(7, 7))
	bl := eventlog.NewBuilder()
	for i, t := range l.Times() {
		start := int64(eventlog.NoTime)
		if rng.IntN(10) > 0 {
			start = t - int64(rng.ExpFloat64()*600e6)
		}
		bl.Add(&eventlog.Event{Case: name(cs, i), Activity: name(acts, i), Department: name(deps, i), Time: t, Start: start})
	}
	out, err := bl.Finish(memory.NewGoAllocator())
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkWorking times the working pass alone on 200,000 cases, after
// the passes it needs (the input and the scan's shards) run untimed: in
// clock time, and in working time, which also looks up the working time
// at each start.
func BenchmarkWorking(b *testing.B) {
	l := startedLog(b, 200_000)
	defer l.Release()
	office := &calendar.Calendar{Name: "office", Dutch: true}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = []calendar.Shift{{Start: 8*3600 + 1800, End: 17 * 3600}}
	}
	for _, c := range []struct {
		name string
		cal  *calendar.Calendar
	}{{"clock", nil}, {"working", office}} {
		b.Run(c.name, func(b *testing.B) {
			timePass(b, l, Options{Calendar: c.cal}, (*analysis).scan, (*analysis).working)
		})
	}
}

// BenchmarkAnalyzeStarts is Analyze on the same 200,000 cases with and
// without their start times: the difference is what start times cost in
// all, the working pass and reading the start column.
func BenchmarkAnalyzeStarts(b *testing.B) {
	b.Run("without", func(b *testing.B) { benchAnalyze(b, 200_000, Options{}) })
	b.Run("with", func(b *testing.B) {
		l := startedLog(b, 200_000)
		defer l.Release()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := Analyze(l, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
