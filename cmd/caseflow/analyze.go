package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/pflag"
	"golang.org/x/term"
	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/spill"
	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report"
	"github.com/caseflow/caseflow/report/html"
)

// sampleLog is a small contact-centre log made by `caseflow generate` (the
// command is in sample/README.md), so that `caseflow analyze` shows
// something on any machine.
//
//go:embed sample/contact-centre.csv.gz
var sampleLog []byte

// samplePath is the name the embedded sample goes by in reports.
const samplePath = "sample:contact-centre.csv"

// exitBreach is analyze's exit code when a --fail-on rule is breached, so
// that a scheduler can alert.
const exitBreach = 3

// keyEnv names the environment variable holding the pseudonymisation key.
const keyEnv = "CASEFLOW_KEY"

const analyzeUsage = `usage: caseflow analyze [flags] [FILE...]

Reads the event log(s) and reports where cases bounce between departments
(ping-pong), where they wait at department borders (silos), and which take
too long. Without FILE it analyses a small contact-centre log built into
caseflow. FILE may be CSV, XES, Parquet or Arrow IPC, gzip or zstd compressed; - reads standard
input.

The report goes to standard output as text (plain unless it is a terminal)
or JSON (schema caseflow.report/v1, docs/report.schema.json). --out DIR also
writes report.json, report.txt, CSV tables, and the process map and
handoff graph as DOT and SVG, replacing the previous report only once all
files are complete. docs/report.md describes every file and field.

Resources (agents) are shown as stable pseudonyms, keyed by $CASEFLOW_KEY
or the config file's [privacy] key; without one, a random key is made on
first use in caseflow/key in your configuration folder (only you can read
it) and kept for later runs. --reveal-resources shows the names.

A TOML file given with --config holds any of these flags for scheduled
runs (flags on the command line win); see docs/report.md.

--memory SIZE bounds the memory the run holds (default: GOMEMLIMIT when
set, else 3/4 of the machine's memory, the cgroup limit when there is
one): a log that needs more is analysed out of core, its large data in
temporary files in --tmp DIR (default the system's temporary folder),
with the same results, more slowly; only a run whose heap alone cannot
fit stops, with exit 1 and a message saying so. docs/reading.md says how.

Exit status: 0 done; 1 the input could not be read or analysed, or the
run's heap alone needs more memory than --memory allows; 2 wrong flags
or config, or a --tmp folder that cannot take files; 3 a --fail-on rule is breached (the report is written);
4 --fail-on-drift: a metric got significantly worse than in the earlier
runs of the --history folder (the report and the run are written; 3 wins
when both apply).

Flags:
`

// analyzeFlags are analyze's flags beyond the read flags.
type analyzeFlags struct {
	format, out, config   string
	html                  string
	args                  []string // the command line, shown in the HTML report
	top                   int
	mapDetail             int
	quiet, reveal, help   bool
	pseudonymiseCases     bool
	failOn                []string
	level, from, to, by   string
	minSupport            int
	fdr, minRatio         float64
	minShift              time.Duration
	sla                   time.Duration
	slaBy                 string
	slaFor                []string
	longQuantile          float64
	seed                  uint64
	customer, reason      string
	unidentified, chasers []string
	repeatWindow          time.Duration
	workingTime           bool
	calendar              calendarConfig // the config file's [calendar]
	cost                  costFlags
	rules                 []report.Rule
	dir                   *report.Dir // --out, locked
	prof                  profileFlags
	hist                  historyFlags // --history and its comparisons
	filter                filterFlags  // --since, --until, --window, --where
	mining                mining.Options
	colorOut, progressErr bool
	lang                  string       // --lang, the language of the text and HTML reports
	langTag               language.Tag // lang, checked
}

