package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/internal/drawtext"
)

// MaxGraphEdges bounds the edges drawn in a graph: the most frequent ones
// are kept (the graph's title says how many of how many), because a
// drawing with thousands of edges neither lays out quickly nor reads. The
// CSV files hold them all. With names cut to drawtext.MaxRunes, this bounds
// what the layout is given, and so its time, whatever the log holds.
const MaxGraphEdges = 100

// DefaultMapDetail is how many transitions the exported process map draws
// unless Options.MapDetail says otherwise: few enough that a log of
// hundreds of transitions (BPIC 2014 has 475) still reads as a map.
const DefaultMapDetail = 30

// mapEdges picks the n transitions of edges (most frequent first) the
// process map draws: those of the most frequent variant path first, so the
// main flow is always whole, then the most frequent others; in edges' order.
func mapEdges(edges []edgeDoc, n int, path []string) []edgeDoc {
	if len(edges) <= n {
		return edges
	}
	onPath := map[[2]string]bool{}
	for i := 1; i < len(path); i++ {
		onPath[[2]string{path[i-1], path[i]}] = true
	}
	keep := make([]bool, len(edges))
	left := n
	for i, e := range edges {
		if left > 0 && onPath[[2]string{e.From, e.To}] {
			keep[i] = true
			left--
		}
	}
	for i := range edges {
		if left > 0 && !keep[i] {
			keep[i] = true
			left--
		}
	}
	var out []edgeDoc
	for i, e := range edges {
		if keep[i] {
			out = append(out, e)
		}
	}
	return out
}

// graph is one of the report's graphs as both of its files show it: the
// DOT file lists its boxes and edges for the user's own Graphviz, and
// drawing.Layered, the layout the HTML page uses, draws it as SVG.
type graph struct {
	name    string // DOT's graph name
	rankdir string // DOT's direction of the ranks
	prefix  string // of DOT node ids, numbered from 1
	g       drawing.Graph
}

// processMap is the activity directly-follows graph: a box per activity
// with its number of events, an edge per directly-follows pair with its
// count and median time, and start and end boxes.
func (r *Report) processMap() graph {
	fl := &r.doc.Flows
	var path []string
	if len(fl.TopVariants) > 0 {
		path = fl.TopVariants[0].Steps
	}
	edges := mapEdges(fl.Edges, r.mapDetail, path)
	events := map[string]int{} // events per activity: arcs into it plus cases starting with it
	for _, e := range fl.Edges {
		events[e.To] += e.Count
	}
	for _, s := range fl.StartActivities {
		events[s.Activity] += s.Cases
	}
	most := 1
	for _, n := range events {
		most = max(most, n)
	}
	g := drawing.Graph{
		Label:      "Process map",
		Caption:    english.Sprintf("Process map: %d of %d directly-follows edges, the most frequent variant's first, then the most frequent (--map-detail); edge label: times followed · median time", len(edges), len(fl.Edges)),
		Standalone: true,
		Boxes:      []drawing.Box{{Kind: drawing.Start}, {Kind: drawing.End}},
	}
	ids := map[string]int{}
	node := func(a string) int {
		if id, ok := ids[a]; ok {
			return id
		}
		ids[a] = len(g.Boxes)
		g.Boxes = append(g.Boxes, drawing.Box{Name: a, Sub: count(events[a], "event"), Fill: drawing.Shade(float64(events[a]) / float64(most))})
		return ids[a]
	}
	top := 1
	if len(edges) > 0 {
		top = edges[0].Count
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, drawing.Edge{From: node(e.From), To: node(e.To), Weight: float64(e.Count), Width: drawing.Width(e.Count, top),
			Label: thousands(e.Count) + " · " + duration(float64(e.MedianS)),
			Title: drawtext.Name(e.From) + " → " + drawtext.Name(e.To) + ": " + thousands(e.Count) + " times; median " + duration(float64(e.MedianS)) + ", mean " + duration(float64(e.MeanS)) + ", P90 " + duration(float64(e.P90S))})
	}
	starts := fl.StartActivities
	if len(edges) == 0 { // each start is a box then: as many as edges at most
		starts = head(starts, MaxGraphEdges)
	}
	end := func(from, to int, cases int, title string) {
		g.Edges = append(g.Edges, drawing.Edge{From: from, To: to, Weight: float64(cases), Width: 1.2, Dashed: true,
			Label: count(cases, "case"), Title: count(cases, "case") + " " + title})
	}
	for _, s := range starts {
		id, ok := ids[s.Activity]
		switch {
		case !ok && len(edges) > 0:
			continue // none of its edges is drawn
		case !ok: // a log of one-event cases has no edges, only starts and ends
			id = node(s.Activity)
		}
		end(0, id, s.Cases, "start with "+drawtext.Name(s.Activity))
	}
	for _, s := range fl.EndActivities {
		if id, ok := ids[s.Activity]; ok {
			end(id, 1, s.Cases, "end with "+drawtext.Name(s.Activity))
		}
	}
	return graph{"process map", "TB", "a", g}
}

