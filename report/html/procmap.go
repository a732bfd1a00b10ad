package html

import (
	"cmp"
	"slices"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/mining"
)

// The process map draws the most frequent directly-follows edges, enough
// to cover MapCoverage of all arcs but at least MinMapEdges and at most
// MaxMapEdges, and the page says how many of how many; the transitions
// table lists more. Start and end edges are drawn for the activities
// that start (end) at least MinEndShare of the cases, at most MaxEnds.
const (
	MapCoverage = 0.95
	MinMapEdges = 12
	MaxMapEdges = 40
	MinEndShare = 0.02
	MaxEnds     = 6
)

// mapEdges is the number of edges the process map draws.
func mapEdges(fl *mining.Flows) int {
	n, arcs := 0, 0
	for n < len(fl.Edges) && n < MaxMapEdges && (n < MinMapEdges || float64(arcs) < MapCoverage*float64(fl.Arcs)) {
		arcs += fl.Edges[n].Count
		n++
	}
	return n
}

// Hot is the number of map edges marked as the ones where most case time
// goes: the largest count × mean time.
const Hot = 3

// Colours of the lead-time chart and its legend; the graphs' colours are
// drawing's.
const (
	colLong  = "#e69f00" // Okabe–Ito orange: long cases
	colOther = "#56b4e9" // Okabe–Ito sky blue: other cases
)

// procMap draws the activity process map: a box per activity with its
// events, start and end, and the most frequent directly-follows edges
// (mapEdges) with their count and median time, laid out by
// drawing.Layered. It returns the drawing and the number of edges drawn.
func procMap(fl *mining.Flows) (string, int) {
	edges := fl.Edges[:mapEdges(fl)]
	events := map[string]int{} // an activity's events: arcs into it plus the cases it starts
	for _, e := range fl.Edges {
		events[e.To] += e.Count
	}
	for _, s := range fl.Starts {
		events[s.Activity] += s.Cases
	}
	maxEvents := 1
	for _, n := range events {
		maxEvents = max(maxEvents, n)
	}
	g := drawing.Graph{Label: "Process map", Boxes: []drawing.Box{{Kind: drawing.Start}, {Kind: drawing.End}}}
	index := map[string]int{}
	node := func(a string) int {
		if i, ok := index[a]; ok {
			return i
		}
		index[a] = len(g.Boxes)
		g.Boxes = append(g.Boxes, drawing.Box{Name: a, Sub: plural(events[a], "event", "events"), Fill: drawing.Shade(float64(events[a]) / float64(maxEvents))})
		return len(g.Boxes) - 1
	}
	hot := hotEdges(edges)
	top := 1
	if len(edges) > 0 {
		top = edges[0].Count
	}
	for i, e := range edges {
		d := drawing.Edge{From: node(e.From), To: node(e.To), Weight: float64(e.Count),
			Width: drawing.Width(e.Count, top),
			Label: count(e.Count) + " · " + dur(e.Median),
			Title: drawtext.Name(e.From) + " → " + drawtext.Name(e.To) + ": " + count(e.Count) + " times; median " + dur(e.Median) + ", mean " + dur(e.Mean) + ", P90 " + dur(e.P90)}
		if hot[i] {
			d.Mark = drawing.Hot
		}
		g.Edges = append(g.Edges, d)
	}
	// Start and end edges carry cases, not time.
	cases := 0
	for _, s := range fl.Starts {
		cases += s.Cases
	}
	ends := func(list []mining.Endpoint, start bool) {
		shown := 0
		for k, s := range list {
			i, ok := index[s.Activity]
			if !ok || shown == MaxEnds || (k > 0 && float64(s.Cases) < MinEndShare*float64(cases)) {
				continue
			}
			shown++
			e := drawing.Edge{From: 0, To: i, Weight: float64(s.Cases), Width: 1.2, Dashed: true,
				Label: plural(s.Cases, "case", "cases"), Title: plural(s.Cases, "case", "cases") + " start with " + drawtext.Name(s.Activity)}
			if !start {
				e.From, e.To = i, 1
				e.Title = plural(s.Cases, "case", "cases") + " end with " + drawtext.Name(s.Activity)
			}
			g.Edges = append(g.Edges, e)
		}
	}
	ends(fl.Starts, true)
	ends(fl.Ends, false)
	if len(index) == 0 {
		return "", 0
	}
	return drawing.Layered(g), len(edges)
}

// hotEdges marks the Hot edges with the largest total time, count × mean.
func hotEdges(edges []mining.Edge) []bool {
	idx := make([]int, 0, len(edges))
	for i, e := range edges {
		if e.Mean > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(float64(edges[b].Count)*edges[b].Mean, float64(edges[a].Count)*edges[a].Mean)
	})
	hot := make([]bool, len(edges))
	for _, i := range idx[:min(Hot, len(idx))] {
		hot[i] = true
	}
	return hot
}
