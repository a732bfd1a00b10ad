package eventlog

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/spill"
)

// Names of the role columns.
const (
	Case       = "case"
	Activity   = "activity"
	Time       = "time"
	StartTime  = "start_time"
	Department = "department"
	Resource   = "resource"
	Channel    = "channel"
	File       = "file"
	Row        = "row"
)

// SourceKey is the field metadata key naming a role column's input column.
const SourceKey = "caseflow.source"

var (
	timeType = arrow.FixedWidthTypes.Timestamp_us
)

// Log is an event log in one Arrow record; see the package documentation
// for its layout. A Log owns a reference to its record: call Release when
// done.
type Log struct {
	rec     arrow.Record
	offsets []int
	// ids are the case ids, the case column's dictionary: case k's is
	// ids.Value(k), or ids.Value(idx[k]) when idx is set. Dictionaries
	// are numbered in order of first appearance, so in a log from the
	// Builder or a filter case k's code is k and idx is nil.
	ids *array.String
	idx []int32
	// mem holds the columns the Builder made, offsets and idx, and what
	// the log makes per event or case (Codes, Narrow, Filter's log).
	mem *spill.Memory
}

// Memory is the memory the log's columns and what it makes per event or
// case are in; nil for the heap. A log made from this one (rebuilt,
// joined) belongs there too.
func (l *Log) Memory() *spill.Memory { return l.mem }

// Record returns the underlying record. It stays valid until Release.
func (l *Log) Record() arrow.Record { return l.rec }

// Release releases the record and the case ids.
func (l *Log) Release() {
	l.rec.Release()
	l.ids.Release()
}

// CaseID returns the id of case k, sharing memory with the log. It reads
// the case dictionary, not the per-event case column, so it works on a
// log that Keep left without that column.
func (l *Log) CaseID(k int) string {
	if l.idx != nil {
		return l.ids.Value(int(l.idx[k]))
	}
	return l.ids.Value(k)
}

// Keep returns a log of l's events with only the columns names lists, in
// l's order (names l lacks are ignored), sharing their memory with l; l
// is unchanged and still needs its own Release. The cases stay as they
// are (Offsets, CaseID), so the case column may be left out too, for
// readers that take the cases from Offsets and CaseID alone, as mining
// and the HTML page do: on a log of 1M cases it is 27 MB of int32s. New,
// and so export.Conceal and Filter when it cuts, find the cases from that
// column and refuse a log without it.
func (l *Log) Keep(names []string) *Log {
	var fields []arrow.Field
	var cols []arrow.Array
	for i, f := range l.rec.Schema().Fields() {
		if slices.Contains(names, f.Name) {
			fields = append(fields, f)
			cols = append(cols, l.rec.Column(i))
		}
	}
	md := l.rec.Schema().Metadata()
	rec := array.NewRecord(arrow.NewSchema(fields, &md), cols, l.rec.NumRows())
	l.ids.Retain()
	return &Log{rec: rec, offsets: l.offsets, ids: l.ids, idx: l.idx, mem: l.mem}
}

// shared is another reference to l, for a filter that keeps everything.
func (l *Log) shared() *Log {
	l.rec.Retain()
	l.ids.Retain()
	c := *l
	return &c
}

// Len is the number of events.
func (l *Log) Len() int { return int(l.rec.NumRows()) }

// Cases is the number of cases.
func (l *Log) Cases() int { return len(l.offsets) - 1 }

// Offsets returns the case boundaries: the events of case k are rows
// Offsets()[k] up to Offsets()[k+1]. Its length is Cases()+1 (so 1 for an
// empty log). The caller must not modify it.
func (l *Log) Offsets() []int { return l.offsets }

// Column returns the column called name, or nil if there is none.
func (l *Log) Column(name string) arrow.Array {
	idx := l.rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil
	}
	return l.rec.Column(idx[0])
}

