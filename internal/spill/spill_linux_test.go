package spill

import (
	"bufio"
	"encoding/binary"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

const mib = 1 << 20

var pageSize = os.Getpagesize()

// newMemory returns a Memory on a folder of its own, without a pager, and
// checks when the test ends that Close leaves the folder empty.
func newMemory(t *testing.T) (*Memory, string) {
	t.Helper()
	dir := t.TempDir()
	m, err := New(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
		if m.Stats().Mapped != 0 {
			t.Errorf("after Close: %+v", m.Stats())
		}
		folderEmpty(t, dir)
	})
	return m, dir
}

func folderEmpty(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Fatalf("files in the folder: %v", ents)
	}
}

// present counts the pages of s mapped into the process, which is what
// its resident memory counts. (mincore would not do: it says whether a
// page is in the page cache, where a dropped dirty page stays until it is
// written back.)
func present[T any](t *testing.T, s []T) int {
	t.Helper()
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		t.Skip("no /proc/self/pagemap:", err)
	}
	defer f.Close()
	at := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	pages := (cap(s)*int(unsafe.Sizeof(s[0])) + pageSize - 1) / pageSize
	buf := make([]byte, 8*pages)
	if _, err := f.ReadAt(buf, int64(at/uintptr(pageSize))*8); err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range pages {
		n += int(binary.LittleEndian.Uint64(buf[8*i:]) >> 63) // bit 63: present
	}
	return n
}

// Make zeroes, and maps exactly the slices of at least the threshold.
func TestMake(t *testing.T) {
	type rec struct {
		A int32
		B [3]float64
	}
	m, dir := newMemory(t)
	for _, tc := range []struct {
		name      string
		threshold int
		make      func() ([]byte, func())
		mapped    int // bytes
	}{
		{"1 MiB of int64 maps", minMapped, func() ([]byte, func()) { return made(m, Make[int64](m, mib/8)) }, mib},
		{"a byte under 1 MiB stays on the heap", minMapped, func() ([]byte, func()) { return made(m, Make[byte](m, mib-1)) }, 0},
		{"capacity counts, not length", minMapped, func() ([]byte, func()) { return made(m, MakeCap[int32](m, 3, mib/4)) }, mib},
		{"structs, rounded up to a page", minMapped, func() ([]byte, func()) { return made(m, Make[rec](m, 40_000)) }, roundPage(40_000 * 32)},
		{"a tiny threshold maps 10 bytes", 1, func() ([]byte, func()) { return made(m, Make[byte](m, 10)) }, pageSize},
		{"but never an empty slice", 1, func() ([]byte, func()) { return made(m, Make[byte](m, 0)) }, 0},
		{"threshold 0 counts as 1", 0, func() ([]byte, func()) { return made(m, Make[uint16](m, 1)) }, pageSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.SetThreshold(tc.threshold)
			defer m.SetThreshold(minMapped)
			for round := range 2 { // the second where the first was, maybe
				before := m.Stats().Mapped
				b, free := tc.make()
				if got := m.Stats().Mapped - before; got != int64(tc.mapped) {
					t.Errorf("mapped %d bytes, want %d", got, tc.mapped)
				}
				for i, c := range b {
					if c != 0 {
						t.Fatalf("round %d: byte %d is %d, not zero", round, i, c)
					}
					b[i] = 0xff
				}
				free()
				folderEmpty(t, dir)
			}
		})
	}
	if got := m.Stats().Mapped; got != 0 {
		t.Errorf("%d bytes left mapped", got)
	}
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
}

// made returns the bytes of s, capacity included, and a func freeing it.
func made[T any](m *Memory, s []T) ([]byte, func()) {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), cap(s)*int(unsafe.Sizeof(*new(T)))), func() { Free(m, s) }
}

