package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestGraphLabelsBounded draws logs whose activity and department names
// are a megabyte long: the DOT and SVG files stay small (so the layout
// gets a bounded input), every name is cut to drawtext.MaxRunes, and names
// alike in their first characters stay separate nodes.
func TestGraphLabelsBounded(t *testing.T) {
	cut := strings.Repeat("x", drawtext.MaxRunes-1) + "…"
	r := newReport(t, handlog.LongNames(1<<20), mining.Options{}, Options{})
	const maxBytes = 16 << 10
	for _, g := range []struct {
		name  string
		gr    graph
		nodes int
	}{
		{"process map", r.processMap(), 2},
		{"handoffs", r.handoffGraph(), 2},
	} {
		dot := g.gr.dot()
		if len(dot) > maxBytes {
			t.Fatalf("%s: DOT of %d bytes, want at most %d", g.name, len(dot), maxBytes)
		}
		labels := regexp.MustCompile(`(?m)^  [au]\d+ \[label="([^"\\]*)\\n`).FindAllSubmatch(dot, -1)
		if len(labels) != g.nodes {
			t.Errorf("%s: %d named nodes, want %d:\n%s", g.name, len(labels), g.nodes, dot)
		}
		for _, l := range labels {
			if string(l[1]) != cut {
				t.Errorf("%s: node label %.80q…, want %q", g.name, l[1], cut)
			}
		}
		svg := g.gr.svg()
		if len(svg) > 4*maxBytes {
			t.Errorf("%s: SVG of %d bytes, want at most %d", g.name, len(svg), 4*maxBytes)
		}
		if !bytes.Contains(svg, []byte(">"+drawtext.Cut(cut, drawing.NameRunes)+"<")) {
			t.Errorf("%s: no box with the name cut to %d characters:\n%.300s", g.name, drawing.NameRunes, svg)
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
	if n := len(regexp.MustCompile(`(?m)^  _start -> a\d+ `).FindAllIndex(r.processMap().dot(), -1)); n != MaxGraphEdges {
		t.Errorf("%d start activities drawn, want %d", n, MaxGraphEdges)
	}
}

// FuzzGraphNames draws graphs whose activity and department names are
// arbitrary: every SVG file parses as XML, and both the DOT and the SVG
// stay small, whatever the names' length.
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
		for _, g := range []graph{r.processMap(), r.handoffGraph()} {
			if dot := g.dot(); len(dot) > 8<<10 {
				t.Fatalf("DOT of %d bytes:\n%.500s", len(dot), dot)
			}
			svg := g.svg()
			if len(svg) > 64<<10 {
				t.Errorf("SVG of %d bytes:\n%.300s", len(svg), svg)
			}
			if _, err := svgCounts(svg); err != nil {
				t.Fatalf("%v\n%s", err, svg)
			}
		}
	})
}

// TestSVGDrawsTheDOT checks that each exported SVG draws the graph its DOT
// file lists, with the page's drawing code (drawing.Layered): as many
// activity boxes, start and end pills, and arrows, and the same edge
// labels. On the hand-made three-case log the counts are known: 7
// activities, 10 directly-follows edges, one start and one end edge; 3
// departments and 4 handoff pairs.
func TestSVGDrawsTheDOT(t *testing.T) {
	edgeRe := regexp.MustCompile(`(?m)^  \S+ -> \S+ \[label="([^"]*)"`)
	boxRe := regexp.MustCompile(`(?m)^  [au]\d+ \[label=`)
	pillRe := regexp.MustCompile(`(?m)^  _(start|end) \[`)
	known := map[string][2]svgCount{
		"three-cases": {{boxes: 7, pills: 2, edges: 12}, {boxes: 3, edges: 4}},
	}
	for name, r := range reports(t) {
		files := map[string][]byte{}
		for _, o := range r.Outputs() {
			var buf bytes.Buffer
			if err := o.Write(&buf); err != nil {
				t.Fatal(err)
			}
			files[o.Name] = buf.Bytes()
		}
		for k, g := range []graph{r.processMap(), r.handoffGraph()} {
			file := map[string]string{"process map": "process-map", "handoffs": "handoffs"}[g.name]
			dot := files[file+".dot"]
			var want svgCount
			want.boxes = len(boxRe.FindAll(dot, -1))
			want.pills = len(pillRe.FindAll(dot, -1))
			for _, m := range edgeRe.FindAllSubmatch(dot, -1) {
				want.labels = append(want.labels, string(m[1]))
			}
			want.edges = len(want.labels)
			svg := files[file+".svg"]
			if !bytes.Equal(svg, []byte(drawing.Layered(g.g))) || !bytes.Equal(dot, g.dot()) {
				t.Errorf("%s %s: the files are not the graph's DOT and its drawing by drawing.Layered", name, g.name)
			}
			got, err := svgCounts(svg)
			if err != nil {
				t.Fatalf("%s %s: %v", name, g.name, err)
			}
			slices.Sort(got.labels)
			slices.Sort(want.labels)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: SVG draws %+v, DOT lists %+v", name, g.name, got, want)
			}
			if c, ok := known[name]; ok {
				got.labels = nil
				if !reflect.DeepEqual(got, c[k]) {
					t.Errorf("%s %s: SVG draws %+v, want %+v", name, g.name, got, c[k])
				}
			}
		}
	}
}

// svgCount is what an SVG drawing of drawing.Layered holds.
type svgCount struct {
	boxes, pills, edges int      // rounded activity boxes, start and end pills, arrows
	labels              []string // texts of the edge labels
}

// svgCounts parses an SVG file as XML and counts its boxes, pills, arrows
// and edge labels; it fails unless the root element is svg.
func svgCounts(svg []byte) (svgCount, error) {
	var c svgCount
	d := xml.NewDecoder(bytes.NewReader(svg))
	root, label := "", false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c, fmt.Errorf("not XML: %w", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = x.Name.Local
			}
			attr := map[string]string{}
			for _, a := range x.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch {
			case x.Name.Local == "rect" && attr["rx"] == "6":
				c.boxes++
			case x.Name.Local == "rect" && attr["rx"] == "13":
				c.pills++
			case x.Name.Local == "path" && attr["marker-end"] != "":
				c.edges++
			case x.Name.Local == "text" && attr["class"] == "lbl":
				label = true
			}
		case xml.CharData:
			if label {
				c.labels = append(c.labels, string(x))
			}
		case xml.EndElement:
			label = false
		}
	}
	if root != "svg" {
		return c, fmt.Errorf("root element %q, want svg", root)
	}
	return c, nil
}
