package atomicfile

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
)

// A run ends at once on an interrupt (SIGINT, SIGTERM) or a memory
// breach, while its work may still be writing: main does not wait for
// the work to reach a point where it could stop. What keeps the files
// whole is that every change of a name on disk a run makes, a temporary
// file or folder made, a file or folder renamed into place or a temporary
// one removed, is a step (Step), and that Finish, which main calls before
// it exits, waits for the steps under way, lets no step run after it, and
// removes the temporary files and folders still made. Writing contents
// is not a step: a file being written when Finish removes it is only
// unlinked, and its writer's later steps are refused.

// errEnded is what a step returns once Finish has run.
var errEnded = errors.New("the run has ended; nothing more is written")

// Temps is what a process's steps did: the temporary files and folders
// made and not yet gone, and what was placed.
type Temps struct {
	// steps is held shared by each step and exclusively by finish, so
	// steps run side by side but never across Finish.
	steps sync.RWMutex
	ended bool // under steps

	mu     sync.Mutex // the steps running side by side change these
	made   map[string]bool
	placed []string
}

// run is the process's steps.
var run Temps

// Step runs step unless the run has ended (Finish), when it returns
// errEnded without running it. Finish waits for the steps under way, so a
// step must be short: make, rename or remove names, with Made, Gone and
// Placed saying which, but write no contents.
func Step(step func(*Temps) error) error { return run.step(step) }

// Finish ends the run's writing: it waits for the steps under way, lets
// no step run afterwards, and removes the temporary files and folders
// made and not gone. It returns the paths placed by the run, in order,
// and the error of any removal that failed. It is for main, just before
// the process exits; calling it again removes nothing more.
func Finish() (placed []string, err error) { return run.finish() }

func (t *Temps) step(step func(*Temps) error) error {
	t.steps.RLock()
	defer t.steps.RUnlock()
	if t.ended {
		return errEnded
	}
	return step(t)
}

func (t *Temps) finish() ([]string, error) {
	t.steps.Lock()
	t.ended = true
	t.steps.Unlock()
	// No step runs now or later: made and placed are this call's alone.
	var errs []error
	for _, p := range slices.Sorted(maps.Keys(t.made)) {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("removing the temporary %s: %w", p, err))
		}
	}
	clear(t.made)
	return t.placed, errors.Join(errs...)
}

// Made records that the step made path, a temporary file or folder.
func (t *Temps) Made(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.made == nil {
		t.made = map[string]bool{}
	}
	t.made[path] = true
}

// Gone records that the step renamed or removed the temporary path.
func (t *Temps) Gone(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.made, path)
}

// Placed records that the step put path in place, a whole file or
// folder written by the run.
func (t *Temps) Placed(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.placed = append(t.placed, path)
}
