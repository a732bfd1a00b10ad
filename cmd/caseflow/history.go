package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/history"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/report"
	"github.com/caseflow/caseflow/report/html"
)

// exitDrift is analyze's exit code when --fail-on-drift finds a metric
// significantly worse than in earlier runs; a breached --fail-on rule (3)
// takes precedence.
const exitDrift = 4

// maxTrends is the most trend charts on the page.
const maxTrends = 12

// historyFlags are analyze's flags of the history, and what it found.
type historyFlags struct {
	path        string
	compareLast int
	failOnDrift string
	driftFDR    float64
	drift       []string // the metrics --fail-on-drift names; nil is all
	store       *history.Store
	run         history.Run
	cmp         history.Comparison
	lines       []html.Change // the significant changes in words, for the page
	lang        language.Tag  // --lang: the page's words
}

func (h *historyFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&h.path, "history", "", "keep this run's headline figures in this history folder (Parquet files) and compare them with earlier runs")
	fs.IntVar(&h.compareLast, "compare-last", history.DefaultK, "besides the previous run, compare with this many earlier runs pooled")
	fs.StringVar(&h.failOnDrift, "fail-on-drift", "", "exit 4 when a metric got significantly worse than in earlier runs: all, or a list such as 'pingpong.case_rate,lead_time.p90_s' (needs --history)")
	fs.Float64Var(&h.driftFDR, "drift-fdr", history.DefaultFDR, "false discovery rate over all comparisons with earlier runs")
}

// driftNames are the metric names --fail-on-drift accepts, besides
// prefixes of them and pairs' and boundaries' own names.
var driftNames = []string{report.MetricPingPong, report.MetricClosing, "pingpong.pair", report.MetricMedian,
	report.MetricP90, report.MetricLong, report.MetricFCR, report.MetricAbandon}

// check validates the flags and opens the store, so that a bad store stops
// the run before the work.
func (h *historyFlags) check() error {
	if h.compareLast < 1 {
		return fmt.Errorf("--compare-last %d: want at least 1 run", h.compareLast)
	}
	if h.driftFDR <= 0 || h.driftFDR >= 1 {
		return fmt.Errorf("--drift-fdr %v: want a rate between 0 and 1, such as %v", h.driftFDR, history.DefaultFDR)
	}
	if h.failOnDrift != "" && h.path == "" {
		return fmt.Errorf("--fail-on-drift: compares with earlier runs, so it needs --history FOLDER")
	}
	if h.failOnDrift != "" && h.failOnDrift != "all" {
		for _, n := range strings.Split(h.failOnDrift, ",") {
			n = strings.TrimSpace(n)
			known := strings.HasPrefix(n, "pingpong.pair[") || slices.ContainsFunc(driftNames, func(m string) bool {
				return history.Matches(m, []string{n})
			})
			if !known {
				return fmt.Errorf("--fail-on-drift: no metric %q; name all, or some of %s (a prefix such as lead_time names all its metrics)", n, strings.Join(driftNames, ", "))
			}
			h.drift = append(h.drift, n)
		}
	}
	return nil
}

// open reads the store, when one is asked for.
func (h *historyFlags) open() error {
	if h.path == "" {
		return nil
	}
	s, err := history.Open(h.path, nil)
	if err != nil {
		return fmt.Errorf("--history: %w", err)
	}
	h.store = s
	return nil
}

// compare makes this run's record and compares it with the stored runs;
// the report gets the comparison.
func (h *historyFlags) compare(rep *report.Report, s summary, rf *readFlags) {
	if h.store == nil {
		return
	}
	h.run = history.Run{Time: time.Now().UTC(), Version: buildVersion(), Inputs: fingerprint(s.Inputs),
		OptionsHash: optionsHash(rep, rf), From: s.from.UTC(), To: s.to.UTC(), Metrics: rep.Metrics()}
	if s.from.IsZero() {
		h.run.From, h.run.To = time.Time{}, time.Time{}
	}
	h.cmp = history.Compare(h.store.Runs(), &h.run, h.compareLast, h.driftFDR)
	h.cmp.Mark(&h.run)
	rep.SetSince(&h.cmp, len(h.store.Runs()))
	for _, l := range rep.SinceLines(h.lang) {
		h.lines = append(h.lines, html.Change{Text: l.Text, Worse: l.Worse})
	}
}

