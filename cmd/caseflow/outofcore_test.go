package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/internal/realdata"
	"github.com/caseflow/caseflow/internal/spill"
)

// forceSpill sends the runs of the test out of core with every slice in a
// file (spill threshold 1 byte) and a pager limit of 1 byte, so that
// every page of every file-backed slice is written out and read back
// from its file as the run goes.
func forceSpill(t *testing.T) {
	t.Helper()
	spillAll = &struct {
		threshold int
		resident  int64
	}{threshold: 4096, resident: 1}
	t.Cleanup(func() { spillAll = nil })
}

// TestSameReportOutOfCore is issue 19's exactness check: analyze --format
// json gives the same bytes in memory and out of core, on every shared
// real log (with the flags TestPlausibleOnRealLogs gives them; the call
// centre as call records) and on generated logs with every pathology of
// real exports (--realistic: status bursts, placeholder departments,
// quick resolutions, holds of weeks, closing at the KCC), as events in
// both export styles and as call records, at the department and resource
// levels. Out of core every slice lives in a file and every page is paged
// out as soon as the pager looks, and each run must say that files held
// its data (a run left in memory would pass trivially).
func TestSameReportOutOfCore(t *testing.T) {
	type run struct {
		name string
		args []string
	}
	var runs []run
	dir := t.TempDir()
	for _, g := range []struct {
		name string
		args []string
	}{
		{"realistic.csv", []string{"--realistic", "--cases", "1500", "--seed", "19"}},
		{"realistic-nl.csv", []string{"--realistic", "--cases", "800", "--seed", "20", "--style", "nl"}},
		{"calls.csv", []string{"--realistic", "--cases", "800", "--seed", "21", "--shape", "calls"}},
	} {
		path := filepath.Join(dir, g.name)
		if code, _, errs := call(t, "", append([]string{"generate", "--days", "60", "--out", path}, g.args...)...); code != exitOK {
			t.Fatalf("generate %s: exit %d: %s", g.name, code, errs)
		}
		runs = append(runs, run{g.name, []string{path}})
	}
	runs = append(runs, run{"realistic.csv at the resource level", []string{runs[0].args[0], "--level", "resource", "--by", "channel"}})
	// --out: every file, cases.csv (which names each case from the log's
	// case dictionary) and the page among them.
	runs = append(runs, run{"realistic.csv with --out", []string{runs[0].args[0], "--out", "OUT"}})
	if realdata.Dir() == "" {
		t.Log("real data not found (../shared/data or CASEFLOW_DATA): only the generated logs are compared; CI provides it")
	} else {
		for _, lg := range plausibleLogs {
			runs = append(runs, run{lg.path, append([]string{realdata.Path(t, lg.path)}, lg.flags...)})
		}
		runs = append(runs, run{"callcentre", []string{realdata.Path(t, "callcentre/anonymous_bank_january_1999.txt"), "--shape", "calls"}})
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			args := append([]string{"analyze", "--format", "json"}, r.args...)
			outs := []string{filepath.Join(t.TempDir(), "in-memory"), filepath.Join(t.TempDir(), "out-of-core")}
			withOut := slices.Contains(args, "OUT")
			if withOut {
				args[slices.Index(args, "OUT")] = outs[0]
			}
			code, inMemory, errs := call(t, "", args...)
			if code != exitOK {
				t.Fatalf("in memory: exit %d: %s", code, errs)
			}
			if strings.Contains(errs, "out of core") {
				t.Fatalf("the run in memory went out of core: %s", errs)
			}
			forceSpill(t)
			if withOut {
				args[slices.Index(args, outs[0])] = outs[1]
			}
			code, outOfCore, errs := call(t, "", args...)
			if code != exitOK {
				t.Fatalf("out of core: exit %d: %s", code, errs)
			}
			if !strings.Contains(errs, "running out of core") || strings.Contains(errs, "at most 0.0 MB held") || strings.Contains(errs, "; 0.0 MB paged out") {
				t.Fatalf("the forced run did not hold its data in files and page them out: %s", errs)
			}
			if inMemory != outOfCore {
				t.Errorf("report.json differs between the routes (in memory, then out of core):\n%s", firstDiff(inMemory, outOfCore))
			}
			if !withOut {
				return
			}
			names := listDir(t, outs[0])
			if got := listDir(t, outs[1]); !slices.Equal(got, names) || len(names) < 10 {
				t.Fatalf("--out holds %q in memory, %q out of core", names, got)
			}
			for _, n := range names {
				if a, b := readFile(t, filepath.Join(outs[0], n)), readFile(t, filepath.Join(outs[1], n)); a != b && n != "report.html" {
					t.Errorf("%s differs between the routes:\n%s", n, firstDiff(a, b))
				} else if n == "report.html" {
					// The page shows the command line, whose --out differs,
					// and says the run went out of core.
					const row = "\n<tr><th scope=\"row\">Memory</th><td>out of core: the log's large data were held in temporary files</td></tr>"
					if strings.Contains(a, row) || strings.Count(b, row) != 1 {
						t.Errorf("report.html says out of core %d times in memory and %d times out of core, want 0 and 1", strings.Count(a, row), strings.Count(b, row))
					}
					if strings.ReplaceAll(a, "in-memory", "out-of-core") != strings.Replace(b, row, "", 1) {
						t.Errorf("report.html differs between the routes beyond the --out folder's name and the out-of-core row:\n%s", firstDiff(a, b))
					}
				}
			}
		})
	}
}

