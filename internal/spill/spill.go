package spill

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/dustin/go-humanize"
)

// errNoMapping is what Err says where the system has no file-backed memory.
var errNoMapping = errors.New("file-backed memory is built for Linux only, so the data stay in memory; run on Linux to lower the run's memory")

// minMapped is the default smallest slice, in bytes, that Make backs with
// a file: smaller ones are not worth a mapping and a file of their own.
const minMapped = 1 << 20

// pageEvery is how often the pager reads the resident memory, and
// pageEveryNear how often near the limit (reading it takes microseconds);
// pageEveryMax how long it waits at most when paging out cannot bring it
// under the limit.
const (
	pageEvery     = 10 * time.Millisecond
	pageEveryNear = time.Millisecond
	pageEveryMax  = time.Second
)

// pageChunk is how much of a slice the pager pages out before it reads the
// resident memory again, so that it drops what is needed and no more.
const pageChunk = 16 << 20

// Memory hands out file-backed slices and pages them out to keep the
// process's resident memory under its limit. Its methods and the
// functions taking it may be called from many goroutines at once.
type Memory struct {
	dir       string
	limit     int64
	named     bool         // the folder's file system cannot make unnamed files
	maxFiles  int          // how many files the Memory keeps open to grow them in place
	threshold atomic.Int64 // the smallest slice in bytes that is file-backed
	warning   error        // why the folder does not take the pages out of memory

	mu       sync.Mutex
	regions  map[uintptr]*region // by the address of the first byte
	files    int                 // regions holding their file open
	clock    uint64              // counts Makes and Grows, to order regions by use
	mapped   int64               // bytes mapped now
	peak     int64               // most bytes mapped at once
	pages    int                 // times the pager or PageOut paged out
	pagedOut int64               // resident bytes they dropped
	after    int64               // the resident memory after the last page-out
	err      error               // the first slice that could not be file-backed; it is on the heap
	pageErr  error               // why the limit cannot be kept; the pager stopped
	closed   bool

	writing atomic.Bool    // a writeback is under way
	writes  sync.WaitGroup // the writeback under way

	quit chan struct{}
	done chan struct{}
}

// region is one mapping: one file mapped whole.
type region struct {
	b    []byte   // the mapping as the system made it, a whole number of pages
	size int      // the bytes of the slice it backs (its capacity): only that slice frees or grows it
	f    *os.File // its file, kept open to grow it in place; nil past maxFiles
	used uint64   // the clock when the slice was made or last grown
}

// New returns a Memory whose files are made in dir (os.TempDir() for "",
// as os.CreateTemp does) and whose pager keeps the resident memory of the
// process under limit bytes (no pager for limit ≤ 0). It fails when dir
// cannot hold such files, or cannot reserve space for them (without the
// reservation a full disk would crash the run when a page is first
// written instead of failing a Make).
func New(dir string, limit int64) (*Memory, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	m := &Memory{dir: dir, limit: limit, regions: map[uintptr]*region{}, quit: make(chan struct{}), done: make(chan struct{})}
	m.threshold.Store(minMapped)
	if mappable {
		if err := m.probe(); err != nil {
			return nil, err
		}
		m.maxFiles = openFileLimit() / 4
	}
	if limit > 0 && mappable && m.pageErr == nil {
		go m.pager()
	} else {
		close(m.done)
	}
	return m, nil
}

// probe checks that dir takes files whose space can be reserved, and finds
// what the system can do there: unnamed files, paging out, keeping pages
// out of memory at all.
func (m *Memory) probe() error {
	f, err := unnamed(m.dir)
	if errors.Is(err, errUnnamed) {
		m.named = true
		f, err = m.file()
	}
	if err != nil {
		return m.fileErr(err)
	}
	defer f.Close()
	size := int64(os.Getpagesize())
	if err := reserve(f, 0, size); err != nil {
		return m.reserveErr(size, err)
	}
	b, err := mapShared(f, int(size))
	if err != nil {
		return m.folderErr(err, "cannot be used: mapping a file: %v; give --tmp another folder", err)
	}
	defer unmap(b)
	if m.limit > 0 {
		if err := pageOut(b); err != nil {
			m.pageErr = fmt.Errorf("this system cannot page out file-backed memory (madvise MADV_PAGEOUT: %w), so the resident memory may exceed the limit of %s; run on Linux 5.4 or later to keep it", err, humanize.IBytes(uint64(m.limit)))
		} else if resident() == 0 {
			m.pageErr = fmt.Errorf("the resident memory of the process cannot be read (/proc/self/statm), so it may exceed the limit of %s; mount /proc to keep it", humanize.IBytes(uint64(m.limit)))
		}
	}
	if inMemoryFS(m.dir) {
		m.warning = m.folderErr(nil, "is in memory (tmpfs): the pages written there stay in memory or swap, so they do not lower the run's memory; give --tmp a folder on disk")
	}
	return nil
}

