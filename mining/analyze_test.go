package mining

import (
	"errors"
	"fmt"
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
	wantCase := Case{Events: 1, Measured: true, Lead: 0, Variant: 0, Path: 0}
	if f.Cases[0] != wantCase || f.CaseID(0) != "a" {
		t.Errorf("case %s %+v", f.CaseID(0), f.Cases[0])
	}
	lt := f.LeadTime
	// Three cases are fewer than MinStratum: no service level, no long case.
	if lt.N != 3 || lt.Long != 0 || len(lt.Strata) != 1 || lt.Strata[0].N != 3 || lt.Strata[0].Judged {
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
// for {P, Q}, the last a closing return (back to P, its first unit, for its
// last stay), so two count as ping-pong; P Q R P has none but one revisit.
func TestPingPongOverlaps(t *testing.T) {
	f := analyze(t, []ev{
		{"a", "x", "09:00", "P", ""}, {"a", "x", "09:01", "Q", ""}, {"a", "x", "09:03", "P", ""},
		{"a", "x", "09:06", "Q", ""}, {"a", "x", "09:10", "P", ""},
		{"b", "x", "09:00", "P", ""}, {"b", "x", "09:01", "Q", ""}, {"b", "x", "09:02", "R", ""}, {"b", "x", "09:03", "P", ""},
	}, Options{})
	pp := f.PingPong
	// Returns: P left 09:00 back 09:03 (180 s), Q 09:01→09:06 (300), and
	// the closing P 09:03→09:10 (420), left out; case a, the only one on
	// {P, Q}, takes 09:00→09:10 (600 s).
	if want := []Pair{{"P", "Q", 2, 1, 240, 1, 600}}; !reflect.DeepEqual(pp.Pairs, want) {
		t.Errorf("pairs %+v", pp.Pairs)
	}
	if pp.Occurrences != 2 || pp.Cases != 1 || pp.Closing != 1 || pp.Revisits != 4 || pp.RevisitCases != 2 {
		t.Errorf("ping-pong %+v", pp)
	}
	checkNum(t, "closing rate", pp.ClosingRate, 0.5)
	if c := f.Cases; c[0].PingPong != 2 || !c[0].Closing || c[0].Revisits != 3 || c[1].PingPong != 0 || c[1].Closing || c[1].Revisits != 1 {
		t.Errorf("cases %+v", f.Cases)
	}
}

// Unit names are bytes: non-ASCII names survive, and order is byte order.
func TestUnicodeNames(t *testing.T) {
	f := analyze(t, []ev{
		{"ü1", "Anfrage", "09:00", "Küche", ""}, {"ü1", "Prüfung", "09:20", "出納", ""}, {"ü1", "Anfrage", "09:30", "Küche", ""},
		{"ü1", "Ende", "09:40", "Ärger", ""}, // so the return to Küche is not a closing one
		{"ü2", "Anfrage", "09:00", "Ärger", ""}, {"ü2", "Prüfung", "09:20", "Küche", ""},
	}, Options{})
	if want := []Pair{{"Küche", "出納", 1, 1, 1800, 1, 2400}}; !reflect.DeepEqual(f.PingPong.Pairs, want) {
		t.Errorf("pairs %+v", f.PingPong.Pairs)
	}
	var names []string
	for _, u := range f.Silos.Units {
		names = append(names, u.Name)
	}
	if want := []string{"Küche", "Ärger", "出納"}; !reflect.DeepEqual(names, want) {
		t.Errorf("units %q, want %q", names, want)
	}
	if f.CaseID(0) != "ü1" || f.CaseID(1) != "ü2" {
		t.Errorf("case ids %q, %q", f.CaseID(0), f.CaseID(1))
	}
}

// At resource level the same definitions run on the resource column.
func TestResourceLevel(t *testing.T) {
	evs := []ev{
		{"a", "x", "09:00", "P", "Ann"}, {"a", "y", "09:10", "P", "Bob"}, {"a", "z", "09:30", "P", "Ann"},
		{"a", "w", "09:40", "P", "Cy"}, // so the return to Ann is not a closing one
	}
	f := analyze(t, evs, Options{Level: Resource})
	if f.Flows.Handoffs != 3 || f.PingPong.Occurrences != 1 || f.Options.Level != Resource {
		t.Errorf("resource level: handoffs %d, ping-pong %d", f.Flows.Handoffs, f.PingPong.Occurrences)
	}
	if want := []Pair{{"Ann", "Bob", 1, 1, 1800, 1, 2400}}; !reflect.DeepEqual(f.PingPong.Pairs, want) {
		t.Errorf("pairs %+v", f.PingPong.Pairs)
	}
	if g := analyze(t, evs, Options{}); g.Flows.Handoffs != 0 || g.Silos.Units[0].Gaps != 3 {
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

// The long-case rule per stratum of By, missing values last. Phone has 40
// cases of 1…40 min, its own P90 36.1 min (h = 39·0.9 = 35.1 between 36 and
// 37) and four long cases. Web's three cases of 100 min are too few for a
// quantile of their own, so they share the log's P90 with the case without
// a channel (5 min): of the 44 lead times 1, 2, 3, 4, 5, 5, 6, …, 40, 100,
// 100, 100, h = 43·0.9 = 38.7 lies between 38 and 39 min: 38.7 min.
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
	for d := 1; d <= 40; d++ {
		add(fmt.Sprint("phone", d), "phone", 0, d)
	}
	for i := range 3 {
		add(fmt.Sprint("web", i), "web", 0, 100)
	}
	add("z", "", 0, 5)
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for _, c := range []struct {
		name string
		opt  Options
		want []Stratum
		long int
	}{
		{"quantile", Options{By: eventlog.Channel}, []Stratum{
			{Name: "phone", N: 40, Limit: 36.1 * 60, Judged: true, Long: 4},
			{Name: "", N: 4, Limit: 38.7 * 60, Judged: true, Long: 3},
		}, 7},
		{"P50", Options{By: eventlog.Channel, LongQuantile: 0.5}, []Stratum{
			{Name: "phone", N: 40, Limit: 20.5 * 60, Judged: true, Long: 20},
			{Name: "", N: 4, Limit: 21.5 * 60, Judged: true, Long: 3},
		}, 23},
		{"one stratum", Options{}, []Stratum{{N: 44, Limit: 38.7 * 60, Judged: true, Long: 5}}, 5},
		// SLAs per value; fax has no case but is listed, so a misspelt value shows.
		{"SLAs", Options{By: eventlog.Channel, SLA: 2 * time.Hour, SLAs: map[string]time.Duration{"phone": 30 * time.Minute, "fax": time.Hour}}, []Stratum{
			{Name: "fax", Limit: 3600, Judged: true},
			{Name: "phone", N: 40, Limit: 1800, Judged: true, Long: 10},
			{Name: "", N: 4, Limit: 7200, Judged: true},
		}, 10},
		{"SLAs without a default", Options{By: eventlog.Channel, SLAs: map[string]time.Duration{"web": time.Hour}}, []Stratum{
			{Name: "web", N: 3, Limit: 3600, Judged: true, Long: 3},
			{Name: "", N: 41},
		}, 3},
		{"one SLA", Options{SLA: 39 * time.Minute}, []Stratum{{N: 44, Limit: 39 * 60, Judged: true, Long: 4}}, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Analyze(l, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			lt := f.LeadTime
			got := lt.Strata
			if len(got) != len(c.want) {
				t.Fatalf("strata %+v, want %+v", got, c.want)
			}
			for i, s := range got {
				w := c.want[i]
				if s.Name != w.Name || s.N != w.N || s.Long != w.Long || s.Judged != w.Judged || !near(s.Limit, w.Limit) {
					t.Errorf("stratum %+v, want %+v", s, w)
				}
			}
			n := 0
			for _, k := range f.Cases {
				if k.Long {
					n++
				}
			}
			if lt.Long != c.long || n != c.long {
				t.Errorf("long %d, %d cases marked; want %d", lt.Long, n, c.long)
			}
			wantRule := RuleQuantile
			if c.opt.SLA > 0 || c.opt.SLAs != nil {
				wantRule = RuleSLA
			}
			if lt.Rule != wantRule {
				t.Errorf("rule %q, want %q", lt.Rule, wantRule)
			}
		})
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
		{MinRatio: math.Inf(1)}, {SLA: -time.Hour}, {LongQuantile: 1}, {LongQuantile: -0.1},
		{By: eventlog.Channel, SLAs: map[string]time.Duration{"phone": 0}}, {SLAs: map[string]time.Duration{"phone": time.Hour}}, {From: "Opne"}, {To: "Close"}, {By: "nope"}, {By: "amount"},
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
	if !SameFindings(got, want) {
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
			if !SameFindings(got, want) {
				t.Errorf("%+v: findings with %d workers differ from 1", opt, w)
			}
		}
	}
}
