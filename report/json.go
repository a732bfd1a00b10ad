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
// written in encoding/json's shortest form, with +Inf (a ratio over a zero
// gap) as null.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	switch {
	case math.IsInf(f, 1):
		return []byte("null"), nil
	case math.IsNaN(f) || math.IsInf(f, -1):
		return nil, fmt.Errorf("report: %v cannot be written as a JSON number", f)
	}
	return json.Marshal(f)
}

// text is x as in a CSV cell: like the JSON, with +Inf as "inf".
func (x num) text() string {
	f := float64(x)
	if math.IsInf(f, 1) {
		return "inf"
	}
	b, err := json.Marshal(f)
	if err != nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return string(b)
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
	return &d
}

func head[T any](s []T, k int) []T { return s[:min(len(s), k)] }
