package eventlog

import (
	"fmt"
	"math"
	"slices"

	"github.com/caseflow/caseflow/internal/spill"
)

// NoTime marks an absent timestamp in Event.Start and in time slices.
const NoTime = math.MinInt64

// Event is one event handed to a Builder. Byte slices are copied when their
// value is first seen, so a reader may reuse its buffers. An empty or nil
// Department, Resource or Channel is a missing value.
type Event struct {
	Case, Activity                []byte
	Time                          int64 // microseconds since the Unix epoch, UTC
	Start                         int64 // like Time, or NoTime
	Department, Resource, Channel []byte
	Row                           int64 // 1-based position in the source file
}

// Kind is the type of an attribute column.
type Kind uint8

// Attribute kinds.
const (
	String Kind = iota
	Int
	Float
	Bool
	Timestamp
)

func (k Kind) String() string {
	return [...]string{"string", "int", "float", "bool", "timestamp"}[k]
}

// attr is one attribute column under construction. It may be shorter than
// the event count: missing trailing values are nulls.
type attr struct {
	name  string
	kind  Kind
	dict  Dict
	codes codeColumn    // String: code or -1
	nums  []int64       // Int, Bool (0/1), Timestamp: value; Float: math.Float64bits
	valid []bool        // non-String kinds
	mem   *spill.Memory // holds nums and valid (the Builder's)
}

func (a *attr) len() int {
	if a.kind == String {
		return a.codes.len()
	}
	return len(a.nums)
}

// pad extends the column with nulls to n values.
func (a *attr) pad(n int) {
	for a.len() < n {
		if a.kind == String {
			a.codes.push(-1)
		} else {
			a.nums = spill.Push(a.mem, a.nums, 0)
			a.valid = spill.Push(a.mem, a.valid, false)
		}
	}
}

// rowColumn holds the events' source lines as int32 until a line needs
// more, then as int64: a file of over two billion lines is rare, and int32
// halves the column in the builder and in the record.
type rowColumn struct {
	r32 []int32
	r64 []int64       // non-nil once a line does not fit int32; r32 is then unused
	mem *spill.Memory // holds the lines; nil: the heap
}

func (c *rowColumn) push(v int64) {
	if c.r64 == nil && v == int64(int32(v)) {
		c.r32 = spill.Push(c.mem, c.r32, int32(v))
		return
	}
	c.widen()
	c.r64 = spill.Push(c.mem, c.r64, v)
}

// widen moves the lines to r64, keeping the column's capacity.
func (c *rowColumn) widen() {
	if c.r64 != nil {
		return
	}
	c.r64 = spill.MakeCap[int64](c.mem, 0, cap(c.r32))
	for _, v := range c.r32 {
		c.r64 = append(c.r64, int64(v))
	}
	spill.Free(c.mem, c.r32)
	c.r32 = nil
}

func (c *rowColumn) grow(n int) {
	if c.r64 != nil {
		c.r64 = spill.Grow(c.mem, c.r64, n)
		return
	}
	c.r32 = spill.Grow(c.mem, c.r32, n)
}

func (c *rowColumn) truncate() { c.r32, c.r64 = c.r32[:0], c.r64[:0] }

func (c *rowColumn) appendAll(o *rowColumn) {
	if o.r64 != nil {
		c.widen()
		c.r64 = spill.Append(c.mem, c.r64, o.r64...)
		return
	}
	c.grow(len(o.r32))
	if c.r64 != nil {
		for _, v := range o.r32 {
			c.r64 = append(c.r64, int64(v))
		}
		return
	}
	c.r32 = append(c.r32, o.r32...)
}

type fileSpan struct {
	name  string
	first int // index of the file's first event
}

// Builder collects events and turns them into a Log. Events may arrive in
// any order; Finish groups and sorts them. A Builder is not safe for
// concurrent use, but builders filled concurrently can be combined with
// Merge, which is how parallel readers work.
type Builder struct {
	cases, activities, departments, resources, channels Dict

	caseCodes, actCodes, deptCodes, resCodes, chanCodes codeColumn
	times                                               []int64
	starts                                              []int64 // nil until a start time is seen
	rows                                                rowColumn

	files  []fileSpan
	attrs  []*attr
	byName map[string]int
	source map[string]string // role -> source column description
	// hint is the event count Grow was told to expect; Merge sizes
	// attribute columns and dictionaries from it.
	hint int
	mem  *spill.Memory // holds the columns and dictionaries
}

// NewBuilder returns an empty Builder whose columns and dictionaries are
// on the heap.
func NewBuilder() *Builder { return NewBuilderIn(nil) }

// NewBuilderIn returns an empty Builder whose columns and dictionaries,
// which grow with the events and cases, and those of the Log it finishes
// (and of the logs made from that one) come from m; nil is the heap. The
// log is the same whichever holds it. m must stay open while the Builder
// and its logs are used.
func NewBuilderIn(m *spill.Memory) *Builder {
	b := &Builder{byName: map[string]int{}, source: map[string]string{}, mem: m}
	for _, d := range b.dicts() {
		d.mem = m
	}
	for _, c := range b.codeColumns() {
		c.mem = m
	}
	b.rows.mem = m
	return b
}