// fileErr says why no file could be made in the folder. One that exists
// but whose file system makes no files (/proc says ENOENT for the file)
// is told as such, not as a missing file.
func (m *Memory) fileErr(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		if st, serr := os.Stat(m.dir); serr == nil && st.IsDir() {
			return m.folderErr(err, "cannot hold temporary files (its file system makes none); give --tmp another folder")
		}
		return m.folderErr(err, "does not exist; create it or give --tmp another folder")
	}
	return m.folderErr(err, "cannot be used: %v; give --tmp another folder", err)
}

// reserveErr says why size bytes could not be reserved in the folder.
func (m *Memory) reserveErr(size int64, err error) error {
	human := humanize.IBytes(uint64(size))
	switch {
	case isFull(err):
		return m.folderErr(err, "is full: reserving %s: %v; free space there or give --tmp another folder", human, err)
	case isUnsupported(err):
		return m.folderErr(err, "is on a file system that cannot reserve space for a file (fallocate: %v), so a full disk would crash the run; give --tmp a folder on another file system", err)
	}
	return m.folderErr(err, "cannot hold %s: %v; give --tmp another folder", human, err)
}

// file opens a file in the folder that has no name, or where the file
// system cannot make one, whose name is removed at once.
func (m *Memory) file() (*os.File, error) {
	if !m.named {
		return unnamed(m.dir)
	}
	f, err := os.CreateTemp(m.dir, ".caseflow-spill-*")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// SetThreshold makes Make and Grow back with a file every slice of at
// least bytes bytes (1 MiB unless set; every non-empty slice for
// bytes ≤ 1), so that tests can run small inputs wholly out of core.
// Each file-backed slice takes at least one page, a mapping (a process has
// at most vm.max_map_count, 65530 by default) and while it fits a file
// descriptor: a tiny threshold suits small inputs only. No-op for nil.
func (m *Memory) SetThreshold(bytes int) {
	if m == nil {
		return
	}
	m.threshold.Store(int64(max(bytes, 1)))
}

// Close stops the pager and unmaps every slice still made; their files
// go with them. Later Makes give heap slices. A nil Memory, or one closed
// already, closes without error.
func (m *Memory) Close() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()
	close(m.quit)
	<-m.done
	m.writes.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, r := range m.regions {
		errs = append(errs, m.drop(r))
	}
	clear(m.regions)
	return errors.Join(errs...)
}

// Stats says how much the Memory holds: the bytes mapped now and at most,
// how often the pager (or PageOut) paged out and how many resident bytes
// that dropped.
type Stats struct {
	Mapped, Peak int64
	PageOuts     int
	PagedOut     int64
}

