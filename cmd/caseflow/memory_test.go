package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/internal/atomicfile"
	"github.com/caseflow/caseflow/internal/spill"
)

// TestMemoryFlag: --memory reads sizes with units (KiB… powers of 1024,
// kB… of 1000) on every command that reads a log, and refuses a bare
// number, a non-size and a budget too small to be meant with exit 2 and
// a message saying how to write it.
func TestMemoryFlag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64  // bytes; 0 no budget
		err  string // substring of the usage error; "" valid
	}{
		{in: "256MiB", want: 256 * 1024 * 1024},
		{in: "1GiB", want: 1024 * 1024 * 1024},
		{in: "1.5GB", want: 1_500_000_000},
		{in: "2 GiB", want: 2 * 1024 * 1024 * 1024},
		{in: "600mib", want: 600 * 1024 * 1024},
		{in: "16MiB", want: 16 << 20},
		{in: "off", want: 0},
		{in: "OFF", want: 0},
		{in: "0", want: 0},
		{in: "512", err: `"512" has no unit: write a size such as 256MiB`},
		{in: "1.5", err: `"1.5" has no unit`},
		{in: "lots", err: `"lots" is not a size: write a size such as 256MiB, 2GiB or 1.5GB, or off for no budget`},
		{in: "-1GiB", err: `"-1GiB" is not a size`},
		{in: "", err: `"" is not a size`},
		{in: "256KiB", err: `"256KiB" is below the 16 MiB even a small log needs`},
		{in: "16MB", err: `"16MB" is below the 16 MiB`},
		{in: "8EiB", err: `"8EiB" is more memory than any machine has`},
		{in: "99999999EiB", err: `"99999999EiB" is not a size`},
	} {
		n, err := parseMemory(tc.in)
		switch {
		case tc.err == "" && (err != nil || n != tc.want):
			t.Errorf("parseMemory(%q) = %d, %v; want %d", tc.in, n, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseMemory(%q) = %d, %v; want an error with %q", tc.in, n, err, tc.err)
		}
		if tc.err == "" {
			continue
		}
		for _, cmd := range [][]string{{"analyze"}, {"inspect", "x.csv"}, {"convert", "x.csv", "y.csv"}} {
			code, out, errs := call(t, "", append(cmd, "--memory", tc.in)...)
			if code != exitUsage || out != "" || !strings.Contains(errs, "--memory") || !strings.Contains(errs, tc.err) {
				t.Errorf("%s --memory %q: exit %d, stdout %q, stderr %q; want 2 naming --memory and %q", cmd[0], tc.in, code, out, errs, tc.err)
			}
		}
	}
}

