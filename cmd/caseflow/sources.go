package main

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/report"
	"github.com/caseflow/caseflow/report/html"
)

// source is one [[input]] table of the config: its files, the read flags
// they are read with, and its join column.
type source struct {
	name, join string
	files      []string
	rf         readFlags
}

// inputs are the files analyze reads when the command line names none:
// the config's inputs, or the files of its [[input]] tables, whose
// sources it puts in rf to be read and joined.
func (c *config) inputs(fs *pflag.FlagSet, rf *readFlags) ([]string, error) {
	if len(c.Input) == 0 {
		return c.Inputs, nil
	}
	if len(c.Inputs) > 0 {
		return nil, fmt.Errorf("the config has both inputs and [[input]] tables: give the files in one of them")
	}
	var paths []string
	for i, in := range c.Input {
		s, err := in.source(i, fs)
		if err != nil {
			return nil, err
		}
		paths = append(paths, s.files...)
		rf.sources = append(rf.sources, s)
	}
	return paths, nil
}

// source makes the i-th [[input]] table a source. Its read flags are its
// own keys, then the read flags the command line or [read] gives (main).
func (in inputConfig) source(i int, main *pflag.FlagSet) (source, error) {
	s := source{name: in.Name, join: in.Join, files: in.Files}
	if s.name == "" {
		s.name = fmt.Sprintf("input %d", i+1)
	}
	switch {
	case len(in.Files) == 0:
		return s, fmt.Errorf("[[input]] %q: give its files, e.g. files = [\"calls.csv\"]", s.name)
	case in.Join == "":
		return s, fmt.Errorf("[[input]] %q: give its join column (the case column, or the customer id, interaction id or ticket number the sources share), e.g. join = \"ticket\"", s.name)
	case in.Rejects != nil || in.MaxRejects != nil || in.Workers != nil || in.Memory != nil || in.Tmp != nil:
		return s, fmt.Errorf("[[input]] %q: rejects, max-rejects, workers, memory and tmp are for all sources together: set them in [read]", s.name)
	}
	fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
	s.rf.register(fs)
	if err := setTable(fs, reflect.ValueOf(in.readConfig)); err != nil {
		return s, fmt.Errorf("[[input]] %q: %w", s.name, err)
	}
	if fs.Changed("pair-lifecycle") {
		// read pairs the joined log, by the command line's or [read]'s flag.
		return s, fmt.Errorf("[[input]] %q: pair-lifecycle is for all sources together: set it in [read]", s.name)
	}
	var err error
	main.Visit(func(f *pflag.Flag) {
		if own := fs.Lookup(f.Name); own != nil && !own.Changed && err == nil {
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				err = own.Value.(pflag.SliceValue).Replace(sv.GetSlice())
				own.Changed = true
			} else {
				err = fs.Set(f.Name, f.Value.String())
			}
		}
	})
	return s, err
}

// setTable sets the flags of fs named by the keys of a config table (a
// struct of setFlag fields) that it gives.
func setTable(fs *pflag.FlagSet, v reflect.Value) error {
	for j := range v.NumField() {
		if err := setFlag(fs, v.Type().Field(j), v.Field(j)); err != nil {
			return err
		}
	}
	return nil
}

// readSources reads each source with its own read flags and joins them
// (ingest.Join); the result holds every source's rows and rejects.
func readSources(rf *readFlags, stdin io.Reader) (*ingest.Result, error) {
	var srcs []ingest.Source
	for _, s := range rf.sources {
		s.rf.open, s.rf.spill = rf.open, rf.spill
		opt, _, err := s.rf.options()
		if err == nil {
			err = checkFiles(s.files)
		}
		var res *ingest.Result
		if err == nil {
			opt.Stdin = stdin
			res, err = ingest.Read(s.files, opt)
		}
		if err != nil {
			for _, o := range srcs {
				o.Result.Release()
			}
			return nil, fmt.Errorf("[[input]] %q: %w", s.name, err)
		}
		srcs = append(srcs, ingest.Source{Name: s.name, Result: res, Key: s.join})
	}
	return ingest.Join(srcs, nil)
}

// sourcesInput is the report's input with the joined sources' counts.
func sourcesInput(in report.Input, counts []ingest.SourceCount) report.Input {
	for _, c := range counts {
		in.Sources = append(in.Sources, report.Source(c))
	}
	return in
}

// htmlSources are the joined sources' counts for the HTML page.
func htmlSources(counts []ingest.SourceCount) []html.Source {
	var out []html.Source
	for _, c := range counts {
		out = append(out, html.Source(c))
	}
	return out
}

// writeSources writes, for inspect --config, each [[input]] source's
// files and join column, and how many of its records and events the join
// linked (ingest.SourceCount; counts are in the order of srcs).
func writeSources(w io.Writer, srcs []source, counts []ingest.SourceCount) {
	fmt.Fprintln(w, "sources")
	for i, s := range srcs {
		var files []string
		for _, f := range s.files {
			files = append(files, shownName(f))
		}
		fmt.Fprintf(w, "  %s: %s, joined on %s", s.name, strings.Join(files, ", "), s.join)
		if i < len(counts) {
			c := counts[i]
			fmt.Fprintf(w, ": %s of %s records linked (%s of %s events), %s unlinked (%s without a key), %s matched several cases",
				thousands(c.LinkedCases), thousands(c.Cases), thousands(c.LinkedEvents), thousands(c.Events),
				thousands(c.UnlinkedCases), thousands(c.NoKey), thousands(c.OneToMany))
		}
		fmt.Fprintln(w)
	}
}
