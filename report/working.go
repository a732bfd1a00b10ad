package report

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/caseflow/caseflow/mining"
)

// workingDoc is mining.Working in the JSON document: left out for a log
// without start times. A median or share over nothing is none (null).
type workingDoc struct {
	Events               int               `json:"events"`
	Started              int               `json:"events_with_start"`
	Reversed             int               `json:"starts_after_end"`
	Queued               int               `json:"call_queue_stages"`
	Cases                int               `json:"cases"`
	SpanS                num               `json:"span_s"`
	WorkS                num               `json:"working_s"`
	WaitS                num               `json:"waiting_s"`
	ParallelS            num               `json:"parallel_s"`
	MedianSpanS          num               `json:"median_span_s"`
	MedianWorkS          num               `json:"median_working_s"`
	MedianWaitS          num               `json:"median_waiting_s"`
	FlowEfficiency       num               `json:"flow_efficiency"`
	EfficiencyCases      int               `json:"efficiency_cases"`
	MedianFlowEfficiency num               `json:"median_flow_efficiency"`
	Units                []workUnitDoc     `json:"units"`
	Boundaries           []workBoundaryDoc `json:"boundaries"`
}

type workUnitDoc struct {
	Unit           string `json:"unit"`
	Stays          int    `json:"stays"`
	WorkS          num    `json:"working_s"`
	WaitS          num    `json:"waiting_s"`
	InsideS        num    `json:"waiting_inside_s"`
	EntryS         num    `json:"waiting_entry_s"`
	MedianWorkS    num    `json:"median_working_s"`
	MedianWaitS    num    `json:"median_waiting_s"`
	FlowEfficiency num    `json:"flow_efficiency"`
}

type workBoundaryDoc struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Handoffs    int    `json:"handoffs"`
	Overlapped  int    `json:"overlapped"`
	MedianWaitS num    `json:"median_wait_s"`
	P90WaitS    num    `json:"p90_wait_s"`
}

// working converts the work and waiting split; units get their written
// names and the lists are sorted again, as names may have become
// pseudonyms.
func working(f *mining.Findings, n namer) *workingDoc {
	w := f.Working
	if w == nil {
		return nil
	}
	share := func(x float64, over float64) num {
		if over == 0 {
			return none
		}
		return frac(x)
	}
	d := &workingDoc{Events: w.Events, Started: w.Started, Reversed: w.Reversed, Queued: w.Queued, Cases: w.Cases,
		SpanS: secs(w.Span), WorkS: secs(w.Work), WaitS: secs(w.Wait), ParallelS: secs(w.Parallel),
		MedianSpanS: measured(w.MedianSpan, w.Cases), MedianWorkS: measured(w.MedianWork, w.Cases), MedianWaitS: measured(w.MedianWait, w.Cases),
		FlowEfficiency: share(w.Efficiency, w.Span), EfficiencyCases: w.EfficiencyCases,
		MedianFlowEfficiency: share(w.MedianEfficiency, float64(w.EfficiencyCases)),
		Units:                []workUnitDoc{}, Boundaries: []workBoundaryDoc{}}
	for _, u := range w.Units {
		d.Units = append(d.Units, workUnitDoc{Unit: n.name(u.Unit), Stays: u.Stays, WorkS: secs(u.Work), WaitS: secs(u.Wait),
			InsideS: secs(u.Inside), EntryS: secs(u.Entry), MedianWorkS: secs(u.MedianWork), MedianWaitS: secs(u.MedianWait),
			FlowEfficiency: share(u.Efficiency, u.Work+u.Wait)})
	}
	slices.SortStableFunc(d.Units, func(x, y workUnitDoc) int {
		return cmp.Or(cmp.Compare(y.WaitS, x.WaitS), strings.Compare(x.Unit, y.Unit))
	})
	for _, b := range w.Boundaries {
		d.Boundaries = append(d.Boundaries, workBoundaryDoc{From: n.name(b.From), To: n.name(b.To), Handoffs: b.Handoffs,
			Overlapped: b.Overlapped, MedianWaitS: secs(b.MedianWait), P90WaitS: secs(b.P90Wait)})
	}
	slices.SortStableFunc(d.Boundaries, func(x, y workBoundaryDoc) int {
		return cmp.Or(cmp.Compare(y.Handoffs, x.Handoffs), strings.Compare(x.From, y.From), strings.Compare(x.To, y.To))
	})
	return d
}

