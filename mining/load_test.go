package mining_test

import (
	"encoding/csv"
	"os"
	"strconv"
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

// rawCalls is the call-record file read as text by encoding/csv, for
// counts that do not go through ingest: its rows (the header first), the
// index of each column, and num, a cell as an integer.
type rawCalls struct {
	rows [][]string
	col  map[string]int
	num  func(row []string, name string) int
}

func readRawCalls(t *testing.T, path string) rawCalls {
	t.Helper()
	r := rawCalls{rows: readTSV(t, path), col: map[string]int{}}
	for i, n := range r.rows[0] {
		r.col[n] = i
	}
	r.num = func(row []string, name string) int {
		v, err := strconv.Atoi(row[r.col[name]])
		if err != nil {
			t.Fatalf("%s %q: %v", name, row[r.col[name]], err)
		}
		return v
	}
	return r
}
