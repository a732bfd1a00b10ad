package mining_test

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// withStarts adds a start_time column to a generated ISO log: each event
// started 0 to 36 minutes before its time, every fourth has none and
// every eleventh starts a minute after its time (read as none), so the
// working split, the handling costs and their fallbacks all run.
func withStarts(t *testing.T, csv []byte) []byte {
	t.Helper()
	const layout = "2006-01-02T15:04:05.000Z"
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(csv))
	for i := 0; sc.Scan(); i++ {
		line := sc.Text()
		cell := ""
		if i == 0 {
			cell = "start_time"
		} else if i%4 != 0 {
			end, err := time.Parse(layout, line[strings.LastIndexByte(line, ',')+1:])
			if err != nil {
				t.Fatal(err)
			}
			d := -time.Duration(i%37) * time.Minute
			if i%11 == 0 {
				d = time.Minute
			}
			cell = end.Add(d).Format(layout)
		}
		fmt.Fprintf(&out, "%s,%s\n", line, cell)
	}
	return out.Bytes()
}

// testLog is a generated log, in CSV, and the columns the tests need it
// to have.
type testLog struct {
	name string
	data []byte
	has  []string
}

// everyLog generates logs of about n cases that reach every reader and
// stage of Analyze: a department log with customers, reasons, channels and
// agents and all the pathologies of real exports; the same with start
// times; call records.
func everyLog(t *testing.T, n int, seed uint64) []testLog {
	t.Helper()
	cfg := generate.Default()
	cfg.Realistic()
	cfg.Cases, cfg.Seed = n, seed
	var events, calls bytes.Buffer
	if _, err := generate.Write(cfg, &events, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := generate.WriteCalls(cfg, generate.DefaultCalls(), &calls, nil); err != nil {
		t.Fatal(err)
	}
	return []testLog{
		{"events", events.Bytes(), []string{eventlog.Department, eventlog.Resource, eventlog.Channel, "customer_id", "contact_reason"}},
		{"starts", withStarts(t, events.Bytes()), []string{eventlog.StartTime, eventlog.Department, "customer_id", "contact_reason"}},
		{"calls", calls.Bytes(), []string{eventlog.StartTime, eventlog.CallType, "customer_id"}},
	}
}

// forEveryLog runs f as a subtest on each log of everyLog(t, n, seed),
// read with an allocator that must hold nothing once all are done.
func forEveryLog(t *testing.T, n int, seed uint64, f func(t *testing.T, lg testLog, l *eventlog.Log)) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, lg := range everyLog(t, n, seed) {
		t.Run(lg.name, func(t *testing.T) {
			res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(lg.data), Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			f(t, lg, res.Log)
		})
	}
}

// richOptions are options for a log of everyLog: the journeys (with
// chasers where it has reasons); calendars, an office's and a shorter
// one for its last department; and all at once: the journeys, By with
// SLAs, From/To, the calendars, costs at every rate and BoundaryWaits.
func richOptions(l *eventlog.Log) (journeys, cal, all mining.Options) {
	acts := l.Narrow(eventlog.Activity).Names
	depts := l.Narrow(eventlog.Department).Names
	front := &calendar.Calendar{Name: "office"}
	back := &calendar.Calendar{Name: "back", DayLength: 6 * time.Hour}
	for d := time.Monday; d <= time.Friday; d++ {
		front.Week[d] = []calendar.Shift{{Start: 8 * 3600, End: 17 * 3600}}
		back.Week[d] = []calendar.Shift{{Start: 9 * 3600, End: 15 * 3600}}
	}
	journeys = mining.Options{Customer: "customer_id", Unidentified: []string{"K00000001"}}
	if l.Column("contact_reason") != nil {
		journeys.Reason, journeys.Chasers = "contact_reason", l.Narrow("contact_reason").Names[:2]
	}
	rates := &mining.Rates{PerMinute: map[string]float64{depts[0]: 1.5, "phone": 0.8, "": 0.5},
		PerHandoff: 2, PerContact: map[string]float64{"phone": 4, "": 3}, PerRepeat: 5,
		PerWaitingHour: 1, MinutesPerEvent: 2, MinutesPerStay: 3}
	cal = mining.Options{Calendar: front, Calendars: map[string]*calendar.Calendar{depts[len(depts)-1]: back}}
	all = journeys
	all.By, all.SLA, all.SLAs = eventlog.Channel, 72*time.Hour, map[string]time.Duration{"phone": 24 * time.Hour}
	all.From, all.To, all.Cost, all.BoundaryWaits = acts[1], acts[len(acts)-1], rates, true
	all.Calendar, all.Calendars = cal.Calendar, cal.Calendars
	return journeys, cal, all
}

