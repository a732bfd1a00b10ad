package export_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/ingest"
)

// TestConceal replaces the resource (a dictionary) and a number column,
// drops two columns and checks the copy as CSV against the hand-written
// file of TestCSV with those changes, the file column without its folder,
// the original unchanged, and every buffer released.
func TestConceal(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "home", "ann", "log.xes")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte(handDoc), 0o644)
	res, err := ingest.Read([]string{path}, ingest.Options{Mem: mem, Mapping: ingest.Mapping{Department: []string{"team"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	c, err := export.Conceal(res.Log, map[string]func(string) string{
		eventlog.Resource: strings.ToUpper,
		"amount":          func(v string) string { return "n" + v },
	}, []string{"note", "urgent"}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	var buf bytes.Buffer
	if err := export.Write(&buf, c, export.CSV, export.Options{}); err != nil {
		t.Fatal(err)
	}
	want := "case:concept:name,concept:name,time:timestamp,start_timestamp,org:group,org:resource,case:channel,case:priority,attr:org:group,lifecycle:transition,amount,score\n" +
		"c1,Register,2024-03-01T09:00:00.250000Z,2024-03-01T08:59:59.000001Z,,ANN,phone,high,KCC,complete,n-7,2.5\n" +
		"c1,Close,2024-03-01T12:00:00.000000Z,,,,phone,high,,,,1e+300\n" +
		"c2,Register,2024-03-02T09:00:00.000000Z,,x,,,low,,,,\n" +
		"c2,Register,2024-03-02T09:30:00.000000Z,,,,,high,,,,\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV\n%s\nwant\n%s", got, want)
	}
	for name, l := range map[string]*eventlog.Log{"copy": c, "original": res.Log} {
		f := l.Column(eventlog.File).(*array.Dictionary)
		got := f.Dictionary().(*array.String).Value(f.GetValueIndex(0))
		if want := map[string]string{"copy": "log.xes", "original": path}[name]; got != want {
			t.Errorf("%s: file %q, want %q", name, got, want)
		}
	}
	if got := res.Log.Codes(eventlog.Resource).Names; len(got) != 1 || got[0] != "ann" {
		t.Errorf("the original's resources became %q", got)
	}
}

func TestConcealRefuses(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{})
	defer l.Release()
	same := func(string) string { return "x" }
	for _, tc := range []struct {
		name    string
		replace map[string]func(string) string
		drop    []string
		err     string
	}{
		{"a role every event needs", nil, []string{"time"}, "--drop time: every event needs its case, activity and time"},
		{"no such column", nil, []string{"notes"}, "--drop notes: no such column; the log has case, activity, time"},
		{"two values, one pseudonym", map[string]func(string) string{eventlog.Activity: same}, nil,
			"two values of column activity share the pseudonym x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := export.Conceal(l, tc.replace, tc.drop, mem)
			if err == nil {
				c.Release()
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
}
