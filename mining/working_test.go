package mining

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/handlog"
)

// startEv is an event with a start: case, activity, start ("" for none),
// end (clock times on handlog.Day), department.
type startEv [5]string

// splitLog is a hand-built log whose working split is worked out by hand
// (minutes; "→" is a handoff, "( )" an event's work):
//
//	a  Front (09:00–09:10) (09:30–09:40) → Back (10:40–11:10) → Front (11:30, no start)
//	   span 150, work 10+10+30+0 = 50, wait 150−50 = 100
//	b  Front (09:00–10:00) → Legal (09:30–10:30) → Front (10:15–10:45) (11:45–12:00)
//	   Legal starts before Front ends and Front again before Legal ends:
//	   two overlapped handoffs, wait 0. Work is the union 09:00–10:45 and
//	   11:45–12:00 = 105+15 = 120 of a span of 180, wait 60; the events
//	   last 60+60+30+15 = 165, so 45 is parallel.
//	c  Front (start 09:20 after its end 09:10: read as none) (09:40, no start)
//	   span 30, work 0, wait 30
//	e  Front (13:00–13:30) → Back (15:30–16:00): span 180, work 60, wait 120
var splitLog = []startEv{
	{"a", "Register", "09:00", "09:10", "Front"},
	{"a", "Check", "09:30", "09:40", "Front"},
	{"a", "Work", "10:40", "11:10", "Back"},
	{"a", "Close", "", "11:30", "Front"},
	{"b", "Register", "09:00", "10:00", "Front"},
	{"b", "Review", "09:30", "10:30", "Legal"},
	{"b", "Check", "10:15", "10:45", "Front"},
	{"b", "Close", "11:45", "12:00", "Front"},
	{"c", "Ask", "09:20", "09:10", "Front"},
	{"c", "Close", "", "09:40", "Front"},
	{"e", "Register", "13:00", "13:30", "Front"},
	{"e", "Work", "15:30", "16:00", "Back"},
}

