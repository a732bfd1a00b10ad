//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/caseflow/caseflow/report"
)

// The child process of the interrupt tests is this test binary running
// main (interruptChild, called first thing by TestMain), set up by
// environment variables:
const (
	interruptChildEnv = "CASEFLOW_INTERRUPT_CHILD" // set: be the child
	// pausePageEnv=N: the N-th writing of the report page (1: report.html
	// in --out's new folder, 2: --html's file) writes half of the page,
	// flushes it, says pausedLine on stderr and waits for ever, so that
	// the test signals a run that is certainly writing, without timing.
	pausePageEnv = "CASEFLOW_PAUSE_PAGE"
	// fileSizeEnv=N: the child may write no file larger than N bytes
	// (RLIMIT_FSIZE; Go ignores SIGXFSZ, so the write fails with EFBIG
	// "file too large", as one fails on a full disk). It holds for root
	// too, where a read-only folder would not.
	fileSizeEnv = "CASEFLOW_FILE_SIZE"
	// spillAllEnv set: the run goes out of core with every slice in a
	// file and every page paged out (forceSpill).
	spillAllEnv = "CASEFLOW_SPILL_ALL"
)

const pausedLine = "caseflow test: paused writing the page"

// interruptChild returns at once unless this process is the child of the
// interrupt tests; then it runs main, which exits.
func interruptChild() {
	if os.Getenv(interruptChildEnv) == "" {
		return
	}
	if n, err := strconv.Atoi(os.Getenv(pausePageEnv)); err == nil {
		var writes atomic.Int32
		writingPage = func(o report.Output) report.Output {
			write := o.Write
			o.Write = func(w io.Writer) error {
				if writes.Add(1) != int32(n) {
					return write(w)
				}
				var page bytes.Buffer
				write(&page)
				w.Write(page.Bytes()[:page.Len()/2])
				if f, ok := w.(interface{ Flush() error }); ok {
					f.Flush()
				}
				fmt.Fprintln(os.Stderr, pausedLine)
				select {}
			}
			return o
		}
	}
	if os.Getenv(spillAllEnv) != "" {
		spillAll = &struct {
			threshold int
			resident  int64
		}{threshold: 4096, resident: 1}
	}
	if n, err := strconv.ParseUint(os.Getenv(fileSizeEnv), 10, 64); err == nil {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "interrupt child:", err)
			os.Exit(99)
		}
	}
	main()
}

// startChild starts caseflow with args in the child process, in folder
// dir, with env added to the environment; stdin, when not nil, is its
// standard input.
func startChild(t *testing.T, dir string, env []string, stdin io.Reader, args ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{interruptChildEnv + "=1", "TMPDIR=" + dir}, env...)...)
	cmd.Stdin = stdin
	errs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, bufio.NewReader(errs)
}

// finish reads the rest of the child's stderr and waits for its exit.
func finish(t *testing.T, cmd *exec.Cmd, errs *bufio.Reader) (code int, stderr string) {
	t.Helper()
	rest, _ := io.ReadAll(errs)
	if err := cmd.Wait(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return cmd.ProcessState.ExitCode(), string(rest)
}

// awaitPause reads the child's stderr up to its pausedLine.
func awaitPause(t *testing.T, errs *bufio.Reader) {
	t.Helper()
	for {
		line, err := errs.ReadString('\n')
		if err != nil {
			t.Fatalf("the child ended before pausing: %v", err)
		}
		if strings.TrimSuffix(line, "\n") == pausedLine {
			return
		}
	}
}

// snapshot is the files of the folder dir by name, with their content;
// for a file, its content by the name ""; nil when dir is missing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	fi, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err == nil && !fi.IsDir() {
		return map[string]string{"": readFile(t, dir)}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		files[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
	}
	return files
}

