package eventlog

import (
	"slices"
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestAddBatch: a batch added in two runs gives the log Add gives, and
// the dictionaries keep their own copy of values that lay in the batch's
// memory (overwritten here once the batch is added, as a reused buffer
// would be).
func TestAddBatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	buf := []byte("XYopenclose")
	str := func(lo, hi int) string { return unsafe.String(&buf[lo], hi-lo) }
	bt := &Batch{
		Case:       coded([]int32{1, 0, 1}, str(0, 1), str(1, 2)),
		Activity:   coded([]int32{0, 0, 1}, str(2, 6), str(6, 11)),
		Department: coded([]int32{-1, 0, 0}, "KCC"),
		Time:       []int64{3, 1, 2},
		Start:      []int64{NoTime, NoTime, NoTime},
		Row:        []int64{7, 8, 9},
	}
	b := NewBuilder()
	// Case Y's events come first and sort by time within it.
	b.AddBatch(bt, 0, 1)
	b.AddBatch(bt, 1, 3)
	copy(buf, "ZZZZZZZZZZZ")
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if got, want := flat(l), []string{"Y/close/KCC@2", "Y/open/-@3", "X/open/KCC@1"}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if got := l.Codes(Case).Names; !slices.Equal(got, []string{"Y", "X"}) {
		t.Errorf("cases %q, want in order of first appearance", got)
	}
	if l.Column(StartTime) != nil {
		t.Error("a start_time column without a start time")
	}
	if got := l.Rows(); !slices.Equal(got, []int64{9, 7, 8}) {
		t.Errorf("rows %v", got)
	}
}

// coded is the Coded of codes into values.
func coded(codes []int32, values ...string) Coded {
	return NewCoded(len(values), func(k int) string { return values[k] }, codes)
}