// Times returns the event timestamps in microseconds since the Unix epoch.
// The caller must not modify the slice.
func (l *Log) Times() []int64 {
	ts := l.Column(Time).(*array.Timestamp).TimestampValues()
	if len(ts) == 0 {
		return nil
	}
	// arrow.Timestamp is an int64; reinterpret rather than copy millions of values.
	return unsafe.Slice((*int64)(unsafe.Pointer(&ts[0])), len(ts))
}

// Rows returns each event's source row (see the package documentation),
// in place when the column is int64 and widened in one copy when it is
// int32, as a log whose lines all fit 32 bits has it. The caller must not
// modify the slice.
func (l *Log) Rows() []int64 {
	switch col := l.Column(Row).(type) {
	case *array.Int64:
		return col.Int64Values()
	case *array.Int32:
		out := spill.Make[int64](l.mem, col.Len())
		for i, v := range col.Int32Values() {
			out[i] = int64(v)
		}
		return out
	}
	return nil
}

// Starts returns the start timestamps with NoTime where there is none, or
// nil when the log has no start_time column.
func (l *Log) Starts() []int64 {
	col, ok := l.Column(StartTime).(*array.Timestamp)
	if !ok {
		return nil
	}
	out := spill.Make[int64](l.mem, col.Len())
	for i, v := range col.TimestampValues() {
		out[i] = int64(v)
		if col.IsNull(i) {
			out[i] = NoTime
		}
	}
	return out
}

// Codes is a string column decoded for analysis: Index[i] is the code of
// event i's value in Names, or -1 where the value is missing.
type Codes struct {
	Index []int32
	Names []string
	// mem is the memory Index was copied to, nil when Index is the
	// record's own (see Free).
	mem *spill.Memory
}

// Free gives back Index to the log's memory when the log made it for
// this call (a copy; a no-op for the record's own indices and on the
// heap, where the collector takes it). c must not be used after.
func (c Codes) Free() { spill.Free(c.mem, c.Index) }

// Codes returns the codes of the dictionary column name. A missing column
// gives all -1, so a log without departments simply has none. The Index
// slice may share memory with the record: do not modify it.
func (l *Log) Codes(name string) Codes {
	col, ok := l.Column(name).(*array.Dictionary)
	if !ok {
		return Codes{Index: none[int32](l.mem, l.Len()), mem: l.mem}
	}
	idx, own := indices(l.mem, col)
	c := Codes{Index: idx, Names: dictNames(col)}
	if own {
		c.mem = l.mem
	}
	return c
}

// Indices returns the dictionary index of every slot of col as int32, -1
// where col is null. int32 indices without nulls are returned in place (do
// not modify them); any other index type is widened, and nulls marked, in
// one copy.
func Indices(col *array.Dictionary) []int32 {
	idx, _ := indices(nil, col)
	return idx
}

// indices is Indices with the copy made in m; own says it made one.
func indices(m *spill.Memory, col *array.Dictionary) (idx []int32, own bool) {
	if ix, ok := col.Indices().(*array.Int32); ok && col.NullN() == 0 {
		return ix.Int32Values(), false
	}
	switch ix := col.Indices().(type) {
	case *array.Int8:
		idx = appendAs(spill.MakeCap[int32](m, 0, col.Len()), ix.Int8Values())
	case *array.Int16:
		idx = appendAs(spill.MakeCap[int32](m, 0, col.Len()), ix.Int16Values())
	case *array.Int32:
		idx = spill.Clone(m, ix.Int32Values())
	default:
		idx = spill.Make[int32](m, col.Len())
		for i := range idx {
			idx[i] = int32(col.GetValueIndex(i))
		}
	}
	if col.NullN() > 0 {
		for i := range idx {
			if col.IsNull(i) {
				idx[i] = -1
			}
		}
	}
	return idx, true
}

