package html

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	xhtml "golang.org/x/net/html"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report"
)

// figures are what one output says about a handful of things; a median of
// -1 means the output says it was not measured.
type figures struct {
	cases, handoffs int
	median          float64
	pairs           []pairFigure // the top pairs, as many as the output lists
}

type pairFigure struct {
	a, b               string
	occurrences, cases int
}

// pingPongLog has planted figures: 4 cases, 8 handoffs, the pair
// Front–Back bouncing twice in two cases (p1 and p2 leave Front again for
// Archive, so neither return is a closing one), and lead times 3 h, 2 h,
// 10 min and 4 h: a median of 2.5 h.
var pingPongLog = []ev{
	{"p1", "Open", "09:00", "Front"}, {"p1", "Check", "10:00", "Back"}, {"p1", "Reply", "11:00", "Front"}, {"p1", "File", "12:00", "Archive"},
	{"p2", "Open", "09:00", "Front"}, {"p2", "Check", "09:30", "Back"}, {"p2", "Reply", "10:00", "Front"}, {"p2", "File", "11:00", "Archive"},
	{"p3", "Open", "09:00", "Front"}, {"p3", "File", "09:10", "Archive"},
	{"p4", "Open", "09:00", "Front"}, {"p4", "Check", "13:00", "Back"},
}

// The text, JSON, CSV and HTML reports of the same findings give the same
// cases, handoffs, top ping-pong pairs and median lead time, each to the
// precision it prints; on the planted log they are the planted ones, and
// where the lead time was not measured every output says so ("-" or "–";
// the JSON with lead_time.cases 0), never "0 s".
func TestOutputsAgree(t *testing.T) {
	planted := figures{cases: 4, handoffs: 8, median: 2.5 * 3600, pairs: []pairFigure{{"Back", "Front", 2, 2}}}
	for _, c := range []struct {
		name string
		log  func(t *testing.T) (*eventlog.Log, mining.Options)
		want *figures
	}{
		{"planted", handLog(pingPongLog, mining.Options{MinSupport: 2}), &planted},
		{"no lead time", handLog(pingPongLog, mining.Options{MinSupport: 2, From: "File", To: "Open"}),
			&figures{cases: 4, handoffs: 8, median: -1, pairs: planted.pairs}},
		{"receipt", func(t *testing.T) (*eventlog.Log, mining.Options) {
			f, in := readReal(t, "receipt/receipt.csv", "org:group")
			return in.Log, f.Options
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, opt := c.log(t)
			f, err := mining.Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := report.New(f, report.Input{Events: f.Events, Cases: len(f.Cases)}, report.Options{Top: 1000})
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			for _, o := range rep.Outputs() {
				var b bytes.Buffer
				if err := o.Write(&b); err != nil {
					t.Fatal(err)
				}
				files[o.Name] = b.Bytes()
			}
			var page bytes.Buffer
			if err := Write(&page, f, Input{Log: l}); err != nil {
				t.Fatal(err)
			}
			outs := map[string]figures{
				"text": fromText(t, string(files["report.txt"])),
				"JSON": fromJSON(t, files["report.json"]),
				"CSV":  fromCSV(t, files),
				"HTML": fromHTML(t, page.Bytes()),
			}
			ref := outs["JSON"]
			if c.want != nil {
				ref = *c.want
			}
			for _, name := range []string{"text", "JSON", "CSV", "HTML"} {
				got := outs[name]
				if got.cases != ref.cases || got.handoffs != ref.handoffs {
					t.Errorf("%s: %d cases and %d handoffs, want %d and %d", name, got.cases, got.handoffs, ref.cases, ref.handoffs)
				}
				if !sameDuration(got.median, ref.median) {
					t.Errorf("%s: median lead time %v s, want %v s", name, got.median, ref.median)
				}
				n := min(len(got.pairs), len(ref.pairs))
				if n == 0 && len(ref.pairs) > 0 || !slices.Equal(got.pairs[:n], ref.pairs[:n]) {
					t.Errorf("%s: top pairs %v, want %v", name, got.pairs, ref.pairs)
				}
			}
		})
	}
}

// handLog builds evs into a log that stays until the test ends.
func handLog(evs []ev, opt mining.Options) func(t *testing.T) (*eventlog.Log, mining.Options) {
	return func(t *testing.T) (*eventlog.Log, mining.Options) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		t.Cleanup(func() { mem.AssertSize(t, 0) })
		l := handlog.Build(t, mem, "log.csv", evs)
		t.Cleanup(l.Release)
		return l, opt
	}
}

// sameDuration says whether two durations agree to the two significant
// digits the page prints (both -1 when not measured).
func sameDuration(a, b float64) bool {
	if a < 0 || b < 0 {
		return a == b
	}
	return math.Abs(a-b) <= 0.05*max(a, b)+0.05
}

var durRE = regexp.MustCompile(`^(−?[\d.,]+) (s|min|h|d)$`)

