package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// config holds the flags of a benchmark run.
type config struct {
	cases, runs           int
	keep, scale10, strict bool
	stdout, stderr        io.Writer
}

// Targets of issue 8 for `caseflow analyze`, CSV in, full report out.
const (
	targetRatio    = 0.2       // of DuckDB's W1–W6 time
	targetRSS      = 400 << 20 // bytes
	targetScale    = 11.0      // time at 10× the size over time at 1×
	targetScaleRSS = 4 << 30   // bytes at 10× the size
)

// budgetRow is the --memory of the third caseflow row, as issue 19 asks.
const budgetRow = "256MiB"

// tool is one measured command and what its runs gave.
type tool struct {
	name   string
	args   []string // program and arguments
	out    string   // its standard output goes here
	answer string   // the harness child's answer file, or ""
	runs   []Run
	steps  [][]Timing // per run, from answer
	hashes []string   // per run, of out
}

func (t *tool) measure(ctx context.Context, c *config, i int) error {
	r, err := measure(ctx, t.out, t.args[0], t.args[1:]...)
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	t.runs = append(t.runs, r)
	b, err := os.ReadFile(t.out)
	if err != nil {
		return err
	}
	t.hashes = append(t.hashes, fmt.Sprintf("%x", sha256.Sum256(b)))
	if t.answer != "" {
		a, err := readAnswer(t.answer)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		t.steps = append(t.steps, a.Steps)
	}
	fmt.Fprintf(c.stderr, "run %d/%d  %-46s %7.2f s wall %7.2f s cpu %7s MiB  load %.2f  exit %d\n",
		i+1, c.runs, t.name, r.Wall, r.CPU, mib(r.PeakRSS), r.Load, r.Exit)
	return nil
}

// identical reports whether every run wrote the same standard output.
func (t *tool) identical() bool {
	for _, h := range t.hashes {
		if h != t.hashes[0] {
			return false
		}
	}
	return true
}

func (c *config) logf(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }

// bench runs the whole benchmark and prints the table.
func (c *config) bench(ctx context.Context) (int, error) {
	root, err := findRoot()
	if err != nil {
		return 0, err
	}
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	work, err := os.MkdirTemp("", "caseflow-peer-")
	if err != nil {
		return 0, err
	}
	if c.keep {
		defer c.logf("kept the work folder %s", work)
	} else {
		defer os.RemoveAll(work)
	}

	c.logf("building caseflow from %s …", root)
	cf := filepath.Join(work, "caseflow")
	if out, err := cmdOutput(ctx, root, "go", "build", "-o", cf, "./cmd/caseflow"); err != nil {
		return 0, fmt.Errorf("building caseflow: %w\n%s", err, out)
	}
	logPath, size, err := c.generate(ctx, cf, filepath.Join(root, "benchmarks", "out"), c.cases)
	if err != nil {
		return 0, err
	}
	help, _ := cmdOutput(ctx, root, cf, "analyze", "--help")
	hasOut := strings.Contains(help, "--out")
	hasMemory := strings.Contains(help, "--memory")
	c.logf("reading %s once so that every run finds it in the page cache …", logPath)
	if err := warm(logPath); err != nil {
		return 0, err
	}
	floorRSS := floor(ctx, work)

	cfJSON := &tool{name: "caseflow analyze --format json", args: []string{cf, "analyze", logPath, "--format", "json"},
		out: filepath.Join(work, "caseflow.json")}
	reportDir := filepath.Join(work, "report")
	cfFull := &tool{name: "caseflow analyze --format json --out DIR",
		args: []string{cf, "analyze", logPath, "--format", "json", "--out", reportDir},
		out:  filepath.Join(work, "caseflow-full.json")}
	duck := &tool{name: "DuckDB W1–W6 (process)", args: []string{self, "duckdb", logPath, filepath.Join(work, "duckdb.json"), filepath.Join(work, "duckdb-tmp")},
		out: filepath.Join(work, "duckdb.out"), answer: filepath.Join(work, "duckdb.json")}
	standin := &tool{name: "caseflow ingest+mining in-process (stand-in)", args: []string{self, "mining", logPath, filepath.Join(work, "mining.json")},
		out: filepath.Join(work, "mining.out"), answer: filepath.Join(work, "mining.json")}
	// The 1M-case log needs more than the budget: the run goes out of
	// core, and its report must be the in-memory run's, byte for byte.
	cfBudget := &tool{name: "caseflow analyze --format json --memory " + budgetRow,
		args: []string{cf, "analyze", logPath, "--format", "json", "--memory", budgetRow},
		out:  filepath.Join(work, "caseflow-budget.json")}
	tools := []*tool{cfJSON}
	if hasOut {
		tools = append(tools, cfFull)
	}
	if !hasMemory {
		cfBudget = nil
	} else {
		tools = append(tools, cfBudget)
	}
	tools = append(tools, duck, standin)
	// Interleaved, so that a change of load hits every tool alike.
	for i := range c.runs {
		for _, t := range tools {
			if err := t.measure(ctx, c, i); err != nil {
				return 0, err
			}
			// A report the harness cannot read stops it at once, not
			// after every run.
			if i == 0 && t == cfJSON {
				if _, err := readReport(cfJSON.out, ""); err != nil {
					return 0, err
				}
			}
		}
	}

	peer, err := readAnswer(duck.answer)
	if err != nil {
		return 0, err
	}
	stand, err := readAnswer(standin.answer)
	if err != nil {
		return 0, err
	}
	// caseflow's own report: the full one when analyze writes it.
	target := cfJSON
	got, err := readReport(cfJSON.out, "")
	if err == nil && hasOut {
		target = cfFull
		got, err = readReport(cfFull.out, reportDir)
	}
	if err != nil {
		return 0, err
	}

	t := &table{c: c, log: logPath, size: size, commit: commit(ctx, root), floor: floorRSS, peer: peer.Results, tools: tools, duck: duck, standin: standin, target: target,
		inMemory: cfJSON, budget: cfBudget}
	failedEq := t.print(c.stdout, got, stand.Results)
	missed := t.targets(c.stdout)
	if c.scale10 {
		m, err := c.scale(ctx, cf, root, target)
		if err != nil {
			return 0, err
		}
		missed = missed || m
	}
	switch {
	case failedEq:
		return exitFailed, nil
	case missed && c.strict:
		return exitMissing, nil
	}
	return exitOK, nil
}

