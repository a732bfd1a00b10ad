package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// TestFinish: finish waits for a step under way (one that makes a
// temporary and places a file, standing for a report folder's switch),
// then removes the temporaries still made, files and folders, and not
// those gone; it returns what was placed, and no step runs after it.
func TestFinish(t *testing.T) {
	dir := t.TempDir()
	path := func(n string) string { return filepath.Join(dir, n) }
	var run Temps
	mkdir := func(n string) func(*Temps) error {
		return func(t *Temps) error {
			err := os.Mkdir(path(n), 0o755)
			t.Made(path(n))
			return err
		}
	}
	if err := run.step(mkdir("staging")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path("staging/half.csv"), []byte("half"), 0o644)
	if err := run.step(mkdir("gone")); err != nil {
		t.Fatal(err)
	}
	if err := run.step(func(t *Temps) error { t.Gone(path("gone")); return nil }); err != nil {
		t.Fatal(err)
	}

	inStep, release, stepped := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		stepped <- run.step(func(t *Temps) error {
			close(inStep)
			<-release
			if err := os.WriteFile(path(".page.html123"), nil, 0o644); err != nil {
				return err
			}
			t.Made(path(".page.html123"))
			t.Placed(path("report"))
			return nil
		})
	}()
	<-inStep
	type result struct {
		placed []string
		err    error
	}
	finished := make(chan result)
	go func() { p, err := run.finish(); finished <- result{p, err} }()
	// finish waits for the lock once a new step can no longer take it.
	for run.steps.TryRLock() {
		run.steps.RUnlock()
		runtime.Gosched()
	}
	close(release)
	if err := <-stepped; err != nil {
		t.Fatal(err)
	}
	r := <-finished
	if r.err != nil || !slices.Equal(r.placed, []string{path("report")}) {
		t.Errorf("finish: placed %q, %v; want %q", r.placed, r.err, path("report"))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "gone" {
		t.Errorf("after finish the folder holds %v, want only the temporary recorded as gone", entries)
	}
	ran := false
	if err := run.step(func(*Temps) error { ran = true; return nil }); !errors.Is(err, errEnded) || ran {
		t.Errorf("a step after finish: %v, ran %v; want errEnded and not run", err, ran)
	}
	if p, err := run.finish(); err != nil || len(p) != 1 {
		t.Errorf("finish again: %q, %v; want the same placed and nothing to remove", p, err)
	}
}

// TestWriteSteps: Write leaves no temporary recorded as made, after a
// failure or a success, and records the file as placed only on success.
func TestWriteSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	placed := len(run.placed)
	broken := errors.New("broken")
	if err := Write(path, func(w io.Writer) error { return broken }); !errors.Is(err, broken) {
		t.Fatalf("err = %v, want %v", err, broken)
	}
	if len(run.made) != 0 || len(run.placed) != placed {
		t.Errorf("after a failure: made %v, placed %q; want none and none", run.made, run.placed[placed:])
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Fatal(err)
	}
	if len(run.made) != 0 || !slices.Equal(run.placed[placed:], []string{path}) {
		t.Errorf("after a success: made %v, placed %q; want none and %q", run.made, run.placed[placed:], path)
	}
}