// Finish builds the Log. The Builder must not be used afterwards: its
// columns are handed over or released one by one, so that the builder and
// the record are not both held in full. An empty Builder gives an empty Log
// with the role columns.
func (b *Builder) Finish(mem memory.Allocator) (*Log, error) {
	n := b.Len()
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("%d events is more than the %d one log can hold; split the input", n, math.MaxInt32)
	}
	if err := b.checkDicts(); err != nil {
		return nil, err
	}
	for _, a := range b.attrs {
		a.pad(n)
	}
	perm, offsets := b.order()
	defer spill.Free(b.mem, perm)

	var fields []arrow.Field
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	add := func(name string, col arrow.Array) {
		f := arrow.Field{Name: name, Type: col.DataType(), Nullable: col.NullN() > 0}
		switch name {
		case StartTime, Department, Resource, Channel:
			f.Nullable = true
		}
		if src, ok := b.source[name]; ok {
			f.Metadata = arrow.NewMetadata([]string{SourceKey}, []string{src})
		}
		fields = append(fields, f)
		cols = append(cols, col)
	}
	add(Case, dictColumn(mem, perm, &b.caseCodes, &b.cases))
	add(Activity, dictColumn(mem, perm, &b.actCodes, &b.activities))
	add(Time, int64Array(mem, b.mem, timeType, perm, &b.times, false))
	if b.starts != nil {
		b.padStarts(n)
		add(StartTime, int64Array(mem, b.mem, timeType, perm, &b.starts, true))
	}
	add(Department, dictColumn(mem, perm, &b.deptCodes, &b.departments))
	add(Resource, dictColumn(mem, perm, &b.resCodes, &b.resources))
	add(Channel, dictColumn(mem, perm, &b.chanCodes, &b.channels))
	add(File, fileArray(mem, b.mem, perm, n, b.files))
	if b.rows.r64 != nil {
		add(Row, int64Array(mem, b.mem, arrow.PrimitiveTypes.Int64, perm, &b.rows.r64, false))
	} else {
		add(Row, fixedArray(b.mem, arrow.PrimitiveTypes.Int32, perm, &b.rows.r32))
	}
	for _, a := range b.attrs {
		name := a.name
		if isRole(name) {
			name = "attr:" + name
		}
		add(name, a.array(mem, perm))
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(n))
	// Case codes are numbered in order of first appearance and order()
	// groups the cases in that order, so case k's code is k.
	ids := cols[0].(*array.Dictionary).Dictionary().(*array.String)
	ids.Retain()
	return &Log{rec: rec, offsets: offsets, ids: ids, mem: b.mem}, nil
}

// checkDicts reports a dictionary whose values outgrew what one Arrow
// string array holds.
func (b *Builder) checkDicts() error {
	names := []string{Case, Activity, Department, Resource, Channel}
	dicts := []*Dict{&b.cases, &b.activities, &b.departments, &b.resources, &b.channels}
	for _, a := range b.attrs {
		names, dicts = append(names, a.name), append(dicts, &a.dict)
	}
	for k, d := range dicts {
		if d.full {
			return fmt.Errorf("the distinct values of column %q take more than 2 GiB, more than one log holds; split the input", names[k])
		}
	}
	return nil
}

func isRole(name string) bool {
	switch name {
	case Case, Activity, Time, StartTime, Department, Resource, Channel, File, Row:
		return true
	}
	return false
}

// arrange returns vals in the order perm gives (nil perm: as they are).
// With a perm it releases *vals, so the builder's copy can be collected
// while the next column is built; without one it hands over the slice.
// (Moving the values in place, cycle by cycle, saved that column at
// Finish's peak but took 3.8 times the CPU to read the 1M-case log in time
// order: each step of a cycle waits for the last one's cache miss.)
// The new slice comes from m, and the old one is freed to it.
func arrange[T any](m *spill.Memory, perm []int32, vals *[]T) []T {
	v := *vals
	*vals = nil
	if perm == nil {
		return exact(m, v)
	}
	out := spill.Make[T](m, len(perm))
	for i, p := range perm {
		out[i] = v[p]
	}
	spill.Free(m, v)
	return out
}

