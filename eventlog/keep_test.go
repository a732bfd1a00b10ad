package eventlog

import (
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// caseIDs lists CaseID for every case of l.
func caseIDs(l *Log) []string {
	var out []string
	for k := range l.Cases() {
		out = append(out, l.CaseID(k))
	}
	return out
}

// firstCases lists the case column's value at each case's first event,
// what CaseID must agree with.
func firstCases(l *Log) []string {
	c := l.Codes(Case)
	var out []string
	for _, lo := range l.Offsets()[:l.Cases()] {
		out = append(out, c.Names[c.Index[lo]])
	}
	return out
}

// TestCaseID: the ids by case match the case column, for a log from the
// Builder (events interleaved), for the same log read back by New with
// its cases in another order than their codes, and after filters.
func TestCaseID(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewBuilder()
	add(b, ev{"A", "x", "", 1}, ev{"B", "y", "", 2}, ev{"A", "z", "", 3}, ev{"C", "x", "", 0})
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if got := caseIDs(l); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("Builder log: case ids %v, want [A B C]", got)
	}

	// C@0 B@2 A@1 A@3: case 0 is C, whose code is 2.
	cols := make([]arrow.Array, l.Record().NumCols())
	for i := range cols {
		cols[i] = take(t, mem, l.Record().Column(i), []int{3, 2, 0, 1})
		defer cols[i].Release()
	}
	rec := array.NewRecord(l.Record().Schema(), cols, 4)
	defer rec.Release()
	back, err := New(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if got, want := caseIDs(back), firstCases(back); !slices.Equal(got, want) || !slices.Equal(got, []string{"C", "B", "A"}) {
		t.Errorf("reordered log: case ids %v, want %v = [C B A]", got, want)
	}

	// The window [1, 3) keeps B and A, not C (at 0).
	for _, f := range []Filter{{}, {From: time.UnixMicro(1), To: time.UnixMicro(3)}} {
		kept, _, err := back.Filter(f, mem)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := caseIDs(kept), firstCases(kept); !slices.Equal(got, want) || len(got) != map[bool]int{true: 3, false: 2}[f.IsZero()] {
			t.Errorf("filter %+v: case ids %v, want %v", f, got, want)
		}
		kept.Release()
	}
}

// TestKeep: a log keeping some columns has the same cases, events and
// ids, also without its case column and after the log it came from is
// released; New and a cutting Filter refuse a log without the case column.
func TestKeep(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := filterLog(t, mem)
	wantIDs, wantOff := firstCases(l), slices.Clone(l.Offsets())
	wantChn := l.Codes(Channel)
	kept := l.Keep([]string{Row, Time, Channel, File, "no such column"})
	defer kept.Release()
	l.Release()

	var names []string
	for _, f := range kept.Record().Schema().Fields() {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{Time, Channel, File, Row}) {
		t.Errorf("columns %v, want [time channel file row]", names)
	}
	if f, _ := kept.Record().Schema().FieldsByName(Channel); f[0].Metadata.FindKey(SourceKey) < 0 {
		t.Error("the channel column lost its source")
	}
	if kept.Column(Case) != nil || kept.Len() != 8 || !slices.Equal(kept.Offsets(), wantOff) {
		t.Errorf("case column %v, %d events, offsets %v; want none, 8, %v", kept.Column(Case), kept.Len(), kept.Offsets(), wantOff)
	}
	if got := caseIDs(kept); !slices.Equal(got, wantIDs) {
		t.Errorf("case ids %v, want %v", got, wantIDs)
	}
	if got := kept.Codes(Channel); !slices.Equal(got.Index, wantChn.Index) || !slices.Equal(got.Names, wantChn.Names) {
		t.Errorf("channels %v, want %v", got, wantChn)
	}
	if _, err := New(kept.Record()); err == nil {
		t.Error("New took a record without a case column")
	}
	all, _, err := kept.Filter(Filter{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	if got := caseIDs(all); !slices.Equal(got, wantIDs) {
		t.Errorf("after an empty filter: case ids %v, want %v", got, wantIDs)
	}
	all.Release()
	day := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	if _, _, err := kept.Filter(Filter{From: day(1), To: day(3)}, mem); err == nil {
		t.Error("a cutting filter took a log without a case column")
	}
}

// A log cut down to columns without the row column counts each event it
// filters out as a row of its own (it panicked before).
func TestFilterWithoutRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := filterLog(t, mem)
	defer l.Release()
	kept := l.Keep([]string{Case, Activity, Time, Channel})
	defer kept.Release()
	day := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	got, cut, err := kept.Filter(Filter{From: day(1), To: day(3)}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if cut.Cases == 0 || cut.Rows != int64(cut.Events) || got.Len()+cut.Events != l.Len() {
		t.Errorf("cut %+v and %d events kept of %d; want some cases cut, rows = events, nothing lost", cut, got.Len(), l.Len())
	}
}
