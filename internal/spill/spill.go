package spill

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sync"
	"time"
	"unsafe"
)

// minMapped is the smallest slice, in bytes, that Make backs with a file:
// smaller ones are not worth a mapping and a file of their own.
const minMapped = 1 << 20

// pageEvery is how often the pager reads the resident memory.
const pageEvery = 10 * time.Millisecond

// Memory hands out file-backed slices and pages them out to keep the
// process's resident memory under its limit.
type Memory struct {
	dir   string
	limit int64

	mu      sync.Mutex
	regions map[uintptr]*region // by the address of the first byte
	order   []*region           // in the order they were made, for the pager
	mapped  int64               // bytes mapped now
	peak    int64               // most bytes mapped at once
	pages   int                 // times the pager paged out
	err     error               // the first mapping that failed; its slice is on the heap

	quit chan struct{}
	done chan struct{}
}

type region struct {
	b []byte
}

// New returns a Memory whose files are made in dir and whose pager keeps
// the resident memory of the process under limit bytes (no pager for
// limit ≤ 0). It fails when dir cannot hold such files.
func New(dir string, limit int64) (*Memory, error) {
	f, err := tempFile(dir)
	if err != nil {
		return nil, fmt.Errorf("the folder for temporary files %s cannot be used: %w", dir, err)
	}
	f.Close()
	m := &Memory{dir: dir, limit: limit, regions: map[uintptr]*region{}, quit: make(chan struct{}), done: make(chan struct{})}
	if limit > 0 && canPageOut {
		go m.pager()
	} else {
		close(m.done)
	}
	return m, nil
}

// Close stops the pager and unmaps every slice still made; their files
// go with them. A nil Memory closes without error.
func (m *Memory) Close() error {
	if m == nil {
		return nil
	}
	select {
	case <-m.quit:
		return nil
	default:
	}
	close(m.quit)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, r := range m.order {
		errs = append(errs, unmap(r.b))
	}
	m.regions, m.order, m.mapped = map[uintptr]*region{}, nil, 0
	return errors.Join(errs...)
}

// Stats says how much the Memory holds: the bytes mapped now and at most,
// and how often the pager paged out.
type Stats struct {
	Mapped, Peak int64
	PageOuts     int
}

// Stats returns the Memory's figures; zero for nil.
func (m *Memory) Stats() Stats {
	if m == nil {
		return Stats{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return Stats{Mapped: m.mapped, Peak: m.peak, PageOuts: m.pages}
}

// Err returns the first failure to back a slice with a file (the folder
// full, say); that slice and later ones were made on the heap instead.
func (m *Memory) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Make returns a zeroed slice of n Ts, file-backed when m is not nil and
// the slice is large, else from the heap. T must hold no pointers: the
// collector does not see into file-backed memory.
func Make[T any](m *Memory, n int) []T {
	return MakeCap[T](m, n, n)
}

// MakeCap is Make with a capacity c ≥ n.
func MakeCap[T any](m *Memory, n, c int) []T {
	size := int(unsafe.Sizeof(*new(T)))
	if m == nil || c*size < minMapped {
		return make([]T, n, c)
	}
	plain[T]()
	b := m.alloc(c * size)
	if b == nil {
		return make([]T, n, c)
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), c)[:n]
}

// Free gives back a slice from Make; a heap slice, nil or an empty one is
// left to the collector. s must not be used after.
func Free[T any](m *Memory, s []T) {
	if m == nil || cap(s) == 0 {
		return
	}
	m.free(uintptr(unsafe.Pointer(unsafe.SliceData(s))))
}

// Grow returns s with room for n more elements, as slices.Grow does,
// moving it to a larger slice from m (and freeing the old one) when it is
// full.
func Grow[T any](m *Memory, s []T, n int) []T {
	if n < 0 {
		panic("spill.Grow: negative count")
	}
	if cap(s)-len(s) >= n {
		return s
	}
	if m == nil {
		return slices.Grow(s, n)
	}
	t := MakeCap[T](m, len(s), max(2*cap(s), len(s)+n))
	copy(t, s)
	Free(m, s)
	return t
}

func (m *Memory) alloc(size int) []byte {
	b, err := mapFile(m.dir, size)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		if m.err == nil {
			m.err = err
		}
		return nil
	}
	r := &region{b: b}
	m.regions[uintptr(unsafe.Pointer(unsafe.SliceData(b)))] = r
	m.order = append(m.order, r)
	m.mapped += int64(len(b))
	m.peak = max(m.peak, m.mapped)
	return b
}

func (m *Memory) free(at uintptr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.regions[at]
	if !ok {
		return
	}
	delete(m.regions, at)
	m.order = slices.DeleteFunc(m.order, func(x *region) bool { return x == r })
	m.mapped -= int64(len(r.b))
	if err := unmap(r.b); err != nil && m.err == nil {
		m.err = err
	}
}

// pager pages out the mapped slices whenever the process's resident
// memory exceeds the limit, oldest first, until what it asked to drop
// covers the excess.
func (m *Memory) pager() {
	defer close(m.done)
	tick := time.NewTicker(pageEvery)
	defer tick.Stop()
	for {
		select {
		case <-m.quit:
			return
		case <-tick.C:
		}
		over := resident() - m.limit
		if over <= 0 {
			continue
		}
		m.mu.Lock()
		for _, r := range m.order {
			if over <= 0 {
				break
			}
			over -= pageOut(r.b)
		}
		m.pages++
		m.mu.Unlock()
	}
}

var plainTypes sync.Map // reflect.Type → true once checked

// plain panics when T holds pointers, which the collector would not see
// in file-backed memory: a programming error, not a run-time condition.
func plain[T any]() {
	t := reflect.TypeFor[T]()
	if _, ok := plainTypes.Load(t); ok {
		return
	}
	if hasPointers(t) {
		panic(fmt.Sprintf("spill: %v holds pointers and cannot live in file-backed memory", t))
	}
	plainTypes.Store(t, true)
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

// tempFile opens a file in dir that has no name, or whose name is removed
// at once where the system cannot make one without.
func tempFile(dir string) (*os.File, error) {
	if f, err := unnamed(dir); err == nil {
		return f, nil
	}
	f, err := os.CreateTemp(dir, ".caseflow-spill-*")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
