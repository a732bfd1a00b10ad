package html

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	xhtml "golang.org/x/net/html"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// ev is an event of a hand-made log: case, activity, clock time on
// handlog.Day and department.
type ev = handlog.Event

var day = handlog.Day

// analyze builds a log from evs in input order and analyses it. The log
// is released when the test ends, as the findings name their cases from it.
func analyze(t *testing.T, evs []ev, opt mining.Options) *mining.Findings {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	l := handlog.Build(t, mem, "log.csv", evs)
	t.Cleanup(l.Release)
	f, err := mining.Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// analyzeLog analyses a log the caller keeps.
func analyzeLog(t *testing.T, l *eventlog.Log, opt mining.Options) *mining.Findings {
	t.Helper()
	f, err := mining.Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func write(t *testing.T, f *mining.Findings, in Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, in); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// threeCases: c1 goes Front → Back → Front in 3 h, c2 Front → Back in
// 1 h, c3 stays in Front for 10 min.
var threeCases = []ev{
	{"c1", "Open", "09:00", "Front"}, {"c1", "Check", "10:00", "Back"}, {"c1", "Reply", "11:00", "Front"}, {"c1", "Close", "12:00", "Front"},
	{"c2", "Open", "09:00", "Front"}, {"c2", "Check", "09:30", "Back"}, {"c2", "Close", "10:00", "Back"},
	{"c3", "Open", "09:00", "Front"}, {"c3", "Close", "09:10", "Front"},
}

var threeInput = Input{
	Files: []File{{Name: "data/log.csv", Format: "csv", Rows: 10, Rejected: 1}},
	Rows:  10, Rejected: 1,
	Rejects: []string{"data/log.csv:5:3: time \"yesterday\" is not a timestamp: use --time-format"},
	From:    day.Add(9 * time.Hour), To: day.Add(12 * time.Hour),
	Args: []string{"caseflow", "analyze", "data/log.csv", "--html", "report.html"},
}

// The figures on the page, computed by hand from threeCases.
func TestHandChecked(t *testing.T) {
	page := write(t, analyze(t, threeCases, mining.Options{}), threeInput)
	doc := checkPage(t, page)

	var kpis []string
	walk(byID(t, doc, "summary"), func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && attr(n, "class") == "value" {
			kpis = append(kpis, text(n))
		}
	})
	// 3 cases; lead times 10 min, 1 h, 3 h: median 1 h; no case is long;
	// no case ping-pongs, as c1's return to Front, its first department,
	// only closes it (a closing return); no boundary has 30 handoffs to be
	// tested; 1 of 10 rows rejected.
	if want := []string{"3", "1.0 h", "0", "0.0 %", "0", "1"}; !reflect.DeepEqual(kpis, want) {
		t.Errorf("summary figures %q, want %q", kpis, want)
	}
	// P90 and P95 interpolate between 1 h and 3 h: 1 h + 0.8·2 h = 2.6 h,
	// 1 h + 0.9·2 h = 2.8 h.
	if s := text(byID(t, doc, "summary")); !strings.Contains(s, "P90 2.6 h · P95 2.8 h") {
		t.Errorf("summary lacks P90 2.6 h and P95 2.8 h:\n%s", s)
	}

	// Slowest cases, longest first, with their department paths.
	var cases [][]string
	for _, r := range tableRows(t, byID(t, doc, "cases"), 0) {
		cases = append(cases, []string{r[0], r[1], r[3], r[4], r[7]})
	}
	want := [][]string{
		{"c1", "3.0 h", "2", "0", "Front → Back → Front"},
		{"c2", "1.0 h", "1", "0", "Front → Back"},
		{"c3", "10 min", "0", "0", "Front"},
	}
	if !reflect.DeepEqual(cases, want) {
		t.Errorf("slowest cases\n%q, want\n%q", cases, want)
	}

	// No ping-pong pair: c1's return is a closing one, said so apart.
	if elements(byID(t, doc, "pingpong"), "table") != nil {
		t.Errorf("a ping-pong table without ping-pong")
	}
	s := text(byID(t, doc, "pingpong"))
	for _, want := range []string{"Closing returns are left out: 1 case (33.3 % of cases) go back to their first department only to be closed there.",
		"0 measured cases have ping-pong and 3 do not, so there is nothing to compare."} {
		if !strings.Contains(s, want) {
			t.Errorf("ping-pong section lacks %q:\n%s", want, s)
		}
	}

	// Transitions: Open → Check twice (1 h and 30 min: median 45 min).
	trans := tableRows(t, byID(t, doc, "tables"), 0)
	if want := []string{"Open", "Check", "2", "45 min", "45 min", "57 min"}; !reflect.DeepEqual(trans[0], want) {
		t.Errorf("first transition %q, want %q", trans[0], want)
	}
	if len(trans) != 5 {
		t.Errorf("%d transitions, want 5", len(trans))
	}
	// The drawings carry the same figures: the map labels Open → Check,
	// the graph and the heat map the two handoffs Front → Back (c1 at
	// 9:00 → 10:00, c2 at 9:00 → 9:30: median 45 min).
	svgs := elements(doc, "svg")
	if len(svgs) != 4 {
		t.Fatalf("%d drawings, want 4 (map, graph, heat map, histogram)", len(svgs))
	}
	// The graph marks no ping-pong pair (⇄): c1's return is a closing one.
	if s := text(svgs[1]); strings.Contains(s, "⇄") {
		t.Errorf("the handoff graph marks a ping-pong pair:\n%s", s)
	}
	for i, want := range []string{"Open → Check: 2 times in 2 cases; median 45 min", "Front → Back: 2 handoffs in 2 cases, median delay 45 min", "Front → Back: 2 handoffs, median delay 45 min", "median 1.0 h"} {
		if s := text(svgs[i]); !strings.Contains(s, want) {
			t.Errorf("drawing %d lacks %q:\n%s", i, want, s)
		}
	}

	// Input: rows, rejects and the command line.
	in := text(byID(t, doc, "input"))
	for _, want := range []string{"caseflow analyze data/log.csv --html report.html", "2024-03-04 09:00 – 2024-03-04 12:00 UTC (3.0 h)",
		`data/log.csv:5:3: time "yesterday" is not a timestamp`} {
		if !strings.Contains(in, want) {
			t.Errorf("input section lacks %q:\n%s", want, in)
		}
	}
}

// Names from the log, the file names and the command line reach the page
// as text, never as markup: no script but ours, no element or attribute
// of theirs.
func TestHostileNames(t *testing.T) {
	const (
		d1 = `<script>alert(1)</script>`
		d2 = `"><img src=x onerror=alert(2)>`
		a1 = `<script>alert(3)</script>`
		a2 = `</svg><script>alert(4)</script><svg>`
		a3 = `a & b ' " < c`
	)
	var evs []ev
	for i := range 12 {
		c := fmt.Sprintf(`<b onmouseover=alert(5)>%d</b>`, i)
		evs = append(evs,
			ev{c, a1, "09:00", d1}, ev{c, a2, fmt.Sprintf("09:%02d", 10+i), d2},
			ev{c, a3, fmt.Sprintf("10:%02d", i), d1}, ev{c, a2, fmt.Sprintf("10:%02d", 30+i), d1})
	}
	in := Input{
		Files: []File{{Name: `<script>alert(6)</script>.csv`, Format: "csv", Rows: 49, Rejected: 1}},
		Rows:  49, Rejected: 1,
		Rejects: []string{`x.csv:2:3: bad <script>alert(7)</script>`},
		Args:    []string{"caseflow", "analyze", `--department=<script>alert(8)</script>`},
	}
	l, opt := handLog(evs, mining.Options{MinSupport: 2})(t)
	in.Log = l // the explorer's data block holds the names too
	page := write(t, analyzeLog(t, l, opt), in)
	doc := checkPage(t, page)
	for _, bad := range []string{"<script>alert", "<img", "<b onmouseover", "<svg><script"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	body := text(doc)
	for _, name := range []string{d1, d2, a1, a2, a3, `<b onmouseover=alert(5)>0</b>`, `<script>alert(6)</script>.csv`, `<script>alert(7)</script>`, `<script>alert(8)</script>`} {
		if !strings.Contains(body, name) {
			t.Errorf("the page does not show %q as text", name)
		}
	}
	// The drawings show the names too, escaped inside the SVG.
	for _, s := range elements(doc, "svg")[:3] {
		if st := text(s); !strings.Contains(st, "<script>alert(") {
			t.Errorf("a drawing does not show the names:\n%.300s", st)
		}
	}
}

// Control characters and invalid UTF-8, which XML forbids, become U+FFFD,
// and the drawings stay well-formed.
func TestControlCharacters(t *testing.T) {
	evs := []ev{{"c", "A\x01\xff", "09:00", "X\x00"}, {"c", "B\tb", "10:00", "Y\x1b"}, {"c", "A\x01\xff", "11:00", "X\x00"}}
	doc := checkPage(t, write(t, analyze(t, evs, mining.Options{}), Input{}))
	body := text(doc)
	for _, want := range []string{"A\ufffd\ufffd", "B b", "X\ufffd"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestEmptyLog(t *testing.T) {
	page := write(t, analyze(t, nil, mining.Options{}), Input{})
	doc := checkPage(t, page)
	if s := text(byID(t, doc, "summary")); !strings.Contains(s, "The log has no cases") {
		t.Errorf("empty log: summary says\n%s", s)
	}
	if err := Write(&bytes.Buffer{}, nil, Input{}); !errors.Is(err, ErrInput) {
		t.Errorf("nil findings: error %v, want ErrInput", err)
	}
}

// Resource units shown under other names: every unit name on the page is
// the given one, and the original names appear nowhere.
func TestUnitNames(t *testing.T) {
	f := analyze(t, threeCases, mining.Options{})
	page := write(t, f, Input{Unit: func(s string) string { return "unit-" + strings.ToLower(s) }})
	doc := checkPage(t, page)
	for _, id := range []string{"handoffs", "pingpong", "silos", "cases"} {
		s := text(byID(t, doc, id))
		if strings.Contains(s, "Front") || strings.Contains(s, "Back") {
			t.Errorf("section %s shows an original unit name:\n%s", id, s)
		}
	}
	if s := text(byID(t, doc, "cases")); !strings.Contains(s, "unit-front → unit-back → unit-front") {
		t.Errorf("slowest cases do not show the given names:\n%s", s)
	}
}

// The same findings give the same bytes, and so does analysing again.
func TestDeterministic(t *testing.T) {
	a := write(t, analyze(t, threeCases, mining.Options{}), threeInput)
	b := write(t, analyze(t, threeCases, mining.Options{}), threeInput)
	if !bytes.Equal(a, b) {
		t.Error("two reports of the same log differ")
	}
}

func TestGolden(t *testing.T) {
	page := write(t, analyze(t, threeCases, mining.Options{}), threeInput)
	path := filepath.Join("..", "..", "testdata", "golden", "html", "three-cases.html")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, page, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(page, want) {
		t.Errorf("report differs from %s (run go test -update after checking the change)", path)
	}
}

// Whatever the names in the log, the page keeps its promises (checkPage)
// and shows them as text.
func FuzzNames(f *testing.F) {
	f.Add("<script>alert(1)</script>", `"><img src=x onerror=alert(2)>`, "c")
	f.Add("</svg><script>x</script>", "]]><!--", "<b>")
	f.Add("a\x00\x01\xff", "&amp; &lt; &#34;", "'\"")
	f.Add("url(http://example.com)", "javascript:alert(1)", "{{.}}")
	f.Fuzz(func(t *testing.T, activity, department, id string) {
		if activity == "" || id == "" {
			t.Skip("readers reject rows without a case or an activity")
		}
		evs := []ev{{id, activity, "09:00", department}, {id, "x", "10:00", "y"}, {id, activity, "11:00", department}}
		doc := checkPage(t, write(t, analyze(t, evs, mining.Options{}), Input{Args: []string{activity}}))
		if body, want := text(doc), clean(activity); !strings.Contains(body, want) {
			t.Errorf("page does not show the activity %q", want)
		}
	})
}

// With an SLA of 2 h only c1 (3 h) is long. c1 waits 1 h to get into Back
// and 1 h to get back into Front, where it then stays 1 h: Front has 2 of
// its 3 h, Back 1 h. The other cases' 70 min: c2 waits 30 min for Back and
// stays 30 min there, c3 stays 10 min in Front: Back 60/70, Front 10/70.
func TestLongCases(t *testing.T) {
	doc := checkPage(t, write(t, analyze(t, threeCases, mining.Options{SLA: 2 * time.Hour}), threeInput))
	where := tableRows(t, byID(t, doc, "leadtime"), 1)
	want := [][]string{{"Front", "66.7 %", "14.3 %", "52.4 %"}, {"Back", "33.3 %", "85.7 %", "−52.4 %"}}
	if !reflect.DeepEqual(where, want) {
		t.Errorf("where long cases spend their time:\n%q, want\n%q", where, want)
	}
	s := text(byID(t, doc, "leadtime"))
	for _, w := range []string{"long: over the SLA of 2.0 h", "1 (33.3 %) — over the SLA of 2.0 h"} {
		if !strings.Contains(s, w) {
			t.Errorf("lead-time section lacks %q:\n%s", w, s)
		}
	}
	if s := text(byID(t, doc, "summary")); !strings.Contains(s, "Long cases spend 66.7 % of their time in or waiting for Front, other cases 14.3 %.") {
		t.Errorf("summary lacks where long cases spend their time:\n%s", s)
	}
}