func (a *analyzeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&a.format, "format", "text", "report on standard output: text or json")
	fs.StringVar(&a.out, "out", "", "also write the report's files, report.html among them, into this folder (created if needed)")
	fs.StringVar(&a.html, "html", "", "also write the self-contained HTML report to this file")
	fs.StringVar(&a.config, "config", "", "read flags from this TOML file; flags given here win")
	fs.StringArrayVar(&a.failOn, "fail-on", nil, "exit 3 when a rule on the JSON report holds, e.g. 'pingpong.case_rate>0.05' (repeatable)")
	fs.BoolVarP(&a.quiet, "quiet", "q", false, "no progress or notes on standard error")
	fs.BoolVar(&a.reveal, "reveal-resources", false, "show resource names instead of pseudonyms")
	fs.BoolVar(&a.pseudonymiseCases, "pseudonymise-cases", false, "show case ids as pseudonyms in every output, for reports that leave the organisation")
	fs.IntVar(&a.top, "top", report.DefaultTop, "entries per list in the JSON report (the CSV files hold all)")
	fs.StringVar(&a.lang, "lang", "en", "language of the text report and the HTML page: en or nl (JSON keys and CSV headers stay English)")
	fs.IntVar(&a.mapDetail, "map-detail", report.DefaultMapDetail, fmt.Sprintf("transitions the exported process map draws: the main variant's, then the most frequent (1 to %d)", report.MaxGraphEdges))
	fs.StringVar(&a.level, "level", string(mining.Department), "units cases move between: department or resource")
	fs.IntVar(&a.minSupport, "min-support", mining.DefaultMinSupport, "handoffs each group of a silo test needs (and communities need)")
	fs.Float64Var(&a.fdr, "fdr", mining.DefaultFDR, "false discovery rate over all silo tests")
	fs.Float64Var(&a.minRatio, "min-ratio", mining.DefaultMinRatio, "a silo's median wait over the median it is compared with, at least")
	fs.DurationVar(&a.minShift, "min-shift", mining.DefaultMinShift, "a silo's waits are longer by at least this (Hodges–Lehmann shift)")
	fs.StringVar(&a.from, "from", "", "lead time starts at the case's first event with this activity (default: its first event)")
	fs.StringVar(&a.to, "to", "", "lead time ends at the case's last event with this activity (default: its last event)")
	fs.Var(spanValue{&a.sla}, "sla", "a case is long when its lead time exceeds this, e.g. 5d, 1.5d, 36h (default: above the P90 of lead times)")
	fs.StringVar(&a.slaBy, "sla-by", "", "attribute column whose values have their own SLA, given with --sla-for (--sla for the others)")
	fs.StringArrayVar(&a.slaFor, "sla-for", nil, "the SLA of one value of --sla-by, e.g. 'P1 - Critical=4h' (repeatable)")
	fs.Float64Var(&a.longQuantile, "long-quantile", mining.DefaultLongQuantile, "without an SLA, a case is long above this quantile of lead times")
	fs.StringVar(&a.by, "by", "", "attribute column whose values get their own P90 (their own service level)")
	fs.Uint64Var(&a.seed, "seed", 0, "seed of the community search")
	fs.StringVar(&a.customer, "customer", "", "column holding the customer id, for repeat contacts and first-contact resolution; guessed from the header when empty")
	fs.StringVar(&a.reason, "reason", "", "column holding the contact reason, for same-reason repeats, chasers and inflow spikes; guessed from the header when empty")
	fs.StringSliceVar(&a.unidentified, "unidentified", nil, "values of --customer that mean an unidentified customer, e.g. 0 (empty always does)")
	fs.Var(spanValue{&a.repeatWindow}, "repeat-window", "a contact is repeated when its customer comes back within this of its end (default 7d; 1d and 30d are reported too)")
	fs.StringArrayVar(&a.chasers, "chaser", nil, "a reason that is failure demand by itself, such as a status question (repeatable)")
	fs.BoolVar(&a.workingTime, "working-time", false, "measure lead times, waits, stays and SLAs in working time, by the --config file's [calendar]")
	fs.BoolVarP(&a.help, "help", "h", false, "show this help")
	a.cost.register(fs)
	a.prof.register(fs)
	a.hist.register(fs)
	a.filter.register(fs)
}

func checkLevel(s string) error {
	if s != string(mining.Department) && s != string(mining.Resource) {
		return fmt.Errorf("level %q: want %s or %s", s, mining.Department, mining.Resource)
	}
	return nil
}

func checkFormat(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("format %q: want text or json", s)
	}
	return nil
}