func TestGrow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxFiles int // 0: the file is closed after mapping, and Grow copies
		from     int // elements made first (int32)
		inPlace  bool
	}{
		{"in place", 1 << 10, mib, true},
		{"by copy without the file", 0, mib, false},
		{"from the heap", 1 << 10, 1000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newMemory(t)
			m.maxFiles = tc.maxFiles
			s := Make[int32](m, tc.from)
			for i := range s {
				s[i] = int32(i)
			}
			before := m.Stats()
			s = Grow(m, s, mib)
			if len(s) != tc.from || cap(s) != max(2*tc.from, tc.from+mib) {
				t.Fatalf("len %d cap %d", len(s), cap(s))
			}
			for i := range s {
				if s[i] != int32(i) {
					t.Fatalf("s[%d] = %d after Grow", i, s[i])
				}
			}
			grown := s[len(s):cap(s)]
			for i, v := range grown {
				if v != 0 {
					t.Fatalf("grown part [%d] = %d, not zeroed", i, v)
				}
			}
			st := m.Stats()
			want := int64(roundPage(cap(s) * 4))
			if st.Mapped != want {
				t.Errorf("mapped %d, want %d", st.Mapped, want)
			}
			// In place the old and new slices are never mapped at once.
			if inPlace := st.Peak == want && before.Mapped > 0; inPlace != tc.inPlace {
				t.Errorf("grown in place %v, want %v (peak %d, %d before)", inPlace, tc.inPlace, st.Peak, before.Mapped)
			}
			s = append(s, 7)
			if s2 := Grow(m, s, 1); &s2[0] != &s[0] {
				t.Error("Grow moved a slice that had room")
			}
			Free(m, s)
			if st := m.Stats(); st.Mapped != 0 {
				t.Errorf("after Free: %+v", st)
			}
		})
	}
}

// A slice smaller than a page grows within its page, without a move.
func TestGrowWithinPage(t *testing.T) {
	m, _ := newMemory(t)
	m.SetThreshold(1)
	s := MakeCap[byte](m, 10, 10)
	copy(s, "0123456789")
	g := Grow(m, s, 5)
	if &g[0] != &s[0] || cap(g) != 20 || string(g) != "0123456789" || m.Stats().Mapped != int64(pageSize) {
		t.Fatalf("grown to %q cap %d, moved %v, %d bytes mapped", g, cap(g), &g[0] != &s[0], m.Stats().Mapped)
	}
	Free(m, g)
	if m.Stats().Mapped != 0 {
		t.Fatal("not freed")
	}
}

// Free of anything but a live slice of m is a no-op.
func TestFreeOthers(t *testing.T) {
	m, _ := newMemory(t)
	other, _ := newMemory(t)
	s := Make[int64](m, mib)
	o := Make[int64](other, mib)
	o[5] = 5
	for _, tc := range []struct {
		name string
		free func()
	}{
		{"heap slice", func() { Free(m, make([]int64, 10)) }},
		{"nil", func() { Free[int64](m, nil) }},
		{"another Memory's", func() { Free(m, o) }},
		{"not its start", func() { Free(m, s[1:]) }},
		{"a part of it", func() { Free(m, s[:10:10]) }},
		{"a part in the same pages", func() { Free(m, s[:mib-1:mib-1]) }},
		{"twice", func() { t2 := Make[int64](m, mib); Free(m, t2); Free(m, t2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.free()
			if got := m.Stats().Mapped; got != 8*mib {
				t.Fatalf("%d bytes mapped, want %d", got, 8*mib)
			}
			if got := other.Stats().Mapped; got != 8*mib {
				t.Fatalf("the other Memory maps %d bytes", got)
			}
			s[len(s)-1], o[5] = 1, o[5]+1 // both still usable
		})
	}
	Free(m, s[:0]) // its start: freed
	if got := m.Stats().Mapped; got != 0 {
		t.Fatalf("%d bytes mapped after Free of s[:0]", got)
	}
}

// Grow of a part of a file-backed slice copies the part and leaves the
// slice where it is, as slices.Grow would.
func TestGrowPart(t *testing.T) {
	for _, tc := range []struct {
		name string
		part func(s []int32) []int32
	}{
		{"its start, full", func(s []int32) []int32 { return s[:10:10] }},
		{"within its last page", func(s []int32) []int32 { return s[: mib-1 : mib-1] }},
		{"past its start", func(s []int32) []int32 { return s[5:15] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newMemory(t)
			s := Make[int32](m, mib)
			for i := range s {
				s[i] = int32(i)
			}
			p := tc.part(s)
			g := Grow(m, p, 2*mib)
			if len(g) != len(p) || &g[0] == &p[0] {
				t.Fatalf("len %d, moved %v", len(g), &g[0] != &p[0])
			}
			for i := range g {
				if g[i] != p[i] {
					t.Fatalf("g[%d] = %d, want %d", i, g[i], p[i])
				}
			}
			g[0] = -1
			if s[0] != 0 || s[mib-1] != mib-1 {
				t.Fatalf("s changed: s[0] %d, s[%d] %d", s[0], mib-1, s[mib-1])
			}
			if got, want := m.Stats().Mapped, int64(4*mib+roundPage(4*cap(g))); got != want {
				t.Fatalf("%d bytes mapped, want %d (s and the copy)", got, want)
			}
			Free(m, g)
			Free(m, s)
			if got := m.Stats().Mapped; got != 0 {
				t.Fatalf("%d bytes mapped after freeing both", got)
			}
		})
	}
}

// New refuses a folder that cannot hold the files, saying what is wrong
// with it and what to do: never "no such file or directory" of a folder
// that exists.
func TestNewRefuses(t *testing.T) {
	file := t.TempDir() + "/file"
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir, want string
	}{
		{"/proc", "the folder for temporary files /proc cannot hold temporary files (its file system makes none); give --tmp another folder"},
		{file, "the folder for temporary files " + file + " cannot be used: open " + file + ": not a directory; give --tmp another folder"},
		{t.TempDir() + "/missing", "/missing does not exist; create it or give --tmp another folder"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			if st, err := os.Stat(tc.dir); tc.dir == "/proc" && (err != nil || !st.IsDir()) {
				t.Skip("no /proc")
			}
			m, err := New(tc.dir, 0)
			if err == nil {
				m.Close()
				t.Fatal("New took the folder")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "no such file") {
				t.Fatalf("New said %q, want %q", err, tc.want)
			}
		})
	}
}

