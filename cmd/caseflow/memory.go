package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/dustin/go-humanize"
)

// The memory budget (--memory) bounds what a run holds. A log whose
// estimated need exceeds it is analysed out of core (outofcore.go): its
// large data live in temporary files, and the process's resident memory
// is kept under the budget. In memory the budget is the Go runtime's soft
// memory limit for the run (the collector works harder near it instead
// of letting the heap double); out of core the heap gets a share of it.
// On both routes a watchdog stops the run with a clear error once the
// live heap, what is left after a collection, exceeds the budget: no
// collection can then bring the heap back under it, instead of the run
// growing until the system kills it or a shared server swaps.

// budgetShare is the default budget's share of the memory this process
// may use (the cgroup limit, else physical memory). Three quarters leave a
// quarter for the system, the page cache, other processes and the
// runtime's own memory beyond the heap. A run succeeded while its peak,
// about twice its live heap at Go's default GOGC=100, fitted the machine,
// so any share of at least a half refuses no log that succeeded without a
// budget (the 68M-event log's live heap is under 4.8 GiB, far below the
// 18 GiB of a 24 GiB machine); the soft limit lets a log with a live heap
// of up to three quarters finish where it ran out of memory before.
const budgetShare = 0.75

// minBudget is the smallest budget --memory takes: the built-in sample
// of 2,000 cases is analysed within it (a budget of 12 MiB stops it), so
// a smaller budget is a mistaken unit (256KiB for 256MiB) rather than a
// choice.
const minBudget = 16 << 20

// gcPercent is the collector's target in a run that reads a log, unless
// GOGC is set: the heap may grow a quarter over what the last collection
// left live, not Go's default of as much again, and a tenth once the
// input files reach bigInput. caseflow's heap is mostly large buffers
// without pointers (Arrow columns, codes, duration samples), which a
// collection does not scan, so on a large log collecting more often costs
// little: on the 1M-case log (6.8M events) GOGC 100 → 25 took peak RSS
// 704–808 → 527–543 MiB at user CPU 8.0–8.3 → 7.6–8.1 s, and 25 → 10
// 406–420 → 340–361 MiB at 6.3–8.9 → 6.1–8.8 s. On a small log a
// collection's fixed cost weighs more (the call centre's 3 MB: 0.40–0.44 →
// 0.57–0.59 s user at 10, for 1–2 MiB less), so it keeps 25
// (benchmarks/RESULTS.md).
func gcPercent(input int64) int {
	if input >= bigInput {
		return 10
	}
	return 25
}

// bigInput is the size of the input files, as stored, from which a run
// collects at GOGC=10: as CSV about 600,000 events, a heap of ~50 MB,
// where the buffers outweigh the rest. A Parquet or compressed file holds
// several times more events a byte (the 1M-case log: 709 MB as CSV, 103
// MB as Parquet), so it reaches the size with a larger log; a log on
// standard input counts as small.
const bigInput = 64 << 20

// watchEvery is how often the watchdog reads the live heap. The soft
// limit makes the collector run whenever the heap reaches the budget, so
// the live heap is measured afresh at the budget, and a breach is seen
// within this time of the collection that found it.
const watchEvery = 10 * time.Millisecond

var errNoUnit = errors.New("has no unit")

// parseMemory reads --memory: a size with a unit as go-humanize reads it
// (256MiB, 1GiB, 1.5GB: KiB, MiB, GiB are powers of 1024, kB, MB, GB of
// 1000), or 0 or off for no budget.
func parseMemory(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "0" || strings.EqualFold(t, "off") {
		return 0, nil
	}
	how := "write a size such as 256MiB, 2GiB or 1.5GB, or off for no budget"
	if t != "" && strings.Trim(t, "0123456789.") == "" {
		return 0, fmt.Errorf("%q has no unit: %s", s, how)
	}
	n, err := humanize.ParseBytes(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size: %s", s, how)
	}
	if n > math.MaxInt64 {
		return 0, fmt.Errorf("%q is more memory than any machine has: %s", s, how)
	}
	if n < minBudget {
		return 0, fmt.Errorf("%q is below the %s even a small log needs: %s", s, humanize.IBytes(minBudget), how)
	}
	return int64(n), nil
}

// memoryValue is the pflag.Value of --memory; its zero is "no budget"
// only once given (readFlags.budget tells given from default).
type memoryValue struct{ n *int64 }

func (v memoryValue) Set(s string) error {
	n, err := parseMemory(s)
	if err == nil {
		*v.n = n
	}
	return err
}