// check validates what can be checked before reading: the rules, the
// choices and the ranges mining cannot see until it has a log.
func (a *analyzeFlags) check() error {
	if err := checkFormat(a.format); err != nil {
		return fmt.Errorf("--%w", err)
	}
	if err := checkLevel(a.level); err != nil {
		return fmt.Errorf("--%w", err)
	}
	if a.top < 1 {
		return fmt.Errorf("--top %d: want at least 1", a.top)
	}
	tag, langErr := report.ParseLang(a.lang)
	if langErr != nil {
		return fmt.Errorf("--lang: %w", langErr)
	}
	a.langTag = tag
	if a.mapDetail < 1 || a.mapDetail > report.MaxGraphEdges {
		return fmt.Errorf("--map-detail %d: want a number of transitions from 1 to %d", a.mapDetail, report.MaxGraphEdges)
	}
	if err := a.filter.check(); err != nil {
		return err
	}
	for _, s := range a.failOn {
		r, err := report.ParseRule(s)
		if err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
		a.rules = append(a.rules, r)
	}
	a.mining = mining.Options{Level: mining.Level(a.level), MinSupport: a.minSupport, FDR: a.fdr, MinRatio: a.minRatio,
		MinShift: a.minShift, From: a.from, To: a.to, SLA: a.sla, LongQuantile: a.longQuantile, By: a.by, Seed: a.seed,
		Customer: a.customer, Reason: a.reason, Unidentified: a.unidentified, RepeatWindow: a.repeatWindow, Chasers: a.chasers}
	if a.workingTime {
		if err := a.calendar.options(&a.mining); err != nil {
			return err
		}
	}
	var err error
	if a.mining.Cost, err = a.cost.rates(); err != nil {
		return err
	}
	if err := a.hist.check(); err != nil {
		return err
	}
	a.mining.BoundaryWaits = a.hist.path != "" // the history compares the waits at each border
	a.hist.lang = a.langTag
	return a.checkSLAs()
}

// checkSLAs turns --sla-by and --sla-for into the SLAs of mining.Options.
// --sla-by names the column --by would: both choose the strata of the
// long-case rule, with SLAs or with quantiles of their own.
func (a *analyzeFlags) checkSLAs() error {
	switch {
	case a.slaBy == "" && len(a.slaFor) > 0:
		return fmt.Errorf("--sla-for %q: name the column whose values these are with --sla-by", a.slaFor[0])
	case a.slaBy == "":
		return nil
	case a.by != "" && a.by != a.slaBy:
		return fmt.Errorf("--by %q and --sla-by %q: long cases are judged within one column; give one of them", a.by, a.slaBy)
	case len(a.slaFor) == 0 && a.sla == 0:
		return fmt.Errorf("--sla-by %q: give the SLA of each value with --sla-for VALUE=DURATION (or [mining.sla-for] in the config), and --sla for the others", a.slaBy)
	}
	a.mining.By = a.slaBy
	a.mining.SLAs = map[string]time.Duration{}
	for _, s := range a.slaFor {
		i := strings.LastIndex(s, "=")
		if i < 0 {
			return fmt.Errorf("--sla-for %q: write VALUE=DURATION, e.g. 'P1 - Critical=4h'", s)
		}
		d, err := parseSpan(strings.TrimSpace(s[i+1:]))
		if err == nil && d <= 0 {
			err = fmt.Errorf("%s is not a positive duration", s[i+1:])
		}
		if err != nil {
			return fmt.Errorf("--sla-for %q: %w", s, err)
		}
		v := strings.TrimSpace(s[:i])
		if _, dup := a.mining.SLAs[v]; dup {
			return fmt.Errorf("--sla-for %q: %q has an SLA already", s, v)
		}
		a.mining.SLAs[v] = d
	}
	return nil
}

