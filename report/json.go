package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// num is a figure that need not be whole. It is rounded when made (secs to
// the millisecond, frac to 6 significant digits, exact not at all), so the
// JSON, the CSV files and --fail-on rules all see the same value, and it is
// written in encoding/json's shortest form; none is written as null.
type num float64

// none is a figure that was not computed: too few values for a test or an
// interval, a median of nothing, or a ratio over a zero median. It is null
// in the JSON, an empty CSV cell, and a --fail-on rule on it is never
// breached.
var none = num(math.NaN())

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 0):
		return nil, fmt.Errorf("report: %v cannot be written as a JSON number", f)
	}
	return json.Marshal(f)
}

// appendText appends x as in a CSV cell: as encoding/json writes a
// float64 (ECMAScript's number to string: shortest digits, exponent below
// 1e-6 and from 1e21, "e-7" not "e-07"), with none empty and infinities
// as strconv writes them. It does what json.Marshal does without its
// allocations, which a million-row cases.csv would feel.
func (x num) appendText(b []byte) []byte {
	f := float64(x)
	switch {
	case math.IsNaN(f):
		return b
	case math.IsInf(f, 0):
		return strconv.AppendFloat(b, f, 'g', -1, 64)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

func finite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }

// secs rounds a duration in seconds to the millisecond.
func secs(x float64) num {
	if !finite(x) {
		return num(x)
	}
	return exact(math.Round(x*1000) / 1000)
}

// frac rounds a share, ratio or p-value to 6 significant digits.
func frac(x float64) num {
	if !finite(x) || x == 0 {
		return exact(x)
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return num(v)
}

// exact keeps x as it is, but for the sign of zero.
func exact(x float64) num {
	if x == 0 {
		return 0
	}
	return num(x)
}

// WriteJSON writes the JSON document, indented by two spaces, with the
// first Top entries of each list.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.short())
}

// short is the document as written: the lists cut to Top.
func (r *Report) short() *document {
	d := r.doc
	k := r.top
	d.Flows.Edges = head(d.Flows.Edges, k)
	d.Flows.StartActivities = head(d.Flows.StartActivities, k)
	d.Flows.EndActivities = head(d.Flows.EndActivities, k)
	d.Flows.TopVariants = head(d.Flows.TopVariants, k)
	d.Flows.TopPaths = head(d.Flows.TopPaths, k)
	d.Flows.HandoffMatrix = head(d.Flows.HandoffMatrix, k)
	d.PingPong.Pairs = head(d.PingPong.Pairs, k)
	d.LeadTime.Longest = head(d.LeadTime.Longest, k)
	d.LeadTime.Where.Units = head(d.LeadTime.Where.Units, k)
	d.Silos.Boundaries = head(d.Silos.Boundaries, k)
	d.Silos.Units = head(d.Silos.Units, k)
	d.Journeys = shortJourneys(d.Journeys, k)
	d.Working = shortWorking(d.Working, k)
	d.Cost = shortCost(d.Cost, k)
	return &d
}

func head[T any](s []T, k int) []T { return s[:min(len(s), k)] }
