package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/ingest"
)

const inspectUsage = `usage: caseflow inspect [flags] FILE...

Shows how caseflow reads an export before you analyse it: compression,
encoding, delimiter, which column plays which role (with example values and
the other columns that could), the timestamp layout and zone, counts of rows,
events, rejected rows, cases, activities, departments, resources and
channels, the time span, and the first rejected rows with their positions.
FILE may be CSV, XES, Parquet or Arrow IPC, gzip or zstd compressed; - reads
standard input.

Flags:
`

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("inspect", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rf readFlags
	rf.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "inspect", err)
	}
	if *help {
		fmt.Fprint(stdout, inspectUsage+fs.FlagUsages())
		return exitOK
	}
	if fs.NArg() == 0 {
		return usageError(stderr, "inspect", fmt.Errorf("name at least one FILE (or - for standard input)"))
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "inspect", fmt.Errorf("--format %q: want text or json", *format))
	}
	res, err := read(fs.Args(), &rf, stdin)
	var me *ingest.MappingError
	if errors.As(err, &me) && *format == "text" {
		// Show what was found before saying what is missing.
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\n", me.Input.File)
		writeColumns(tw, me.Input)
		tw.Flush()
	}
	if err != nil {
		return loadFailed(err, stderr)
	}
	defer res.Release()
	zone, zoneName := rf.displayZone(res.Inputs)
	s := summarize(res, zone, zoneName)
	if *format == "json" {
		err = s.writeJSON(stdout)
	} else {
		err = s.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: writing the summary: %v\n", err)
		return exitData
	}
	return exitOK
}
