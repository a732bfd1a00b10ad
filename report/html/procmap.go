package html

import (
	"cmp"
	"math"
	"slices"

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

// Colours shared by the drawings and the legends in the style sheet.
const (
	colEdge   = "#7f8c9d"
	colHot    = "#d55e00" // Okabe–Ito vermillion: time sinks and ping-pong
	colSilo   = "#0072b2" // Okabe–Ito blue: silo boundaries
	colLong   = "#e69f00" // Okabe–Ito orange: long cases
	colOther  = "#56b4e9" // Okabe–Ito sky blue: other cases
	colText   = "#1f2933"
	colMuted  = "#52606d"
	nameRunes = 30 // longest name drawn in a box before it is cut
)

// procMap draws the activity process map: a box per activity with its
// events, start and end, and the MaxMapEdges most frequent
// directly-follows edges with their count and median time, laid out by
// layered. It returns the drawing and the number of edges drawn.
func procMap(fl *mining.Flows) (string, int) {
	edges := fl.Edges[:mapEdges(fl)]
	events := map[string]int{} // an activity's events: arcs into it plus the cases it starts
	for _, e := range fl.Edges {
		events[e.To] += e.Count
	}
	for _, s := range fl.Starts {
		events[s.Activity] += s.Cases
	}
	type box struct {
		name, sub string
		kind      int // 0 activity, 1 start, 2 end
		loop      int // index in edges of its self loop, or -1
	}
	boxes := []box{{"start", "", 1, -1}, {"end", "", 2, -1}}
	index := map[string]int{}
	node := func(a string) int {
		if i, ok := index[a]; ok {
			return i
		}
		index[a] = len(boxes)
		boxes = append(boxes, box{a, count(events[a]) + " events", 0, -1})
		return len(boxes) - 1
	}
	hot := hotEdges(edges)
	top := 1
	if len(edges) > 0 {
		top = edges[0].Count
	}
	type drawn struct {
		title, label string
		count        int
		hot, dashed  bool
	}
	var g lgraph
	var ds []drawn
	for i, e := range edges {
		u, v := node(e.From), node(e.To)
		label := count(e.Count) + " · " + dur(e.Median)
		lw := labelWidth(label, hot[i])
		title := drawtext.Name(e.From) + " → " + drawtext.Name(e.To) + ": " + count(e.Count) + " times; median " + dur(e.Median) + ", mean " + dur(e.Mean) + ", P90 " + dur(e.P90)
		if u == v {
			boxes[u].loop = i
			ds = append(ds, drawn{title, label, e.Count, hot[i], false})
			continue
		}
		g.edges = append(g.edges, ledge{u: u, v: v, weight: float64(e.Count), lw: lw, lh: 13})
		ds = append(ds, drawn{title, label, e.Count, hot[i], false})
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
			label := count(s.Cases) + " cases"
			e := ledge{u: 0, v: i, weight: float64(s.Cases), lw: labelWidth(label, false), lh: 13}
			title := count(s.Cases) + " cases start with " + drawtext.Name(s.Activity)
			if !start {
				e.u, e.v = i, 1
				title = count(s.Cases) + " cases end with " + drawtext.Name(s.Activity)
			}
			g.edges = append(g.edges, e)
			ds = append(ds, drawn{title, label, s.Cases, false, true})
		}
	}
	ends(fl.Starts, true)
	ends(fl.Ends, false)
	if len(index) == 0 {
		return "", 0
	}
	for _, b := range boxes {
		w := max(1.1*textWidth(trunc(b.name, nameRunes), 12), textWidth(b.sub, 11)) + 20
		n := lnode{w: w, h: 38}
		if b.kind != 0 {
			n = lnode{w: 54, h: 26}
		}
		if b.loop >= 0 {
			n.extra = 22 + labelWidth(ds[b.loop].label, ds[b.loop].hot)
		}
		g.nodes = append(g.nodes, n)
	}
	lay := layered(g)

	var s svg
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="Process map">`,
		num(lay.w), num(lay.h), num(lay.w), num(lay.h))
	s.f(`<defs>%s%s</defs>`, marker("pm-a", colEdge), marker("pm-h", colHot))
	width := func(c int) float64 { return 1 + 4*math.Log(float64(max(c, 1)))/math.Log(float64(max(top, 2))) }
	// Edges under boxes, labels over everything.
	var labels svg
	k := 0
	for i, e := range edges {
		d := ds[i]
		if e.From == e.To {
			continue
		}
		drawMapEdge(&s, &labels, lay.routes[k], lay.labels[k], d.title, d.label, width(d.count), d.hot, false)
		k++
	}
	for _, d := range ds[len(edges):] {
		drawMapEdge(&s, &labels, lay.routes[k], lay.labels[k], d.title, d.label, 1.2, false, true)
		k++
	}
	maxEvents := 1
	for _, n := range events {
		maxEvents = max(maxEvents, n)
	}
	for i, b := range boxes {
		c, n := lay.pos[i], g.nodes[i]
		x, y := c.x-n.w/2, c.y-n.h/2
		if b.loop >= 0 {
			d := ds[b.loop]
			col, mk := colEdge, "pm-a"
			if d.hot {
				col, mk = colHot, "pm-h"
			}
			r := x + n.w
			s.f(`<g><title>%s</title><path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="%s" marker-end="url(#%s)"/></g>`,
				esc(d.title), num(r), num(c.y-8), num(r+18), num(c.y-18), num(r+18), num(c.y+18), num(r+2), num(c.y+8), col, num(width(d.count)), mk)
			labels.text(r+20, c.y+4, labelAttrs(d.hot), d.label)
		}
		switch b.kind {
		case 0:
			fill := shade(float64(events[b.name]) / float64(maxEvents))
			s.f(`<g><title>%s: %s</title><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="#4a6fa5"/>`,
				esc(drawtext.Name(b.name)), esc(b.sub), num(x), num(y), num(n.w), num(n.h), fill)
			s.text(c.x, y+16, ` text-anchor="middle" font-size="12" font-weight="600"`, trunc(b.name, nameRunes))
			s.text(c.x, y+31, ` text-anchor="middle" font-size="11" fill="`+colMuted+`"`, b.sub)
			s.f(`</g>`)
		default:
			fill := "#93c47d"
			if b.kind == 2 {
				fill = "#e06666"
			}
			s.f(`<rect x="%s" y="%s" width="%s" height="%s" rx="13" fill="%s"/>`, num(x), num(y), num(n.w), num(n.h), fill)
			s.text(c.x, y+17, ` text-anchor="middle" font-size="12" font-weight="600" fill="#fff"`, b.name)
		}
	}
	s.WriteString(labels.String())
	s.f(`</svg>`)
	return s.String(), len(edges)
}

// drawMapEdge draws one routed edge and its label.
func drawMapEdge(s, labels *svg, route []pt, at pt, title, label string, width float64, hot, dashed bool) {
	col, mk := colEdge, "pm-a"
	if hot {
		col, mk = colHot, "pm-h"
	}
	dash := ""
	if dashed {
		dash = ` stroke-dasharray="4 3"`
	}
	s.f(`<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="%s"%s marker-end="url(#%s)"/></g>`,
		esc(title), pathD(route), col, num(width), dash, mk)
	labels.text(at.x, at.y+10, labelAttrs(hot), label)
}

// labelWidth is the width of an edge label, bold or not.
func labelWidth(s string, bold bool) float64 {
	if bold {
		return 1.1 * textWidth(s, 11)
	}
	return textWidth(s, 11)
}

func labelAttrs(hot bool) string {
	if hot {
		return ` class="lbl" font-size="11" font-weight="700" fill="` + colHot + `"`
	}
	return ` class="lbl" font-size="11" fill="` + colText + `"`
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

// marker is an arrowhead definition of the given colour.
func marker(id, col string) string {
	return `<marker id="` + id + `" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0 0L10 5L0 10z" fill="` + col + `"/></marker>`
}

// shade is a light-to-mid blue for a share in [0, 1].
func shade(x float64) string {
	x = math.Sqrt(max(0, min(1, x)))
	// From #eef3fb to #9ab8e0.
	return rgb(0xee+(0x9a-0xee)*x, 0xf3+(0xb8-0xf3)*x, 0xfb+(0xe0-0xfb)*x)
}

func rgb(r, g, b float64) string {
	const hex = "0123456789abcdef"
	out := []byte{'#'}
	for _, c := range []float64{r, g, b} {
		v := int(math.Round(max(0, min(255, c))))
		out = append(out, hex[v>>4], hex[v&15])
	}
	return string(out)
}
