package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestGraphLabelsBounded draws logs whose activity and department names
// are a megabyte long: the DOT and SVG files stay small (so Graphviz lays
// out a bounded input), every name is cut to drawtext.MaxRunes, and names
// alike in their first characters stay separate nodes.
func TestGraphLabelsBounded(t *testing.T) {
	cut := strings.Repeat("x", drawtext.MaxRunes-1) + "…"
	r := newReport(t, handlog.LongNames(1<<20), mining.Options{}, Options{})
	const maxBytes = 16 << 10
	for _, g := range []struct {
		name  string
		dot   []byte
		nodes int
	}{
		{"process map", r.processMap(), 2},
		{"handoffs", r.handoffGraph(), 2},
	} {
		if len(g.dot) > maxBytes {
			t.Fatalf("%s: DOT of %d bytes, want at most %d", g.name, len(g.dot), maxBytes)
		}
		labels := regexp.MustCompile(`(?m)^  [au]\d+ \[label="([^"\\]*)\\n`).FindAllSubmatch(g.dot, -1)
		if len(labels) != g.nodes {
			t.Errorf("%s: %d named nodes, want %d:\n%s", g.name, len(labels), g.nodes, g.dot)
		}
		for _, l := range labels {
			if string(l[1]) != cut {
				t.Errorf("%s: node label %.80q…, want %q", g.name, l[1], cut)
			}
		}
		var svg bytes.Buffer
		if err := renderSVG(&svg, g.dot); err != nil {
			t.Fatal(err)
		}
		if svg.Len() > 4*maxBytes {
			t.Errorf("%s: SVG of %d bytes, want at most %d", g.name, svg.Len(), 4*maxBytes)
		}
	}
}

// TestGraphCapsStarts checks that a log of one-event cases, which has no
// edges and draws a node per start activity, draws at most MaxGraphEdges.
func TestGraphCapsStarts(t *testing.T) {
	var evs []ev
	for c := range MaxGraphEdges + 20 {
		evs = append(evs, ev{fmt.Sprint("c", c), fmt.Sprint("activity ", c), "09:00", "D1", ""})
	}
	r := newReport(t, evs, mining.Options{}, Options{})
	if n := len(regexp.MustCompile(`(?m)^  _start -> a\d+ `).FindAllIndex(r.processMap(), -1)); n != MaxGraphEdges {
		t.Errorf("%d start activities drawn, want %d", n, MaxGraphEdges)
	}
}

// FuzzGraphNames draws graphs whose activity and department names are
// arbitrary: Graphviz reads every DOT file written (the quoting holds),
// and both the DOT and the SVG stay small, whatever the names' length.
func FuzzGraphNames(f *testing.F) {
	f.Add("Open", "Front")
	f.Add(`a "quoted" \N \G <name> & co`, "D\\")
	f.Add(strings.Repeat("é", 5000), strings.Repeat("\\\"", 3000))
	f.Add("line\nbreak\r\n", "\x00\xff\xfe")
	f.Fuzz(func(t *testing.T, activity, department string) {
		if activity == "" {
			t.Skip("readers reject rows without an activity")
		}
		evs := []ev{{"c", activity, "09:00", department, ""}, {"c", "x", "10:00", "y", ""}, {"c", activity, "11:00", department, ""}}
		r := newReport(t, evs, mining.Options{}, Options{})
		for _, dot := range [][]byte{r.processMap(), r.handoffGraph()} {
			if len(dot) > 8<<10 {
				t.Fatalf("DOT of %d bytes:\n%.500s", len(dot), dot)
			}
			var svg bytes.Buffer
			if err := renderSVG(&svg, dot); err != nil {
				t.Fatalf("%v\n%s", err, dot)
			}
			if svg.Len() > 64<<10 || !bytes.Contains(svg.Bytes(), []byte("<svg")) {
				t.Errorf("SVG of %d bytes:\n%.300s", svg.Len(), svg.Bytes())
			}
		}
	})
}
