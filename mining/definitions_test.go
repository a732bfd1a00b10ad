package mining

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/caseflow/caseflow/internal/handlog"
)

// threeCases is the worked example of docs/definitions.md.
var threeCases = handlog.ThreeCases

func TestDefinitionsExample(t *testing.T) {
	f := analyze(t, threeCases, Options{MinSupport: 2, SLA: 90 * time.Minute})

	// A. Flows.
	fl := f.Flows
	if fl.Arcs != 11 || len(fl.Edges) != 10 {
		t.Fatalf("arcs %d, edges %d; want 11, 10", fl.Arcs, len(fl.Edges))
	}
	top := fl.Edges[0]
	if top.From != "Register" || top.To != "Check" || top.Count != 2 {
		t.Fatalf("top edge %+v", top)
	}
	checkNum(t, "Register→Check median", top.Median, 300)
	checkNum(t, "Register→Check mean", top.Mean, 300)
	checkNum(t, "Register→Check P90", top.P90, 540)
	wantEdges := map[[2]string]float64{
		{"Check", "Ask"}: 1800, {"Ask", "Check"}: 1200, {"Check", "Decide"}: 300, {"Decide", "Close"}: 3300,
		{"Check", "Note"}: 1200, {"Note", "Decide"}: 2400, {"Decide", "Review"}: 1800, {"Review", "Close"}: 3600,
		{"Register", "Close"}: 1800,
	}
	for _, e := range fl.Edges[1:] {
		want, ok := wantEdges[[2]string{e.From, e.To}]
		if !ok || e.Count != 1 || !near(e.Median, want) || !near(e.Mean, want) || !near(e.P90, want) {
			t.Errorf("edge %+v, want count 1 and %v s", e, want)
		}
	}
	if want := []Endpoint{{"Register", 3}}; !reflect.DeepEqual(fl.Starts, want) {
		t.Errorf("starts %+v", fl.Starts)
	}
	if want := []Endpoint{{"Close", 3}}; !reflect.DeepEqual(fl.Ends, want) {
		t.Errorf("ends %+v", fl.Ends)
	}
	third := 1.0 / 3
	wantVariants := []Variant{
		{[]string{"Register", "Check", "Ask", "Check", "Decide", "Close"}, 1, third},
		{[]string{"Register", "Check", "Note", "Decide", "Review", "Close"}, 1, third},
		{[]string{"Register", "Close"}, 1, third},
	}
	if !reflect.DeepEqual(fl.Variants, wantVariants) {
		t.Errorf("variants %+v", fl.Variants)
	}
	wantPaths := []Variant{
		{[]string{"Front", "Back", "Front", "Back", "Front"}, 1, third},
		{[]string{"Front", "Back", "Legal", "Front"}, 1, third},
		{[]string{"Front"}, 1, third},
	}
	if !reflect.DeepEqual(fl.Paths, wantPaths) {
		t.Errorf("paths %+v", fl.Paths)
	}
	if fl.Handoffs != 7 {
		t.Errorf("handoffs %d, want 7", fl.Handoffs)
	}
	wantPairs := []Handoff{
		{"Front", "Back", 3, 600}, {"Back", "Front", 2, 2550},
		{"Back", "Legal", 1, 1800}, {"Legal", "Front", 1, 3600},
	}
	if !reflect.DeepEqual(fl.Pairs, wantPairs) {
		t.Errorf("pairs %+v", fl.Pairs)
	}

	// B. Ping-pong.
	pp := f.PingPong
	// c1 goes Front Back Front Back Front: three direct returns, the last
	// back to its first unit for its last stay, a closing return; its
	// round trips, 09:00→09:40 and 09:10→10:00, have the median 2,700 s.
	if pp.Occurrences != 2 || pp.Cases != 1 || pp.Closing != 1 || pp.Revisits != 4 || pp.RevisitCases != 2 {
		t.Errorf("ping-pong %d in %d cases, closing %d, revisits %d in %d; want 2, 1, 1, 4, 2",
			pp.Occurrences, pp.Cases, pp.Closing, pp.Revisits, pp.RevisitCases)
	}
	checkNum(t, "case rate", pp.CaseRate, third)
	checkNum(t, "closing rate", pp.ClosingRate, third)
	if want := []Pair{{"Back", "Front", 2, 1, 2700, 1, 7200}}; !reflect.DeepEqual(pp.Pairs, want) {
		t.Errorf("pairs %+v", pp.Pairs)
	}
	wantEffect := Effect{With: 1, Without: 2, MedianWith: 7200, MedianWithout: 5400,
		Shift: 1800, Low: -1800, High: 5400, U: 1, P: 1}
	if pp.Effect != wantEffect {
		t.Errorf("effect %+v, want %+v", pp.Effect, wantEffect)
	}

	// C. Silos. Internal gaps are descriptive; no boundary has a second
	// sender with 2 handoffs, so only Back and Front are tested, each
	// against the 4 handoffs into the other units.
	si := f.Silos
	wantUnits := []Unit{
		{Name: "Back", In: 3, Out: 3, Partners: 2, Entry: 600, Gaps: 2, Gap: 1950, Bounces: 2, BounceRate: 2.0 / 3, Tested: true},
		{Name: "Front", In: 3, Out: 3, Partners: 2, Entry: 3300, Gaps: 1, Gap: 1800, Bounces: 1, BounceRate: 1.0 / 3, Tested: true},
		{Name: "Legal", In: 1, Out: 1, Partners: 2, Entry: 1800},
	}
	// Back: 0, 600, 1,200 against 1,800, 1,800, 3,300, 3,600: U = 0; one
	// tie group of 2 in N = 7, variance 12/12·(8 − 6/42) = 7.857,
	// z = (0 − 6 − ½)/2.8031 = −2.319, p = 0.98980. The 12 differences run
	// −3,600 … −600; the 6th and 7th are −2,100 and −1,800; C = ⌊6 −
	// 1.96·√8⌋ = 0 → 1. Front: 1,800, 3,300, 3,600 against 0, 600, 1,200,
	// 1,800: U = 3.5 + 4 + 4 = 11.5, z = 5/2.8031 = 1.784, p = 0.03723;
	// differences 0 … 3,600, 6th and 7th 1,800 and 2,100. BH over the two:
	// 0.03723·2 = 0.07446 and 0.98980.
	wantWait := []Comparison{
		{N: 3, M: 4, Median: 600, OthersMedian: 2550, Ratio: 600.0 / 2550, Shift: -1950, Low: -3600, High: -600, U: 0, P: 0.98980, PAdjusted: 0.98980},
		{N: 3, M: 4, Median: 3300, OthersMedian: 900, Ratio: 3300.0 / 900, Shift: 1950, Low: 0, High: 3600, U: 11.5, P: 0.03723, PAdjusted: 0.07446},
		{},
	}
	if len(si.Units) != len(wantUnits) {
		t.Fatalf("units %+v", si.Units)
	}
	for i, u := range si.Units {
		got, want := u, wantUnits[i]
		checkComparison(t, u.Name, got.Wait, wantWait[i])
		got.Wait = Comparison{}
		if got != want {
			t.Errorf("unit\n got %+v\nwant %+v", got, want)
		}
		if u.Silo {
			t.Errorf("%s flagged: adjusted p above 5 %% and shift under 1 h", u.Name)
		}
	}
	if len(si.Boundaries) != 0 {
		t.Errorf("boundaries %+v, want none: no receiver has two senders with 2 handoffs", si.Boundaries)
	}
	if want := [][]string{{"Back", "Front", "Legal"}}; !reflect.DeepEqual(si.Communities, want) {
		t.Errorf("communities %v", si.Communities)
	}
	checkNum(t, "modularity", si.Modularity, 0)
	checkNum(t, "crossing", si.Crossing, 0)

	// D. Lead times.
	lt := f.LeadTime
	if lt.N != 3 {
		t.Fatalf("N = %d", lt.N)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean", lt.Mean, 6000}, {"median", lt.Median, 7200}, {"nearest-rank median", lt.MedianNearest, 7200},
		{"P75", lt.P75, 8100}, {"P90", lt.P90, 8640}, {"P95", lt.P95, 8820}, {"P99", lt.P99, 8964}, {"max", lt.Max, 9000},
		{"median low", lt.MedianLow, 1800}, {"median high", lt.MedianHigh, 9000}, {"coverage", lt.MedianCoverage, 0.75},
		{"SLA", lt.SLA, 5400},
	} {
		checkNum(t, c.name, c.got, c.want)
	}
	if want := []Stratum{{N: 3, Limit: 5400, Judged: true, Long: 2}}; lt.Long != 2 || lt.Rule != RuleSLA || !reflect.DeepEqual(lt.Strata, want) {
		t.Errorf("long %d by %q, strata %+v; want 2 long by the SLA", lt.Long, lt.Rule, lt.Strata)
	}
	w := lt.Where
	checkNum(t, "long total", w.LongTotal, 16200)
	checkNum(t, "other total", w.OtherTotal, 1800)
	checkNum(t, "long none", w.LongNone, 0)
	wantShares := []Share{
		{Unit: "Back", LongStay: 3900, LongWait: 1800, LongShare: 5700.0 / 16200},
		{Unit: "Legal", LongWait: 1800, LongShare: 1800.0 / 16200},
		{Unit: "Front", LongWait: 8700, OtherStay: 1800, LongShare: 8700.0 / 16200, OtherShare: 1},
	}
	if !reflect.DeepEqual(w.Units, wantShares) {
		t.Errorf("where\n got %+v\nwant %+v", w.Units, wantShares)
	}

	// The per-case table.
	wantIDs := []string{"c1", "c2", "c3"}
	wantCases := []Case{
		{Events: 6, Measured: true, Lead: 7200, Handoffs: 4, PingPong: 2, Revisits: 3, Closing: true, Long: true, Variant: 0, Path: 0},
		{Events: 6, Measured: true, Lead: 9000, Handoffs: 3, Revisits: 1, Long: true, Variant: 1, Path: 1},
		{Events: 2, Measured: true, Lead: 1800, Variant: 2, Path: 2},
	}
	if !reflect.DeepEqual(f.Cases, wantCases) {
		t.Errorf("cases\n got %+v\nwant %+v", f.Cases, wantCases)
	}
	for k, want := range wantIDs {
		if got := f.CaseID(k); got != want {
			t.Errorf("case %d is %q, want %q", k, got, want)
		}
	}
}

