package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/internal/gvcache"
)

// go-graphviz has compiled its module by now (this package imports it), so
// TMPDIR can be given back; see gvcache for why it was changed.
func init() { gvcache.Restore() }

// MaxGraphEdges bounds the edges drawn in a graph: the most frequent ones
// are kept (the graph's title says how many of how many), because a
// drawing with thousands of edges neither lays out quickly nor reads. The
// CSV files hold them all. With names cut to drawtext.MaxRunes, this bounds
// what Graphviz is given, and so its time, whatever the log holds.
const MaxGraphEdges = 100

// palette colours units by community (community 1 gets the first colour);
// units in no community are grey.
var palette = []string{"#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"}

// processMap is the activity directly-follows graph in DOT: a node per
// activity with its number of events, an edge per directly-follows pair
// with its count and median time, and start and end nodes.
func (r *Report) processMap() []byte {
	fl := &r.doc.Flows
	edges := head(fl.Edges, MaxGraphEdges)
	events := map[string]int{} // events per activity: arcs into it plus cases starting with it
	for _, e := range fl.Edges {
		events[e.To] += e.Count
	}
	for _, s := range fl.StartActivities {
		events[s.Activity] += s.Cases
	}
	var b bytes.Buffer
	b.WriteString("digraph \"process map\" {\n")
	fmt.Fprintf(&b, "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=%s];\n",
		quote(english.Sprintf("Process map: the %d most frequent of %d directly-follows edges; edge label: times followed · median time", len(edges), len(fl.Edges))))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8eef7\", color=\"#4a6fa5\", fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a6fa5\", fontcolor=\"#333333\"];\n")
	b.WriteString("  _start [label=\"start\", shape=circle, fillcolor=\"#93c47d\", style=filled];\n")
	b.WriteString("  _end [label=\"end\", shape=doublecircle, fillcolor=\"#e06666\", style=filled];\n")
	ids := map[string]string{}
	node := func(a string) string {
		if id, ok := ids[a]; ok {
			return id
		}
		id := fmt.Sprintf("a%d", len(ids)+1)
		ids[a] = id
		fmt.Fprintf(&b, "  %s [label=%s];\n", id, quote(drawtext.Name(a)+"\n"+thousands(events[a])))
		return id
	}
	top := 1
	if len(edges) > 0 {
		top = edges[0].Count
	}
	for _, e := range edges {
		from, to := node(e.From), node(e.To)
		fmt.Fprintf(&b, "  %s -> %s [label=%s, penwidth=%s];\n", from, to,
			quote(thousands(e.Count)+" · "+duration(float64(e.MedianS))), pen(e.Count, top))
	}
	starts := fl.StartActivities
	if len(edges) == 0 { // each start is a node then: as many as edges at most
		starts = head(starts, MaxGraphEdges)
	}
	for _, s := range starts {
		id, ok := ids[s.Activity]
		switch {
		case !ok && len(edges) > 0:
			continue // none of its edges is drawn
		case !ok: // a log of one-event cases has no edges, only starts and ends
			id = node(s.Activity)
		}
		fmt.Fprintf(&b, "  _start -> %s [label=%s, style=dashed];\n", id, quote(thousands(s.Cases)))
	}
	for _, s := range fl.EndActivities {
		if id, ok := ids[s.Activity]; ok {
			fmt.Fprintf(&b, "  %s -> _end [label=%s, style=dashed];\n", id, quote(thousands(s.Cases)))
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// handoffGraph is the unit handoff graph in DOT: a node per unit with its
// handoffs in and out, coloured by community, and an edge per directed
// pair with its handoffs and median delay; silo boundaries are red.
func (r *Report) handoffGraph() []byte {
	fl, s := &r.doc.Flows, &r.doc.Silos
	edges := head(fl.HandoffMatrix, MaxGraphEdges)
	noun := r.doc.Options.Level
	var b bytes.Buffer
	b.WriteString("digraph \"handoffs\" {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=%s];\n",
		quote(english.Sprintf("Handoffs between %ss: the %d most frequent of %d directed pairs; edge label: handoffs · median delay; red: silo boundary", noun, len(edges), len(fl.HandoffMatrix))))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", color=\"#666666\", fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\", fontcolor=\"#333333\"];\n")
	used := map[string]bool{}
	for _, e := range edges {
		used[e.From], used[e.To] = true, true
	}
	ids := map[string]string{}
	for _, u := range s.Units { // busiest first, so the layout starts from them
		if !used[u.Name] {
			continue
		}
		ids[u.Name] = fmt.Sprintf("u%d", len(ids)+1)
		fill := "#eeeeee"
		if u.Community > 0 {
			fill = palette[(u.Community-1)%len(palette)]
		}
		fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%s];\n", ids[u.Name],
			quote(drawtext.Name(u.Name)+"\n"+english.Sprintf("in %d · out %d", u.In, u.Out)), quote(fill))
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
		label := thousands(e.Handoffs) + " · " + duration(float64(e.MedianDelayS))
		style := ""
		if x, ok := silo[[2]string{e.From, e.To}]; ok {
			label += " · silo " + signed(float64(x.ShiftS))
			style = ", color=\"#cc0000\", fontcolor=\"#cc0000\""
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s, penwidth=%s%s];\n", ids[e.From], ids[e.To], quote(label), pen(e.Handoffs, top), style)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// pen is an edge's width: 1 to 5 points, by the logarithm of its count
// relative to the largest, so that a few heavy edges do not hide the rest.
func pen(n, top int) string {
	w := 1.0
	if top > 1 {
		w += 4 * math.Log(float64(n)) / math.Log(float64(top))
	}
	return fmt.Sprintf("%.2f", w)
}

// quote writes s as a DOT quoted string. Backslashes are doubled so that
// Graphviz does not read escapes such as \N or \G in names, and line breaks
// become \n, Graphviz's centred line break.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return `"` + r.Replace(s) + `"`
}

// gv is the process's one Graphviz context. go-graphviz (v0.2.10) cannot
// make more than a few contexts in a process, as its WebAssembly heap does
// not recover them, so one is made on first use and kept; the mutex
// serialises its use, as the module is not safe for concurrent calls.
var gv struct {
	sync.Mutex
	g   *graphviz.Graphviz
	err error
}

// renderSVG lays out and draws a DOT graph as SVG with Graphviz's dot,
// compiled to WebAssembly and run in-process (github.com/goccy/go-graphviz),
// so no system Graphviz is needed and the drawing depends only on the
// module version: text is measured with Graphviz's built-in font metrics,
// not the fonts installed on the machine.
func renderSVG(w io.Writer, dot []byte) (err error) {
	gv.Lock()
	defer gv.Unlock()
	defer func() { // a failure inside the WebAssembly module surfaces as a panic
		if p := recover(); p != nil {
			gv.g, gv.err = nil, fmt.Errorf("report: Graphviz failed: %v", p)
			err = gv.err
		}
	}()
	ctx := context.Background()
	if gv.g == nil && gv.err == nil {
		gv.g, gv.err = graphviz.NewWithPlugins(ctx) // no image plugins: SVG needs none
		if gv.err != nil {
			gv.err = fmt.Errorf("report: starting Graphviz: %w", gv.err)
		}
	}
	if gv.err != nil {
		return gv.err
	}
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("report: Graphviz cannot read the graph: %w", err)
	}
	defer g.Close()
	if err := gv.g.Render(ctx, g, graphviz.SVG, w); err != nil {
		return fmt.Errorf("report: Graphviz cannot draw the graph: %w", err)
	}
	return nil
}
