package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"

	"github.com/spf13/pflag"
	"golang.org/x/mod/modfile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // a tool failed or the answers differ
	exitUsage   = 2
	exitMissing = 3 // a target was missed (only with --strict)
)

// answer is what a child writes: its results and the time of its steps.
type answer struct {
	Results *Results `json:"results"`
	Steps   []Timing `json:"steps"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "duckdb", "mining":
			return child(ctx, args, stderr)
		}
	}
	fs := pflag.NewFlagSet("peer", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c config
	fs.IntVar(&c.cases, "cases", 1_000_000, "cases in the generated log (about 6.8 events each)")
	fs.IntVar(&c.runs, "runs", 5, "runs of every tool; the table shows medians")
	fs.BoolVar(&c.keep, "keep", false, "keep the work folder (caseflow binary, reports, DuckDB answers) and print its name")
	fs.BoolVar(&c.scale10, "scale10", false, "also time caseflow on a log of 10× --cases (68M events at the default; generates ~7 GB once)")
	fs.BoolVar(&c.strict, "strict", false, "exit 3 when a target is missed")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
		fmt.Fprintf(stderr, "peer: %v\n%s", err, fs.FlagUsages())
		return exitUsage
	}
	if *help {
		fmt.Fprintf(stdout, "usage: go run . [flags]   (in benchmarks/peer)\n\n%s", fs.FlagUsages())
		return exitOK
	}
	if c.cases < 1 || c.runs < 1 {
		fmt.Fprintf(stderr, "peer: --cases and --runs must be at least 1\n")
		return exitUsage
	}
	c.stdout, c.stderr = stdout, stderr
	code, err := c.bench(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "peer: %v\n", err)
		return exitFailed
	}
	return code
}

// child runs one tool as a child of the harness: `duckdb CSV RESULT TMP`
// or `mining CSV RESULT`, and writes its answer as JSON to RESULT.
func child(ctx context.Context, args []string, stderr io.Writer) int {
	if len(args) < 3 {
		fmt.Fprintf(stderr, "peer %s: want CSV and RESULT paths\n", args[0])
		return exitUsage
	}
	var a answer
	var err error
	switch args[0] {
	case "duckdb":
		tmp := ""
		if len(args) > 3 {
			tmp = args[3]
		}
		a.Results, a.Steps, err = runDuck(ctx, args[1], tmp)
	case "mining":
		a.Results, a.Steps, err = runMining(args[1])
	}
	if err == nil {
		err = writeJSON(args[2], a)
	}
	if err != nil {
		fmt.Fprintf(stderr, "peer %s: %v\n", args[0], err)
		return exitFailed
	}
	return exitOK
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readAnswer(path string) (*answer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var a answer
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if a.Results == nil {
		return nil, fmt.Errorf("%s: no results", path)
	}
	return &a, nil
}

// findRoot returns the caseflow repository: the nearest folder at or
// above the working directory whose go.mod declares caseflow's module.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modfile.ModulePath(b) == "github.com/caseflow/caseflow" {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no caseflow repository at or above the working directory: run in benchmarks/peer")
		}
		dir = up
	}
}

// machine describes the machine in one line.
func machine() string {
	return fmt.Sprintf("%d CPUs, %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
