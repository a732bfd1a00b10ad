package report

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report/html"
)

// zeroGap has a boundary, Desk → Office, whose receiver's other senders
// (Web) hand over without delay: the ratio of medians would divide by 0,
// so it is null; and Office, which takes every handoff, has nothing to be
// compared with, so its test is null too.
var zeroGap = []ev{
	{"z1", "Ask", "09:00", "Desk", "Ann"}, {"z1", "Do", "10:00", "Office", "Bob"}, {"z1", "Done", "10:00", "Office", "Bob"},
	{"z2", "Ask", "09:00", "Desk", "Ann"}, {"z2", "Do", "11:00", "Office", "Bob"}, {"z2", "Done", "11:00", "Office", "Bob"},
	{"z3", "Ask", "09:00", "Web", "Web"}, {"z3", "Do", "09:00", "Office", "Bob"},
	{"z4", "Ask", "09:00", "Web", "Web"}, {"z4", "Do", "09:00", "Office", "Bob"},
}

// formulas has names a spreadsheet would run.
var formulas = []ev{
	{"=1+1", "@SUM(A1)", "09:00", "+Dept", "-x"}, {"=1+1", "=HYPERLINK(\"x\")", "09:30", "Other", "y"},
}

// reports are the reports every output test runs on.
func reports(t *testing.T) map[string]*Report {
	return map[string]*Report{
		"three-cases": newReport(t, threeCases, depOpt, Options{}),
		"resource":    newReport(t, threeCases, mining.Options{Level: mining.Resource, MinSupport: 2}, Options{}),
		"random":      newReport(t, randomLog(t, 300, 6), mining.Options{MinSupport: 5}, Options{Top: 5}),
		"zero median": newReport(t, zeroGap, mining.Options{MinSupport: 2}, Options{}),
		"formulas":    newReport(t, formulas, mining.Options{}, Options{}),
		"empty":       newReport(t, nil, mining.Options{}, Options{}),
	}
}

func TestJSONMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile(filepath.Join("..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range reports(t) {
		var buf bytes.Buffer
		if err := r.WriteJSON(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The schema must reject what the report never writes, or it checks
	// nothing.
	for _, bad := range []string{`{"schema": "caseflow.report/v2"}`, `{}`} {
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if schema.Validate(doc) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

func TestNotComputedIsNull(t *testing.T) {
	doc := decode(t, reports(t)["zero median"])
	for _, path := range []string{"silos.boundaries.0.ratio", "silos.units.0.shift_s", "silos.units.0.ratio",
		"silos.units.0.p_adjusted", "silos.units.1.entry_median_s", "silos.units.1.bounce_rate", "silos.units.1.gap_median_s"} {
		if got := get(t, doc, path); got != nil {
			t.Errorf("%s = %v, want null", path, got)
		}
	}
	if got := get(t, doc, "silos.boundaries.0.entry_median_s"); got.(interface{ String() string }).String() != "5400" {
		t.Errorf("entry wait = %v, want 5400 (1 h and 2 h)", got)
	}
	if got := get(t, doc, "silos.boundaries.0.shift_s"); got.(interface{ String() string }).String() != "5400" {
		t.Errorf("shift = %v, want 5400 (the 4 differences 1 h, 1 h, 2 h, 2 h)", got)
	}
}

// TestCSVReadsBack reads every CSV file with encoding/csv (which insists on
// the same number of fields in every row) and checks that text cells a
// spreadsheet would run are neutralised while numbers stay numbers.
func TestCSVReadsBack(t *testing.T) {
	for name, r := range reports(t) {
		for _, o := range r.Outputs() {
			if !strings.HasSuffix(o.Name, ".csv") {
				continue
			}
			var buf bytes.Buffer
			if err := o.Write(&buf); err != nil {
				t.Fatalf("%s %s: %v", name, o.Name, err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Errorf("%s %s: %v", name, o.Name, err)
				continue
			}
			if len(rows) == 0 {
				t.Errorf("%s %s: no header", name, o.Name)
			}
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && strings.ContainsAny(cell[:1], "=+@\t\r") {
						t.Errorf("%s %s: cell %q would run as a formula", name, o.Name, cell)
					}
					if strings.HasPrefix(cell, "-") && !isNumber(cell) {
						t.Errorf("%s %s: cell %q would run as a formula", name, o.Name, cell)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	r := reports(t)["formulas"]
	if err := r.writeCases(&buf); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	if got := rows[1][0]; got != "'=1+1" {
		t.Errorf("case id =1+1 written as %q, want '=1+1", got)
	}
	if got := rows[1][len(rows[1])-1]; got != "'+Dept > Other" {
		t.Errorf("path written as %q, want '+Dept > Other", got)
	}
	// A negative number stays a number: the shift of ping-pong can be below 0.
	buf.Reset()
	r = reports(t)["three-cases"]
	r.doc.PingPong.Pairs[0].ExtraMedianS = -1800
	if err := r.writePingPong(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",-1800\n") {
		t.Errorf("a negative number was altered:\n%s", buf.String())
	}
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// TestSVG draws both graphs of every report and parses them as XML.
func TestSVG(t *testing.T) {
	for name, r := range reports(t) {
		for _, o := range r.Outputs() {
			if !strings.HasSuffix(o.Name, ".svg") {
				continue
			}
			var buf bytes.Buffer
			if err := o.Write(&buf); err != nil {
				t.Fatalf("%s %s: %v", name, o.Name, err)
			}
			d := xml.NewDecoder(&buf)
			root := ""
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s %s: not XML: %v", name, o.Name, err)
				}
				if se, ok := tok.(xml.StartElement); ok && root == "" {
					root = se.Name.Local
				}
			}
			if root != "svg" {
				t.Errorf("%s %s: root element %q, want svg", name, o.Name, root)
			}
		}
	}
	// Names that DOT or XML would misread are drawn as text.
	r := newReport(t, []ev{{"c", `a "quoted" \N <name> & co`, "09:00", "D1", ""}, {"c", "b", "09:10", "D2", ""}},
		mining.Options{}, Options{})
	if svg := string(r.processMap().svg()); !strings.Contains(svg, `>a &#34;quoted&#34; \N &lt;name&gt; &amp; co<`) {
		t.Errorf("the activity name is not drawn as written:\n%s", svg)
	}
}

func TestGraphCapsEdges(t *testing.T) {
	r := reports(t)["random"]
	r.doc.Flows.Edges = slices.Repeat(r.doc.Flows.Edges[:1], MaxGraphEdges+7)
	if n := len(regexp.MustCompile(`(?m)^  a\d+ -> a\d+ `).FindAllIndex(r.processMap().dot(), -1)); n != DefaultMapDetail {
		t.Errorf("%d edges drawn, want %d", n, DefaultMapDetail)
	}
}

func TestEmptyLog(t *testing.T) {
	r := reports(t)["empty"]
	var buf bytes.Buffer
	if err := r.WriteText(&buf, Style{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0 events in 0 cases", "no case has a lead time", "none: no event has a department"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
	doc := decode(t, r)
	if get(t, doc, "input.from") != nil {
		t.Error("input.from of an empty log should be null")
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	r := reports(t)["three-cases"]
	var plain, color bytes.Buffer
	r.WriteText(&plain, Style{})
	r.WriteText(&color, Style{Color: true})
	if bytes.ContainsRune(plain.Bytes(), 0x1b) {
		t.Error("plain text has escape sequences")
	}
	if !bytes.Contains(color.Bytes(), []byte("\x1b[1mPING-PONG\x1b[0m")) {
		t.Error("coloured text has no bold headings")
	}
}

// A log whose events carry no department says that ping-pong and silos
// were not measured, rather than "0 of N cases (0.0 %)": nothing could
// bounce, which is not the same as nothing bouncing.
func TestNoUnitsNotMeasured(t *testing.T) {
	var evs []ev
	for _, e := range threeCases {
		evs = append(evs, ev{e[0], e[1], e[2]})
	}
	r := newReport(t, evs, mining.Options{}, Options{})
	var buf bytes.Buffer
	if err := r.WriteText(&buf, Style{}); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"PING-PONG  not measured: no event has a department", "SILO BOUNDARIES  not measured: no event has a department"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "go back and forth") || strings.Contains(text, "none tested") {
		t.Errorf("text report measures what it cannot:\n%s", text)
	}
	f, _ := analyse(t, evs, mining.Options{})
	var page bytes.Buffer
	if err := html.Write(&page, f, html.Input{}); err != nil {
		t.Fatal(err)
	}
	want := `<div class="label">Cases with ping-pong</div><div class="value">–</div><div class="note">not measured: no event has a department`
	if !strings.Contains(page.String(), want) {
		t.Errorf("report.html's ping-pong figure does not say it was not measured")
	}
	if !strings.Contains(page.String(), "No event has a department, so handoffs, ping-pong and silos are not measured") ||
		strings.Contains(page.String(), "No case bounces") {
		t.Errorf("report.html's key findings do not say ping-pong was not measured")
	}
}

// With a calendar, the page says its durations are working time, as the
// text report does.
func TestPageSaysWorkingTime(t *testing.T) {
	office := &calendar.Calendar{Name: "office"}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = []calendar.Shift{{Start: 9 * 3600, End: 17 * 3600}}
	}
	for _, c := range []struct {
		opt  mining.Options
		want bool
	}{{mining.Options{}, false}, {mining.Options{Calendar: office}, true}} {
		f, _ := analyse(t, threeCases, c.opt)
		var page bytes.Buffer
		if err := html.Write(&page, f, html.Input{}); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(page.String(), `Durations are working time: calendar &#34;office&#34; (UTC, a working day is 8.0 h)`)
		if got != c.want {
			t.Errorf("calendar %v: page says working time: %v, want %v", c.opt.Calendar != nil, got, c.want)
		}
	}
}

// The exported map draws --map-detail transitions, the most frequent
// variant's path first even where other transitions are more frequent: A→B
// and B→C (4 times each) lose to A→X, X→Y, Y→Z (3 times), the path of the
// 3 cases of the most frequent variant.
func TestMapDetail(t *testing.T) {
	var evs []ev
	for i, acts := range [][]string{{"A", "X", "Y", "Z"}, {"A", "X", "Y", "Z"}, {"A", "X", "Y", "Z"},
		{"A", "B", "C"}, {"A", "B", "C", "D"}, {"A", "B", "C", "E"}, {"A", "B", "C", "F"}} {
		for j, a := range acts {
			evs = append(evs, ev{fmt.Sprint("c", i), a, fmt.Sprintf("09:%02d", j)})
		}
	}
	drawn := func(r *Report) []string {
		var out []string
		for _, e := range r.processMap().g.Edges {
			if !e.Dashed {
				out = append(out, r.processMap().g.Boxes[e.From].Name+"→"+r.processMap().g.Boxes[e.To].Name)
			}
		}
		slices.Sort(out)
		return out
	}
	if got, want := drawn(newReport(t, evs, mining.Options{}, Options{MapDetail: 3})), []string{"A→X", "X→Y", "Y→Z"}; !slices.Equal(got, want) {
		t.Errorf("map detail 3 draws %v, want %v", got, want)
	}
	if got := drawn(newReport(t, evs, mining.Options{}, Options{MapDetail: 5})); !slices.Equal(got, []string{"A→B", "A→X", "B→C", "X→Y", "Y→Z"}) {
		t.Errorf("map detail 5 draws %v, want the path and then A→B, B→C", got)
	}
	if got := drawn(newReport(t, evs, mining.Options{}, Options{})); len(got) != 8 {
		t.Errorf("the default draws %d of the 8 transitions: %v", len(got), got)
	}
	if _, err := New(&mining.Findings{}, Input{}, Options{MapDetail: MaxGraphEdges + 1}); err == nil {
		t.Errorf("map detail %d accepted", MaxGraphEdges+1)
	}
}
