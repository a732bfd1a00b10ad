package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/report"
)

// filterFlags choose the cases analyze reports on, as the HTML page's
// filters do: --since and --until a window of days in the report's zone,
// --where the values of a column. Whole cases are kept or left out
// (eventlog.Log.Filter); the rows left out are counted as excluded.
type filterFlags struct {
	since, until, window string
	where                []string
	conds                []eventlog.Condition // --where, parsed by check
}

func (f *filterFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.since, "since", "", "report only on the cases that started on or after this day (YYYY-MM-DD, in the report's zone); --window chooses another rule")
	fs.StringVar(&f.until, "until", "", "report only on the cases that started on or before this day (YYYY-MM-DD, in the report's zone)")
	fs.StringVar(&f.window, "window", string(eventlog.Started), "which cases --since and --until keep: started (first event in the window), completed (last event in it), contained (every event in it) or intersecting (open at some time in it)")
	fs.StringArrayVar(&f.where, "where", nil, "report only on the cases whose COLUMN is one of the VALUEs, their first event's value (or the first given): COLUMN=VALUE[,VALUE], e.g. channel=phone or 'reason=\"Building permit\"' (repeatable: all hold)")
}

// check parses the flags that can be checked before reading.
func (f *filterFlags) check() error {
	for _, d := range []struct{ flag, v string }{{"since", f.since}, {"until", f.until}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			return fmt.Errorf("--%s %q: want a day as YYYY-MM-DD, e.g. 2024-03-01", d.flag, d.v)
		}
	}
	if f.since != "" && f.until != "" && f.until < f.since {
		return fmt.Errorf("--until %s is before --since %s", f.until, f.since)
	}
	if !isWindow(f.window) {
		return fmt.Errorf("--window %q: want started, completed, contained or intersecting", f.window)
	}
	f.conds = nil
	for _, w := range f.where {
		col, list, ok := strings.Cut(w, "=")
		col = strings.TrimSpace(col)
		if !ok || col == "" {
			return fmt.Errorf("--where %q: write COLUMN=VALUE[,VALUE], e.g. channel=phone", w)
		}
		// The values are a CSV record, so a value with a comma is quoted.
		r := csv.NewReader(strings.NewReader(list))
		r.TrimLeadingSpace = true
		vals, err := r.Read()
		if errors.Is(err, io.EOF) {
			err = errors.New("no value")
		}
		if err != nil {
			return fmt.Errorf("--where %q: %v; write COLUMN=VALUE[,VALUE], quoting a value with a comma (\"a, b\")", w, err)
		}
		f.conds = append(f.conds, eventlog.Condition{Column: col, Values: vals})
	}
	return nil
}

func isWindow(s string) bool {
	for _, w := range eventlog.Windows {
		if s == string(w) {
			return true
		}
	}
	return false
}

// active reports whether the flags filter at all.
func (f *filterFlags) active() bool { return f.since != "" || f.until != "" || len(f.conds) > 0 }

// apply replaces the log of res by the cases the flags keep, days read in
// zone, and says what was kept and left out for the report; nil without a
// filter. A column the log lacks is a flagError; a filter that keeps no
// case of a log that had some is an error too, as every figure would be
// empty.
func (f *filterFlags) apply(res *ingest.Result, zone *time.Location, zoneName string, stderr io.Writer, quiet bool) (*report.Filter, error) {
	if !f.active() {
		return nil, nil
	}
	flt := eventlog.Filter{Window: eventlog.Window(f.window), Where: f.conds}
	if f.since != "" {
		flt.From = day(f.since, zone, 0)
	}
	if f.until != "" {
		flt.To = day(f.until, zone, 1) // the end of the day: the start of the next
	}
	l, cut, err := res.Log.Filter(flt, memory.DefaultAllocator)
	if errors.Is(err, eventlog.ErrColumn) {
		return nil, flagError{fmt.Errorf("--where: %w", err)}
	}
	if err != nil {
		return nil, err
	}
	for _, u := range cut.Unmatched {
		if !quiet || l.Cases() == 0 {
			fmt.Fprintf(stderr, "caseflow: note: --where %s: no event has %s in that column\n", u.Column, strings.Join(quoteAll(u.Values), ", "))
		}
	}
	rep := &report.Filter{Since: f.since, Until: f.until, Window: f.window, Where: f.conds, Zone: zoneName,
		Cases: cut.Cases, Events: cut.Events, Rows: cut.Rows}
	if l.Cases() == 0 && res.Log.Cases() > 0 {
		l.Release()
		zone := ""
		if f.since != "" || f.until != "" {
			zone = " (days in " + zoneName + ")"
		}
		return nil, fmt.Errorf("the filter keeps no case: %s%s leaves out all %d cases; widen it or check the values", rep.Flags(), zone, res.Log.Cases())
	}
	res.Log.Release()
	res.Log = l
	return rep, nil
}

// filtered is the report's input with the filter, its rows counted among
// the excluded (rows read = analysed + rejected + excluded).
func filtered(in report.Input, f *report.Filter) report.Input {
	if f != nil {
		in.Filter = f
		in.Excluded += f.Rows
	}
	return in
}

// day is midnight of the YYYY-MM-DD day s plus add days, in zone.
func day(s string, zone *time.Location, add int) time.Time {
	d, _ := time.Parse(time.DateOnly, s) // checked by check
	return time.Date(d.Year(), d.Month(), d.Day()+add, 0, 0, 0, 0, zone)
}
