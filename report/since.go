package report

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/history"
	"github.com/caseflow/caseflow/mining"
)

// sinceDoc is the comparison with earlier runs (--history); null without
// a history.
type sinceDoc struct {
	// Runs counts the runs stored before this one; Comparable those with
	// this run's options hash, OtherOptions the rest, stored but not
	// compared.
	Runs         int         `json:"runs"`
	Comparable   int         `json:"comparable"`
	OtherOptions int         `json:"other_options"`
	Previous     *string     `json:"previous_run"`
	PreviousTime *string     `json:"previous_time"`
	K            int         `json:"k"`
	FDR          num         `json:"fdr"`
	Changes      []changeDoc `json:"changes"`
	Untested     []string    `json:"untested"`
	TooFew       []string    `json:"too_few"`
	Worse        []string    `json:"worse"`
}

type changeDoc struct {
	Metric      string `json:"metric"`
	Against     string `json:"against"`
	Runs        int    `json:"runs"`
	Method      string `json:"method"`
	Before      num    `json:"before"`
	After       num    `json:"after"`
	NBefore     int64  `json:"n_before"`
	NAfter      int64  `json:"n_after"`
	Diff        num    `json:"diff"`
	DiffLow     num    `json:"diff_low"`
	DiffHigh    num    `json:"diff_high"`
	ThresholdS  num    `json:"threshold_s"`
	ShareBefore num    `json:"share_before"`
	ShareAfter  num    `json:"share_after"`
	P           num    `json:"p"`
	PAdjusted   num    `json:"p_adjusted"`
	Significant bool   `json:"significant"`
	Worse       bool   `json:"worse"`
	Text        string `json:"text"`
	// change is what Text says, for the text report's language.
	change history.Change
}

// Metric names of the history, as paths of the JSON document where one
// exists; a pair's or a boundary's name is in brackets.
const (
	MetricPingPong = "pingpong.case_rate"
	MetricClosing  = "pingpong.closing_rate"
	MetricMedian   = "lead_time.median_s"
	MetricP90      = "lead_time.p90_s"
	MetricLong     = "lead_time.long_rate"
	MetricFCR      = "journeys.fcr"
	MetricAbandon  = "calls.all.abandoned_share"
)

func pairMetric(a, b string) string { return "pingpong.pair[" + a + " ↔ " + b + "].case_rate" }

func boundaryMetric(from, to string) string {
	return "silos.boundary[" + from + " → " + to + "].median_wait_s"
}

// Metrics are the report's headline figures for the history (names as
// the report writes them, so pseudonyms at the resource level): rates with
// their counts (the pairs of the JSON's list), and the lead times
// themselves, subsampled to
// history.MaxSamples. The long-case rate is kept only under an SLA: under
// the quantile rule it is the quantile by definition.
func (r *Report) Metrics() []history.Metric {
	d := &r.doc
	cases := int64(d.Log.Cases)
	rate := func(name string, k, n int) history.Metric {
		m := history.Metric{Name: name, Kind: history.Rate, N: int64(n), Num: int64(k), Den: int64(n)}
		if n > 0 {
			m.Value = float64(k) / float64(n)
		}
		return m
	}
	out := []history.Metric{rate(MetricPingPong, d.PingPong.Cases, int(cases)), rate(MetricClosing, d.PingPong.Closing, int(cases))}
	for _, p := range head(d.PingPong.Pairs, r.top) { // as many as the JSON lists
		out = append(out, rate(pairMetric(p.A, p.B), p.Cases, int(cases)))
	}
	var lead []int64
	for _, c := range r.cases {
		if c.Measured {
			lead = append(lead, int64(math.Round(c.Lead*1000)))
		}
	}
	slices.Sort(lead)
	lt := &d.LeadTime
	out = append(out,
		history.Metric{Name: MetricMedian, Kind: history.Durations, Value: float64(lt.MedianS), N: int64(lt.Cases), Samples: history.Subsample(lead)},
		history.Metric{Name: MetricP90, Kind: history.Quantile, Value: float64(lt.P90S), N: int64(lt.Cases), Q: 0.9, Of: MetricMedian})
	if lt.LongRule == mining.RuleSLA {
		out = append(out, rate(MetricLong, lt.LongCases, lt.Cases))
	}
	for _, b := range d.Silos.Boundaries {
		m := history.Metric{Name: boundaryMetric(b.From, b.To), Kind: history.Value, Value: float64(b.EntryMedianS), N: int64(b.Handoffs)}
		if b.waits != nil {
			ms := make([]int64, len(b.waits))
			for i, us := range b.waits {
				ms[i] = (us + 500) / 1000 // µs to ms, half up; the waits are never negative
			}
			m.Kind, m.Samples = history.Durations, history.Subsample(ms)
		}
		out = append(out, m)
	}
	if j := d.Journeys; j != nil {
		m := rate(MetricFCR, j.Observed-j.Repeated, j.Observed)
		m.HigherBetter = true
		out = append(out, m)
	}
	if c := d.Calls; c != nil {
		out = append(out, rate(MetricAbandon, c.All.Abandoned, c.All.Offered))
	}
	return out
}

