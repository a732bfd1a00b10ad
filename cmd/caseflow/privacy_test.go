package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
)

// privateCSV names two agents and two customers, and has a free-text note.
const privateCSV = "case,activity,time,agent,customer_id,note\n" +
	"c1,Open,2024-01-01T10:00:00Z,Ann Smith,4711,called back\n" +
	"c1,Close,2024-01-01T11:00:00Z,Bob Jones,4711,\n" +
	"c2,Open,2024-01-02T09:00:00Z,Ann Smith,C-17,Mrs Brown\n"

// hmacName is the pseudonym computed here from RFC 2104, not by caseflow:
// HMAC-SHA256(key, prefix ‖ name), as `printf 'res-Ann' | openssl dgst
// -sha256 -hmac KEY` computes it.
func hmacName(prefix, key, name string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(prefix + name))
	return prefix + hex.EncodeToString(m.Sum(nil))[:12]
}

// TestConvertPrivate: by default convert writes the agents' and the
// customers' pseudonyms under the key (the same as analyze's), names the
// text column it leaves as it is; each --reveal flag shows one kind of
// name, --drop leaves a column out.
func TestConvertPrivate(t *testing.T) {
	t.Setenv(keyEnv, "k")
	in := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(in, []byte(privateCSV), 0o644)
	names := []string{"Ann Smith", "Bob Jones", "4711", "C-17"}
	for _, tc := range []struct {
		name  string
		flags []string
		shown []string // the names shown as they are
		err   string   // on stderr
		note  bool     // the note column is written
	}{
		{"default", nil, nil, `column "customer_id" taken for customer ids`, true},
		{"reveal resources", []string{"--reveal-resources"}, names[:2], "note: columns written as they are: note;", true},
		{"reveal customers", []string{"--reveal-customers"}, names[2:], "", true},
		{"drop", []string{"--drop", "note"}, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"convert", "--output-format", "csv"}, tc.flags...)
			code, out, errs := call(t, "", append(args, in, "-")...)
			if code != exitOK || !strings.Contains(errs, tc.err) {
				t.Fatalf("exit %d, stderr %q; want 0 and %q", code, errs, tc.err)
			}
			for _, n := range names {
				prefix := "res-"
				if slices.Contains(names[2:], n) {
					prefix = "cus-"
				}
				clear := slices.Contains(tc.shown, n)
				if strings.Contains(out, ","+n+",") != clear || strings.Contains(out, hmacName(prefix, "k", n)) == clear {
					t.Errorf("%s shown as it is: %v, want %v\n%s", n, !clear, clear, out)
				}
			}
			if strings.Contains(out, "Mrs Brown") != tc.note {
				t.Errorf("the note written: %v, want %v\n%s", !tc.note, tc.note, out)
			}
		})
	}
	// --pseudonymise-cases, in convert and in inspect's examples.
	for _, cmd := range [][]string{{"convert", "--output-format", "csv", "--pseudonymise-cases", in, "-"}, {"inspect", "--pseudonymise-cases", in}} {
		_, out, _ := call(t, "", cmd...)
		if p := hmacName("case-", "k", "c1"); !strings.Contains(out, p) || strings.Contains(out, "c1,") || strings.Contains(out, `"c1"`) {
			t.Errorf("%s --pseudonymise-cases: c1 not shown as %s:\n%s", cmd[0], p, out)
		}
	}
	// --customer names the column; a name that is no column is refused.
	if code, _, errs := call(t, "", "convert", "--output-format", "csv", "--customer", "client", in, "-"); code != exitUsage || !strings.Contains(errs, "--customer client: no such column") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if code, _, errs := call(t, "", "convert", "--output-format", "csv", "--drop", "case", in, "-"); code != exitUsage || !strings.Contains(errs, "every event needs") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestConvertFileName: the Parquet file's file column names the input
