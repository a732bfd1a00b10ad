// Package atomicfile replaces a file whole or not at all, so a reader, a
// crash or a killed run never sees it half-written, and an interrupted run
// leaves none of its temporary files behind (Finish).
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// Write writes a file at path with write, through a temporary file in the
// same folder (not the shared system temp folder, where another user could
// see its name) that is flushed to disk and renamed over path only when
// write succeeded. On any error path is as it was before, absent or the
// old file, and the temporary file is removed. The file is readable by
// others (0644): reports and converted logs are read by other tools. The
// temporary file is made and renamed in steps (Step), so Finish removes it
// when the run ends before the rename, and the rename is refused after.
func Write(path string, write func(io.Writer) error) (err error) {
	var f *renameio.PendingFile
	err = Step(func(t *Temps) (err error) {
		// No renameio permission option: it sets them after making the
		// file and leaves the file behind when that fails.
		if f, err = renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path))); err == nil {
			t.Made(f.Name())
		}
		return err
	})
	if errors.Is(err, errEnded) {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err != nil {
		return fmt.Errorf("%w; check that the folder exists and that you may write in it", err)
	}
	defer Step(func(t *Temps) error { t.Gone(f.Name()); return f.Cleanup() }) // a no-op once replaced
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		// Flushed to disk here, so that the step below, which Finish
		// waits for, is short (CloseAtomicallyReplace syncs again).
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w; the previous file is untouched", path, err)
	}
	return Step(func(t *Temps) error {
		if err := f.CloseAtomicallyReplace(); err != nil {
			return err
		}
		t.Gone(f.Name())
		t.Placed(path)
		return nil
	})
}