func runAnalyze(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rf readFlags
	rf.register(fs)
	var a analyzeFlags
	a.register(fs)
	a.args = append([]string{"caseflow", "analyze"}, args...)
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "analyze", err)
	}
	if a.help {
		fmt.Fprint(stdout, analyzeUsage+flagUsages(fs))
		return exitOK
	}
	paths := fs.Args()
	a.args = shownArgs(a.args, paths, a.out, a.html, a.config, rf.rejects, rf.tmp, a.prof.cpu, a.prof.mem, a.hist.path)
	key := []byte(os.Getenv(keyEnv))
	if a.config != "" {
		c, err := loadConfig(a.config)
		if err == nil {
			rf.tmpConfig = c.tmpFrom(fs)
			err = c.apply(fs)
		}
		if err != nil {
			return usageError(stderr, "analyze", err)
		}
		if len(paths) == 0 {
			if paths, err = c.inputs(fs, &rf); err != nil {
				return usageError(stderr, "analyze", err)
			}
		}
		if len(key) == 0 && c.Privacy.Key != nil {
			key = []byte(*c.Privacy.Key)
		}
		a.calendar = c.Calendar
	}
	if err := a.check(); err != nil {
		return usageError(stderr, "analyze", err)
	}
	if len(key) == 0 && a.pseudonymises() {
		key = userKey(stderr, a.quiet)
	}
	if a.out != "" {
		// Locked before the work, so a second run is told at once.
		d, err := report.OpenDir(a.out)
		if err != nil {
			fmt.Fprintf(stderr, "caseflow: --out: %v\n", err)
			return exitData
		}
		defer d.Close()
		a.dir = d
	}
	if err := a.hist.open(); err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	if len(paths) == 0 {
		paths = []string{samplePath}
		rf.open = openSample
	}
	a.colorOut = isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	a.progressErr = !a.quiet && isTerminal(stderr)
	rf.run = &runState{sinceUntil: true}
	rf.quiet = a.quiet
	return rf.guarded(paths, stdin, stdout, stderr, func(stdin io.Reader, stdout, stderr io.Writer) int {
		return analyze(paths, &rf, &a, key, stdin, stdout, stderr)
	})
}

func analyze(paths []string, rf *readFlags, a *analyzeFlags, key []byte, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if err := a.prof.start(); err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	defer func() {
		if err := a.prof.stop(); err != nil && code == exitOK {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
			code = exitData
		}
	}()
	if a.progressErr {
		p := newProgress(stderr, rf.run)
		defer p.stop()
		stderr = stopFirst{p, stderr}
	}
	res, code := load(paths, rf, stdin, stderr)
	if code != exitOK {
		return code
	}
	defer res.Release()
	if a.pseudonymiseCases {
		if err := pseudonymiseCases(res, key); err != nil {
			fmt.Fprintf(stderr, "caseflow: --pseudonymise-cases: %v\n", err)
			return exitData
		}
	}
	// What reading needed besides the log (id dictionaries, chunk buffers,
	// per-chunk builders) is garbage now. Collecting it here lets mining
	// reuse that memory; left to the collector's pace, mining would grow
	// the heap instead and raise the peak by about as much.
	runtime.GC()
	zone, zoneName := rf.displayZone(res.Inputs)
	cut, err := a.filter.apply(res, zone, zoneName, stderr, a.quiet)
	if err != nil {
		return loadFailed(err, stderr)
	}
	s := summarize(res, zone, zoneName)

	stage(stderr, english.Sprintf("analysing %d cases", s.Cases))
	a.mining.Workers, a.mining.Memory = rf.workers, rf.spill
	a.mining.Zone = zone
	a.guessJourneys(res.Log, stderr)
	a.mining.Resolution = s.resolution
	a.dropUnread(res)
	rf.run.enter(phaseMining, s.Events)
	f, err := mining.Analyze(res.Log, a.mining)
	if errors.Is(err, mining.ErrOption) {
		return usageError(stderr, "analyze", err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	if err := a.prof.heap(); err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	rf.run.enter(phaseWriting, s.Events)
	rep, err := report.New(f, sourcesInput(filtered(input(s), cut), res.Sources), report.Options{Top: a.top, MapDetail: a.mapDetail, Reveal: a.reveal, Key: key, Version: buildVersion()})
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	a.hist.compare(rep, s, rf)
	var page report.Output
	if a.out != "" || a.html != "" {
		// The page is the last reader of the log's events, so it is made
		// first, in memory (its size is bounded: see html.MaxRows); the
		// other files read only the findings, and the case names.
		var buf bytes.Buffer
		if err := html.Write(&buf, f, a.htmlInput(res, s, key)); err != nil {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
			return exitData
		}
		page = writingPage(report.Output{Name: "report.html", Write: func(w io.Writer) error {
			_, err := w.Write(buf.Bytes())
			return err
		}})
	}
	// Dropped, not released: the findings name their cases from its case
	// dictionary (mining.Findings.CaseID) while the files are written.
	res.Log = nil
	if a.out != "" {
		stage(stderr, "writing the report to "+a.out)
		if err := a.dir.Write(append(rep.Outputs(), page)); err != nil {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
			return exitData
		}
	}
	if a.html != "" {
		stage(stderr, "writing "+a.html)
		if err := report.WriteFile(a.html, page); err != nil {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
			return exitData
		}
	}
	if sf, ok := stderr.(stopFirst); ok {
		sf.p.stop()
	}
	if a.format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout, report.Style{Color: a.colorOut, Lang: a.langTag})

	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: writing the report: %v\n", err)
		return exitData
	}
	a.notes(s, key, stderr)
	if err := a.hist.save(); err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	drift := a.hist.alert(stderr) // said even when a breached rule wins
	if code = a.alert(rep, stderr); code == exitOK {
		code = drift
	}
	return code
}

