package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/report"
)

// TestOutLocked: while another run holds the report folder, analyze --out
// fails at once (before reading), naming that run's process id, and
// leaves the report as it was; once the other run ends, it writes.
func TestOutLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, errs := call(t, "", "analyze", "--quiet", "--out", dir); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	before := readFile(t, filepath.Join(dir, "report.json"))
	other, err := report.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := call(t, "", "analyze", "--quiet", "--seed", "7", "--out", dir)
	if code != exitData || out != "" || !strings.Contains(errs, "locked: caseflow run pid "+strconv.Itoa(os.Getpid())+" is writing it") {
		t.Errorf("exit %d, stdout %d bytes, stderr %q; want 1 at once, naming pid %d", code, len(out), errs, os.Getpid())
	}
	if readFile(t, filepath.Join(dir, "report.json")) != before {
		t.Error("the report changed under the other run")
	}
	other.Close()
	if code, _, errs := call(t, "", "analyze", "--quiet", "--out", dir); code != exitOK {
		t.Errorf("after the other run: exit %d: %s", code, errs)
	}
}
