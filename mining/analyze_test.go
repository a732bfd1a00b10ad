package mining

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

func edges(f *Findings) map[[2]string]Edge {
	out := map[[2]string]Edge{}
	for _, e := range f.Flows.Edges {
		out[[2]string{e.From, e.To}] = e
	}
	return out
}

// Equal timestamps keep their input order, whatever the order of the
// other events.
func TestTimestampTies(t *testing.T) {
	f := analyze(t, []ev{
		{"x", "Late", "10:05", "P", ""},
		{"x", "First", "10:00", "Q", ""},
		{"x", "Second", "10:00", "P", ""},
		{"y", "Second", "10:00", "P", ""},
		{"y", "First", "10:00", "Q", ""},
	}, Options{})
	want := map[[2]string]int{{"First", "Second"}: 1, {"Second", "Late"}: 1, {"Second", "First"}: 1}
	got := edges(f)
	if len(got) != len(want) {
		t.Fatalf("edges %v", got)
	}
	for k, n := range want {
		if got[k].Count != n {
			t.Errorf("edge %v: %d, want %d", k, got[k].Count, n)
		}
	}
	checkNum(t, "Second→Late median", got[[2]string{"Second", "Late"}].Median, 300)
	// x: Q, P (Second), P (Late) is two stays; y: P, Q.
	if want := []Variant{{[]string{"Q", "P"}, 1, 0.5}, {[]string{"P", "Q"}, 1, 0.5}}; !reflect.DeepEqual(f.Flows.Paths, want) {
		t.Errorf("paths %+v", f.Flows.Paths)
	}
	if f.Cases[0].Lead != 300 || f.Cases[1].Lead != 0 {
		t.Errorf("lead times %v, %v; want 300, 0", f.Cases[0].Lead, f.Cases[1].Lead)
	}
}

// A single-event case has a lead time of 0, no arc and no handoff, starts
// and ends with its activity, and is never long under the fence.
func TestSingleEventCases(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "Open", "09:00", "P", ""},
		{"b", "Open", "09:00", "", ""},
		{"c", "Open", "09:00", "P", ""},
		{"c", "Close", "10:00", "P", ""},
	}, Options{})
	if f.Flows.Arcs != 1 || f.Flows.Handoffs != 0 || len(f.Cases) != 3 {
		t.Fatalf("arcs %d handoffs %d cases %d", f.Flows.Arcs, f.Flows.Handoffs, len(f.Cases))
	}
	if want := []Endpoint{{"Open", 3}}; !reflect.DeepEqual(f.Flows.Starts, want) {
		t.Errorf("starts %+v", f.Flows.Starts)
	}
	if want := []Endpoint{{"Open", 2}, {"Close", 1}}; !reflect.DeepEqual(f.Flows.Ends, want) {
		t.Errorf("ends %+v", f.Flows.Ends)
	}
	wantCase := Case{ID: "a", Events: 1, Measured: true, Lead: 0, Variant: 0, Path: 0}
	if f.Cases[0] != wantCase {
		t.Errorf("case a %+v", f.Cases[0])
	}
	lt := f.LeadTime
	if lt.N != 3 || lt.Long != 0 || len(lt.Strata) != 1 || lt.Strata[0].N != 1 {
		t.Errorf("lead times %+v", lt)
	}
	checkNum(t, "median", lt.Median, 0)
	checkNum(t, "mean", lt.Mean, 1200)
}

