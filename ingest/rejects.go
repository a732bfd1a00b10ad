package ingest

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/internal/safecsv"
)

// RejectLimit is how many rejected rows are tolerated before reading counts
// as failed: N rows, or N percent of the rows read when Percent is set.
type RejectLimit struct {
	N       float64
	Percent bool
}

// DefaultRejectLimit tolerates up to 1 % of the rows: enough for the odd
// broken row in a nightly export, and far below what a wrong column mapping
// or date layout causes (which rejects nearly everything).
const DefaultRejectLimit = "1%"

// ParseRejectLimit reads "250" (rows) or "1%" / "0.5%" (of the rows read).
func ParseRejectLimit(s string) (RejectLimit, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || v > 100 {
			return RejectLimit{}, fmt.Errorf("%q: want a percentage from 0%% to 100%%, such as 1%%", s)
		}
		return RejectLimit{N: v, Percent: true}, nil
	}
	v, err := strconv.ParseUint(s, 10, 63)
	if err != nil {
		return RejectLimit{}, fmt.Errorf("%q: want a row count such as 100, or a percentage such as 1%%", s)
	}
	return RejectLimit{N: float64(v)}, nil
}

func (l RejectLimit) String() string {
	if l.Percent {
		return strconv.FormatFloat(l.N, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(l.N, 'f', 0, 64)
}

// TooManyRejectsError reports that more rows were rejected than a
// RejectLimit allows.
type TooManyRejectsError struct {
	Rows, Rejected int64
	Limit          RejectLimit
	First          []Reject // the first rejects, in file order
}

// ShowRejects is how many rejects error messages and summaries list before
// saying "(and N more)".
const ShowRejects = 5

func (e *TooManyRejectsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d rows rejected, more than the limit of %s; fix the rows or the mapping, or raise --max-rejects:",
		e.Rejected, e.Rows, e.Limit)
	b.WriteString(FormatRejects(e.First, e.Rejected))
	return b.String()
}

// FormatRejects lists up to ShowRejects rejects as "file:line:column:
// reason" lines, then "(and N more)" for the rest of total.
func FormatRejects(rs []Reject, total int64) string {
	var b strings.Builder
	for i, r := range rs {
		if i == ShowRejects {
			break
		}
		fmt.Fprintf(&b, "\n  %s", r)
	}
	if shown := int64(min(len(rs), ShowRejects)); total > shown {
		fmt.Fprintf(&b, "\n  (and %d more)", total-shown)
	}
	return b.String()
}

// Check returns a *TooManyRejectsError when res has more rejects than l.
func (l RejectLimit) Check(res *Result) error {
	max := l.N
	if l.Percent {
		max = l.N / 100 * float64(res.Rows)
	}
	if float64(res.Rejected) <= max {
		return nil
	}
	return &TooManyRejectsError{Rows: res.Rows, Rejected: res.Rejected, Limit: l, First: res.Rejects[:min(len(res.Rejects), ShowRejects)]}
}

// WriteRejects writes rejects as CSV with the columns file, line, column,
// reason, raw; cells that a spreadsheet would run as formulas are
// neutralised.
func WriteRejects(w io.Writer, rs []Reject) error {
	cw := safecsv.NewWriter(w)
	if err := cw.Write("file", "line", "column", "reason", "raw"); err != nil {
		return err
	}
	for _, r := range rs {
		if err := cw.Write(r.File, strconv.FormatInt(r.Line, 10), strconv.Itoa(r.Column), r.Reason, r.Raw); err != nil {
			return err
		}
	}
	return cw.Flush()
}