// bytesOf views a slice of fixed-width values as bytes, for an Arrow buffer
// that takes over the slice's memory without copying. The view keeps the
// slice's capacity, so that the buffer shows the memory it holds.
func bytesOf[T int8 | int16 | int32 | int64](v []T) []byte {
	if cap(v) == 0 {
		return nil
	}
	size := int(unsafe.Sizeof(v[:1][0]))
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), cap(v)*size)[:len(v)*size]
}

// validity returns a bitmap with a bit per value that ok accepts, or nil
// when all are.
func validity[T any](mem memory.Allocator, vals []T, ok func(T) bool) (*memory.Buffer, int) {
	nulls := 0
	for _, v := range vals {
		if !ok(v) {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(vals)))))
	bits := buf.Bytes()
	clear(bits)
	for i, v := range vals {
		if ok(v) {
			bitutil.SetBit(bits, i)
		}
	}
	return buf, nulls
}

// int64Array builds a 64-bit column in m; with nullable, NoTime values are
// null.
func int64Array(mem memory.Allocator, m *spill.Memory, typ arrow.DataType, perm []int32, vals *[]int64, nullable bool) arrow.Array {
	v := arrange(m, perm, vals)
	var valid *memory.Buffer
	nulls := 0
	if nullable {
		valid, nulls = validity(Allocator(mem, m), v, func(x int64) bool { return x != NoTime })
	}
	return wrap(typ, v, valid, nulls)
}

// fixedArray builds a column without nulls from fixed-width values in m.
func fixedArray[T int8 | int16 | int32 | int64](m *spill.Memory, typ arrow.DataType, perm []int32, vals *[]T) arrow.Array {
	return wrap(typ, arrange(m, perm, vals), nil, 0)
}

// wrap makes an array of type typ that takes over v's memory.
func wrap[T int8 | int16 | int32 | int64](typ arrow.DataType, v []T, valid *memory.Buffer, nulls int) arrow.Array {
	data := array.NewData(typ, len(v), []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(v))}, nil, nulls, 0)
	defer data.Release()
	releaseAll(valid)
	return array.MakeFromData(data)
}

// fileArray builds the file column from the spans of events per file, in
// the narrowest index type that holds the files (a byte per event for up
// to 128 of them). Names are numbered in order of first appearance in the
// log, as every dictionary is.
func fileArray(mem memory.Allocator, m *spill.Memory, perm []int32, n int, files []fileSpan) arrow.Array {
	var d Dict
	ids := make([]int32, len(files)) // each span's code, -1 until its first event
	for k := range ids {
		ids[k] = -1
	}
	c := codeColumn{mem: m}
	c.grow(n)
	k, lo, hi := 0, 0, 0 // events lo…hi−1 are in span k
	for i := range n {
		p := i
		if perm != nil {
			p = int(perm[i])
		}
		if p < lo || p >= hi {
			// The last span starting at or before event p holds it.
			k = sort.Search(len(files), func(k int) bool { return files[k].first > p }) - 1
			lo, hi = files[k].first, n
			if k+1 < len(files) {
				hi = files[k+1].first
			}
		}
		if ids[k] < 0 {
			ids[k] = d.IDString(files[k].name)
		}
		c.push(ids[k])
	}
	return dictColumn(mem, nil, &c, &d)
}

