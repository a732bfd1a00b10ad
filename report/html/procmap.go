package html

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/mining"
)

// The page's process map comes in a few levels of detail, each laid out
// here by drawing.Layered (the engine of the exported SVG) and embedded
// in the page; the page's sliders pick one, and its script only changes
// labels, widths and colours for the chosen measure. Laying out in Go
// keeps one drawing engine and keeps the page's script small; the cost is
// a fixed number of drawings (len(MapActivities) × len(MapTransitions) at
// most), each bounded by MaxMapEdges, so the page's size does not grow
// with the log.
//
// MapActivities are the activity counts the first slider offers (the
// most frequent by events, then all up to MaxMapActivities);
// MapTransitions the edge counts the second offers (start and end edges
// included). DefaultActivities and DefaultTransitions are the levels shown
// first: the transitions as many as the exported map's --map-detail
// default.
var (
	MapActivities  = []int{5, 10, 20, 40}
	MapTransitions = []int{10, 20, 30, 50, MaxMapEdges}
)

const (
	MaxMapActivities   = 60
	MaxMapEdges        = 80
	DefaultActivities  = 20
	DefaultTransitions = 30
	// Hot is the number of edges drawn bold in vermillion: the largest by
	// the measure shown (count, when the page's script does not run).
	Hot = 3
)

// Colours of the lead-time chart and its legend; the graphs' colours are
// drawing's.
const (
	colLong  = "#e69f00" // Okabe–Ito orange: long cases
	colOther = "#56b4e9" // Okabe–Ito sky blue: other cases
)

// Endpoint ids of a map edge: the start and end boxes.
const (
	startNode = -1
	endNode   = -2
)

// mapEdge is an edge the map can draw: between activities (indexes into
// mapData.Acts) or from start / to end, with its count and the cases that
// take it. Start and end edges carry cases, not time: Timed is false.
type mapEdge struct {
	From, To          int
	Count, Cases      int
	Median, Mean, P90 float64
	Timed             bool
	fromName, toName  string
}

// Measures of the map's edges, in the order of mapEdge.values and of the
// page's measure menu.
var measures = []struct{ ID, Name string }{
	{"count", "frequency: transitions"}, {"cases", "frequency: cases"},
	{"median", "time: median"}, {"mean", "time: mean"}, {"p90", "time: P90"}, {"total", "time: total (count × mean)"},
}

// values are the edge's figures in the order of measures; time figures of
// an untimed edge are -1.
func (e *mapEdge) values() []float64 {
	if !e.Timed {
		return []float64{float64(e.Count), float64(e.Cases), -1, -1, -1, -1}
	}
	return []float64{float64(e.Count), float64(e.Cases), e.Median, e.Mean, e.P90, float64(e.Count) * e.Mean}
}

// labels are the edge's labels in the order of measures: time labels of
// a start or end edge show its cases.
func (e *mapEdge) labels(l *lang) []string {
	v := e.values()
	out := []string{l.count(e.Count), l.count(e.Cases)}
	for _, x := range v[2:] {
		if !e.Timed {
			out = append(out, l.plural(e.Cases, "%d case", "%d cases"))
			continue
		}
		out = append(out, l.dur(x))
	}
	return out
}

// mapLevel is one drawing of the map: Acts activities and Edges edges,
// the drawn edges' ids (indexes into mapData.Edges) in the order the
// drawing's paths and labels come, and what the page says about it.
type mapLevel struct {
	Acts, Edges int
	SVG         string
	Order       []int
	Note        string
}

// mapData is the process map: every activity by events, every edge the
// levels draw, and the levels.
type mapData struct {
	Acts    []string
	Events  []int
	Edges   []mapEdge
	Levels  []mapLevel
	Default int // index into Levels
}

// stepPairCases counts, for each pair of consecutive steps, the cases in
// which it occurs, from the variants: each distinct sequence once, times
// its cases.
func stepPairCases(vs []mining.Variant) map[[2]string]int {
	out := map[[2]string]int{}
	seen := map[[2]string]bool{}
	for _, v := range vs {
		clear(seen)
		for i := 1; i < len(v.Steps); i++ {
			k := [2]string{v.Steps[i-1], v.Steps[i]}
			if !seen[k] {
				seen[k] = true
				out[k] += v.Count
			}
		}
	}
	return out
}

