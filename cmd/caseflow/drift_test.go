package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	stdhtml "html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/history"
	"github.com/caseflow/caseflow/report"
)

// plantedPair is the metric the nights' change plants: the test plants a
// pair of back offices, Permits and Public Space. (A pair with the KCC
// would move the closing returns too: a planted KCC Taxes KCC closed at
// the KCC is one, see package generate.)
var plantedPair = "pingpong.pair[Permits ↔ Public Space].case_rate"

// planted reports whether a metric is moved by the planted change: the
// pair's rate, and the share of cases with any ping-pong, which counts
// the same extra cases.
func planted(metric string) bool {
	return metric == plantedPair || metric == report.MetricPingPong
}

// TestDriftNights is the acceptance test of the drift alerts: ten nights
// generated with the Permits–Public Space ping-pong rate doubled from
// night 6 (20 % to 40 % of the cases visiting Permits), each
// analysed with --history and --fail-on-drift all, for five seeds. Nights
// 1–5 must raise no drift; night 6 or 7 must raise it (exit 4) on the
// planted pair; and metrics the change does not move may be raised, on
// any night, in at most one seed.
func TestDriftNights(t *testing.T) {
	if testing.Short() {
		t.Skip("50 runs of analyze; skipped with -short")
	}
	var others []uint64 // seeds raising drift on a metric the change does not move
	for seed := uint64(1); seed <= 5; seed++ {
		base := generate.Default()
		base.Seed, base.Cases = seed, 4000
		base.PingPongPairs, base.PingPongRate = []generate.Pair{{From: "Permits", To: "Public Space"}}, 0.2
		cfgs, err := generate.Nights(base, 10, 6, 2)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		paths, err := generate.WriteNights(cfgs, filepath.Join(dir, "nights"))
		if err != nil {
			t.Fatal(err)
		}
		hist := filepath.Join(dir, "history")
		caught := false
		var line []string
		for i, p := range paths {
			night := i + 1
			var stdout, stderr bytes.Buffer
			code := run([]string{"analyze", p, "--history", hist, "--fail-on-drift", "all", "--format", "json", "-q"}, nil, &stdout, &stderr)
			var doc struct {
				Since struct{ Worse []string }
			}
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
				t.Fatalf("seed %d night %d: exit %d, %v; stderr %s", seed, night, code, err, stderr.String())
			}
			worse := doc.Since.Worse
			if want := map[bool]int{true: exitDrift, false: exitOK}[len(worse) > 0]; code != want {
				t.Errorf("seed %d night %d: exit %d with worse %v, want %d", seed, night, code, worse, want)
			}
			switch {
			case night <= 5 && len(worse) > 0:
				t.Errorf("seed %d night %d, before the change: drift on %v", seed, night, worse)
			case (night == 6 || night == 7) && slices.Contains(worse, plantedPair):
				caught = true
			}
			for _, m := range worse {
				if !planted(m) && !slices.Contains(others, seed) {
					others = append(others, seed)
				}
			}
			line = append(line, fmt.Sprintf("%d:%s", night, strings.Join(shortNames(worse), "+")))
		}
		t.Logf("seed %d: %s", seed, strings.Join(line, " "))
		if !caught {
			t.Errorf("seed %d: nights 6 and 7 raised no drift on %s", seed, plantedPair)
		}
		s, err := history.Open(hist, nil)
		if err != nil || len(s.Runs()) != 10 {
			t.Errorf("seed %d: the history holds %d runs (%v), want 10", seed, len(s.Runs()), err)
		}
	}
	if len(others) > 1 {
		t.Errorf("metrics the change does not move raised drift in seeds %v: more than one of 5", others)
	}
}

// shortNames makes the log line of TestDriftNights readable.
func shortNames(ms []string) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = strings.NewReplacer("pingpong.pair[", "pair[", ".case_rate", "", "lead_time.", "").Replace(m)
	}
	return out
}

// TestDriftFlags checks the flags' errors and that a named metric limits
// the alert: a store whose last run had twice the ping-pong alerts on
// pingpong but not on lead_time.
func TestDriftFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--fail-on-drift", "all"}, "needs --history"},
		{[]string{"--history", "h", "--fail-on-drift", "pingpong.rate"}, `no metric "pingpong.rate"`},
		{[]string{"--history", "h", "--compare-last", "0"}, "--compare-last 0"},
		{[]string{"--history", "h", "--drift-fdr", "1"}, "--drift-fdr 1"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"analyze"}, tc.args...), nil, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr.String(), exitUsage, tc.want)
		}
	}
	dir := t.TempDir()
	paths := threeNights(t, dir)
	hist := filepath.Join(dir, "h")
	for _, p := range paths[:2] {
		if code := run([]string{"analyze", p, "--history", hist, "-q"}, nil, &bytes.Buffer{}, os.Stderr); code != exitOK {
			t.Fatalf("%s: exit %d", p, code)
		}
	}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--fail-on-drift", "lead_time"}, exitOK},
		{[]string{"--fail-on-drift", "pingpong.pair"}, exitDrift},
		{[]string{"--fail-on-drift", "lead_time.p90_s,pingpong"}, exitDrift},
		// A breached threshold wins, and the drift is still said.
		{[]string{"--fail-on-drift", "all", "--fail-on", "pingpong.case_rate>0"}, exitBreach},
	} {
		var stderr bytes.Buffer
		// A copy of the store for each, so that each run compares with the same two.
		h := filepath.Join(t.TempDir(), "h")
		copyDir(t, hist, h)
		code := run(append([]string{"analyze", paths[2], "--history", h, "-q"}, tc.args...), nil, &bytes.Buffer{}, &stderr)
		if code != tc.want || (tc.want != exitOK) != strings.Contains(stderr.String(), "--fail-on-drift: pingpong.pair[KCC ↔ Taxes].case_rate got worse") {
			t.Errorf("%v: exit %d, want %d; %s", tc.args, code, tc.want, stderr.String())
		}
	}
}

// TestDriftPage: the page says the significant changes in words, as the
// text report does, above the trend charts.
func TestDriftPage(t *testing.T) {
	dir := t.TempDir()
	paths := threeNights(t, dir)
	hist, page := filepath.Join(dir, "h"), filepath.Join(dir, "report.html")
	var text bytes.Buffer
	for i, p := range paths {
		text.Reset()
		args := []string{"analyze", p, "--history", hist, "-q"}
		if i == 2 {
			args = append(args, "--html", page)
		}
		if code := run(args, nil, &text, os.Stderr); code != exitOK {
			t.Fatalf("%s: exit %d", p, code)
		}
	}
	line := regexp.MustCompile(`WORSE (since the previous run: ping-pong between KCC and Taxes rose from [^\n]*)`).FindStringSubmatch(text.String())
	if line == nil {
		t.Fatalf("the text report says no worse KCC–Taxes ping-pong:\n%s", text.String())
	}
	if page := stdhtml.UnescapeString(readFile(t, page)); !strings.Contains(page, `<li><b class="silo">worse</b> `+line[1]+"</li>") {
		t.Errorf("the page lacks the line %q", line[1])
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	os.MkdirAll(to, 0o755)
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		os.WriteFile(filepath.Join(to, e.Name()), []byte(readFile(t, filepath.Join(from, e.Name()))), 0o644)
	}
}

// threeNights writes three generated nights of 1,500 cases into dir, the
// ping-pong rate tripled on the third.
func threeNights(t *testing.T, dir string) []string {
	t.Helper()
	base := generate.Default()
	base.Cases = 1500
	cfgs, err := generate.Nights(base, 3, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := generate.WriteNights(cfgs, dir)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}