// TestRoute: the route follows the estimated need of the inputs against
// the budget (a sparse file stands for a large log: only its size is
// read), standard input goes out of core only under a budget set on
// purpose, the built-in sample stays in memory under the smallest
// budget, and out of core the heap's soft limit is half the budget but
// never under the base need (a lower one keeps the collector running all
// the time), and the run says so, naming the folder as the user did, and
// at its end that nothing went to files when nothing was large enough.
func TestRoute(t *testing.T) {
	three, err := filepath.Abs(threeCases)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir) // --tmp . below
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// 0.6 × 600 MiB + 32 MiB = 392 MiB: above 256 MiB, below 512 MiB.
	if err := os.Truncate(big, 600<<20); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		paths     []string
		b         budget
		tmp       string
		outOfCore bool
		heap      int64
		said      string
	}{
		{name: "large log, small budget", paths: []string{big}, b: budget{limit: 256 << 20, from: "--memory 256 MiB", chosen: true}, outOfCore: true, heap: 128 << 20,
			said: "caseflow: this log needs about 392 MiB in memory, more than --memory 256 MiB allows: running out of core, with its large data in temporary files in the system's temporary folder (the same results, slower)\n"},
		{name: "large log, --tmp", paths: []string{big}, b: budget{limit: 256 << 20, from: "--memory 256 MiB", chosen: true}, tmp: ".", outOfCore: true, heap: 128 << 20,
			said: "in temporary files in . (the same"},
		{name: "large log, larger budget", paths: []string{big}, b: budget{limit: 512 << 20, from: "--memory 512 MiB", chosen: true}},
		{name: "large log, no budget", paths: []string{big}, b: budget{from: "--memory off", chosen: true}},
		{name: "standard input, budget given", paths: []string{"-"}, b: budget{limit: 1 << 30, from: "--memory 1.0 GiB", chosen: true}, outOfCore: true, heap: 512 << 20,
			said: "this log is read from standard input, whose size is not known, under --memory 1.0 GiB: running out of core"},
		{name: "standard input, default budget", paths: []string{"-"}, b: budget{limit: 1 << 30, from: "the default budget"}},
		{name: "the sample, smallest budget", paths: []string{samplePath}, b: budget{limit: 16 << 20, from: "--memory 16 MiB", chosen: true}},
		// 32 MiB + 0.6 × 582 B: out of core, the heap's soft limit at the
		// base need, not 8 MiB.
		{name: "small log, smallest budget", paths: []string{three}, b: budget{limit: 16 << 20, from: "--memory 16 MiB", chosen: true}, outOfCore: true, heap: 32 << 20,
			said: "this log needs about 32 MiB in memory, more than --memory 16 MiB allows: running out of core"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rf readFlags
			fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
			rf.register(fs)
			if tc.tmp != "" {
				if err := fs.Set("tmp", tc.tmp); err != nil {
					t.Fatal(err)
				}
			}
			rf.run = &runState{}
			var stderr bytes.Buffer
			b := tc.b
			var inWork bool
			w, code := rf.route(&b, tc.paths, inputSizes(tc.paths), &stderr, func(io.Reader, io.Writer, io.Writer) int {
				inWork = rf.spill != nil && rf.run.outOfCore.mem() == rf.spill
				return exitOK
			})
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if got := w(nil, io.Discard, &stderr); got != exitOK {
				t.Fatalf("the work: exit %d", got)
			}
			if inWork != tc.outOfCore {
				t.Errorf("out of core: %v, want %v; stderr %q", inWork, tc.outOfCore, stderr.String())
			}
			if b.heap != tc.heap {
				t.Errorf("the heap's soft limit is %d, want %d", b.heap, tc.heap)
			}
			switch {
			case !tc.outOfCore && stderr.Len() > 0:
				t.Errorf("in memory, stderr %q; want nothing", stderr.String())
			case tc.outOfCore && (!strings.Contains(stderr.String(), tc.said) || !strings.HasSuffix(stderr.String(), "\ncaseflow: out of core, but nothing was large enough to go to temporary files (each slice under 1 MiB stayed on the heap)\n")):
				t.Errorf("stderr %q; want %q and the closing figures", stderr.String(), tc.said)
			}
		})
	}
}