func analyzeStarts(t *testing.T, evs []startEv, opt Options) *Findings {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	for i, e := range evs {
		var start int64 = eventlog.NoTime
		if e[2] != "" {
			start = handlog.Time(t, e[2]).UnixMicro()
		}
		b.Add(&eventlog.Event{Case: []byte(e[0]), Activity: []byte(e[1]), Start: start,
			Time: handlog.Time(t, e[3]).UnixMicro(), Department: []byte(e[4]), Row: int64(i + 2)})
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	f, err := Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWorkingSplit(t *testing.T) {
	const m = 60.0 // seconds in a minute
	for _, workers := range []int{1, 3} {
		w := analyzeStarts(t, splitLog, Options{Workers: workers}).Working
		if w == nil {
			t.Fatal("a log with start times has no working split")
		}
		// 12 events, 9 with a start at or before their end (c's Ask is reversed).
		if w.Events != 12 || w.Started != 9 || w.Reversed != 1 || w.Cases != 4 || w.EfficiencyCases != 4 {
			t.Errorf("events %d, started %d, reversed %d, cases %d, efficiency cases %d; want 12, 9, 1, 4, 4",
				w.Events, w.Started, w.Reversed, w.Cases, w.EfficiencyCases)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			// Spans 150, 180, 30, 180; work 50, 120, 0, 60; wait 100, 60, 30, 120.
			{"span", w.Span, 540 * m},
			{"work", w.Work, 230 * m},
			{"wait", w.Wait, 310 * m},
			{"parallel", w.Parallel, 45 * m},
			{"median span", w.MedianSpan, (150 + 180) / 2 * m},
			{"median work", w.MedianWork, (50 + 60) / 2 * m},
			{"median wait", w.MedianWait, (60 + 100) / 2 * m},
			{"efficiency", w.Efficiency, 230.0 / 540},
			// Per case 1/3, 2/3, 0, 1/3: the median is 1/3.
			{"median efficiency", w.MedianEfficiency, 1.0 / 3},
		} {
			checkNum(t, c.name, c.got, c.want)
		}
		// Front's stays (work, wait): a (20, 20 inside), a (0, 20 entry
		// from Back), b (60, 0), b (45, 60 inside; entry overlapped), c (0,
		// 30 inside), e (30, 0). Back's: a (30, 60 entry), e (30, 120
		// entry). Legal's: b (60, 0, overlapped entry).
		want := []WorkUnit{
			{Unit: "Back", Stays: 2, Work: 60 * m, Inside: 0, Entry: 180 * m, Wait: 180 * m, MedianWork: 30 * m, MedianWait: 90 * m, Efficiency: 0.25},
			{Unit: "Front", Stays: 6, Work: 155 * m, Inside: 110 * m, Entry: 20 * m, Wait: 130 * m, MedianWork: 25 * m, MedianWait: 20 * m, Efficiency: 155.0 / 285},
			{Unit: "Legal", Stays: 1, Work: 60 * m, MedianWork: 60 * m, Efficiency: 1},
		}
		if len(w.Units) != len(want) {
			t.Fatalf("units %+v, want %+v", w.Units, want)
		}
		for i, u := range w.Units {
			x := want[i]
			if u.Unit != x.Unit || u.Stays != x.Stays || !near(u.Work, x.Work) || !near(u.Inside, x.Inside) || !near(u.Entry, x.Entry) ||
				!near(u.Wait, x.Wait) || !near(u.MedianWork, x.MedianWork) || !near(u.MedianWait, x.MedianWait) || !near(u.Efficiency, x.Efficiency) {
				t.Errorf("unit %d = %+v, want %+v", i, u, x)
			}
		}
		// Front→Back waits 60 (a) and 120 (e): median 90, P90 60+0.9·60.
		wantB := []WorkBoundary{
			{From: "Front", To: "Back", Handoffs: 2, MedianWait: 90 * m, P90Wait: 114 * m},
			{From: "Back", To: "Front", Handoffs: 1, MedianWait: 20 * m, P90Wait: 20 * m},
			{From: "Front", To: "Legal", Handoffs: 1, Overlapped: 1},
			{From: "Legal", To: "Front", Handoffs: 1, Overlapped: 1},
		}
		if len(w.Boundaries) != len(wantB) {
			t.Fatalf("boundaries %+v, want %+v", w.Boundaries, wantB)
		}
		for i, b := range w.Boundaries {
			x := wantB[i]
			if b.From != x.From || b.To != x.To || b.Handoffs != x.Handoffs || b.Overlapped != x.Overlapped ||
				!near(b.MedianWait, x.MedianWait) || !near(b.P90Wait, x.P90Wait) {
				t.Errorf("boundary %d = %+v, want %+v", i, b, x)
			}
		}
	}
}

// In working time: case a alone, Monday 09:00–10:00 and 11:00–17:00 open.
// Span 09:00–11:30 is 60+30 = 90 working minutes; work 10 + 10 + 10 (Back
// 10:40–11:10 counts 11:00–11:10) + 0 = 30; wait 60. Front's first stay
// works 20 and waits 20 (09:10–09:30); the handoff to Back waits
// 09:40–10:00 = 20; Back→Front 11:10–11:30 = 20.
func TestWorkingSplitInWorkingTime(t *testing.T) {
	const m = 60.0
	cal := &calendar.Calendar{Name: "split"}
	cal.Week[time.Monday] = []calendar.Shift{{Start: 9 * 3600, End: 10 * 3600}, {Start: 11 * 3600, End: 17 * 3600}}
	w := analyzeStarts(t, splitLog[:4], Options{Calendar: cal}).Working
	checkNum(t, "span", w.Span, 90*m)
	checkNum(t, "work", w.Work, 30*m)
	checkNum(t, "wait", w.Wait, 60*m)
	waits := map[[2]string]float64{}
	for _, b := range w.Boundaries {
		waits[[2]string{b.From, b.To}] = b.MedianWait
	}
	checkNum(t, "Front→Back", waits[[2]string{"Front", "Back"}], 20*m)
	checkNum(t, "Back→Front", waits[[2]string{"Back", "Front"}], 20*m)
	for _, u := range w.Units {
		switch u.Unit {
		case "Front": // stays (20, 20) and (0, 20 entry)
			checkNum(t, "Front work", u.Work, 20*m)
			checkNum(t, "Front wait", u.Wait, 40*m)
		case "Back":
			checkNum(t, "Back work", u.Work, 10*m)
			checkNum(t, "Back wait", u.Wait, 20*m)
		}
	}
}

// A start days before the log's first end must still count its working
// time: the calendar table covers the starts, not only the ends (it adds
// one day on each side, which would miss Friday here). Friday 1 March
// 08:00 to Monday 4 March 09:00, open Monday to Friday 08:00–17:00: 9 h
// on Friday and 1 h on Monday.
func TestWorkingTimeBeforeFirstEnd(t *testing.T) {
	cal := &calendar.Calendar{Name: "week"}
	for d := time.Monday; d <= time.Friday; d++ {
		cal.Week[d] = []calendar.Shift{{Start: 8 * 3600, End: 17 * 3600}}
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	b.Add(&eventlog.Event{Case: []byte("x"), Activity: []byte("Work"), Department: []byte("Front"),
		Start: handlog.Day.Add(-3*24*time.Hour + 8*time.Hour).UnixMicro(), Time: handlog.Time(t, "09:00").UnixMicro(), Row: 2})
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	f, err := Analyze(l, Options{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	checkNum(t, "work", f.Working.Work, 10*3600)
	checkNum(t, "span", f.Working.Span, 10*3600)
}

// Without a start column there is no split, as there is nothing to split
// by: Working stays nil, and so the JSON's working key is left out.
func TestNoStartsNoSplit(t *testing.T) {
	if w := analyze(t, handlog.ThreeCases, Options{}).Working; w != nil {
		t.Errorf("a log without start times has %+v", w)
	}
}

// In call records the queue stage is the caller waiting for an agent:
// its time is waiting at the handoff into the queue, not work. One call:
// VRU 10:00:00–10:00:30, queue 10:00:30–10:02:30, service 10:02:29–10:05:30
// (the service starts a second before the queue ends, as in the shared
// file): span 330 s, work 30 + 181 = 211 s, wait 10:00:30–10:02:29 = 119 s.
// The handoff VRU → queue waits the queue's 120 s; queue → agent overlaps.
func TestWorkingCallQueueIsWaiting(t *testing.T) {
	w := analyzeStarts(t, []startEv{
		{"k", eventlog.CallVRU, "10:00:00", "10:00:30", "VRU"},
		{"k", eventlog.CallQueueAnswered, "10:00:30", "10:02:30", "queue"},
		{"k", eventlog.CallService, "10:02:29", "10:05:30", "agent"},
	}, Options{}).Working
	if w.Queued != 1 {
		t.Errorf("queued %d, want 1", w.Queued)
	}
	checkNum(t, "span", w.Span, 330)
	checkNum(t, "work", w.Work, 211)
	checkNum(t, "wait", w.Wait, 119)
	want := map[[2]string][2]float64{{"VRU", "queue"}: {120, 0}, {"queue", "agent"}: {0, 1}} // wait, overlapped
	for _, b := range w.Boundaries {
		x := want[[2]string{b.From, b.To}]
		if !near(b.MedianWait, x[0]) || b.Overlapped != int(x[1]) {
			t.Errorf("%s → %s: wait %v, overlapped %d; want %v, %v", b.From, b.To, b.MedianWait, b.Overlapped, x[0], x[1])
		}
	}
}
