package eventlog

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

type ev struct {
	cas, act, dept string
	t              int64
}

func add(b *Builder, es ...ev) {
	for _, e := range es {
		b.Add(&Event{Case: []byte(e.cas), Activity: []byte(e.act), Department: []byte(e.dept), Time: e.t, Start: NoTime, Row: int64(b.Len() + 2)})
	}
}

// flat lists a log's events as "case/activity/department@time".
func flat(l *Log) []string {
	c, a, d := l.Codes(Case), l.Codes(Activity), l.Codes(Department)
	var out []string
	for i, t := range l.Times() {
		dept := "-"
		if d.Index[i] >= 0 {
			dept = d.Names[d.Index[i]]
		}
		out = append(out, c.Names[c.Index[i]]+"/"+a.Names[a.Index[i]]+"/"+dept+"@"+string(rune('0'+t)))
	}
	return out
}

func TestFinishOrdersByCaseThenTime(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewBuilder()
	add(b,
		ev{"B", "close", "Billing", 5},
		ev{"A", "x", "", 3},
		ev{"B", "open", "KCC", 1},
		ev{"A", "y", "KCC", 3}, // tie with A/x: file order keeps x first
		ev{"A", "w", "KCC", 2},
	)
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	want := []string{"B/open/KCC@1", "B/close/Billing@5", "A/w/KCC@2", "A/x/-@3", "A/y/KCC@3"}
	if got := flat(l); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if got := l.Offsets(); !slices.Equal(got, []int{0, 2, 5}) {
		t.Errorf("offsets %v, want [0 2 5]", got)
	}
	if l.Column(StartTime) != nil {
		t.Error("start_time column present without start times")
	}
	if n := l.Column(Department).NullN(); n != 1 {
		t.Errorf("department nulls %d, want 1", n)
	}
}

func TestEmpty(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := NewBuilder().Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.Len() != 0 || l.Cases() != 0 || len(l.Offsets()) != 1 || len(l.Times()) != 0 {
		t.Errorf("empty log: %d events, %d cases, offsets %v", l.Len(), l.Cases(), l.Offsets())
	}
	if c := l.Codes("no such column"); len(c.Index) != 0 {
		t.Errorf("codes of a missing column on an empty log: %v", c.Index)
	}
}

func TestAttributes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewBuilder()
	add(b, ev{"c", "a", "", 2})
	n, _ := b.Attr("note", String)
	b.SetString(n, []byte("first"))
	b.SetString(n, []byte("second")) // overwrites
	add(b, ev{"c", "b", "", 1})      // no attributes: nulls
	k, _ := b.Attr("cost", Float)
	add(b, ev{"c", "d", "", 3})
	b.SetNum(k, int64(math.Float64bits(2.5)))
	caseAttr, _ := b.Attr("case", String) // clashes with a role column
	b.SetString(caseAttr, []byte("x"))
	if _, err := b.Attr("cost", Int); err == nil || !strings.Contains(err.Error(), "is float") {
		t.Errorf("redeclaring with another kind: %v", err)
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	// Sorted by time: b(1), a(2), d(3).
	note := l.Codes("note")
	if note.Index[0] != -1 || note.Names[note.Index[1]] != "second" || note.Index[2] != -1 {
		t.Errorf("note codes %v names %v", note.Index, note.Names)
	}
	// "first" was overwritten: in the dictionary, on no event.
	if n, none := l.Used("note"), l.Used("no such column"); n != 1 || none != 0 {
		t.Errorf("Used: note %d, missing column %d; want 1 and 0", n, none)
	}
	cost := l.Column("cost").(*array.Float64)
	if !cost.IsNull(0) || !cost.IsNull(1) || cost.Value(2) != 2.5 {
		t.Errorf("cost %v", cost)
	}
	if l.Column("attr:case") == nil {
		t.Error("attribute named like a role column was not renamed attr:case")
	}
}

func TestMergeEqualsSequential(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	es := []ev{{"A", "x", "K", 4}, {"B", "y", "", 1}, {"A", "z", "L", 2}, {"C", "x", "K", 9}, {"B", "x", "L", 0}}
	whole := NewBuilder()
	whole.SetFile("f.csv")
	add(whole, es...)
	l1, err := whole.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Release()

	first, second := NewBuilder(), NewBuilder()
	first.SetFile("f.csv")
	second.SetFile("f.csv")
	add(first, es[:2]...)
	add(second, es[2:]...)
	if err := first.Merge(second); err != nil {
		t.Fatal(err)
	}
	l2, err := first.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Release()
	if !slices.Equal(flat(l1), flat(l2)) || !slices.Equal(l1.Offsets(), l2.Offsets()) {
		t.Errorf("merged %v, sequential %v", flat(l2), flat(l1))
	}
}

func TestNewValidates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewBuilder()
	add(b, ev{"A", "x", "", 1}, ev{"B", "y", "", 2}, ev{"A", "z", "", 3})
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	again, err := New(l.Record())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Offsets(), l.Offsets()) {
		t.Errorf("offsets %v, want %v", again.Offsets(), l.Offsets())
	}
	again.Release()

	// The log is A@1 A@3 B@2; as A@1 B@2 A@3 case A is split around B.
	cols := make([]arrow.Array, l.Record().NumCols())
	for i := range cols {
		cols[i] = take(t, mem, l.Record().Column(i), []int{0, 2, 1})
		defer cols[i].Release()
	}
	rec := array.NewRecord(l.Record().Schema(), cols, 3)
	defer rec.Release()
	if _, err := New(rec); err == nil || !strings.Contains(err.Error(), "not grouped") {
		t.Errorf("ungrouped record: %v", err)
	}
}