// Cases without any department have the empty path, no stays, and their
// time is outside any stay.
func TestNoDepartment(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "Open", "09:00", "", ""},
		{"a", "Close", "09:30", "", ""},
		{"b", "Open", "09:00", "", ""},
		{"b", "Close", "10:30", "", ""},
		{"c", "Open", "09:00", "P", ""},
	}, Options{SLA: time.Hour})
	if want := []Variant{{[]string{}, 2, 2.0 / 3}, {[]string{"P"}, 1, 1.0 / 3}}; !reflect.DeepEqual(f.Flows.Paths, want) {
		t.Errorf("paths %+v", f.Flows.Paths)
	}
	if f.Flows.Handoffs != 0 || f.PingPong.Revisits != 0 || len(f.Silos.Units) != 1 || f.Silos.Communities != nil {
		t.Errorf("flows %+v silos %+v", f.Flows, f.Silos)
	}
	w := f.LeadTime.Where
	checkNum(t, "long total", w.LongTotal, 5400)
	checkNum(t, "long none", w.LongNone, 5400)
	checkNum(t, "other none", w.OtherNone, 1800)
	if len(w.Units) != 1 || w.Units[0] != (Share{Unit: "P"}) {
		t.Errorf("where %+v", w.Units)
	}
	// A log without a department column at all.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	b.Add(&eventlog.Event{Case: []byte("a"), Activity: []byte("Open"), Time: 1, Start: eventlog.NoTime})
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if g, err := Analyze(l, Options{Level: Resource}); err != nil || len(g.Flows.Paths) != 1 || len(g.Flows.Paths[0].Steps) != 0 {
		t.Errorf("no resources: %v, %+v", err, g)
	}
}

// An event without a department belongs to no stay and does not break one:
// the gap inside P skips it, and so does the handoff delay to Q.
func TestEventWithoutDepartmentInsideStay(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "A", "09:00", "P", ""},
		{"a", "Note", "09:10", "", ""},
		{"a", "B", "09:30", "P", ""},
		{"a", "Mail", "09:40", "", ""},
		{"a", "C", "10:30", "Q", ""},
	}, Options{})
	if f.Flows.Handoffs != 1 || f.Cases[0].Handoffs != 1 {
		t.Fatalf("handoffs %d", f.Flows.Handoffs)
	}
	if want := []Handoff{{"P", "Q", 1, 3600}}; !reflect.DeepEqual(f.Flows.Pairs, want) {
		t.Errorf("pairs %+v", f.Flows.Pairs)
	}
	p := f.Silos.Units[0]
	if p.Name != "P" || p.Gaps != 1 || p.Gap != 1800 {
		t.Errorf("unit %+v, want P with one gap of 1800 s", p)
	}
	if want := []Variant{{[]string{"P", "Q"}, 1, 1}}; !reflect.DeepEqual(f.Flows.Paths, want) {
		t.Errorf("paths %+v", f.Flows.Paths)
	}
}

// Ping-pong over stays: P Q P Q P has three occurrences, overlapping, all
// for {P, Q}; P Q R P has none but one revisit.
func TestPingPongOverlaps(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "x", "09:00", "P", ""}, {"a", "x", "09:01", "Q", ""}, {"a", "x", "09:03", "P", ""},
		{"a", "x", "09:06", "Q", ""}, {"a", "x", "09:10", "P", ""},
		{"b", "x", "09:00", "P", ""}, {"b", "x", "09:01", "Q", ""}, {"b", "x", "09:02", "R", ""}, {"b", "x", "09:03", "P", ""},
	}, Options{})
	pp := f.PingPong
	// Returns: P left 09:00 back 09:03 (180 s), Q 09:01→09:06 (300), P 09:03→09:10 (420);
	// case a, the only one on {P, Q}, takes 09:00→09:10 (600 s).
	if want := []Pair{{"P", "Q", 3, 1, 300, 1, 600}}; !reflect.DeepEqual(pp.Pairs, want) {
		t.Errorf("pairs %+v", pp.Pairs)
	}
	if pp.Occurrences != 3 || pp.Cases != 1 || pp.Revisits != 4 || pp.RevisitCases != 2 {
		t.Errorf("ping-pong %+v", pp)
	}
	if f.Cases[0].PingPong != 3 || f.Cases[0].Revisits != 3 || f.Cases[1].PingPong != 0 || f.Cases[1].Revisits != 1 {
		t.Errorf("cases %+v", f.Cases)
	}
}

