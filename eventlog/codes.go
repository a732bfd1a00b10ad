package eventlog

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/spill"
)

// codeColumn holds dictionary codes, -1 for a missing value, in the
// narrowest signed integer that holds every code so far: int8 up to 128
// distinct values, int16 up to 32,768, int32 beyond. Activities,
// departments, channels and most attributes have small dictionaries, so
// their columns take a quarter or half of the memory, in the builder and in
// the finished record alike (Arrow dictionaries allow any signed index
// type).
type codeColumn struct {
	w8    []int8
	w16   []int16
	w32   []int32
	width uint8         // bytes per code; 0 is 1
	mem   *spill.Memory // holds the codes; nil: the heap
}

func (c *codeColumn) len() int {
	switch c.width {
	case 2:
		return len(c.w16)
	case 4:
		return len(c.w32)
	}
	return len(c.w8)
}

// push appends v.
func (c *codeColumn) push(v int32) {
	c.fit(v)
	switch c.width {
	case 2:
		c.w16 = spill.Push(c.mem, c.w16, int16(v))
	case 4:
		c.w32 = spill.Push(c.mem, c.w32, v)
	default:
		c.w8 = spill.Push(c.mem, c.w8, int8(v))
	}
}

// fit widens the column when v does not fit its width.
func (c *codeColumn) fit(v int32) {
	if v > math.MaxInt8 && c.width <= 1 || v > math.MaxInt16 && c.width == 2 {
		c.widen(v)
	}
}

// widen converts the column to the width v needs, keeping its capacity so
// that a column sized by Grow stays sized.
func (c *codeColumn) widen(v int32) {
	if v > math.MaxInt16 {
		w := spill.MakeCap[int32](c.mem, 0, max(cap(c.w8), cap(c.w16)))
		c.w32 = appendAs(appendAs(w, c.w8), c.w16)
		spill.Free(c.mem, c.w8)
		spill.Free(c.mem, c.w16)
		c.w8, c.w16, c.width = nil, nil, 4
		return
	}
	c.w16 = appendAs(spill.MakeCap[int16](c.mem, 0, cap(c.w8)), c.w8)
	spill.Free(c.mem, c.w8)
	c.w8, c.width = nil, 2
}

func appendAs[D, S int8 | int16 | int32](dst []D, src []S) []D {
	for _, v := range src {
		dst = append(dst, D(v))
	}
	return dst
}

// exact returns v with at most a 32nd of its length as spare capacity,
// in one right-sized copy when it has more. A column grown by appending,
// or sized from an estimate that fell short, can hold a quarter more than
// its values, which the record would keep for its whole life; a reader's
// good estimate (2 % over) is kept as it is, without a copy. The copy
// comes from m, which v is freed to.
func exact[T any](m *spill.Memory, v []T) []T {
	if cap(v)-len(v) <= len(v)/32 {
		return v
	}
	out := append(spill.MakeCap[T](m, 0, len(v)), v...)
	spill.Free(m, v)
	return out
}

// grow makes room for n more codes at the current width.
func (c *codeColumn) grow(n int) {
	switch c.width {
	case 2:
		c.w16 = spill.Grow(c.mem, c.w16, n)
	case 4:
		c.w32 = spill.Grow(c.mem, c.w32, n)
	default:
		c.w8 = spill.Grow(c.mem, c.w8, n)
	}
}

// truncate keeps the first n codes.
func (c *codeColumn) truncate(n int) {
	switch c.width {
	case 2:
		c.w16 = c.w16[:n]
	case 4:
		c.w32 = c.w32[:n]
	default:
		c.w8 = c.w8[:n]
	}
}

// int32s returns the codes as int32, sharing memory when they are int32
// (own is false), else in a copy from the column's memory.
func (c *codeColumn) int32s() (codes []int32, own bool) {
	switch c.width {
	case 2:
		return appendAs(spill.MakeCap[int32](c.mem, 0, len(c.w16)), c.w16), true
	case 4:
		return c.w32, false
	}
	return appendAs(spill.MakeCap[int32](c.mem, 0, len(c.w8)), c.w8), true
}

