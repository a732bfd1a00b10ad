package html

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/internal/msgcat"
	"github.com/caseflow/caseflow/internal/realdata"
	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report"
)

// blockPages are pages that between them reach every block of the page:
// the three-case log at both levels, with an SLA, working time and a
// work/wait split, rates, call records, contacts with a customer, a
// history's trends and changes, joined sources, rejected rows, a log
// whose events have no unit, an empty log, and the receipt log when
// ../shared/data is there.
func blockPages(t *testing.T) map[string]struct {
	f  *mining.Findings
	in Input
} {
	t.Helper()
	out := map[string]struct {
		f  *mining.Findings
		in Input
	}{}
	add := func(name string, f *mining.Findings, in Input) {
		out[name] = struct {
			f  *mining.Findings
			in Input
		}{f, in}
	}
	in := threeInput
	in.Trends = []Trend{fiveRuns, {Name: "lead_time.median_s", Label: "median", Points: []TrendPoint{{Run: "this run", Value: 3600}}}}
	in.Changes = []Change{{Text: "ping-pong rose", Worse: true}, {Text: "FCR rose"}}
	in.Sources = []Source{{Name: "tickets", Key: "case_id", Cases: 2}, {Name: "calls", Key: "ticket", Cases: 1}}
	in.Rejected, in.Rejects = 5, []string{"a.csv:2:1: no case id"}
	add("three cases", analyze(t, threeCases, mining.Options{}), in)
	add("resource", analyze(t, threeCases, mining.Options{Level: mining.Resource}), threeInput)
	add("SLA", analyze(t, threeCases, mining.Options{SLA: 2 * time.Hour, MinSupport: 1}), threeInput)
	add("quantile", analyze(t, threeCases, mining.Options{LongQuantile: 0.5, MinSupport: 1}), threeInput)
	f := withSplit(t, mining.Options{})
	f.WorkingTime = &mining.WorkingTime{Default: mining.CalendarNote{Calendar: "office", Zone: "UTC", Day: 8 * 3600}}
	add("working", f, threeInput)
	add("no unit", analyze(t, []ev{{"c1", "a", "09:00", ""}, {"c1", "b", "10:00", ""}}, mining.Options{}), Input{})
	add("empty", analyze(t, nil, mining.Options{}), Input{})

	// The pages read the logs: they are released when the test ends.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	three := handlog.Build(t, mem, "", handlog.ThreeCases)
	t.Cleanup(three.Release)
	rates := &mining.Rates{Currency: "EUR", PerMinute: map[string]float64{"Front": 0.90, "Back": 1.10}, PerHandoff: 2.50, PerWaitingHour: 6, MinutesPerEvent: 5}
	add("cost", analyzeLog(t, three, mining.Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: rates}), Input{Log: three})
	contacts := handlog.Contacts(t, mem, handlog.RepeatCaller)
	t.Cleanup(contacts.Release)
	add("journeys", analyzeLog(t, contacts, mining.Options{Customer: "customer", Reason: "reason"}), Input{})
	f = analyze(t, threeCases, mining.Options{})
	f.Calls = &mining.Calls{Threshold: 20, All: mining.CallGroup{Calls: 10, InVRU: 2, Offered: 8, Answered: 6, Abandoned: 2,
		AbandonedShare: 0.25, AbandonMedian: 40, Queued: 5, WaitMedian: 30, WaitP90: 90, ServiceLevel: 0.5, HandleMedian: 200, HandleMean: 240},
		ByType: []mining.CallGroup{{Name: "sales", Calls: 10, Offered: 8}}, ByHour: []mining.CallGroup{{Name: "09", Calls: 10, Offered: 8}}}
	add("calls", f, threeInput)
	if realdata.Dir() != "" && !testing.Short() {
		f, in := readReal(t, "receipt/receipt.csv", "org:group")
		add("receipt", f, in)
	}
	return out
}

// dutchPage writes the Dutch page of f and in, recording each English
// string translated on the way.
func dutchPage(t *testing.T, f *mining.Findings, in Input, seen func(string)) []byte {
	t.Helper()
	l := newLang(language.Dutch)
	l.seen = seen
	var b bytes.Buffer
	if err := writeIn(&b, f, in, l); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCatalogueComplete renders the pages that reach every block in
// Dutch, records each string the page translates, and fails on one
// without a Dutch entry: a sentence added in English only.
func TestCatalogueComplete(t *testing.T) {
	used := map[string]bool{}
	pages := blockPages(t)
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		p := pages[name]
		checkPage(t, dutchPage(t, p.f, p.in, func(s string) { used[s] = true }))
	}
	for _, s := range slices.Sorted(maps.Keys(used)) {
		if _, ok := dutch[s]; !ok {
			t.Errorf("no Dutch for %q", s)
		}
	}
	t.Logf("%d strings used, %d in the catalogue", len(used), len(dutch))
}