// save adds this run to the store.
func (h *historyFlags) save() error {
	if h.store == nil {
		return nil
	}
	if err := h.store.Append(&h.run); err != nil {
		return fmt.Errorf("--history %s: %w", h.path, err)
	}
	return nil
}

// alert says which metrics drifted and returns exitDrift when
// --fail-on-drift names one of them.
func (h *historyFlags) alert(stderr io.Writer) int {
	if h.failOnDrift == "" {
		return exitOK
	}
	d := h.cmp.Drift(h.drift)
	for _, ch := range d {
		against := "the previous run"
		if ch.Pooled {
			against = fmt.Sprintf("the last %d runs", ch.Runs)
		}
		fmt.Fprintf(stderr, "caseflow: --fail-on-drift: %s got worse against %s (p adjusted %.2g)\n", ch.Metric, against, ch.PAdjusted)
	}
	if len(d) > 0 {
		return exitDrift
	}
	return exitOK
}

// fingerprint names the input files without their folders, with sizes
// and rows.
func fingerprint(inputs []ingest.Input) []history.Input {
	out := make([]history.Input, 0, len(inputs))
	for _, in := range inputs {
		f := history.Input{Name: filepath.Base(in.File), Rows: in.Rows}
		if st, err := os.Stat(in.File); err == nil {
			f.Size = st.Size()
		} else if in.File == samplePath {
			f.Size = int64(len(sampleLog))
		}
		out = append(out, f)
	}
	return out
}

// optionsHash hashes what changes the figures: the report's options and
// how the input was read (columns, formats, zone, shape).
func optionsHash(rep *report.Report, rf *readFlags) string {
	read, _ := json.Marshal([]any{rf.cases, rf.activity, rf.time, rf.start, rf.dept, rf.res, rf.chn, rf.timeFormat,
		rf.timezone, rf.encoding, rf.delimiter, rf.missing, rf.shape, rf.sheet, rf.audit})
	sum := sha256.Sum256(append(append(rep.OptionsKey(), '\n'), read...))
	return hex.EncodeToString(sum[:8])
}

// page gives the HTML page the trends and the significant changes, as
// the text report says them.
func (h *historyFlags) page(in *html.Input) {
	in.Trends = h.trends()
	in.Changes = h.lines
}

// trends are the page's charts: every headline metric, then the pairs and
// boundaries that changed significantly in this run, over the stored runs
// with this run's options, and this run.
func (h *historyFlags) trends() []html.Trend {
	if h.store == nil {
		return nil
	}
	var runs []*history.Run
	for i, r := range h.store.Runs() {
		if r.OptionsHash == h.run.OptionsHash {
			runs = append(runs, &h.store.Runs()[i])
		}
	}
	runs = append(runs, &h.run)
	var out []html.Trend
	for _, m := range h.run.Metrics {
		if strings.Contains(m.Name, "[") && !m.Changed || len(out) == maxTrends {
			continue
		}
		t := html.Trend{Name: m.Name, Label: report.DescribeIn(h.lang, m.Name), Share: m.Kind == history.Rate}
		for _, r := range runs {
			if o := r.Metric(m.Name); o != nil {
				t.Points = append(t.Points, html.TrendPoint{Run: r.ID, Time: r.Time, Value: o.Value, Changed: o.Changed, Worse: o.Worse})
			}
		}
		// This run by name, without its time: the page must not depend on the clock.
		t.Points[len(t.Points)-1].Run, t.Points[len(t.Points)-1].Time = "this run", time.Time{}
		out = append(out, t)
	}
	return out
}

const historyUsage = `usage: caseflow history [flags] FOLDER

Lists the runs kept in a history folder (caseflow analyze --history FOLDER),
one line each, oldest first: run, time, caseflow version, options hash,
inputs, and the metrics that got significantly worse in that run; or, with
--metric, one metric's value in each run.

The folder holds one Parquet file per run (one row per metric), which any
Parquet reader can query, e.g. DuckDB: SELECT * FROM 'FOLDER/*.parquet'.

Flags:
`

