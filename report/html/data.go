package html

import (
	"html/template"

	"github.com/caseflow/caseflow/mining"
)

// pageData is what the page's script reads, embedded once as JSON in a
// data block (<script type="application/json">, which runs nothing):
// the figures of the drawn edges and handoff pairs in every measure, and
// the case data of the explorers (nil without a log).
type pageData struct {
	Measures     []measure  `json:"measures"`
	Edges        []edgeData `json:"edges"`
	PairMeasures []measure  `json:"pairMeasures"`
	Pairs        []edgeData `json:"pairs"`
	Explore      *explore   `json:"explore"`
	Palette      []string   `json:"palette"` // fills of steps, as the drawings fill units
	// Words are the Dutch of the script's English strings; none in English.
	Words map[string]string `json:"words,omitempty"`
}

type measure struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Time bool   `json:"time"`
}

// edgeData is a drawn edge or pair: its id (the index the drawings'
// data-e or order attributes use), its figures in the order of the
// measures (-1 where there is none) and their labels; Pre and Post go
// around a pair's label.
type edgeData struct {
	ID     int       `json:"id"`
	Values []float64 `json:"v"`
	Labels []string  `json:"l"`
	Pre    string    `json:"pre,omitempty"`
	Post   string    `json:"post,omitempty"`
}

// level is one drawing of a graph at a level of detail: Nodes shown
// (activities or units) and Edges drawn, the order of the drawing's edges
// (process map only), and what the page says about it.
type level struct {
	Nodes, Edges int
	Order        string
	Note         string
	SVG          template.HTML
	Default      bool
}

// measureList writes a graph's measures for the page.
func (l *lang) measureList(ms []struct{ ID, Name string }, timed int) []measure {
	out := make([]measure, len(ms))
	for i, m := range ms {
		out[i] = measure{m.ID, l.f(m.Name), i >= timed}
	}
	return out
}

// mapLevels are the process map's drawings for the page and the figures
// of their edges.
func (l *lang) mapLevels(fl *mining.Flows, d *pageData) []level {
	m := l.processMap(fl)
	d.Measures = l.measureList(measures, 2)
	used := make([]bool, len(m.Edges))
	var out []level
	for i, l := range m.Levels {
		for _, k := range l.Order {
			used[k] = true
		}
		// Every name in a drawing went through drawing.Esc.
		out = append(out, level{Nodes: l.Acts, Edges: l.Edges, Order: orderAttr(l.Order), Note: l.Note, SVG: template.HTML(l.SVG), Default: i == m.Default})
	}
	for k, e := range m.Edges {
		if used[k] {
			d.Edges = append(d.Edges, edgeData{ID: k, Values: e.values(), Labels: e.labels(l)})
		}
	}
	return out
}

// graphLevels are the handoff graph's drawings for the page, and the
// figures of the pairs they draw.
func (l *lang) graphLevels(f *mining.Findings, unit func(string) string, noun string, d *pageData) []level {
	fl, si := &f.Flows, &f.Silos
	d.PairMeasures = l.measureList(pairMeasures, 2)
	used := map[int]bool{}
	var out []level
	best := -1
	for _, nu := range levels(GraphUnits, len(si.Units), GraphUnits[len(GraphUnits)-1]) {
		sel := pickUnits(f, nu)
		for _, np := range levels(GraphPairs, len(fl.Pairs), GraphPairs[len(GraphPairs)-1]) {
			g := l.handoffGraph(f, sel, unit, np)
			note := l.f("%s of %s %s drawn; %s of %s handoff pairs (the most frequent among them, and the marked ones), carrying %s of %s handoffs.",
				l.count(len(sel.names)), l.count(len(si.Units)), noun, l.count(g.arcs), l.count(len(fl.Pairs)), l.share(g.carried, fl.Handoffs), l.count(fl.Handoffs))
			if g.unlabelled > 0 {
				note += l.f(" %s without room for a label: hover for the figures.", l.plural(g.unlabelled, "%d arc", "%d arcs"))
			}
			for _, a := range g.drawn {
				if !used[a.id] {
					used[a.id] = true
					pre, post := a.affixes(l)
					d.Pairs = append(d.Pairs, edgeData{ID: a.id, Values: []float64{float64(a.p.Count), float64(a.cases), a.p.Median}, Labels: a.labels(l), Pre: pre, Post: post})
				}
			}
			if best < 0 && nu >= min(DefaultUnits, len(si.Units)) && np >= min(DefaultPairs, len(fl.Pairs)) {
				best = len(out)
			}
			out = append(out, level{Nodes: nu, Edges: np, Note: note, SVG: template.HTML(g.svg)})
		}
	}
	if best < 0 {
		best = len(out) - 1
	}
	if best >= 0 {
		out[best].Default = true
	}
	return out
}

// graphView is a graph's drawings and the one shown first, which the page
// holds once, outside its level's template.
type graphView struct {
	Default level
	Levels  []level
}

// pick makes the view of a graph's levels; nil without any.
func pick(ls []level) *graphView {
	for _, l := range ls {
		if l.Default {
			return &graphView{Default: l, Levels: ls}
		}
	}
	return nil
}

// exploreHead is what the page says, without its script, about the case
// data it holds.
type exploreHead struct {
	Sample, Dotted, Unfiltered string
	Per                        string // "day", or the days of a bin
}

// exploreView says how much of the log the page's case data holds and
// what its filters leave alone; nil without case data.
func (l *lang) exploreView(x *explore, f *mining.Findings) *exploreHead {
	if x == nil {
		return nil
	}
	h := &exploreHead{Sample: l.f("The page holds all %s cases, so filtered figures are exact.", l.count(x.Cases))}
	if x.Step > 1 {
		h.Sample = l.f("The page holds every %s case of %s (%s, at most %s): filtered counts are that sample's times %d, marked ≈, and filtered medians are the sample's.",
			l.ordinal(x.Step), l.count(x.Cases), l.count(len(x.Rows.Start)), l.count(MaxRows), x.Step)
	}
	h.Dotted = l.f("All %s cases, by start; a dot per event (the first %s of a case), coloured by %s.", l.count(x.Cases), l.count(MaxTraceEvents), l.f(string(f.Options.Level)))
	if k := (x.Cases + MaxDotted - 1) / MaxDotted; k > 1 {
		h.Dotted = l.f("%s of %s cases, every %s in log order (at most %s), by start; a dot per event (the first %s of a case), coloured by %s.",
			l.count(len(x.Dotted)), l.count(x.Cases), l.ordinal(k), l.count(MaxDotted), l.count(MaxTraceEvents), l.f(string(f.Options.Level)))
	}
	h.Per = l.f("day")
	if x.Bin > 1 {
		h.Per = l.f("%s days (the log spans more than %s days)", l.count(x.Bin), l.count(MaxDays))
	}
	h.Unfiltered = l.f("The filters apply to this section only. The summary, process map, handoffs, ping-pong, silos and tables above and below cover every case this run analysed: for a window or a value, run caseflow analyze with --since DAY, --until DAY and --where COLUMN=VALUE, which keep the cases these filters keep (started in the window; a case's first value); --by COLUMN gives each value of a column its own lead-time limit.")
	return h
}

// ordinal writes 1st, 2nd, 3rd, 4th, …
// (Dutch: 1e, 2e, …).
func (l *lang) ordinal(n int) string {
	suffix := "th"
	switch {
	case l.nl:
		suffix = "e"
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return l.count(n) + suffix
}
