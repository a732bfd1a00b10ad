package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
)

const convertUsage = `usage: caseflow convert [flags] IN... OUT

Reads one or more event logs into one log, as every command does (CSV, XES,
Parquet or Arrow IPC, optionally gzip or zstd compressed; - reads standard
input; the format is recognised from the content, whatever the file is
called), and writes it to OUT in the format OUT's extension names:

  .csv .csv.gz          CSV with pm4py's column names (case:concept:name,
                        concept:name, time:timestamp, org:group, …), then
                        the attributes
  .xes .xes.gz          XES (IEEE 1849-2016), for ProM, Disco and pm4py
  .parquet              Parquet (zstd), keeping dictionaries and types
  .arrow .ipc .feather  Arrow IPC file

--output-format names the output format instead; it is needed to write to
standard output (OUT -). --input-format names the expected input format, and
a file in another format is then an error. (They were --to and --from, names
analyze uses for activities; the old names still work, with a warning.) OUT is written to a temporary file that replaces it
only when everything was written, and may not be one of the inputs.

Private by default, as analyze's reports: resource names and customer ids
(the column --customer names, else the one whose name says customer,
klant, client, caller or burger) are written as the pseudonyms analyze
uses ("res-" or "cus-" and 12 hex digits of HMAC-SHA256 under the key of
$CASEFLOW_KEY or the one kept in caseflow/key in your configuration
folder), unless --reveal-resources or --reveal-customers;
--pseudonymise-cases hides the case ids the same way. The file column
(Parquet and Arrow only) holds file names without folders. The other
attribute columns are written as they are and named on standard error:
leave out any that can name people with --drop COLUMN.

--pair-lifecycle merges each lifecycle:transition start event with its
complete event into one event with a start time (rule: docs/reading.md).

Rows read, events written and rows rejected are reported on standard error.
Exit status: 0 done, 1 unreadable input, too many rejects, a failed write
or a run whose heap alone needs more memory than --memory allows, 2 wrong
flags or arguments (or a --tmp folder that cannot take files).

Flags:
`

func runConvert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("convert", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rf readFlags
	rf.register(fs)
	from := fs.String("input-format", "", "expected input format: csv, xes, parquet or arrow; a file in another format is an error")
	to := fs.String("output-format", "", "output format: csv, csv.gz, xes, xes.gz, parquet or arrow; from OUT's extension when empty")
	// The old names, which analyze uses for activities, stay for scripts.
	fs.StringVar(from, "from", "", "")
	fs.StringVar(to, "to", "", "")
	_ = fs.MarkHidden("from")
	_ = fs.MarkHidden("to")
	var pf privacyFlags
	pf.register(fs)
	drop := fs.StringArray("drop", nil, "leave this column out of the output (repeatable)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "convert", err)
	}
	if *help {
		fmt.Fprint(stdout, convertUsage+flagUsages(fs))
		return exitOK
	}
	for _, f := range [][2]string{{"from", "--input-format"}, {"to", "--output-format"}} {
		if fs.Changed(f[0]) {
			fmt.Fprintf(stderr, "caseflow: convert --%s is now %s (analyze's --%s names an activity); the old name will go\n", f[0], f[1], f[0])
		}
	}
	if fs.NArg() < 2 {
		return usageError(stderr, "convert", fmt.Errorf("name at least one input and the output: caseflow convert IN... OUT"))
	}
	ins, out := fs.Args()[:fs.NArg()-1], fs.Arg(fs.NArg()-1)
	format, gz, err := outputFormat(out, *to)
	if err != nil {
		return usageError(stderr, "convert", err)
	}
	switch *from {
	case "", "csv", "xes", "parquet", "arrow":
	default:
		return usageError(stderr, "convert", fmt.Errorf("--input-format %q: want csv, xes, parquet or arrow", *from))
	}
	for _, in := range ins {
		if isSameFile(in, out) {
			return usageError(stderr, "convert", fmt.Errorf("the output %s is also an input; write to another file", out))
		}
	}
	return rf.guarded(ins, stdin, stdout, stderr, func(stdin io.Reader, stdout, stderr io.Writer) int {
		return convert(ins, out, *from, format, gz, &rf, &pf, *drop, stdin, stdout, stderr)
	})
}

