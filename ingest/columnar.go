package ingest

import (
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
	"github.com/caseflow/caseflow/internal/spill"
)

// addColumns reads a batch of a caseflow log (one written by convert, to
// Parquet or Arrow IPC) column by column into the Builder, with what
// table.event would make of each row, and reports whether it did. It
// leaves to table.event, row by row, any batch whose values need more
// than copying: a missing case, activity, time or row, a text that is not
// UTF-8, a time outside the years 0000–9999 or a placeholder date, an
// attribute that is not text, and mappings that are not the log's own
// columns (joined activities, a separate time of day, paired lifecycle
// events).
func (t *table) addColumns(rec arrow.Record) bool {
	m := t.p.m
	if !t.eventLog || t.pair != nil || m.clock >= 0 || len(m.acts) != 1 || !t.typed[0] || m.start >= 0 && !t.typed[1] {
		return false
	}
	defer t.freeScratch()
	var bt eventlog.Batch
	var ok bool
	for _, c := range []struct {
		to       *eventlog.Coded
		col      int
		required bool
	}{{&bt.Case, m.cases, true}, {&bt.Activity, m.acts[0], true}, {&bt.Department, m.dept, false}, {&bt.Resource, m.res, false}, {&bt.Channel, m.chn, false}} {
		if c.col < 0 {
			continue
		}
		if *c.to, ok = t.codedColumn(rec, c.col, c.required); !ok {
			return false
		}
	}
	if bt.Time, ok = t.microsColumn(rec.Column(m.time), false); !ok {
		return false
	}
	if m.start >= 0 {
		if bt.Start, ok = t.microsColumn(rec.Column(m.start), true); !ok {
			return false
		}
	}
	if bt.Row, ok = rowColumn(rec.Column(t.row), t.rows, t.memory); !ok {
		return false
	}
	t.rows = bt.Row // AddBatch copies the rows: the next batch reuses the memory
	files, ok := t.codedColumn(rec, t.file, false)
	if !ok {
		return false
	}
	for _, a := range t.attrs {
		if a.kind != eventlog.String {
			return false
		}
		c, ok := t.codedColumn(rec, a.col, false)
		if !ok {
			return false
		}
		bt.Attrs = append(bt.Attrs, eventlog.AttrCodes{Attr: a.attr, Coded: c})
	}

	n := int(rec.NumRows())
	t.line += int64(n)
	t.in.Rows += int64(n)
	t.res.Rows += int64(n)
	// Runs of events from one source file, each under its name.
	lo := 0
	for i := range n + 1 {
		var name string
		if i < n {
			name = t.in.File
			if k := files.Codes[i]; k >= 0 {
				name = files.Value(int(k))
			}
			if name == t.fileName {
				continue
			}
		}
		if i > lo {
			t.b.AddBatch(&bt, lo, i)
		}
		if i < n {
			t.setFile(name)
		}
		lo = i
	}
	return true
}

// dictCache keeps, for each column, the dictionary addColumns last read
// and what it made of it: Parquet gives every batch of a row group the row
// group's whole dictionary (a million-case log has hundreds of thousands of
// case and customer ids in each), and reading it again for every batch of
// 64k rows would cost more than the batch. The dictionary is retained, so
// its memory cannot come back as another one.
type dictCache map[int]*cachedDict

type cachedDict struct {
	dict    arrow.Array
	coded   eventlog.Coded
	missing []bool // in mem: a value per case for the case ids
	gaps    bool   // a value is missing
	bad     bool   // a value is not UTF-8
	mem     *spill.Memory
}

func (c dictCache) release() {
	for _, d := range c {
		d.release()
	}
}

func (c *cachedDict) release() {
	c.dict.Release()
	spill.Free(c.mem, c.missing)
	c.coded.Free()
}

// codedColumn reads dictionary column col of rec as codes, -1 for null and
// for the empty text, which is missing in a caseflow log. ok is false for
// another type, a value that is not UTF-8, or, when required, a missing
// value.
func (t *table) codedColumn(rec arrow.Record, col int, required bool) (eventlog.Coded, bool) {
	d, ok := rec.Column(col).(*array.Dictionary)
	if !ok {
		return eventlog.Coded{}, false
	}
	vals, ok := d.Dictionary().(*array.String)
	if !ok {
		return eventlog.Coded{}, false
	}
	// A dictionary whose values the log keeps costs no look-ups: cached
	// whole even when larger than the batch.
	kept := t.kept != nil && t.kept(vals) && vals.Data().Offset() == 0 && vals.ValueOffsets()[0] == 0
	if c := t.dicts[col]; (c == nil || !sameArray(c.dict, vals)) && vals.Len() > d.Len() && !kept {
		return t.compactColumn(d, vals, required)
	}
	if t.dicts == nil {
		t.dicts = dictCache{}
	}
	c := t.dicts[col]
	if c == nil || !sameArray(c.dict, vals) {
		if c != nil {
			c.release()
		}
		vals.Retain()
		c = &cachedDict{dict: vals, missing: spill.Make[bool](t.memory, vals.Len()), mem: t.memory}
		for k := range c.missing {
			c.bad = c.bad || !utf8.ValidString(vals.Value(k))
			c.missing[k] = vals.IsNull(k) || vals.ValueLen(k) == 0
			c.gaps = c.gaps || c.missing[k]
		}
		if kept {
			c.coded = eventlog.NewCodedValues(vals.ValueBytes(), vals.ValueOffsets(), nil)
		} else {
			c.coded = eventlog.NewCoded(vals.Len(), vals.Value, nil)
		}
		t.dicts[col] = c
	}
	if c.bad {
		return eventlog.Coded{}, false
	}
	coded := c.coded
	if codes, ok := ownCodes(d, c, required); ok {
		coded.Codes = codes
		return coded, true
	}
	codes := scratch[int32](t, d.Len())
	index := indexFunc(d.Indices())
	for i := range codes {
		k := index(i)
		switch {
		case d.IsNull(i) || c.missing[k]:
			if required {
				return eventlog.Coded{}, false
			}
			codes[i] = -1
		default:
			codes[i] = int32(k)
		}
	}
	coded.Codes = codes
	return coded, true
}

