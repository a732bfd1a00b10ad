package eventlog

import (
	"github.com/apache/arrow/go/v17/arrow/array"
)

// CaseCodes returns, for each case, the code of the first non-null value
// of the dictionary column name among the case's events (with last, of
// the last one), -1 when every event's value is null or the log has no
// such column, and the dictionary's names. It reads the indices in place
// at their Arrow width, so it costs an int32 per case where Codes costs
// one per event: for a case attribute (customer, reason, channel) or
// where the case ends (its closing department).
func (l *Log) CaseCodes(name string, last bool) Codes {
	out := make([]int32, l.Cases())
	col, ok := l.Column(name).(*array.Dictionary)
	if !ok {
		for k := range out {
			out[k] = -1
		}
		return Codes{Index: out}
	}
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
	return Codes{Index: out, Names: dictNames(col)}
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
