package report

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/internal/safecsv"
)

// StepSep joins the steps of a variant or path in one CSV cell.
const StepSep = " > "

// table writes a CSV file row by row. Text cells are neutralised by
// safecsv, so a spreadsheet never runs them as formulas; number cells are
// written as they are, so a negative number stays a number.
type table struct {
	w   *csv.Writer
	row []string
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{w: csv.NewWriter(w)}
	for _, h := range header {
		t.text(h)
	}
	t.end()
	return t
}

func (t *table) text(s string) *table { t.row = append(t.row, safecsv.Neutralise(s)); return t }
func (t *table) int(n int64) *table   { t.row = append(t.row, strconv.FormatInt(n, 10)); return t }
func (t *table) num(x num) *table     { t.row = append(t.row, x.text()); return t }
func (t *table) bool(b bool) *table   { t.row = append(t.row, strconv.FormatBool(b)); return t }
func (t *table) steps(s []string) *table {
	return t.text(strings.Join(s, StepSep))
}

func (t *table) end() {
	t.w.Write(t.row) // the error sticks; flush returns it
	t.row = t.row[:0]
}

func (t *table) flush() error {
	t.w.Flush()
	return t.w.Error()
}

// writeCases writes cases.csv: one row per case, in log order.
func (r *Report) writeCases(w io.Writer) error {
	t := newTable(w, "case", "events", "lead_time_s", "handoffs", "pingpong", "closing", "revisits", "long", "variant", "path")
	for _, c := range r.cases {
		t.text(c.ID).int(int64(c.Events))
		if c.Measured {
			t.num(secs(c.Lead))
		} else {
			t.text("")
		}
		t.int(int64(c.Handoffs)).int(int64(c.PingPong)).bool(c.Closing).int(int64(c.Revisits)).bool(c.Long).
			int(int64(c.Variant) + 1).steps(pathOf(r.paths, c.Path)).end()
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
