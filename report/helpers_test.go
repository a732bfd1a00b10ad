package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is the folder of golden files, shared with cmd/caseflow.
var golden = filepath.Join("..", "testdata", "golden")

// ev is an event of a hand-built log: case, activity, "15:04" on
// handlog.Day, department, resource.
type ev = handlog.Event

// threeCases is the worked example of docs/definitions.md, in file order.
var threeCases = handlog.ThreeCases

// analyse builds the log and returns its findings and input summary, as
// the command would fill it. The log is released when the test ends, as
// the findings name their cases from it.
func analyse(t testing.TB, evs []ev, opt mining.Options) (*mining.Findings, Input) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	in := Input{Files: []File{{Name: "three-cases.csv", Format: "csv", Rows: int64(len(evs))}}, Rows: int64(len(evs)), Events: len(evs)}
	distinct := [4]map[string]bool{{}, {}, {}, {}}
	for _, e := range evs {
		ts := handlog.Time(t, e[2])
		for k, v := range []string{e[0], e[1], e[3], e[4]} {
			if v != "" {
				distinct[k][v] = true
			}
		}
		if in.From.IsZero() || ts.Before(in.From) {
			in.From = ts
		}
		if ts.After(in.To) {
			in.To = ts
		}
	}
	in.Cases, in.Activities, in.Departments, in.Resources = len(distinct[0]), len(distinct[1]), len(distinct[2]), len(distinct[3])
	l := handlog.Build(t, mem, "three-cases.csv", evs)
	t.Cleanup(l.Release)
	f, err := mining.Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f, in
}

func newReport(t testing.TB, evs []ev, mopt mining.Options, opt Options) *Report {
	t.Helper()
	f, in := analyse(t, evs, mopt)
	r, err := New(f, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// decode returns the JSON document as generic values.
func decode(t testing.TB, r *Report) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// get follows a dotted path of keys and list indices through v.
func get(t testing.TB, v any, path string) any {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				t.Fatalf("%s: no key %q", path, k)
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: no element %q in a list of %d", path, k, len(x))
			}
			v = x[i]
		default:
			t.Fatalf("%s: %q under a %T", path, k, v)
		}
	}
	return v
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(golden, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (review, then go test ./report/ -update):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