// TestMemoryConfig: [read] memory is checked where it is written and
// sets --memory; an [[input]] table cannot have its own.
func TestMemoryConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.toml", "[read]\nmemory = \"lots\"\n")
	code, _, errs := call(t, "", "analyze", "--config", bad)
	if code != exitUsage || !strings.Contains(errs, bad+":2:") || !strings.Contains(errs, `"lots" is not a size`) {
		t.Errorf("bad memory key: exit %d, stderr %q; want 2 at %s:2", code, errs, bad)
	}
	c, err := loadConfig(write("good.toml", "[read]\nmemory = \"1.5GB\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var rf readFlags
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	rf.register(fs)
	if err := c.apply(fs); err != nil || rf.memory != 1_500_000_000 || !fs.Changed("memory") {
		t.Errorf("[read] memory = \"1.5GB\": --memory %d (given %v), err %v; want 1500000000", rf.memory, fs.Changed("memory"), err)
	}
	input := write("input.toml", "[[input]]\nfiles = [\"a.csv\"]\njoin = \"id\"\nmemory = \"1GiB\"\n")
	if code, _, errs := call(t, "", "analyze", "--config", input); code != exitUsage || !strings.Contains(errs, "memory and tmp are for all sources together") {
		t.Errorf("[[input]] memory: exit %d, stderr %q; want 2, set it in [read]", code, errs)
	}
	// The sources copy the command line's flags by their text, so no
	// budget must read back as one.
	joined := write("joined.toml", writeJoined(t, dir))
	for _, memory := range []string{"off", "0"} {
		if code, _, errs := call(t, "", "analyze", "--config", joined, "--memory", memory); code != exitOK {
			t.Errorf("[[input]] tables and --memory %s: exit %d, stderr %q; want 0", memory, code, errs)
		}
	}
}

// TestDefaultBudget: the budget is --memory when given, else GOMEMLIMIT
// when set, else 3/4 of the cgroup's limit when there is one, else of the
// physical memory; with neither known, none.
func TestDefaultBudget(t *testing.T) {
	const gib = 1 << 30
	limit := func(n uint64) memlimit.Provider { return memlimit.Limit(n) }
	none := func() (uint64, error) { return 0, memlimit.ErrNoLimit }
	broken := func() (uint64, error) { return 0, errors.New("no /proc") }
	for _, tc := range []struct {
		name           string
		cgroup, system memlimit.Provider
		given          bool
		flag           int64
		env            string
		goLimit        int64
		want           int64
		from           string
	}{
		{name: "physical", cgroup: none, system: limit(24 * gib), want: 18 * gib, from: "the default budget (18 GiB, 3/4 of this machine's memory"},
		{name: "cgroup wins", cgroup: limit(4 * gib), system: limit(24 * gib), want: 3 * gib, from: "the default budget (3.0 GiB"},
		{name: "cgroup unreadable", cgroup: broken, system: limit(8 * gib), want: 6 * gib},
		{name: "nothing known", cgroup: broken, system: none, want: 0},
		{name: "GOMEMLIMIT", cgroup: none, system: limit(24 * gib), env: "1GiB", goLimit: gib, want: gib, from: "GOMEMLIMIT=1GiB"},
		{name: "GOMEMLIMIT off", cgroup: none, system: limit(24 * gib), env: "off", goLimit: math.MaxInt64, want: 0},
		{name: "flag wins", cgroup: none, system: limit(24 * gib), given: true, flag: 256 << 20, env: "1GiB", goLimit: gib, want: 256 << 20, from: "--memory 256 MiB"},
		{name: "flag off", cgroup: limit(4 * gib), system: limit(24 * gib), given: true, flag: 0, want: 0},
	} {
		machine := machineMemory(tc.cgroup, tc.system)
		b := chooseBudget(tc.given, tc.flag, tc.env, tc.goLimit, machine)
		if b.limit != tc.want || !strings.HasPrefix(b.from, tc.from) {
			t.Errorf("%s: budget %d from %q; want %d from %q…", tc.name, b.limit, b.from, tc.want, tc.from)
		}
	}
}

// TestGuard: under a budget the work runs with the budget as the soft
// limit, which is put back afterwards; when the live heap exceeds it, the
// run ends at once with exit 1 and one message naming the budget, the
// heap, the phase and its events, while the work still runs, and what
// the work writes afterwards is dropped. The live heap is a stand-in, so
// no real memory is needed.
func TestGuard(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	b := budget{limit: 100 << 20, from: "--memory 100 MiB", machine: 8 << 30}
	// guard runs as the program runs under interruptible, which ends a
	// breached run; finishing is left to the test process's exit.
	guard := func(rf *readFlags, live func() int64, stdout, stderr io.Writer, w work) int {
		return interruptible(func(stdin io.Reader, stdout, stderr io.Writer) int {
			return b.guard(rf, live, stdin, stdout, stderr, w)
		}, nil, stdout, stderr, nil, func() ([]string, error) { return nil, nil })
	}
	var rf readFlags
	code := guard(&rf, func() int64 { return 1 }, &bytes.Buffer{}, &bytes.Buffer{}, func(_ io.Reader, stdout, _ io.Writer) int {
		if got := debug.SetMemoryLimit(-1); got != 100<<20 {
			t.Errorf("soft limit during the run %d, want the budget %d", got, 100<<20)
		}
		return exitBreach
	})
	if code != exitBreach || debug.SetMemoryLimit(-1) != before {
		t.Errorf("under the budget: exit %d, want the work's 3; soft limit after %d, want %d back", code, debug.SetMemoryLimit(-1), before)
	}

	var live atomic.Int64
	release, ended := make(chan struct{}), make(chan struct{})
	var out, errs bytes.Buffer
	rf = readFlags{run: &runState{sinceUntil: true}}
	code = guard(&rf, live.Load, &out, &errs, func(_ io.Reader, stdout, stderr io.Writer) int {
		defer close(ended)
		io.WriteString(stdout, "before ")
		rf.run.enter(phaseMining, 6821370)
		live.Store(301 << 20)
		<-release
		io.WriteString(stdout, "after")
		io.WriteString(stderr, "caseflow: late")
		return exitOK
	})
	want := "caseflow: this log needs more memory than --memory 100 MiB allows: the live heap reached 301.0 MiB while mining 6,821,370 events; raise --memory (this machine allows 8.0 GiB), or analyse part of the log with --since/--until\n"
	if code != exitData || errs.String() != want {
		t.Errorf("breach: exit %d, stderr %q; want 1, %q", code, errs.String(), want)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("soft limit after the breach %d, want %d back", got, before)
	}
	close(release)
	<-ended
	if out.String() != "before " || strings.Contains(errs.String(), "late") {
		t.Errorf("after the breach the work's writes got through: stdout %q, stderr %q", out.String(), errs.String())
	}
}

// TestBreachFolderFull: a run out of core whose folder could not take
// some slices (they went to the heap) is stopped with a message that says
// so and what to do about the folder, not only to raise --memory; a run
// out of core without such trouble is stopped as "even out of core".
func TestBreachFolderFull(t *testing.T) {
	b := budget{limit: 16 << 20, from: "--memory 16 MiB", machine: 8 << 30}
	full := &spill.FolderError{Dir: "/tmp", What: "is full: reserving 4.0 MiB: no space left on device; free space there or give --tmp another folder"}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"folder full", full, "caseflow: this log needs more memory than --memory 16 MiB allows: out of core, the temporary files could not take all of its data, " +
			"so the heap held the rest and reached 17.6 MiB while reading the log (3.3 MB read); " +
			"the system's temporary folder is full: reserving 4.0 MiB: no space left on device; free space there or give --tmp another folder"},
		{"no trouble", nil, "caseflow: this log needs more memory than --memory 16 MiB allows, even out of core: the live heap reached 17.6 MiB while reading the log (3.3 MB read); raise --memory (this machine allows 8.0 GiB), or read a shorter period of the log (export fewer days)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &runState{outOfCore: &outOfCore{folder: folder{dir: "/tmp", where: "the system's temporary folder"}, errs: func() (error, error) { return tc.err, nil }}}
			s.read.Store(3_300_000)
			if got := b.breach(176<<20/10, s); got != tc.want {
				t.Errorf("breach:\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// memoryChild is the child process of TestMemoryBound, run by TestMain
// when $CASEFLOW_MEMORY_CHILD names a file: caseflow as main runs it, with
// args, and then it writes its peak RSS in bytes to that file and returns
// the exit code. The peak is the kernel's VmHWM of this process's memory:
// the child's rusage (ru_maxrss) cannot be used, as Go starts a child
// sharing the parent's memory until exec (vfork), and the kernel counts
// that memory, the whole test process's, as the child's peak.
func memoryChild(peak string, args []string) int {
	keepInMemory = os.Getenv(inMemoryEnv) != ""
	// Through interruptible, as main runs it: a breach ends the run there.
	code := interruptible(func(stdin io.Reader, stdout, stderr io.Writer) int {
		return run(args, stdin, stdout, stderr)
	}, os.Stdin, os.Stdout, os.Stderr, nil, atomicfile.Finish)
	status, err := os.ReadFile("/proc/self/status")
	var kib int64
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kib, err = strconv.ParseInt(f[1], 10, 64)
		}
	}
	if err == nil && kib > 0 {
		err = os.WriteFile(peak, []byte(strconv.FormatInt(kib<<10, 10)), 0o600)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "memory child: no peak RSS: %v\n", err)
		return 99
	}
	return code
}

// inMemoryEnv set: the memory child keeps the run in memory whatever the
// budget (keepInMemory).
const inMemoryEnv = "CASEFLOW_IN_MEMORY"

// child runs caseflow, as main does, in a child process with args and the
// environment variables env; it returns the exit code, the streams and
// the peak RSS in bytes.
func child(t *testing.T, env []string, args ...string) (code int, stdout, stderr string, rss int64) {
	t.Helper()
	tmp := t.TempDir()
	peak := filepath.Join(tmp, "peak")
	cmd := exec.Command(os.Args[0], args...)
	// TMPDIR: whatever temporary file the child leaves is the test's.
	cmd.Env = append(append(os.Environ(), "CASEFLOW_MEMORY_CHILD="+peak, "GOMEMLIMIT=", "TMPDIR="+tmp), env...)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	b, err := os.ReadFile(peak)
	if err != nil {
		t.Fatalf("caseflow %s: exit %d, no peak written (%v): %s", args[0], cmd.ProcessState.ExitCode(), err, errs.String())
	}
	if rss, err = strconv.ParseInt(string(b), 10, 64); err != nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errs.String(), rss
}

// TestMemoryBound analyses a generated log of 100,000 cases in a child
// process with a budget far too small, kept in memory (as a log whose
// need was underestimated would be): it must end with exit 1 and the one
// breach message, and leave no report folder nor anything beside it but
// the lock file. Its peak RSS (VmHWM, see TestMemoryChild) must stay
// within the process's own (a child running version: code, runtime,
// tables) plus twice the budget: the live heap is at most the budget
// until the breach is seen, and the soft limit keeps the heap near it
// (the collector may let it overshoot while it marks). The log's own
// peak without a budget must be above that bound, or the test would
// prove nothing. Out of core, the route the budget chooses, reading
// alone holds more than 16 MiB of heap (its chunk buffers): the run ends
// with the breach message saying so, and leaves nothing either. With a
// generous budget the report is byte for byte the one without --memory.
func TestMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses a 100,000-case log")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("the peak RSS is read from /proc (Linux)")
	}
	dir := t.TempDir()
	code, csv, errs := call(t, "", "generate", "--cases", "100000", "--seed", "3")
	if code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	log := filepath.Join(dir, "log.csv")
	if err := os.WriteFile(log, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, _, base := child(t, nil, "version")
	const budget = 16 << 20
	bound := base + 2*budget
	out := filepath.Join(dir, "report")
	code, stdout, msg, rss := child(t, []string{inMemoryEnv + "=1"}, "analyze", "--quiet", "--memory", "16MiB", "--out", out, log)
	t.Logf("--memory 16MiB: peak RSS %d MiB (bound %d MiB); %s", rss>>20, bound>>20, msg)
	if code != exitData || stdout != "" || strings.Count(msg, "\n") != 1 ||
		!strings.HasPrefix(msg, "caseflow: this log needs more memory than --memory 16 MiB allows: the live heap reached ") ||
		!strings.Contains(msg, " while reading the log (") || !strings.Contains(msg, english.Sprintf(" of %.1f MB read)", float64(len(csv))/1e6)) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and only the one breach message, while reading, with the file's size", code, stdout, msg)
	}
	if rss > bound {
		t.Errorf("peak RSS %d MiB, want at most %d MiB", rss>>20, bound>>20)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "log.csv" && n != ".report.caseflow-lock" {
			t.Errorf("the stopped run left %s beside the log", n)
		}
	}

	code, stdout, msg, rss = child(t, nil, "analyze", "--quiet", "--memory", "16MiB", "--out", out, log)
	t.Logf("--memory 16MiB out of core: peak RSS %d MiB; %s", rss>>20, msg)
	if code != exitData || stdout != "" || strings.Count(msg, "\n") != 1 ||
		!strings.HasPrefix(msg, "caseflow: this log needs more memory than --memory 16 MiB allows, even out of core: the live heap reached ") {
		t.Errorf("out of core: exit %d, stdout %q, stderr %q; want 1 and only the one breach message, out of core", code, stdout, msg)
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "log.csv" && n != ".report.caseflow-lock" {
			t.Errorf("the stopped run out of core left %s beside the log", n)
		}
	}

	code, plain, errs, free := child(t, nil, "analyze", "--format", "json", "--memory", "off", log)
	if code != exitOK {
		t.Fatalf("--memory off: exit %d: %s", code, errs)
	}
	t.Logf("--memory off: peak RSS %d MiB", free>>20)
	if free <= bound {
		t.Errorf("without a budget the run peaks at %d MiB, within the bound of %d MiB: the log is too small to show it", free>>20, bound>>20)
	}
	code, budgeted, errs := call(t, "", "analyze", "--format", "json", "--memory", "4GiB", log)
	if code != exitOK || budgeted != plain {
		t.Errorf("--memory 4GiB: exit %d (%s), report the same as without a budget: %v", code, errs, budgeted == plain)
	}
}

