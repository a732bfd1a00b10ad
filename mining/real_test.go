package mining_test

import (
	"math"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// The figures of issue 4 for real public logs, from an independent pandas
// computation with the same conventions, and the event and case counts
// published with the logs (../shared/data/README.md).
func TestRealLogs(t *testing.T) {
	type pair struct {
		a, b        string
		occurrences int
	}
	for _, c := range []struct {
		path, department       string
		events, cases          int // 0: not published
		edges, arcs, variants  int
		handoffs, pairs        int // pairs 0: not published
		pingpong, pingCases    int
		top                    pair
		revisits, revisitCases int     // 0: not published
		median, nearest        float64 // seconds; 0: not published
	}{
		{
			path: "receipt/receipt.csv", department: "org:group",
			events: 8577, cases: 1434, edges: 99, arcs: 7143, variants: 116,
			handoffs: 5440, pairs: 43, pingpong: 439, pingCases: 269, top: pair{"EMPTY", "Group 1", 254},
			revisits: 951, revisitCases: 577, median: 2868.58, nearest: 2800.43,
		},
		{
			path: "bpic2014/BPIC14_incident_log.csv", department: "assignment_group",
			events: 39911, cases: 4000, edges: 475, arcs: 35911, variants: 2430,
			handoffs: 9215, pairs: 1442, pingpong: 2345, pingCases: 1117, top: pair{"TEAM0008", "TEAM0086", 149},
			revisits: 3382, revisitCases: 1245,
		},
		{
			path: "bpic2013/incidents.xes.gz", department: "org:group",
			events: 65533, cases: 7554, edges: 81, arcs: 57979, variants: 2278,
			handoffs: 9454, pingpong: 2394, pingCases: 1177, top: pair{"D8", "V37 2nd", 84},
		},
	} {
		t.Run(c.path, func(t *testing.T) {
			l := loadReal(t, c.path, c.department)
			defer l.Release()
			f, err := mining.Analyze(l, mining.Options{})
			if err != nil {
				t.Fatal(err)
			}
			fl, pp := f.Flows, f.PingPong
			check := func(name string, got, want int) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %d, want %d", name, got, want)
				}
			}
			check("events", f.Events, c.events)
			check("cases", len(f.Cases), c.cases)
			check("DFG edges", len(fl.Edges), c.edges)
			check("DFG arcs", fl.Arcs, c.arcs)
			check("activity variants", len(fl.Variants), c.variants)
			check("handoffs", fl.Handoffs, c.handoffs)
			if c.pairs > 0 {
				check("handoff pairs", len(fl.Pairs), c.pairs)
			}
			check("ping-pong occurrences", pp.Occurrences, c.pingpong)
			check("ping-pong cases", pp.Cases, c.pingCases)
			if len(pp.Pairs) == 0 {
				t.Fatal("no ping-pong pair")
			}
			if top := pp.Pairs[0]; top.A != c.top.a || top.B != c.top.b || top.Occurrences != c.top.occurrences {
				t.Errorf("top pair {%s, %s} with %d, want {%s, %s} with %d", top.A, top.B, top.Occurrences, c.top.a, c.top.b, c.top.occurrences)
			}
			if c.revisits > 0 {
				check("revisits", pp.Revisits, c.revisits)
				check("revisit cases", pp.RevisitCases, c.revisitCases)
			}
			if c.median > 0 {
				if lt := f.LeadTime; math.Abs(lt.Median-c.median) > 0.005 || math.Abs(lt.MedianNearest-c.nearest) > 0.005 {
					t.Errorf("lead-time median %.3f s (nearest rank %.3f), want %.2f (%.2f)", lt.Median, lt.MedianNearest, c.median, c.nearest)
				}
			}
		})
	}
}