// TestInterruptWhileWriting interrupts analyze (on the built-in sample)
// while it writes: once in --out's new folder, before the switch, where
// the previous report must stay as it was; once after the switch, while
// writing --html's file, where the new report must stay whole (byte for
// byte the one of an uninterrupted run) and the page as it was. Each time
// the child has made its temporary (checked), and afterwards the folder
// holds no temporary, the exit code is 128 + the first signal's number,
// and the one line after the pause says what was kept. A second signal
// at once changes nothing.
func TestInterruptWhileWriting(t *testing.T) {
	for _, tc := range []struct {
		name     string
		signals  []syscall.Signal
		pause    string // which writing of the page pauses
		previous bool   // an earlier report is in --out
		temp     string // the temporary the paused run has made
		code     int
		kept     bool // the new report is kept
	}{
		{name: "SIGINT in the new folder", signals: []syscall.Signal{syscall.SIGINT}, pause: "1", previous: true, temp: ".report.caseflow-new-", code: 130},
		{name: "SIGTERM in the new folder", signals: []syscall.Signal{syscall.SIGTERM}, pause: "1", previous: true, temp: ".report.caseflow-new-", code: 143},
		{name: "SIGINT twice", signals: []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, pause: "1", previous: true, temp: ".report.caseflow-new-", code: 130},
		{name: "SIGTERM writing --html", signals: []syscall.Signal{syscall.SIGTERM}, pause: "2", temp: ".page.html", code: 143, kept: true},
		{name: "SIGINT then SIGTERM writing --html", signals: []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}, pause: "2", previous: true, temp: ".page.html", code: 130, kept: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, page := filepath.Join(dir, "report"), filepath.Join(dir, "page.html")
			args := []string{"analyze", "--quiet", "--out", out, "--html", page}
			// The new report, from an uninterrupted run of the same command.
			if code, _, errs := call(t, "", args...); code != exitOK {
				t.Fatalf("uninterrupted run: exit %d: %s", code, errs)
			}
			newReport := snapshot(t, out)
			os.RemoveAll(out)
			if tc.previous {
				if code, _, errs := call(t, "", "analyze", "--quiet", "--out", out, threeCases); code != exitOK {
					t.Fatalf("previous report: exit %d: %s", code, errs)
				}
			}
			if err := os.WriteFile(page, []byte("the previous page"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, out)

			// The child runs in dir and is given the names as a user would,
			// relative: its message must not turn them into absolute paths.
			cmd, errs := startChild(t, dir, []string{pausePageEnv + "=" + tc.pause}, nil, "analyze", "--quiet", "--out", "report", "--html", "page.html")
			awaitPause(t, errs)
			if !slices.ContainsFunc(listDir(t, dir), func(n string) bool { return strings.HasPrefix(n, tc.temp) }) {
				t.Fatalf("paused, the run has no temporary %s*: %q", tc.temp, listDir(t, dir))
			}
			for _, s := range tc.signals {
				if err := cmd.Process.Signal(s); err != nil {
					t.Fatal(err)
				}
			}
			code, stderr := finish(t, cmd, errs)

			want := "caseflow: interrupted; nothing written\n"
			if tc.kept {
				want = "caseflow: interrupted; kept report, written whole before it; nothing else written\n"
			}
			if code != tc.code || stderr != want {
				t.Errorf("exit %d, stderr after the pause %q; want %d, %q", code, stderr, tc.code, want)
			}
			left := []string{".report.caseflow-lock", "page.html"}
			if tc.previous || tc.kept {
				left = append(left, "report")
			}
			if got := listDir(t, dir); !slices.Equal(got, left) {
				t.Errorf("the folder holds %q, want %q", got, left)
			}
			if got := readFile(t, page); got != "the previous page" {
				t.Errorf("--html's file holds %d bytes, not the previous page", len(got))
			}
			switch got := snapshot(t, out); {
			case tc.kept && !maps.Equal(got, newReport):
				t.Errorf("--out holds %q, not the whole new report %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(newReport)))
			case !tc.kept && !maps.Equal(got, before):
				t.Errorf("--out holds %q, not the previous report %q as it was", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(before)))
			}
		})
	}
}

// TestInterruptWhileReading interrupts convert while it reads a log from
// its standard input: the test has written more than a pipe holds, so
// the child is reading (past main's signal.Notify) when it is signalled.
// Nothing is written, not even a temporary file.
func TestInterruptWhileReading(t *testing.T) {
	code, log, errs := call(t, "", "generate", "--cases", "2000", "--seed", "5")
	if code != exitOK || len(log) < 1<<20 {
		t.Fatalf("generate: exit %d, %d bytes (want over 1 MiB, more than a pipe holds): %s", code, len(log), errs)
	}
	dir := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd, stderr := startChild(t, dir, nil, r, "convert", "-", "log.parquet")
	r.Close()
	defer w.Close()
	if _, err := io.WriteString(w, log); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code, msg := finish(t, cmd, stderr)
	if want := "caseflow: interrupted; nothing written\n"; code != 143 || msg != want {
		t.Errorf("exit %d, stderr %q; want 143, %q", code, msg, want)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("the folder holds %q, want nothing", got)
	}
}