// Close unmaps what is left, and later Makes are on the heap.
func TestClose(t *testing.T) {
	dir := t.TempDir()
	m, err := New(dir, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	Make[int64](m, mib)
	Grow(m, Make[byte](m, mib), 5*mib)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	folderEmpty(t, dir)
	if s := Make[int64](m, mib); len(s) != mib || m.Stats().Mapped != 0 {
		t.Fatalf("Make after Close mapped: %+v", m.Stats())
	}
	if err := m.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}

// PageOut drops the pages of the slices from the process's memory, and
// they read back intact.
func TestPageOut(t *testing.T) {
	m, _ := newMemory(t)
	s := Make[int64](m, 4*mib)
	for i := range s {
		s[i] = int64(i) * 3
	}
	pages := 32 * mib / pageSize
	if got := present(t, s); got != pages {
		t.Fatalf("%d pages present after writing, want %d", got, pages)
	}
	if fell := m.PageOut(); fell < 16*mib {
		t.Errorf("resident memory fell by %d bytes, want about 32 MiB", fell)
	}
	if got := present(t, s); got > pages/100 {
		t.Fatalf("%d pages of %d still present after PageOut", got, pages)
	}
	for i, v := range s {
		if v != int64(i)*3 {
			t.Fatalf("s[%d] = %d after PageOut", i, v)
		}
	}
	if st := m.Stats(); st.PageOuts != 1 || st.PagedOut < 16*mib {
		t.Errorf("stats %+v", st)
	}
}

// Under a limit, PageOut drops only the excess and a margin, from the
// slices least recently made first; under the limit it drops nothing.
func TestPageOutOldestFirst(t *testing.T) {
	m, _ := newMemory(t)
	old := Make[byte](m, 96*mib)
	recent := Make[byte](m, 16*mib)
	for _, s := range [][]byte{old, recent} {
		for i := range s {
			s[i] = byte(i)
		}
	}
	m.limit = resident() + 64*mib
	if m.PageOut() != 0 || present(t, old) != 96*mib/pageSize {
		t.Fatal("paged out under the limit")
	}
	// 24 MiB over; the margin is an eighth of the limit at least and half
	// at most, here an eighth, as the resident memory has not changed
	// since the last pass.
	m.limit = resident() - 24*mib
	m.after = resident()
	m.PageOut()
	if got := present(t, recent); got != 16*mib/pageSize {
		t.Errorf("the recent slice lost %d pages", 16*mib/pageSize-got)
	}
	dropped := 96*mib - present(t, old)*pageSize
	if want := 24*mib + int(m.limit/8); dropped < want || dropped > want+2*pageChunk {
		t.Errorf("dropped %d MiB of the old slice, want %d MiB to %d MiB", dropped/mib, want/mib, (want+2*pageChunk)/mib)
	}
}

// Many goroutines make, grow, free and page out at once while the pager
// runs (for -race), and each finds its data intact.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	m, err := New(dir, 1) // the pager pages out all it can
	if err != nil {
		t.Fatal(err)
	}
	m.SetThreshold(64 << 10)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			var s []int32
			for i := range 300_000 {
				s = Grow(m, s, 1)
				s = append(s, int32(g*i))
				if i%50_000 == 0 {
					m.PageOut()
					_ = m.Stats()
					t := Make[int64](m, 1<<14)
					t[0] = 1
					Free(m, t)
				}
			}
			for i, v := range s {
				if v != int32(g*i) {
					t.Errorf("goroutine %d: s[%d] = %d, want %d", g, i, v, g*i)
					break
				}
			}
			Free(m, s)
		})
	}
	wg.Wait()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
	folderEmpty(t, dir)
}

