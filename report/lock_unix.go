//go:build unix

package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive flock(2) on path, creating it, and writes
// this process's id in it, so a run kept out can say which run holds it.
// The lock ends when the file is closed, or the process ends however it
// ends, so a killed run never leaves the folder locked.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			who := "another run" // one that has not written its id yet
			if pid := bytes.TrimSpace(b); len(pid) > 0 {
				who = "caseflow run pid " + string(pid)
			}
			return nil, fmt.Errorf("%w: %s is writing it (lock %s); wait for it to end, or name another folder", ErrLocked, who, path)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	// The id only serves the message of a run kept out, so its errors are
	// of no consequence.
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}