// TestWriteErrorLeavesNoTemp makes every write past 16 KiB fail, in the
// child: analyze --out over a previous report and analyze --html over a
// previous page end with exit 1, say which file failed and why and that
// the previous output is untouched, leave it so, and leave no temporary.
func TestWriteErrorLeavesNoTemp(t *testing.T) {
	for _, tc := range []struct {
		flag, name string
		want       string // in stderr, after "file too large"; PATH stands for the output
	}{
		{"--out", "report", "; the previous report in PATH is untouched"},
		{"--html", "page.html", "; the previous file is untouched"},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.name)
			if code, _, errs := call(t, "", "analyze", "--quiet", tc.flag, path, threeCases); code != exitOK {
				t.Fatalf("previous output: exit %d: %s", code, errs)
			}
			before, entries := snapshot(t, path), listDir(t, dir)
			cmd, errs := startChild(t, dir, []string{fileSizeEnv + "=16384"}, nil, "analyze", "--quiet", tc.flag, path)
			code, stderr := finish(t, cmd, errs)
			if want := strings.ReplaceAll(tc.want, "PATH", path); code != exitData || strings.Count(stderr, "\n") != 1 ||
				!strings.Contains(stderr, ": file too large"+want) {
				t.Errorf("exit %d, stderr %q; want 1 and one line with %q", code, stderr, "file too large"+want)
			}
			if after := snapshot(t, path); !maps.Equal(after, before) {
				t.Errorf("%s changed", tc.flag)
			}
			if got := listDir(t, dir); !slices.Equal(got, entries) {
				t.Errorf("the folder holds %q, want %q as before", got, entries)
			}
		})
	}
}

// TestInterruptOutOfCore interrupts analyze out of core while it writes
// the page, when the log's data are in files in --tmp (checked in the
// child's /proc/PID/maps, where they show as deleted files of the
// folder): the run ends as any interrupted run does, and the folder holds
// nothing afterwards. A run whose files cannot grow (RLIMIT_FSIZE, as on
// a full disk) keeps the data it could not put in them on the heap: it
// gives the same report as in memory, says so, and leaves nothing either.
func TestInterruptOutOfCore(t *testing.T) {
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		t.Skip("no /proc/self/maps to see the child's file-backed memory in")
	}
	dir := t.TempDir()
	tmp := filepath.Join(dir, "spill")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd, errs := startChild(t, dir, []string{pausePageEnv + "=1", spillAllEnv + "=1"}, nil, "analyze", "--quiet", "--tmp", "spill", "--html", "page.html")
	awaitPause(t, errs)
	maps := readFile(t, fmt.Sprintf("/proc/%d/maps", cmd.Process.Pid))
	if n := strings.Count(maps, tmp+"/"); n == 0 {
		t.Fatalf("paused, the child maps no file of %s", tmp)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code, stderr := finish(t, cmd, errs); code != 130 || stderr != "caseflow: interrupted; nothing written\n" {
		t.Errorf("exit %d, stderr after the pause %q; want 130, nothing written", code, stderr)
	}
	if got := listDir(t, tmp); len(got) != 0 {
		t.Errorf("--tmp holds %q after the interrupt", got)
	}

	code, want, errText := call(t, "", "analyze", "--format", "json")
	if code != exitOK {
		t.Fatalf("in memory: exit %d: %s", code, errText)
	}
	cmd = exec.Command(os.Args[0], "analyze", "--format", "json", "--tmp", "spill")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), interruptChildEnv+"=1", spillAllEnv+"=1", fileSizeEnv+"=65536")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("out of core with files of at most 64 KiB: %v: %s", err, stderr.String())
	}
	if stdout.String() != want {
		t.Errorf("out of core with files of at most 64 KiB, the report differs:\n%s", firstDiff(want, stdout.String()))
	}
	if !strings.Contains(stderr.String(), "caseflow: warning: out of core, some data stayed in memory: the folder for temporary files spill cannot hold") ||
		!strings.Contains(stderr.String(), "file too large") {
		t.Errorf("stderr %q does not say that the files could not take all the data", stderr.String())
	}
	if got := listDir(t, tmp); len(got) != 0 {
		t.Errorf("--tmp holds %q after the run", got)
	}
}