// String is "off" for no budget, a value Set takes back: the sources of
// a config's [[input]] tables copy the flag by its text (sources.go).
func (v memoryValue) String() string {
	if v.n == nil || *v.n == 0 {
		return "off"
	}
	return humanize.IBytes(uint64(*v.n))
}

func (memoryValue) Type() string { return "size" }

// memoryText is the config file's memory key, checked as it is decoded.
type memoryText struct{ s string }

func (v *memoryText) UnmarshalText(b []byte) error {
	if _, err := parseMemory(string(b)); err != nil {
		return err
	}
	v.s = string(b)
	return nil
}

func (v memoryText) String() string { return v.s }

// budget is the memory a run may hold and what set it.
type budget struct {
	limit   int64  // bytes of live heap; 0: no budget
	heap    int64  // the Go heap's soft limit when not limit (out of core)
	from    string // what set it, as the breach message names it
	machine int64  // memory this process may use; 0 when unknown
	chosen  bool   // set on purpose (--memory, the config, GOMEMLIMIT), not the machine's share
}

// machineMemory is the memory this process may use: its cgroup's limit
// when there is one (a container, a systemd slice), else the physical
// memory; 0 when neither is known. The providers are memlimit's
// FromCgroup and FromSystem, parameters for tests.
func machineMemory(cgroup, system memlimit.Provider) int64 {
	for _, p := range []memlimit.Provider{cgroup, system} {
		if n, err := p(); err == nil && n > 0 && n <= math.MaxInt64 {
			return int64(n)
		}
	}
	return 0
}

// chooseBudget settles the budget: --memory when given (0: none), else
// the environment's GOMEMLIMIT (goLimit is the runtime's limit, which it
// read from GOMEMLIMIT; math.MaxInt64 for off), else budgetShare of the
// machine's memory (none when that is unknown).
func chooseBudget(given bool, flag int64, env string, goLimit, machine int64) budget {
	b := budget{machine: machine}
	switch {
	case given:
		b.limit, b.chosen = flag, true
		b.from = "--memory " + humanize.IBytes(uint64(flag))
	case env != "":
		if goLimit < math.MaxInt64 {
			b.limit = goLimit
		}
		b.from, b.chosen = "GOMEMLIMIT="+env, true
	case machine > 0:
		b.limit = int64(budgetShare * float64(machine))
		b.from = fmt.Sprintf("the default budget (%s, 3/4 of this machine's memory)", humanize.IBytes(uint64(b.limit)))
	}
	return b
}

// budget is the read flags' budget in this process and on this machine.
func (r *readFlags) budget() budget {
	given := r.fs != nil && r.fs.Changed("memory")
	return chooseBudget(given, r.memory, os.Getenv("GOMEMLIMIT"), debug.SetMemoryLimit(-1),
		machineMemory(memlimit.FromCgroup, memlimit.FromSystem))
}

// Phases of a run, as a breach names them.
const (
	phaseReading int32 = iota
	phaseMining
	phaseWriting
)

// runState is what the watchdog says a run was doing: its phase, the
// bytes read and the events held.
type runState struct {
	phase  atomic.Int32
	read   atomic.Int64
	size   int64 // of the files named, when known
	events atomic.Int64
	// outOfCore tells what went wrong with spill (outofcore.go); nil in memory.
	outOfCore *outOfCore
	// sinceUntil: the command has --since and --until, which choose the
	// cases mined (after the whole log is read).
	sinceUntil bool
}

// enter records that the run goes on to phase p holding events events; a
// nil state (no watchdog) records nothing.
func (s *runState) enter(p int32, events int) {
	if s == nil {
		return
	}
	s.events.Store(int64(events))
	s.phase.Store(p)
	if spillAll != nil {
		// A forced test run pages everything out between phases, so that
		// its data go through the files however short it is: the pager
		// alone backs off when paging out cannot bring the process under
		// its limit, as a test's limit of 1 byte never can.
		s.outOfCore.mem().PageOut()
	}
}

// doing is what the run was doing, as "while …" ends.
func (s *runState) doing() string {
	switch s.phase.Load() {
	case phaseMining:
		return english.Sprintf("mining %d events", s.events.Load())
	case phaseWriting:
		return english.Sprintf("writing the output of %d events", s.events.Load())
	}
	read := mb(s.read.Load())
	if s.size > 0 {
		// Reading sets room aside for a file's events as it starts, so a
		// breach can come early in a large file.
		read += " of " + mb(s.size)
	}
	return "reading the log (" + read + " read)"
}