// TestColumns checks Options.Columns, the list of columns Analyze reads,
// against what Analyze does: on generated logs (a department log with
// customers, reasons, channels and agents and all the pathologies of
// real exports; the same with start times; call records) and under
// options that reach every reader (levels, By with SLAs, From/To,
// journeys, calendars per unit, costs, all at once), the findings of the
// log with every other column dropped (eventlog.Log.Keep), the case
// column too, must equal those of the full log. So a new read of a column
// Columns does not name fails here.
func TestColumns(t *testing.T) {
	forEveryLog(t, 2000, 3, func(t *testing.T, lg testLog, l *eventlog.Log) {
		for _, c := range lg.has {
			if l.Column(c) == nil {
				t.Fatalf("the log has no column %q", c)
			}
		}
		acts := l.Narrow(eventlog.Activity).Names
		reasons := l.Column("contact_reason") != nil
		journeys, cal, all := richOptions(l)
		all.Calendars, all.Level = nil, mining.Resource
		rates := all.Cost
		opts := []mining.Options{
			{},
			{Level: mining.Resource, MinSupport: 5},
			{From: acts[1], To: acts[len(acts)-1]},
			{By: eventlog.Channel, SLA: 48 * time.Hour, SLAs: map[string]time.Duration{"phone": 24 * time.Hour}},
			journeys,
			cal,
			{Cost: rates},
			all,
		}
		// At the resource level the departments are read only by the
		// journeys and the costs, each on its own here.
		for _, o := range []mining.Options{journeys, {Cost: rates}} {
			o.Level = mining.Resource
			opts = append(opts, o)
		}
		if reasons {
			opts = append(opts, mining.Options{By: "contact_reason", BoundaryWaits: true})
		}
		for i, opt := range opts {
			opt.Workers = 2
			want, err := mining.Analyze(l, opt)
			if err != nil {
				t.Fatalf("options %d: %v", i, err)
			}
			if !sameKept(t, l, opt, opt.Columns(), want) {
				t.Errorf("options %d (%+v): the findings differ once the columns Columns does not name are dropped", i, opt)
			}
		}
		// The comparison sees a column left out: without the channel
		// column the journeys read, the findings differ.
		if reasons {
			want, err := mining.Analyze(l, journeys)
			if err != nil {
				t.Fatal(err)
			}
			keep := slices.DeleteFunc(journeys.Columns(), func(c string) bool { return c == eventlog.Channel })
			if sameKept(t, l, journeys, keep, want) {
				t.Error("the findings are the same without the channel column the journeys read")
			}
		}
	})
}

// sameKept reports whether l analysed with only the columns keep names
// gives the findings want (false when Analyze fails without the others).
// It compares before releasing the kept log, which names the cases.
func sameKept(t *testing.T, l *eventlog.Log, opt mining.Options, keep []string, want *mining.Findings) bool {
	t.Helper()
	kept := l.Keep(keep)
	defer kept.Release()
	if kept.Column(eventlog.Case) != nil || kept.Record().NumCols() >= l.Record().NumCols()-2 {
		t.Fatalf("kept %d of %d columns, the case column among them: %v", kept.Record().NumCols(), l.Record().NumCols(), kept.Column(eventlog.Case) != nil)
	}
	f, err := mining.Analyze(kept, opt)
	return err == nil && mining.SameFindings(f, want)
}
