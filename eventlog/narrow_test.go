package eventlog

import (
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestCaseCodes checks the first and last non-null department of each
// case, read in place, against the values planted: missing at either end,
// missing throughout, one event, and a case of 200 distinct departments
// (so the index is int16), and all -1 for a column the log lacks.
func TestCaseCodes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewBuilder()
	row := int64(2)
	put := func(cas, dept string) {
		var d []byte
		if dept != "" {
			d = []byte(dept)
		}
		b.Add(&Event{Case: []byte(cas), Activity: []byte("a"), Department: d, Time: row, Start: NoTime, Row: row})
		row++
	}
	for _, d := range []string{"", "A", "B", ""} {
		put("c1", d)
	}
	put("c2", "")
	put("c2", "")
	put("c3", "B")
	for i := range 200 {
		put("c4", "d"+strconv.Itoa(i))
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	want := map[string][2]string{"c1": {"A", "B"}, "c2": {"-", "-"}, "c3": {"B", "B"}, "c4": {"d0", "d199"}}
	first, last := l.CaseCodes(Department, false), l.CaseCodes(Department, true)
	ids := l.Codes(Case)
	name := func(c Codes, k int) string {
		if c.Index[k] < 0 {
			return "-"
		}
		return c.Names[c.Index[k]]
	}
	if len(first.Index) != 4 || len(last.Index) != 4 {
		t.Fatalf("%d and %d codes for 4 cases", len(first.Index), len(last.Index))
	}
	for k := range 4 {
		id := ids.Names[ids.Index[l.Offsets()[k]]]
		if got := [2]string{name(first, k), name(last, k)}; got != want[id] {
			t.Errorf("case %s: first, last %v, want %v", id, got, want[id])
		}
	}
	for k, c := range l.CaseCodes("no such column", false).Index {
		if c != -1 {
			t.Errorf("case %d of a missing column: code %d, want -1", k, c)
		}
	}
}
