package html

import (
	"github.com/caseflow/caseflow/mining"
)

// workView is the lead-time section's block on work and waiting; nil for
// a log without start times (see mining.Working).
type workView struct {
	Summary string
	Units   []workUnitRow
	Bounds  []workBoundRow
	Note    string
}

// workUnitRow is one unit: medians per stay, shown (S) and sorted (V).
type workUnitRow struct {
	Unit         string
	Stays        int
	Work, Wait   float64
	WorkS, WaitS string
	Waiting      float64 // share of its time; −1 (shown "–") when it has none
}

type workBoundRow struct {
	From, To          string
	Handoffs, Overlap int
	Median, P90       float64
	MedianS, P90S     string
}

// workTable shows f's work and waiting, units by their (pseudonymised)
// name as unit writes it, in working days of the main calendar with one.
func (l *lang) workTable(f *mining.Findings, unit func(string) string) *workView {
	w := f.Working
	if w == nil {
		return nil
	}
	day := 0.0
	if f.WorkingTime != nil {
		day = f.WorkingTime.Default.Day
	}
	v := &workView{}
	v.Summary = l.f("From the events' start times: %s of %s events have one (the others are instants, no work). ", l.count(w.Started), l.count(w.Events))
	if w.Queued > 0 {
		v.Summary += l.f("The %s call queue stages count as waiting: the caller waits there for an agent. ", l.count(w.Queued))
	}
	if w.Span > 0 {
		v.Summary += l.f("Cases are worked on %s of their lead time (flow efficiency: %s of work in %s), the median case %s; it works %s and waits %s.",
			l.pct(w.Efficiency), l.workDur(w.Work, day), l.workDur(w.Span, day), l.pct(w.MedianEfficiency), l.workDur(w.MedianWork, day), l.workDur(w.MedianWait, day))
	}
	for _, u := range w.Units {
		r := workUnitRow{Unit: unit(u.Unit), Stays: u.Stays, Work: u.MedianWork, Wait: u.MedianWait,
			WorkS: l.workDur(u.MedianWork, day), WaitS: l.workDur(u.MedianWait, day), Waiting: -1}
		if u.Work+u.Wait > 0 {
			r.Waiting = 1 - u.Efficiency
		}
		v.Units = append(v.Units, r)
	}
	for _, b := range w.Boundaries[:min(len(w.Boundaries), MaxWhere)] {
		v.Bounds = append(v.Bounds, workBoundRow{From: unit(b.From), To: unit(b.To), Handoffs: b.Handoffs, Overlap: b.Overlapped,
			Median: b.MedianWait, P90: b.P90Wait, MedianS: l.workDur(b.MedianWait, day), P90S: l.workDur(b.P90Wait, day)})
	}
	v.Note = l.shownOf(len(v.Bounds), len(w.Boundaries), l.f("boundaries"))
	return v
}

// workDur writes a duration, in working time (day > 0) from an hour up
// in hours and working days of day: 24 working hours are nobody's day.
func (l *lang) workDur(s, day float64) string {
	if day <= 0 || s < 3600 {
		return l.dur(s)
	}
	return l.f("%s h (%s working days)", l.short(s/3600), l.short(s/day))
}

// workingDays is the lead-time table's row in working days of the main
// calendar, as the text report gives it; none in clock time.
func (l *lang) workingDays(f *mining.Findings) []stat {
	w, lt := f.WorkingTime, &f.LeadTime
	if w == nil || w.Default.Day <= 0 || lt.N == 0 {
		return nil
	}
	d := w.Default.Day
	return []stat{{l.f("In working days of %s", l.dur(d)), l.f("median %.2f · P90 %.2f · P95 %.2f · longest %.2f", lt.Median/d, lt.P90/d, lt.P95/d, lt.Max/d)}}
}
