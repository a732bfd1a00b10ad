package eventlog

import (
	"slices"
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

// TestNarrow checks Narrow at each index width against the planted
// departments: the width set is the column's (int8 up to 128 values,
// int16 up to 32,768, int32 beyond), At and Append give every event's
// code, -1 where its department is missing (every third event after the
// first round), and a column the log lacks gives -1 throughout.
func TestNarrow(t *testing.T) {
	for _, tc := range []struct {
		distinct int
		width    string
	}{{100, "int8"}, {1000, "int16"}, {40000, "int32"}} {
		t.Run(tc.width, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			n := tc.distinct + 30
			missing := func(i int) bool { return i >= tc.distinct && i%3 == 0 }
			l := built(t, mem, n, 0, 0, func(b *Builder, from, to int) {
				for i := from; i < to; i++ {
					var dept []byte
					if !missing(i) {
						dept = []byte("d" + strconv.Itoa(i%tc.distinct))
					}
					b.Add(&Event{Case: []byte("c"), Activity: []byte("a"), Department: dept, Time: int64(i), Start: NoTime, Row: int64(i + 2)})
				}
			})
			defer l.Release()
			d := l.Narrow(Department)
			width := map[bool]string{d.I8 != nil: "int8", d.I16 != nil: "int16", d.I32 != nil: "int32"}[true]
			if width != tc.width {
				t.Fatalf("codes at %s, want %s", width, tc.width)
			}
			all := d.Append(nil, 0, n)
			for i := range n {
				want := "-"
				if !missing(i) {
					want = "d" + strconv.Itoa(i%tc.distinct)
				}
				got := "-"
				if c := d.At(i); c >= 0 {
					got = d.Names[c]
				}
				if got != want || all[i] != d.At(i) {
					t.Fatalf("event %d: %s (appended code %d, at %d), want %s", i, got, all[i], d.At(i), want)
				}
			}
			none := l.Narrow("no such column")
			if len(none.I8) != n || slices.ContainsFunc(none.I8, func(c int8) bool { return c != -1 }) {
				t.Errorf("missing column: %v, want %d codes of -1", none.I8, n)
			}
		})
	}
}