// generate returns the cached log of n cases (seed 1) in cache, generating
// it first if needed, and its size.
func (c *config) generate(ctx context.Context, cf, cache string, n int) (string, int64, error) {
	path := filepath.Join(cache, fmt.Sprintf("generated-%d-seed1.csv", n))
	if st, err := os.Stat(path); err == nil {
		c.logf("using the cached log %s", path)
		return path, st.Size(), nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", 0, err
	}
	c.logf("generating %d cases into %s …", n, path)
	tmp := path + ".tmp"
	if out, err := cmdOutput(ctx, cache, cf, "generate", "--cases", strconv.Itoa(n), "--seed", "1", "--out", tmp); err != nil {
		os.Remove(tmp)
		return "", 0, fmt.Errorf("caseflow generate: %w\n%s", err, out)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", 0, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	return path, st.Size(), nil
}

// scale times the target tool on a log ten times the size and prints how
// its time and memory grow. It reports whether a target was missed.
func (c *config) scale(ctx context.Context, cf, root string, base *tool) (bool, error) {
	logPath, size, err := c.generate(ctx, cf, filepath.Join(root, "benchmarks", "out"), 10*c.cases)
	if err != nil {
		return false, err
	}
	if err := warm(logPath); err != nil {
		return false, err
	}
	big := &tool{name: base.name + " ×10", out: base.out + ".x10", args: slices.Clone(base.args)}
	big.args[2] = logPath // caseflow analyze LOG …
	for i := range c.runs {
		if err := big.measure(ctx, c, i); err != nil {
			return false, err
		}
	}
	w0, w1 := median(field(base.runs, wall)), median(field(big.runs, wall))
	rss := median(field(big.runs, rssOf))
	load := field(big.runs, func(r Run) float64 { return r.Load })
	fmt.Fprintf(c.stdout, "\n10× the size: %s (%s MB), load average %s\n", filepath.Base(logPath), thousands(size/1e6), loadRange(load))
	fmt.Fprintf(c.stdout, "  %-44s %8.2f s wall %8.2f s cpu %8s MiB\n", big.name, w1, median(field(big.runs, cpu)), mib(int64(rss)))
	okT, okM := w1 <= targetScale*w0, rss <= targetScaleRSS
	fmt.Fprintf(c.stdout, "  time ×10 / time ×1        %6.2f   target ≤ %.0f        %s\n", w1/w0, targetScale, verdict(okT))
	fmt.Fprintf(c.stdout, "  peak RSS                %8s MiB  target ≤ 4,096 MiB  %s\n", mib(int64(rss)), verdict(okM))
	return !okT || !okM, nil
}

// cmdOutput runs a command in dir and returns its combined output.
func cmdOutput(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// warm reads the file once, so that no tool pays for the first read from
// disk.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(io.Discard, f, make([]byte, 1<<20))
	return err
}

// commit names the working tree's commit, and whether it has changes,
// without touching git's index (GIT_OPTIONAL_LOCKS=0).
func commit(ctx context.Context, root string) string {
	run := func(args ...string) string {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	id := run("rev-parse", "--short", "HEAD")
	if id == "" {
		return "unknown"
	}
	if run("status", "--porcelain", "--untracked-files=no") != "" {
		id += " + uncommitted changes"
	}
	return id
}