// dropUnread takes out of the log, before mining, every column that
// neither mining nor the HTML page made after it reads (the other files
// are written from the findings): the case column, as both take the cases
// from the log's offsets and case ids (eventlog.Log.Keep); the row and
// file columns, which only reading, the filters and the summary read; the
// agents at the department level; attributes no option names. What each
// reads is listed next to its code, mining.Options.Columns and
// html.Columns, and tested against it (TestColumns there). On the
// 1M-case log mining runs without the case, row, file and agent columns'
// 74 MB.
func (a *analyzeFlags) dropUnread(res *ingest.Result) {
	keep := a.mining.Columns()
	if a.out != "" || a.html != "" {
		keep = append(keep, html.Columns(a.mining)...)
	}
	l := res.Log.Keep(keep)
	res.Log.Release()
	res.Log = l
}

// notes warns about what would make the report misleading or less private
// than it looks; --quiet silences them.
func (a *analyzeFlags) notes(s summary, key []byte, stderr io.Writer) {
	if a.quiet {
		return
	}
	if a.pseudonymises() && len(key) == 0 {
		fmt.Fprintf(stderr, "caseflow: warning: resources are pseudonymised with caseflow's public default key, which anyone can undo by hashing candidate names; set %s or [privacy] key in the --config file\n", keyEnv)
	}
	readingNotes(s.Inputs, stderr)
	switch {
	case s.Events == 0:
	case a.level == string(mining.Department) && s.Departments == 0:
		fmt.Fprintln(stderr, "caseflow: note: no event has a department, so there are no handoffs, ping-pong or silos; name the column with --department COLUMN"+deptCandidates(s.Inputs))
	case a.level == string(mining.Resource) && s.Resources == 0:
		fmt.Fprintln(stderr, "caseflow: note: no event has a resource, so there are no handoffs, ping-pong or silos; name the column with --resource COLUMN")
	}
}

// alert checks the --fail-on rules on the report as written.
func (a *analyzeFlags) alert(rep *report.Report, stderr io.Writer) int {
	code := exitOK
	for _, r := range a.rules {
		breached, v, found := rep.Check(r)
		switch {
		case breached:
			fmt.Fprintf(stderr, "caseflow: --fail-on %s breached: %s is %v\n", r, r.Path, v)
			code = exitBreach
		case !found && !a.quiet:
			fmt.Fprintf(stderr, "caseflow: note: --fail-on %s: the report has no %s (the list is shorter, or the figure was not computed), so it holds\n", r, r.Path)
		}
	}
	return code
}

// htmlInput is what the HTML page says about the input and the run. At the
// resource level it shows pseudonyms, as every other output does.
func (a *analyzeFlags) htmlInput(res *ingest.Result, s summary, key []byte) html.Input {
	in := html.Input{Log: res.Log, Rows: res.Rows, Rejected: res.Rejected, Args: a.args, Version: buildVersion(), Sources: htmlSources(res.Sources), Lang: a.langTag,
		// The page is written after mining: what went to files went.
		OutOfCore: a.mining.Memory.Stats().Peak > 0}
	for _, f := range res.Inputs {
		in.Files = append(in.Files, html.File{Name: shownName(f.File), Format: f.Format, Rows: f.Rows, Rejected: f.Rejected})
	}
	for _, r := range s.Rejects {
		r.File = shownName(r.File)
		in.Rejects = append(in.Rejects, r.String())
	}
	in.From, in.To, in.Zone = s.from, s.to, s.Zone
	a.hist.page(&in)
	if a.mining.Level == mining.Resource && !a.reveal {
		in.Unit = func(name string) string { return report.Pseudonym(key, name) }
	}
	return in
}

