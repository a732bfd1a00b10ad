package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/history"
	"github.com/caseflow/caseflow/mining"
)

// TestMetrics checks the history's metrics of the worked example, counted
// by hand: c1 goes Front Back Front Back Front (ping-pong, and a closing
// return at its end), c2 Front Back Legal Front, c3 stays in Front; lead
// times 2 h, 2.5 h and 30 min, so the median is 2 h and the P90 (definition
// 7) 2 h + 0.8 × 30 min = 8640 s; with a 90 min SLA, c1 and c2 are long.
func TestMetrics(t *testing.T) {
	r := newReport(t, threeCases, mining.Options{MinSupport: 2, SLA: 90 * time.Minute}, Options{})
	ms := r.Metrics()
	byName := map[string]history.Metric{}
	var names []string
	for _, m := range ms {
		byName[m.Name] = m
		names = append(names, m.Name)
	}
	want := []string{MetricPingPong, MetricClosing, "pingpong.pair[Back ↔ Front].case_rate", MetricMedian, MetricP90, MetricLong}
	for _, n := range want {
		if !slices.Contains(names, n) {
			t.Errorf("no metric %s among %v", n, names)
		}
	}
	for _, tc := range []struct {
		name     string
		num, den int64
	}{{MetricPingPong, 1, 3}, {MetricClosing, 1, 3}, {"pingpong.pair[Back ↔ Front].case_rate", 1, 3}, {MetricLong, 2, 3}} {
		m := byName[tc.name]
		if m.Kind != history.Rate || m.Num != tc.num || m.Den != tc.den || m.N != tc.den {
			t.Errorf("%s: %d of %d (%s, n %d), want %d of %d", tc.name, m.Num, m.Den, m.Kind, m.N, tc.num, tc.den)
		}
	}
	med := byName[MetricMedian]
	if med.Kind != history.Durations || med.Value != 7200 || med.N != 3 || !slices.Equal(med.Samples, []int64{1_800_000, 7_200_000, 9_000_000}) {
		t.Errorf("median: %+v", med)
	}
	if p := byName[MetricP90]; p.Kind != history.Quantile || p.Value != 8640 || p.Q != 0.9 || p.Of != MetricMedian || p.Samples != nil {
		t.Errorf("P90: %+v", p)
	}
	// Under the quantile rule the long-case rate is the quantile itself: not kept.
	q := newReport(t, threeCases, mining.Options{MinSupport: 2}, Options{})
	if slices.ContainsFunc(q.Metrics(), func(m history.Metric) bool { return m.Name == MetricLong }) {
		t.Error("long_rate kept under the quantile rule")
	}
	if k1, k2 := string(r.OptionsKey()), string(newReport(t, threeCases, mining.Options{MinSupport: 2, SLA: 90 * time.Minute}, Options{Top: 3}).OptionsKey()); k1 != k2 {
		t.Errorf("--top changed the options key:\n%s\n%s", k1, k2)
	}
	if string(r.OptionsKey()) == string(q.OptionsKey()) {
		t.Error("--sla did not change the options key")
	}
}

// TestSince checks the words of a change against the issue's own example,
// and that the section is in the JSON and the text.
func TestSince(t *testing.T) {
	r := newReport(t, threeCases, mining.Options{MinSupport: 2}, Options{})
	if d := decode(t, r); d["since"] != nil {
		t.Fatalf("since without a history: %v, want null", d["since"])
	}
	var plain bytes.Buffer
	if err := r.WriteText(&plain, Style{}); err != nil {
		t.Fatal(err)
	}
	c := history.Comparison{Previous: "run-1", PreviousTime: time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC), Comparable: 3, OtherOptions: 1, K: 7, FDR: 0.01,
		Changes: []history.Change{
			{Metric: "pingpong.pair[KCC ↔ Taxes].case_rate", Kind: history.Rate, Runs: 1, Before: 0.095, After: 0.061, NBefore: 2000, NAfter: 2000,
				Diff: -0.034, Low: -0.049, High: -0.019, Method: history.ZTest, P: 1e-5, PAdjusted: 2e-5, Significant: true},
			{Metric: MetricMedian, Kind: history.Durations, Runs: 3, Pooled: true, Before: 86400, After: 108000, NBefore: 6000, NAfter: 2000,
				Diff: 18000, Low: 7200, High: 25200, Method: history.MannWhitney, P: 0.001, PAdjusted: 0.004, Significant: true, Worse: true},
			{Metric: MetricPingPong, Kind: history.Rate, Runs: 1, Before: 0.1, After: 0.1, Method: history.ZTest, P: 1, PAdjusted: 1},
		},
		Untested: []string{"silos.boundary[A → B].median_wait_s"}}
	r.SetSince(&c, 4)
	d := decode(t, r)
	for path, want := range map[string]string{"since.runs": "4", "since.comparable": "3", "since.other_options": "1", "since.previous_run": "run-1",
		"since.changes.0.against": "previous", "since.changes.1.against": "last_k", "since.changes.0.diff_low": "-0.049",
		"since.changes.1.diff": "18000", "since.changes.0.threshold_s": "<nil>", "since.worse.0": MetricMedian,
		"since.untested.0": "silos.boundary[A → B].median_wait_s"} {
		if got := fmt.Sprint(get(t, d, path)); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	want := "ping-pong between KCC and Taxes fell from 9.5 % to 6.1 % of cases (−3.4 points, 95 % CI −4.9 to −1.9)"
	if got := get(t, d, "since.changes.0.text").(string); !strings.HasPrefix(got, want) {
		t.Errorf("text %q\nwant %q…", got, want)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b, Style{}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	worse := strings.Index(text, "WORSE against the last 3 runs: the median lead time rose from 1.0 d to 1.2 d (shift +5.0 h, 95 % CI +2.0 h to +7.0 h)")
	better := strings.Index(text, "better since the previous run: "+want)
	if worse < 0 || better < worse {
		t.Errorf("the worse change first, then the better:\n%s", text)
	}
	for _, s := range []string{"SINCE LAST TIME  against the previous run (2026-12-06T02:00:00Z) and the last 3 runs pooled",
		"1 earlier run with other options kept but not compared", "no significant change: ping-pong\n", "kept for the trend, not tested (no samples kept): 1 figure"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	// Without a history the text is as before.
	if !strings.Contains(text, strings.SplitN(plain.String(), "\n", 4)[3][:40]) || strings.Contains(plain.String(), "SINCE") {
		t.Error("the section changed the text around it, or shows without a history")
	}
}
