package eventlog

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestCodedValuesMapMadeOnce: a reader hands out copies of one cached
// Coded, batch after batch; when its values cannot be shared (codes out of
// order of first appearance) the map from its codes to the Builder's is
// made once for all the copies, not once per batch (which cost a slice as
// long as the whole dictionary each time), and the log is still Add's.
func TestCodedValuesMapMadeOnce(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const n, per, batches = 1 << 18, 8, 20
	var data []byte
	offs := []int32{0}
	for k := range n {
		data = fmt.Appendf(data, "c%06d", k)
		offs = append(offs, int32(len(data)))
	}
	data, offs = slices.Clip(data), slices.Clip(offs)
	cached := NewCodedValues(data, offs, nil)

	got, want := NewBuilder(), NewBuilder()
	var tm int64
	var ms runtime.MemStats
	var after1 uint64
	for i := range batches {
		if i == 1 {
			runtime.ReadMemStats(&ms)
			after1 = ms.TotalAlloc
		}
		codes := make([]int32, per)
		for j := range codes {
			// From the end: never in order of first appearance.
			codes[j] = int32(n - 1 - i*per - j)
		}
		times, rows := make([]int64, per), make([]int64, per)
		for j, c := range codes {
			tm++
			times[j], rows[j] = tm, tm
			want.Add(&Event{Case: data[offs[c]:offs[c+1]], Activity: []byte("a"), Time: tm, Row: tm})
		}
		c := cached
		c.Codes = codes
		got.AddBatch(&Batch{Case: c, Activity: coded(make([]int32, per), "a"), Time: times, Row: rows}, 0, per)
	}
	runtime.ReadMemStats(&ms)
	// One map is 4n bytes; the batches after the first need far less.
	if spent := ms.TotalAlloc - after1; spent > 4*n/2 {
		t.Errorf("batches 2…%d allocated %d bytes, want under %d (the map made once)", batches, spent, 4*n/2)
	}
	sameLog(t, mem, got, want).Release()
}

// sameLog finishes both builders and requires the same events and cases:
// got built by batches, want by Add event by event. It returns got's log.
func sameLog(t *testing.T, mem memory.Allocator, got, want *Builder) *Log {
	t.Helper()
	g, err := got.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	w, err := want.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	if a, b := flat(g), flat(w); !slices.Equal(a, b) {
		t.Errorf("events %v, Add gives %v", a, b)
	}
	if a, b := g.Codes(Case).Names, w.Codes(Case).Names; !slices.Equal(a, b) {
		t.Errorf("cases %q, Add gives %q", a, b)
	}
	return g
}
