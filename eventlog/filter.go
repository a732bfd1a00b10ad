package eventlog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/compute"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/spill"
)

// Window says which cases a time window keeps. The rules are those of
// Disco's timeframe filter ("started in", "completed in", "contained in",
// "intersecting" the timeframe; its fifth, "trim", cuts events out of
// cases and is not offered, as a filter here keeps whole cases) and of
// pm4py's filter_time_range modes traces_contained and
// traces_intersecting. A case's start is its first event's time, its end
// its last event's.
type Window string

// The rules of a Window.
const (
	Started      Window = "started"      // the case's start is in the window
	Completed    Window = "completed"    // its end is in the window
	Contained    Window = "contained"    // its start and end are (so every event is)
	Intersecting Window = "intersecting" // it is open at some time in the window
)

// Windows lists the rules, the default first.
var Windows = []Window{Started, Completed, Contained, Intersecting}

// Condition keeps the cases whose value of Column is one of Values. A
// case's value is the first value it has in the column: its first
// event's, or where that event has none, the next given one (as the HTML
// page's attribute filter reads it). A case without any fails.
type Condition struct {
	Column string
	Values []string
}

// Filter chooses whole cases of a log: those whose time fits the window
// [From, To) by the Window rule and that meet every condition.
type Filter struct {
	// From and To bound the window; a zero time leaves its side open.
	From, To time.Time
	// Window is the rule; "" is Started.
	Window Window
	Where  []Condition
}

// IsZero reports whether f keeps every case.
func (f Filter) IsZero() bool { return f.From.IsZero() && f.To.IsZero() && len(f.Where) == 0 }

// Cut is what a filter left out: Rows counts the distinct (file, row)
// pairs of the events left out, the input rows they came from (a call
// record's stages share one row), or the events themselves in a log
// without a row column.
type Cut struct {
	Cases, Events int
	Rows          int64
	// Unmatched lists, per condition with any, the values no event has in
	// its column (misspelt, or absent from this log).
	Unmatched []Condition
}

// ErrColumn is wrapped by the error for a condition on a column the log
// does not have, or one that does not hold text.
var ErrColumn = errors.New("no such text column")

// Filter returns the log of the cases f keeps, in l's order, and what it
// left out; l is unchanged and still needs its own Release. A filter that
// keeps every case returns a log sharing l's record; one that keeps none an
// empty log. A condition's column is named as in the log (channel, an
// attribute's name) or as the input column a role column was read from.
func (l *Log) Filter(f Filter, mem memory.Allocator) (*Log, Cut, error) {
	var cut Cut
	switch f.Window {
	case "", Started, Completed, Contained, Intersecting:
	default:
		return nil, cut, fmt.Errorf("window %q: want one of %s", f.Window, joinWindows())
	}
	keep, err := l.keepCases(f, &cut)
	if err != nil {
		return nil, cut, err
	}
	defer spill.Free(l.mem, keep)
	off := l.Offsets()
	files := l.Codes(File)
	defer files.Free()
	rows := l.Rows()
	if _, wide := l.Column(Row).(*array.Int64); !wide {
		defer spill.Free(l.mem, rows)
	}
	var buf []rowKey
	for k, ok := range keep {
		if ok {
			continue
		}
		cut.Cases++
		cut.Events += off[k+1] - off[k]
		if rows == nil { // no row column (a log cut down by Keep): an event is a row
			cut.Rows += int64(off[k+1] - off[k])
			continue
		}
		n, b := distinctRows(buf, files.Index[off[k]:off[k+1]], rows[off[k]:off[k+1]])
		cut.Rows, buf = cut.Rows+n, b
	}
	if cut.Cases == 0 {
		return l.shared(), cut, nil
	}
	sel := l.selection(keep)
	defer sel.Release()
	mem = Allocator(mem, l.mem)
	ctx := compute.WithAllocator(context.Background(), mem)
	cols := make([]arrow.Array, 0, l.rec.NumCols())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, col := range l.rec.Columns() {
		c, err := l.filterColumn(ctx, col, sel, mem)
		if err != nil {
			return nil, cut, err
		}
		cols = append(cols, c)
	}
	// A dictionary may now need a narrower index type than it had.
	fields := slices.Clone(l.rec.Schema().Fields())
	for i := range fields {
		fields[i].Type = cols[i].DataType()
	}
	md := l.rec.Schema().Metadata()
	rec := array.NewRecord(arrow.NewSchema(fields, &md), cols, int64(l.Len()-cut.Events))
	defer rec.Release()
	out, err := newLog(rec, l.mem)
	return out, cut, err
}

// selection is a boolean array selecting the events of the cases keep
// keeps, its bits in the log's memory.
func (l *Log) selection(keep []bool) *array.Boolean {
	bits := spill.Make[byte](l.mem, int(bitutil.BytesForBits(int64(l.Len()))))
	off := l.Offsets()
	for k, ok := range keep {
		if ok {
			bitutil.SetBitsTo(bits, int64(off[k]), int64(off[k+1]-off[k]), true)
		}
	}
	data := array.NewData(arrow.FixedWidthTypes.Boolean, l.Len(), []*memory.Buffer{nil, memory.NewBufferBytes(bits)}, nil, 0, 0)
	defer data.Release()
	return array.NewBooleanData(data)
}

