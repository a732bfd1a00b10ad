package mining_test

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/mining"
)

// TestCostCalls prices only the service stage of call records: the VRU
// and the queue are waiting, not staff time. calls_small.txt has four
// served calls of 300, 120, 300 and 60 s (TestCallFiguresSmall's mean of
// 195 s), 13 minutes in all.
func TestCostCalls(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res := readCalls(t, mem, "../ingest/testdata/calls_small.txt")
	defer res.Release()
	f, err := mining.Analyze(res.Log, mining.Options{Cost: &mining.Rates{PerMinute: map[string]float64{"": 0.9}, PerHandoff: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if c := f.Cost; math.Abs(c.Minutes-13) > 1e-9 || math.Abs(c.Handling-13*0.9) > 1e-9 {
		t.Errorf("minutes %v, handling %v; want 13 and 11.7", c.Minutes, c.Handling)
	}
	// A call's stages are no handoffs of a case read again.
	if c := f.Cost; c.HandoffsPriced || c.Handoffs != 0 || f.Flows.Handoffs == 0 {
		t.Errorf("handoffs priced %v at %v (%d stage changes); want none priced", c.HandoffsPriced, c.Handoffs, f.Flows.Handoffs)
	}
}
