package ingest

import (
	"bufio"
	"errors"

	"github.com/caseflow/caseflow/eventlog"
)

func readXES(r *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	return errors.New("XES is not supported yet")
}