// filterColumn keeps the slots of col that sel selects. A dictionary
// column keeps only the values of the kept events, numbered in the order
// they first appear, as reading the kept cases alone would number them: a
// figure whose ties or search follow the codes (the communities) then
// comes out as for a log cut before reading, and no value of a left-out
// case lingers. (Arrow's take kernel has no dictionaries with the int8 or
// int16 indices of the log's narrow columns either.)
func (l *Log) filterColumn(ctx context.Context, col arrow.Array, sel *array.Boolean, mem memory.Allocator) (arrow.Array, error) {
	d, ok := col.(*array.Dictionary)
	if !ok {
		return compute.FilterArray(ctx, col, sel, *compute.DefaultFilterOptions())
	}
	vals := d.Dictionary().(*array.String)
	idx, own := indices(l.mem, d)
	if own {
		defer spill.Free(l.mem, idx)
	}
	code := spill.Make[int32](l.mem, vals.Len()) // new code + 1, 0 until seen
	defer spill.Free(l.mem, code)
	// The kept values are distinct: they go into the dictionary as they
	// are, without a look-up.
	names := Dict{mem: l.mem}
	names.offs = spill.Push(l.mem, names.offs, 0)
	c := codeColumn{mem: l.mem}
	for i, x := range idx {
		switch {
		case !sel.Value(i):
			continue
		case x < 0:
			c.push(-1)
			continue
		case code[x] == 0:
			names.data = spill.Append(l.mem, names.data, vals.ValueBytes()[vals.ValueOffset(int(x)):vals.ValueOffset(int(x)+1)]...)
			names.offs = spill.Push(l.mem, names.offs, int32(len(names.data)))
			code[x] = int32(names.Len())
		}
		c.push(code[x] - 1)
	}
	return dictColumn(mem, nil, &c, &names), nil
}

// keepCases says for each case whether f keeps it, and notes the values
// of f's conditions that no event has.
func (l *Log) keepCases(f Filter, cut *Cut) ([]bool, error) {
	off, times := l.Offsets(), l.Times()
	keep := spill.Make[bool](l.mem, l.Cases())
	from, to := int64(minTime), int64(maxTime)
	if !f.From.IsZero() {
		from = f.From.UnixMicro()
	}
	if !f.To.IsZero() {
		to = f.To.UnixMicro()
	}
	in := func(t int64) bool { return t >= from && t < to }
	for k := range keep {
		start, end := times[off[k]], times[off[k+1]-1]
		switch f.Window {
		case Completed:
			keep[k] = in(end)
		case Contained:
			keep[k] = in(start) && in(end)
		case Intersecting:
			keep[k] = start < to && end >= from
		default:
			keep[k] = in(start)
		}
	}
	for _, c := range f.Where {
		name, err := l.textColumn(c.Column)
		if err != nil {
			spill.Free(l.mem, keep)
			return nil, err
		}
		codes := l.Codes(name)
		defer codes.Free()
		want := spill.Make[bool](l.mem, len(codes.Names))
		defer spill.Free(l.mem, want)
		used := spill.Make[bool](l.mem, len(codes.Names))
		defer spill.Free(l.mem, used)
		for i, v := range codes.Names {
			want[i] = slices.Contains(c.Values, v)
		}
		for _, x := range codes.Index {
			if x >= 0 {
				used[x] = true
			}
		}
		miss := Condition{Column: c.Column}
		for _, v := range c.Values {
			if i := slices.Index(codes.Names, v); i < 0 || !used[i] {
				miss.Values = append(miss.Values, v)
			}
		}
		if len(miss.Values) > 0 {
			cut.Unmatched = append(cut.Unmatched, miss)
		}
		for k := range keep {
			if keep[k] {
				x := firstValue(codes.Index[off[k]:off[k+1]])
				keep[k] = x >= 0 && want[x]
			}
		}
	}
	return keep, nil
}

// Bounds of int64 microseconds that no event time reaches.
const (
	minTime = -1 << 63
	maxTime = 1<<63 - 1
)

// textColumn is the name of the text column a condition names: a column
// of the log of that name, else the role column read from an input column
// of that name, else either ignoring case.
func (l *Log) textColumn(name string) (string, error) {
	var texts []string
	for _, f := range l.rec.Schema().Fields() {
		if f.Name != Case && f.Name != File && isDictString(f.Type) {
			texts = append(texts, f.Name)
		}
	}
	for _, same := range []func(a, b string) bool{func(a, b string) bool { return a == b }, strings.EqualFold} {
		for _, f := range l.rec.Schema().Fields() {
			src, _ := f.Metadata.GetValue(SourceKey)
			if slices.Contains(texts, f.Name) && (same(f.Name, name) || same(src, name)) {
				return f.Name, nil
			}
		}
	}
	return "", fmt.Errorf("%w %q: name one of %s", ErrColumn, name, strings.Join(texts, ", "))
}

// firstValue is the first non-missing code, or -1.
func firstValue(codes []int32) int32 {
	for _, c := range codes {
		if c >= 0 {
			return c
		}
	}
	return -1
}

// rowKey is an event's input row: its file's code and line.
type rowKey struct {
	file int32
	row  int64
}

// distinctRows counts the distinct (file, row) pairs of one case's
// events, sorting them in buf, which it returns for the next case.
func distinctRows(buf []rowKey, files []int32, rows []int64) (int64, []rowKey) {
	buf = buf[:0]
	for i := range rows {
		buf = append(buf, rowKey{files[i], rows[i]})
	}
	slices.SortFunc(buf, func(a, b rowKey) int { return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.row, b.row)) })
	return int64(len(slices.Compact(buf))), buf
}

func joinWindows() string {
	s := make([]string, len(Windows))
	for i, w := range Windows {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}