// input is what the report says about the input.
func input(s summary) report.Input {
	in := report.Input{Rows: s.Rows, Rejected: s.Rejected, Excluded: ingest.Excluded(s.Inputs), Events: s.Events, Cases: s.Cases,
		Activities: s.Activities, Departments: s.Departments, Resources: s.Resources}
	for _, f := range s.Inputs {
		in.Files = append(in.Files, report.File{Name: shownName(f.File), Format: f.Format, Rows: f.Rows, Rejected: f.Rejected})
	}
	in.From, in.To, in.Zone, in.Resolution = s.from, s.to, s.Zone, s.resolution
	return in
}

func openSample(path string) (io.ReadCloser, error) {
	if path != samplePath {
		return nil, fmt.Errorf("open %s: only the built-in sample is available here", path)
	}
	return io.NopCloser(bytes.NewReader(sampleLog)), nil
}

// isTerminal: w is a file (or main's gated stream of one) on a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows on a terminal what a run longer than progressAfter is
// doing: the bytes read and the rate, building the log, then the stage;
// out of core also the bytes held in temporary files. It writes to
// standard error only, never to a report.
type progress struct {
	w     io.Writer
	read  *atomic.Int64 // the run's (runState.read)
	spill *spill.Memory // the run's out of core; nil in memory
	total int64
	begin time.Time
	mu    sync.Mutex
	name  string // the stage after reading; "" while reading
	quit  chan struct{}
	done  sync.WaitGroup
	once  sync.Once
}

// newProgress starts showing progress from the run's counts (guarded
// counts the bytes the read flags' opener and stdin deliver).
func newProgress(w io.Writer, run *runState) *progress {
	p := &progress{w: w, read: &run.read, spill: run.outOfCore.mem(), total: run.size, begin: time.Now(), quit: make(chan struct{})}
	p.done.Add(1)
	go p.run()
	return p
}

// inputSizes are the bytes of the files named on the command line as
// stored (the built-in sample's too): 0 for one it cannot see (reading
// says what is wrong with it), -1 for standard input, whose size is not
// known.
func inputSizes(paths []string) []int64 {
	sizes := make([]int64, len(paths))
	for i, path := range paths {
		if st, err := os.Stat(path); err == nil {
			sizes[i] = st.Size()
		} else if path == samplePath {
			sizes[i] = int64(len(sampleLog))
		} else if path == "-" {
			sizes[i] = -1
		}
	}
	return sizes
}

// inputSize is the sum of sizes, standard input's counting 0.
func inputSize(sizes []int64) int64 {
	var n int64
	for _, size := range sizes {
		n += max(size, 0)
	}
	return n
}

func (p *progress) run() {
	defer p.done.Done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.quit:
			fmt.Fprint(p.w, "\r\x1b[K")
			return
		case <-tick.C:
			// A run of a few seconds is over before a line would help.
			if time.Since(p.begin) >= progressAfter {
				fmt.Fprint(p.w, "\r\x1b[K"+p.line())
			}
		}
	}
}

func (p *progress) line() string {
	p.mu.Lock()
	name := p.name
	p.mu.Unlock()
	held := ""
	if p.spill != nil {
		held = ", " + mb(p.spill.Stats().Mapped) + " in temporary files"
	}
	if name != "" {
		return "caseflow: " + name + held + " …"
	}
	n := p.read.Load()
	if p.total > 0 && n >= p.total {
		// Read to the end: the chunks in flight are parsed and merged,
		// and the events grouped into the log.
		return "caseflow: building the event log from " + mb(n) + held + " …"
	}
	rate := float64(n) / max(time.Since(p.begin).Seconds(), 1e-3)
	s := "caseflow: reading " + mb(n)
	if p.total > 0 {
		s += english.Sprintf(" of %s (%.0f %%)", mb(p.total), 100*float64(n)/float64(p.total))
	}
	return s + ", " + mb(int64(rate)) + "/s" + held
}