func (b *Builder) dicts() []*Dict {
	return []*Dict{&b.cases, &b.activities, &b.departments, &b.resources, &b.channels}
}

// Len is the number of events added so far.
func (b *Builder) Len() int { return len(b.times) }

// SetFile names the source file of the events added from now on.
func (b *Builder) SetFile(name string) {
	if n := len(b.files); n > 0 && b.files[n-1].first == b.Len() {
		b.files[n-1].name = name
		return
	}
	b.files = append(b.files, fileSpan{name: name, first: b.Len()})
}

// SetSource records which input column(s) a role column came from; it ends
// up in the field metadata under "caseflow.source".
func (b *Builder) SetSource(role, column string) { b.source[role] = column }

func code(d *Dict, v []byte) int32 {
	if len(v) == 0 {
		return -1
	}
	return d.ID(v)
}

// Add appends an event. Case and Activity must be non-empty and Time must
// not be NoTime: readers reject such rows before they get here.
func (b *Builder) Add(e *Event) {
	if len(b.files) == 0 {
		b.SetFile("")
	}
	b.caseCodes.push(b.cases.ID(e.Case))
	b.actCodes.push(b.activities.ID(e.Activity))
	b.deptCodes.push(code(&b.departments, e.Department))
	b.resCodes.push(code(&b.resources, e.Resource))
	b.chanCodes.push(code(&b.channels, e.Channel))
	b.times = spill.Push(b.mem, b.times, e.Time)
	if e.Start != NoTime || b.starts != nil {
		b.padStarts(len(b.times) - 1)
		b.starts = spill.Push(b.mem, b.starts, e.Start)
	}
	b.rows.push(e.Row)
}

// padStarts fills starts with NoTime up to n values. Start times are rare,
// so the column only exists once one is seen.
func (b *Builder) padStarts(n int) {
	for len(b.starts) < n {
		b.starts = spill.Push(b.mem, b.starts, NoTime)
	}
}

// Grow makes room for n more events, so that a reader that knows about how
// many to expect avoids growing the columns by copying.
func (b *Builder) Grow(n int) {
	b.hint = b.Len() + n
	for _, c := range b.codeColumns() {
		c.grow(n)
	}
	b.times = spill.Grow(b.mem, b.times, n)
	b.rows.grow(n)
}

func (b *Builder) codeColumns() []*codeColumn {
	return []*codeColumn{&b.caseCodes, &b.actCodes, &b.deptCodes, &b.resCodes, &b.chanCodes}
}

// Reset empties the builder for reuse, keeping the memory of its columns
// and dictionaries, its attribute declarations and its column sources, so
// that a reader filling one builder per chunk does not allocate them anew.
func (b *Builder) Reset() {
	for _, d := range b.dicts() {
		d.reset()
	}
	for _, c := range b.codeColumns() {
		c.truncate(0)
	}
	b.times, b.starts = b.times[:0], nil
	b.rows.truncate()
	b.files = b.files[:0]
	for _, a := range b.attrs {
		a.dict.reset()
		a.codes.truncate(0)
		a.nums, a.valid = a.nums[:0], a.valid[:0]
	}
}

// Attr returns the index of the attribute column name of kind k, declaring
// it if needed. Declaring an existing name with another kind is an error.
func (b *Builder) Attr(name string, k Kind) (int, error) {
	if i, ok := b.byName[name]; ok {
		if b.attrs[i].kind != k {
			return 0, fmt.Errorf("attribute %q is %s, not %s", name, b.attrs[i].kind, k)
		}
		return i, nil
	}
	b.byName[name] = len(b.attrs)
	b.attrs = append(b.attrs, &attr{name: name, kind: k, dict: Dict{mem: b.mem}, codes: codeColumn{mem: b.mem}, mem: b.mem})
	return len(b.attrs) - 1, nil
}

// last prepares attribute column i to take the value of the latest event.
func (b *Builder) last(i int) *attr {
	a := b.attrs[i]
	n := b.Len()
	a.pad(n)
	if a.len() == n {
		// Setting twice overwrites: drop the previous value.
		if a.kind == String {
			a.codes.truncate(n - 1)
		} else {
			a.nums, a.valid = a.nums[:n-1], a.valid[:n-1]
		}
	}
	return a
}

// SetString sets string attribute i of the latest event; empty is null.
func (b *Builder) SetString(i int, v []byte) {
	a := b.last(i)
	a.codes.push(code(&a.dict, v))
}

// SetNum sets a non-string attribute i of the latest event: the value for
// Int, 0 or 1 for Bool, microseconds for Timestamp, math.Float64bits for Float.
func (b *Builder) SetNum(i int, v int64) {
	a := b.last(i)
	a.nums = spill.Push(a.mem, a.nums, v)
	a.valid = spill.Push(a.mem, a.valid, true)
}

