package eventlog

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestDict checks Dict against a plain map numbering values in order of
// first appearance: the codes ID and IDString give, Len and Values, for
// runs of one value, the empty string, prefixes of each other, and enough
// values to regrow the table many times; then the same after a reset, and
// after grow sized the table in advance.
func TestDict(t *testing.T) {
	many := make([]string, 0, 60000)
	for i := range 20000 {
		// Every value three times: new, then found in a run, then found
		// after others.
		v := "C" + strconv.Itoa(i*7919%20000)
		many = append(many, v, v)
		if i > 0 {
			many = append(many, many[3*(i-1)])
		}
	}
	for _, tc := range []struct {
		name string
		in   []string
	}{
		{"empty", nil},
		{"one", []string{"x"}},
		{"runs and the empty string", []string{"a", "a", "", "b", "", "a", "ab", "b", "ab", "a"}},
		{"prefixes", []string{"abc", "ab", "a", "", "abcd", "ab", "abc"}},
		{"unicode", []string{"zaak", "zäak", "zaak", "案件", "zäak"}},
		{"many", many},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]int32{}
			var wantCodes []int32
			var wantValues []string
			for _, v := range tc.in {
				c, ok := want[v]
				if !ok {
					c = int32(len(wantValues))
					want[v] = c
					wantValues = append(wantValues, v)
				}
				wantCodes = append(wantCodes, c)
			}
			var d Dict
			check := func(step string, id func(string) int32) {
				t.Helper()
				for i, v := range tc.in {
					if got := id(v); got != wantCodes[i] {
						t.Fatalf("%s: value %d (%q) has code %d, want %d", step, i, v, got, wantCodes[i])
					}
				}
				if d.Len() != len(wantValues) || !slices.Equal(d.Values(), wantValues) {
					t.Fatalf("%s: %d values, want %d, or not the same", step, d.Len(), len(wantValues))
				}
			}
			check("ID", func(v string) int32 { return d.ID([]byte(v)) })
			check("ID again", func(v string) int32 { return d.ID([]byte(v)) })
			d.reset()
			check("IDString after reset", d.IDString)
			var sized Dict
			sized.grow(len(wantValues), 0)
			d = sized
			check("ID after grow", func(v string) int32 { return d.ID([]byte(v)) })
		})
	}
}

// TestIDDoesNotKeepInput checks that ID copies what it adds: the caller's
// buffer is reused for the next value.
func TestIDDoesNotKeepInput(t *testing.T) {
	var d Dict
	buf := []byte("first")
	d.ID(buf)
	copy(buf, "xxxxx")
	if got := d.Values(); !slices.Equal(got, []string{"first"}) {
		t.Errorf("values %q after the caller reused its buffer, want [first]", got)
	}
	if allocs := testing.AllocsPerRun(100, func() { d.ID(buf); d.ID([]byte("first")) }); allocs != 0 {
		t.Errorf("looking up known values allocates %v times, want 0", allocs)
	}
}

// TestFinishBuffersExact checks that a log keeps no more memory than its
// values need, whether its builder was told to expect too few events
// (columns grown by appending, up to a quarter spare), too many, or none,
// and filled event by event or merged from parts: every buffer of every
// column, dictionaries included, holds at most a 32nd more than its
// length (and the 64-byte rounding of Arrow's own allocations).
func TestFinishBuffersExact(t *testing.T) {
	const n = 50000
	fill := func(b *Builder, from, to int) {
		b.SetFile("f.csv")
		for i := from; i < to; i++ {
			ev := &Event{Case: []byte("case-" + strconv.Itoa(i/7)), Activity: []byte("a" + strconv.Itoa(i%5)),
				Resource: []byte("r" + strconv.Itoa(i%300)), Time: int64(i), Start: NoTime, Row: int64(i + 2)}
			if i%4 == 0 {
				ev.Department = []byte("d" + strconv.Itoa(i%3))
			}
			b.Add(ev)
			k, _ := b.Attr("customer", String)
			b.SetString(k, []byte("K"+strconv.Itoa(i/3)))
			k, _ = b.Attr("cost", Int)
			b.SetNum(k, int64(i))
		}
	}
	for _, hint := range []int{0, n / 3, n, 2 * n} {
		for _, merged := range []bool{false, true} {
			t.Run(fmt.Sprintf("hint=%d/merged=%v", hint, merged), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				part := 0
				if merged {
					part = 4000
				}
				l := built(t, mem, n, hint, part, fill)
				defer l.Release()
				if l.Len() != n || l.Cases() != (n+6)/7 {
					t.Fatalf("%d events in %d cases, want %d in %d", l.Len(), l.Cases(), n, (n+6)/7)
				}
				for i, f := range l.Record().Schema().Fields() {
					checkBuffers(t, f.Name, l.Record().Column(i).Data())
				}
			})
		}
	}
}

// built fills a builder with events 0…n−1, told to expect hint events
// (nothing when 0), event by event (part 0) or merged from parts of part
// events, and finishes it.
func built(t *testing.T, mem memory.Allocator, n, hint, part int, fill func(b *Builder, from, to int)) *Log {
	t.Helper()
	b := NewBuilder()
	if hint > 0 {
		b.Grow(hint)
	}
	if part == 0 {
		fill(b, 0, n)
	}
	p := NewBuilder() // reused, as readers reuse theirs
	for from := 0; part > 0 && from < n; from += part {
		fill(p, from, min(from+part, n))
		if err := b.Merge(p); err != nil {
			t.Fatal(err)
		}
		p.Reset()
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func checkBuffers(t *testing.T, name string, d arrow.ArrayData) {
	t.Helper()
	for k, buf := range d.Buffers() {
		if buf == nil {
			continue
		}
		if spare := cap(buf.Buf()) - buf.Len(); spare > buf.Len()/32+64 {
			t.Errorf("column %s, buffer %d: %d bytes for %d", name, k, cap(buf.Buf()), buf.Len())
		}
	}
	if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
		checkBuffers(t, name+" (dictionary)", dict)
	}
}