// Stats returns the Memory's figures; zero for nil.
func (m *Memory) Stats() Stats {
	if m == nil {
		return Stats{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return Stats{Mapped: m.mapped, Peak: m.peak, PageOuts: m.pages, PagedOut: m.pagedOut}
}

// Err returns the first failure to back a slice with a file (the folder
// full, say), after which that slice and maybe later ones are on the
// heap; nil for none and for nil.
func (m *Memory) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// PagerErr returns why the pager does not keep the resident memory under
// the limit: the system cannot page out or tell the resident memory (set
// by New), or paging out failed later (the pager stopped); nil for none
// and for nil.
func (m *Memory) PagerErr() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pageErr
}

// FolderError is what is wrong with the folder of a Memory's files. Its
// Error names the folder by its path; a caller that names it otherwise
// (as the system's temporary folder, say) puts its own name before What.
type FolderError struct {
	Dir  string
	What string // what is wrong and what to do, after the folder's name
	Err  error  // the system's error, if any
}

func (e *FolderError) Error() string { return "the folder for temporary files " + e.Dir + " " + e.What }

func (e *FolderError) Unwrap() error { return e.Err }

func (m *Memory) folderErr(err error, format string, args ...any) error {
	return &FolderError{Dir: m.dir, What: fmt.Sprintf(format, args...), Err: err}
}

// Warning returns why the folder's files do not take pages out of memory
// (it is on tmpfs, whose files live in memory or swap), nil when they do
// and for nil: the run works but its memory is not lowered, which the
// command can tell the user.
func (m *Memory) Warning() error {
	if m == nil {
		return nil
	}
	return m.warning
}

// Make returns a zeroed slice of n Ts, file-backed when m is not nil and
// the slice is large, else from the heap. T must hold no pointers (the
// collector does not see into file-backed memory): Make panics otherwise,
// with a nil m too.
func Make[T any](m *Memory, n int) []T {
	return MakeCap[T](m, n, n)
}

// MakeCap is Make with a capacity c ≥ n.
func MakeCap[T any](m *Memory, n, c int) []T {
	plain[T]() // on every route, so that tests in memory catch it too
	size := int(unsafe.Sizeof(*new(T)))
	if m == nil || size == 0 || n < 0 || n > c || int64(c)*int64(size) < m.threshold.Load() {
		return make([]T, n, c) // which panics for a bad n or c
	}
	b := m.alloc(c * size)
	if b == nil {
		return make([]T, n, c)
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), c)[:n]
}

// Free gives back slices from Make, MakeCap or Grow on m: each the slice they
// returned, or one of the same start and capacity (s[:0], say). Anything
// else is a no-op: a heap slice, nil, a slice of another Memory, a part
// of one of m's (another start or a smaller capacity: it stays mapped
// until its own slice is freed, or Close), and a slice freed already
// (unless m has made another at the same address since). Neither s nor
// any copy of it may be used after.
func Free[T any](m *Memory, ss ...[]T) {
	if m == nil {
		return
	}
	for _, s := range ss {
		if cap(s) > 0 {
			m.free(uintptr(unsafe.Pointer(unsafe.SliceData(s))), cap(s)*int(unsafe.Sizeof(s[0])))
		}
	}
}

// Push appends v to s, as append does, growing s in m (see Grow): Append
// for one value, small enough to be inlined where a reader adds each
// event.
func Push[T any](m *Memory, s []T, v T) []T {
	if len(s) == cap(s) {
		s = Grow(m, s, 1)
	}
	return append(s, v)
}

// Append appends vs to s, as append does, growing s in m (see Grow).
func Append[T any](m *Memory, s []T, vs ...T) []T {
	if len(s)+len(vs) > cap(s) {
		s = Grow(m, s, len(vs))
	}
	return append(s, vs...)
}

// Clone returns a copy of s made in m.
func Clone[T any](m *Memory, s []T) []T {
	c := Make[T](m, len(s))
	copy(c, s)
	return c
}

// Resize returns scratch space of n elements, contents unspecified: s
// when it has room, else a new slice from m, s being freed.
func Resize[T any](m *Memory, s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	Free(m, s)
	return Make[T](m, n)
}

// nextCap is the capacity append grows a slice of capacity old to when it
// needs need: twice a small one, a quarter more (plus a little) for a
// large one, so that growing element by element stays amortised O(1)
// without doubling large columns (runtime.nextslicecap, without its
// rounding to size classes).
func nextCap(old, need int) int {
	if need > 2*old {
		return need
	}
	if old < 256 {
		return 2 * old
	}
	c := old
	for c < need {
		c += (c + 3*256) >> 2
	}
	return c
}

