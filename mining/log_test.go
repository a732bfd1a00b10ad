package mining

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
)

// ev is an event of a hand-built log: case, activity, clock time on
// handlog.Day, department, resource.
type ev = handlog.Event

// analyze builds evs and analyses them with opt. The log is released
// when the test ends, as the findings name their cases from it.
func analyze(t *testing.T, evs []ev, opt Options) *Findings {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	l := handlog.Build(t, mem, "", evs)
	t.Cleanup(l.Release)
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