// processMap builds the map's levels. An activity's events are the arcs
// into it plus the cases it starts. At each level the Acts most frequent
// activities are shown and, as Disco does (Günther & Rozinat 2012), each
// keeps its most frequent incoming and outgoing edge among what is shown,
// start and end included, so that the map stays connected; then the most
// frequent other edges are added up to the level's count. A log without
// activities gives no levels.
func (l *lang) processMap(fl *mining.Flows) *mapData {
	events := map[string]int{}
	for _, e := range fl.Edges {
		events[e.To] += e.Count
	}
	for _, s := range fl.Starts {
		events[s.Activity] += s.Cases
	}
	d := &mapData{}
	for a := range events {
		d.Acts = append(d.Acts, a)
	}
	slices.SortFunc(d.Acts, func(a, b string) int { return cmp.Or(events[b]-events[a], strings.Compare(a, b)) })
	if len(d.Acts) == 0 {
		return d
	}
	d.Acts = d.Acts[:min(len(d.Acts), MaxMapActivities)]
	index := map[string]int{}
	for i, a := range d.Acts {
		index[a] = i
		d.Events = append(d.Events, events[a])
	}
	cases := stepPairCases(fl.Variants)
	for _, e := range fl.Edges {
		i, ok := index[e.From]
		j, ok2 := index[e.To]
		if ok && ok2 {
			d.Edges = append(d.Edges, mapEdge{From: i, To: j, Count: e.Count, Cases: cases[[2]string{e.From, e.To}],
				Median: e.Median, Mean: e.Mean, P90: e.P90, Timed: true, fromName: e.From, toName: e.To})
		}
	}
	for _, s := range fl.Starts {
		if i, ok := index[s.Activity]; ok {
			d.Edges = append(d.Edges, mapEdge{From: startNode, To: i, Count: s.Cases, Cases: s.Cases, toName: s.Activity})
		}
	}
	for _, s := range fl.Ends {
		if i, ok := index[s.Activity]; ok {
			d.Edges = append(d.Edges, mapEdge{From: i, To: endNode, Count: s.Cases, Cases: s.Cases, fromName: s.Activity})
		}
	}
	// Most frequent first; ties keep the findings' order.
	slices.SortStableFunc(d.Edges, func(a, b mapEdge) int { return b.Count - a.Count })

	acts := levels(MapActivities, len(d.Acts), MaxMapActivities)
	for _, na := range acts {
		shown := func(i int) bool { return i < 0 || i < na }
		var cands []int
		for k, e := range d.Edges {
			if shown(e.From) && shown(e.To) {
				cands = append(cands, k)
			}
		}
		need := connecting(d.Edges, cands, na)
		for _, ne := range levels(MapTransitions, len(cands), MaxMapEdges) {
			ne = max(ne, len(need))
			if n := len(d.Levels); n > 0 && d.Levels[n-1].Acts == na && d.Levels[n-1].Edges == ne {
				continue
			}
			pick := slices.Clone(need)
			for _, k := range cands {
				if len(pick) == ne {
					break
				}
				if !slices.Contains(need, k) {
					pick = append(pick, k)
				}
			}
			slices.Sort(pick) // most frequent first
			lv := d.draw(l, na, pick)
			lv.Note = l.f("%s of %s activities and %s of %s edges drawn (start and end included), the most frequent, each activity with at least its most frequent way in and out.",
				l.count(na), l.count(len(events)), l.count(len(pick)), l.count(len(fl.Edges)+len(fl.Starts)+len(fl.Ends)))
			d.Levels = append(d.Levels, lv)
		}
	}
	// The default: the level nearest DefaultActivities, then DefaultTransitions.
	dist := func(a, b int) int { return max(a-b, b-a) }
	best := func(l mapLevel) [2]int {
		return [2]int{dist(min(DefaultActivities, len(d.Acts)), l.Acts), dist(DefaultTransitions, l.Edges)}
	}
	for i, l := range d.Levels {
		b, c := best(l), best(d.Levels[d.Default])
		if b[0] < c[0] || b[0] == c[0] && b[1] < c[1] {
			d.Default = i
		}
	}
	return d
}

// levels are the steps of a slider over 1…n: those of steps below n, then
// n itself up to most.
func levels(steps []int, n, most int) []int {
	var out []int
	for _, s := range steps {
		if s < n {
			out = append(out, s)
		}
	}
	if n > 0 {
		out = append(out, min(n, most))
	}
	return slices.Compact(out)
}

