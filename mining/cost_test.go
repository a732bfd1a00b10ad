package mining

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/handlog"
)

// workedRates are the rates of docs/report.md's worked example of the
// cost model: 5 minutes an event, Front at 0.90 a minute, Back 1.10,
// Legal 1.50 (the Note, in no department, has no rate), 2.50 a handoff,
// 6.00 an hour of waiting.
func workedRates() *Rates {
	return &Rates{Currency: "EUR", PerMinute: map[string]float64{"Front": 0.90, "Back": 1.10, "Legal": 1.50},
		PerHandoff: 2.50, PerWaitingHour: 6, MinutesPerEvent: 5}
}

// TestCostWorkedExample checks the figures of the worked example, each
// computed by hand in docs/report.md.
func TestCostWorkedExample(t *testing.T) {
	f := analyze(t, threeCases, Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: workedRates()})
	c := f.Cost
	if c == nil {
		t.Fatal("no cost with rates set")
	}
	// 14 events of 5 minutes, none with a start time; the Note's 5 have no rate.
	if c.Measured != 0 || c.Estimated != 14 || c.Stays != 0 || c.Unmeasured != 0 {
		t.Errorf("handling events measured %d, estimated %d, stays %d, unmeasured %d; want 0, 14, 0, 0",
			c.Measured, c.Estimated, c.Stays, c.Unmeasured)
	}
	checkNum(t, "minutes", c.Minutes, 70)
	checkNum(t, "unpriced minutes", c.UnpricedMinutes, 5)
	// 7 Front events × 5 × 0.90 + 5 Back × 5 × 1.10 + 1 Legal × 5 × 1.50.
	checkNum(t, "handling", c.Handling, 31.5+27.5+7.5)
	checkNum(t, "handoffs", c.Handoffs, 7*2.5)
	if !c.HandoffsPriced {
		t.Error("handoffs not priced")
	}
	checkNum(t, "contacts", c.Contacts, 0)
	// 09:00 to 11:30.
	checkNum(t, "span", c.Span, 9000)
	checkNum(t, "year", c.Year, 365.2425*86400/9000)
	if !c.Weak {
		t.Error("a span of 2.5 hours is not called weak")
	}
	// c1's two returns: to Front [09:40] (1 event: 5 min × 0.90) and to
	// Back [10:00–10:05] (2 events: 10 min × 1.10); its closing return is
	// not one.
	if len(c.PingPong) != 1 || !c.PingPongPriced {
		t.Fatalf("ping-pong costs %+v, priced %v; want one pair", c.PingPong, c.PingPongPriced)
	}
	p := c.PingPong[0]
	if p.A != "Back" || p.B != "Front" || p.Returns != 2 {
		t.Errorf("pair %+v; want Back, Front with 2 returns", p)
	}
	checkNum(t, "return minutes", p.ReturnMinutes, 15)
	checkNum(t, "pair handling", p.Handling, 4.5+11)
	checkNum(t, "pair handoffs", p.Handoffs, 2*2.5)
	checkNum(t, "pair total", p.Total, 20.5)
	// No boundary is a silo in three cases.
	if c.Silos == nil || len(c.Silos) != 0 {
		t.Errorf("silo costs %+v; want an empty list", c.Silos)
	}
	// c1 is 1,800 s above the SLA of 5,400 s, c2 3,600 s: 1.5 h × 6.00.
	if c.Long.Cases != 2 || !c.Long.Priced {
		t.Errorf("long cases %+v; want 2, priced", c.Long)
	}
	checkNum(t, "long above", c.Long.Above, 5400)
	checkNum(t, "long total", c.Long.Total, 9)
	if c.Repeats != nil || c.Chasers != nil {
		t.Error("contact costs without journeys")
	}
	want := []Item{{KindPingPong, "Back", "Front", 20.5}, {Kind: KindLong, Amount: 9}}
	if len(c.Ranked) != len(want) {
		t.Fatalf("ranked %+v; want %+v", c.Ranked, want)
	}
	for i, it := range c.Ranked {
		if it.Kind != want[i].Kind || it.A != want[i].A || it.B != want[i].B || !near(it.Amount, want[i].Amount) {
			t.Errorf("ranked %d: %+v; want %+v", i, it, want[i])
		}
	}
}

func TestCostNoRates(t *testing.T) {
	if f := analyze(t, threeCases, Options{}); f.Cost != nil {
		t.Errorf("cost %+v without rates; want nil", f.Cost)
	}
	// Rates that price nothing found: no amount is priced.
	f := analyze(t, threeCases, Options{Cost: &Rates{Currency: "EUR"}})
	c := f.Cost
	if c.PingPongPriced || c.Long.Priced || c.Silos != nil || len(c.Ranked) != 0 || c.Handling != 0 {
		t.Errorf("cost %+v with no rate set; want nothing priced", c)
	}
}

func TestCostRateErrors(t *testing.T) {
	for _, r := range []Rates{
		{PerHandoff: -1},
		{PerMinute: map[string]float64{"KCC": -0.5}},
		{PerContact: map[string]float64{"": math.NaN()}},
		{MinutesPerEvent: -2},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		l := handlog.Build(t, mem, "", threeCases)
		_, err := Analyze(l, Options{Cost: &r})
		l.Release()
		mem.AssertSize(t, 0)
		if !errors.Is(err, ErrOption) {
			t.Errorf("rates %+v: error %v; want ErrOption", r, err)
		}
	}
}

