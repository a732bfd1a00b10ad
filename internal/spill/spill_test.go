package spill

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"
)

// A nil Memory is the in-memory route: heap slices, and every method a
// no-op.
func TestNil(t *testing.T) {
	var m *Memory
	m.SetThreshold(1)
	s := Make[int64](m, 1<<20)
	if len(s) != 1<<20 || cap(s) != 1<<20 || s[1<<20-1] != 0 {
		t.Fatalf("Make on nil: len %d cap %d", len(s), cap(s))
	}
	s = append(s[:2], 5)
	s = Grow(m, s, 1<<21)
	if cap(s)-len(s) < 1<<21 || s[2] != 5 {
		t.Fatalf("Grow on nil: len %d cap %d s[2] %d", len(s), cap(s), s[2])
	}
	Free(m, s)
	if s[2] != 5 {
		t.Fatal("Free on nil touched the slice")
	}
	if m.PageOut() != 0 || m.Stats() != (Stats{}) || m.Err() != nil || m.Warning() != nil || m.Close() != nil {
		t.Fatal("a nil Memory did something")
	}
}

// Slices holding pointers are refused on every route, in memory too, as
// the collector would not see them in a file.
func TestPointersRefused(t *testing.T) {
	type withString struct {
		N int
		S string
	}
	type withSlice struct{ X [2][]int }
	type withPointer struct {
		A float64
		P *int
	}
	type plainStruct struct {
		A int32
		B [3]float64
		C bool
	}
	for _, tc := range []struct {
		name   string
		make   func()
		refuse bool
	}{
		{"string", func() { Make[string](nil, 1) }, true},
		{"slice", func() { Make[[]int](nil, 1) }, true},
		{"pointer", func() { Make[*int](nil, 1) }, true},
		{"map", func() { Make[map[int]int](nil, 1) }, true},
		{"interface", func() { Make[any](nil, 1) }, true},
		{"func", func() { Make[func()](nil, 1) }, true},
		{"string in struct", func() { Make[withString](nil, 1) }, true},
		{"slices in array in struct", func() { Make[withSlice](nil, 1) }, true},
		{"pointer in struct", func() { MakeCap[withPointer](nil, 0, 4) }, true},
		{"pointers in array", func() { Make[[2]*int](nil, 1) }, true},
		{"numbers", func() { Make[plainStruct](nil, 1) }, false},
		{"complex", func() { Make[complex128](nil, 1) }, false},
		{"empty array of pointers", func() { Make[[0]*int](nil, 1) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := panics(tc.make); got != tc.refuse {
				t.Fatalf("refused %v, want %v", got, tc.refuse)
			}
		})
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

func ExampleMake() {
	m, err := New("", 0) // the system's temporary folder, no limit
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	durations := Make[float64](m, 0) // empty: on the heap
	for i := range 300_000 {         // 2.4 MB: moves to a file on the way
		durations = Grow(m, durations, 1)
		durations = append(durations, float64(i)/2)
	}
	fmt.Println(len(durations), durations[299_999])
	Free(m, durations)
	// Output: 300000 149999.5
}

// TestGrowHeap: without a Memory, Grow keeps the contents, makes room for
// n more, grows element by element in O(log n) moves (append's policy)
// and grows a large slice by about a quarter, not twice.
func TestGrowHeap(t *testing.T) {
	var s []int64
	moves := 0
	for i := range 1_000_000 {
		g := Grow[int64](nil, s, 1)
		if cap(g) < len(s)+1 || len(g) != len(s) {
			t.Fatalf("Grow(len %d, cap %d, 1) gave len %d cap %d", len(s), cap(s), len(g), cap(g))
		}
		if cap(s) > 0 && unsafe.SliceData(g) != unsafe.SliceData(s) {
			moves++
		}
		s = append(g, int64(i))
	}
	for i, v := range s {
		if v != int64(i) {
			t.Fatalf("s[%d] = %d after growing", i, v)
		}
	}
	if moves > 40 {
		t.Errorf("%d moves to push 1M elements one at a time, want O(log n)", moves)
	}
	big := make([]int64, 1<<20)
	if g := Grow[int64](nil, big, 1); cap(g) > 1<<20+1<<19 {
		t.Errorf("a full slice of 1Mi elements grew to %d, more than half again", cap(g))
	}
	if g := Grow[int64](nil, big[:10], 5); &g[0] != &big[0] {
		t.Error("a slice with room was moved")
	}
}

// TestAppendCloneResize: the append (Push, Append), clone and scratch of slices in a
// Memory keep contents as the built-ins do, and variadic Free gives back
// every slice it is passed.
func TestAppendCloneResize(t *testing.T) {
	m, err := New(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.SetThreshold(1)
	s := Append(m, []int64(nil), 1, 2, 3)
	s = Push(m, s, 4)
	c := Clone(m, s)
	if !slices.Equal(s, []int64{1, 2, 3, 4}) || !slices.Equal(c, s) || &c[0] == &s[0] {
		t.Fatalf("Append gave %v, Clone %v", s, c)
	}
	r := Resize(m, c, 2)
	if len(r) != 2 || &r[0] != &c[0] {
		t.Fatalf("Resize to less moved the slice or gave len %d", len(r))
	}
	r = Resize(m, c, 1<<10)
	if len(r) != 1<<10 {
		t.Fatalf("Resize to more gave len %d", len(r))
	}
	if m.Stats().Mapped == 0 {
		t.Fatal("nothing mapped")
	}
	Free(m, s, r)
	if st := m.Stats(); st.Mapped != 0 {
		t.Fatalf("after freeing both: %d bytes mapped", st.Mapped)
	}
}
