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
	Inputs      []ingest.Input  `json:"inputs"`
	Rows        int64           `json:"rows"`
	Events      int             `json:"events"`
	Rejected    int64           `json:"rejected"`
	Cases       int             `json:"cases"`
	Activities  int             `json:"activities"`
	Departments int             `json:"departments"`
	Resources   int             `json:"resources"`
	Channels    int             `json:"channels"`
	From        string          `json:"from,omitempty"`
	To          string          `json:"to,omitempty"`
	Rejects     []ingest.Reject `json:"first_rejects"`
	// from and to are the first and last event time, zero for an empty
	// log; From and To are them as printed.
	from, to time.Time
}

func summarize(res *ingest.Result) summary {
	l := res.Log
	s := summary{
		Inputs: res.Inputs, Rows: res.Rows, Events: l.Len(), Rejected: res.Rejected, Cases: l.Cases(),
		Activities:  l.Used(eventlog.Activity),
		Departments: l.Used(eventlog.Department),
		Resources:   l.Used(eventlog.Resource),
		Channels:    l.Used(eventlog.Channel),
		Rejects:     res.Rejects[:min(len(res.Rejects), ingest.ShowRejects)],
	}
	if ts := l.Times(); len(ts) > 0 {
		s.from, s.to = time.UnixMicro(slices.Min(ts)).UTC(), time.UnixMicro(slices.Max(ts)).UTC()
		s.From, s.To = stamp(s.from), stamp(s.to)
	}
	if s.Rejects == nil {
		s.Rejects = []ingest.Reject{}
	}
	return s
}

func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05Z") }

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
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "  timestamps\t%s\n", in.TimeLayout)
		fmt.Fprintf(tw, "  rows\t%s read, %s rejected\n", thousands(in.Rows), thousands(in.Rejected))
		for _, w := range in.Warnings {
			fmt.Fprintf(tw, "  warning\t%s\n", w)
		}
		fmt.Fprintf(tw, "  columns\n")
		for _, c := range in.Columns {
			role := c.Role
			if role == "" {
				role = "attribute"
			}
			line := fmt.Sprintf("    %s\t%s\t%s", c.Name, role, strings.Join(quoteAll(c.Examples), ", "))
			if len(c.Candidates) > 0 {
				line += "\t(other candidates: " + strings.Join(c.Candidates, ", ") + ")"
			}
			fmt.Fprintln(tw, line)
		}
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
		fmt.Fprintf(w, "time span\n  %s to %s (UTC)\n", s.From, s.To)
	}
	if s.Rejected > 0 {
		fmt.Fprintf(w, "rejects%s\n", ingest.FormatRejects(s.Rejects, s.Rejected))
	}
	return nil
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