// TestCountReadsInPlace: counting what is read (the watchdog's and the
// progress line's bytes) keeps a file seekable, so Parquet and Arrow IPC
// files are still read in place rather than into memory, and ReadAt
// counts too; a stream that cannot seek still says so.
func TestCountReadsInPlace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var rf readFlags
	var stdin io.Reader = strings.NewReader("")
	countReads(&rf, &stdin, &n)
	f, err := rf.open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ra, ok := f.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !ok {
		t.Fatal("the counted file is not an io.ReaderAt and io.Seeker")
	}
	b := make([]byte, 4)
	if size, err := ra.Seek(0, io.SeekEnd); err != nil || size != 10 {
		t.Errorf("Seek to the end: %d, %v; want 10", size, err)
	}
	if k, err := ra.ReadAt(b, 6); err != nil || string(b[:k]) != "6789" || n.Load() != 4 {
		t.Errorf("ReadAt(6): %q, %v, %d bytes counted; want 6789 and 4", b[:k], err, n.Load())
	}
	rf.open = func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x")), nil }
	countReads(&rf, &stdin, &n)
	g, _ := rf.open("stream")
	if _, err := g.(io.Seeker).Seek(0, io.SeekEnd); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Seek on a stream: %v, want errors.ErrUnsupported", err)
	}
}

// TestGCPercent: a run collects at GOGC=25, at 10 from an input of
// bigInput bytes, unless GOGC is set, and the collector's target is put
// back when it ends.
func TestGCPercent(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	before := percent()
	for _, tc := range []struct {
		env  string
		want int
		big  bool
	}{{"", 25, false}, {"", 10, true}, {"80", before, true}} {
		t.Setenv("GOGC", tc.env)
		var during int
		rf := readFlags{memory: 0}
		var paths []string
		if tc.big { // a sparse file of bigInput bytes
			p := filepath.Join(t.TempDir(), "big.csv")
			if err := os.WriteFile(p, nil, 0o644); err != nil || os.Truncate(p, bigInput) != nil {
				t.Fatal("cannot make a sparse file")
			}
			paths = []string{p}
		}
		rf.guarded(paths, nil, io.Discard, io.Discard, func(io.Reader, io.Writer, io.Writer) int { during = percent(); return exitOK })
		if during != tc.want || percent() != before {
			t.Errorf("GOGC=%q, big input %v: %d during the run, want %d; %d after, want %d back", tc.env, tc.big, during, tc.want, percent(), before)
		}
	}
}
