package mining

import "github.com/caseflow/caseflow/internal/spill"

// The slices that grow with the events or the cases come from
// Options.Memory (see package spill): file-backed when it is set, from
// the heap when it is nil, by the same code. Each is given back with
// spill.Free where the analysis drops it; the helpers below are the
// make, append and clone of such slices.

// clone returns a copy of s made in m.
func clone[T any](m *spill.Memory, s []T) []T {
	c := spill.Make[T](m, len(s))
	copy(c, s)
	return c
}

// push appends v to s, growing s in m when it is full.
func push[T any](m *spill.Memory, s []T, v ...T) []T {
	return append(spill.Grow(m, s, len(v)), v...)
}

// resize returns scratch space of n elements, contents unspecified: s
// when it has room, else a new slice from m, s being freed.
func resize[T any](m *spill.Memory, s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	spill.Free(m, s)
	return spill.Make[T](m, n)
}

// freeAll frees every slice of xs.
func freeAll[T any](m *spill.Memory, xs ...[]T) {
	for _, x := range xs {
		spill.Free(m, x)
	}
}