// progressAfter is how long a run goes before progress shows.
const progressAfter = 2 * time.Second

func mb(n int64) string { return english.Sprintf("%.1f MB", float64(n)/1e6) }

func (p *progress) stage(name string) {
	p.mu.Lock()
	p.name = name
	p.mu.Unlock()
}

// stop ends the display and clears its line; it may be called again.
func (p *progress) stop() {
	p.once.Do(func() {
		close(p.quit)
		p.done.Wait()
	})
}

// stopFirst is standard error while progress shows: anything written to
// it ends the progress display first, so messages never share its line.
type stopFirst struct {
	p *progress
	w io.Writer
}

func (s stopFirst) Write(b []byte) (int, error) {
	s.p.stop()
	return s.w.Write(b)
}

// stage names the stage on the progress line, if one is shown on w.
func stage(w io.Writer, name string) {
	if sf, ok := w.(stopFirst); ok {
		sf.p.stage(name)
	}
}

// countReads makes the read flags' opener and stdin count the bytes
// they deliver into n.
func countReads(rf *readFlags, stdin *io.Reader, n *atomic.Int64) {
	open := rf.open
	if open == nil {
		open = func(path string) (io.ReadCloser, error) { return os.Open(path) }
	}
	rf.open = func(path string) (io.ReadCloser, error) {
		f, err := open(path)
		if err != nil {
			return nil, err
		}
		return countingFile{f, n}, nil
	}
	*stdin = countingReader{*stdin, n}
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// countingFile counts what a file delivers and still lets the reader ask
// for its size.
type countingFile struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c countingFile) Read(b []byte) (int, error) {
	n, err := c.ReadCloser.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// ReadAt and Seek let Parquet and Arrow IPC files be read in place, as
// without counting, when the file can (seekable in ingest).
func (c countingFile) ReadAt(b []byte, off int64) (int, error) {
	ra, ok := c.ReadCloser.(io.ReaderAt)
	if !ok {
		return 0, errors.ErrUnsupported
	}
	n, err := ra.ReadAt(b, off)
	c.n.Add(int64(n))
	return n, err
}

func (c countingFile) Seek(off int64, whence int) (int64, error) {
	if s, ok := c.ReadCloser.(io.Seeker); ok {
		return s.Seek(off, whence)
	}
	return 0, errors.ErrUnsupported
}

func (c countingFile) Stat() (os.FileInfo, error) {
	if s, ok := c.ReadCloser.(interface{ Stat() (os.FileInfo, error) }); ok {
		return s.Stat()
	}
	return nil, errors.ErrUnsupported
}

// guessJourneys fills the customer and reason columns of the journey
// figures from the log's attribute columns when no flag names them, and
// says what it took on a terminal (the report names the columns too).
func (a *analyzeFlags) guessJourneys(l *eventlog.Log, stderr io.Writer) {
	if a.mining.Customer != "" && a.mining.Reason != "" {
		return
	}
	var names []string // string columns: the journeys read no others
	for _, f := range l.Record().Schema().Fields() {
		if d, ok := f.Type.(*arrow.DictionaryType); ok && arrow.TypeEqual(d.ValueType, arrow.BinaryTypes.String) {
			names = append(names, f.Name)
		}
	}
	customer, reason := mining.JourneyColumns(names)
	if a.mining.Customer == "" && customer != "" {
		a.mining.Customer = customer
		if a.progressErr {
			fmt.Fprintf(stderr, "caseflow: customer column %q guessed from its name (--customer names another)\n", customer)
		}
	}
	if a.mining.Customer != "" && a.mining.Reason == "" && reason != "" {
		a.mining.Reason = reason
		if a.progressErr {
			fmt.Fprintf(stderr, "caseflow: reason column %q guessed from its name (--reason names another)\n", reason)
		}
	}
}

// pseudonymises reports whether the reports show pseudonyms, which need a
// key: resources at the resource level unless revealed, and case ids with
// --pseudonymise-cases.
func (a *analyzeFlags) pseudonymises() bool {
	return a.level == string(mining.Resource) && !a.reveal || a.pseudonymiseCases
}
