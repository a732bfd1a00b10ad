package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
)

const tinyCSV = "case,activity,time,lifecycle:transition\n" +
	"c1,A,2024-01-01T10:00:00Z,start\n" +
	"c1,A,2024-01-01T11:00:00Z,complete\n" +
	"c2,B,2024-01-02T09:00:00Z,complete\n"

// listDir names the files in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestConvertExitCodes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte(tinyCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join("..", "..", "testdata", "broken")
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		out   string // substring of stdout
		err   string // substring of stderr
	}{
		{name: "help", args: []string{"convert", "--help"}, code: exitOK, out: "usage: caseflow convert [flags] IN... OUT"},
		{name: "help lists the read flags", args: []string{"convert", "-h"}, code: exitOK, out: "--max-rejects"},
		{name: "no arguments", args: []string{"convert"}, code: exitUsage, err: "name at least one input and the output"},
		{name: "only an input", args: []string{"convert", in}, code: exitUsage, err: "name at least one input and the output"},
		{name: "unknown extension", args: []string{"convert", in, filepath.Join(dir, "out.txt")}, code: exitUsage, err: "cannot tell the output format"},
		{name: "bad --output-format", args: []string{"convert", "--output-format", "json", in, filepath.Join(dir, "x")}, code: exitUsage, err: `unknown format "json"`},
		{name: "bad --input-format", args: []string{"convert", "--input-format", "json", in, filepath.Join(dir, "x.csv")}, code: exitUsage, err: `--input-format "json"`},
		{name: "stdout needs --output-format", args: []string{"convert", in, "-"}, code: exitUsage, err: "needs --output-format"},
		{name: "output is an input", args: []string{"convert", in, in}, code: exitUsage, err: "is also an input"},
		{name: "unknown flag", args: []string{"convert", "--bogus", in, "x.csv"}, code: exitUsage, err: "unknown flag: --bogus"},
		{name: "missing input", args: []string{"convert", filepath.Join(dir, "no.csv"), filepath.Join(dir, "x.csv")}, code: exitData, err: "no.csv"},
		{name: "too many rejects", args: []string{"convert", filepath.Join(broken, "impossible_date.csv"), filepath.Join(dir, "rejected.parquet")},
			code: exitData, err: "more than the limit of 1%"},
		{name: "--input-format mismatch", args: []string{"convert", "--input-format", "xes", in, filepath.Join(dir, "x.parquet")}, code: exitData,
			err: "in.csv is csv, not xes (--input-format)"},
		{name: "--pair-lifecycle without the column", args: []string{"convert", "--pair-lifecycle", filepath.Join(broken, "header_only.csv"), filepath.Join(dir, "x.xes")},
			code: exitData, err: "no lifecycle:transition column"},
		{name: "missing folder", args: []string{"convert", in, filepath.Join(dir, "no", "such", "out.parquet")}, code: exitData,
			err: "check that the folder exists"},
		{name: "stdin to stdout", args: []string{"convert", "--output-format", "xes", "-", "-"}, stdin: tinyCSV, code: exitOK,
			out: `<string key="concept:name" value="c2"/>`, err: "read 3 rows from 1 file, rejected 0; wrote 3 events in 2 cases to - (xes)"},
		{name: "pairing", args: []string{"convert", "--pair-lifecycle", "--output-format", "csv", in, "-"}, code: exitOK,
			out: "c1,A,2024-01-01T11:00:00.000000Z,2024-01-01T10:00:00.000000Z", err: "merged 1 start/complete pairs; wrote 2 events in 2 cases"},
		// The old names, which clash with analyze's activity flags, still work and say so.
		{name: "old --to", args: []string{"convert", "--to", "csv", in, "-"}, code: exitOK,
			out: "c1,A,", err: "convert --to is now --output-format"},
		{name: "old --from", args: []string{"convert", "--from", "xes", in, filepath.Join(dir, "y.parquet")}, code: exitData,
			err: "convert --from is now --input-format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := call(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %.300s\nstderr: %s", code, tc.code, out, errs)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
				t.Errorf("stdout %.300q should contain %q; stderr %q should contain %q", out, tc.out, errs, tc.err)
			}
		})
	}
	// Nothing but the input was written: no output of a failed run, no
	// temporary file.
	if got := listDir(t, dir); !slices.Equal(got, []string{"in.csv"}) {
		t.Errorf("the folder holds %q", got)
	}
}

// TestConvertReal converts the receipt log CSV → Parquet → XES.gz → CSV
// and reads each file back: the published counts hold at every step, the
// summary line says so, and the rejects file is written.
func TestConvertReal(t *testing.T) {
	src := realdata.Path(t, "receipt/receipt.csv")
	dir := t.TempDir()
	steps := []string{filepath.Join(dir, "r.parquet"), filepath.Join(dir, "r.xes.gz"), filepath.Join(dir, "r.csv")}
	in := src
	for _, out := range steps {
		rejects := filepath.Join(dir, "rejects-"+filepath.Base(out)+".csv")
		code, stdout, errs := call(t, "", "convert", "--rejects", rejects, in, out)
		if code != exitOK || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %s", out, code, stdout, errs)
		}
		if want := "read 8,577 rows from 1 file, rejected 0; wrote 8,577 events in 1,434 cases to " + out; !strings.Contains(errs, want) {
			t.Errorf("stderr %q, want …%s…", errs, want)
		}
		if b, err := os.ReadFile(rejects); err != nil || string(b) != "file,line,column,reason,raw\n" {
			t.Errorf("rejects file %q, %v", b, err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		res, err := ingest.Read([]string{out}, ingest.Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		if res.Log.Len() != 8577 || res.Log.Cases() != 1434 || res.Rejected != 0 {
			t.Errorf("%s: %d events, %d cases, %d rejected", out, res.Log.Len(), res.Log.Cases(), res.Rejected)
		}
		res.Release()
		mem.AssertSize(t, 0)
		in = out
	}
}
