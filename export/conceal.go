package export

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Conceal returns a copy of l fit to pass on: the values of each column
// named in replace become replace[column](value) (pseudonyms; null stays
// null, and the column becomes a dictionary of text), the columns in drop
// are left out, and the file column names each input file without its
// folders (which often hold a user's name). Two values of one column that
// would be replaced by the same text are an error, as the copy would merge
// them. The case, activity and time columns cannot be dropped, and a name
// that is no column is an error listing the columns. l itself is
// unchanged; release the copy when done.
func Conceal(l *eventlog.Log, replace map[string]func(string) string, drop []string, mem memory.Allocator) (*eventlog.Log, error) {
	s := l.Record().Schema()
	for _, d := range drop {
		switch {
		case d == eventlog.Case || d == eventlog.Activity || d == eventlog.Time:
			return nil, fmt.Errorf("--drop %s: every event needs its case, activity and time", d)
		case len(s.FieldIndices(d)) == 0:
			var names []string
			for _, f := range s.Fields() {
				names = append(names, f.Name)
			}
			return nil, fmt.Errorf("--drop %s: no such column; the log has %s", d, strings.Join(names, ", "))
		}
	}
	var fields []arrow.Field
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for i, f := range s.Fields() {
		if slices.Contains(drop, f.Name) {
			continue
		}
		col := l.Record().Column(i)
		var err error
		switch r := replace[f.Name]; {
		case f.Name == eventlog.File:
			col = replaced(mem, col, filepath.Base)
		case r != nil:
			col, err = pseudonymised(mem, f.Name, col, r)
		default:
			col.Retain()
		}
		if err != nil {
			return nil, err
		}
		f.Type = col.DataType()
		fields = append(fields, f)
		cols = append(cols, col)
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, l.Record().NumRows())
	defer rec.Release()
	return eventlog.New(rec)
}

// pseudonymised is replaced, refusing two values that share a pseudonym.
func pseudonymised(mem memory.Allocator, name string, col arrow.Array, r func(string) string) (arrow.Array, error) {
	of := map[string]string{}
	var clash string
	out := replaced(mem, col, func(v string) string {
		p := r(v)
		if o, ok := of[p]; ok && o != v {
			clash = p
		}
		of[p] = v
		return p
	})
	if clash != "" {
		out.Release()
		return nil, fmt.Errorf("two values of column %s share the pseudonym %s: use another key", name, clash)
	}
	return out, nil
}

// replaced returns col with each value v as f(v), as a dictionary of
// text: a dictionary column keeps its indices and gets new values, each
// computed once; any other column is read as text (valueStr).
func replaced(mem memory.Allocator, col arrow.Array, f func(string) string) arrow.Array {
	if d, ok := col.(*array.Dictionary); ok {
		vals := d.Dictionary()
		repl := make([]string, vals.Len())
		for i := range repl {
			repl[i] = f(valueStr(vals, i))
		}
		dict := stringArray(mem, repl)
		defer dict.Release()
		return array.NewDictionaryArray(d.DataType(), d.Indices(), dict)
	}
	var values eventlog.Dict
	seen := map[string]int32{}
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	ib.Reserve(col.Len())
	for i := range col.Len() {
		if col.IsNull(i) {
			ib.AppendNull()
			continue
		}
		v := valueStr(col, i)
		c, ok := seen[v]
		if !ok {
			c = values.IDString(f(v))
			seen[v] = c
		}
		ib.Append(c)
	}
	idx := ib.NewArray()
	defer idx.Release()
	dict := stringArray(mem, values.Values())
	defer dict.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, idx, dict)
}

func stringArray(mem memory.Allocator, values []string) arrow.Array {
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	sb.AppendValues(values, nil)
	return sb.NewArray()
}