// appendMapped appends src's codes translated by m (-1 stays -1). top is
// the largest code m yields, so the column widens at most once.
func (c *codeColumn) appendMapped(src *codeColumn, m []int32, top int32) {
	switch src.width {
	case 2:
		appendMappedFrom(c, src.w16, m, top)
	case 4:
		appendMappedFrom(c, src.w32, m, top)
	default:
		appendMappedFrom(c, src.w8, m, top)
	}
}

// appendMappedFrom is appendMapped from codes of any width.
func appendMappedFrom[S int8 | int16 | int32](c *codeColumn, src []S, m []int32, top int32) {
	c.fit(top)
	c.grow(len(src))
	switch c.width {
	case 2:
		c.w16 = mapCodes(c.w16, src, m)
	case 4:
		c.w32 = mapCodes(c.w32, src, m)
	default:
		c.w8 = mapCodes(c.w8, src, m)
	}
}

func mapCodes[D, S int8 | int16 | int32](dst []D, src []S, m []int32) []D {
	for _, v := range src {
		if v >= 0 {
			dst = append(dst, D(m[v]))
		} else {
			dst = append(dst, -1)
		}
	}
	return dst
}

// dictColumn builds a dictionary column from the codes and the values of
// d, handing the codes' memory to the record (or reordering them by perm),
// with the column's width as the index type. The record takes over d's
// values: d is spent.
func dictColumn(mem memory.Allocator, perm []int32, c *codeColumn, d *Dict) arrow.Array {
	dict := d.array()
	defer dict.Release()
	return indexArray(mem, perm, c, dict)
}

func indexArray(mem memory.Allocator, perm []int32, c *codeColumn, dict arrow.Array) arrow.Array {
	switch c.width {
	case 2:
		return dictOf(mem, c.mem, perm, &c.w16, arrow.PrimitiveTypes.Int16, dict)
	case 4:
		return dictOf(mem, c.mem, perm, &c.w32, arrow.PrimitiveTypes.Int32, dict)
	}
	return dictOf(mem, c.mem, perm, &c.w8, arrow.PrimitiveTypes.Int8, dict)
}

func dictOf[T int8 | int16 | int32](mem memory.Allocator, m *spill.Memory, perm []int32, codes *[]T, typ arrow.DataType, dict arrow.Array) arrow.Array {
	c := arrange(m, perm, codes)
	valid, nulls := validity(Allocator(mem, m), c, func(x T) bool { return x >= 0 })
	for i, x := range c {
		if x < 0 {
			c[i] = 0 // a null slot still needs an index inside the dictionary
		}
	}
	data := array.NewData(typ, len(c), []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(c))}, nil, nulls, 0)
	releaseAll(valid)
	indices := array.MakeFromData(data)
	data.Release()
	defer indices.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: typ, ValueType: arrow.BinaryTypes.String}, indices, dict)
}

// Used counts the distinct values of the dictionary column name that some
// event has (a dictionary may hold values no event uses); 0 when there is
// no such column.
func (l *Log) Used(name string) int {
	col, ok := l.Column(name).(*array.Dictionary)
	if !ok {
		return 0
	}
	used := spill.Make[bool](l.mem, col.Dictionary().Len())
	defer spill.Free(l.mem, used)
	switch ix := col.Indices().(type) {
	case *array.Int8:
		return countUsed(used, ix.Int8Values(), col)
	case *array.Int16:
		return countUsed(used, ix.Int16Values(), col)
	case *array.Int32:
		return countUsed(used, ix.Int32Values(), col)
	}
	return countUsed(used, Indices(col), col) // other index types: a record made elsewhere
}

func countUsed[T int8 | int16 | int32](used []bool, idx []T, col *array.Dictionary) int {
	n := 0
	nulls := col.NullN() > 0
	for i, k := range idx {
		if nulls && col.IsNull(i) || used[k] {
			continue
		}
		used[k] = true
		n++
	}
	return n
}
