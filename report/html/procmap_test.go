package html

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// At every level of the receipt log's process map, every activity shown
// has a way in and a way out (the most frequent each, as Disco keeps the
// map connected), the other edges are the most frequent left, the levels
// grow along both sliders, and the edges drawn bold are the largest by
// the figure their labels show.
func TestMapLevels(t *testing.T) {
	f, _ := readReal(t, "receipt/receipt.csv", "org:group")
	m := english.processMap(&f.Flows)
	if len(m.Levels) < 4 {
		t.Fatalf("%d levels, want a choice", len(m.Levels))
	}
	d := m.Levels[m.Default]
	if d.Acts != DefaultActivities || d.Edges != DefaultTransitions {
		t.Errorf("default level %d activities and %d edges, want %d and %d", d.Acts, d.Edges, DefaultActivities, DefaultTransitions)
	}
	label := regexp.MustCompile(`<text [^>]*class="lbl" font-size="11"( font-weight="700")?[^>]*>([\d,]+)`)
	for i, l := range m.Levels {
		if i > 0 && (l.Acts < m.Levels[i-1].Acts || l.Acts == m.Levels[i-1].Acts && l.Edges <= m.Levels[i-1].Edges) {
			t.Errorf("level %d (%d, %d) does not follow (%d, %d)", i, l.Acts, l.Edges, m.Levels[i-1].Acts, m.Levels[i-1].Edges)
		}
		if len(l.Order) != l.Edges || strings.Count(l.SVG, "<g><title>") != l.Edges+l.Acts {
			t.Errorf("level %d: %d edges in its order, %d groups drawn, want %d edges and %d boxes", i, len(l.Order), strings.Count(l.SVG, "<g><title>"), l.Edges, l.Acts)
		}
		in, out := make([]bool, l.Acts), make([]bool, l.Acts)
		least := -1 // the least count drawn
		for _, k := range l.Order {
			e := m.Edges[k]
			if e.From >= l.Acts || e.To >= l.Acts {
				t.Fatalf("level %d draws an edge of a hidden activity", i)
			}
			if e.From != e.To {
				if e.To >= 0 {
					in[e.To] = true
				}
				if e.From >= 0 {
					out[e.From] = true
				}
			}
			if least < 0 || e.Count < least {
				least = e.Count
			}
		}
		for a := range l.Acts {
			if !in[a] || !out[a] {
				t.Errorf("level %d: %s has a way in %v, out %v", i, m.Acts[a], in[a], out[a])
			}
		}
		// A picked edge less frequent than one left out must be some
		// activity's most frequent way in or out.
		shown := func(a int) bool { return a < l.Acts }
		firstIn, firstOut := map[int]int{}, map[int]int{}
		for k := len(m.Edges) - 1; k >= 0; k-- { // edges are by count: the last write is the most frequent
			if e := m.Edges[k]; shown(e.From) && shown(e.To) && e.From != e.To {
				firstIn[e.To], firstOut[e.From] = k, k
			}
		}
		for k, e := range m.Edges {
			if !shown(e.From) || !shown(e.To) || slices.Contains(l.Order, k) {
				continue
			}
			for _, j := range l.Order {
				p := m.Edges[j]
				if p.Count < e.Count && firstIn[p.To] != j && firstOut[p.From] != j {
					t.Errorf("level %d draws %s → %s (%d) but not %s → %s (%d)", i, p.fromName, p.toName, p.Count, e.fromName, e.toName, e.Count)
				}
			}
		}
		// Labels come in the order of l.Order; the bold ones show the
		// largest counts among the edges between activities.
		labels := label.FindAllStringSubmatch(l.SVG, -1)
		if len(labels) != len(l.Order) {
			t.Fatalf("level %d: %d labels for %d edges", i, len(labels), len(l.Order))
		}
		minBold, maxPlain, bold := -1, -1, 0
		for j, x := range labels {
			e := m.Edges[l.Order[j]]
			n, _ := strconv.Atoi(strings.ReplaceAll(x[2], ",", ""))
			if n != e.Count {
				t.Errorf("level %d: label %q on an edge of %d", i, x[2], e.Count)
			}
			switch {
			case x[1] != "":
				bold++
				if minBold < 0 || n < minBold {
					minBold = n
				}
			case e.Timed:
				maxPlain = max(maxPlain, n)
			}
		}
		if bold != Hot || minBold < maxPlain {
			t.Errorf("level %d: %d bold labels, the least %d, against a plain one of %d", i, bold, minBold, maxPlain)
		}
	}
}