// TestNeedEstimate: the format of each kind of name, and the estimate
// from the factors, which standard input does not have.
func TestNeedEstimate(t *testing.T) {
	for name, want := range map[string]string{
		"a.csv": "csv", "A.TXT": "csv", "a.tsv": "csv", "a.csv.gz": "csv.gz", "a.csv.zst": "csv.gz", "a.txt.zstd": "csv.gz",
		"a.xes": "xes", "a.xes.gz": "xes.gz", "a.XES.GZ": "xes.gz", "a.parquet": "parquet", "a.arrow": "arrow",
		"a.feather": "arrow", "a.xlsx": "xlsx", "export": "csv",
	} {
		if got := formatOf(name); got != want {
			t.Errorf("formatOf(%q) = %q, want %q", name, got, want)
		}
	}
	dir := t.TempDir()
	for name, size := range map[string]int64{"a.parquet": 10 << 20, "b.csv": 100 << 20} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filepath.Join(dir, name), size); err != nil { // sparse: only the size is read
			t.Fatal(err)
		}
	}
	// 32 MiB + 8 × 10 MiB + 0.6 × 100 MiB = 172 MiB.
	need, known := estimateNeed([]string{filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.csv"), samplePath}, inputSizes([]string{filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.csv"), samplePath}))
	if want := int64(172 << 20); !known || need != want {
		t.Errorf("need %d (known %v), want %d", need, known, want)
	}
	// The sample alone is analysed within the smallest budget, 16 MiB.
	if need, known := estimateNeed([]string{samplePath}, inputSizes([]string{samplePath})); !known || need != 16<<20 {
		t.Errorf("the sample's need %d (known %v), want 16 MiB", need, known)
	}
	if _, known := estimateNeed([]string{filepath.Join(dir, "b.csv"), "-"}, inputSizes([]string{filepath.Join(dir, "b.csv"), "-"})); known {
		t.Error("a log on standard input has a known need")
	}
}