// SetSince adds the comparison with earlier runs to the report: c from
// history.Compare, runs the number of runs stored before this one.
func (r *Report) SetSince(c *history.Comparison, runs int) {
	s := &sinceDoc{Runs: runs, Comparable: c.Comparable, OtherOptions: c.OtherOptions, K: c.K, FDR: frac(c.FDR),
		Changes: []changeDoc{}, Untested: append([]string{}, c.Untested...), TooFew: append([]string{}, c.TooFew...), Worse: []string{}}
	if c.Previous != "" {
		p, t := c.Previous, c.PreviousTime.UTC().Format(time.RFC3339)
		s.Previous, s.PreviousTime = &p, &t
	}
	for _, ch := range c.Changes {
		cd := changeDoc{Metric: ch.Metric, Against: "previous", Runs: ch.Runs, Method: ch.Method,
			NBefore: ch.NBefore, NAfter: ch.NAfter, ThresholdS: none, ShareBefore: none, ShareAfter: none,
			P: frac(ch.P), PAdjusted: frac(ch.PAdjusted), Significant: ch.Significant, Worse: ch.Worse, Text: changeText(english, ch), change: ch}
		if ch.Pooled {
			cd.Against = "last_k"
		}
		switch ch.Kind {
		case history.Rate:
			cd.Before, cd.After, cd.Diff, cd.DiffLow, cd.DiffHigh = frac(ch.Before), frac(ch.After), frac(ch.Diff), frac(ch.Low), frac(ch.High)
		case history.Durations:
			cd.Before, cd.After, cd.Diff, cd.DiffLow, cd.DiffHigh = secs(ch.Before), secs(ch.After), secs(ch.Diff), secs(ch.Low), secs(ch.High)
		case history.Quantile:
			cd.Before, cd.After, cd.Diff, cd.DiffLow, cd.DiffHigh = secs(ch.Before), secs(ch.After), frac(ch.Diff), frac(ch.Low), frac(ch.High)
			cd.ThresholdS, cd.ShareBefore, cd.ShareAfter = secs(ch.Threshold), frac(ch.ShareBefore), frac(ch.ShareAfter)
		}
		if ch.Worse && !slices.Contains(s.Worse, ch.Metric) {
			s.Worse = append(s.Worse, ch.Metric)
		}
		s.Changes = append(s.Changes, cd)
	}
	r.doc.Since = s
}

// Describe names a metric of the history in words: "ping-pong",
// "ping-pong between KCC and Taxes", "the median lead time".
func Describe(metric string) string { return describeIn(english, metric) }

// DescribeIn is Describe in lang (see ParseLang).
func DescribeIn(lang language.Tag, metric string) string { return describeIn(printer(lang), metric) }

