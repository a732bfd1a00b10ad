// Package atomicfile replaces a file whole or not at all, so a reader, a
// crash or a killed run never sees it half-written.
package atomicfile

import (
	"bufio"
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
// others (0644): reports and converted logs are read by other tools.
func Write(path string, write func(io.Writer) error) error {
	f, err := renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path)), renameio.WithStaticPermissions(0o644))
	if err != nil {
		return fmt.Errorf("%w; check that the folder exists and that you may write in it", err)
	}
	defer f.Cleanup() // a no-op once replaced
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("writing %s: %w; the previous file is untouched", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w; the previous file is untouched", path, err)
	}
	return f.CloseAtomicallyReplace()
}
