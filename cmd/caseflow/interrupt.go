package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/caseflow/caseflow/internal/atomicfile"
	"github.com/caseflow/caseflow/report"
)

// An interrupt, SIGINT (Ctrl-C) or SIGTERM (a service manager or batch
// scheduler stopping the job), ends a run at once: main does not wait for
// the work, which may be mining for minutes, to reach a point where it
// could stop; the work is left running until the process exits, as on a
// memory breach (guard). What makes that safe is atomicfile.Finish, called
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

// interruptible runs the program (run) with the standard streams gated,
// and returns its exit code, or, on the first signal sig delivers, ends it
// with one line on stderr saying what was kept and 128 + the signal's
// number, as a shell reports a process the signal killed: 130 for SIGINT,
// 143 for SIGTERM. Either way the run's temporary files are removed
// (atomicfile.Finish): also those of work a memory breach left running.
// It is main but for the exit, which it leaves to main, and for the
// signals, which main catches.
func interruptible(args []string, stdin io.Reader, stdout, stderr io.Writer, sig <-chan os.Signal) int {
	g := &gate{}
	done := make(chan int, 1)
	go func() { done <- run(args, stdin, gatedStream(g, stdout), gatedStream(g, stderr)) }()
	select {
	case code := <-done:
		if _, err := atomicfile.Finish(); err != nil {
			fmt.Fprintf(stderr, "caseflow: %v\n", err)
		}
		return code
	case s := <-sig:
		shut := make(chan struct{})
		go func() { g.shut(); close(shut) }()
		select {
		case <-shut:
		case <-time.After(shutWait):
		}
		placed, err := atomicfile.Finish()
		msg := "caseflow: interrupted; nothing written"
		if len(placed) > 0 {
			msg = "caseflow: interrupted; kept " + strings.Join(placed, ", ") + ", written whole before it; nothing else written"
		}
		if err != nil {
			msg += fmt.Sprintf("; %v", err)
		}
		if isTerminal(stderr) {
			msg = "\r\x1b[K" + msg // over the progress line and the terminal's ^C
		}
		fmt.Fprintln(stderr, msg)
		n, _ := s.(syscall.Signal)
		return 128 + int(n)
	}
}

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
