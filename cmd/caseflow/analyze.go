package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// sampleLog is a small contact-centre log made by `caseflow generate` (the
// command is in sample/README.md), so that `caseflow analyze` shows
// something on any machine.
//
//go:embed sample/contact-centre.csv.gz
var sampleLog []byte

// samplePath is the name the embedded sample goes by in reports.
const samplePath = "sample:contact-centre.csv"

const analyzeUsage = `usage: caseflow analyze [flags] [FILE...]

Reads the event log(s) and reports where cases bounce between departments
(ping-pong), where they wait at department borders (silos), and which take
too long. Without FILE it analyses a small contact-centre log built into
caseflow. FILE may be CSV or XES, gzip or zstd compressed; - reads standard
input.

Flags:
`

func runAnalyze(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rf readFlags
	rf.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "analyze", err)
	}
	if *help {
		fmt.Fprint(stdout, analyzeUsage+fs.FlagUsages())
		return exitOK
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "analyze", fmt.Errorf("--format %q: want text or json", *format))
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{samplePath}
		rf.open = openSample
	}
	res, code := load(paths, &rf, stdin, stderr)
	if code != exitOK {
		return code
	}
	defer res.Release()
	s := summarize(res)
	var err error
	if *format == "json" {
		err = s.writeJSON(stdout)
	} else {
		err = s.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: writing the report: %v\n", err)
		return exitData
	}
	return exitOK
}

func openSample(path string) (io.ReadCloser, error) {
	if path != samplePath {
		return nil, fmt.Errorf("open %s: only the built-in sample is available here", path)
	}
	return io.NopCloser(bytes.NewReader(sampleLog)), nil
}
