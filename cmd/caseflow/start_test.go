package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoGraphviz checks that the command links no WebAssembly runtime:
// Graphviz compiled to WebAssembly (go-graphviz on wazero) used to compile
// itself at the start of every command and cache machine code on disk; the
// SVG files are now drawn by internal/drawing, as the HTML page is.
func TestNoGraphviz(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	drawing := false
	for _, p := range deps {
		if strings.Contains(p, "go-graphviz") || strings.Contains(p, "wazero") {
			t.Errorf("caseflow links %s", p)
		}
		drawing = drawing || p == "github.com/caseflow/caseflow/internal/drawing"
	}
	if !drawing {
		t.Errorf("caseflow does not link internal/drawing; packages:\n%s", out)
	}
}

// TestHelpWritesNothing starts this test binary afresh, so that every
// package initialiser runs, with its temporary, cache and configuration
// folders empty and private, and has it run caseflow --help: the folders
// stay empty (nothing is compiled, cached or created before a command
// needs it). The child, marked by CASEFLOW_HELP_CHILD, only runs --help
// (and TestMain's folder for keys, which it removes).
func TestHelpWritesNothing(t *testing.T) {
	if os.Getenv("CASEFLOW_HELP_CHILD") != "" {
		if code := run([]string{"--help"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			t.Fatalf("exit status %d", code)
		}
		return
	}
	home := t.TempDir()
	dirs := map[string]string{}
	for _, v := range []string{"TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
		dirs[v] = filepath.Join(home, strings.ToLower(v))
		if err := os.Mkdir(dirs[v], 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelpWritesNothing$")
	cmd.Env = append(os.Environ(), "CASEFLOW_HELP_CHILD=1", "HOME="+home,
		"TMPDIR="+dirs["TMPDIR"], "XDG_CACHE_HOME="+dirs["XDG_CACHE_HOME"], "XDG_CONFIG_HOME="+dirs["XDG_CONFIG_HOME"])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("caseflow --help: %v\n%s", err, out)
	}
	err := filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if rel, _ := filepath.Rel(home, path); rel != "." && dirs[strings.ToUpper(rel)] == "" {
			t.Errorf("caseflow --help wrote %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