// handoffGraph is the unit handoff graph: a box per unit with its
// handoffs in and out, coloured by community, and an edge per directed
// pair with its handoffs and median delay; silo boundaries are dashed blue.
func (r *Report) handoffGraph() graph {
	fl, s := &r.doc.Flows, &r.doc.Silos
	edges := head(fl.HandoffMatrix, MaxGraphEdges)
	noun := r.doc.Options.Level
	g := drawing.Graph{
		Label:      "Handoff graph",
		Caption:    english.Sprintf("Handoffs between %ss: the %d most frequent of %d directed pairs; edge label: handoffs · median delay; dashed blue: silo boundary", noun, len(edges), len(fl.HandoffMatrix)),
		Standalone: true,
	}
	used := map[string]bool{}
	for _, e := range edges {
		used[e.From], used[e.To] = true, true
	}
	ids := map[string]int{}
	for _, u := range s.Units { // busiest first, so the layout starts from them
		if !used[u.Name] {
			continue
		}
		ids[u.Name] = len(g.Boxes)
		fill := drawing.NoCommunity
		if u.Community > 0 {
			fill = drawing.Palette[(u.Community-1)%len(drawing.Palette)]
		}
		g.Boxes = append(g.Boxes, drawing.Box{Name: u.Name, Sub: english.Sprintf("in %d · out %d", u.In, u.Out), Fill: fill})
	}
	silo := map[[2]string]boundaryDoc{}
	for _, x := range s.Boundaries {
		if x.Silo {
			silo[[2]string{x.From, x.To}] = x
		}
	}
	top := 1
	if len(edges) > 0 {
		top = edges[0].Handoffs
	}
	for _, e := range edges {
		d := drawing.Edge{From: ids[e.From], To: ids[e.To], Weight: float64(e.Handoffs), Width: drawing.Width(e.Handoffs, top),
			Label: thousands(e.Handoffs) + " · " + duration(float64(e.MedianDelayS)),
			Title: drawtext.Name(e.From) + " → " + drawtext.Name(e.To) + ": " + thousands(e.Handoffs) + " handoffs, median delay " + duration(float64(e.MedianDelayS))}
		if x, ok := silo[[2]string{e.From, e.To}]; ok {
			d.Mark = drawing.Silo
			d.Label += " · silo " + signed(float64(x.ShiftS))
			d.Title += "; silo boundary (" + signed(float64(x.ShiftS)) + ")"
		}
		g.Edges = append(g.Edges, d)
	}
	g.LeftToRight = true
	return graph{"handoffs", "LR", "u", g}
}

// svg draws the graph with the page's layered layout.
func (gr graph) svg() []byte { return []byte(drawing.Layered(gr.g)) }

// dot writes the graph in Graphviz's DOT language, with the drawing's
// colours, names cut as drawn (drawtext.Name).
func (gr graph) dot() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", quote(gr.name))
	fmt.Fprintf(&b, "  graph [rankdir=%s, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=%s];\n", gr.rankdir, quote(gr.g.Caption))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", color=\"#4a6fa5\", fontname=\"Helvetica\", fontsize=11];\n")
	fmt.Fprintf(&b, "  edge [fontname=\"Helvetica\", fontsize=9, color=%s, fontcolor=%s];\n", quote(drawing.ColEdge), quote(drawing.ColText))
	ids := make([]string, len(gr.g.Boxes))
	n := 0
	for i, x := range gr.g.Boxes {
		switch x.Kind {
		case drawing.Start:
			ids[i] = "_start"
			b.WriteString("  _start [label=\"start\", shape=circle, fillcolor=\"#93c47d\", style=filled];\n")
		case drawing.End:
			ids[i] = "_end"
			b.WriteString("  _end [label=\"end\", shape=doublecircle, fillcolor=\"#e06666\", style=filled];\n")
		default:
			n++
			ids[i] = fmt.Sprintf("%s%d", gr.prefix, n)
			fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%s];\n", ids[i], quote(drawtext.Name(x.Name)+"\n"+x.Sub), quote(x.Fill))
		}
	}
	for _, e := range gr.g.Edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%s, penwidth=%.2f", ids[e.From], ids[e.To], quote(e.Label), e.Width)
		switch {
		case e.Mark == drawing.Silo:
			fmt.Fprintf(&b, ", style=dashed, color=%s, fontcolor=%s", quote(drawing.ColSilo), quote(drawing.ColSilo))
		case e.Dashed:
			b.WriteString(", style=dashed")
		}
		b.WriteString("];\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// quote writes s as a DOT quoted string. Backslashes are doubled so that
// Graphviz does not read escapes such as \N or \G in names, and line breaks
// become \n, Graphviz's centred line break.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return `"` + r.Replace(s) + `"`
}
