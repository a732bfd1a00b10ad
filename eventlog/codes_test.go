package eventlog

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestNarrowCodes checks that dictionary columns get the narrowest index
// type at the 128- and 32,768-value boundaries, whether the builder is filled
// event by event or merged from parts (told to expect the events, or a
// hundred times as many, which sizes the dictionaries for far more values
// than come), and that Codes reads every width back, nulls as -1.
func TestNarrowCodes(t *testing.T) {
	for _, tc := range []struct {
		distinct int
		index    string
	}{
		{1, "int8"}, {128, "int8"}, {129, "int16"}, {32768, "int16"}, {32769, "int32"}, // codes 0…127 fit int8
	} {
		for _, hint := range []int{0, 1, 100} { // 0: event by event, else merged after Grow(hint×events)
			t.Run(fmt.Sprintf("%d/hint=%d", tc.distinct, hint), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				n := tc.distinct + 10
				// Event i has activity a<i mod distinct> (so codes are
				// i mod distinct, by first appearance) and department
				// d<i mod distinct>, missing in the ten events after the
				// first round when i is a multiple of 3.
				fill := func(b *Builder, from, to int) {
					for i := from; i < to; i++ {
						var dept []byte
						if i < tc.distinct || i%3 != 0 {
							dept = []byte("d" + strconv.Itoa(i%tc.distinct))
						}
						b.Add(&Event{Case: []byte("c"), Activity: []byte("a" + strconv.Itoa(i%tc.distinct)), Department: dept,
							Time: int64(i), Start: NoTime, Row: int64(i + 2)})
					}
				}
				part := 0
				if hint > 0 {
					part = 1000
				}
				l := built(t, mem, n, hint*n, part, fill)
				defer l.Release()
				for _, col := range []string{Activity, Department} {
					if got := l.Column(col).(*array.Dictionary).Indices().DataType().String(); got != tc.index {
						t.Errorf("%s index type %s, want %s", col, got, tc.index)
					}
				}
				if a, d := l.Used(Activity), l.Used(Department); a != tc.distinct || d != tc.distinct {
					t.Errorf("Used: %d activities, %d departments, want %d", a, d, tc.distinct)
				}
				acts, depts := l.Codes(Activity), l.Codes(Department)
				for i := range n {
					if acts.Names[acts.Index[i]] != "a"+strconv.Itoa(i%tc.distinct) {
						t.Fatalf("event %d: activity %q", i, acts.Names[acts.Index[i]])
					}
					missing := i >= tc.distinct && i%3 == 0
					switch d := depts.Index[i]; {
					case missing && d != -1:
						t.Fatalf("event %d: department code %d, want -1 (missing)", i, d)
					case !missing && (d < 0 || depts.Names[d] != "d"+strconv.Itoa(i%tc.distinct)):
						t.Fatalf("event %d: department code %d", i, d)
					}
				}
			})
		}
	}
}