// Without an SLA, a case is long above the P90 of lead times, but only
// from MinStratum measured cases on: three are too few, so no case is long
// and the one stratum is not judged.
func TestDefinitionsExampleQuantile(t *testing.T) {
	f := analyze(t, threeCases, Options{})
	lt := f.LeadTime
	if want := []Stratum{{N: 3}}; lt.Rule != RuleQuantile || lt.Quantile != 0.9 || lt.Long != 0 || !reflect.DeepEqual(lt.Strata, want) {
		t.Errorf("rule %q at %v, long %d, strata %+v; want no case judged", lt.Rule, lt.Quantile, lt.Long, lt.Strata)
	}
	if si := f.Silos; len(si.Boundaries) != 0 || si.Units[0].Tested || si.Communities != nil {
		t.Errorf("silos %+v computed below the default support of 30", si)
	}
	checkNum(t, "where: other total", lt.Where.OtherTotal, 18000)

	// Ten copies of each case, 30 in all: the P90 is 9,000 s (h = 29·0.9 =
	// 26.1 falls among c2's copies), and no case is above it.
	var tenfold []ev
	for i := range 10 {
		for _, e := range threeCases {
			e[0] += fmt.Sprint("-", i)
			tenfold = append(tenfold, e)
		}
	}
	lt = analyze(t, tenfold, Options{}).LeadTime
	if want := []Stratum{{N: 30, Limit: 9000, Judged: true}}; lt.Long != 0 || !reflect.DeepEqual(lt.Strata, want) {
		t.Errorf("tenfold: long %d, strata %+v; want %+v", lt.Long, lt.Strata, want)
	}
}

