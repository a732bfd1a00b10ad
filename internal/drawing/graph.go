package drawing

import (
	"github.com/caseflow/caseflow/internal/drawtext"
)

// NameRunes is the longest name drawn in a box before it is cut (the
// box's tooltip holds up to drawtext.MaxRunes).
const NameRunes = 30

// Kind is what a box stands for.
type Kind int

const (
	Activity Kind = iota // a named box with a second line
	Start                // the green "start" pill
	End                  // the red "end" pill
)

// Mark sets an edge apart from the others.
type Mark int

const (
	Plain Mark = iota
	Hot        // vermillion, bold label: where time goes
	Silo       // dashed blue, bold label: a silo boundary
)

// Box is a node of a Graph. Name and Sub come from the log: Name is cut to
// NameRunes in the box and to drawtext.MaxRunes in its tooltip, so any
// name draws in bounded space. Start and End boxes show only their kind.
type Box struct {
	Name, Sub string
	Fill      string // an Activity box's colour, e.g. Shade(share)
	Kind      Kind
}

// Edge is an edge of a Graph between the boxes at indexes From and To. An
// edge from a box to itself is drawn as a loop beside the box (one per
// box). Weight (its count) makes the layout keep heavy edges short and
// straight; Width is its stroke width; Label is drawn beside it and Title
// is its tooltip (names in them cut by the caller with drawtext.Name).
type Edge struct {
	From, To     int
	Weight       float64
	Width        float64
	Label, Title string
	Mark         Mark
	Dashed       bool
}

// Graph is a directed graph to draw. Label names the drawing for screen
// readers. A Standalone drawing is a file of its own: it carries its
// fonts, a white background and its Caption above the graph; otherwise
// the page around it styles it (svg.graph and text.lbl in its style
// sheet).
type Graph struct {
	Label       string
	Caption     string
	Standalone  bool
	LeftToRight bool // rows of boxes run top to bottom unless set
	Boxes       []Box
	Edges       []Edge
}

// standaloneStyle is what the page's style sheet gives an inline drawing.
const standaloneStyle = `text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}text.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}`