// without its folder, and the pseudonyms read back as the resources.
func TestConvertFileName(t *testing.T) {
	t.Setenv(keyEnv, "k")
	dir := filepath.Join(t.TempDir(), "home", "ann")
	os.MkdirAll(dir, 0o755)
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.parquet")
	os.WriteFile(in, []byte(privateCSV), 0o644)
	if code, _, errs := call(t, "", "convert", in, out); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	res, err := ingest.Read([]string{out}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got := res.Log.Codes(eventlog.File).Names; !slices.Equal(got, []string{"in.csv"}) {
		t.Errorf("file column %q, want in.csv alone", got)
	}
	want := []string{hmacName("res-", "k", "Ann Smith"), hmacName("res-", "k", "Bob Jones")}
	if got := res.Log.Codes(eventlog.Resource).Names; !slices.Equal(got, want) {
		t.Errorf("resources %q, want %q", got, want)
	}
}

// TestInspectPrivate: inspect shows the agents' and customers' example
// values as pseudonyms, in text and JSON, unless revealed.
func TestInspectPrivate(t *testing.T) {
	t.Setenv(keyEnv, "k")
	in := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(in, []byte(privateCSV), 0o644)
	for _, tc := range []struct {
		flags []string
		shown []string
	}{
		{nil, nil},
		{[]string{"--format", "json"}, nil},
		{[]string{"--reveal-resources"}, []string{"Ann Smith", "Bob Jones"}},
		{[]string{"--reveal-customers", "--format", "json"}, []string{"4711", "C-17"}},
	} {
		code, out, errs := call(t, "", append(append([]string{"inspect"}, tc.flags...), in)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.flags, code, errs)
		}
		for _, n := range []string{"Ann Smith", "Bob Jones", "4711", "C-17"} {
			prefix := "res-"
			if n == "4711" || n == "C-17" {
				prefix = "cus-"
			}
			clear := slices.Contains(tc.shown, n)
			if strings.Contains(out, `"`+n+`"`) != clear || strings.Contains(out, hmacName(prefix, "k", n)) == clear {
				t.Errorf("%v: %s shown as it is: %v, want %v\n%s", tc.flags, n, !clear, clear, out)
			}
		}
		if !strings.Contains(out, "Mrs Brown") {
			t.Errorf("%v: the note's examples are not shown:\n%s", tc.flags, out)
		}
	}
}

// TestPseudonymiseCases: with --pseudonymise-cases no output of analyze
// (text and JSON on standard output, every file of --out, --html) holds a
// case id, and cases.csv holds each id's HMAC pseudonym; without it,
// cases.csv holds the ids.
func TestPseudonymiseCases(t *testing.T) {
	t.Setenv(keyEnv, "k")
	ids := []string{"TICKET-4711", "TICKET-4712", "TICKET-4713"}
	log := "case,activity,time,department\n"
	for i, id := range ids {
		log += fmt.Sprintf("%s,Open,2024-01-0%d 09:00,Front\n%s,Fix,2024-01-0%d 10:00,Back\n%s,Close,2024-01-0%d 1%d:00,Front\n", id, i+1, id, i+1, id, i+1, i+1)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte(log), 0o644)
	for _, pseudo := range []bool{true, false} {
		out, page := filepath.Join(dir, fmt.Sprint("out-", pseudo)), filepath.Join(dir, fmt.Sprint("page-", pseudo, ".html"))
		var all strings.Builder
		for _, format := range []string{"text", "json"} {
			args := []string{"analyze", "--quiet", "--format", format, in}
			if format == "json" {
				args = append(args, "--out", out, "--html", page)
			}
			if pseudo {
				args = append(args, "--pseudonymise-cases")
			}
			code, stdout, errs := call(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			all.WriteString(stdout)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*"))
		for _, f := range append(files, page) {
			all.WriteString(readFile(t, f))
		}
		cases := readFile(t, filepath.Join(out, "cases.csv"))
		for _, id := range ids {
			if strings.Contains(all.String(), id) == pseudo {
				t.Errorf("pseudonymised %v: %s shown: %v", pseudo, id, !pseudo)
			}
			if !strings.Contains(cases, id) && !pseudo {
				t.Errorf("cases.csv lacks %s", id)
			}
			if p := hmacName("case-", "k", id); strings.Contains(cases, p) != pseudo {
				t.Errorf("pseudonymised %v: cases.csv holds %s: %v", pseudo, p, !pseudo)
			}
		}
	}
}
