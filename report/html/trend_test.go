package html

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/mining"
)

// fiveRuns is a trend of a rate over five runs: the fourth changed for
// the worse, the fifth (this run) for the better.
var fiveRuns = Trend{Name: "pingpong.pair[A ↔ <B>].case_rate", Label: "ping-pong between A and <B>", Share: true,
	Points: []TrendPoint{
		{Run: "run-1", Time: day, Value: 0.05}, {Run: "run-2", Time: day.Add(24 * time.Hour), Value: 0.06},
		{Run: "run-3", Time: day.Add(48 * time.Hour), Value: 0.05},
		{Run: "run-4", Time: day.Add(72 * time.Hour), Value: 0.10, Changed: true, Worse: true},
		{Run: "this run", Value: 0.04, Changed: true},
	}}

func TestTrendChart(t *testing.T) {
	v := english.trends([]Trend{fiveRuns, {Name: "lead_time.median_s", Label: "median", Points: []TrendPoint{{Run: "this run", Value: 3600}}}, {Name: "none"}})
	if len(v) != 2 {
		t.Fatalf("%d charts, want 2: a trend without points draws none", len(v))
	}
	svg := string(v[0].Chart)
	if n := strings.Count(svg, "<circle"); n != 5 {
		t.Errorf("%d dots, want one per run, 5", n)
	}
	if n := strings.Count(svg, `class="pt changed worse"`); n != 1 {
		t.Errorf("%d dots marked worse, want 1", n)
	}
	if n := strings.Count(svg, `class="pt changed"`); n != 1 {
		t.Errorf("%d dots marked changed (better), want 1", n)
	}
	// The y axis runs from the lowest value (4 %, at the bottom margin) to
	// the highest (10 %, at the top); x from the left margin to the right.
	// The first run's 5 % is a sixth of the way up: 58 − 52/6 = 49.3.
	for _, want := range []string{`cx="6.0" cy="49.3"`,
		fmt.Sprintf(`cy="%d.0" r="4.5"`, trendPad), fmt.Sprintf(`cx="%d.0" cy="%d.0" r="4.5"`, trendW-trendPad, trendH-trendPad)} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s:\n%s", want, svg)
		}
	}
	if !strings.Contains(svg, "<title>run-1 · 2024-03-04 00:00 UTC · 5.0 %</title>") || !strings.Contains(svg, "<title>this run · 4.0 % · significant change</title>") {
		t.Errorf("dot titles: want run, time (none for this run), value:\n%s", svg)
	}
	if strings.Contains(svg, "<B>") || !strings.Contains(svg, "&lt;B&gt;") {
		t.Error("a name from the log must be escaped in the chart")
	}
	if v[0].Last != "4.0 %" || v[1].Last != "1.0 h" {
		t.Errorf("last values %q and %q, want 4.0 %% and 1.0 h", v[0].Last, v[1].Last)
	}
	// A single run draws its dot in the middle, a flat line at mid-height.
	if !strings.Contains(string(v[1].Chart), fmt.Sprintf(`cx="%d.0" cy="%d.0"`, trendW/2, trendH/2)) {
		t.Errorf("one run: %s", v[1].Chart)
	}
}

// TestBrowserTrends opens a page with trend charts in headless Chromium:
// the section is there, each chart has one dot per run, and the page
// writes no console error under its Content Security Policy.
func TestBrowserTrends(t *testing.T) {
	browser := startBrowser(t)
	in := threeInput
	in.Trends = []Trend{fiveRuns, {Name: "lead_time.median_s", Label: "the median lead time",
		Points: []TrendPoint{{Run: "run-1", Time: day, Value: 3600}, {Run: "this run", Time: day.Add(24 * time.Hour), Value: 7200}}}}
	tab := open(t, browser, t.TempDir(), write(t, analyze(t, threeCases, mining.Options{}), in))
	got := eval[[]int](t, tab, `Array.from(document.querySelectorAll("#trends figure.trend")).map(f => f.querySelectorAll("svg circle").length)`)
	if len(got) != 2 || got[0] != 5 || got[1] != 2 {
		t.Errorf("dots per chart %v, want [5 2]: one per run", got)
	}
	if w := eval[float64](t, tab, `document.querySelector("#trends svg").getBoundingClientRect().width`); w < trendW/2 {
		t.Errorf("the chart is drawn %v px wide", w)
	}
}
