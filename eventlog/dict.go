package eventlog

import (
	"hash/maphash"
	"math"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/spill"
)

// Dict interns strings into dense int32 codes in order of first appearance.
// The zero value is ready to use.
//
// The values lie back to back in one byte slice with their offsets, as an
// Arrow string array holds them, so Finish hands them to the record
// without a copy; an open-addressing table of codes finds them. A Go map
// from string to code took some 40 bytes a value, and the string and its
// header 32 more for a 9-byte id: for a million case ids and as many
// customer ids, 145 MB of the reading phase's peak against 45 MB now (a
// table of 4-byte slots at most three quarters full, and 13 bytes for
// such an id and its offset).
type Dict struct {
	data []byte
	offs []int32 // value i is data[offs[i]:offs[i+1]]; empty until the first value
	// slots is a linear-probing table of a power-of-two size, at most
	// three quarters full: 0 is free, else the code plus one in the low
	// bits (as many as index the table), and above them the high bits of
	// the value's hash, which skip most comparisons.
	slots []uint32
	// last short-circuits the table for runs of the same value, which are
	// the norm for case ids in exports sorted by case.
	last int32
	// full is set when the values outgrew the 2 GiB of text an Arrow
	// string array holds; Finish reports it.
	full bool
	// shared is set while data and offs are another's (see share): the
	// table is then empty, and a look-up copies them first.
	shared bool
	mem    *spill.Memory // holds data, offs and slots
}

// seed is shared by all dictionaries: codes never depend on it, only where
// a value sits in the table.
var seed = maphash.MakeSeed()

// ID returns the code of b, adding it if it is new. b is copied when added,
// so the caller may reuse it; looking up a known value does not allocate.
func (d *Dict) ID(b []byte) int32 {
	if d.Len() > 0 && string(d.value(d.last)) == string(b) {
		return d.last
	}
	d.last = d.intern(b)
	return d.last
}

// IDString is ID for a string.
func (d *Dict) IDString(s string) int32 {
	return d.intern(unsafe.Slice(unsafe.StringData(s), len(s)))
}

func (d *Dict) intern(b []byte) int32 {
	d.own()
	if 4*(d.Len()+1) > 3*len(d.slots) {
		d.rehash(2 * (d.Len() + 1))
	}
	h := maphash.Bytes(seed, b)
	mask := uint64(len(d.slots) - 1)
	tag := entry(h, mask, -1)
	i := h & mask
	for ; d.slots[i] != 0; i = (i + 1) & mask {
		if s := d.slots[i]; s&^uint32(mask) == tag {
			if c := int32(s&uint32(mask)) - 1; string(d.value(c)) == string(b) {
				return c
			}
		}
	}
	if len(d.data)+len(b) > math.MaxInt32 {
		d.full = true
		return 0 // Finish fails, so the wrong code is never seen
	}
	if len(d.offs) == 0 {
		d.offs = spill.Push(d.mem, d.offs, 0)
	}
	c := int32(d.Len())
	d.data = spill.Append(d.mem, d.data, b...)
	d.offs = spill.Push(d.mem, d.offs, int32(len(d.data)))
	d.slots[i] = entry(h, mask, c)
	return c
}

// entry is the slot of code c of a value hashed h in a table of mask+1
// slots; c = -1 gives the hash's part alone.
func entry(h, mask uint64, c int32) uint32 {
	return uint32(h>>32)&^uint32(mask) | uint32(c+1)
}

// rehash sizes the table for n values and puts the present ones in it.
func (d *Dict) rehash(n int) {
	size := 16
	if n > 12 {
		size = 1 << bits.Len(uint(4*n/3))
	}
	if size <= len(d.slots) {
		return
	}
	spill.Free(d.mem, d.slots)
	d.slots = spill.Make[uint32](d.mem, size)
	mask := uint64(size - 1)
	for c := range int32(d.Len()) {
		h := maphash.Bytes(seed, d.value(c))
		i := h & mask
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = entry(h, mask, c)
	}
}

func (d *Dict) value(c int32) []byte { return d.data[d.offs[c]:d.offs[c+1]] }

// Len is the number of distinct values.
func (d *Dict) Len() int { return max(len(d.offs)-1, 0) }

// Values returns the distinct values indexed by code. They share memory
// with the dictionary: the caller must not keep them past a Builder's
// Reset.
func (d *Dict) Values() []string {
	out := make([]string, d.Len())
	for c := range out {
		if v := d.value(int32(c)); len(v) > 0 {
			out[c] = unsafe.String(&v[0], len(v))
		}
	}
	return out
}

// reset empties d, keeping its memory (not memory it shares).
func (d *Dict) reset() {
	clear(d.slots)
	if d.shared {
		d.data, d.offs, d.shared = nil, nil, false
	}
	d.data, d.offs = d.data[:0], d.offs[:0]
	d.last = 0
}

// share makes d the first n values of data and offs, laid out as d keeps
// them (value k is data[offs[k]:offs[k+1]], offs[0] = 0), without a copy
// and without hashing them: d must be empty or share them already. They
// must stay unchanged; d copies them before it looks a value up or adds
// one, and a record made by Finish keeps them.
func (d *Dict) share(data []byte, offs []int32, n int) {
	if !d.shared {
		// An empty d may hold room made by grow.
		spill.Free(d.mem, d.data)
		spill.Free(d.mem, d.offs)
		spill.Free(d.mem, d.slots)
	}
	d.data, d.offs, d.shared, d.slots = data[:offs[n]:offs[n]], offs[:n+1:n+1], true, nil
}

// sharesWith reports whether d shares offs (see share).
func (d *Dict) sharesWith(offs []int32) bool {
	return d.shared && len(offs) > 0 && &d.offs[0] == &offs[0]
}

// own gives d a copy of values it shares, and its table.
func (d *Dict) own() {
	if d.shared {
		d.data, d.offs, d.shared = spill.Clone(d.mem, d.data), spill.Clone(d.mem, d.offs), false
		d.rehash(d.Len())
	}
}

// grow makes room for n more values of about size bytes in all.
func (d *Dict) grow(n, size int) {
	d.own()
	d.rehash(d.Len() + n)
	d.offs = spill.Grow(d.mem, d.offs, n+1)
	d.data = spill.Grow(d.mem, d.data, size)
}

// array hands the values to an Arrow string array, which d must not be
// used after: the table is freed, the values are the array's.
func (d *Dict) array() arrow.Array {
	offs := d.offs
	if len(offs) == 0 {
		offs = []int32{0}
	}
	// Shared values have no spare capacity: exact keeps them as they are.
	offs, d.data = exact(d.mem, offs), exact(d.mem, d.data)
	data := array.NewData(arrow.BinaryTypes.String, d.Len(),
		[]*memory.Buffer{nil, memory.NewBufferBytes(bytesOf(offs)), memory.NewBufferBytes(d.data)}, nil, 0, 0)
	defer data.Release()
	spill.Free(d.mem, d.slots)
	*d = Dict{}
	return array.MakeFromData(data)
}
