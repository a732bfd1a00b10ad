package mining

import (
	"fmt"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
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
