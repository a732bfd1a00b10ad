package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report/html"
)

// siloLog has a silo boundary A → B (A's work waits 3 to 7 h, C's 10 to
// 49 min), a boundary B → D whose other sender hands over at once (its
// ratio has a zero denominator; its waits, 10 to 49 min, are too short to
// flag), and units with and without tests.
func siloLog() []ev {
	var evs []ev
	at := func(sec int) string { return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60) }
	for i := range 40 {
		a, c := fmt.Sprint("a", i), fmt.Sprint("c", i)
		evs = append(evs, ev{a, "Ask", at(0), "A"}, ev{a, "Do", at(3*3600 + i*360), "B"},
			ev{a, "Send", at(3*3600 + i*360 + 60), "B"}, ev{a, "Done", at(3*3600 + i*420 + 660), "D"})
		evs = append(evs, ev{c, "Ask", at(0), "C"}, ev{c, "Do", at(600 + i*60), "B"})
	}
	for i := range 30 {
		x := fmt.Sprint("x", i)
		evs = append(evs, ev{x, "Ask", at(i), "A"}, ev{x, "Done", at(i), "D"})
	}
	return evs
}

// TestJSONAgreesWithHTML reads the boundary and unit tables of the HTML
// page and checks every cell against the JSON document of the same
// findings: the same rows in the same order, the same numbers (the HTML
// keeps them unrounded in data-v), and "–" exactly where the JSON has null.
func TestJSONAgreesWithHTML(t *testing.T) {
	for name, c := range map[string]struct {
		evs []ev
		opt mining.Options
	}{
		"silo":        {siloLog(), mining.Options{MinSupport: 20}},
		"three-cases": {threeCases, depOpt},
		"zero median": {zeroGap, mining.Options{MinSupport: 2}},
		"random":      {randomLog(t, 300, 6), mining.Options{MinSupport: 5}},
		"tiny":        {threeCases[:3], mining.Options{}},
	} {
		f, in := analyse(t, c.evs, c.opt)
		r, err := New(f, in, Options{Top: 1000})
		if err != nil {
			t.Fatal(err)
		}
		doc := decode(t, r)
		var page bytes.Buffer
		if err := html.Write(&page, f, html.Input{}); err != nil {
			t.Fatal(err)
		}
		tables := htmlTables(t, page.Bytes())
		bounds, units := tables["from|to|handoffs|median wait to get in"], tables["department|in|out|partners"]
		jb := get(t, doc, "silos.boundaries").([]any)
		ju := get(t, doc, "silos.units").([]any)
		if len(bounds) != min(len(jb), html.MaxBoundaries) || len(units) != min(len(ju), html.MaxUnitRows) {
			t.Fatalf("%s: HTML has %d boundaries and %d units, JSON %d and %d", name, len(bounds), len(units), len(jb), len(ju))
		}
		if name == "silo" && (get(t, doc, "silos.flagged") != json.Number("1") || get(t, doc, "silos.boundaries.0.from") != "A") {
			t.Errorf("silo: the planted boundary A → B is not the one flagged: %v", jb)
		}
		for i, row := range bounds {
			b := jb[i].(map[string]any)
			where := fmt.Sprintf("%s: boundary %d", name, i)
			same(t, where, "from", b["from"], row[0])
			same(t, where, "to", b["to"], row[1])
			for col, key := range map[int]string{2: "handoffs", 3: "entry_median_s", 4: "others_median_s", 5: "ratio", 6: "shift_s", 7: "p_adjusted"} {
				same(t, where, key, b[key], row[col])
			}
			verdict(t, where, b["silo"], row[8])
		}
		for i, row := range units {
			u := ju[i].(map[string]any)
			where := fmt.Sprintf("%s: unit %v", name, u["name"])
			same(t, where, "name", u["name"], row[0])
			for col, key := range map[int]string{1: "in", 2: "out", 3: "partners", 4: "entry_median_s", 5: "gap_median_s",
				6: "others_median_s", 7: "ratio", 8: "shift_s", 9: "p_adjusted", 11: "bounce_rate"} {
				same(t, where, key, u[key], row[col])
			}
			verdict(t, where, u["silo"], row[10])
		}
	}
}

// cell is a table cell: its text and its data-v, if any.
type cell struct {
	text, v string
	hasV    bool
}