// parseDur reads a duration as the reports print it; "-" and "–" are -1,
// and anything else fails the test.
func parseDur(t *testing.T, s string) float64 {
	t.Helper()
	s = strings.TrimSpace(s)
	if s == "-" || s == "–" {
		return -1
	}
	m := durRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%q is not a duration", s)
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		t.Fatal(err)
	}
	return x * map[string]float64{"s": 1, "min": 60, "h": 3600, "d": 86400}[m[2]]
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		t.Fatalf("%q is not a count", s)
	}
	return n
}

var (
	textCases    = regexp.MustCompile(`events in ([\d,]+) cases`)
	textHandoffs = regexp.MustCompile(`([\d,]+) handoffs between`)
	textMedian   = regexp.MustCompile(`(?m)^LEAD TIME\s+(?:median ([\d.,]+ (?:s|min|h|d))|no case has a lead time)`)
	textPair     = regexp.MustCompile(`(?m)^  (\S.*?) ↔ (\S.*?)\s{2,}([\d,]+)\s+([\d,]+)\s`)
)

func fromText(t *testing.T, s string) figures {
	t.Helper()
	var f figures
	for _, m := range []struct {
		re *regexp.Regexp
		to func(string)
	}{
		{textCases, func(v string) { f.cases = atoi(t, v) }},
		{textHandoffs, func(v string) { f.handoffs = atoi(t, v) }},
		{textMedian, func(v string) { f.median = parseDur(t, cmp.Or(v, "-")) }},
	} {
		x := m.re.FindStringSubmatch(s)
		if x == nil {
			t.Fatalf("the text report has no %s:\n%s", m.re, s)
		}
		m.to(x[1])
	}
	for _, x := range textPair.FindAllStringSubmatch(s, -1) {
		f.pairs = append(f.pairs, pairFigure{x[1], x[2], atoi(t, x[3]), atoi(t, x[4])})
	}
	return f
}

func fromJSON(t *testing.T, b []byte) figures {
	t.Helper()
	var doc struct {
		Log      struct{ Cases int }
		Flows    struct{ Handoffs int }
		LeadTime struct {
			Cases  int
			Median float64 `json:"median_s"`
		} `json:"lead_time"`
		PingPong struct {
			Pairs []struct {
				A, B               string
				Occurrences, Cases int
			}
		} `json:"pingpong"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	f := figures{cases: doc.Log.Cases, handoffs: doc.Flows.Handoffs, median: -1}
	if doc.LeadTime.Cases > 0 { // the JSON's median is 0 when no case was measured
		f.median = doc.LeadTime.Median
	}
	for _, p := range doc.PingPong.Pairs {
		f.pairs = append(f.pairs, pairFigure{p.A, p.B, p.Occurrences, p.Cases})
	}
	return f
}

// fromCSV counts the cases of cases.csv and takes the median of its lead
// times (the mean of the middle two), sums handoffs.csv and reads
// pingpong.csv.
func fromCSV(t *testing.T, files map[string][]byte) figures {
	t.Helper()
	read := func(name string) []map[string]string {
		rows, err := csv.NewReader(bytes.NewReader(files[name])).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		var out []map[string]string
		for _, r := range rows[1:] {
			m := map[string]string{}
			for i, h := range rows[0] {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	f := figures{median: -1}
	var leads []float64
	for _, c := range read("cases.csv") {
		f.cases++
		if x, err := strconv.ParseFloat(c["lead_time_s"], 64); err == nil {
			leads = append(leads, x)
		}
	}
	if len(leads) > 0 {
		slices.Sort(leads)
		f.median = (leads[(len(leads)-1)/2] + leads[len(leads)/2]) / 2
	}
	for _, h := range read("handoffs.csv") {
		f.handoffs += atoi(t, h["handoffs"])
	}
	for _, p := range read("pingpong.csv") {
		f.pairs = append(f.pairs, pairFigure{p["a"], p["b"], atoi(t, p["occurrences"]), atoi(t, p["cases"])})
	}
	return f
}

var htmlHandoffs = regexp.MustCompile(`of ([\d,]+) handoffs\.`)

// fromHTML reads the summary's figures, the handoff graph's note and the
// ping-pong table.
func fromHTML(t *testing.T, page []byte) figures {
	t.Helper()
	doc := checkPage(t, page)
	kpi := map[string]string{}
	walk(byID(t, doc, "summary"), func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && attr(n, "class") == "kpi" {
			var label, value string
			walk(n, func(c *xhtml.Node) {
				switch attr(c, "class") {
				case "label":
					label = text(c)
				case "value":
					value = text(c)
				}
			})
			kpi[label] = value
		}
	})
	f := figures{cases: atoi(t, kpi["Cases"]), median: parseDur(t, kpi["Median lead time"])}
	m := htmlHandoffs.FindStringSubmatch(text(byID(t, doc, "hg-note")))
	if m == nil {
		t.Fatalf("the handoff graph's note gives no handoffs: %q", text(byID(t, doc, "hg-note")))
	}
	f.handoffs = atoi(t, m[1])
	for _, r := range tableRows(t, byID(t, doc, "pingpong"), 0) {
		f.pairs = append(f.pairs, pairFigure{r[0], r[1], atoi(t, r[2]), atoi(t, r[3])})
	}
	return f
}