// convert reads ins and writes them to out in format.
func convert(ins []string, out, from string, format export.Format, gz bool, rf *readFlags, pf *privacyFlags, drop []string, stdin io.Reader, stdout, stderr io.Writer) int {
	res, code := load(ins, rf, stdin, stderr)
	if code != exitOK {
		return code
	}
	defer res.Release()
	for _, in := range res.Inputs {
		if from != "" && strings.SplitN(in.Format, "-", 2)[0] != from {
			fmt.Fprintf(stderr, "caseflow: %s is %s, not %s (--input-format); name the right file or drop --input-format\n", in.File, in.Format, from)
			return exitData
		}
	}
	rf.run.enter(phaseWriting, res.Log.Len())
	log, err := conceal(res.Log, pf, drop, stderr)
	if err != nil {
		return usageError(stderr, "convert", err)
	}
	defer log.Release()
	opt := export.Options{Gzip: gz}
	if out == "-" {
		err = export.Write(stdout, log, format, opt)
	} else {
		err = export.WriteFile(out, log, format, opt)
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return exitData
	}
	fmt.Fprintf(stderr, "caseflow: read %s rows from %s, rejected %s", thousands(res.Rows), plural(len(ins), "file"), thousands(res.Rejected))
	if rf.pairLifecycle {
		fmt.Fprintf(stderr, ", merged %s start/complete pairs", thousands(int64(rf.paired)))
	}
	fmt.Fprintf(stderr, "; wrote %s events in %s to %s (%s)\n", thousands(int64(log.Len())), plural(log.Cases(), "case"), out, formatLabel(format, gz))
	return exitOK
}

// outputFormat settles the output format from --output-format or OUT's extension.
func outputFormat(out, to string) (export.Format, bool, error) {
	if to != "" {
		f, gz, err := export.ParseFormat(to)
		if err != nil {
			return "", false, fmt.Errorf("--output-format: %w", err)
		}
		return f, gz, nil
	}
	if out == "-" {
		return "", false, fmt.Errorf("writing to standard output needs --output-format (csv, csv.gz, xes, xes.gz, parquet or arrow)")
	}
	f, gz, ok := export.FormatOf(out)
	if !ok {
		return "", false, fmt.Errorf("cannot tell the output format from the name %q; use .csv, .csv.gz, .xes, .xes.gz, .parquet or .arrow, or pass --output-format", out)
	}
	return f, gz, nil
}

func formatLabel(f export.Format, gz bool) string {
	if gz {
		return string(f) + ", gzip"
	}
	return string(f)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(int64(n)) + " " + noun + "s"
}

// isSameFile reports whether the paths name one existing file.
func isSameFile(a, b string) bool {
	if a == "-" || b == "-" {
		return false
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// conceal is the log as convert writes it: resources and customer ids as
// pseudonyms unless revealed, the dropped columns left out, file names
// without folders (export.Conceal); it names the attribute columns
// written as they are.
func conceal(l *eventlog.Log, pf *privacyFlags, drop []string, stderr io.Writer) (*eventlog.Log, error) {
	var names, clear []string
	for _, f := range l.Record().Schema().Fields() {
		names = append(names, f.Name)
	}
	res := l.Column(eventlog.Resource)
	replace, err := pf.pseudonyms(names, res != nil && res.NullN() < res.Len(), stderr)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !isRoleColumn(n) && replace[n] == nil && !slices.Contains(drop, n) {
			clear = append(clear, n)
		}
	}
	out, err := export.Conceal(l, replace, drop, memory.DefaultAllocator)
	if err == nil && len(clear) > 0 {
		fmt.Fprintf(stderr, "caseflow: note: columns written as they are: %s; leave out any that can name people with --drop COLUMN\n", strings.Join(clear, ", "))
	}
	return out, err
}

// isRoleColumn: the role columns are written, under their roles' names,
// whatever the input called them; file and row tell where an event came
// from.
func isRoleColumn(name string) bool {
	switch name {
	case eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.StartTime, eventlog.Department,
		eventlog.Resource, eventlog.Channel, eventlog.File, eventlog.Row:
		return true
	}
	return false
}