// connecting returns, in edge order, the edges among cands that keep
// every one of the first na activities connected: its most frequent edge
// in and its most frequent edge out.
func connecting(edges []mapEdge, cands []int, na int) []int {
	in, out := make([]int, na), make([]int, na)
	for i := range na {
		in[i], out[i] = -1, -1
	}
	for _, k := range cands { // in count order: the first seen is the most frequent
		e := edges[k]
		if e.To >= 0 && in[e.To] < 0 && e.From != e.To {
			in[e.To] = k
		}
		if e.From >= 0 && out[e.From] < 0 && e.From != e.To {
			out[e.From] = k
		}
	}
	var need []int
	for _, k := range append(in, out...) {
		if k >= 0 && !slices.Contains(need, k) {
			need = append(need, k)
		}
	}
	slices.Sort(need)
	return need
}

// draw lays out the first na activities and the edges pick (ids into
// d.Edges) with their counts as labels, padded with figure spaces to the
// widest label of any measure, so that the page's script can show another
// measure's label in the room the layout left. The Hot most frequent
// edges between activities are marked.
func (d *mapData) draw(l *lang, na int, pick []int) mapLevel {
	g := drawing.Graph{Label: l.f("Process map"), Boxes: []drawing.Box{{Kind: drawing.Start, Name: l.f("start")}, {Kind: drawing.End, Name: l.f("end")}}}
	box := map[int]int{startNode: 0, endNode: 1}
	maxEvents := max(1, d.Events[0])
	node := func(a int) int {
		if i, ok := box[a]; ok {
			return i
		}
		box[a] = len(g.Boxes)
		g.Boxes = append(g.Boxes, drawing.Box{Name: d.Acts[a], Sub: l.plural(d.Events[a], "%d event", "%d events"), Fill: drawing.Shade(float64(d.Events[a]) / float64(maxEvents))})
		return box[a]
	}
	for a := range na {
		node(a)
	}
	top := 1
	for _, k := range pick {
		top = max(top, d.Edges[k].Count)
	}
	hot := 0
	for _, k := range pick {
		e := &d.Edges[k]
		labels := e.labels(l)
		wide := 0.0
		for _, l := range labels {
			wide = max(wide, drawing.LabelWidth(l, true))
		}
		label := labels[0]
		for drawing.LabelWidth(label, true) < wide {
			label += "\u2007" // a figure space: blank, and kept by SVG
		}
		de := drawing.Edge{From: node(e.From), To: node(e.To), Weight: float64(e.Count), Width: drawing.Width(e.Count, top), Label: label, Title: e.title(l)}
		if e.Timed {
			if hot < Hot {
				de.Mark = drawing.Hot
			}
			hot++
		} else {
			de.Width, de.Dashed = 1.2, true
		}
		g.Edges = append(g.Edges, de)
	}
	// The drawing's paths: edges between boxes in order, then each box's
	// loop in box order.
	lv := mapLevel{Acts: na, Edges: len(pick), SVG: drawing.Layered(g)}
	loops := map[int]int{}
	for i, de := range g.Edges {
		if de.From == de.To {
			loops[de.From] = pick[i]
		} else {
			lv.Order = append(lv.Order, pick[i])
		}
	}
	for b := range g.Boxes {
		if k, ok := loops[b]; ok {
			lv.Order = append(lv.Order, k)
		}
	}
	return lv
}

// title is the edge's tooltip: every figure.
func (e *mapEdge) title(l *lang) string {
	if !e.Timed && e.From == startNode {
		return l.f("%s start with %s", l.plural(e.Cases, "%d case", "%d cases"), drawtext.Name(e.toName))
	}
	if !e.Timed {
		return l.f("%s end with %s", l.plural(e.Cases, "%d case", "%d cases"), drawtext.Name(e.fromName))
	}
	return l.f("%s → %s: %s in %s; median %s, mean %s, P90 %s, total %s", drawtext.Name(e.fromName), drawtext.Name(e.toName),
		l.plural(e.Count, "%d time", "%d times"), l.plural(e.Cases, "%d case", "%d cases"), l.dur(e.Median), l.dur(e.Mean), l.dur(e.P90), l.dur(float64(e.Count)*e.Mean))
}

// orderAttr writes edge ids for a data attribute.
func orderAttr(ids []int) string {
	s := make([]string, len(ids))
	for i, k := range ids {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, " ")
}