// describeIn is Describe in p's language.
func describeIn(p sprinter, metric string) string {
	switch metric {
	case MetricPingPong:
		return p.Sprintf("ping-pong")
	case MetricClosing:
		return p.Sprintf("closing returns")
	case MetricMedian:
		return p.Sprintf("the median lead time")
	case MetricP90:
		return p.Sprintf("the P90 of lead time")
	case MetricLong:
		return p.Sprintf("cases over their SLA")
	case MetricFCR:
		return p.Sprintf("first-contact resolution")
	case MetricAbandon:
		return p.Sprintf("abandoned calls")
	}
	if in, ok := bracket(metric, "pingpong.pair["); ok {
		a, b, _ := strings.Cut(in, " ↔ ")
		return p.Sprintf("ping-pong between %s and %s", a, b)
	}
	if in, ok := bracket(metric, "silos.boundary["); ok {
		return p.Sprintf("the median wait at %s", in)
	}
	return metric
}

// bracket returns what is between prefix and the last "]" of metric.
func bracket(metric, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(metric, prefix)
	i := strings.LastIndex(rest, "]")
	if !ok || i < 0 {
		return "", false
	}
	return rest[:i], true
}

// changeText says a change in plain words, e.g. "ping-pong between KCC
// and Taxes fell from 9.5 % to 6.1 % of cases (−3.4 points, 95 % CI −4.9
// to −1.9)", then the test.
// p writes it in its language.
func changeText(p sprinter, ch history.Change) string {
	verb, stayed := "", false
	switch {
	case ch.After > ch.Before:
		verb = p.Sprintf("rose from")
	case ch.After < ch.Before:
		verb = p.Sprintf("fell from")
	default:
		verb, stayed = p.Sprintf("stayed at"), true
	}
	name := describeIn(p, ch.Metric)
	pct := func(x float64) string { return p.Sprintf("%.1f %%", 100*x) }
	var s string
	switch ch.Kind {
	case history.Rate:
		of := p.Sprintf("of cases")
		switch ch.Metric {
		case MetricFCR:
			of = p.Sprintf("of contacts")
		case MetricAbandon:
			of = p.Sprintf("of offered calls")
		}
		s = p.Sprintf("%s %s %s to %s %s (%s points, 95 %% CI %s to %s)", name, verb, pct(ch.Before), pct(ch.After), of,
			points(p, ch.Diff), points(p, ch.Low), points(p, ch.High))
		if stayed {
			s = p.Sprintf("%s stayed at %s %s", name, pct(ch.After), of)
		}
	case history.Durations:
		s = p.Sprintf("%s %s %s to %s (shift %s, 95 %% CI %s to %s)", name, verb, durationIn(p, ch.Before), durationIn(p, ch.After),
			signedIn(p, ch.Diff), signedIn(p, ch.Low), signedIn(p, ch.High))
	case history.Quantile:
		s = p.Sprintf("%s %s %s to %s (cases above %s: %s, then %s; %s points, 95 %% CI %s to %s)", name, verb,
			durationIn(p, ch.Before), durationIn(p, ch.After), durationIn(p, ch.Threshold), pct(ch.ShareBefore), pct(ch.ShareAfter),
			points(p, ch.Diff), points(p, ch.Low), points(p, ch.High))
	}
	return p.Sprintf("%s; %s, p adjusted %s", s, p.Sprintf(ch.Method), pValueIn(p, ch.PAdjusted))
}

// SinceLine is a significant change in words, with what it was compared
// with: "since the previous run: ping-pong … rose from …".
type SinceLine struct {
	Text  string
	Worse bool
}

// SinceLines are the significant changes SetSince added, worse first, in
// lang (see ParseLang), for writers of other formats; nil without a
// history or a change.
func (r *Report) SinceLines(lang language.Tag) []SinceLine {
	if r.doc.Since == nil {
		return nil
	}
	return significant(printer(lang), r.doc.Since)
}

// significant lists the significant changes of s, worse first, in p's
// language.
func significant(p sprinter, s *sinceDoc) []SinceLine {
	var out []SinceLine
	for _, worse := range []bool{true, false} {
		for _, c := range s.Changes {
			if !c.Significant || c.Worse != worse {
				continue
			}
			against := p.Sprintf("since the previous run")
			if c.Against == "last_k" {
				against = p.Sprintf("against the last %d runs", c.Runs)
			}
			out = append(out, SinceLine{Text: p.Sprintf("%s: %s", against, changeText(p, c.change)), Worse: c.Worse})
		}
	}
	return out
}

