package report

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/caseflow/caseflow/internal/safecsv"
)

// StepSep joins the steps of a variant or path in one CSV cell.
const StepSep = " > "

// table writes a CSV file row by row, as encoding/csv would (comma,
// quotes where a cell needs them, LF line ends), appending cells to one
// buffer with strconv so that a row costs no allocation. Text cells are
// neutralised by safecsv, so a spreadsheet never runs them as formulas;
// number cells are written as they are, so a negative number stays a
// number.
type table struct {
	w     io.Writer
	buf   []byte
	cells int // in the current row
	err   error
}

// tableBuffer is the bytes a table gathers before writing them.
const tableBuffer = 64 << 10

func newTable(w io.Writer, header ...string) *table {
	t := &table{w: w, buf: make([]byte, 0, tableBuffer+4<<10)}
	for _, h := range header {
		t.text(h)
	}
	t.end()
	return t
}

// next starts a cell.
func (t *table) next() {
	if t.cells > 0 {
		t.buf = append(t.buf, ',')
	}
	t.cells++
}

func (t *table) text(s string) *table { t.next(); t.buf = appendCell(t.buf, s); return t }
func (t *table) int(n int64) *table   { t.next(); t.buf = strconv.AppendInt(t.buf, n, 10); return t }
func (t *table) num(x num) *table     { t.next(); t.buf = x.appendText(t.buf); return t }
func (t *table) bool(b bool) *table   { t.next(); t.buf = strconv.AppendBool(t.buf, b); return t }
func (t *table) steps(s []string) *table {
	return t.text(strings.Join(s, StepSep))
}

// cell appends a cell made by appendCell.
func (t *table) cell(c []byte) *table { t.next(); t.buf = append(t.buf, c...); return t }

func (t *table) end() {
	t.buf = append(t.buf, '\n')
	t.cells = 0
	if len(t.buf) >= tableBuffer {
		t.write()
	}
}

func (t *table) write() {
	if t.err == nil && len(t.buf) > 0 {
		_, t.err = t.w.Write(t.buf) // the error sticks; flush returns it
	}
	t.buf = t.buf[:0]
}

func (t *table) flush() error {
	t.write()
	return t.err
}

// appendCell appends the text s as a cell: neutralised, then quoted as
// encoding/csv quotes a field (one holding a comma, quote or line break,
// one starting with a space, and \. alone), inner quotes doubled.
func appendCell(b []byte, s string) []byte {
	s = safecsv.Neutralise(s)
	r, _ := utf8.DecodeRuneInString(s)
	if s == "" || s != `\.` && !strings.ContainsAny(s, ",\"\r\n") && !unicode.IsSpace(r) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(append(b, s[:i+1]...), '"')
		s = s[i+1:]
	}
	return append(append(b, s...), '"')
}

// writeCases writes cases.csv: one row per case, in log order. Each
// path's cell is made once: a million cases share a few thousand paths.
func (r *Report) writeCases(w io.Writer) error {
	t := newTable(w, "case", "events", "lead_time_s", "handoffs", "pingpong", "closing", "revisits", "long", "variant", "path")
	paths := make([][]byte, len(r.paths))
	path := func(i int32) []byte {
		if i < 0 || int(i) >= len(paths) {
			return nil
		}
		if paths[i] == nil {
			paths[i] = appendCell([]byte{}, strings.Join(pathOf(r.paths, i), StepSep))
		}
		return paths[i]
	}
	for k, c := range r.cases {
		t.text(r.caseID(k)).int(int64(c.Events))
		if c.Measured {
			t.num(secs(c.Lead))
		} else {
			t.text("")
		}
		t.int(int64(c.Handoffs)).int(int64(c.PingPong)).bool(c.Closing).int(int64(c.Revisits)).bool(c.Long).
			int(int64(c.Variant) + 1).cell(path(c.Path)).end()
	}
	return t.flush()
}

// writeVariants writes variants.csv or paths.csv.
func writeVariants(w io.Writer, vs []variantDoc, col string) error {
	t := newTable(w, "rank", "cases", "coverage", col)
	for _, v := range vs {
		t.int(int64(v.Rank)).int(int64(v.Cases)).num(v.Coverage).steps(v.Steps).end()
	}
	return t.flush()
}

func (r *Report) writeDFG(w io.Writer) error {
	t := newTable(w, "from", "to", "count", "median_s", "mean_s", "p90_s")
	for _, e := range r.doc.Flows.Edges {
		t.text(e.From).text(e.To).int(int64(e.Count)).num(e.MedianS).num(e.MeanS).num(e.P90S).end()
	}
	return t.flush()
}

func (r *Report) writeHandoffs(w io.Writer) error {
	t := newTable(w, "from", "to", "handoffs", "median_delay_s")
	for _, h := range r.doc.Flows.HandoffMatrix {
		t.text(h.From).text(h.To).int(int64(h.Handoffs)).num(h.MedianDelayS).end()
	}
	return t.flush()
}

func (r *Report) writeUnits(w io.Writer) error {
	t := newTable(w, slices.Concat([]string{"unit", "in", "out", "partners", "entry_median_s", "gaps", "gap_median_s",
		"bounces", "bounce_rate", "community", "tested"}, waitColumns, []string{"silo", "long_stay_s", "long_wait_s",
		"other_stay_s", "other_wait_s", "long_share", "other_share"})...)
	share := make(map[string]shareDoc, len(r.doc.LeadTime.Where.Units))
	for _, s := range r.doc.LeadTime.Where.Units {
		share[s.Unit] = s
	}
	for _, u := range r.doc.Silos.Units {
		s := share[u.Name]
		t.text(u.Name).int(int64(u.In)).int(int64(u.Out)).int(int64(u.Partners)).num(u.EntryMedianS).
			int(int64(u.Gaps)).num(u.GapMedianS).int(int64(u.Bounces)).num(u.BounceRate).
			int(int64(u.Community)).bool(u.Tested).wait(u.waitDoc).bool(u.Silo).num(s.LongStayS).num(s.LongWaitS).num(s.OtherStayS).num(s.OtherWaitS).
			num(s.LongShare).num(s.OtherShare).end()
	}
	return t.flush()
}

func (r *Report) writePingPong(w io.Writer) error {
	t := newTable(w, "a", "b", "occurrences", "cases", "return_median_s", "lead_cases", "lead_median_s", "extra_median_s")
	for _, p := range r.doc.PingPong.Pairs {
		t.text(p.A).text(p.B).int(int64(p.Occurrences)).int(int64(p.Cases)).num(p.ReturnMedianS).
			int(int64(p.LeadCases)).num(p.LeadMedianS).num(p.ExtraMedianS).end()
	}
	return t.flush()
}

func (r *Report) writeBoundaries(w io.Writer) error {
	t := newTable(w, slices.Concat([]string{"from", "to", "handoffs", "entry_median_s"}, waitColumns, []string{"silo"})...)
	for _, b := range r.doc.Silos.Boundaries {
		t.text(b.From).text(b.To).int(int64(b.Handoffs)).num(b.EntryMedianS).wait(b.waitDoc).bool(b.Silo).end()
	}
	return t.flush()
}

// waitColumns are the columns of a silo test, as its JSON names them.
var waitColumns = []string{"others", "others_median_s", "ratio", "shift_s", "shift_low_s", "shift_high_s", "u", "p", "p_adjusted"}

func (t *table) wait(c waitDoc) *table {
	return t.int(int64(c.Others)).num(c.OthersMedianS).num(c.Ratio).num(c.ShiftS).num(c.ShiftLowS).num(c.ShiftHighS).
		num(c.U).num(c.P).num(c.PAdjusted)
}