// Where the file system cannot make unnamed files, a name shows in the
// folder only between its creation and its removal.
func TestNamedFiles(t *testing.T) {
	m, dir := newMemory(t)
	m.named = true
	s := Make[int64](m, mib)
	folderEmpty(t, dir)
	s = Grow(m, s, 3*mib)[:4*mib]
	s[4*mib-1] = 1
	folderEmpty(t, dir)
	Free(m, s)
}

// Child processes: a test named here runs its child part when the test
// binary is started again with SPILL_CHILD set to its name.
func child(name string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$")
	cmd.Env = append(os.Environ(), append(env, "SPILL_CHILD="+name)...)
	cmd.Stderr = os.Stderr
	return cmd
}

func inChild(t *testing.T) bool { return os.Getenv("SPILL_CHILD") == t.Name() }

// A process killed with SIGKILL while it holds file-backed slices leaves
// nothing in the folder.
func TestKilled(t *testing.T) {
	if inChild(t) {
		m, err := New(os.Getenv("SPILL_DIR"), 1<<40)
		if err != nil {
			t.Fatal(err)
		}
		m.named = os.Getenv("SPILL_NAMED") != ""
		s := Make[int64](m, mib)
		s = Grow(m, s, 2*mib)[:3*mib]
		s[3*mib-1] = 1
		u := Make[byte](m, 3*mib)
		u[0] = 1
		os.Stdout.WriteString("\nready\n")
		select {}
	}
	for _, named := range []string{"", "named"} {
		t.Run("files "+named, func(t *testing.T) {
			dir := t.TempDir()
			cmd := child("TestKilled", "SPILL_DIR="+dir, "SPILL_NAMED="+named)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			for sc.Scan() && sc.Text() != "ready" {
			}
			if sc.Text() != "ready" {
				cmd.Wait()
				t.Fatal("the child did not get ready")
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			folderEmpty(t, dir)
		})
	}
}

// A folder that is full gives heap slices and a clear Err, never a crash;
// and one on tmpfs a Warning. The child mounts a 2 MiB tmpfs in a mount
// namespace of its own.
func TestFull(t *testing.T) {
	if inChild(t) {
		dir := os.Getenv("SPILL_DIR")
		if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=2m"); err != nil {
			t.Fatal("mount:", err)
		}
		m, err := New(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		a := Make[byte](m, mib) // fits
		b := Make[byte](m, 4*mib)
		b[4*mib-1] = 1 // on the heap
		a = Grow(m, a, 3*mib)[:4*mib]
		a[4*mib-1] = 1 // copied to the heap
		for _, want := range []string{"the folder for temporary files " + dir + " is full: reserving 4.0 MiB: fallocate: no space left on device; free space there or give --tmp another folder"} {
			if err := m.Err(); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Err %v, want it to say %q", err, want)
			}
		}
		if w := m.Warning(); w == nil || !strings.Contains(w.Error(), "is in memory (tmpfs)") {
			t.Errorf("Warning %v, want tmpfs", w)
		}
		if st := m.Stats(); st.Mapped != 0 || st.Peak != mib {
			t.Errorf("stats %+v", st)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		folderEmpty(t, dir)
		os.Stdout.WriteString("\nchecked\n")
		return
	}
	cmd := child("TestFull", "SPILL_DIR="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Skip("no user and mount namespace for a small tmpfs:", err)
	}
	if err := cmd.Wait(); err != nil || !strings.Contains(out.String(), "\nchecked\n") {
		t.Fatalf("the child failed (%v):\n%s", err, out.String())
	}
}
