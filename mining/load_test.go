package mining_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
)

// loadReal reads the real log at path (relative to ../shared/data) through
// package ingest, with the department taken from the named column,
// timestamps in UTC and events ordered by time, then input order. For the
// XES logs the activity is concept:name + lifecycle:transition. The
// analysis package itself never reads files; only its tests do.
func loadReal(t *testing.T, path, department string) *eventlog.Log {
	t.Helper()
	opt := ingest.Options{Mapping: ingest.Mapping{Department: []string{department}}, Mem: memory.NewGoAllocator()}
	if strings.Contains(path, ".xes") {
		opt.Mapping.Activity = []string{"concept:name", "lifecycle:transition"}
	}
	res, err := ingest.Read([]string{realdata.Path(t, path)}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 {
		t.Fatalf("%d rows rejected:%s", res.Rejected, ingest.FormatRejects(res.Rejects, res.Rejected))
	}
	return res.Log
}

// readTSV reads a tab-separated file with encoding/csv, for the tests that
// count the call records independently of package ingest.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.Comma = '\t'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
