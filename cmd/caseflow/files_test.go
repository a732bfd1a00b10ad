package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAnalyzeWritesOnlyItsFiles starts this test binary afresh with its
// home, configuration, cache and temporary folders empty and private, and
// has it run analyze on the built-in sample with --out and case
// pseudonyms but no key: afterwards the temporary and cache folders are
// empty, the configuration folder holds the key made on first use
// (caseflow/key) and nothing else, and every other file is in the --out
// folder but one: the lock file beside it (.DIR.caseflow-lock,
// report.OpenDir, holding the last run's process id), which cannot be
// inside a folder that is exchanged whole, and stays so that every run
// locks the same file. (TestMain's folder for keys, made in the child's temporary
// folder, is removed before it exits; the child points the configuration
// folder back at the test's.)
func TestAnalyzeWritesOnlyItsFiles(t *testing.T) {
	if dir := os.Getenv("CASEFLOW_FILES_CHILD"); dir != "" {
		os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
		out := filepath.Join(dir, "work", "report")
		if code := run([]string{"analyze", "--pseudonymise-cases", "--out", out}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			t.Fatalf("exit status %d", code)
		}
		return
	}
	home := t.TempDir()
	for _, d := range []string{"tmp", "cache", "config", "work"} {
		if err := os.Mkdir(filepath.Join(home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAnalyzeWritesOnlyItsFiles$")
	cmd.Dir = filepath.Join(home, "work")
	cmd.Env = append(os.Environ(), "CASEFLOW_FILES_CHILD="+home, "HOME="+home, keyEnv+"=",
		"TMPDIR="+filepath.Join(home, "tmp"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("caseflow analyze: %v\n%s", err, out)
	}
	var files, reports []string
	err := filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(home, path)
		if r, ok := strings.CutPrefix(rel, filepath.Join("work", "report")+string(filepath.Separator)); ok {
			reports = append(reports, r)
		} else {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join("work", ".report.caseflow-lock")
	if want := []string{filepath.Join("config", "caseflow", "key"), lock}; !slices.Equal(files, want) {
		t.Errorf("files outside --out: %q, want only %q", files, want)
	}
	if b, err := os.ReadFile(filepath.Join(home, lock)); err == nil && strings.Trim(string(b), "0123456789\n") != "" {
		t.Errorf("the lock file holds %q, not a process id", b)
	}
	for _, want := range []string{"report.json", "report.txt", "report.html", "process-map.svg"} {
		if !slices.Contains(reports, want) {
			t.Errorf("--out holds %q, no %s", reports, want)
		}
	}
}
