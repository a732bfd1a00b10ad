//go:build unix

package gvcache

import (
	"os"
	"syscall"
)

// closed reports whether path is a folder (not a link) that no other user
// can change: owned by the user (or, unless own, by root) and not writable
// by group or others; with own, also not readable by them.
func closed(path string, own bool) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.IsDir() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	uid := uint32(os.Geteuid())
	switch {
	case st.Uid != uid && (own || st.Uid != 0):
		return false
	case own:
		return fi.Mode().Perm()&0o077 == 0
	default:
		return fi.Mode().Perm()&0o022 == 0
	}
}
