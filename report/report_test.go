package report

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/caseflow/caseflow/mining"
)

// depOpt is the department-level analysis of the worked example with an
// SLA and a support low enough to test two departments, as in
// docs/definitions.md.
var depOpt = mining.Options{MinSupport: 2, SLA: 90 * time.Minute}

// TestThreeCasesFigures checks the JSON document of the worked example of
// docs/definitions.md against the numbers computed by hand there.
func TestThreeCasesFigures(t *testing.T) {
	doc := decode(t, newReport(t, threeCases, depOpt, Options{}))
	for _, tc := range []struct {
		path string
		want any // float64 for numbers, string, bool or nil
	}{
		{"schema", "caseflow.report/v2"},
		{"input.rows", 14.0}, {"input.events", 14.0}, {"input.rejected", 0.0},
		{"input.from", "2024-03-04T09:00:00Z"}, {"input.to", "2024-03-04T11:30:00Z"},
		{"options.level", "department"}, {"options.min_support", 2.0}, {"options.fdr", 0.05}, {"options.sla_s", 5400.0},
		{"log.cases", 3.0}, {"log.activities", 7.0}, {"log.departments", 3.0}, {"log.resources", 4.0}, {"log.units", 3.0},
		{"flows.dfg_edges", 10.0}, {"flows.dfg_arcs", 11.0}, {"flows.variants", 3.0}, {"flows.paths", 3.0},
		{"flows.handoffs", 7.0}, {"flows.handoff_pairs", 4.0},
		{"flows.edges.0.from", "Register"}, {"flows.edges.0.to", "Check"}, {"flows.edges.0.count", 2.0},
		{"flows.edges.0.median_s", 300.0}, {"flows.edges.0.p90_s", 540.0},
		{"flows.start_activities.0.activity", "Register"}, {"flows.start_activities.0.cases", 3.0},
		{"flows.top_paths.0.steps.4", "Front"}, {"flows.top_paths.0.coverage", 0.333333},
		{"flows.handoff_matrix.0.from", "Front"}, {"flows.handoff_matrix.0.handoffs", 3.0}, {"flows.handoff_matrix.0.median_delay_s", 600.0},
		{"flows.handoff_matrix.1.from", "Back"}, {"flows.handoff_matrix.1.median_delay_s", 2550.0},
		{"flows.handoff_matrix.3.from", "Legal"}, {"flows.handoff_matrix.3.median_delay_s", 3600.0},
		// c1's last return to Front, its first department, closes it: a closing return, not ping-pong.
		{"pingpong.occurrences", 2.0}, {"pingpong.cases", 1.0}, {"pingpong.case_rate", 0.333333},
		{"pingpong.closing_returns", 1.0}, {"pingpong.closing_rate", 0.333333},
		{"pingpong.revisits", 4.0}, {"pingpong.revisit_cases", 2.0}, {"pingpong.pair_count", 1.0},
		{"pingpong.pairs.0.a", "Back"}, {"pingpong.pairs.0.b", "Front"}, {"pingpong.pairs.0.occurrences", 2.0},
		{"pingpong.pairs.0.cases", 1.0}, {"pingpong.pairs.0.return_median_s", 2700.0},
		// c1 alone ping-pongs: its lead time 7,200 against the median 5,400 of c2 and c3.
		{"pingpong.pairs.0.lead_cases", 1.0}, {"pingpong.pairs.0.lead_median_s", 7200.0}, {"pingpong.pairs.0.extra_median_s", 1800.0},
		{"pingpong.effect.median_with_s", 7200.0}, {"pingpong.effect.median_without_s", 5400.0},
		// 1 case with ping-pong and 2 without are fewer than mining.MinCases:
		// no shift, interval or test (docs/definitions.md works them out).
		{"pingpong.effect.shift_s", nil}, {"pingpong.effect.shift_low_s", nil}, {"pingpong.effect.shift_high_s", nil},
		{"pingpong.effect.u", nil}, {"pingpong.effect.p", nil},
		{"lead_time.cases", 3.0}, {"lead_time.unmeasured", 0.0}, {"lead_time.mean_s", 6000.0},
		{"lead_time.median_s", 7200.0}, {"lead_time.median_nearest_s", 7200.0},
		{"lead_time.median_low_s", nil}, {"lead_time.median_high_s", nil}, {"lead_time.median_coverage", nil},
		{"lead_time.p75_s", 8100.0}, {"lead_time.p90_s", 8640.0}, {"lead_time.p95_s", 8820.0}, {"lead_time.p99_s", 8964.0},
		{"lead_time.max_s", 9000.0}, {"lead_time.long_rule", "sla"}, {"lead_time.strata.0.limit_s", 5400.0}, {"lead_time.long_cases", 2.0}, {"lead_time.long_rate", 0.666667},
		{"lead_time.longest.0.case", "c2"}, {"lead_time.longest.1.case", "c1"}, {"lead_time.longest.2.case", "c3"},
		{"lead_time.longest.1.path.1", "Back"}, {"lead_time.longest.1.pingpong", 2.0},
		{"lead_time.where.long_total_s", 16200.0}, {"lead_time.where.other_total_s", 1800.0},
		{"lead_time.where.units.0.unit", "Back"}, {"lead_time.where.units.0.long_share", 0.351852},
		{"lead_time.where.units.1.unit", "Legal"}, {"lead_time.where.units.2.unit", "Front"},
		{"lead_time.where.units.2.long_share", 0.537037}, {"lead_time.where.units.2.other_share", 1.0},
		{"silos.tested", 0.0}, {"silos.flagged", 0.0}, {"silos.units_tested", 2.0}, {"silos.units_flagged", 0.0},
		{"silos.communities.0.2", "Legal"}, {"silos.modularity", 0.0}, {"silos.crossing_share", 0.0},
		{"silos.units.0.name", "Back"}, {"silos.units.0.entry_median_s", 600.0}, {"silos.units.0.gap_median_s", 1950.0},
		{"silos.units.0.bounces", 2.0}, {"silos.units.0.bounce_rate", 0.666667}, {"silos.units.0.community", 1.0},
		{"silos.units.0.tested", true}, {"silos.units.0.others", 4.0}, {"silos.units.0.others_median_s", 2550.0},
		{"silos.units.0.shift_s", -1950.0}, {"silos.units.0.u", 0.0}, {"silos.units.0.p", 0.98980},
		{"silos.units.1.name", "Front"}, {"silos.units.1.ratio", 3.66667}, {"silos.units.1.shift_s", 1950.0},
		{"silos.units.1.shift_low_s", 0.0}, {"silos.units.1.shift_high_s", 3600.0}, {"silos.units.1.u", 11.5},
		{"silos.units.1.p", 0.03723}, {"silos.units.1.p_adjusted", 0.07446}, {"silos.units.1.silo", false},
		{"silos.units.2.name", "Legal"}, {"silos.units.2.gaps", 0.0}, {"silos.units.2.gap_median_s", nil},
		{"silos.units.2.tested", false}, {"silos.units.2.ratio", nil}, {"silos.units.2.shift_s", nil},
	} {
		got := get(t, doc, tc.path)
		switch want := tc.want.(type) {
		case float64:
			n, ok := got.(json.Number)
			if !ok {
				t.Errorf("%s = %v (%T), want the number %v", tc.path, got, got, want)
				continue
			}
			// Hand-computed values are rounded to what the report prints
			// (6 significant digits); the Mann–Whitney p keeps 3.
			f, _ := n.Float64()
			if math.Abs(f-want) > 1e-3*max(1e-3, math.Abs(want)) {
				t.Errorf("%s = %v, want %v", tc.path, f, want)
			}
		default:
			if got != want {
				t.Errorf("%s = %v, want %v", tc.path, got, want)
			}
		}
	}
}

