package eventlog

import (
	"slices"
	"unsafe"
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
	// seen; made when first needed. Behind a pointer so that the copies a
	// reader hands out batch after batch share what the first one made.
	to *[]int32
	// data and offs are the values as NewCodedValues takes them.
	data []byte
	offs []int32
}

// NewCoded returns the Coded of codes into n values, value k being
// value(k).
func NewCoded(n int, value func(k int) string, codes []int32) Coded {
	to := make([]int32, n)
	for i := range to {
		to[i] = -1
	}
	return Coded{Value: value, Codes: codes, to: &to}
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
	return Coded{Value: value, Codes: codes, to: new([]int32), data: data, offs: offs}
}

// size is the number of values.
func (c *Coded) size() int {
	if c.offs != nil {
		return len(c.offs) - 1
	}
	return len(*c.to)
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
	b.times = pushAll(b.mem, b.times, bt.Time[lo:hi])
	// As with Add, the start_time column exists once a start time is seen.
	if b.starts != nil || bt.Start != nil && slices.ContainsFunc(bt.Start[lo:hi], func(v int64) bool { return v != NoTime }) {
		b.padStarts(base)
		if bt.Start != nil {
			b.starts = pushAll(b.mem, b.starts, bt.Start[lo:hi])
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
	to := *c.to
	if to == nil {
		to = make([]int32, c.size())
		for i := range to {
			to[i] = -1
		}
		*c.to = to
	}
	if d.sharesWith(c.offs) {
		// The values shared so far keep their codes.
		for k := range d.Len() {
			to[k] = int32(k)
		}
	}
	if d.Len() == 0 && c.size() > 1 {
		// Most of a large dictionary will be new: room for it at once
		// (ids of one column are mostly of one length), not by doubling.
		d.grow(c.size(), c.size()*len(c.Value(0)))
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
	col.fit(top)
	col.grow(len(codes))
	switch col.width {
	case 2:
		col.w16 = mapCodes(col.w16, codes, to)
	case 4:
		col.w32 = mapCodes(col.w32, codes, to)
	default:
		col.w8 = mapCodes(col.w8, codes, to)
	}
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
