package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/caseflow/caseflow/ingest"
)

// load reads the files named on the command line with the read flags. On
// failure it prints the error and returns the exit code to use.
func load(paths []string, rf *readFlags, stdin io.Reader, stderr io.Writer) (*ingest.Result, int) {
	opt, limit, err := rf.options()
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return nil, exitUsage
	}
	opt.Stdin = stdin
	res, err := ingest.Read(paths, opt)
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return nil, exitData
	}
	if err := rf.writeRejects(res); err != nil {
		res.Release()
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return nil, exitData
	}
	if err := limit.Check(res); err != nil {
		var tm *ingest.TooManyRejectsError
		if errors.As(err, &tm) && rf.rejects == "" {
			err = fmt.Errorf("%w\n  (pass --rejects FILE to get them all)", err)
		}
		res.Release()
		fmt.Fprintf(stderr, "caseflow: %v\n", err)
		return nil, exitData
	}
	return res, exitOK
}
