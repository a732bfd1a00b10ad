// Package spill gives large pointer-free slices memory backed by files in
// a temporary folder instead of the Go heap, so that a run can hold more
// than the machine's memory: the kernel keeps their pages in the page
// cache and writes them to the file when memory is short, and a pager
// keeps the process's resident memory under a limit by asking the kernel
// to write out and drop pages (madvise MADV_PAGEOUT, Linux 5.4 and later)
// once it is exceeded.
//
// The same code reads and writes the slices whichever memory holds them,
// so a run gives the same results in memory and out of core. The files
// have no name (O_TMPFILE; elsewhere they are removed as soon as they are
// opened), so nothing is left in the folder after any end of the run, even
// a kill -9.
//
// A nil *Memory gives heap slices: callers use one code path for both.
// Slices from a Memory must not be used after Free or Close.
package spill