func (a *attr) array(mem memory.Allocator, perm []int32) arrow.Array {
	switch a.kind {
	case String:
		return dictColumn(mem, perm, &a.codes, &a.dict)
	case Bool:
		valid := arrange(a.mem, perm, &a.valid)
		nums := arrange(a.mem, perm, &a.nums)
		defer spill.Free(a.mem, valid)
		defer spill.Free(a.mem, nums)
		bb := array.NewBooleanBuilder(Allocator(mem, a.mem))
		defer bb.Release()
		for i, ok := range valid {
			if ok {
				bb.Append(nums[i] != 0)
			} else {
				bb.AppendNull()
			}
		}
		return bb.NewArray()
	}
	typ := map[Kind]arrow.DataType{Int: arrow.PrimitiveTypes.Int64, Float: arrow.PrimitiveTypes.Float64, Timestamp: timeType}[a.kind]
	valid := arrange(a.mem, perm, &a.valid)
	defer spill.Free(a.mem, valid)
	nums := arrange(a.mem, perm, &a.nums)
	validBuf, nulls := validity(Allocator(mem, a.mem), valid, func(ok bool) bool { return ok })
	data := array.NewData(typ, len(nums), []*memory.Buffer{validBuf, memory.NewBufferBytes(bytesOf(nums))}, nil, nulls, 0)
	defer data.Release()
	releaseAll(validBuf)
	return array.MakeFromData(data)
}

func releaseAll(bufs ...*memory.Buffer) {
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
}

// New wraps a record that already has the event-log layout, such as one read
// back from Parquet or Arrow IPC, and retains it. It checks the role columns
// and that events are grouped by case and sorted by time within a case.
func New(rec arrow.Record) (*Log, error) { return newLog(rec, nil) }

// newLog is New for a log whose per-case arrays, and what it makes per
// event or case, come from m.
func newLog(rec arrow.Record, m *spill.Memory) (*Log, error) {
	s := rec.Schema()
	need := []struct {
		name string
		ok   func(arrow.DataType) bool
	}{
		{Case, isDictString}, {Activity, isDictString},
		{Time, func(t arrow.DataType) bool { return arrow.TypeEqual(t, timeType) }},
	}
	for _, f := range need {
		idx := s.FieldIndices(f.name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("record has no %q column; it is not a caseflow event log", f.name)
		}
		if t := s.Field(idx[0]).Type; !f.ok(t) {
			return nil, fmt.Errorf("column %q has type %s, which a caseflow event log does not use there", f.name, t)
		}
	}
	l := &Log{rec: rec, mem: m}
	col := l.Column(Case).(*array.Dictionary)
	ids := col.Dictionary().(*array.String)
	index, own := indices(m, col)
	if own {
		defer spill.Free(m, index)
	}
	times := l.Times()
	seen := spill.Make[bool](m, ids.Len())
	defer spill.Free(m, seen)
	l.offsets = spill.Push(m, l.offsets, 0)
	var codes []int32 // each case's code, nil while case k's is k
	cases := 0
	fail := func(err error) (*Log, error) {
		spill.Free(m, l.offsets)
		spill.Free(m, codes)
		return nil, err
	}
	for i, c := range index {
		if c < 0 {
			return fail(fmt.Errorf("row %d: case id is null", i))
		}
		if i > 0 && c == index[i-1] {
			if times[i] < times[i-1] {
				return fail(fmt.Errorf("row %d: events of case %q are not sorted by time", i, ids.Value(int(c))))
			}
			continue
		}
		if seen[c] {
			return fail(fmt.Errorf("row %d: events of case %q are not grouped together", i, ids.Value(int(c))))
		}
		seen[c] = true
		if codes == nil && int(c) != cases {
			codes = spill.Make[int32](m, cases)
			for k := range codes {
				codes[k] = int32(k)
			}
		}
		if codes != nil {
			codes = spill.Push(m, codes, c)
		}
		cases++
		if i > 0 {
			l.offsets = spill.Push(m, l.offsets, i)
		}
	}
	if len(index) > 0 {
		l.offsets = spill.Push(m, l.offsets, len(index))
	}
	l.idx = codes
	l.ids = ids
	l.ids.Retain()
	rec.Retain()
	return l, nil
}

func isDictString(t arrow.DataType) bool {
	d, ok := t.(*arrow.DictionaryType)
	return ok && arrow.TypeEqual(d.ValueType, arrow.BinaryTypes.String)
}