// Grow returns s with room for n more elements, as slices.Grow does. A
// file-backed slice that is full grows in place where the system allows
// (its file extended and the mapping moved by the kernel, without copying
// its contents); otherwise s moves to a new slice from m, and s is freed
// as Free does. Unlike after slices.Grow, neither s nor any copy of it may
// be used after, unless Grow returned s itself (it had room) or s was
// only a part of a file-backed slice (that one is copied, never moved).
func Grow[T any](m *Memory, s []T, n int) []T {
	if n < 0 {
		panic("spill.Grow: negative count")
	}
	if cap(s)-len(s) >= n {
		return s
	}
	if m == nil {
		// Not slices.Grow: append's growth clears the new capacity, which
		// touches (and so faults in) every page of it at once, serially,
		// while make leaves fresh memory from the system untouched until it
		// is written. On the 1M-case log: system time 1.8–2.1 → 0.9–1.2 s.
		t := make([]T, len(s), nextCap(cap(s), len(s)+n))
		copy(t, s)
		return t
	}
	c := max(2*cap(s), len(s)+n)
	size := int(unsafe.Sizeof(*new(T)))
	if cap(s) > 0 {
		if b := m.grow(uintptr(unsafe.Pointer(unsafe.SliceData(s))), cap(s)*size, c*size); b != nil {
			return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), c)[:len(s)]
		}
	}
	t := MakeCap[T](m, len(s), c)
	copy(t, s)
	Free(m, s)
	return t
}

func roundPage(n int) int {
	p := os.Getpagesize()
	return (n + p - 1) / p * p
}

// alloc maps a new file of at least size bytes; nil when it cannot, the
// reason kept for Err.
func (m *Memory) alloc(size int) []byte {
	b, f, err := m.mapNew(roundPage(size))
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		if m.err == nil {
			m.err = err
		}
		return nil
	}
	if m.closed {
		unmap(b)
		f.Close()
		return nil
	}
	r := &region{b: b, f: f}
	if m.files < m.maxFiles {
		m.files++
	} else {
		f.Close()
		r.f = nil
	}
	m.clock++
	r.used = m.clock
	m.regions[uintptr(unsafe.Pointer(unsafe.SliceData(b)))] = r
	m.mapped += int64(len(b))
	m.peak = max(m.peak, m.mapped)
	r.size = size
	return b[:size]
}

// mapNew makes a file of size bytes, its blocks reserved so that a full
// disk is an error here rather than a fault on first write, and maps it.
func (m *Memory) mapNew(size int) ([]byte, *os.File, error) {
	if !mappable {
		return nil, nil, errNoMapping
	}
	f, err := m.file()
	if err != nil {
		return nil, nil, m.fileErr(err)
	}
	if err := reserve(f, 0, int64(size)); err != nil {
		f.Close()
		return nil, nil, m.reserveErr(int64(size), err)
	}
	b, err := mapShared(f, size)
	if err != nil {
		f.Close()
		return nil, nil, m.folderErr(err, "cannot map a file of %s into memory (mmap: %v); give --tmp another folder, or raise vm.max_map_count if it says \"cannot allocate memory\"", humanize.IBytes(uint64(size)), err)
	}
	return b, f, nil
}

// grow extends the region starting at at, whose slice holds old bytes, to
// hold want bytes, and returns its new mapping; nil when it cannot (the
// slice is not one of m's whole, its file was closed, the disk is full, no
// mremap), and the caller copies.
func (m *Memory) grow(at uintptr, old, want int) []byte {
	m.mu.Lock()
	r := m.regions[at]
	own := r != nil && r.size == old
	m.mu.Unlock()
	size := roundPage(want)
	// Only the slice's owner grows or frees it, so r stays while the file
	// is extended out of the lock; the pager only reads r.
	if !own || r.f == nil && size > len(r.b) {
		return nil
	}
	if size > len(r.b) && reserve(r.f, int64(len(r.b)), int64(size-len(r.b))) != nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b := r.b // a slice smaller than a page grows within it
	if size > len(r.b) {
		var err error
		if b, err = remap(r.b, size); err != nil {
			return nil
		}
	}
	delete(m.regions, at)
	m.mapped += int64(len(b) - len(r.b))
	m.peak = max(m.peak, m.mapped)
	m.clock++
	r.b, r.size, r.used = b, want, m.clock
	m.regions[uintptr(unsafe.Pointer(unsafe.SliceData(b)))] = r
	return b
}

// free unmaps the region starting at at when size is its slice's: a part
// of the slice (say s[:10:10]) must not unmap the rest, still in use.
func (m *Memory) free(at uintptr, size int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.regions[at]
	if !ok || size != r.size {
		return
	}
	delete(m.regions, at)
	if err := m.drop(r); err != nil && m.err == nil {
		m.err = err
	}
}

