package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/realdata"
)

// call runs the command line and returns exit code, stdout and stderr.
func call(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodesAndStreams(t *testing.T) {
	broken := filepath.Join("..", "..", "testdata", "broken")
	for _, tc := range []struct {
		name       string
		args       []string
		stdin      string
		code       int
		out, err   string // substrings expected on stdout and stderr
		emptyOut   bool
		emptyError bool
	}{
		{name: "no command", args: nil, code: exitUsage, err: "usage: caseflow", emptyOut: true},
		{name: "help", args: []string{"--help"}, code: exitOK, out: "Commands:", emptyError: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage, err: `unknown command "frobnicate"`},
		{name: "inspect help", args: []string{"inspect", "--help"}, code: exitOK, out: "--max-rejects", emptyError: true},
		{name: "inspect unknown flag", args: []string{"inspect", "--bogus", "x.csv"}, code: exitUsage, err: "unknown flag: --bogus"},
		{name: "inspect no file", args: []string{"inspect"}, code: exitUsage, err: "name at least one FILE"},
		{name: "bad timezone", args: []string{"inspect", "--timezone", "Mars/Olympus", "x.csv"}, code: exitUsage, err: "--timezone"},
		{name: "missing file", args: []string{"inspect", "no-such.csv"}, code: exitData, err: "no-such.csv", emptyOut: true},
		{name: "empty file", args: []string{"inspect", filepath.Join(broken, "empty.csv")}, code: exitData, err: "empty.csv:1:1: the file is empty"},
		{name: "too many rejects", args: []string{"inspect", filepath.Join(broken, "impossible_date.csv")}, code: exitData,
			err: "4 of 10 rows rejected, more than the limit of 1%"},
		{name: "rejects within the limit", args: []string{"inspect", "--max-rejects", "4", filepath.Join(broken, "impossible_date.csv")},
			code: exitOK, out: "impossible_date.csv:3:3: time column"},
		{name: "stdin", args: []string{"inspect", "-"}, stdin: "case,activity,time\nc,a,2021-01-01 10:00:00\n", code: exitOK, out: "<stdin>\n"},
		{name: "analyze sample", args: []string{"analyze"}, code: exitOK, out: "sample:contact-centre.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := call(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
				t.Errorf("stdout %q should contain %q; stderr %q should contain %q", out, tc.out, errs, tc.err)
			}
			if tc.emptyOut && out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
			if tc.emptyError && errs != "" {
				t.Errorf("stderr should be empty, got %q", errs)
			}
		})
	}
}

// TestInspectRealCounts checks `inspect --format json` against the counts
// published in ../shared/data/README.md.
func TestInspectRealCounts(t *testing.T) {
	for _, tc := range []struct {
		file          string
		flags         []string
		events, cases int
	}{
		{"receipt/receipt.csv", nil, 8577, 1434},
		{"bpic2014/BPIC14_incident_log.csv", nil, 39911, 4000},
		{"bpic2013/closed_problems.csv", []string{"--activity", "Problem Status,Problem Sub Status"}, 6660, 1487},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := realdata.Path(t, tc.file)
			code, out, errs := call(t, "", append(append([]string{"inspect", "--format", "json"}, tc.flags...), path)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var s struct{ Rows, Events, Rejected, Cases int }
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatal(err)
			}
			if s.Events != tc.events || s.Cases != tc.cases || s.Rejected != 0 || s.Rows != tc.events {
				t.Errorf("got %+v, want %d events, %d cases, 0 rejected", s, tc.events, tc.cases)
			}
		})
	}
}

func TestRejectsFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rejects.csv")
	code, _, errs := call(t, "", "inspect", "--max-rejects", "100%", "--rejects", out, filepath.Join("..", "..", "testdata", "broken", "wrong_field_count.csv"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := readFile(t, out)
	want := "file,line,column,reason,raw\n"
	if !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 3 || !strings.Contains(got, "wrong_field_count.csv,3,5,the row has 5 fields") {
		t.Errorf("rejects file:\n%s", got)
	}
}
