package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
)

// summary is what `caseflow inspect` reports: how each file was read and
// what the log holds. Field order is the JSON order.
type summary struct {
	Inputs      []ingest.Input `json:"inputs"`
	Rows        int64          `json:"rows"`
	Events      int            `json:"events"`
	Rejected    int64          `json:"rejected"`
	Cases       int            `json:"cases"`
	Activities  int            `json:"activities"`
	Departments int            `json:"departments"`
	Resources   int            `json:"resources"`
	Channels    int            `json:"channels"`
	From        string         `json:"from,omitempty"`
	To          string         `json:"to,omitempty"`
	// Zone names the zone From and To are shown in (see displayZone).
	Zone    string          `json:"zone"`
	Rejects []ingest.Reject `json:"first_rejects"`
	// from and to are the first and last event time in the zone, zero for
	// an empty log; From and To are them as printed.
	from, to time.Time
	// resolution is the coarsest timestamp step of the inputs: what "the
	// same time" means for the whole log.
	resolution time.Duration
}

// summarize describes the log, with times in zone (named zoneName).
func summarize(res *ingest.Result, zone *time.Location, zoneName string) summary {
	l := res.Log
	s := summary{
		Inputs: res.Inputs, Rows: res.Rows, Events: l.Len(), Rejected: res.Rejected, Cases: l.Cases(),
		Activities:  l.Used(eventlog.Activity),
		Departments: l.Used(eventlog.Department),
		Resources:   l.Used(eventlog.Resource),
		Channels:    l.Used(eventlog.Channel),
		Rejects:     res.Rejects[:min(len(res.Rejects), ingest.ShowRejects)],
		Zone:        zoneName,
	}
	if ts := l.Times(); len(ts) > 0 {
		s.from, s.to = time.UnixMicro(slices.Min(ts)).In(zone), time.UnixMicro(slices.Max(ts)).In(zone)
		s.From, s.To = stamp(s.from), stamp(s.to)
	}
	if s.Rejects == nil {
		s.Rejects = []ingest.Reject{}
	}
	for _, in := range res.Inputs {
		s.resolution = max(s.resolution, in.Resolution)
	}
	return s
}

func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05Z07:00") }

func (s summary) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

func (s summary) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, in := range s.Inputs {
		fmt.Fprintf(tw, "%s\n", in.File)
		fmt.Fprintf(tw, "  read as\t%s, compression %s", in.Format, in.Compression)
		if in.Format == "csv" {
			fmt.Fprintf(tw, ", %s, delimiter %s", in.Encoding, in.Delimiter)
		}
		if in.Shape != "" {
			fmt.Fprintf(tw, ", shape %s (one row per %s)", in.Shape, map[string]string{ingest.ShapeCalls: "call", ingest.ShapeAudit: "change of a field"}[in.Shape])
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "  timestamps\t%s\n", in.TimeLayout)
		if r := resolution(in.Resolution); r != "" {
			fmt.Fprintf(tw, "  resolution\t%s\n", r)
		}
		fmt.Fprintf(tw, "  rows\t%s read, %s rejected\n", thousands(in.Rows), thousands(in.Rejected))
		for _, w := range in.Warnings {
			fmt.Fprintf(tw, "  warning\t%s\n", w)
		}
		for _, n := range in.Notes {
			fmt.Fprintf(tw, "  note\t%s\n", n)
		}
		for _, p := range in.Placeholders {
			fmt.Fprintf(tw, "  missing\t%q in %s: %s read as missing\n", p.Value, p.Column, events(p.Events))
		}
		writeColumns(tw, in)
	}
	tw.Flush()
	fmt.Fprintln(w, "counts")
	for _, kv := range []struct {
		k string
		v int64
	}{
		{"rows read", s.Rows}, {"events", int64(s.Events)}, {"rows rejected", s.Rejected},
		{"cases", int64(s.Cases)}, {"activities", int64(s.Activities)}, {"departments", int64(s.Departments)},
		{"resources", int64(s.Resources)}, {"channels", int64(s.Channels)},
	} {
		fmt.Fprintf(w, "  %-14s %12s\n", kv.k, thousands(kv.v))
	}
	if s.From != "" {
		fmt.Fprintf(w, "time span\n  %s to %s (%s)\n", s.From, s.To, s.Zone)
	}
	if s.Rejected > 0 {
		fmt.Fprintf(w, "rejects%s\n", ingest.FormatRejects(s.Rejects, s.Rejected))
	}
	return nil
}

// writeColumns prints the column table: each column's role (or
// "attribute"), examples, the other candidates for its role and, for
// timestamp columns, how often they change within a case; then the roles
// no column plays, with the flag that sets them.
func writeColumns(tw io.Writer, in ingest.Input) {
	fmt.Fprintf(tw, "  columns\n")
	for _, c := range in.Columns {
		role := c.Role
		if role == "" {
			role = "attribute"
		}
		line := fmt.Sprintf("    %s\t%s\t%s", c.Name, role, strings.Join(quoteAll(c.Examples), ", "))
		var more []string
		if len(c.Candidates) > 0 {
			more = append(more, "other candidates: "+strings.Join(c.Candidates, ", "))
		}
		if c.TimeVaries != nil {
			more = append(more, english.Sprintf("times change within %.0f %% of cases", 100**c.TimeVaries))
		}
		if len(more) > 0 {
			line += "\t(" + strings.Join(more, "; ") + ")"
		}
		fmt.Fprintln(tw, line)
	}
	for _, u := range in.Unfilled {
		line := fmt.Sprintf("    (none)\t%s\tno column found; name one with %s", u.Role, u.Flag)
		if len(u.Candidates) > 0 {
			line += "\t(candidates: " + strings.Join(u.Candidates, ", ") + ")"
		}
		fmt.Fprintln(tw, line)
	}
}

// readingNotes prints, for analyze, the notes on how each file was read
// and the placeholder values read as missing.
func readingNotes(inputs []ingest.Input, w io.Writer) {
	for _, in := range inputs {
		for _, n := range in.Notes {
			fmt.Fprintf(w, "caseflow: note: %s: %s\n", in.File, n)
		}
		if len(in.Placeholders) == 0 {
			continue
		}
		var ps []string
		for _, p := range in.Placeholders {
			ps = append(ps, fmt.Sprintf("%q in %s (%s)", p.Value, p.Column, events(p.Events)))
		}
		fmt.Fprintf(w, "caseflow: note: %s: read as missing: %s; --missing replaces the lists of such values\n", in.File, strings.Join(ps, ", "))
	}
}

// deptCandidates names the columns that could hold the department, for
// the note that there is none.
func deptCandidates(inputs []ingest.Input) string {
	var names []string
	for _, in := range inputs {
		for _, u := range in.Unfilled {
			if u.Role == eventlog.Department {
				for _, c := range u.Candidates {
					if !slices.Contains(names, c) {
						names = append(names, c)
					}
				}
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (candidates: " + strings.Join(names, ", ") + "; first those whose values change within cases)"
}

// events counts events in words: "1 event", "1,936 events".
func events(n int64) string {
	if n == 1 {
		return "1 event"
	}
	return thousands(n) + " events"
}

// resolution says in words how fine the timestamps are.
func resolution(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d == 24*time.Hour:
		return "days (dates without a time of day)"
	case d == time.Minute:
		return "minutes (no seconds)"
	case d == time.Second:
		return "seconds"
	}
	return d.String()
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// thousands formats n with a comma every three digits, as the data
// README and most managers write counts.
func thousands(n int64) string { return english.Sprintf("%d", n) }

var english = message.NewPrinter(language.English)
