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
	Label      string
	Caption    string
	Standalone bool
	Boxes      []Box
	Edges      []Edge
}

// standaloneStyle is what the page's style sheet gives an inline drawing.
const standaloneStyle = `text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}text.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}`

// Layered draws g top to bottom with the layered layout (see layered):
// boxes in rows, edges routed between them with their labels beside them,
// edges under boxes and labels over everything. An empty graph (no boxes)
// draws as "".
func Layered(g Graph) string {
	if len(g.Boxes) == 0 {
		return ""
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
		lg.edges = append(lg.edges, ledge{u: e.From, v: e.To, weight: e.Weight, lw: LabelWidth(e.Label, e.Mark != Plain), lh: 13})
	}
	for i, b := range g.Boxes {
		n := lnode{w: max(1.1*TextWidth(drawtext.Cut(b.Name, NameRunes), 12), TextWidth(b.Sub, 11)) + 20, h: 38}
		if b.Kind != Activity {
			n = lnode{w: 54, h: 26}
		}
		if loop[i] >= 0 {
			e := g.Edges[loop[i]]
			n.extra = 22 + LabelWidth(e.Label, e.Mark != Plain)
		}
		lg.nodes = append(lg.nodes, n)
	}
	lay := layered(lg)

	w, h, top := lay.w, lay.h, 0.0
	if g.Standalone && g.Caption != "" {
		top = 24
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
			s.F(`<g transform="translate(0 %s)">`, Num(top))
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
			Esc(e.Title), pathD(lay.routes[k]), col, Num(e.Width), dash, mk)
		at := lay.labels[k]
		labels.Text(at.x, at.y+10, e.Mark.labelAttrs(), e.Label)
		k++
	}
	for i, b := range g.Boxes {
		c, n := lay.pos[i], lg.nodes[i]
		x, y := c.x-n.w/2, c.y-n.h/2
		if loop[i] >= 0 {
			e := g.Edges[loop[i]]
			col, mk := e.Mark.style()
			r := x + n.w
			s.F(`<g><title>%s</title><path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="%s" marker-end="url(#%s)"/></g>`,
				Esc(e.Title), Num(r), Num(c.y-8), Num(r+18), Num(c.y-18), Num(r+18), Num(c.y+18), Num(r+2), Num(c.y+8), col, Num(e.Width), mk)
			labels.Text(r+20, c.y+4, e.Mark.labelAttrs(), e.Label)
		}
		switch b.Kind {
		case Activity:
			s.F(`<g><title>%s: %s</title><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="#4a6fa5"/>`,
				Esc(drawtext.Name(b.Name)), Esc(b.Sub), Num(x), Num(y), Num(n.w), Num(n.h), b.Fill)
			s.Text(c.x, y+16, ` text-anchor="middle" font-size="12" font-weight="600"`, drawtext.Cut(b.Name, NameRunes))
			s.Text(c.x, y+31, ` text-anchor="middle" font-size="11" fill="`+ColMuted+`"`, b.Sub)
			s.F(`</g>`)
		default:
			fill, name := "#93c47d", "start"
			if b.Kind == End {
				fill, name = "#e06666", "end"
			}
			s.F(`<rect x="%s" y="%s" width="%s" height="%s" rx="13" fill="%s"/>`, Num(x), Num(y), Num(n.w), Num(n.h), fill)
			s.Text(c.x, y+17, ` text-anchor="middle" font-size="12" font-weight="600" fill="#fff"`, name)
		}
	}
	s.WriteString(labels.String())
	if top > 0 {
		s.F(`</g>`)
	}
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
