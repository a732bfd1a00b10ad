package mining

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// ev is an event of a hand-built log; at is "15:04" or "15:04:05" on
// 4 March 2024, UTC.
type ev struct {
	c, a, at, d, r string
}

var day = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

func clock(t testing.TB, at string) int64 {
	t.Helper()
	for _, layout := range []string{"15:04", "15:04:05"} {
		if c, err := time.Parse(layout, at); err == nil {
			return day.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute + time.Duration(c.Second())*time.Second).UnixMicro()
		}
	}
	t.Fatalf("bad clock %q", at)
	return 0
}

// build makes a log from events in input order; the caller releases it.
func build(t testing.TB, mem memory.Allocator, evs []ev) *eventlog.Log {
	t.Helper()
	b := eventlog.NewBuilder()
	for i, e := range evs {
		b.Add(&eventlog.Event{
			Case: []byte(e.c), Activity: []byte(e.a), Time: clock(t, e.at), Start: eventlog.NoTime,
			Department: []byte(e.d), Resource: []byte(e.r), Row: int64(i + 2),
		})
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// analyze builds evs and analyses them with opt.
func analyze(t *testing.T, evs []ev, opt Options) *Findings {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := build(t, mem, evs)
	defer l.Release()
	f, err := Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func near(got, want float64) bool {
	d := got - want
	return d < 1e-6*max(1, abs(want)) && -d < 1e-6*max(1, abs(want))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// checkNum fails when got is not want within a relative 1e-6.
func checkNum(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}