// points writes a difference of shares in percentage points, signed with
// a true minus.
func points(p sprinter, x float64) string {
	s := p.Sprintf("%+.1f", 100*x)
	return strings.Replace(s, "-", "−", 1)
}

// since writes the SINCE LAST TIME section: the significant changes in
// words, worse first, then what did not change.
func (t *textWriter) since(d *document) {
	s := d.Since
	if s == nil {
		return
	}
	switch {
	case s.Runs == 0:
		t.heading("SINCE LAST TIME", t.Sprintf("the first run in this history: nothing to compare yet"))
		return
	case s.Comparable == 0:
		t.heading("SINCE LAST TIME", t.Sprintf("not compared: the %s in this history used other options, so their figures measure something else", t.count(s.Runs, "%d run", "%d runs")))
		return
	}
	rest := t.Sprintf("against the previous run (%s)", *s.PreviousTime)
	if s.Comparable >= 2 {
		rest = t.Sprintf("against the previous run (%s) and the last %d runs pooled", *s.PreviousTime, min(s.K, s.Comparable))
	}
	t.heading("SINCE LAST TIME", t.Sprintf("%s; changes significant at a false discovery rate of %s", rest, t.percent(float64(s.FDR))))
	if s.OtherOptions > 0 {
		t.printf("  %s with other options kept but not compared\n", t.count(s.OtherOptions, "%d earlier run", "%d earlier runs"))
	}
	for _, l := range significant(t, s) {
		label := t.Sprintf("better")
		if l.Worse {
			label = t.Sprintf("WORSE")
		}
		t.printf("  %s %s\n", label, l.Text)
	}
	// The rest in one line, the pairs and borders counted rather than named.
	var quiet []string
	pairs, borders := 0, 0
	for i, c := range s.Changes {
		if slices.ContainsFunc(s.Changes, func(o changeDoc) bool { return o.Metric == c.Metric && o.Significant }) ||
			slices.ContainsFunc(s.Changes[:i], func(o changeDoc) bool { return o.Metric == c.Metric }) {
			continue
		}
		switch {
		case strings.HasPrefix(c.Metric, "pingpong.pair["):
			pairs++
		case strings.HasPrefix(c.Metric, "silos.boundary["):
			borders++
		default:
			quiet = append(quiet, describeIn(t, c.Metric))

		}
	}
	if pairs > 0 {
		quiet = append(quiet, t.count(pairs, "%d ping-pong pair", "%d ping-pong pairs"))
	}
	if borders > 0 {
		quiet = append(quiet, t.count(borders, "the wait at %d border", "the waits at %d borders"))
	}
	if len(quiet) > 0 {
		t.printf("  no significant change: %s\n", strings.Join(quiet, "; "))
	}
	if len(s.TooFew) > 0 {
		t.printf("  too few cases to test: %s\n", t.count(len(s.TooFew), "%d figure", "%d figures"))
	}
	if len(s.Untested) > 0 {
		t.printf("  kept for the trend, not tested (no samples kept): %s\n", t.count(len(s.Untested), "%d figure", "%d figures"))
	}

}

// OptionsKey is the JSON of the report's options that change its figures:
// all of the options object but top and resources, which change only
// what is shown. The history hashes it with the reading options.
func (r *Report) OptionsKey() []byte {
	o := r.doc.Options
	o.Top, o.Resources = 0, ""
	b, _ := json.Marshal(o) // plain values: it cannot fail
	return b
}

// MetricText writes a metric's value as the report does: a share in
// per cent, durations in s, min, h or d.
func MetricText(m history.Metric) string {
	switch m.Kind {
	case history.Rate:
		return percent(m.Value)
	case history.Durations, history.Quantile, history.Value:
		return duration(m.Value)
	}
	return english.Sprint(m.Value)
}