// drop unmaps r and closes its file, which goes with them; m.mu is held.
func (m *Memory) drop(r *region) error {
	m.mapped -= int64(len(r.b))
	if r.f == nil {
		return unmap(r.b)
	}
	m.files--
	return errors.Join(unmap(r.b), r.f.Close())
}

// PageOut does once what the pager does every 10 ms: when the process's
// resident memory exceeds the limit, it asks the kernel to drop mapped
// pages (MADV_PAGEOUT; their files keep them) and starts writing the
// dirty ones to the files, until the excess and a margin are gone or all
// of m's pages are out. The margin is what the process faulted in since
// the last page-out, between an eighth and half the limit. It takes the
// slices least recently made or grown first, each from its start: a slice
// being filled or read in order loses the part already done. A Memory
// without a limit pages out all its slices. PageOut returns by how many bytes the
// resident memory fell while it ran (other goroutines may have faulted
// pages in meanwhile); 0 for nil, and when the system cannot page out.
func (m *Memory) PageOut() int64 {
	fell, _ := m.pageOut()
	return fell
}

// pageOut is PageOut, and says whether it paged out all it could without
// reaching its goal.
func (m *Memory) pageOut() (fell int64, short bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pageErr != nil || m.closed {
		return 0, false
	}
	from := resident()
	goal := int64(-1)
	if m.limit > 0 {
		if from <= m.limit {
			return 0, false
		}
		// Leave room for what the process faulted in since the last pass,
		// so that the next one finds it under the limit again.
		goal = m.limit - min(max(from-m.after, m.limit/8), m.limit/2)
	}
	var dropped []span
	defer func() {
		m.after = resident()
		fell = from - m.after
		m.pages++
		m.pagedOut += max(fell, 0)
		m.writeBack(dropped)
	}()
	rs := make([]*region, 0, len(m.regions))
	for _, r := range m.regions {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b *region) int { return cmp.Compare(a.used, b.used) })
	for _, r := range rs {
		reached, end := false, 0
		for end < len(r.b) && !reached {
			off := end
			end = min(off+pageChunk, len(r.b))
			if err := pageOut(r.b[off:end]); err != nil {
				m.pageErr = fmt.Errorf("paging out file-backed memory failed (%w), so the pager stopped and the resident memory may exceed the limit of %s; the kernel refused what it took at the start: please report it", err, humanize.IBytes(uint64(m.limit)))
				return 0, false
			}
			reached = goal >= 0 && resident() <= goal
		}
		if r.f != nil {
			dropped = append(dropped, span{r.f, int64(end)})
		}
		if reached {
			return 0, false
		}
	}
	return 0, goal >= 0
}

// span is the start of a region's file, n bytes, whose pages a page-out
// dropped.
type span struct {
	f *os.File
	n int64
}

// writeBack starts writing the dropped pages to their files: dirty, they
// would stay in the page cache until the kernel's flusher comes. In the
// background, as it can wait for the disk while the process faults pages
// in at memory speed; one at a time, the flusher writes what one skips.
// m.mu is held, so that Close, which sets m.closed under it, waits for all.
func (m *Memory) writeBack(dropped []span) {
	if len(dropped) == 0 || !m.writing.CompareAndSwap(false, true) {
		return
	}
	m.writes.Go(func() {
		defer m.writing.Store(false)
		for _, d := range dropped {
			writeBack(d.f, d.n)
		}
	})
}

// pager pages out whenever the process's resident memory exceeds the
// limit: every millisecond while it is within an eighth of the limit,
// every 10 ms below, at once again when the process went over while it
// paged out. When all of m's pages are out and it is still over (the rest
// of the process holds more), it waits longer between tries, up to a
// second, rather than fault the slices in and out for nothing.
func (m *Memory) pager() {
	defer close(m.done)
	wait := pageEvery
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-m.quit:
			return
		case <-t.C:
		}
		_, short := m.pageOut()
		switch now := resident(); {
		case short:
			wait = min(2*wait, pageEveryMax)
		case now > m.limit:
			// The process faulted pages in faster than the pass paged
			// them out: go again at once.
			wait = 0
		case now > m.limit-m.limit/8:
			wait = pageEveryNear
		default:
			wait = pageEvery
		}
		m.mu.Lock()
		stop := m.pageErr != nil
		m.mu.Unlock()
		if stop {
			return
		}
		t.Reset(wait)
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
