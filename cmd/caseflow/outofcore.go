package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dustin/go-humanize"

	"github.com/caseflow/caseflow/internal/spill"
)

// The out-of-core route (docs/reading.md "Memory budget"). A run whose
// log would need more memory than the budget keeps the slices that grow
// with the number of events and cases in file-backed memory
// (internal/spill) in the --tmp folder: the same code runs on both
// routes, over the same values in the same order, so every figure is the
// same; only where the bytes live differs. The kernel writes the pages to
// the files and drops them when the pager asks (its limit is most of the
// budget), and reads them back when they are used. The files have no
// name, so nothing is left in the folder after any end of the run; an
// interrupted or breached run leaves its file-backed memory mapped until
// the process exits (unmapping it under work still running would crash
// that work), and the exit takes it away.

// needPerByte is the peak live heap of `analyze --format json` per byte
// of an input file as stored, by format, measured with the in-memory
// route of session 7's start (e43a947; GODEBUG=gctrace=1, the largest
// heap a collection left live): generated logs of 150,000 cases (1.9M
// events, --realistic) and 1M cases (6.8M events), and the real logs of
// ../shared/data. The factors are the figures rounded up, so that a log
// is rather sent out of core than stopped by the watchdog:
//
//	CSV 195 MB → 97 MiB (0.52); 709 MB → 272 MiB (0.40)             → 0.6
//	XES 689 MB → 80 MiB (0.12)                                       → 0.15
//	CSV gzip 16 MB → 102 MiB (6.6); zstd 18 MB → 97 MiB (5.6)        → 8
//	XES gzip 27 MB → 80 MiB (3.1)                                    → 4
//	Parquet 12 MB → 82 MiB (7.2); 103 MB → 279 MiB (2.8)             → 8
//	Arrow IPC 56 MB → 176 MiB (3.3)                                  → 4
//
// Per event that is ~43 B live (272 MiB at 6.8M events) whatever the
// format; what differs is the bytes a format stores an event in (CSV
// ~100, XES ~360, gzip'd CSV ~9, Parquet 6–15). A compressed file of
// another format, and XLSX (zipped XML, not measured: no shared log is
// one), count as gzip'd CSV. Real logs of a few MB measure 5–25 per byte,
// as needBase dominates them.
var needPerByte = map[string]float64{
	"csv": 0.6, "xes": 0.15, "csv.gz": 8, "xes.gz": 4, "parquet": 8, "arrow": 4, "xlsx": 8,
}

// needBase is the live heap a run holds whatever the log: reading's
// chunk buffers and the tables of a small log (the call centre's 3 MB
// and BPIC 2014's 4 MB peak at 15 and 22 MiB; the 150,000-case CSV's
// base is ~20 MiB).
const needBase = 32 << 20

// formatOf is the needPerByte key of a file, by its name's extension
// (reading tells formats by content; a name is enough to estimate).
func formatOf(path string) string {
	name := strings.ToLower(path)
	inner, compressed := name, false
	for _, ext := range []string{".gz", ".zst", ".zstd"} {
		if t, ok := strings.CutSuffix(name, ext); ok {
			inner, compressed = t, true
		}
	}
	switch ext := filepath.Ext(inner); {
	case ext == ".parquet":
		return "parquet"
	case ext == ".arrow" || ext == ".ipc" || ext == ".feather":
		return "arrow"
	case ext == ".xlsx":
		return "xlsx"
	case ext == ".xes" && compressed:
		return "xes.gz"
	case ext == ".xes":
		return "xes"
	case compressed:
		return "csv.gz"
	}
	return "csv"
}

// estimateNeed is the peak live heap the in-memory route would need for
// the files in paths, of sizes (inputSizes), and whether it is known: a log on standard input
// has no size to tell. The built-in sample alone needs minBudget, the
// budget it is analysed within (memory.go), so no budget sends it out of
// core.
func estimateNeed(paths []string, sizes []int64) (int64, bool) {
	need := float64(needBase)
	if len(paths) == 1 && paths[0] == samplePath {
		return minBudget, true
	}
	for i, p := range paths {
		if sizes[i] < 0 {
			return 0, false
		}
		if p != samplePath {
			need += needPerByte[formatOf(p)] * float64(sizes[i])
		}
	}
	return int64(need), true
}