// take reorders an array by concatenating one-row slices.
func take(t *testing.T, mem memory.Allocator, a arrow.Array, order []int) arrow.Array {
	t.Helper()
	parts := make([]arrow.Array, len(order))
	for i, j := range order {
		parts[i] = array.NewSlice(a, int64(j), int64(j+1))
		defer parts[i].Release()
	}
	out, err := array.Concatenate(parts, mem)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMergeReusedPart fills one part builder per chunk, merges it and
// resets it for the next chunk, as the CSV reader does, into a target that
// was told how many events to expect: the log must equal one built event by
// event, attributes and start times included.
func TestMergeReusedPart(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	es := []ev{{"A", "x", "K", 4}, {"B", "y", "", 1}, {"A", "z", "L", 2}, {"C", "x", "K", 9}, {"B", "x", "L", 0}, {"D", "w", "M", 3}}
	notes := []string{"n1", "", "n2", "n1", "", "n3"}
	fill := func(b *Builder, from, to int) {
		for i := from; i < to; i++ {
			e := es[i]
			start := int64(NoTime)
			if i == 3 {
				start = 7 // the only start time, in the third part
			}
			b.Add(&Event{Case: []byte(e.cas), Activity: []byte(e.act), Department: []byte(e.dept), Time: e.t, Start: start, Row: int64(i + 2)})
			if notes[i] != "" {
				n, _ := b.Attr("note", String)
				b.SetString(n, []byte(notes[i]))
			}
		}
	}
	whole := NewBuilder()
	fill(whole, 0, len(es))
	l1, err := whole.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Release()

	target, part := NewBuilder(), NewBuilder()
	target.Grow(len(es))
	for _, cut := range [][2]int{{0, 2}, {2, 3}, {3, 5}, {5, 6}} {
		fill(part, cut[0], cut[1])
		if err := target.Merge(part); err != nil {
			t.Fatal(err)
		}
		part.Reset()
		if part.Len() != 0 || part.cases.Len() != 0 || part.starts != nil {
			t.Fatalf("Reset left %d events, %d cases, starts %v", part.Len(), part.cases.Len(), part.starts)
		}
	}
	l2, err := target.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Release()
	if !slices.Equal(flat(l1), flat(l2)) || !slices.Equal(l1.Offsets(), l2.Offsets()) {
		t.Errorf("merged %v, sequential %v", flat(l2), flat(l1))
	}
	names := func(l *Log) []string {
		c := l.Codes("note")
		var out []string
		for _, i := range c.Index {
			if i < 0 {
				out = append(out, "-")
			} else {
				out = append(out, c.Names[i])
			}
		}
		return out
	}
	if !slices.Equal(names(l1), names(l2)) || !slices.Equal(l1.Starts(), l2.Starts()) {
		t.Errorf("notes %v starts %v, want %v %v", names(l2), l2.Starts(), names(l1), l1.Starts())
	}
}

// TestRowsAndFiles checks the row column's width (int32, int64 once a
// line needs it, also when the wide part comes from a merged builder) and
// the file column: one byte per event, every event under the file it was
// added from, names in order of first appearance after grouping by case.
func TestRowsAndFiles(t *testing.T) {
	big := int64(math.MaxInt32) + 5
	tests := []struct {
		name    string
		rows    []int64 // of events added to b, then to a merged part
		split   int     // events before the merge
		wide    bool
		files   []string // file of each event as added
		want    []string // file of each event in the log
		wantDic []string
	}{
		{"narrow", []int64{2, 3, 4}, 3, false, []string{"a.csv", "a.csv", "b.csv"}, []string{"a.csv", "b.csv", "a.csv"}, []string{"a.csv", "b.csv"}},
		{"wide line", []int64{2, big, 4}, 3, true, []string{"a.csv", "a.csv", "a.csv"}, []string{"a.csv", "a.csv", "a.csv"}, []string{"a.csv"}},
		{"wide in the merged part", []int64{2, 3, big}, 2, true, []string{"b.csv", "a.csv", "a.csv"}, []string{"b.csv", "a.csv", "a.csv"}, []string{"b.csv", "a.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			// Cases X, Y, X: grouping moves the third event second.
			cases := []string{"X", "Y", "X"}
			b, part := NewBuilder(), NewBuilder()
			for i, r := range tt.rows {
				to := b
				if i >= tt.split {
					to = part
				}
				to.SetFile(tt.files[i])
				to.Add(&Event{Case: []byte(cases[i]), Activity: []byte("a"), Time: int64(i), Start: NoTime, Row: r})
			}
			if err := b.Merge(part); err != nil {
				t.Fatal(err)
			}
			l, err := b.Finish(mem)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
			wantRows := []int64{tt.rows[0], tt.rows[2], tt.rows[1]}
			if got := l.Rows(); !slices.Equal(got, wantRows) {
				t.Errorf("rows %v, want %v", got, wantRows)
			}
			if got, want := l.Column(Row).DataType().ID() == arrow.INT64, tt.wide; got != want {
				t.Errorf("row column %s, want int64: %v", l.Column(Row).DataType(), want)
			}
			f := l.Codes(File)
			var got []string
			for _, c := range f.Index {
				got = append(got, f.Names[c])
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(f.Names, tt.wantDic) {
				t.Errorf("files %v (dictionary %v), want %v (%v)", got, f.Names, tt.want, tt.wantDic)
			}
			if typ := l.Column(File).(*array.Dictionary).Indices().DataType(); typ.ID() != arrow.INT8 {
				t.Errorf("file index type %s, want int8", typ)
			}
		})
	}
}
