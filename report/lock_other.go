//go:build !unix

package report

import "os"

// lockFile opens the lock file; where flock(2) does not exist, concurrent
// runs are not kept apart.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
