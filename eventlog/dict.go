package eventlog

import "slices"

// Dict interns strings into dense int32 codes in order of first appearance.
// The zero value is ready to use.
type Dict struct {
	ids    map[string]int32
	values []string
	// last short-circuits the map for runs of the same value, which are the
	// norm for case ids in exports sorted by case.
	last   string
	lastID int32
}

// ID returns the code of b, adding it if it is new. b is copied when added,
// so the caller may reuse it; looking up a known value does not allocate.
func (d *Dict) ID(b []byte) int32 {
	if len(d.values) > 0 && d.last == string(b) {
		return d.lastID
	}
	id, ok := d.ids[string(b)]
	if !ok {
		id = d.add(string(b))
	}
	d.last, d.lastID = d.values[id], id
	return id
}

// IDString is ID for a string.
func (d *Dict) IDString(s string) int32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	return d.add(s)
}

func (d *Dict) add(s string) int32 {
	if d.ids == nil {
		d.ids = make(map[string]int32)
	}
	id := int32(len(d.values))
	d.ids[s] = id
	d.values = append(d.values, s)
	return id
}

// Len is the number of distinct values.
func (d *Dict) Len() int { return len(d.values) }

// Values returns the distinct values indexed by code. The caller must not
// modify the slice.
func (d *Dict) Values() []string { return d.values }

// reset empties d, keeping its map's memory.
func (d *Dict) reset() {
	clear(d.ids)
	d.values = d.values[:0]
	d.last, d.lastID = "", 0
}

// grow makes room for n more values.
func (d *Dict) grow(n int) {
	if d.ids == nil {
		d.ids = make(map[string]int32, n)
	}
	d.values = slices.Grow(d.values, n)
}