// Merge appends all events of o after those of b, as if they had been added
// to b in order. o is left to be Reset and reused, or dropped.
func (b *Builder) Merge(o *Builder) error {
	base := b.Len()
	for _, a := range b.attrs {
		a.pad(base)
	}
	remap := func(dst *Dict, src *Dict, codes, out *codeColumn) {
		if n := codes.len(); dst.Len() == 0 && b.hint > out.len() && n > 0 && src.Len() > 0 {
			// The first part's share of distinct values predicts the
			// dictionary's size; growing a large table by doubling
			// costs more than the whole merge.
			want := min(src.Len()*(b.hint/n), b.hint/2)
			dst.grow(want, want/src.Len()*len(src.data))
		}
		if n := b.hint - out.len(); n > 0 {
			out.grow(n)
		}
		m := make([]int32, src.Len())
		top := int32(-1)
		for i := range m {
			m[i] = dst.intern(src.value(int32(i)))
			top = max(top, m[i])
		}
		out.appendMapped(codes, m, top)
	}
	remap(&b.cases, &o.cases, &o.caseCodes, &b.caseCodes)
	remap(&b.activities, &o.activities, &o.actCodes, &b.actCodes)
	remap(&b.departments, &o.departments, &o.deptCodes, &b.deptCodes)
	remap(&b.resources, &o.resources, &o.resCodes, &b.resCodes)
	remap(&b.channels, &o.channels, &o.chanCodes, &b.chanCodes)
	if o.starts != nil || b.starts != nil {
		b.padStarts(base)
		o.padStarts(o.Len())
		b.starts = spill.Append(b.mem, b.starts, o.starts...)
	}
	b.times = spill.Append(b.mem, b.times, o.times...)
	b.rows.appendAll(&o.rows)
	for _, f := range o.files {
		if n := len(b.files); n > 0 && b.files[n-1].name == f.name {
			continue
		}
		b.files = append(b.files, fileSpan{name: f.name, first: base + f.first})
	}
	for _, oa := range o.attrs {
		i, err := b.Attr(oa.name, oa.kind)
		if err != nil {
			return err
		}
		a := b.attrs[i]
		a.pad(base)
		oa.pad(o.Len())
		if a.kind == String {
			remap(&a.dict, &oa.dict, &oa.codes, &a.codes)
		} else {
			a.nums = spill.Append(a.mem, a.nums, oa.nums...)
			a.valid = spill.Append(a.mem, a.valid, oa.valid...)
		}
	}
	for role, src := range o.source {
		if _, ok := b.source[role]; !ok {
			b.source[role] = src
		}
	}
	return nil
}

// order returns the event permutation that groups events by case (cases in
// order of first appearance) and sorts each case stably by time, and the
// case offsets into it. perm is nil when the events are in that order
// already, as in an export sorted by case and time.
// Both come from the Builder's memory.
func (b *Builder) order() (perm []int32, offsets []int) {
	cases, own := b.caseCodes.int32s()
	if own {
		defer spill.Free(b.mem, cases)
	}
	if offsets, ok := b.inOrder(cases); ok {
		return nil, offsets
	}
	n := b.Len()
	// Counting sort by case code: codes were assigned in order of first
	// appearance, and a counting sort is stable, so input order survives.
	offsets = spill.Make[int](b.mem, b.cases.Len()+1)
	for _, c := range cases {
		offsets[c+1]++
	}
	for i := 1; i < len(offsets); i++ {
		offsets[i] += offsets[i-1]
	}
	next := spill.Clone(b.mem, offsets[:len(offsets)-1])
	defer spill.Free(b.mem, next)
	perm = spill.Make[int32](b.mem, n)
	for i, c := range cases {
		perm[next[c]] = int32(i)
		next[c]++
	}
	for k := 0; k+1 < len(offsets); k++ {
		seg := perm[offsets[k]:offsets[k+1]]
		if !slices.IsSortedFunc(seg, b.byTime) {
			slices.SortStableFunc(seg, b.byTime)
		}
	}
	return perm, offsets
}

// inOrder reports whether events are grouped by case in order of first
// appearance and sorted by time within each case, and if so the offsets.
func (b *Builder) inOrder(cases []int32) ([]int, bool) {
	offsets := spill.MakeCap[int](b.mem, 1, b.cases.Len()+1)
	for i, c := range cases {
		switch {
		case i == 0 || c == cases[i-1]+1:
			if i > 0 {
				offsets = append(offsets, i)
			}
		case c != cases[i-1] || b.times[i] < b.times[i-1]:
			spill.Free(b.mem, offsets)
			return nil, false
		}
	}
	if len(cases) > 0 {
		offsets = append(offsets, len(cases))
	}
	return offsets, true
}

func (b *Builder) byTime(i, j int32) int {
	switch ti, tj := b.times[i], b.times[j]; {
	case ti < tj:
		return -1
	case ti > tj:
		return 1
	}
	return 0
}
