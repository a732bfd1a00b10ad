package spill

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

const canPageOut = true

// unnamed opens an unnamed file in dir (O_TMPFILE).
func unnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// mapFile maps a new file of size bytes in dir, its blocks reserved so
// that a full disk is an error here rather than a fault on first write.
func mapFile(dir string, size int) ([]byte, error) {
	f, err := tempFile(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping keeps the file
	if err := unix.Fallocate(int(f.Fd()), 0, 0, int64(size)); err != nil {
		if err != unix.EOPNOTSUPP {
			return nil, fmt.Errorf("reserving %d bytes for temporary data: %w", size, err)
		}
		if err := f.Truncate(int64(size)); err != nil {
			return nil, err
		}
	}
	return unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

func unmap(b []byte) error { return unix.Munmap(b) }

// pageOut asks the kernel to write b's dirty pages to its file and drop
// its pages from memory, and returns how many bytes of b were resident.
func pageOut(b []byte) int64 {
	vec := make([]byte, (len(b)+pageSize-1)/pageSize)
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), uintptr(unsafe.Pointer(unsafe.SliceData(vec)))); e != 0 {
		return 0
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	if n > 0 {
		unix.Madvise(b, unix.MADV_PAGEOUT)
	}
	return int64(n) * int64(pageSize)
}

var pageSize = os.Getpagesize()

// resident returns the process's resident memory in bytes, 0 when it
// cannot be read.
func resident() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	n, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return n * int64(pageSize)
}