// TestTmpFlag: --tmp (and [read] tmp, relative to the config file) must
// name a folder that takes files, checked before anything is read and on
// every command that reads, with exit 2 and a message naming the folder
// as it was given; a folder in memory (tmpfs) is warned about.
func TestTmpFlag(t *testing.T) {
	three, err := filepath.Abs(threeCases)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("file", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("sub", "run.toml"), []byte("[read]\ntmp = \"missing\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--tmp", "missing"}, "caseflow analyze: --tmp missing: no such folder; create it or name another\n"},
		{[]string{"inspect", "--tmp", "file", three}, "caseflow inspect: --tmp file: not a folder; name a folder for the temporary files\n"},
		{[]string{"convert", "--tmp", "missing", three, "out.parquet"}, "caseflow convert: --tmp missing: no such folder"},
		{[]string{"analyze", "--config", filepath.Join("sub", "run.toml")}, "caseflow analyze: " + filepath.Join("sub", "run.toml") + ":2:7: read.tmp: " + filepath.Join("sub", "missing") + ": no such folder"},
		{[]string{"inspect", "--config", filepath.Join("sub", "run.toml"), three}, "caseflow inspect: " + filepath.Join("sub", "run.toml") + ":2:7: read.tmp: " + filepath.Join("sub", "missing") + ": no such folder"},
		{[]string{"analyze", "--config", filepath.Join("sub", "run.toml"), "--tmp", "missing"}, "caseflow analyze: --tmp missing: no such folder"},
	} {
		code, out, errs := call(t, "", tc.args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2, nothing, %q", tc.args, code, out, errs, tc.want)
		}
	}
	// A folder whose file system makes no files: said as such, with what
	// to do, never as "no such file or directory" of a folder that exists.
	if st, err := os.Stat("/proc"); err == nil && st.IsDir() {
		code, _, errs := call(t, "", "analyze", "--tmp", "/proc")
		if code != exitUsage || !strings.HasPrefix(errs, "caseflow analyze: --tmp /proc: ") || strings.Contains(errs, "no such file") || !strings.Contains(errs, "another folder") {
			t.Errorf("--tmp /proc: exit %d, stderr %q; want 2, what is wrong with it and to give another folder", code, errs)
		}
	}
	if listDir(t, dir)[0] != "file" || len(listDir(t, dir)) != 2 {
		t.Errorf("the folder holds %q after the refused runs", listDir(t, dir))
	}
	// /dev/shm is tmpfs on Linux.
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() && runtime.GOOS == "linux" {
		forceSpill(t)
		code, _, errs := call(t, "", "analyze", "--tmp", "/dev/shm", three)
		if want := "caseflow: warning: the folder for temporary files /dev/shm is in memory (tmpfs)"; code != exitOK || !strings.Contains(errs, want) {
			t.Errorf("--tmp /dev/shm: exit %d, stderr %q; want 0 and %q", code, errs, want)
		}
	}
}

// TestNothingLeftInTmp: out of core, the --tmp folder holds nothing
// after a run that succeeded and after one that failed on bad input
// (a log without a case column, found once reading has begun).
func TestNothingLeftInTmp(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("when,what\n2024-01-01 10:00,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	forceSpill(t)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"analyze", "--tmp", dir, "--format", "json"}, exitOK},
		{[]string{"analyze", "--tmp", dir, bad}, exitData},
	} {
		code, _, errs := call(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, "running out of core") {
			t.Errorf("%q: exit %d, stderr %q; want %d, out of core", tc.args, code, errs, tc.code)
		}
		if got := listDir(t, dir); len(got) != 0 {
			t.Errorf("%q: --tmp holds %q afterwards", tc.args, got)
		}
	}
}

