package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/ingest"
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
		{name: "version", args: []string{"version"}, code: exitOK, out: "caseflow ", emptyError: true},
		{name: "--version", args: []string{"--version"}, code: exitOK, out: ", " + runtime.Version() + "\n", emptyError: true},
		{name: "help analyze", args: []string{"help", "analyze"}, code: exitOK, out: "usage: caseflow analyze [flags] [FILE...]", emptyError: true},
		{name: "help unknown", args: []string{"help", "frobnicate"}, code: exitUsage, err: `unknown command "frobnicate"`},
		{name: "a folder", args: []string{"analyze", broken}, code: exitData, err: broken + " is a folder; name the files in it, e.g. " + filepath.Join(broken, "*.csv")},
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

// TestBoolFlagsPlain: every command's help shows boolean flags as
// --quiet, never pflag's --quiet[=true|false], and they still work alone.
func TestBoolFlagsPlain(t *testing.T) {
	for cmd, flag := range map[string]string{"analyze": "--quiet", "inspect": "--reveal-resources", "convert": "--pair-lifecycle", "generate": "--realistic"} {
		_, out, _ := call(t, "", cmd, "--help")
		if strings.Contains(out, "[=true|false]") || !strings.Contains(out, flag+"  ") {
			t.Errorf("%s --help shows boolean flags with a value:\n%s", cmd, out)
		}
	}
	if code, _, errs := call(t, "", "analyze", "--quiet", "--reveal-resources"); code != exitOK || errs != "" {
		t.Errorf("boolean flags alone: exit %d, %s", code, errs)
	}
}

// TestGenerateExtension: generate writes the format --out's name ends in,
// as convert does, and refuses one it cannot write.
func TestGenerateExtension(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, magic string
	}{
		{"log.csv.gz", "\x1f\x8b"}, {"log.parquet", "PAR1"}, {"log.csv", "case_id,"},
	} {
		path := filepath.Join(dir, tc.name)
		if code, _, errs := call(t, "", "generate", "--cases", "20", "--out", path); code != exitOK {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errs)
		}
		if got := readFile(t, path); !strings.HasPrefix(got, tc.magic) {
			t.Errorf("%s starts with %q, want %q", tc.name, got[:min(len(got), 8)], tc.magic)
		}
		res, err := ingest.Read([]string{path}, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Log.Cases() != 20 {
			t.Errorf("%s: %d cases read back, want 20", tc.name, res.Log.Cases())
		}
		res.Release()
	}
	if code, _, errs := call(t, "", "generate", "--out", filepath.Join(dir, "log.xes")); code != exitUsage || !strings.Contains(errs, "generate writes csv, csv.gz or parquet") {
		t.Errorf("log.xes: exit %d, %s", code, errs)
	}
}