// TestOrderMatchesMining checks that re-sorting after naming keeps
// mining's documented order when names stay as they are.
func TestOrderMatchesMining(t *testing.T) {
	f, in := analyse(t, randomLog(t, 400, 5), mining.Options{MinSupport: 5})
	r, err := New(f, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &r.doc
	for i, h := range f.Flows.Pairs {
		if g := d.Flows.HandoffMatrix[i]; g.From != h.From || g.To != h.To {
			t.Fatalf("handoff %d: %s→%s, mining has %s→%s", i, g.From, g.To, h.From, h.To)
		}
	}
	for i, u := range f.Silos.Units {
		if d.Silos.Units[i].Name != u.Name {
			t.Fatalf("unit %d: %s, mining has %s", i, d.Silos.Units[i].Name, u.Name)
		}
	}
	for i, b := range f.Silos.Boundaries {
		if g := d.Silos.Boundaries[i]; g.From != b.From || g.To != b.To {
			t.Fatalf("boundary %d: %s→%s, mining has %s→%s", i, g.From, g.To, b.From, b.To)
		}
	}
	for i, s := range f.LeadTime.Where.Units {
		if d.LeadTime.Where.Units[i].Unit != s.Unit {
			t.Fatalf("where %d: %s, mining has %s", i, d.LeadTime.Where.Units[i].Unit, s.Unit)
		}
	}
	for i, c := range f.Silos.Communities {
		if !slices.Equal(d.Silos.Communities[i], c) {
			t.Fatalf("community %d: %v, mining has %v", i, d.Silos.Communities[i], c)
		}
	}
	if len(f.Silos.Boundaries) == 0 || len(f.PingPong.Pairs) < 2 {
		t.Fatalf("the random log should test boundaries and have several pairs: %d, %d", len(f.Silos.Boundaries), len(f.PingPong.Pairs))
	}
}

// TestPairsTiedOnOccurrences: {A, B} and {C, D} both ping-pong twice,
// {A, B} twice in one case (F A B A B F), {C, D} once in each of two
// (F C D C F), so the pair with more cases comes first although its
// names sort later (docs/definitions.md: occurrences, cases, names).
func TestPairsTiedOnOccurrences(t *testing.T) {
	var evs []ev
	for c, path := range [][]string{{"F", "A", "B", "A", "B", "F"}, {"F", "C", "D", "C", "F"}, {"F", "C", "D", "C", "F"}} {
		for i, u := range path {
			evs = append(evs, ev{"c" + itoa(c), "step", clockAt(10 * (i + 1)), u, "r"})
		}
	}
	f, in := analyse(t, evs, mining.Options{})
	r, err := New(f, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.doc.PingPong.Pairs {
		got = append(got, fmt.Sprintf("%s-%s %d/%d", p.A, p.B, p.Occurrences, p.Cases))
	}
	if want := []string{"C-D 2/2", "A-B 2/1"}; !slices.Equal(got, want) {
		t.Fatalf("pairs %v, want %v", got, want)
	}
}

// TestPairCostsMatchMining recounts, from the cases' unit paths, the cases
// that ping-pong on each pair and their median lead time by brute force
// (a closing return, back to the first department for the last stay, is
// no ping-pong), and compares with what mining reports. All cases have a lead time
// without From and To, so the counts must equal mining's case counts.
func TestPairCostsMatchMining(t *testing.T) {
	f, in := analyse(t, randomLog(t, 500, 4), mining.Options{})
	r, err := New(f, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.PingPong.Pairs {
		var leads []float64
		for _, c := range f.Cases {
			s := r.paths[c.Path]
			for i := 0; i+2 < len(s); i++ {
				closing := i+3 == len(s) && s[i+2] == s[0]
				if s[i] == s[i+2] && s[i] != s[i+1] && !closing && min(s[i], s[i+1]) == p.A && max(s[i], s[i+1]) == p.B {
					leads = append(leads, c.Lead)
					break
				}
			}
		}
		slices.Sort(leads)
		want := leads[len(leads)/2]
		if len(leads)%2 == 0 {
			want = (leads[len(leads)/2-1] + want) / 2
		}
		if p.LeadCases != len(leads) || p.LeadCases != p.Cases || math.Abs(p.LeadMedian-want) > 1e-9 {
			t.Errorf("{%s, %s}: %d cases (mining's ping-pong cases %d), median %v; recounted %d, median %v",
				p.A, p.B, p.LeadCases, p.Cases, p.LeadMedian, len(leads), want)
		}
	}
}

// randomLog makes n cases wandering between k departments, with a fixed
// seed (a linear congruential generator, so the log never changes).
func randomLog(t testing.TB, n, k int) []ev {
	t.Helper()
	state := uint64(42)
	next := func(m int) int {
		state = state*6364136223846793005 + 1442695040888963407
		return int(state>>33) % m
	}
	var evs []ev
	for c := range n {
		steps := 2 + next(8)
		minute := next(60)
		for range steps {
			minute += 1 + next(50)
			evs = append(evs, ev{"case-" + itoa(c), "act" + itoa(next(6)), clockAt(minute), "dept" + itoa(next(k)), "agent" + itoa(next(9))})
		}
	}
	return evs
}

func itoa(i int) string { return strconv.Itoa(i) }

func clockAt(minute int) string {
	return time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(minute) * time.Minute).Format("15:04")
}