func runHistory(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("history", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	metric := fs.String("metric", "", "print this metric's value in each run, e.g. pingpong.case_rate")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "history", err)
	}
	if *help {
		fmt.Fprint(stdout, historyUsage+flagUsages(fs))
		return exitOK
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "history", fmt.Errorf("name one history folder"))
	}
	dir := fs.Arg(0)
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(stderr, "caseflow history: %v\n", err)
		return exitData
	}
	s, err := history.Open(dir, nil)
	if err != nil {
		fmt.Fprintf(stderr, "caseflow history: %v\n", err)
		return exitData
	}
	if len(s.Runs()) == 0 {
		fmt.Fprintf(stderr, "caseflow history: %s holds no runs yet\n", dir)
		return exitOK
	}
	if *metric != "" {
		return series(s.Runs(), *metric, stdout, stderr)
	}
	for _, r := range s.Runs() {
		var ins, worse []string
		for _, in := range r.Inputs {
			ins = append(ins, english.Sprintf("%s (%d bytes, %d rows)", in.Name, in.Size, in.Rows))
		}
		for _, m := range r.Metrics {
			if m.Worse {
				worse = append(worse, m.Name)
			}
		}
		line := fmt.Sprintf("%s  %s  caseflow %s  options %s  %s", r.ID, r.Time.Format("2006-01-02 15:04:05 UTC"), r.Version,
			r.OptionsHash, strings.Join(ins, ", "))
		if len(worse) > 0 {
			line += "  worse: " + strings.Join(worse, ", ")
		}
		fmt.Fprintln(stdout, line)
	}
	return exitOK
}

// series prints one metric of each run that has it: time, value, sample
// size, and whether that run found it changed.
func series(runs []history.Run, name string, stdout, stderr io.Writer) int {
	found := false
	hash := ""
	for _, r := range runs {
		m := r.Metric(name)
		if m == nil {
			continue
		}
		found = true
		mark := ""
		switch {
		case m.Worse:
			mark = "  significantly worse"
		case m.Changed:
			mark = "  significant change"
		}
		if hash != "" && r.OptionsHash != hash {
			mark += "  (other options: not comparable with the run before)"
		}
		hash = r.OptionsHash
		fmt.Fprintln(stdout, english.Sprintf("%s  %s  %s  n=%d%s", r.Time.Format("2006-01-02 15:04:05 UTC"), r.ID,
			report.MetricText(*m), m.N, mark))
	}
	if !found {
		var names []string
		for _, m := range runs[len(runs)-1].Metrics {
			names = append(names, m.Name)
		}
		fmt.Fprintf(stderr, "caseflow history: no run has metric %q; the last run has %s\n", name, strings.Join(names, ", "))
		return exitUsage
	}
	return exitOK
}

// writeNights is generate --nights: the nightly logs of generate.Nights in
// the folder dir. plainOnly is set when --truth or a .gz format was asked
// for, which the nights do not write.
func writeNights(cfg generate.Config, nights, change int, factor float64, dir string, plainOnly bool, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "caseflow generate: %v\nrun 'caseflow generate --help' for usage\n", err)
		return exitUsage
	}
	switch {
	case plainOnly:
		return fail(fmt.Errorf("--nights writes plain .csv or .parquet logs and no truth: drop --truth and .gz"))
	case dir == "-" || dir == "":
		return fail(fmt.Errorf("--nights: name the folder to write the nights into with --out"))
	}
	cfgs, err := generate.Nights(cfg, nights, change, factor)
	if err != nil {
		return fail(err)
	}
	paths, err := generate.WriteNights(cfgs, dir)
	if err != nil {
		fmt.Fprintf(stderr, "caseflow generate: %v\n", err)
		return exitData
	}
	fmt.Fprintf(stderr, "caseflow generate: %d nightly logs of %d cases each in %s (%s to %s)\n", len(paths), cfg.Cases, dir,
		filepath.Base(paths[0]), filepath.Base(paths[len(paths)-1]))
	return exitOK
}