// Unit names are bytes: non-ASCII names survive, and order is byte order.
func TestUnicodeNames(t *testing.T) {
	f := analyze(t, []ev{
		{"ü1", "Anfrage", "09:00", "Küche", ""}, {"ü1", "Prüfung", "09:20", "出納", ""}, {"ü1", "Anfrage", "09:30", "Küche", ""},
		{"ü2", "Anfrage", "09:00", "Ärger", ""}, {"ü2", "Prüfung", "09:20", "Küche", ""},
	}, Options{})
	if want := []Pair{{"Küche", "出納", 1, 1, 1800, 1, 1800}}; !reflect.DeepEqual(f.PingPong.Pairs, want) {
		t.Errorf("pairs %+v", f.PingPong.Pairs)
	}
	var names []string
	for _, u := range f.Silos.Units {
		names = append(names, u.Name)
	}
	if want := []string{"Küche", "出納", "Ärger"}; !reflect.DeepEqual(names, want) {
		t.Errorf("units %q, want %q", names, want)
	}
	if f.Cases[0].ID != "ü1" {
		t.Errorf("case id %q", f.Cases[0].ID)
	}
}

// At resource level the same definitions run on the resource column.
func TestResourceLevel(t *testing.T) {
	evs := []ev{
		{"a", "x", "09:00", "P", "Ann"}, {"a", "y", "09:10", "P", "Bob"}, {"a", "z", "09:30", "P", "Ann"},
	}
	f := analyze(t, evs, Options{Level: Resource})
	if f.Flows.Handoffs != 2 || f.PingPong.Occurrences != 1 || f.Options.Level != Resource {
		t.Errorf("resource level: handoffs %d, ping-pong %d", f.Flows.Handoffs, f.PingPong.Occurrences)
	}
	if want := []Pair{{"Ann", "Bob", 1, 1, 1800, 1, 1800}}; !reflect.DeepEqual(f.PingPong.Pairs, want) {
		t.Errorf("pairs %+v", f.PingPong.Pairs)
	}
	if g := analyze(t, evs, Options{}); g.Flows.Handoffs != 0 || g.Silos.Units[0].Gaps != 2 {
		t.Errorf("department level: %+v", g.Flows)
	}
}

// From/To: the lead time runs from the first From to the last To; a case
// without them, or with To only before From, has none. The split is
// clipped to that window.
func TestFromTo(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "Open", "09:00", "P", ""}, {"a", "Start", "09:10", "P", ""}, {"a", "Start", "09:20", "Q", ""},
		{"a", "Done", "10:00", "Q", ""}, {"a", "Done", "11:00", "R", ""}, {"a", "Close", "12:00", "R", ""},
		{"b", "Done", "09:00", "P", ""}, {"b", "Start", "09:30", "P", ""},
		{"c", "Open", "09:00", "P", ""},
	}, Options{From: "Start", To: "Done", SLA: time.Minute})
	if c := f.Cases[0]; !c.Measured || c.Lead != 6600 || !c.Long {
		t.Errorf("case a %+v, want lead 6600", c)
	}
	if f.Cases[1].Measured || f.Cases[2].Measured || f.LeadTime.N != 1 {
		t.Errorf("cases b, c measured: %+v", f.Cases[1:])
	}
	// Window 09:10–11:00: P stay 09:10 (clipped), wait into Q 600, Q stay
	// 09:20–10:00 2400, wait into R 3600.
	w := f.LeadTime.Where
	got := map[string]Share{}
	for _, s := range w.Units {
		got[s.Unit] = s
	}
	if got["Q"].LongWait != 600 || got["Q"].LongStay != 2400 || got["R"].LongWait != 3600 || got["P"].LongStay != 0 {
		t.Errorf("where %+v", w.Units)
	}
	checkNum(t, "long total", w.LongTotal, 6600)
	checkNum(t, "none", w.LongNone, 0)
}

