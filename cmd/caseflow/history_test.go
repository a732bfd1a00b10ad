package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/history"
)

var threeCasesCSV = filepath.Join("..", "..", "testdata", "golden", "three-cases.csv")

// TestHistoryCommand runs analyze three times into a history, the third
// with other options, then lists the runs and a metric's series. The
// worked example has ping-pong in 1 of its 3 cases (docs/definitions.md).
func TestHistoryCommand(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "h")
	cfg := filepath.Join(dir, "nightly.toml")
	// The config's history is relative to the config's folder.
	if err := os.WriteFile(cfg, []byte("[output]\nhistory = \"h\"\ncompare-last = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	for i, extra := range [][]string{{"--config", cfg}, {"--config", cfg, "--html", page}, {"--history", hist, "--min-support", "2"}} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"analyze", threeCasesCSV, "-q"}, extra...), nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr.String())
		}
		out := stdout.String()
		switch i {
		case 0:
			if !strings.Contains(out, "SINCE LAST TIME  the first run in this history") {
				t.Errorf("first run:\n%s", out)
			}
		case 1:
			// Three cases are too few for the rates and the P90 (ping-pong,
			// closing returns, the one pair); Mann–Whitney takes them.
			if !strings.Contains(out, "no significant change: the median lead time\n  too few cases to test: 4 figures") {
				t.Errorf("second run:\n%s", out)
			}
		case 2:
			if !strings.Contains(out, "not compared: the 2 runs in this history used other options") {
				t.Errorf("run with other options:\n%s", out)
			}
		}
	}
	// The page of the second run draws each headline metric over both runs.
	html := readFile(t, page)
	fig := regexp.MustCompile(`(?s)<figure class="trend" data-metric="pingpong.case_rate">(.*?)</figure>`).FindStringSubmatch(html)
	if fig == nil || strings.Count(fig[1], "<circle") != 2 {
		t.Errorf("the ping-pong trend of the second run's page: %q; want 2 dots", fig)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"history", hist}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("history: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "three-cases.csv (") || !strings.Contains(lines[0], "14 rows") {
		t.Errorf("history lists:\n%s", stdout.String())
	}
	if opts := regexp.MustCompile(`options (\w+)`); opts.FindStringSubmatch(lines[0])[1] != opts.FindStringSubmatch(lines[1])[1] ||
		opts.FindStringSubmatch(lines[1])[1] == opts.FindStringSubmatch(lines[2])[1] {
		t.Errorf("options hashes: want the first two equal and the third different:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"history", hist, "--metric", "pingpong.case_rate"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("history --metric: exit %d: %s", code, stderr.String())
	}
	series := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(series) != 3 || !strings.Contains(series[0], "33.3 %  n=3") || !strings.Contains(series[2], "other options") {
		t.Errorf("series:\n%s", stdout.String())
	}
	stderr.Reset()
	if code := run([]string{"history", hist, "--metric", "pingpong.rate"}, nil, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "pingpong.case_rate") {
		t.Errorf("an unknown metric: exit %d, %q", code, stderr.String())
	}
}

// TestHistoryRefused: a store from a future caseflow stops analyze before
// the work, with the file and what to do, and is left as it was.
func TestHistoryRefused(t *testing.T) {
	hist := t.TempDir()
	manifest := filepath.Join(hist, history.Manifest)
	future := `{"format": "caseflow.history/v2"}`
	if err := os.WriteFile(manifest, []byte(future), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"analyze", threeCasesCSV, "--history", hist}, {"history", hist}} {
		var stdout, stderr bytes.Buffer
		code := run(args, nil, &stdout, &stderr)
		if code != exitData || !strings.Contains(stderr.String(), manifest) || !strings.Contains(stderr.String(), "newer caseflow") {
			t.Errorf("%v: exit %d, %q", args[0], code, stderr.String())
		}
		if stdout.Len() > 0 {
			t.Errorf("%v wrote a report from a refused history", args[0])
		}
	}
	if readFile(t, manifest) != future {
		t.Error("the refused manifest was changed")
	}
	if ents, _ := os.ReadDir(hist); len(ents) != 1 {
		t.Errorf("the refused store has %d files, want its manifest alone", len(ents))
	}
}

// TestGenerateNights: generate --nights writes one log per night into the
// folder, and refuses what the nights do not write.
func TestGenerateNights(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nights")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"generate", "--nights", "3", "--change-day", "2", "--cases", "40", "--out", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	names, _ := filepath.Glob(filepath.Join(dir, "night-*.csv"))
	if len(names) != 3 || filepath.Base(names[2]) != "night-03.csv" {
		t.Errorf("wrote %v, want night-01.csv to night-03.csv", names)
	}
	for _, args := range [][]string{{"--nights", "2", "--truth", "t.jsonl", "--out", dir}, {"--nights", "2", "--change-day", "5", "--out", dir}, {"--nights", "2"}} {
		stderr.Reset()
		if code := run(append([]string{"generate"}, args...), nil, &stdout, &stderr); code != exitUsage {
			t.Errorf("generate %v: exit %d, %s; want %d", args, code, stderr.String(), exitUsage)
		}
	}
}

// TestHistoryDeterministic: two runs against the same history give the
// same JSON and the same page, whatever the clock says.
func TestHistoryDeterministic(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "h")
	if code := run([]string{"analyze", threeCasesCSV, "-q", "--history", hist}, nil, &bytes.Buffer{}, os.Stderr); code != exitOK {
		t.Fatal(code)
	}
	var outs, pages []string
	for i := range 2 {
		// Folders differ, names do not: the page shows names without folders.
		h := filepath.Join(dir, fmt.Sprint(i), "h")
		copyDir(t, hist, h)
		page := filepath.Join(dir, fmt.Sprint(i), "report.html")
		var stdout bytes.Buffer
		if code := run([]string{"analyze", threeCasesCSV, "-q", "--format", "json", "--history", h, "--html", page}, nil, &stdout, os.Stderr); code != exitOK {
			t.Fatal(code)
		}
		outs, pages = append(outs, stdout.String()), append(pages, readFile(t, page))
		time.Sleep(10 * time.Millisecond)
	}
	if outs[0] != outs[1] || pages[0] != pages[1] {
		t.Error("two runs against the same history differ")
	}
	if !strings.Contains(pages[0], `id="trends"`) || !strings.Contains(outs[0], `"previous_run": "run-`) {
		t.Error("the runs were not compared with the history")
	}
}