// ownCodes returns the indices of d as they are when they are codes
// already, sparing a copy: int32, each present value's index that of a
// value of the dictionary, and -1 in each null slot (as parquetGroups
// writes them; Arrow leaves null slots' indices undefined).
func ownCodes(d *array.Dictionary, c *cachedDict, required bool) ([]int32, bool) {
	ix, ok := d.Indices().(*array.Int32)
	if !ok || c.gaps || required && d.NullN() > 0 {
		return nil, false
	}
	codes := ix.Int32Values()
	n := int32(len(c.missing))
	nulls := d.NullN() > 0
	for i, k := range codes {
		if k < 0 || k >= n {
			if k != -1 || !d.IsNull(i) {
				return nil, false
			}
		} else if nulls && d.IsNull(i) {
			return nil, false
		}
	}
	return codes, true
}

// compactColumn is codedColumn for a dictionary larger than the batch
// that is new to it: it reads only the values the batch uses.
func (t *table) compactColumn(d *array.Dictionary, vals *array.String, required bool) (eventlog.Coded, bool) {
	var values []string
	local := map[int]int32{} // dictionary index → index into values
	codes := scratch[int32](t, d.Len())
	index := indexFunc(d.Indices())
	for i := range codes {
		if d.IsNull(i) {
			if required {
				return eventlog.Coded{}, false
			}
			codes[i] = -1
			continue
		}
		k := index(i)
		c, ok := local[k]
		if !ok {
			v := vals.Value(k)
			switch {
			case !utf8.ValidString(v):
				return eventlog.Coded{}, false
			case vals.IsNull(k) || v == "":
				c = -1
			default:
				c = int32(len(values))
				values = append(values, v)
			}
			local[k] = c
		}
		if c < 0 && required {
			return eventlog.Coded{}, false
		}
		codes[i] = c
	}
	coded := eventlog.NewCoded(len(values), func(k int) string { return values[k] }, codes)
	t.scratch = append(t.scratch, coded.Free) // the batch's alone
	return coded, true
}

// sameArray reports whether a and b are the same values in the same
// memory (Arrow gives each batch its own array object).
func sameArray(a, b arrow.Array) bool {
	x, y := a.Data(), b.Data()
	if x.Len() != y.Len() || x.Offset() != y.Offset() || len(x.Buffers()) != len(y.Buffers()) {
		return false
	}
	for i, buf := range x.Buffers() {
		if buf != y.Buffers()[i] && (buf == nil || y.Buffers()[i] == nil || buf.Len() != y.Buffers()[i].Len() ||
			buf.Len() > 0 && &buf.Bytes()[0] != &y.Buffers()[i].Bytes()[0]) {
			return false
		}
	}
	return true
}

// microsColumn reads a timestamp column with a zone (an instant, as a
// caseflow log's times are) in microseconds, NoTime for null where
// nullable. ok is false for another type, a null where not nullable, or a
// value table.event would not read as it is.
func (t *table) microsColumn(arr arrow.Array, nullable bool) ([]int64, bool) {
	ts, ok := arr.(*array.Timestamp)
	if !ok {
		return nil, false
	}
	typ := ts.DataType().(*arrow.TimestampType)
	per := map[arrow.TimeUnit]int64{arrow.Second: 1, arrow.Millisecond: 1e3, arrow.Microsecond: 1e6, arrow.Nanosecond: 1e9}[typ.Unit]
	if typ.TimeZone == "" || per == 0 || !nullable && ts.NullN() > 0 {
		return nil, false
	}
	if per == 1e6 && ts.NullN() == 0 {
		// Microseconds already: the values as they are, if all are read.
		for _, v := range ts.TimestampValues() {
			if _, err := micros(int64(v), per); err != nil || timefmt.Placeholder(int64(v)) {
				return nil, false
			}
		}
		return arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(ts.TimestampValues())), true
	}
	out := scratch[int64](t, ts.Len())
	for i, v := range ts.TimestampValues() {
		if ts.IsNull(i) {
			out[i] = eventlog.NoTime
			continue
		}
		us, err := micros(int64(v), per)
		if err != nil || timefmt.Placeholder(us) {
			return nil, false
		}
		out[i] = us
	}
	return out, true
}

// rowColumn reads the row column, which a caseflow log has in full, into
// buf's memory when it is large enough, else into memory from m (buf is
// then freed).
func rowColumn(arr arrow.Array, buf []int64, m *spill.Memory) ([]int64, bool) {
	if arr.NullN() > 0 {
		return nil, false
	}
	out := spill.Resize(m, buf, arr.Len())
	switch a := arr.(type) {
	case *array.Int32:
		for i, v := range a.Int32Values() {
			out[i] = int64(v)
		}
	case *array.Int64:
		copy(out, a.Int64Values())
	default:
		return nil, false
	}
	return out, true
}

// scratch returns n zeroed values for the batch addColumns reads, from
// Options.Memory: an IPC file of a caseflow log is one batch of every
// event. freeScratch gives them back once the batch is in the log.
func scratch[T int32 | int64](t *table, n int) []T {
	s := spill.Make[T](t.memory, n)
	t.scratch = append(t.scratch, func() { spill.Free(t.memory, s) })
	return s
}

func (t *table) freeScratch() {
	for _, free := range t.scratch {
		free()
	}
	t.scratch = t.scratch[:0]
}