// advice is what else than a larger budget helps.
func (s *runState) advice() string {
	if s.sinceUntil && s.phase.Load() != phaseReading {
		return "analyse part of the log with --since/--until"
	}
	// --since and --until choose cases once the log is read, so they do
	// not help while reading.
	return "read a shorter period of the log (export fewer days)"
}

// breach is the message of a run stopped at live bytes of live heap.
func (b budget) breach(live int64, s *runState) string {
	raise := "raise --memory"
	if b.machine > 0 {
		raise += " (this machine allows " + humanize.IBytes(uint64(b.machine)) + ")"
	}
	out := ""
	if s.outOfCore != nil {
		out = ", even out of core"
		if t := s.outOfCore.trouble(); t != "" {
			// The slices the folder could not take went to the heap: the
			// folder, not the budget, is what to change.
			return fmt.Sprintf("caseflow: this log needs more memory than %s allows: out of core, the temporary files could not take all of its data, so the heap held the rest and reached %s while %s; %s",
				b.from, sizeIn(live, b.limit), s.doing(), t)
		}
	}
	return fmt.Sprintf("caseflow: this log needs more memory than %s allows%s: the live heap reached %s while %s; %s, or %s",
		b.from, out, sizeIn(live, b.limit), s.doing(), raise, s.advice())
}

// sizeIn writes n in the unit humanize.IBytes writes the budget in, with
// a decimal, so that a heap just above a budget of 16 MiB reads 16.3 MiB,
// not 16 MiB as well.
func sizeIn(n, budget int64) string {
	_, unit, _ := strings.Cut(humanize.IBytes(uint64(budget)), " ")
	one, err := humanize.ParseBytes("1 " + unit)
	if err != nil {
		return humanize.IBytes(uint64(n))
	}
	return english.Sprintf("%.1f %s", float64(n)/float64(one), unit)
}

// liveHeap is the heap the last collection found live.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// work is a command's run: it reads with rf and writes to the streams it
// is given, and returns the exit code.
type work func(stdin io.Reader, stdout, stderr io.Writer) int

// guarded runs w under the read flags' budget (see the top of this file),
// in memory or out of core as route chooses (outofcore.go). It counts
// the bytes the opener and stdin deliver, of the size of the files in
// paths, once for the watchdog and the progress line. The soft limit is
// put back when guarded returns, as is the collector's target
// (gcPercent).
func (r *readFlags) guarded(paths []string, stdin io.Reader, stdout, stderr io.Writer, w work) int {
	if r.run == nil {
		r.run = &runState{}
	}
	sizes := inputSizes(paths)
	r.run.size = inputSize(sizes)
	countReads(r, &stdin, &r.run.read)
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(gcPercent(r.run.size)))
	}
	b := r.budget()
	w, code := r.route(&b, paths, sizes, stderr, w)
	if code != exitOK {
		return code
	}
	return b.guard(r, liveHeap, stdin, stdout, stderr, w)
}

// guard is guarded with the live heap read by live, for tests. While w
// runs, a watchdog reads the live heap; on a breach it posts a stop with
// exit 1 and the breach message to the gate stderr is behind, and
// interruptible (interrupt.go) ends the run as on a signal: it shuts the
// gate, so the message is the last word, and removes the temporaries of
// the work left running to end with the process (main's os.Exit, the
// only one). Files are never left half-written: --out is replaced as a
// whole (report.Dir), the other outputs through atomicfile. A stream not
// behind a gate (the tests that call run in-process, under the default
// budget, which they never reach) has no watchdog; the breach itself is
// tested in a child process through interruptible (memory_test.go).
func (b budget) guard(r *readFlags, live func() int64, stdin io.Reader, stdout, stderr io.Writer, w work) int {
	if b.limit == 0 {
		return w(stdin, stdout, stderr)
	}
	if r.run == nil {
		r.run = &runState{}
	}
	s := r.run
	soft := b.limit
	if b.heap > 0 {
		soft = b.heap
	}
	before := debug.SetMemoryLimit(soft)
	defer debug.SetMemoryLimit(before)
	if g, ok := stderr.(interface{ stops() chan<- stop }); ok {
		ended := make(chan struct{})
		defer close(ended)
		go func() {
			tick := time.NewTicker(watchEvery)
			defer tick.Stop()
			for {
				select {
				case <-ended:
					return
				case <-tick.C:
					if n := live(); n > b.limit {
						// The collector cannot bring the heap under
						// the limit any more: it need not try while
						// the run ends.
						debug.SetMemoryLimit(before)
						// The one stop a run gets: its room waits.
						g.stops() <- stop{exitData, b.breach(n, s)}
						return
					}
				}
			}
		}()
	}
	return w(stdin, stdout, stderr)
}