// The --from/--to and resource-level figures of the worked example.
func TestDefinitionsExampleVariants(t *testing.T) {
	f := analyze(t, threeCases, Options{From: "Check", To: "Close"})
	if c := f.Cases; !c[0].Measured || c[0].Lead != 6600 || !c[1].Measured || c[1].Lead != 9000 || c[2].Measured {
		t.Errorf("from Check to Close: %+v", c)
	}
	r := analyze(t, threeCases, Options{Level: Resource})
	pp := r.PingPong
	// c1 goes Ann Bob Ann Bob Cy Ann: its last return, from Cy, is no
	// direct ping-pong, so no closing return either.
	if r.Flows.Handoffs != 9 || pp.Occurrences != 2 || pp.Closing != 0 || pp.Revisits != 4 || pp.RevisitCases != 2 {
		t.Errorf("resource level: handoffs %d, ping-pong %d, closing %d, revisits %d in %d", r.Flows.Handoffs, pp.Occurrences, pp.Closing, pp.Revisits, pp.RevisitCases)
	}
	if len(pp.Pairs) != 1 || pp.Pairs[0].A != "Ann" || pp.Pairs[0].B != "Bob" {
		t.Errorf("resource pairs %+v", pp.Pairs)
	}
	want := []int32{5, 4, 0}
	for k, c := range r.Cases {
		if c.Handoffs != want[k] {
			t.Errorf("case %s: %d handoffs, want %d", r.CaseID(k), c.Handoffs, want[k])
		}
	}
}