// The budget's split out of core: the Go heap's soft limit is half the
// budget (never under needBase, see route), so that the collector
// returns garbage to the system before it crowds out the pages of the
// files, and the pager keeps the process's resident memory at 7/8 of it,
// leaving room for what is touched between two of its looks (every
// millisecond near the limit, every 10 ms below) and for the runtime's
// own memory beyond the heap. The watchdog still stops a run whose live
// heap exceeds the whole budget: then the heap itself cannot fit,
// wherever the log's data are.
const (
	heapShare     = 0.5
	residentShare = 0.875
)

// spillAll, set by tests only, sends every run out of core with every
// slice of at least threshold bytes in a file and the pager's limit at
// resident bytes, so that a small log's data really go through files and
// out of memory.
var spillAll *struct {
	threshold int
	resident  int64
}

// keepInMemory, set by tests only, keeps every run in memory whatever
// its budget, to test the in-memory watchdog with a small one.
var keepInMemory bool

// route chooses where the run's large data live and returns the work to
// run: w itself in memory; out of core, w with the file-backed memory
// made for it, which it closes when it ends. It says so on stderr unless
// quiet. A --tmp folder that cannot take a file is a usage error, told
// before anything is read.
func (r *readFlags) route(b *budget, paths []string, sizes []int64, stderr io.Writer, w work) (work, int) {
	f := folder{dir: r.tmp, where: r.tmp, given: r.fs != nil && r.fs.Changed("tmp")}
	if f.dir == "" {
		f.dir, f.where = os.TempDir(), "the system's temporary folder"
	}
	need, known := estimateNeed(paths, sizes)
	var why string
	switch {
	case spillAll != nil:
		why = "(forced by a test)"
	case b.limit == 0, keepInMemory:
	case known && need > b.limit:
		why = fmt.Sprintf("needs about %s in memory, more than %s allows", humanize.IBytes(uint64(need)), b.from)
	case !known && b.chosen:
		// Standard input has no size: with a budget set on purpose the
		// run goes out of core, which gives the same report and costs a
		// small log little (its slices under 1 MiB stay on the heap).
		why = fmt.Sprintf("is read from standard input, whose size is not known, under %s", b.from)
	}
	var resident int64
	if why != "" {
		resident = int64(residentShare * float64(b.limit))
	}
	if spillAll != nil {
		resident = spillAll.resident
	}
	var m *spill.Memory
	if f.given {
		// A --tmp given is checked whatever the route, by the Memory the
		// run uses out of core.
		var err error
		if m, err = openTmp(f.dir, resident); err == nil && why == "" {
			err = m.Close()
		}
		if err != nil {
			name := "--tmp " + f.dir
			if r.tmpConfig != "" {
				name = r.tmpConfig + ": read.tmp: " + f.dir
			}
			return nil, usageError(stderr, r.fs.Name(), fmt.Errorf("%s: %w", name, err))
		}
	}
	if why == "" {
		return w, exitOK
	}
	if m == nil {
		var err error
		if m, err = spill.New(f.dir, resident); err != nil {
			fmt.Fprintf(stderr, "caseflow: this log %s, but %s\n", why, f.shown(err))
			return nil, exitUsage
		}
	}
	if spillAll != nil {
		m.SetThreshold(spillAll.threshold)
	}
	// The heap holds reading's buffers and a small log's tables whatever
	// the budget: a soft limit below that would keep the collector
	// running all the time.
	b.heap = max(int64(heapShare*float64(b.limit)), needBase)
	o := &outOfCore{folder: f, m: m, errs: func() (error, error) { return m.Err(), m.PagerErr() }}
	r.spill, r.run.outOfCore = m, o
	o.start(why, r.quiet, stderr)
	return func(stdin io.Reader, stdout, stderr io.Writer) int {
		code := w(stdin, stdout, stderr)
		st, trouble := m.Stats(), o.trouble()
		if err := m.Close(); err != nil && code == exitOK {
			fmt.Fprintf(stderr, "caseflow: releasing the temporary files: %v\n", err)
			code = exitData
		}
		if !r.quiet {
			o.end(st, trouble, stderr)
		}
		return code
	}, exitOK
}

