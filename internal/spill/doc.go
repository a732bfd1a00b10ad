// Package spill gives large pointer-free slices memory backed by files in
// a temporary folder instead of the Go heap, so that a run can hold more
// than the machine's memory.
//
// Make, MakeCap and Grow return ordinary slices; the same code reads and
// writes them whichever memory holds them, so a run gives the same
// results in memory and out of core. A nil *Memory means "in memory":
// every slice is from the heap, Free and the methods do nothing, and
// callers keep one code path for both routes. With a Memory, a slice of
// at least 1 MiB (SetThreshold changes that) is a file of its own mapped
// shared into memory: the kernel keeps its pages in the page cache and
// writes them to the file, never to swap. Slices from a Memory must not
// be used after Free, a Grow that moved them, or Close (the access faults).
// So never Grow or Free a copy of a slice that you also keep: after a Grow
// that moves the mapping, the other copies point at unmapped memory
// (unlike after slices.Grow, where they keep the old array). Only the
// slice as Make, MakeCap or Grow returned it (any length, the same start
// and capacity) frees or moves its mapping; Free or Grow of a part of it
// (s[1:], s[:10:10]) leaves the mapping alone, Grow copying that part.
//
// Files. They are made in the folder given to New (--tmp; the system's
// temporary folder by default) with no name at all (O_TMPFILE), so
// nothing is left there after any end of the run, kill -9 included, and
// Close leaves the folder as it was. Where the file system cannot make
// unnamed files, a file is named .caseflow-spill-* for the instant
// between its creation and its removal. Each file's blocks are reserved
// (fallocate) before it is mapped, so a full disk makes Make fall back to
// the heap and Err say "the folder for temporary files DIR is full" (a
// *FolderError, which callers may word with their own name for DIR),
// rather than a crash (SIGBUS) on the first write; New refuses a folder
// whose file system cannot reserve space. A folder on tmpfs takes the
// files but holds their pages in memory (or swap): Warning says so.
//
// Paging. With a limit, a pager checks the process's resident memory
// every 10 ms and, above the limit, asks the kernel to drop the slices'
// pages from it (madvise MADV_PAGEOUT, Linux 5.4 or later) and starts
// writing them to their files; they fault back in when used. PageOut does
// the same once, and says how. On an older kernel New finds that the
// kernel refuses, starts no pager and PagerErr says so: the run goes on, its
// resident memory left to the kernel. Elsewhere than Linux every slice is
// on the heap and Err says so.
package spill
