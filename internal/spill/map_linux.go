package spill

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

const mappable = true

// errUnnamed says that the folder's file system cannot make unnamed files.
var errUnnamed = errors.New("no unnamed files (O_TMPFILE) here")

// unnamed opens an unnamed file in dir (O_TMPFILE, Linux 3.11): it has no
// name at any moment, so nothing is left whatever ends the process.
func unnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	switch {
	// A file system without O_TMPFILE says EOPNOTSUPP; a kernel older than
	// 3.11 sees O_DIRECTORY and says EISDIR; EINVAL is documented too.
	case err == unix.EOPNOTSUPP || err == unix.EISDIR || err == unix.EINVAL:
		return nil, errUnnamed
	case err != nil:
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// reserve allocates the blocks of n bytes of f from off on, extending it.
func reserve(f *os.File, off, n int64) error {
	return os.NewSyscallError("fallocate", unix.Fallocate(int(f.Fd()), 0, off, n))
}

func isFull(err error) bool {
	return errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.EDQUOT)
}

func isUnsupported(err error) bool { return errors.Is(err, unix.EOPNOTSUPP) }

// mapShared maps the first size bytes of f, shared, so that the kernel
// writes the pages to the file and not to swap.
func mapShared(f *os.File, size int) ([]byte, error) {
	return unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

// remap gives the mapping b size bytes, moving it if it must.
func remap(b []byte, size int) ([]byte, error) {
	return unix.Mremap(b, size, unix.MREMAP_MAYMOVE)
}

func unmap(b []byte) error { return unix.Munmap(b) }

// pageOut drops b's pages from the process's memory; their file keeps
// them (a dirty page stays in the page cache until written back).
func pageOut(b []byte) error { return unix.Madvise(b, unix.MADV_PAGEOUT) }

// writeBack starts writing the dirty pages of the first n bytes of f; it
// waits only when the disk's queue is full. f may be closed meanwhile
// (Control keeps its descriptor until it returns).
func writeBack(f *os.File, n int64) {
	if c, err := f.SyscallConn(); err == nil {
		c.Control(func(fd uintptr) { unix.SyncFileRange(int(fd), 0, n, unix.SYNC_FILE_RANGE_WRITE) })
	}
}

// statm is the process's /proc/self/statm, kept open: the pager reads it
// after each chunk it pages out.
var statm = sync.OnceValue(func() *os.File {
	f, _ := os.Open("/proc/self/statm")
	return f
})

// resident returns the process's resident memory in bytes, 0 when it
// cannot be read.
func resident() int64 {
	f := statm()
	if f == nil {
		return 0
	}
	var buf [128]byte
	n, _ := f.ReadAt(buf[:], 0)
	fields := bytes.Fields(buf[:n])
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// inMemoryFS says whether dir's file system keeps its files in memory.
func inMemoryFS(dir string) bool {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return false
	}
	return st.Type == unix.TMPFS_MAGIC || st.Type == unix.RAMFS_MAGIC
}

// openFileLimit returns how many files the process may have open.
func openFileLimit() int {
	var l unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &l) != nil {
		return 0
	}
	return int(min(l.Cur, 1<<20))
}