// htmlTables returns the body rows of the page's tables by the texts of
// their first four header cells, joined by "|".
func htmlTables(t *testing.T, page []byte) map[string][][]cell {
	t.Helper()
	root, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]cell{}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "table" {
			var heads []string
			var rows [][]cell
			var rowsOf func(n *xhtml.Node, inBody bool)
			rowsOf = func(n *xhtml.Node, inBody bool) {
				switch {
				case n.Type == xhtml.ElementNode && n.Data == "th":
					heads = append(heads, text(n))
				case n.Type == xhtml.ElementNode && n.Data == "tr" && inBody:
					var row []cell
					for td := n.FirstChild; td != nil; td = td.NextSibling {
						if td.Type == xhtml.ElementNode && td.Data == "td" {
							c := cell{text: text(td)}
							for _, a := range td.Attr {
								if a.Key == "data-v" {
									c.v, c.hasV = a.Val, true
								}
							}
							row = append(row, c)
						}
					}
					rows = append(rows, row)
					return
				}
				for k := n.FirstChild; k != nil; k = k.NextSibling {
					rowsOf(k, inBody || n.Type == xhtml.ElementNode && n.Data == "tbody")
				}
			}
			rowsOf(n, false)
			out[strings.Join(heads[:min(4, len(heads))], "|")] = rows
			return
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(root)
	return out
}

func text(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// same checks a JSON value against an HTML cell: a string against the
// text, null against "–", a number against data-v to the JSON's rounding
// (milliseconds, 6 significant digits).
func same(t *testing.T, where, key string, j any, c cell) {
	t.Helper()
	switch j := j.(type) {
	case string:
		if c.text != j {
			t.Errorf("%s: %s %q in JSON, %q in HTML", where, key, j, c.text)
		}
	case nil:
		if c.text != "–" {
			t.Errorf("%s: %s null in JSON, %q in HTML", where, key, c.text)
		}
	case json.Number:
		want, _ := j.Float64()
		got, err := strconv.ParseFloat(c.v, 64)
		if !c.hasV || err != nil || c.text == "–" || math.Abs(got-want) > 1e-3+1e-5*math.Abs(want) {
			t.Errorf("%s: %s %v in JSON, %q (data-v %q) in HTML", where, key, want, c.text, c.v)
		}
	default:
		t.Errorf("%s: %s is %T in JSON", where, key, j)
	}
}

func verdict(t *testing.T, where string, silo any, c cell) {
	t.Helper()
	if want := silo == true; (c.text == "silo") != want {
		t.Errorf("%s: silo %v in JSON, verdict %q in HTML", where, silo, c.text)
	}
}

// A log of three events gets no interval, no test and no communities, and
// every output says "too few cases" where they would be.
func TestTinyLogSaysTooFew(t *testing.T) {
	evs := []ev{{"c", "Ask", "09:00", "Front"}, {"c", "Do", "10:00", "Back"}, {"c", "Close", "11:00", "Front"}}
	f, in := analyse(t, evs, mining.Options{})
	r, err := New(f, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := decode(t, r)
	for _, path := range []string{"lead_time.median_low_s", "lead_time.median_high_s", "lead_time.median_coverage",
		"pingpong.effect.shift_s", "pingpong.effect.p", "silos.units.0.p_adjusted", "silos.units.1.shift_s"} {
		if got := get(t, doc, path); got != nil {
			t.Errorf("%s = %v, want null", path, got)
		}
	}
	if got := get(t, doc, "silos.communities").([]any); len(got) != 0 || get(t, doc, "silos.tested") != json.Number("0") {
		t.Errorf("communities %v, %v boundaries tested", got, get(t, doc, "silos.tested"))
	}
	var text, page bytes.Buffer
	if err := r.WriteText(&text, Style{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"median 2.0 h (too few cases for a CI)", "SILO BOUNDARIES  none tested: too few cases",
		"departments slow to take work in: none tested, too few cases", "communities: too few cases (2 handoffs, at least 30)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "95 % CI") {
		t.Errorf("text report has an interval:\n%s", text.String())
	}
	if err := html.Write(&page, f, html.Input{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"too few cases for a CI", "No boundary tested: too few cases", "Too few cases for communities: 2 handoffs"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
}