// Layered draws g with the layered layout (see layered), top to bottom or
// left to right: boxes in rows, edges routed between them with their
// labels beside them, edges under boxes and labels over everything. A
// graph without boxes is an empty drawing (with its caption when
// Standalone).
func Layered(g Graph) string {
	// The layout works in rows from top to bottom; left to right is the
	// same layout with x and y swapped, so boxes and labels are given to
	// it with their sides swapped, and every point is swapped when drawn.
	lr := g.LeftToRight
	swap := func(a, b float64) (float64, float64) {
		if lr {
			return b, a
		}
		return a, b
	}
	loop := make([]int, len(g.Boxes)) // index in g.Edges of each box's loop, or -1
	for i := range loop {
		loop[i] = -1
	}
	var lg lgraph
	for i, e := range g.Edges {
		if e.From == e.To {
			loop[e.From] = i
			continue
		}
		lw, lh := swap(LabelWidth(e.Label, e.Mark != Plain), 13)
		lg.edges = append(lg.edges, ledge{u: e.From, v: e.To, weight: e.Weight, lw: lw, lh: lh})
	}
	size := make([]pt, len(g.Boxes)) // each box's width and height as drawn
	for i, b := range g.Boxes {
		size[i] = pt{max(1.1*TextWidth(drawtext.Cut(b.Name, NameRunes), 12), TextWidth(b.Sub, 11)) + 20, 38}
		if b.Kind != Activity {
			size[i] = pt{54, 26}
		}
		var n lnode
		n.w, n.h = swap(size[i].x, size[i].y)
		if loop[i] >= 0 {
			e := g.Edges[loop[i]]
			n.extra = 22 + LabelWidth(e.Label, e.Mark != Plain)
			if lr { // the label goes under the loop
				n.extra = 36
			}
		}
		lg.nodes = append(lg.nodes, n)
	}
	lay := layered(lg)
	// The splines may swing past the outermost boxes: the drawing grows to
	// hold their control points.
	curves := make([][]pt, len(lay.routes))
	lo, hi := pt{Margin, Margin}, pt{lay.w - Margin, lay.h - Margin}
	for i, r := range lay.routes {
		curves[i] = bezier(r)
		for _, p := range curves[i] {
			lo, hi = pt{min(lo.x, p.x), min(lo.y, p.y)}, pt{max(hi.x, p.x), max(hi.y, p.y)}
		}
	}
	w, h := hi.x-lo.x+2*Margin, hi.y-lo.y+2*Margin
	top := 0.0 // room for the caption
	if g.Standalone && g.Caption != "" {
		top = 24
	}
	at := func(p pt) pt {
		p = pt{p.x + Margin - lo.x, p.y + Margin - lo.y}
		p.x, p.y = swap(p.x, p.y)
		return pt{p.x, p.y + top}
	}
	w, h = swap(w, h)
	if top > 0 {
		w, h = max(w, TextWidth(g.Caption, 12)+2*Margin), h+top
	}
	var s SVG
	s.F(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		Num(w), Num(h), Num(w), Num(h), Esc(g.Label))
	silo := false
	for _, e := range g.Edges {
		silo = silo || e.Mark == Silo
	}
	s.F(`<defs>%s%s`, Marker("pm-a", ColEdge), Marker("pm-h", ColHot))
	if silo {
		s.F(`%s`, Marker("pm-s", ColSilo))
	}
	s.F(`</defs>`)
	if g.Standalone {
		s.F(`<style>%s</style><rect width="100%%" height="100%%" fill="#fff"/>`, standaloneStyle)
		if top > 0 {
			s.Text(Margin, 16, ` font-size="12" fill="`+ColText+`"`, g.Caption)
		}
	}
	// Edges under boxes, labels over everything.
	var labels SVG
	k := 0
	for _, e := range g.Edges {
		if e.From == e.To {
			continue
		}
		col, mk := e.Mark.style()
		dash := ""
		switch {
		case e.Mark == Silo:
			dash = ` stroke-dasharray="7 5"`
		case e.Dashed:
			dash = ` stroke-dasharray="4 3"`
		}
		s.F(`<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="%s"%s marker-end="url(#%s)"/></g>`,
			Esc(e.Title), pathD(curves[k], at), col, Num(e.Width), dash, mk)
		l := at(lay.labels[k]) // the label's top left corner, either way
		labels.Text(l.x, l.y+10, e.Mark.labelAttrs(), e.Label)
		k++
	}
	for i, b := range g.Boxes {
		c := at(lay.pos[i])
		x, y := c.x-size[i].x/2, c.y-size[i].y/2
		if loop[i] >= 0 {
			e := g.Edges[loop[i]]
			col, mk := e.Mark.style()
			// Beside the box in its row: right of it, or under it.
			p, r := lay.pos[i], lay.pos[i].x+lg.nodes[i].w/2
			s.F(`<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="%s" marker-end="url(#%s)"/></g>`,
				Esc(e.Title), pathD([]pt{{r, p.y - 8}, {r + 18, p.y - 18}, {r + 18, p.y + 18}, {r + 2, p.y + 8}}, at), col, Num(e.Width), mk)
			l := at(pt{r + 20, p.y + 4})
			if lr {
				l = at(pt{r + 32, p.y - 8})
			}
			labels.Text(l.x, l.y, e.Mark.labelAttrs(), e.Label)
		}
		switch b.Kind {
		case Activity:
			s.F(`<g><title>%s: %s</title><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="#4a6fa5"/>`,
				Esc(drawtext.Name(b.Name)), Esc(b.Sub), Num(x), Num(y), Num(size[i].x), Num(size[i].y), b.Fill)
			s.Text(c.x, y+16, ` text-anchor="middle" font-size="12" font-weight="600"`, drawtext.Cut(b.Name, NameRunes))
			s.Text(c.x, y+31, ` text-anchor="middle" font-size="11" fill="`+ColMuted+`"`, b.Sub)
			s.F(`</g>`)
		default:
			fill, name := "#93c47d", "start"
			if b.Kind == End {
				fill, name = "#e06666", "end"
			}
			if b.Name != "" { // the page's language
				name = b.Name
			}
			s.F(`<rect x="%s" y="%s" width="%s" height="%s" rx="13" fill="%s"/>`, Num(x), Num(y), Num(size[i].x), Num(size[i].y), fill)
			s.Text(c.x, y+17, ` text-anchor="middle" font-size="12" font-weight="600" fill="#fff"`, name)
		}
	}
	s.WriteString(labels.String())
	s.F(`</svg>`)
	return s.String()
}

// style is an edge's colour and arrowhead.
func (m Mark) style() (colour, marker string) {
	switch m {
	case Hot:
		return ColHot, "pm-h"
	case Silo:
		return ColSilo, "pm-s"
	}
	return ColEdge, "pm-a"
}

// labelAttrs are the attributes of an edge's label.
func (m Mark) labelAttrs() string {
	if m == Plain {
		return LabelAttrs("")
	}
	col, _ := m.style()
	return LabelAttrs(col)
}