// folder is where a run out of core makes its files, and how messages
// name it: as the user gave it, or as the system's temporary folder, as
// no output shows a path the user did not give.
type folder struct {
	dir, where string
	given      bool
}

// shown is one of spill's messages with the folder named as f names it.
func (f folder) shown(err error) string {
	var fe *spill.FolderError
	if !f.given && errors.As(err, &fe) {
		return f.where + " " + fe.What
	}
	return err.Error()
}

// outOfCore is a run's file-backed memory as the messages tell it.
type outOfCore struct {
	folder
	m *spill.Memory
	// errs are m's Err and PagerErr; tests give others.
	errs      func() (slices, pager error)
	pagerTold bool // the pager's trouble was known, and told, at the start
}

// mem is the run's file-backed memory, nil in memory.
func (o *outOfCore) mem() *spill.Memory {
	if o == nil {
		return nil
	}
	return o.m
}

// start says that the run goes out of core, and what the Memory knows at
// once will not work as it should: its folder is in memory (tmpfs), or
// the system cannot page out, so that the resident memory is left to the
// kernel (spill.New sets PagerErr at once then).
func (o *outOfCore) start(why string, quiet bool, stderr io.Writer) {
	_, pager := o.errs()
	o.pagerTold = pager != nil
	if quiet {
		return
	}
	fmt.Fprintf(stderr, "caseflow: this log %s: running out of core, with its large data in temporary files in %s (the same results, slower)\n", why, o.where)
	if err := o.m.Warning(); err != nil {
		fmt.Fprintf(stderr, "caseflow: warning: %s\n", o.shown(err))
	}
	if pager != nil {
		fmt.Fprintf(stderr, "caseflow: warning: out of core, its large data go to temporary files, but the run's memory is not held under the budget: %s\n", o.shown(pager))
	}
}

// trouble is what went wrong with the Memory since the start: a slice
// the folder could not take (it is on the heap; the folder is full, say),
// a pager that stopped; "" for nothing.
func (o *outOfCore) trouble() string {
	slices, pager := o.errs()
	var said []string
	if slices != nil {
		said = append(said, o.shown(slices))
	}
	if pager != nil && !o.pagerTold {
		said = append(said, o.shown(pager))
	}
	return strings.Join(said, "; ")
}

// end says how much the files held at once and what went wrong.
func (o *outOfCore) end(st spill.Stats, trouble string, stderr io.Writer) {
	if st.Peak == 0 {
		fmt.Fprintln(stderr, "caseflow: out of core, but nothing was large enough to go to temporary files (each slice under 1 MiB stayed on the heap)")
	} else {
		fmt.Fprintf(stderr, "caseflow: out of core: at most %s held in temporary files at once; %s paged out to them\n",
			mb(st.Peak), mb(st.PagedOut))
	}
	if trouble != "" {
		// The slices the files could not take were made on the heap: the
		// results are the same, the memory may not be.
		fmt.Fprintf(stderr, "caseflow: warning: out of core, some data stayed in memory: %s\n", trouble)
	}
}

// openTmp returns a Memory in dir with the pager's limit resident, or
// why dir cannot hold the run's temporary files: it does not exist, is
// not a folder, or refuses a new file. The error names no path, so that
// the caller names the folder as the user did.
func openTmp(dir string, resident int64) (*spill.Memory, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, errors.New("no such folder; create it or name another")
	case err != nil:
		return nil, bare(err)
	case !st.IsDir():
		return nil, errors.New("not a folder; name a folder for the temporary files")
	}
	m, err := spill.New(dir, resident)
	var fe *spill.FolderError
	if errors.As(err, &fe) {
		// spill says what is wrong and what to do; the caller names the folder.
		return nil, errors.New(fe.What)
	}
	return m, err
}

// bare is err without the path an *os.PathError carries: the system's
// reason alone.
func bare(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