// Tukey's fence per stratum of By, missing values last.
func TestStrata(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	add := func(c, ch string, mins ...int) {
		for _, m := range mins {
			b.Add(&eventlog.Event{Case: []byte(c), Activity: []byte("x"), Time: int64(m) * 60e6, Start: eventlog.NoTime,
				Department: []byte("P"), Channel: []byte(ch)})
		}
	}
	// Phone: 10, 10, 10, 10, 100 minutes; the last is far above the fence
	// (Q1 = Q3 = 10 min). Web: 100, 100, 100: none long. One case without a channel.
	for i, d := range []int{10, 10, 10, 10, 100} {
		add(string(rune('a'+i)), "phone", 0, d)
	}
	for i := range 3 {
		add(string(rune('p'+i)), "web", 0, 100)
	}
	add("z", "", 0, 5)
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	f, err := Analyze(l, Options{By: eventlog.Channel})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stratum{
		{Name: "phone", N: 5, Q1: 600, Q3: 600, Fence: 600, Long: 1},
		{Name: "web", N: 3, Q1: 6000, Q3: 6000, Fence: 6000},
		{Name: "", N: 1, Q1: 300, Q3: 300, Fence: 300},
	}
	if len(f.LeadTime.Strata) != 3 {
		t.Fatalf("strata %+v", f.LeadTime.Strata)
	}
	for i, s := range f.LeadTime.Strata {
		w := want[i]
		if s.Name != w.Name || s.N != w.N || s.Long != w.Long || !near(s.Q1, w.Q1) || !near(s.Q3, w.Q3) || !near(s.Fence, w.Fence) {
			t.Errorf("stratum %+v, want %+v", s, w)
		}
	}
	if f.LeadTime.Long != 1 || !f.Cases[4].Long {
		t.Errorf("long %d", f.LeadTime.Long)
	}
	// Without By, one stratum: Q1 = 10 min, Q3 = 100 min, fence far above.
	g, err := Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.LeadTime.Strata) != 1 || g.LeadTime.Long != 0 {
		t.Errorf("one stratum: %+v", g.LeadTime.Strata)
	}
}

func TestOptionErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	b.Add(&eventlog.Event{Case: []byte("a"), Activity: []byte("Open"), Time: 1, Start: eventlog.NoTime})
	i, err := b.Attr("amount", eventlog.Int)
	if err != nil {
		t.Fatal(err)
	}
	b.SetNum(i, 5)
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for _, o := range []Options{
		{Level: "team"}, {MinSupport: -1}, {FDR: 1}, {FDR: -0.1}, {FDR: math.NaN()}, {MinRatio: -2},
		{MinRatio: math.Inf(1)}, {SLA: -time.Hour}, {From: "Opne"}, {To: "Close"}, {By: "nope"}, {By: "amount"},
	} {
		if _, err := Analyze(l, o); !errors.Is(err, ErrOption) {
			t.Errorf("%+v: error %v, want ErrOption", o, err)
		}
	}
	if _, err := Analyze(nil, Options{}); !errors.Is(err, ErrNoLog) {
		t.Errorf("nil log: %v", err)
	}
	f, err := Analyze(l, Options{From: "Open", To: "Open"})
	if err != nil || f.Options.MinSupport != DefaultMinSupport || f.Options.FDR != DefaultFDR || f.Options.MinRatio != DefaultMinRatio || f.Options.Level != Department {
		t.Errorf("defaults: %v %+v", err, f.Options)
	}
}

func TestEmptyLog(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := eventlog.NewBuilder().Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	f, err := Analyze(l, Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if f.Events != 0 || len(f.Cases) != 0 || len(f.Flows.Edges) != 0 || f.LeadTime.N != 0 || f.PingPong.Effect.P != 1 {
		t.Errorf("empty log: %+v", f)
	}
}

// Variants stay exact when every sequence has the same hash.
func TestHashCollisions(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := synth(t, mem, 400, 5)
	defer l.Release()
	want, err := Analyze(l, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	saved := hashSeq
	defer func() { hashSeq = saved }()
	hashSeq = func([]int32) int64 { return 42 }
	got, err := Analyze(l, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings differ under hash collisions")
	}
	if len(want.Flows.Variants) < 50 {
		t.Errorf("only %d variants: the test needs many", len(want.Flows.Variants))
	}
}

// The findings do not depend on the number of workers.
func TestWorkersDeterministic(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := synth(t, mem, 3000, 11)
	defer l.Release()
	for _, opt := range []Options{{}, {Level: Resource, MinSupport: 5}, {From: "A1.0", To: "A3.1", By: eventlog.Channel}} {
		opt.Workers = 1
		want, err := Analyze(l, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []int{2, 3, 7} {
			opt.Workers = w
			got, err := Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: findings with %d workers differ from 1", opt, w)
			}
		}
	}
}