// TestProgressOutOfCore: out of core, the progress line adds the bytes
// the run holds in temporary files to each phase's line: 3 MiB made from
// the run's Memory show as 3.1 MB, and nothing once they are freed.
func TestProgressOutOfCore(t *testing.T) {
	m, err := spill.New(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	run := &runState{size: 2_000_000, outOfCore: &outOfCore{m: m}}
	run.read.Store(1_000_000)
	p := newProgress(io.Discard, run)
	defer p.stop()
	s := spill.Make[byte](m, 3<<20)
	if line := p.line(); !strings.HasPrefix(line, "caseflow: reading 1.0 MB of 2.0 MB (50 %), ") || !strings.HasSuffix(line, " MB/s, 3.1 MB in temporary files") {
		t.Errorf("progress line while reading %q", line)
	}
	run.read.Store(2_000_000)
	if line := p.line(); line != "caseflow: building the event log from 2.0 MB, 3.1 MB in temporary files …" {
		t.Errorf("progress line once all is read %q", line)
	}
	spill.Free(m, s)
	p.stage("analysing 3 cases")
	if line := p.line(); line != "caseflow: analysing 3 cases, 0.0 MB in temporary files …" {
		t.Errorf("progress line %q", line)
	}
}

// TestSystemFolderNamed: spill's messages name the folder by its path;
// for the system's temporary folder, which the user did not give, only
// spill's phrase for it is replaced, so that a one-letter $TMPDIR does not
// garble the rest of the message (the route's refusal, the tmpfs warning,
// the end-of-run warning).
func TestSystemFolderNamed(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("TMPDIR", "e") // no such folder
	var rf readFlags
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	rf.register(fs)
	rf.run = &runState{}
	var stderr bytes.Buffer
	b := budget{limit: 16 << 20, from: "--memory 16 MiB", chosen: true}
	if _, code := rf.route(&b, []string{"-"}, []int64{-1}, &stderr, nil); code != exitUsage {
		t.Fatalf("exit %d, want 2: %s", code, stderr.String())
	}
	const prefix = "caseflow: this log is read from standard input, whose size is not known, under --memory 16 MiB, but the system's temporary folder "
	if got := stderr.String(); !strings.HasPrefix(got, prefix) || strings.Count(got, "the system's") != 1 || strings.Contains(got, "temporary files e") {
		t.Errorf("stderr %q; want %q… naming the folder once", got, prefix)
	}
	f := folder{dir: "e", where: "the system's temporary folder"}
	for what, want := range map[string]string{
		"is in memory (tmpfs): the pages written there stay in memory or swap, so they do not lower the run's memory; give --tmp a folder on disk": "the system's temporary folder is in memory (tmpfs): the pages written there stay in memory or swap, so they do not lower the run's memory; give --tmp a folder on disk",
		"is full: reserving 4.0 MiB: no space left on device; free space there or give --tmp another folder":                                       "the system's temporary folder is full: reserving 4.0 MiB: no space left on device; free space there or give --tmp another folder",
	} {
		if got := f.shown(&spill.FolderError{Dir: "e", What: what}); got != want {
			t.Errorf("shown %q\nwant  %q", got, want)
		}
	}
	f.given, f.where = true, "e"
	if err := (&spill.FolderError{Dir: "e", What: "is full"}); f.shown(err) != "the folder for temporary files e is full" {
		t.Errorf("a folder given: shown %q, want spill's message as it is", f.shown(err))
	}
}

// TestOutOfCoreTold: what spill knows at once will not work (a kernel
// without MADV_PAGEOUT: its Err is set by New) is said when the run
// starts, as what it is, and not again at its end as data that stayed in
// memory; what fails later (a full folder) is said at the end alone.
func TestOutOfCoreTold(t *testing.T) {
	noPageOut := errors.New("this system cannot page out file-backed memory (madvise MADV_PAGEOUT: invalid argument), so the resident memory may exceed the limit of 14 MiB; run on Linux 5.4 or later to keep it")
	full := &spill.FolderError{Dir: "/x", What: "is full: reserving 4.0 MiB: no space left on device; free space there or give --tmp another folder"}
	var slices error
	o := &outOfCore{folder: folder{dir: "/x", where: "/x", given: true}, errs: func() (error, error) { return slices, noPageOut }}
	var stderr bytes.Buffer
	o.start("(a test)", false, &stderr)
	want := "caseflow: this log (a test): running out of core, with its large data in temporary files in /x (the same results, slower)\n" +
		"caseflow: warning: out of core, its large data go to temporary files, but the run's memory is not held under the budget: " + noPageOut.Error() + "\n"
	if stderr.String() != want {
		t.Errorf("at the start:\n%s\nwant\n%s", stderr.String(), want)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{full, "caseflow: warning: out of core, some data stayed in memory: " + full.Error() + "\n"},
	} {
		slices = tc.err
		stderr.Reset()
		o.end(spill.Stats{Peak: 3 << 20}, o.trouble(), &stderr)
		if want := "caseflow: out of core: at most 3.1 MB held in temporary files at once; 0.0 MB paged out to them\n" + tc.want; stderr.String() != want {
			t.Errorf("Err %q: at the end %q, want %q", tc.err, stderr.String(), want)
		}
	}
}

// TestPageOutOfCoreRow: the page says the run went out of core only when
// temporary files held some of its data; a run out of core whose slices
// all stayed under spill's threshold, on the heap, says on stderr that
// nothing went to files, and its page has no such row.
func TestPageOutOfCoreRow(t *testing.T) {
	spillAll = &struct {
		threshold int
		resident  int64
	}{threshold: 1 << 30, resident: 1 << 40}
	t.Cleanup(func() { spillAll = nil })
	page := filepath.Join(t.TempDir(), "page.html")
	code, _, errs := call(t, "", "analyze", "--html", page, threeCases)
	if code != exitOK || !strings.Contains(errs, "running out of core") || !strings.Contains(errs, "caseflow: out of core, but nothing was large enough to go to temporary files") {
		t.Fatalf("exit %d, stderr %q; want 0, out of core with nothing in files", code, errs)
	}
	if html := readFile(t, page); strings.Contains(html, ">Memory</th>") || !strings.Contains(html, "three-cases.csv") {
		t.Errorf("the page of a run with nothing in files has a Memory row, or is not the run's page")
	}
}
