package eventlog

import (
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/internal/spill"
)

// CaseCodes returns, for each case, the code of the first non-null value
// of the dictionary column name among the case's events (with last, of
// the last one), -1 when every event's value is null or the log has no
// such column, and the dictionary's names. It reads the indices in place
// at their Arrow width, so it costs an int32 per case where Codes costs
// one per event: for a case attribute (customer, reason, channel) or
// where the case ends (its closing department). Index comes from the
// log's memory (see Codes.Free).
func (l *Log) CaseCodes(name string, last bool) Codes {
	col, ok := l.Column(name).(*array.Dictionary)
	if !ok {
		return Codes{Index: none[int32](l.mem, l.Cases()), mem: l.mem}
	}
	out := spill.Make[int32](l.mem, l.Cases())
	for k := range out {
		lo, hi := l.offsets[k], l.offsets[k+1]
		out[k] = -1
		for j := range hi - lo {
			i := lo + j
			if last {
				i = hi - 1 - j
			}
			if col.IsValid(i) {
				out[k] = int32(col.GetValueIndex(i))
				break
			}
		}
	}
	return Codes{Index: out, Names: dictNames(col), mem: l.mem}
}

// none returns n codes of -1, a missing column's, from m.
func none[T int8 | int32](m *spill.Memory, n int) []T {
	out := spill.Make[T](m, n)
	for i := range out {
		out[i] = -1
	}
	return out
}

// dictNames returns the values of col's string dictionary; they share
// memory with the record.
func dictNames(col *array.Dictionary) []string {
	vals := col.Dictionary().(*array.String)
	names := make([]string, vals.Len())
	for i := range names {
		names[i] = vals.Value(i)
	}
	return names
}

// Narrow is a dictionary column's codes at the width of its Arrow index:
// exactly one of I8, I16 and I32 is set, -1 where the value is missing.
// Most code columns (activities, departments) hold under 128 values, so
// reading them at their width takes a quarter of the memory of Codes.
type Narrow struct {
	I8    []int8
	I16   []int16
	I32   []int32
	Names []string
	// mem is the memory the codes were copied to, nil when they are the
	// record's own (see Free).
	mem *spill.Memory
}

// Free gives back the codes to the log's memory when the log made them
// for this call (a copy; a no-op for the record's own indices and on the
// heap). n must not be used after.
func (n Narrow) Free() {
	spill.Free(n.mem, n.I8)
	spill.Free(n.mem, n.I16)
	spill.Free(n.mem, n.I32)
}

// Narrow returns the codes of the dictionary column name, in place when
// its index is int8, int16 or int32 without nulls (do not modify them);
// a column with nulls is copied once at its width with -1 for them, any
// other index type widened to int32. A missing column gives all -1. The
// copies come from the log's memory.
func (l *Log) Narrow(name string) Narrow {
	col, ok := l.Column(name).(*array.Dictionary)
	if !ok {
		return Narrow{I8: none[int8](l.mem, l.Len()), mem: l.mem}
	}
	n := Narrow{Names: dictNames(col)}
	own := col.NullN() > 0
	switch ix := col.Indices().(type) {
	case *array.Int8:
		n.I8 = withNulls(l.mem, col, ix.Int8Values())
	case *array.Int16:
		n.I16 = withNulls(l.mem, col, ix.Int16Values())
	case *array.Int32:
		n.I32 = withNulls(l.mem, col, ix.Int32Values())
	default:
		n.I32, own = indices(l.mem, col)
	}
	if own {
		n.mem = l.mem
	}
	return n
}

// withNulls returns v, or a copy of it from m with -1 where col is null.
func withNulls[T int8 | int16 | int32](m *spill.Memory, col *array.Dictionary, v []T) []T {
	if col.NullN() == 0 {
		return v
	}
	out := spill.Make[T](m, len(v))
	for i, c := range v {
		out[i] = c
		if col.IsNull(i) {
			out[i] = -1
		}
	}
	return out
}

// At is the code of event i.
func (n *Narrow) At(i int) int32 {
	switch {
	case n.I8 != nil:
		return int32(n.I8[i])
	case n.I16 != nil:
		return int32(n.I16[i])
	}
	return n.I32[i]
}

// Append appends the codes of events lo…hi−1 to buf.
func (n *Narrow) Append(buf []int32, lo, hi int) []int32 {
	switch {
	case n.I8 != nil:
		return appendAs(buf, n.I8[lo:hi])
	case n.I16 != nil:
		return appendAs(buf, n.I16[lo:hi])
	}
	return append(buf, n.I32[lo:hi]...)
}