// shortWorking keeps the first k units and boundaries.
func shortWorking(d *workingDoc, k int) *workingDoc {
	if d == nil {
		return nil
	}
	s := *d
	s.Units, s.Boundaries = head(s.Units, k), head(s.Boundaries, k)
	return &s
}

// working writes the WORK AND WAITING section, for logs with start times
// only: the whole cases' split and flow efficiency, then a table per unit
// and one of the boundaries with most handoffs.
func (t *textWriter) working(d *document) {
	w := d.Working
	if w == nil {
		return
	}
	t.heading("WORK AND WAITING", t.Sprintf("from start times: %d of %d events have one; the others are instants, no work",
		w.Started, w.Events))
	if w.Reversed > 0 {
		t.printf("  %s with a start after its end: read as no start\n", t.count(w.Reversed, "%d event", "%d events"))
	}
	if w.Queued > 0 {
		t.printf("  %s count as waiting, not work: the caller waits there for an agent\n", t.count(w.Queued, "%d call queue stage", "%d call queue stages"))
	}
	if w.Cases == 0 {
		t.printf("  no case has a lead time\n")
		return
	}
	t.printf("  flow efficiency %s: the share of the lead time in which a case is worked on (%s work of %s, over %s)\n",
		dash(t.percent, w.FlowEfficiency), t.dur(float64(w.WorkS)), t.dur(float64(w.SpanS)), t.count(w.Cases, "%d case", "%d cases"))
	t.printf("  median case: %s work, %s waiting, flow efficiency %s\n",
		t.dur(float64(w.MedianWorkS)), t.dur(float64(w.MedianWaitS)), dash(t.percent, w.MedianFlowEfficiency))
	if w.ParallelS > 0 {
		t.printf("  events in parallel: %s of work overlaps other work of its case and counts once\n", t.dur(float64(w.ParallelS)))
	}
	rows := [][]string{t.words(unitNoun(d), "stays", "median work", "median wait", "waiting share", "flow efficiency")}
	for _, u := range head(w.Units, textUnits) {
		waiting := "-"
		if !math.IsNaN(float64(u.FlowEfficiency)) {
			waiting = t.percent(1 - float64(u.FlowEfficiency))
		}
		rows = append(rows, []string{short(u.Unit), t.thousands(u.Stays), t.dur(float64(u.MedianWorkS)),
			t.dur(float64(u.MedianWaitS)), waiting, dash(t.percent, u.FlowEfficiency)})
	}
	t.table("lrrrrr", rows)
	if n := len(w.Units) - textUnits; n > 0 {
		t.printf("  … and %d more (all in report.json)\n", n)
	}
	rows = [][]string{t.words("boundary", "handoffs", "median wait (end → start)", "P90", "started before the sender ended")}
	for _, b := range head(w.Boundaries, textSilos) {
		rows = append(rows, []string{short(b.From) + " → " + short(b.To), t.thousands(b.Handoffs),
			t.dur(float64(b.MedianWaitS)), t.dur(float64(b.P90WaitS)), t.thousands(b.Overlapped)})
	}
	t.table("lrrrr", rows)
}

// workingDay is the main calendar's working day in seconds, 0 in clock
// time.
func workingDay(d *document) float64 {
	if w := d.Options.WorkingTime; w != nil {
		return float64(w.Calendar.DayS)
	}
	return 0
}

// workDuration writes seconds as duration does and, in working time (day
// > 0) from an hour up, in hours and working days (wd) of day, as people
// count working time: "18.5 h (2.3 wd)"; the headline names the day's
// length. 24 working hours are nobody's day.
func workDuration(p sprinter, s, day float64) string {
	if day <= 0 || math.Abs(s) < 3600 {
		return durationIn(p, s)
	}
	return p.Sprintf("%.1f h (%.1f wd)", s/3600, s/day)
}

// dur writes a duration of the analysis: in working days as well as
// hours in working time (see workDuration).
func (t *textWriter) dur(s float64) string { return workDuration(t, s, t.day) }

// signed is dur with a sign, + for longer.
func (t *textWriter) signed(s float64) string {
	if s > 0 {
		return "+" + t.dur(s)
	}
	return t.dur(s)
}
