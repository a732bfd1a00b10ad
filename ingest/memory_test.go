package ingest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/internal/logtest"
	"github.com/caseflow/caseflow/internal/spill"
)

// TestMemorySameLog: two generated CSV files (every pathology the
// generator plants), read in small chunks, and convert's Parquet file of
// their log read from its pages and its Arrow IPC file, give the same log with Options.Memory
// holding every slice in files as on the heap: every column's values,
// the cases, the rows and rejects; and so do a time filter (--since and
// --until) and Keep of the logs read.
func TestMemorySameLog(t *testing.T) {
	files := generatedFiles(t, 400)
	heap := generatedLogs(t, 400)
	files["log.parquet"] = converted(t, heap.Log)
	var ipc bytes.Buffer
	if err := export.Write(&ipc, heap.Log, export.IPC, export.Options{}); err != nil {
		t.Fatal(err)
	}
	files["log.arrow"] = ipc.Bytes()
	heap.Release()
	for _, tc := range []struct {
		name  string
		paths []string
	}{{"csv", []string{"a.csv", "b.csv"}}, {"parquet", []string{"log.parquet"}}, {"arrow", []string{"log.arrow"}}} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			m, err := spill.New(t.TempDir(), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			m.SetThreshold(1)
			read := func(m *spill.Memory) *Result {
				res, err := Read(tc.paths, Options{Open: openFrom(files), Mem: mem, Memory: m, chunkSize: 1 << 14})
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			want := read(nil)
			defer want.Release()
			got := read(m)
			defer got.Release()
			if st := m.Stats(); st.Mapped < int64(got.Log.Len())*8 {
				t.Fatalf("%d bytes mapped for %d events: the log is not in the file-backed memory", st.Mapped, got.Log.Len())
			}
			if got.Rows != want.Rows || got.Rejected != want.Rejected || fmt.Sprint(got.Rejects) != fmt.Sprint(want.Rejects) {
				t.Errorf("rows %d rejected %d, on the heap %d %d", got.Rows, got.Rejected, want.Rows, want.Rejected)
			}
			logtest.Same(t, got.Log, want.Log)

			ts := want.Log.Times()
			lo, hi := slices.Min(ts), slices.Max(ts)
			since, until := time.UnixMicro(lo+(hi-lo)/4), time.UnixMicro(hi-(hi-lo)/4)
			f := eventlog.Filter{From: since, To: until}
			logtest.SameCuts(t, got.Log, want.Log, f, []string{eventlog.Activity, eventlog.Time, eventlog.Department}, mem)
			if err := m.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
