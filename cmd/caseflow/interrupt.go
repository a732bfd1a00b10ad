package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/caseflow/caseflow/report"
)

// An interrupt, SIGINT (Ctrl-C) or SIGTERM (a service manager or batch
// scheduler stopping the job), ends a run at once: main does not wait for
// the work, which may be mining for minutes, to reach a point where it
// could stop; the work is left running until the process exits. A memory
// breach ends it the same way (the watchdog posts a stop, see guard).
// What makes that safe is atomicfile.Finish, called
// by main before every exit: it waits for a rename or a report folder's
// switch under way, refuses every later one, and removes the temporary
// files and folders the run made. So each output is as it was or whole
// and new, never half-written or half-switched, and nothing temporary is
// left beside it. The signals stay caught until the exit, so a second one
// during this does not kill the run halfway; it is ignored.

// catchInterrupts catches SIGINT and SIGTERM from now on, but not one the
// process was started ignoring (nohup, a shell's background job), which
// stays ignored.
func catchInterrupts() <-chan os.Signal {
	sig := make(chan os.Signal, 1)
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(s) {
			signal.Notify(sig, s)
		}
	}
	return sig
}

// shutWait is how long an interrupt waits for a write to the standard
// streams under way: one blocked on a full pipe must not keep the run from
// ending.
const shutWait = time.Second

// interruptible runs w, the program, with the standard streams gated,
// and returns its exit code, or ends it at once on the first signal sig
// delivers or the first stop posted to the gate (by the memory watchdog,
// guard): it shuts the gate, so that nothing the work writes afterwards
// gets through, and says one line on stderr: for a signal, what was kept,
// and 128 + the signal's number, as a shell reports a process the signal
// killed (130 for SIGINT, 143 for SIGTERM); for a stop, its message and
// code. Either way the run's temporary files are removed
// (finish: atomicfile.Finish; a test's in-process run, which must not end
// the test process's atomic writes, passes another). It is main but for
// the exit, which it leaves to main, and for the signals, which main
// catches (nil: none).
func interruptible(w work, stdin io.Reader, stdout, stderr io.Writer, sig <-chan os.Signal, finish func() ([]string, error)) int {
	g := &gate{stop: make(chan stop, 1)}
	done := make(chan int, 1)
	go func() { done <- w(stdin, gatedStream(g, stdout), gatedStream(g, stderr)) }()
	var end stop
	select {
	case code := <-done:
		if _, err := finish(); err != nil {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
		}
		return code
	case s := <-sig:
		n, _ := s.(syscall.Signal)
		end.code = 128 + int(n)
	case end = <-g.stop:
	}
	shut := make(chan struct{})
	go func() { g.shut(); close(shut) }()
	select {
	case <-shut:
	case <-time.After(shutWait):
	}
	placed, err := finish()
	msg := end.msg
	switch {
	case msg != "":
	case len(placed) > 0:
		msg = "caseflow: interrupted; kept " + strings.Join(placed, ", ") + ", written whole before it; nothing else written"
	default:
		msg = "caseflow: interrupted; nothing written"
	}
	if err != nil {
		msg += fmt.Sprintf("; %v", err)
	}
	if isTerminal(stderr) {
		msg = "\r\x1b[K" + msg // over the progress line and the terminal's ^C
	}
	fmt.Fprintln(stderr, msg)
	return end.code
}

// stop ends a run as a signal does, with its exit code and message.
type stop struct {
	code int
	msg  string
}

// gate drops a stopped run's writes to the standard streams, and takes
// the stop that ends the run (guard posts it; interruptible waits for it).
type gate struct {
	mu     sync.Mutex
	closed bool
	stop   chan stop
}

// shut closes the gate once the writes under way are done.
func (g *gate) shut() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

var errStopped = errors.New("the run was stopped")

type gated struct {
	g *gate
	w io.Writer
}

func (w gated) Write(b []byte) (int, error) {
	w.g.mu.Lock()
	defer w.g.mu.Unlock()
	if w.g.closed {
		return 0, errStopped
	}
	return w.w.Write(b)
}

// stops is where the run's work posts a stop: the stream is the way
// interruptible hands its gate to the commands, which get nothing else
// from it. A stream not behind a gate (a test calling run) has none.
func (w gated) stops() chan<- stop { return w.g.stop }

// gatedStream is w behind the gate g; a file stays one for isTerminal.
func gatedStream(g *gate, w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok {
		return gatedFile{gated{g, f}, f}
	}
	return gated{g, w}
}

type gatedFile struct {
	gated
	f *os.File
}

func (g gatedFile) Fd() uintptr { return g.f.Fd() }

// writingPage is what analyze writes the report page with: the page
// itself. Tests (interrupt_test.go) replace it, in a child process only,
// with a page that stops halfway, to interrupt a run that is certainly
// writing.
var writingPage = func(o report.Output) report.Output { return o }
