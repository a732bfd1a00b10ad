package export

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/safecsv"
)

// writeCSV writes the log as CSV; see the package documentation.
func writeCSV(w io.Writer, l *eventlog.Log) error {
	role, attrs := columns(l)
	var cols []*column
	var header []string
	for _, r := range roles {
		if c, ok := role[r]; ok {
			cols = append(cols, c)
			header = append(header, roleKeys[r])
		}
	}
	for _, c := range attrs {
		cols = append(cols, c)
		header = append(header, attrName(c.name))
	}
	row := make([]string, len(cols))
	for j, c := range cols {
		row[j] = safecsv.Neutralise(header[j])
		for k, v := range c.dict {
			c.dict[k] = safecsv.Neutralise(v)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(row); err != nil {
		return err
	}
	var buf []byte
	for i := range l.Len() {
		for j, c := range cols {
			row[j], buf = c.csvCell(i, buf)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell renders the value at i; buf is scratch space.
func (c *column) csvCell(i int, buf []byte) (string, []byte) {
	if c.null(i) {
		return "", buf
	}
	switch c.kind {
	case eventlog.String:
		if c.dict != nil {
			return c.dict[c.codes[i]], buf
		}
		return safecsv.Neutralise(c.text(i)), buf
	case eventlog.Timestamp:
		buf = appendTime(buf[:0], c.micros(i), ".000000", "Z")
	case eventlog.Int:
		buf = strconv.AppendInt(buf[:0], c.arr.(*array.Int64).Value(i), 10)
	case eventlog.Float:
		buf = appendFloat(buf[:0], c.arr.(*array.Float64).Value(i), "Inf", "-Inf")
	case eventlog.Bool:
		buf = strconv.AppendBool(buf[:0], c.arr.(*array.Boolean).Value(i))
	}
	return string(buf), buf
}

// appendFloat appends the shortest decimal that reads back as v, spelling
// infinities as inf and -inf (NaN is NaN).
func appendFloat(dst []byte, v float64, inf, minusInf string) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, inf...)
	case math.IsInf(v, -1):
		return append(dst, minusInf...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}
