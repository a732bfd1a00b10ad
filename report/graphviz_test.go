package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGraphvizCachePrivate starts this test binary afresh (go-graphviz
// compiles and caches its module while the program starts, before any
// command runs) and checks where the compiled code went: never into
// $TMPDIR/go-graphviz, which other users can create first; into the user's
// own 0700 cache folder when it is theirs alone, else nowhere; and TMPDIR
// is as it was for the rest of the program. The child, marked by
// CASEFLOW_PRINT_TMPDIR, only prints os.TempDir.
func TestGraphvizCachePrivate(t *testing.T) {
	if os.Getenv("CASEFLOW_PRINT_TMPDIR") != "" {
		fmt.Printf("tempdir=%s\n", os.TempDir())
		return
	}
	tests := []struct {
		name   string
		mode   os.FileMode // of <cache>/caseflow made beforehand, 0: none
		cached bool
	}{
		{"fresh user cache folder", 0, true},
		{"own folder, closed", 0o700, true},
		{"folder others can write", 0o777, false},
		{"folder others can read", 0o755, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp, cache := t.TempDir(), t.TempDir()
			dir := filepath.Join(cache, "caseflow")
			if tt.mode != 0 {
				if err := os.Mkdir(dir, tt.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dir, tt.mode); err != nil { // past the umask
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestGraphvizCachePrivate$", "-test.v")
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_CACHE_HOME="+cache, "HOME="+cache, "CASEFLOW_PRINT_TMPDIR=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "tempdir="+tmp+"\n") {
				t.Errorf("TMPDIR not restored after start-up; child said:\n%s", out)
			}
			if _, err := os.Stat(filepath.Join(tmp, "go-graphviz")); !os.IsNotExist(err) {
				t.Errorf("$TMPDIR/go-graphviz exists (err %v): compiled code in a shared folder", err)
			}
			_, err = os.Stat(filepath.Join(dir, "go-graphviz"))
			if cached := err == nil; cached != tt.cached {
				t.Errorf("cache in %s: %v, want %v", dir, cached, tt.cached)
			}
			if fi, err := os.Stat(dir); tt.mode == 0 && (err != nil || fi.Mode().Perm() != 0o700) {
				t.Errorf("cache folder made as %v (err %v), want 0700", fi.Mode(), err)
			}
		})
	}
}
