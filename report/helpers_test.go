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
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/mining"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is the folder of golden files, shared with cmd/caseflow.
var golden = filepath.Join("..", "testdata", "golden")

// ev is an event of a hand-built log: case, activity, "15:04" on
// 4 March 2024 UTC, department, resource.
type ev struct{ c, a, at, d, r string }

// threeCases is the worked example of docs/definitions.md, in file order.
var threeCases = []ev{
	{"c1", "Register", "09:00", "Front", "Ann"},
	{"c2", "Register", "09:00", "Front", "Ann"},
	{"c3", "Register", "09:00", "Front", "Ann"},
	{"c1", "Check", "09:10", "Back", "Bob"},
	{"c2", "Check", "09:00", "Back", "Bob"},
	{"c2", "Note", "09:20", "", "Bob"},
	{"c3", "Close", "09:30", "Front", "Ann"},
	{"c1", "Ask", "09:40", "Front", "Ann"},
	{"c1", "Check", "10:00", "Back", "Bob"},
	{"c2", "Decide", "10:00", "Back", "Cy"},
	{"c1", "Decide", "10:05", "Back", "Cy"},
	{"c2", "Review", "10:30", "Legal", "Dee"},
	{"c1", "Close", "11:00", "Front", "Ann"},
	{"c2", "Close", "11:30", "Front", "Ann"},
}

var day = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

func at(t testing.TB, hm string) time.Time {
	t.Helper()
	c, err := time.Parse("15:04", hm)
	if err != nil {
		t.Fatalf("bad clock %q", hm)
	}
	return day.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute)
}

// analyse builds the log and returns its findings and input summary, as
// the command would fill it.
func analyse(t testing.TB, evs []ev, opt mining.Options) (*mining.Findings, Input) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	b.SetFile("three-cases.csv")
	in := Input{Files: []File{{Name: "three-cases.csv", Format: "csv", Rows: int64(len(evs))}}, Rows: int64(len(evs)), Events: len(evs)}
	distinct := [4]map[string]bool{{}, {}, {}, {}}
	for i, e := range evs {
		ts := at(t, e.at)
		b.Add(&eventlog.Event{Case: []byte(e.c), Activity: []byte(e.a), Time: ts.UnixMicro(), Start: eventlog.NoTime,
			Department: []byte(e.d), Resource: []byte(e.r), Row: int64(i + 2)})
		for k, v := range []string{e.c, e.a, e.d, e.r} {
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
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
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
