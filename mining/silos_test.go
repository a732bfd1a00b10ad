package mining

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/caseflow/caseflow/eventlog"
)

// Two groups of departments that hand off among themselves, and one
// handoff between them: 10 cases A B C A, 10 cases D E F D, one case C D.
// 61 handoffs, 30 inside each group, every group's degree 61:
// Q = 2·(30/61 − (61/122)²) = 0.48361, crossing share 1/61.
func TestCommunities(t *testing.T) {
	var evs []ev
	path := func(id string, depts ...string) {
		for i, d := range depts {
			evs = append(evs, ev{id, "x", fmt.Sprintf("09:%02d", i), d, ""})
		}
	}
	for i := range 10 {
		path(fmt.Sprint("abc", i), "A", "B", "C", "A")
		path(fmt.Sprint("def", i), "D", "E", "F", "D")
	}
	path("cd", "C", "D")
	for _, seed := range []uint64{0, 1, 2} {
		f := analyze(t, evs, Options{Seed: seed})
		si := f.Silos
		if want := [][]string{{"A", "B", "C"}, {"D", "E", "F"}}; !reflect.DeepEqual(si.Communities, want) {
			t.Errorf("seed %d: communities %v", seed, si.Communities)
		}
		checkNum(t, "modularity", si.Modularity, 2*(30.0/61-0.25))
		checkNum(t, "crossing", si.Crossing, 1.0/61)

		// gonum's Q of the same partition agrees.
		g := simple.NewWeightedUndirectedGraph(0, 0)
		id := map[string]int64{"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5}
		for _, p := range f.Flows.Pairs {
			u, v := simple.Node(id[p.From]), simple.Node(id[p.To])
			w := float64(p.Count)
			if e := g.WeightedEdge(u.ID(), v.ID()); e != nil {
				w += e.Weight()
			}
			g.SetWeightedEdge(g.NewWeightedEdge(u, v, w))
		}
		var parts [][]graph.Node
		for _, c := range si.Communities {
			var nodes []graph.Node
			for _, name := range c {
				nodes = append(nodes, simple.Node(id[name]))
			}
			parts = append(parts, nodes)
		}
		checkNum(t, "gonum Q", community.Q(g, parts, 1), si.Modularity)
	}
}

// Events of a stay less than the resolution apart are one step: a burst
// of updates in the same second is no gap of 0 s. B's events at 10:00:00
// (twice), 10:00:01, 10:00:30 and 10:02:00: counting every pair of
// neighbours gives 0, 1, 29, 90 (median 15); by steps, identical times
// merge (1, 29, 90: median 29), and at a minute's resolution the first
// three are one step (gap 120).
func TestResolutionSteps(t *testing.T) {
	evs := []ev{
		{"c", "a", "09:00:00", "A"}, {"c", "b", "10:00:00", "B"}, {"c", "b", "10:00:00", "B"}, {"c", "b", "10:00:01", "B"},
		{"c", "b", "10:00:30", "B"}, {"c", "b", "10:02:00", "B"},
	}
	for _, c := range []struct {
		res  time.Duration
		gaps int
		gap  float64
	}{{0, 3, 29}, {time.Second, 3, 29}, {time.Minute, 1, 120}} {
		f := analyze(t, evs, Options{Resolution: c.res})
		var b Unit
		for _, u := range f.Silos.Units {
			if u.Name == "B" {
				b = u
			}
		}
		if b.Gaps != c.gaps || b.Gap != c.gap {
			t.Errorf("resolution %v: %d gaps, median %v s; want %d, %v s", c.res, b.Gaps, b.Gap, c.gaps, c.gap)
		}
	}
	if _, err := Analyze(nil, Options{}); err == nil {
		t.Error("nil log analysed")
	}
	if _, err := Analyze(&eventlog.Log{}, Options{Resolution: -time.Second}); !errors.Is(err, ErrOption) {
		t.Errorf("negative resolution: %v", err)
	}
}

// Below the minimum support nothing is computed: a three-event log has no
// test, no interval and no communities, whatever its numbers.
func TestTooFewForSilos(t *testing.T) {
	evs := []ev{{"c", "a", "09:00", "A"}, {"c", "b", "10:00", "B"}, {"c", "c", "11:00", "A"}}
	f := analyze(t, evs, Options{})
	si := f.Silos
	if len(si.Boundaries) != 0 || si.Communities != nil || si.Modularity != 0 || si.Crossing != 0 {
		t.Errorf("silos computed on 2 handoffs: %+v", si)
	}
	for _, u := range si.Units {
		if u.Tested || u.Silo || u.Wait != (Comparison{}) {
			t.Errorf("unit %+v tested", u)
		}
	}
}

// No figure of the silo section is ever infinite or NaN, even when every
// handoff into a unit but one sender's is instantaneous and a unit works
// without gaps (bursts at one instant).
func TestSilosFinite(t *testing.T) {
	var evs []ev
	for i := range 40 {
		a, w := fmt.Sprint("a", i), fmt.Sprint("w", i)
		evs = append(evs, ev{a, "x", "09:00", "A"}, ev{a, "y", fmt.Sprintf("%02d:00", 10+i%10), "B"}, ev{a, "y", fmt.Sprintf("%02d:00", 10+i%10), "B"},
			ev{w, "x", "09:00", "W"}, ev{w, "y", "09:00", "B"}, ev{w, "y", "09:00", "B"})
	}
	f := analyze(t, evs, Options{})
	bad := func(x float64) bool { return math.IsInf(x, 0) || math.IsNaN(x) }
	for _, b := range f.Silos.Boundaries {
		c := b.Comparison
		if bad(c.Ratio) || bad(c.Shift) || bad(c.P) || bad(c.PAdjusted) || bad(c.Low) || bad(c.High) {
			t.Errorf("boundary %+v", b)
		}
		if b.From == "A" && (c.OthersMedian != 0 || c.Ratio != 0 || !b.Silo) {
			t.Errorf("A→B against instant handoffs: %+v, want no ratio and a silo", b)
		}
	}
	for _, u := range f.Silos.Units {
		if bad(u.Gap) || bad(u.Entry) || bad(u.Wait.Ratio) || u.Gaps != 0 {
			t.Errorf("unit %+v", u)
		}
	}
}

// Options.BoundaryWaits keeps each tested boundary's handoff delays:
// A hands 40 cases to B after 1 to 10 hours (four of each), W hands 40 at
// once. Without the option no wait is kept.
func TestBoundaryWaits(t *testing.T) {
	var evs []ev
	var want []int64
	for i := range 40 {
		a, w := fmt.Sprint("a", i), fmt.Sprint("w", i)
		evs = append(evs, ev{a, "x", "09:00", "A"}, ev{a, "y", fmt.Sprintf("%02d:00", 10+i%10), "B"},
			ev{w, "x", "09:00", "W"}, ev{w, "y", "09:00", "B"})
		want = append(want, int64(1+i%10)*3600e6)
	}
	slices.Sort(want)
	for _, keep := range []bool{false, true} {
		f := analyze(t, evs, Options{BoundaryWaits: keep})
		if len(f.Silos.Boundaries) != 2 {
			t.Fatalf("%d boundaries tested, want A→B and W→B", len(f.Silos.Boundaries))
		}
		for _, b := range f.Silos.Boundaries {
			switch {
			case !keep && b.Waits != nil:
				t.Errorf("%s→%s kept %d waits without BoundaryWaits", b.From, b.To, len(b.Waits))
			case keep && b.From == "A" && !slices.Equal(b.Waits, want):
				t.Errorf("A→B waits %v, want %v", b.Waits, want)
			case keep && b.From == "W" && !slices.Equal(b.Waits, make([]int64, 40)):
				t.Errorf("W→B waits %v, want 40 zeros", b.Waits)
			}
		}
	}
}
