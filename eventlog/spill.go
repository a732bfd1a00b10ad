package eventlog

import (
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/spill"
)

// Columns, dictionaries and what readers make per event or per case come
// from a *spill.Memory: file-backed memory for the out-of-core route, the
// Go heap when it is nil (the same code either way). A slice that a grown
// or merged one replaces, and scratch, is freed at once. The columns and
// dictionaries a Builder hands to its Log stay in the Memory until it is
// closed, whatever the Log's Release: a reader may hold a slice of them
// past it, as it may on the heap. Columns that Arrow's kernels make for
// Filter are Arrow's, freed when their buffers are released.

// arrowMemory is an Arrow allocator of memory from m, for the Arrow
// kernels (Filter's) that make columns of a log in m, and readers of
// inputs as large as the log. Its buffers are freed when Arrow releases
// them.
type arrowMemory struct{ m *spill.Memory }

func (a arrowMemory) Allocate(size int) []byte { return spill.Make[byte](a.m, size) }

func (a arrowMemory) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		return b[:size]
	}
	c := spill.Make[byte](a.m, size)
	copy(c, b)
	spill.Free(a.m, b)
	return c
}

func (a arrowMemory) Free(b []byte) { spill.Free(a.m, b) }

// Allocator is mem, or when m is not nil an Arrow allocator whose buffers
// come from m (as Make gives them: file-backed when large) and are freed
// when Arrow releases them.
func Allocator(mem memory.Allocator, m *spill.Memory) memory.Allocator {
	if m == nil {
		return mem
	}
	return arrowMemory{m}
}
