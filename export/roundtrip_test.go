package export_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
)

// read reads files through ingest and fails the test on an error or a reject.
func read(t *testing.T, mem memory.Allocator, m ingest.Mapping, paths ...string) *eventlog.Log {
	t.Helper()
	res, err := ingest.Read(paths, ingest.Options{Mem: mem, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected > 0 {
		res.Release()
		t.Fatalf("%d rejects, first %v", res.Rejected, res.Rejects[0])
	}
	return res.Log
}

// write writes l in format f to a file in a test folder and returns its path.
func write(t *testing.T, l *eventlog.Log, name string, f export.Format, mem memory.Allocator) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := export.WriteFile(path, l, f, export.Options{Mem: mem}); err != nil {
		t.Fatal(err)
	}
	return path
}

// render is the value at i as text: "" for null, RFC 3339 for times, Go
// syntax for numbers, prefixed by the Arrow kind so that a changed type
// shows.
func render(l *eventlog.Log, name string, i int) string {
	col := l.Column(name)
	if col.IsNull(i) {
		return ""
	}
	switch c := col.(type) {
	case *array.Dictionary:
		return "s:" + c.Dictionary().(*array.String).Value(c.GetValueIndex(i))
	case *array.Int64:
		return "i:" + strconv.FormatInt(c.Value(i), 10)
	case *array.Float64:
		return "f:" + strconv.FormatFloat(c.Value(i), 'g', -1, 64)
	case *array.Boolean:
		return "b:" + strconv.FormatBool(c.Value(i))
	case *array.Timestamp:
		return "t:" + time.UnixMicro(int64(c.Value(i))).UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("<%T>", col)
}

// compare checks that got holds the events of want, column by column and
// value by value, leaving out the provenance columns file and row. With
// dropEmpty, a column of want without any value may be absent from got
// (XES cannot hold one); with asText, got's attributes may be text where
// want's are typed (CSV has no types).
func compare(t *testing.T, want, got *eventlog.Log, dropEmpty bool) {
	t.Helper()
	if want.Len() != got.Len() || !slices.Equal(want.Offsets(), got.Offsets()) {
		t.Fatalf("%d events in %d cases, want %d in %d", got.Len(), got.Cases(), want.Len(), want.Cases())
	}
	names := func(l *eventlog.Log) []string {
		var out []string
		for _, f := range l.Record().Schema().Fields() {
			if f.Name != eventlog.File && f.Name != eventlog.Row {
				out = append(out, f.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, n := range names(want) {
		col := want.Column(n)
		if got.Column(n) == nil {
			if !dropEmpty || col.NullN() != col.Len() {
				t.Errorf("column %q is missing", n)
			}
			continue
		}
		for i := range want.Len() {
			if w, g := render(want, n, i), render(got, n, i); w != g {
				t.Errorf("column %q, event %d: %q, want %q", n, i, g, w)
				break
			}
		}
	}
	for _, n := range names(got) {
		if want.Column(n) == nil {
			t.Errorf("unexpected column %q", n)
		}
	}
}

// shared are the real logs of the round trips, with the mapping they need.
var shared = []struct {
	path string
	m    ingest.Mapping
}{
	{path: "receipt/receipt.csv"},
	{path: "bpic2014/BPIC14_incident_log.csv"},
	{path: "bpic2013/closed_problems.csv", m: ingest.Mapping{Activity: []string{"Problem Status", "Problem Sub Status"}}},
	{path: "helpdesk/helpdesk.xes.gz"},
	{path: "bpic2013/incidents.xes.gz"},
	{path: "receipt/08_receipt.xes.gz"},
}

// TestRoundTrips: every shared log, read, written as Parquet and read
// back, is the same log with the same types; written from there in its own
// format (CSV or XES) and read back, it is still the same log.
func TestRoundTrips(t *testing.T) {
	for _, tc := range shared {
		t.Run(tc.path, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			src := realdata.Path(t, tc.path)
			orig := read(t, mem, tc.m, src)
			defer orig.Release()

			pq := read(t, mem, ingest.Mapping{}, write(t, orig, "log.parquet", export.Parquet, mem))
			defer pq.Release()
			compare(t, orig, pq, false)
			for _, f := range pq.Record().Schema().Fields() {
				if v, ok := f.Metadata.GetValue(eventlog.SourceKey); ok {
					want := orig.Record().Schema()
					w, _ := want.Field(want.FieldIndices(f.Name)[0]).Metadata.GetValue(eventlog.SourceKey)
					if v != w {
						t.Errorf("source of %s: %q, want %q", f.Name, v, w)
					}
				}
			}
			if files := pq.Codes(eventlog.File).Names; len(files) != 1 || files[0] != src {
				t.Errorf("file column %q, want the original %q", files, src)
			}

			f, name, dropEmpty := export.CSV, "again.csv", false
			if filepath.Ext(tc.path) == ".gz" {
				f, name, dropEmpty = export.XES, "again.xes", true
			}
			again := read(t, mem, ingest.Mapping{}, write(t, pq, name, f, mem))
			defer again.Release()
			compare(t, orig, again, dropEmpty)
		})
	}
}

// TestResolutionKept: a caseflow log read back from Parquet or Arrow has
// the timestamp resolution of the file it was first read from (its events
// carry that file's name): 08:00:00.250 and 08:00:01.500 share no coarser
// decimal step than 10 ms.
func TestResolutionKept(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	src := filepath.Join(t.TempDir(), "hand.csv")
	text := "case,activity,timestamp,department\n" +
		"c1,a,2024-03-04T08:00:00.250Z,D\nc1,b,2024-03-04T08:00:01.500Z,E\nc2,a,2024-03-04T09:00:00Z,D\n"
	if err := os.WriteFile(src, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	resolution := func(path string) (time.Duration, *eventlog.Log) {
		res, err := ingest.Read([]string{path}, ingest.Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		return res.Inputs[0].Resolution, res.Log
	}
	r, orig := resolution(src)
	defer orig.Release()
	if r != 10*time.Millisecond {
		t.Fatalf("CSV resolution %v, want 10ms", r)
	}
	for _, f := range []struct {
		name string
		f    export.Format
	}{{"log.parquet", export.Parquet}, {"log.arrow", export.IPC}} {
		got, l := resolution(write(t, orig, f.name, f.f, mem))
		l.Release()
		if got != r {
			t.Errorf("%s: resolution %v, want %v as read from the CSV", f.name, got, r)
		}
	}
}
