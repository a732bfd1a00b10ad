package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/ingest"
)

// load reads the files named on the command line with the read flags. On
// failure it prints the error and returns the exit code to use.
func load(paths []string, rf *readFlags, stdin io.Reader, stderr io.Writer) (*ingest.Result, int) {
	res, err := read(paths, rf, stdin)
	if err != nil {
		return nil, loadFailed(err, stderr)
	}
	return res, exitOK
}

// flagError is a read error caused by the flags rather than the data.
type flagError struct{ error }

// read is load without printing: the error, if any, says what failed.
func read(paths []string, rf *readFlags, stdin io.Reader) (*ingest.Result, error) {
	opt, limit, err := rf.options()
	if err != nil {
		return nil, flagError{err}
	}
	opt.Stdin = stdin
	var res *ingest.Result
	switch {
	case len(rf.sources) > 0:
		res, err = readSources(rf, stdin)
	default:
		if err = checkFiles(paths); err == nil {
			res, err = ingest.Read(paths, opt)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := rf.writeRejects(res); err != nil {
		res.Release()
		return nil, err
	}
	if err := limit.Check(res); err != nil {
		var tm *ingest.TooManyRejectsError
		if errors.As(err, &tm) && rf.rejects == "" {
			err = fmt.Errorf("%w\n  (pass --rejects FILE to get them all)", err)
		}
		res.Release()
		return nil, err
	}
	if rf.pairLifecycle {
		l, n, err := ingest.PairLifecycle(res.Log, memory.DefaultAllocator)
		if err != nil {
			res.Release()
			return nil, fmt.Errorf("--pair-lifecycle: %w", err)
		}
		res.Log.Release()
		res.Log, rf.paired = l, n
		if len(res.Inputs) > 0 {
			res.Inputs[0].Notes = append(res.Inputs[0].Notes, fmt.Sprintf(
				"--pair-lifecycle: %d start events merged with their complete events (over all inputs), which then start at the start event's time", n))
		}
	}
	return res, nil
}

// checkFiles says when a path is a folder, which Read cannot open.
func checkFiles(paths []string) error {
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a folder; name the files in it, e.g. %s", p, filepath.Join(p, "*.csv"))
		}
	}
	return nil
}

// loadFailed prints a read error and returns the exit code for it.
func loadFailed(err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "caseflow: %v\n", err)
	if errors.As(err, new(flagError)) {
		return exitUsage
	}
	return exitData
}
