package html

import (
	"math"
	"slices"
	"strconv"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/mining"
)

// Bounds of the unit drawings: the busiest units (by handoffs in and
// out), as many as a step of GraphUnits, plus those of the Marked top
// ping-pong pairs and silo boundaries. The graph draws the most frequent
// handoff pairs among them, as many as a step of GraphPairs, plus the
// marked ones; the page's sliders choose the steps, DefaultUnits and
// DefaultPairs first. The heat map shows every pair among the default
// units. The page says how much of the whole they cover.
var (
	GraphUnits = []int{12, 24, 48}
	GraphPairs = []int{12, 24, 48, 96}
)

const (
	DefaultUnits = 24
	DefaultPairs = 48
	Marked       = 5
)

// units is the selection of units both unit drawings show.
type units struct {
	names     []string // as in the findings, by community, then by handoffs
	index     map[string]int
	community []int // index into Silos.Communities, or -1
	volume    []int // handoffs in and out
	info      []mining.Unit
	pingpong  map[[2]string]bool // directed pairs of the Marked top ping-pong pairs
	silo      map[[2]string]mining.Boundary
	covered   int // handoffs between the selected units
}

func pickUnits(f *mining.Findings, most int) *units {
	s := &f.Silos
	u := &units{index: map[string]int{}, pingpong: map[[2]string]bool{}, silo: map[[2]string]mining.Boundary{}}
	info := map[string]mining.Unit{}
	for _, x := range s.Units {
		info[x.Name] = x
	}
	add := func(name string) {
		if _, ok := u.index[name]; !ok {
			u.index[name] = len(u.names)
			u.names = append(u.names, name)
		}
	}
	for _, x := range s.Units[:min(len(s.Units), most)] {
		if x.In+x.Out > 0 {
			add(x.Name)
		}
	}
	for _, p := range f.PingPong.Pairs[:min(len(f.PingPong.Pairs), Marked)] {
		add(p.A)
		add(p.B)
		u.pingpong[[2]string{p.A, p.B}] = true
		u.pingpong[[2]string{p.B, p.A}] = true
	}
	marked := 0
	for _, b := range s.Boundaries {
		if b.Silo && marked < Marked {
			add(b.From)
			add(b.To)
			u.silo[[2]string{b.From, b.To}] = b
			marked++
		}
	}
	comm := map[string]int{}
	for i, c := range s.Communities {
		for _, name := range c {
			comm[name] = i
		}
	}
	slices.SortStableFunc(u.names, func(a, b string) int { // stable: busiest first within a community
		ca, oka := comm[a]
		cb, okb := comm[b]
		switch {
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return ca - cb
	})
	for i, name := range u.names {
		u.index[name] = i
		c, ok := comm[name]
		if !ok {
			c = -1
		}
		u.community = append(u.community, c)
		u.volume = append(u.volume, info[name].In+info[name].Out)
		u.info = append(u.info, info[name])
	}
	for _, p := range f.Flows.Pairs {
		if u.has(p.From) && u.has(p.To) {
			u.covered += p.Count
		}
	}
	return u
}

// spread returns the order of the units on the circle: the busiest are
// spread around it, at the positions of the van der Corput sequence 0,
// 1/2, 1/4, 3/4, … (the next free one when taken), so that units with
// many handoffs sit apart and their arcs and labels do not crowd one spot.
func spread(volume []int) []int {
	busiest := make([]int, len(volume))
	for i := range busiest {
		busiest[i] = i
	}
	slices.SortStableFunc(busiest, func(a, b int) int { return volume[b] - volume[a] })
	m := len(volume)
	ring := make([]int, m)
	taken := make([]bool, m)
	for k, i := range busiest {
		p := int(vanDerCorput(k) * float64(m))
		for taken[p] {
			p = (p + 1) % m
		}
		ring[p], taken[p] = i, true
	}
	return ring
}

// untangle improves a ring order by swapping two units while that lowers
// the sum over the links of (near − d)², where d is the distance of the
// linked units on the ring and near a sixth of the ring (at least 2):
// arcs between close units are short, and that is where arcs and labels
// crowd, while pushing linked units further apart would only move the
// crowd to the centre. It is a first-improvement local search over the
// pairs of positions in order, until no swap helps (at most 20 rounds).
func untangle(ring []int, links [][2]int) []int {
	n := len(ring)
	slot := make([]int, n)
	for s, i := range ring {
		slot[i] = s
	}
	near := max(2, n/6)
	cost := func() int {
		c := 0
		for _, l := range links {
			d := max(slot[l[0]]-slot[l[1]], slot[l[1]]-slot[l[0]])
			d = min(d, n-d)
			if d < near {
				c += (near - d) * (near - d)
			}
		}
		return c
	}
	best := cost()
	for range 20 {
		improved := false
		for a := range n {
			for b := a + 1; b < n; b++ {
				ia, ib := ring[a], ring[b]
				slot[ia], slot[ib] = b, a
				if c := cost(); c < best {
					best, improved = c, true
					ring[a], ring[b] = ib, ia
				} else {
					slot[ia], slot[ib] = a, b
				}
			}
		}
		if !improved {
			break
		}
	}
	return ring
}

// vanDerCorput is the k-th element of the base-2 van der Corput sequence:
// k's binary digits mirrored after the point.
func vanDerCorput(k int) float64 {
	x, f := 0.0, 0.5
	for ; k > 0; k >>= 1 {
		x += f * float64(k&1)
		f /= 2
	}
	return x
}

func (u *units) has(name string) bool { _, ok := u.index[name]; return ok }

func (u *units) fill(i int) string {
	if u.community[i] < 0 {
		return drawing.NoCommunity
	}
	return drawing.Palette[u.community[i]%len(drawing.Palette)]
}

// handoffGraph draws the units on a circle, in the order of spread
// improved by untangle, coloured by community, and the handoff pairs among them as arcs that
// bend to their right, so that A→B and B→A form a lens rather than
// overlap. Ping-pong pairs are vermillion, silo boundaries dashed blue
// (blue dashes over vermillion when both); their labels say so in words
// too. Labels are placed
// greedily, most important first, at the first spot along the arc that
// overlaps neither a unit nor another label; an arc without such a spot
// keeps its figures in its tooltip.
func (l *lang) handoffGraph(f *mining.Findings, u *units, name func(string) string, most int) circle {
	name = cutNames(name)
	n := len(u.names)
	if n == 0 {
		return circle{}
	}
	radius := max(110, min(270, 22*float64(n)))
	labelRoom := 0.0
	for _, nm := range u.names {
		labelRoom = max(labelRoom, drawing.TextWidth(trunc(name(nm), 24), 12))
	}
	size := 2 * (radius + 30 + labelRoom + drawing.Margin)
	c := pt{size / 2, size / 2}

	var arcs []arcDraw
	top, plain := 1, 0
	cases := stepPairCases(f.Flows.Paths) // consecutive stays are handoffs
	for k, p := range f.Flows.Pairs {
		if !u.has(p.From) || !u.has(p.To) || p.From == p.To {
			continue
		}
		key := [2]string{p.From, p.To}
		b, silo := u.silo[key]
		pp := u.pingpong[key]
		if plain >= most && !pp && !silo {
			continue
		}
		if !pp && !silo {
			plain++
		}
		top = max(top, p.Count)
		arcs = append(arcs, arcDraw{p: p, id: k, cases: cases[key], from: u.index[p.From], to: u.index[p.To], pp: pp, silo: silo, b: b})
	}
	links := make([][2]int, len(arcs))
	for i, a := range arcs {
		links[i] = [2]int{a.from, a.to}
	}
	maxVol := slices.Max(append([]int{1}, u.volume...))
	pos := make([]pt, n)
	rad := make([]float64, n)
	angle := make([]float64, n)
	for slot, i := range untangle(spread(u.volume), links) {
		a := -math.Pi/2 + 2*math.Pi*float64(slot)/float64(n)
		angle[i] = a
		pos[i] = pt{c.x + radius*math.Cos(a), c.y + radius*math.Sin(a)}
		rad[i] = 5 + 14*math.Sqrt(float64(u.volume[i])/float64(maxVol))
	}
	for i := range arcs {
		a := &arcs[i]
		p, q := pos[a.from], pos[a.to]
		d := pt{q.x - p.x, q.y - p.y}
		ln := math.Hypot(d.x, d.y)
		bend := 0.12*ln + 8
		mid := pt{(p.x + q.x) / 2, (p.y + q.y) / 2}
		a.ctrl = pt{mid.x - d.y/ln*bend, mid.y + d.x/ln*bend}
		a.p0 = toward(p, a.ctrl, rad[a.from]+1)
		a.p1 = toward(q, a.ctrl, rad[a.to]+3)
		a.width = 1 + 5*math.Log(float64(a.p.Count))/math.Log(float64(max(top, 2)))
		a.title = l.f("%s → %s: %s handoffs in %s, median delay %s", name(a.p.From), name(a.p.To), l.count(a.p.Count), l.plural(a.cases, "%d case", "%d cases"), l.dur(a.p.Median))
		pre, post := a.affixes(l)
		if a.pp {
			a.title += l.f("; ping-pong pair")
		}
		if a.silo {
			a.title += l.f("; silo boundary: median wait %s vs %s from other senders (%s), adjusted p %s", l.dur(a.b.Median), l.dur(a.b.OthersMedian), l.signed(a.b.Shift), l.pval(a.b.PAdjusted))
		}
		// The count, padded to the widest measure's label (see mapData.draw).
		a.label = pre + l.count(a.p.Count) + post
		wide := 0.0
		for _, lb := range a.labels(l) {
			wide = max(wide, drawing.LabelWidth(pre+lb+post, true))
		}
		for drawing.LabelWidth(a.label, true) < wide {
			a.label += "\u2007"
		}
	}

	var s drawing.SVG
	s.F(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		drawing.Num(size), drawing.Num(size), drawing.Num(size), drawing.Num(size), drawing.Esc(l.f("Handoff graph")))
	s.F(`<defs>%s%s%s</defs>`, drawing.Marker("hg-a", drawing.ColEdge), drawing.Marker("hg-p", drawing.ColHot), drawing.Marker("hg-s", drawing.ColSilo))
	// Plain arcs first, so marked ones are drawn over them.
	drawOrder := make([]int, len(arcs))
	for i := range drawOrder {
		drawOrder[i] = i
	}
	level := func(a arcDraw) int {
		switch {
		case a.pp:
			return 2
		case a.silo:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(drawOrder, func(i, j int) int { return level(arcs[i]) - level(arcs[j]) })
	for _, i := range drawOrder {
		a := arcs[i]
		d := "M" + drawing.Num(a.p0.x) + " " + drawing.Num(a.p0.y) + "Q" + drawing.Num(a.ctrl.x) + " " + drawing.Num(a.ctrl.y) + " " + drawing.Num(a.p1.x) + " " + drawing.Num(a.p1.y)
		s.F(`<g data-e="%d"><title>%s</title>`, a.id, drawing.Esc(a.title))
		switch {
		case a.pp:
			s.F(`<path d="%s" fill="none" stroke="%s" stroke-width="%s" marker-end="url(#hg-p)"/>`, d, drawing.ColHot, drawing.Num(a.width))
			if a.silo { // blue dashes over vermillion show both
				s.F(`<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-dasharray="7 5"/>`, d, drawing.ColSilo, drawing.Num(max(2, a.width/2)))
			}
		case a.silo:
			s.F(`<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-dasharray="7 5" marker-end="url(#hg-s)"/>`, d, drawing.ColSilo, drawing.Num(max(2, a.width)))
		default:
			s.F(`<path d="%s" fill="none" stroke="%s" stroke-opacity="0.6" stroke-width="%s" marker-end="url(#hg-a)"/>`, d, drawing.ColEdge, drawing.Num(a.width))
		}
		s.F(`</g>`)
	}
	for i, nm := range u.names {
		p := pos[i]
		x := u.info[i]
		s.F(`<g><title>%s</title><circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#3e4c59"/></g>`,
			drawing.Esc(l.f("%s: %s handoffs in, %s out, %s partners", name(nm), l.count(x.In), l.count(x.Out), l.count(x.Partners))), drawing.Num(p.x), drawing.Num(p.y), drawing.Num(rad[i]), u.fill(i))
		// Radial labels, turned to read left to right on either side.
		deg := angle[i] * 180 / math.Pi
		r := radius + rad[i] + 6
		lp := pt{c.x + r*math.Cos(angle[i]), c.y + r*math.Sin(angle[i])}
		anchor := "start"
		if math.Cos(angle[i]) < -1e-9 {
			deg += 180
			anchor = "end"
		}
		s.Text(lp.x, lp.y+4, ` font-size="12" text-anchor="`+anchor+`" transform="rotate(`+drawing.Num(deg)+` `+drawing.Num(lp.x)+` `+drawing.Num(lp.y)+`)"`, trunc(name(nm), 24))
	}
	// Labels: marked arcs first, then by count (arcs are in count order).
	var taken []rect
	for i, p := range pos {
		taken = append(taken, rect{p.x - rad[i], p.y - rad[i], p.x + rad[i], p.y + rad[i]})
	}
	labelOrder := slices.Clone(drawOrder)
	slices.Reverse(labelOrder)
	slices.SortStableFunc(labelOrder, func(i, j int) int { return level(arcs[j]) - level(arcs[i]) })
	unlabelled := 0
	for _, i := range labelOrder {
		a := arcs[i]
		w, h := drawing.LabelWidth(a.label, a.pp || a.silo)+4, 14.0
		placed := false
		for _, t := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78} {
			m := quadAt(a.p0, a.ctrl, a.p1, t)
			r := rect{m.x - w/2, m.y - h/2, m.x + w/2, m.y + h/2}
			if r.x0 < 0 || r.x1 > size || slices.ContainsFunc(taken, r.overlaps) {
				continue
			}
			taken = append(taken, r)
			attrs := drawing.LabelAttrs("")
			switch {
			case a.pp:
				attrs = drawing.LabelAttrs(drawing.ColHot)
			case a.silo:
				attrs = drawing.LabelAttrs(drawing.ColSilo)
			}
			s.Text(m.x, m.y+4, attrs+` text-anchor="middle" data-e="`+strconv.Itoa(a.id)+`"`, a.label)
			placed = true
			break
		}
		if !placed {
			unlabelled++
		}
	}
	s.F(`</svg>`)
	d := circle{svg: s.String(), arcs: len(arcs), unlabelled: unlabelled}
	for _, a := range arcs {
		d.drawn = append(d.drawn, a)
	}
	for _, a := range arcs {
		d.carried += a.p.Count
	}
	return d
}

// arcDraw is an arc of the handoff graph: a handoff pair, its index in
// Flows.Pairs and the cases with the handoff, whether it is marked, and
// where and how it is drawn.
type arcDraw struct {
	p            mining.Handoff
	id, cases    int
	from, to     int
	pp, silo     bool
	b            mining.Boundary
	p0, ctrl, p1 pt
	width        float64
	label, title string
}

// affixes are what an arc's label says before and after its figure: that
// it is a ping-pong pair, a silo boundary.
func (a *arcDraw) affixes(l *lang) (pre, post string) {
	if a.pp {
		pre = "⇄ "
	}
	if a.silo {
		post = l.f(" · silo %s", l.signed(a.b.Shift))
	}
	return pre, post
}

// labels are the arc's figure in the order of pairMeasures.
func (a *arcDraw) labels(l *lang) []string {
	return []string{l.count(a.p.Count), l.count(a.cases), l.dur(a.p.Median)}
}

// pairMeasures are the handoff graph's measures: the findings give a
// pair's count and median delay, and the cases come from the paths.
var pairMeasures = []struct{ ID, Name string }{
	{"count", "frequency: handoffs"}, {"cases", "frequency: cases"}, {"median", "time: median delay"},
}

// circle is a handoff graph and what the page says about it: how many
// arcs it draws, how many of them without a label, how many handoffs
// they carry, and the arcs.
type circle struct {
	svg                       string
	arcs, unlabelled, carried int
	drawn                     []arcDraw
}

type rect struct{ x0, y0, x1, y1 float64 }

type pt struct{ x, y float64 }

func (r rect) overlaps(o rect) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

// toward is the point at distance d from p in the direction of q.
func toward(p, q pt, d float64) pt {
	l := math.Hypot(q.x-p.x, q.y-p.y)
	if l == 0 {
		return p
	}
	return pt{p.x + (q.x-p.x)/l*d, p.y + (q.y-p.y)/l*d}
}

// quadAt is the point at t of the quadratic Bézier curve p0, c, p1.
func quadAt(p0, c, p1 pt, t float64) pt {
	a, b, d := (1-t)*(1-t), 2*(1-t)*t, t*t
	return pt{a*p0.x + b*c.x + d*p1.x, a*p0.y + b*c.y + d*p1.y}
}

// cell is the side of a heat-map cell in pixels.
const cell = 32.0

// cutNames makes name cut the names it gives to drawtext.MaxRunes, so that
// no unit name, tooltips included, makes a drawing grow without bound.
func cutNames(name func(string) string) func(string) string {
	return func(s string) string { return drawtext.Name(name(s)) }
}

// heatMap draws the handoff matrix of the selected units: rows hand off to
// columns, cells shaded by the logarithm of the count (so a few large
// cells do not wash out the rest) and labelled with it; ping-pong pairs
// are framed in solid vermillion, silo boundaries in dashed blue.
func (l *lang) heatMap(f *mining.Findings, u *units, name func(string) string) string {
	name = cutNames(name)
	n := len(u.names)
	if n == 0 {
		return ""
	}
	labelW := 0.0
	for _, nm := range u.names {
		labelW = max(labelW, drawing.TextWidth(trunc(name(nm), 24), 12))
	}
	left := labelW + 24
	topRoom := labelW*0.8 + 24 // column labels at −50°
	w, h := left+cell*float64(n)+drawing.Margin+20, topRoom+cell*float64(n)+drawing.Margin
	m := make([]mining.Handoff, n*n)
	maxC := 1
	for _, p := range f.Flows.Pairs {
		if u.has(p.From) && u.has(p.To) {
			m[u.index[p.From]*n+u.index[p.To]] = p
			maxC = max(maxC, p.Count)
		}
	}
	var s drawing.SVG
	s.F(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		drawing.Num(w), drawing.Num(h), drawing.Num(w), drawing.Num(h), drawing.Esc(l.f("Handoff heat map")))
	for i, nm := range u.names {
		y := topRoom + cell*float64(i) + cell/2 + 4
		s.F(`<rect x="%s" y="%s" width="8" height="%s" fill="%s"/>`, drawing.Num(left-10), drawing.Num(topRoom+cell*float64(i)+1), drawing.Num(cell-2), u.fill(i))
		s.Text(left-14, y, ` font-size="12" text-anchor="end"`, trunc(name(nm), 24))
		x := left + cell*float64(i) + cell/2 + 4
		s.F(`<rect x="%s" y="%s" width="%s" height="8" fill="%s"/>`, drawing.Num(left+cell*float64(i)+1), drawing.Num(topRoom-10), drawing.Num(cell-2), u.fill(i))
		s.Text(x, topRoom-14, ` font-size="12" transform="rotate(-50 `+drawing.Num(x)+` `+drawing.Num(topRoom-14)+`)"`, trunc(name(nm), 24))
	}
	var frames drawing.SVG
	for i := range n {
		for j := range n {
			p := m[i*n+j]
			x, y := left+cell*float64(j), topRoom+cell*float64(i)
			if p.Count == 0 {
				s.F(`<rect x="%s" y="%s" width="%s" height="%s" fill="#f7f9fb" stroke="#fff"/>`, drawing.Num(x), drawing.Num(y), drawing.Num(cell), drawing.Num(cell))
				continue
			}
			t := math.Log1p(float64(p.Count)) / math.Log1p(float64(maxC))
			fill, ink := heat(t)
			title := l.f("%s → %s: %s handoffs, median delay %s", name(p.From), name(p.To), l.count(p.Count), l.dur(p.Median))
			k := [2]string{p.From, p.To}
			b, silo := u.silo[k]
			inset := 1.5
			if u.pingpong[k] {
				title += l.f("; ping-pong pair")
				frame(&frames, x, y, inset, drawing.ColHot, "")
				inset += 3
			}
			if silo {
				title += l.f("; silo boundary (%s)", l.signed(b.Shift))
				frame(&frames, x, y, inset, drawing.ColSilo, ` stroke-dasharray="4 2.5"`)
			}
			s.F(`<g><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff"/>`, drawing.Esc(title), drawing.Num(x), drawing.Num(y), drawing.Num(cell), drawing.Num(cell), fill)
			s.Text(x+cell/2, y+cell/2+3.5, ` font-size="10" text-anchor="middle" fill="`+ink+`"`, l.compact(p.Count))
			s.F(`</g>`)
		}
	}
	s.WriteString(frames.String())
	s.F(`</svg>`)
	return s.String()
}

// frame outlines a cell of the heat map, on a white halo so that it reads
// on dark cells too.
func frame(s *drawing.SVG, x, y, inset float64, col, dash string) {
	for _, st := range [][2]string{{"#fff", "4.5"}, {col, "2.5"}} {
		d := dash
		if st[0] == "#fff" {
			d = ""
		}
		s.F(`<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="%s" stroke-width="%s"%s/>`,
			drawing.Num(x+inset), drawing.Num(y+inset), drawing.Num(cell-2*inset), drawing.Num(cell-2*inset), st[0], st[1], d)
	}
}

// heat is a sequential colour for t in [0, 1], from pale to dark slate, and
// the text colour that reads on it. It is neutral so that the vermillion
// and blue frames of marked cells stand out on any cell.
func heat(t float64) (string, string) {
	stops := [][3]float64{{0xe9, 0xee, 0xf4}, {0xaf, 0xbd, 0xcf}, {0x62, 0x7d, 0x98}, {0x24, 0x3b, 0x53}}
	x := max(0, min(1, t)) * float64(len(stops)-1)
	i := min(int(x), len(stops)-2)
	fr := x - float64(i)
	a, b := stops[i], stops[i+1]
	ink := drawing.ColText
	if t > 0.55 {
		ink = "#ffffff"
	}
	return drawing.RGB(a[0]+(b[0]-a[0])*fr, a[1]+(b[1]-a[1])*fr, a[2]+(b[2]-a[2])*fr), ink
}

// compact writes a count in at most four characters: 950, 9.5k, 12k.
func (l *lang) compact(n int) string {
	switch {
	case n < 1000:
		return l.count(n)
	case n < 999500:
		return l.short(float64(n)/1000) + "k"
	}
	return l.short(float64(n)/1e6) + "M"
}