// startLog builds a log of events with start times: {case, activity,
// start, end, department, channel}, clock times on handlog.Day ("" start:
// none).
func startLog(t *testing.T, mem memory.Allocator, evs [][6]string) *eventlog.Log {
	t.Helper()
	b := eventlog.NewBuilder()
	at := func(s string) int64 {
		c, err := time.Parse("15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return handlog.Day.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute).UnixMicro()
	}
	for i, e := range evs {
		start := int64(eventlog.NoTime)
		if e[2] != "" {
			start = at(e[2])
		}
		b.Add(&eventlog.Event{Case: []byte(e[0]), Activity: []byte(e[1]), Start: start, Time: at(e[3]),
			Department: []byte(e[4]), Channel: []byte(e[5]), Row: int64(i + 2)})
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCostStartTimes measures handling from start times, in clock and in
// working time, estimates the events without one, and looks the rate up
// by department, then channel, then the default.
func TestCostStartTimes(t *testing.T) {
	evs := [][6]string{
		{"a", "Take", "08:30", "09:00", "KCC", "phone"},  // 30 min, KCC's rate
		{"a", "Work", "16:30", "17:30", "Back", "phone"}, // 60 min (30 in working time), phone's rate
		{"a", "Reply", "", "17:45", "KCC", "phone"},      // no start: 4 min estimated
		{"b", "Take", "10:00", "10:10", "", "mail"},      // 10 min, the default rate
		{"b", "Odd", "10:30", "10:20", "", "mail"},       // start after end, read as none: 4 min estimated
		{"b", "Tick", "10:40", "10:40", "", "mail"},      // start at the end: 0 min measured
	}
	office := &calendar.Calendar{Name: "office"}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = []calendar.Shift{{Start: 8 * 3600, End: 17 * 3600}}
	}
	for _, tc := range []struct {
		name     string
		cal      *calendar.Calendar
		minutes  float64
		handling float64
	}{
		{"clock", nil, 30 + 60 + 4 + 10 + 4, 30*1 + 60*0.5 + 4*1 + 10*0.25 + 4*0.25},
		{"working", office, 30 + 30 + 4 + 10 + 4, 30*1 + 30*0.5 + 4*1 + 10*0.25 + 4*0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			l := startLog(t, mem, evs)
			defer l.Release()
			r := &Rates{PerMinute: map[string]float64{"KCC": 1, "phone": 0.5, "": 0.25}, MinutesPerEvent: 4}
			f, err := Analyze(l, Options{Cost: r, Calendar: tc.cal})
			if err != nil {
				t.Fatal(err)
			}
			c := f.Cost
			if c.Measured != 4 || c.Estimated != 2 || c.Unmeasured != 0 {
				t.Errorf("measured %d, estimated %d, unmeasured %d; want 4, 2, 0", c.Measured, c.Estimated, c.Unmeasured)
			}
			checkNum(t, "minutes", c.Minutes, tc.minutes)
			checkNum(t, "handling", c.Handling, tc.handling)
			checkNum(t, "unpriced", c.UnpricedMinutes, 0)
		})
	}
}

// TestCostContacts prices repeat contacts and chasers: Alice's second
// contact (web) repeats her first within a day; Carol's only contact is a
// chaser; Bob's contact is neither.
func TestCostContacts(t *testing.T) {
	cs := []handlog.Contact{
		{ID: "a1", Customer: "Alice", Reason: "tax", Channel: "phone", Dept: "KCC", Start: 0, End: 1},
		{ID: "a2", Customer: "Alice", Reason: "tax", Channel: "web", Dept: "KCC", Start: 20, End: 21},
		{ID: "b1", Customer: "Bob", Reason: "tax", Channel: "phone", Dept: "KCC", Start: 0, End: 2},
		{ID: "c1", Customer: "Carol", Reason: "status", Channel: "phone", Dept: "KCC", Start: 3, End: 4},
		{ID: "z", Customer: "Zed", Reason: "tax", Channel: "", Dept: "KCC", Start: 60 * 24, End: 60 * 24},
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := handlog.Contacts(t, mem, cs)
	defer l.Release()
	r := &Rates{PerContact: map[string]float64{"phone": 3, "web": 1, "": 2}, PerRepeat: 4,
		PerMinute: map[string]float64{"KCC": 0.5}, MinutesPerStay: 10}
	f, err := Analyze(l, Options{Customer: "customer", Reason: "reason", Chasers: []string{"status"}, Cost: r})
	if err != nil {
		t.Fatal(err)
	}
	c := f.Cost
	// a2: web 1 + 10 min × 0.5 + 4.
	if c.Repeats == nil || c.Repeats.N != 1 || !near(c.Repeats.Total, 1+5+4) {
		t.Errorf("repeats %+v; want 1 costing 10", c.Repeats)
	}
	// c1: phone 3 + 10 min × 0.5.
	if c.Chasers == nil || c.Chasers.N != 1 || !near(c.Chasers.Total, 3+5) {
		t.Errorf("chasers %+v; want 1 costing 8", c.Chasers)
	}
	// Contacts: phone ×3, web, none (the default).
	checkNum(t, "contacts", c.Contacts, 3*3+1+2)
	checkNum(t, "handling", c.Handling, 5*5)
}

// BenchmarkAnalyzeCost10k is BenchmarkAnalyze10k with every rate set, so
// the difference is the cost pass.
func BenchmarkAnalyzeCost10k(b *testing.B) {
	benchAnalyze(b, 10_000, Options{Cost: &Rates{PerMinute: map[string]float64{"": 1}, PerHandoff: 2.5,
		PerWaitingHour: 0.25, MinutesPerEvent: 5, MinutesPerStay: 2}})
}
