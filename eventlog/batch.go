package eventlog

import (
	"slices"
	"unsafe"

	"github.com/caseflow/caseflow/internal/spill"
)

// Batch is a run of events given column by column, as a record batch of a
// caseflow log read back from Parquet or Arrow IPC holds them. AddBatch
// takes it without Add's look-up of every event's values in the
// dictionaries: each distinct value of a batch is looked up once.
type Batch struct {
	Case, Activity, Department, Resource, Channel Coded
	Time                                          []int64
	Start                                         []int64 // nil when there are none; NoTime where missing
	Row                                           []int64
	Attrs                                         []AttrCodes // string attributes
}

// AttrCodes is the values of string attribute column Attr (see
// Builder.Attr) in a Batch.
type AttrCodes struct {
	Attr int
	Coded
}

// Coded is a dictionary column of a Batch: event i has value
// Value(Codes[i]), none where Codes[i] is -1. A zero Coded has no values.
// A value may share memory with the batch (an Arrow dictionary's, read
// only for the values a batch uses): AddBatch copies what it keeps.
type Coded struct {
	Value func(k int) string
	Codes []int32
	// to holds each value's code in the Builder's dictionary, -1 until
	// seen; made when first needed, in the Builder's memory. Behind a
	// pointer so that the copies a reader hands out batch after batch
	// share what the first one made.
	to *codeMap
	// n is the number of values; data and offs are the values as
	// NewCodedValues takes them.
	n    int
	data []byte
	offs []int32
}

type codeMap struct {
	codes []int32
	mem   *spill.Memory
}

// NewCoded returns the Coded of codes into n values, value k being
// value(k).
func NewCoded(n int, value func(k int) string, codes []int32) Coded {
	return Coded{Value: value, Codes: codes, to: new(codeMap), n: n}
}

// Free gives back the map from c's values to the Builder's codes, which
// AddBatch makes once for all the copies of c (each batch's): one int32 a
// value, in the Builder's memory. c and its copies must not be added
// after.
func (c Coded) Free() {
	if c.to != nil {
		spill.Free(c.to.mem, c.to.codes)
		*c.to = codeMap{}
	}
}

// NewCodedValues is NewCoded for values laid out as an Arrow string array
// lays them out (value k is data[offs[k]:offs[k+1]], offs[0] = 0), in Go
// memory that nobody changes and the Builder may keep. While the codes
// number the values in order of first appearance, as they do in a log
// caseflow wrote, the Builder's dictionary shares the values instead of
// copying and hashing each one (and Finish's record keeps them).
func NewCodedValues(data []byte, offs []int32, codes []int32) Coded {
	value := func(k int) string {
		v := data[offs[k]:offs[k+1]]
		return unsafe.String(unsafe.SliceData(v), len(v))
	}
	return Coded{Value: value, Codes: codes, to: new(codeMap), n: len(offs) - 1, data: data, offs: offs}
}

// AddBatch appends events lo…hi−1 of bt, as Add (and SetString) would
// one by one: dictionary codes keep the order of first appearance. Case
// and Activity must have a value for every event.
func (b *Builder) AddBatch(bt *Batch, lo, hi int) {
	if len(b.files) == 0 {
		b.SetFile("")
	}
	base := b.Len()
	b.caseCodes.appendCoded(&b.cases, &bt.Case, lo, hi)
	b.actCodes.appendCoded(&b.activities, &bt.Activity, lo, hi)
	b.deptCodes.appendCoded(&b.departments, &bt.Department, lo, hi)
	b.resCodes.appendCoded(&b.resources, &bt.Resource, lo, hi)
	b.chanCodes.appendCoded(&b.channels, &bt.Channel, lo, hi)
	b.times = spill.Append(b.mem, b.times, bt.Time[lo:hi]...)
	// As with Add, the start_time column exists once a start time is seen.
	if b.starts != nil || bt.Start != nil && slices.ContainsFunc(bt.Start[lo:hi], func(v int64) bool { return v != NoTime }) {
		b.padStarts(base)
		if bt.Start != nil {
			b.starts = spill.Append(b.mem, b.starts, bt.Start[lo:hi]...)
		} else {
			b.padStarts(base + hi - lo)
		}
	}
	b.rows.grow(hi - lo)
	for _, r := range bt.Row[lo:hi] {
		b.rows.push(r)
	}
	for k := range bt.Attrs {
		a := b.attrs[bt.Attrs[k].Attr]
		a.pad(base)
		if n := b.hint - base; base == 0 && n > 0 {
			// Room for the events Grow announced, as the role columns have.
			a.codes.grow(n)
		}
		a.codes.appendCoded(&a.dict, &bt.Attrs[k].Coded, lo, hi)
	}
}

// appendCoded appends the codes of events lo…hi−1 of c, in d: the new
// values first, then the codes in one pass at the column's width.
func (col *codeColumn) appendCoded(d *Dict, c *Coded, lo, hi int) {
	if c.Codes == nil {
		for range hi - lo {
			col.push(-1)
		}
		return
	}
	codes := c.Codes[lo:hi]
	if c.offs != nil && (d.Len() == 0 || d.sharesWith(c.offs)) {
		if n, ok := firstSeen(codes, d.Len()); ok {
			d.share(c.data, c.offs, n)
			col.fit(int32(n - 1))
			col.grow(len(codes))
			switch col.width {
			case 2:
				col.w16 = appendAs(col.w16, codes)
			case 4:
				col.w32 = appendAs(col.w32, codes)
			default:
				col.w8 = appendAs(col.w8, codes)
			}
			return
		}
	}
	to := c.to.codes
	if to == nil {
		to = spill.Make[int32](d.mem, c.n)
		for i := range to {
			to[i] = -1
		}
		*c.to = codeMap{to, d.mem}
	}
	if d.sharesWith(c.offs) {
		// The values shared so far keep their codes.
		for k := range d.Len() {
			to[k] = int32(k)
		}
	}
	if d.Len() == 0 && c.n > 1 {
		// Most of a large dictionary will be new: room for it at once
		// (ids of one column are mostly of one length), not by doubling.
		d.grow(c.n, c.n*len(c.Value(0)))
	}
	top := int32(-1)
	for _, k := range codes {
		if k < 0 {
			continue
		}
		if to[k] < 0 {
			// ID copies a value it adds: Values may lie in Arrow buffers,
			// which a string kept in the dictionary would keep alive
			// (or see reused).
			v := c.Value(int(k))
			to[k] = d.ID(unsafe.Slice(unsafe.StringData(v), len(v)))
		}
		top = max(top, to[k])
	}
	appendMappedFrom(col, codes, to, top)
}

// firstSeen returns the number of values seen after codes, n before, when
// every code that is new is the next one (the values numbered in order of
// first appearance).
func firstSeen(codes []int32, n int) (int, bool) {
	for _, k := range codes {
		switch {
		case k == int32(n):
			n++
		case k > int32(n):
			return 0, false
		}
	}
	return n, true
}
