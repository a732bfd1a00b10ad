package main

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/eventlog"
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

--config FILE reads the [read] keys and the files of a config file as
analyze does; with [[input]] tables each source is read with its own keys,
and a last block gives each source's files, join column and how many of
its records and events the join linked.

Example values of the resource column and of the customer id column (the
one --customer names, else the one whose name says customer, klant,
client, caller or burger) are shown as the pseudonyms analyze uses, unless
--reveal-resources or --reveal-customers; --pseudonymise-cases hides the
case ids' examples too.

Flags:
`

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("inspect", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rf readFlags
	rf.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	config := fs.String("config", "", "read the [read] keys and the inputs or [[input]] tables of this TOML file (as analyze --config); flags given here win")
	var pf privacyFlags
	pf.register(fs)
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "inspect", err)
	}
	if *help {
		fmt.Fprint(stdout, inspectUsage+flagUsages(fs))
		return exitOK
	}
	paths := fs.Args()
	if *config != "" {
		c, err := loadConfig(*config)
		if err == nil {
			rf.tmpConfig = c.tmpFrom(fs)
			err = setTable(fs, reflect.ValueOf(c.Read))
		}
		if err == nil && len(paths) == 0 {
			paths, err = c.inputs(fs, &rf)
		}
		if err != nil {
			return usageError(stderr, "inspect", err)
		}
	}
	if len(paths) == 0 {
		return usageError(stderr, "inspect", fmt.Errorf("name at least one FILE (or - for standard input), or a --config with inputs"))
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "inspect", fmt.Errorf("--format %q: want text or json", *format))
	}
	return rf.guarded(paths, stdin, stdout, stderr, func(stdin io.Reader, stdout, stderr io.Writer) int {
		return inspect(paths, &rf, *format, &pf, stdin, stdout, stderr)
	})
}

// inspect reads the files and writes the summary in format.
func inspect(paths []string, rf *readFlags, format string, pf *privacyFlags, stdin io.Reader, stdout, stderr io.Writer) int {
	res, err := read(paths, rf, stdin)
	var me *ingest.MappingError
	if errors.As(err, &me) && format == "text" {
		// Show what was found before saying what is missing.
		if cerr := concealExamples([]ingest.Input{me.Input}, pf, stderr); cerr != nil {
			return usageError(stderr, "inspect", cerr)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\n", me.Input.File)
		writeColumns(tw, me.Input)
		tw.Flush()
	}
	if err != nil {
		return loadFailed(err, stderr)
	}
	defer res.Release()
	rf.run.enter(phaseWriting, res.Log.Len())
	if err := concealExamples(res.Inputs, pf, stderr); err != nil {
		return usageError(stderr, "inspect", err)
	}
	zone, zoneName := rf.displayZone(res.Inputs)
	s := summarize(res, zone, zoneName)
	if format == "json" {
		err = s.writeJSON(stdout)
	} else if err = s.writeText(stdout); err == nil && len(rf.sources) > 0 {
		writeSources(stdout, rf.sources, res.Sources)
	}
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: writing the summary: %v\n", err)
		return exitData
	}
	return exitOK
}

// concealExamples replaces the example values of the resource and customer
// columns of every input by their pseudonyms, as privacyFlags choose.
func concealExamples(inputs []ingest.Input, pf *privacyFlags, stderr io.Writer) error {
	var names []string
	withResource := false
	for _, in := range inputs {
		for _, c := range in.Columns {
			if c.Role == "" && !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
			withResource = withResource || c.Role == eventlog.Resource && len(c.Examples) > 0
		}
	}
	replace, err := pf.pseudonyms(names, withResource, stderr)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		for i, c := range in.Columns {
			f := replace[c.Name]
			if c.Role != "" {
				f = replace[c.Role]
			}
			if f == nil {
				continue
			}
			ex := make([]string, len(c.Examples))
			for k, v := range c.Examples {
				ex[k] = f(v)
			}
			in.Columns[i].Examples = ex
		}
	}
	return nil
}
