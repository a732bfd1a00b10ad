package eventlog

import (
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestCodedValuesShared: case ids given in Arrow's layout (NewCodedValues)
// give the log that Add gives event by event, whatever the order of their
// codes and whatever follows; the log keeps the values without a copy
// exactly when every batch numbers them in order of first appearance; and
// the values given are never written to (a look-up, a new value or a
// Reset copies them first).
func TestCodedValuesShared(t *testing.T) {
	values := []string{"AA", "BBB", "CC", "DD"}
	type batch struct {
		codes []int32
		then  []string // cases then added with Add
	}
	for _, tc := range []struct {
		name    string
		batches []batch
		reset   bool // Reset after the first batch
		shared  bool
	}{
		{"in order, two batches", []batch{{codes: []int32{0, 0, 1}}, {codes: []int32{1, 2, 2, 3}}}, false, true},
		{"out of order", []batch{{codes: []int32{1, 0, 2}}}, false, false},
		{"in order, then a jump", []batch{{codes: []int32{0, 1}}, {codes: []int32{3, 2, 0}}}, false, false},
		{"a look-up after sharing", []batch{{codes: []int32{0, 1}, then: []string{"BBB", "ZZ"}}}, false, false},
		{"a Reset after sharing", []batch{{codes: []int32{0, 1}}, {codes: []int32{0}, then: []string{"QQ"}}}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var data []byte
			offs := []int32{0}
			for _, v := range values {
				data = append(data, v...)
				offs = append(offs, int32(len(data)))
			}
			data, offs = slices.Clip(data), slices.Clip(offs)
			before := string(data)

			got, want := NewBuilder(), NewBuilder()
			var tm int64
			add := func(b *Builder, c string) {
				tm++
				b.Add(&Event{Case: []byte(c), Activity: []byte("a"), Time: tm, Row: tm})
			}
			for i, bt := range tc.batches {
				if i == 1 && tc.reset {
					got.Reset()
					want.Reset()
				}
				n := len(bt.codes)
				cases := NewCodedValues(data, offs, bt.codes)
				acts := coded(make([]int32, n), "a")
				times, rows := make([]int64, n), make([]int64, n)
				for k, c := range bt.codes {
					tm++
					times[k], rows[k] = tm, tm
					want.Add(&Event{Case: []byte(values[c]), Activity: []byte("a"), Time: tm, Row: tm})
				}
				// In two parts, as a reader adds runs of one file.
				b := &Batch{Case: cases, Activity: acts, Time: times, Row: rows}
				got.AddBatch(b, 0, n/2)
				got.AddBatch(b, n/2, n)
				for _, c := range bt.then {
					add(got, c)
					tm--
					add(want, c)
				}
			}
			g := sameLog(t, mem, got, want)
			defer g.Release()
			if string(data) != before {
				t.Errorf("the values given became %q", data)
			}
			dict := g.Column(Case).(*array.Dictionary).Dictionary().(*array.String)
			if shared := dict.Len() > 0 && &dict.ValueBytes()[0] == &data[0]; shared != tc.shared {
				t.Errorf("the log shares the values given: %v, want %v", shared, tc.shared)
			}
		})
	}
}