// checkComparison compares c with want, p-values to 5 decimals (they are
// worked out by hand to that precision).
func checkComparison(t *testing.T, name string, c, want Comparison) {
	t.Helper()
	round := func(p float64) float64 { return math.Round(p*1e5) / 1e5 }
	c.P, c.PAdjusted = round(c.P), round(c.PAdjusted)
	if c != want {
		t.Errorf("%s:\n got %+v\nwant %+v", name, c, want)
	}
}

// The boundary test on a hand-made log: 4 cases hand off from KCC to
// Permits after 2, 3, 5 and 8 hours, 4 from Web after 10, 20, 30 and
// 40 minutes. Each boundary is compared with the other sender's handoffs.
func TestDefinitionsBoundary(t *testing.T) {
	var evs []ev
	for i, w := range []string{"11:00", "12:00", "14:00", "17:00"} {
		evs = append(evs, ev{fmt.Sprint("k", i), "Ask", "09:00", "KCC", ""}, ev{fmt.Sprint("k", i), "Decide", w, "Permits", ""})
	}
	for i, w := range []string{"09:10", "09:20", "09:30", "09:40"} {
		evs = append(evs, ev{fmt.Sprint("w", i), "Ask", "09:00", "Web", ""}, ev{fmt.Sprint("w", i), "Decide", w, "Permits", ""})
	}
	f := analyze(t, evs, Options{MinSupport: 4})
	b := f.Silos.Boundaries
	if len(b) != 2 || b[0].From != "KCC" || b[1].From != "Web" || !b[0].Silo || b[1].Silo {
		t.Fatalf("boundaries %+v, want KCC→Permits flagged, then Web→Permits", b)
	}
	// KCC→Permits: every KCC wait is longer, U = 16 of 16, no ties,
	// variance 4·4·9/12 = 12, z = (16 − 8 − ½)/√12 = 2.165, p = 0.01519.
	// The 16 differences sorted: 4,800 5,400 6,000 6,600 8,400 9,000 9,600
	// 10,200 | 15,600 … 28,200; the median is (10,200 + 15,600)/2 = 12,900;
	// C = ⌊8 − 1.96·√12⌋ = 1. Web→Permits: U = 0, z = −8.5/√12, p = 0.99293.
	// BH: 0.01519·2 = 0.03038. Medians 4 h against 25 min: ratio 9.6.
	checkComparison(t, "KCC→Permits", b[0].Comparison, Comparison{N: 4, M: 4, Median: 14400, OthersMedian: 1500, Ratio: 9.6,
		Shift: 12900, Low: 4800, High: 28200, U: 16, P: 0.01519, PAdjusted: 0.03038})
	checkComparison(t, "Web→Permits", b[1].Comparison, Comparison{N: 4, M: 4, Median: 1500, OthersMedian: 14400, Ratio: 1500.0 / 14400,
		Shift: -12900, Low: -28200, High: -4800, U: 0, P: 0.99293, PAdjusted: 0.99293})
	// Permits has all 8 handoffs, so nothing is left to compare it with.
	for _, u := range f.Silos.Units {
		if u.Tested {
			t.Errorf("unit %s tested", u.Name)
		}
	}
}