// TestCatalogueCoversCallSites reads the package's source, its template
// and its script for every literal they translate (the format of l.f and
// the words of l.plural; the format of the template's tr; the literals
// of the script's tr) and the words translated through a variable (the
// measures, the time axis), so that a sentence on a path no test page
// reaches is checked too.
func TestCatalogueCoversCallSites(t *testing.T) {
	for _, s := range callSiteFormats(t) {
		if _, ok := dutch[s]; !ok {
			t.Errorf("no Dutch for %q", s)
		}
	}
}

func callSiteFormats(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "l" {
				return true
			}
			var args []ast.Expr
			switch sel.Sel.Name {
			case "f":
				args = call.Args[:1]
			case "plural":
				args = call.Args[1:]
			}
			for _, a := range args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					seen[s] = true
				}
			}
			return true
		})
	}
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.ListNode:
			if x != nil {
				for _, c := range x.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			for _, c := range x.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			if id, ok := x.Args[0].(*parse.IdentifierNode); ok && id.Ident == "tr" {
				if s, ok := x.Args[1].(*parse.StringNode); ok {
					seen[s.Text] = true
				}
			}
			for _, a := range x.Args {
				walk(a)
			}
		case *parse.IfNode:
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.List)
			walk(x.ElseList)
		}
	}
	for _, tm := range tmpl.Templates() {
		walk(tm.Tree.Root)
	}
	for _, w := range scriptWords {
		seen[w] = true
	}
	for _, ms := range [][]struct{ ID, Name string }{measures, pairMeasures} {
		for _, m := range ms {
			seen[m.Name] = true
		}
	}
	for _, m := range landmarks {
		seen[m.label] = true
	}
	for _, w := range []string{"department", "departments", "resource", "resources", "channel", "reason", "closed by", "type", "hour"} {
		seen[w] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// sorted lists a catalogue's English.
func sorted(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// TestCatalogueVerbs checks that each Dutch entry takes the same
// arguments as its English format (the same verbs, in the same order
// unless indexed): a Dutch sentence that dropped or swapped a figure
// would show a wrong number silently.
func TestCatalogueVerbs(t *testing.T) {
	for _, en := range slices.Sorted(maps.Keys(dutch)) {
		nl := dutch[en]
		if a, b, ok := msgcat.SameVerbs(en, nl); !ok {
			t.Errorf("%q has verbs %q, its Dutch %q has %q", en, a, nl, b)
		}
	}
}

// TestCatalogueAgrees: a string that the text report translates too has
// the same Dutch on the page, so that both speak with the same words.
func TestCatalogueAgrees(t *testing.T) {
	shared := 0
	for _, en := range slices.Sorted(maps.Keys(dutch)) {
		if nl, ok := report.Dutch(en); ok {
			shared++
			if nl != dutch[en] {
				t.Errorf("%q: the page says %q, the text report %q", en, dutch[en], nl)
			}
		}
	}
	if shared == 0 {
		t.Error("no string shared with the text report: the comparison looked at nothing")
	}
}

// TestDutchNumbers: the Dutch page writes the three-case log's figures
// with a decimal comma and Dutch units (c1's 3.0 h lead time is 3,0 u,
// the median of 70 min is 70 min, 100.0 % is 100,0 %), and its English
// twin keeps the English.
func TestDutchNumbers(t *testing.T) {
	f := analyze(t, threeCases, mining.Options{})
	nl := string(dutchPage(t, f, threeInput, nil))
	en := string(write(t, f, threeInput))
	for _, c := range []struct{ nl, en string }{
		{`<html lang="nl">`, `<html lang="en">`},
		{`data-v="10800">3,0 u</td>`, `data-v="10800">3.0 h</td>`},
		{"100,0 %", "100.0 %"},
		{"<h2>Samenvatting</h2>", "<h2>Summary</h2>"},
	} {
		if !strings.Contains(nl, c.nl) {
			t.Errorf("the Dutch page lacks %q", c.nl)
		}
		if !strings.Contains(en, c.en) || strings.Contains(en, c.nl) {
			t.Errorf("the English page lacks %q or has %q", c.en, c.nl)
		}
	}
}
