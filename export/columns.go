package export

import (
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
)

// column is a column of a log, read for writing.
type column struct {
	name string
	kind eventlog.Kind
	arr  arrow.Array
	// A dictionary column's values and each event's index into them.
	dict  []string
	codes []int32
	per   int64 // a timestamp column's units per microsecond, or 0 for coarser units
	div   int64 // … or microseconds per unit
}

// newColumn reads arr. Dictionaries of text are read as String; int64,
// float64, boolean and timestamp columns by their kind; anything else (not
// in a log that eventlog.Builder made) as text through Arrow's ValueStr.
func newColumn(name string, arr arrow.Array) *column {
	c := &column{name: name, arr: arr, kind: eventlog.String}
	switch a := arr.(type) {
	case *array.Dictionary:
		vals := a.Dictionary()
		c.dict = make([]string, vals.Len())
		for i := range c.dict {
			c.dict[i] = valueStr(vals, i)
		}
		c.codes = eventlog.Indices(a)
	case *array.Int64:
		c.kind = eventlog.Int
	case *array.Float64:
		c.kind = eventlog.Float
	case *array.Boolean:
		c.kind = eventlog.Bool
	case *array.Timestamp:
		c.kind = eventlog.Timestamp
		switch a.DataType().(*arrow.TimestampType).Unit {
		case arrow.Second:
			c.div = 1e6
		case arrow.Millisecond:
			c.div = 1e3
		case arrow.Microsecond:
			c.div = 1
		case arrow.Nanosecond:
			c.per = 1e3
		}
	}
	return c
}

// valueStr is a value as text, "" for null.
func valueStr(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	if s, ok := a.(*array.String); ok {
		return s.Value(i)
	}
	return a.ValueStr(i)
}

func (c *column) null(i int) bool { return c.arr.IsNull(i) }

// text is a String column's value at i (the column must not be null there).
func (c *column) text(i int) string {
	if c.dict != nil {
		return c.dict[c.codes[i]]
	}
	return valueStr(c.arr, i)
}

// micros is a Timestamp column's value at i in microseconds.
func (c *column) micros(i int) int64 {
	v := int64(c.arr.(*array.Timestamp).Value(i))
	if c.per > 0 {
		return floorDiv(v, c.per)
	}
	return v * c.div
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// same reports whether the column has the same value (or null) at i and j.
func (c *column) same(i, j int) bool {
	if ni, nj := c.null(i), c.null(j); ni || nj {
		return ni == nj
	}
	switch a := c.arr.(type) {
	case *array.Dictionary:
		return c.dict[c.codes[i]] == c.dict[c.codes[j]]
	case *array.Int64:
		return a.Value(i) == a.Value(j)
	case *array.Float64:
		return a.Value(i) == a.Value(j)
	case *array.Boolean:
		return a.Value(i) == a.Value(j)
	case *array.Timestamp:
		return a.Value(i) == a.Value(j)
	}
	return valueStr(c.arr, i) == valueStr(c.arr, j)
}

// roles are the role columns the text formats write, in order.
var roles = []string{eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.StartTime,
	eventlog.Department, eventlog.Resource, eventlog.Channel}

// roleKeys are the names the text formats give the roles: XES keys, a
// trace's as "case:" + key (pm4py's flattening). Each is the first name the
// CSV reader looks for in its role (see ingest's rules), so a file read back
// without flags has the same roles whatever its other columns are called.
var roleKeys = map[string]string{
	eventlog.Case: "case:concept:name", eventlog.Activity: "concept:name", eventlog.Time: "time:timestamp",
	eventlog.StartTime: "start_timestamp", eventlog.Department: "org:group", eventlog.Resource: "org:resource",
	eventlog.Channel: "case:channel",
}

// attrName is the name an attribute column is written under: its own, or
// "attr:" + its own when a role uses that name (an attribute "org:group"
// when the department came from another column; the parts of an activity
// joined from concept:name and lifecycle:transition), as package eventlog
// does for names the role columns take.
func attrName(name string) string {
	for _, k := range roleKeys {
		if name == k {
			return "attr:" + name
		}
	}
	return name
}

// columns returns the log's role columns (in the order of roles, where
// present) and its attribute columns (in log order), leaving out the
// provenance columns file and row.
func columns(l *eventlog.Log) (role map[string]*column, attrs []*column) {
	role = map[string]*column{}
	s := l.Record().Schema()
	for i, f := range s.Fields() {
		switch {
		case slices.Contains(roles, f.Name):
			role[f.Name] = newColumn(f.Name, l.Record().Column(i))
		case f.Name != eventlog.File && f.Name != eventlog.Row:
			attrs = append(attrs, newColumn(f.Name, l.Record().Column(i)))
		}
	}
	return role, attrs
}

// appendTime appends an instant in microseconds as ISO 8601 in UTC with
// the given fraction layout (".000" or ".000000") and zone suffix.
func appendTime(dst []byte, us int64, frac, zone string) []byte {
	dst = time.UnixMicro(us).UTC().AppendFormat(dst, "2006-01-02T15:04:05"+frac)
	return append(dst, zone...)
}
