package report

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// exchangePaths swaps a and b in one step with renameat2(2)'s
// RENAME_EXCHANGE (Linux 3.15; ext4, xfs, btrfs, tmpfs and others).
func exchangePaths(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return fmt.Errorf("exchanging %s and %s: %w (%w)", a, b, errors.ErrUnsupported, err)
	}
	return fmt.Errorf("exchanging %s and %s: %w", a, b, err)
}
