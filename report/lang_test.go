package report

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
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/history"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/internal/msgcat"
	"github.com/caseflow/caseflow/mining"
)

// sectionReports are reports that between them reach every sentence of
// the text report: the worked example (with rates, an SLA per value,
// working time, a history), other levels, a random log, a log without
// units, an empty log, a log of contacts with and without a customer
// column, and planted call figures.
func sectionReports(t *testing.T) map[string]*Report {
	t.Helper()
	out := reports(t)
	out["cost"] = newReport(t, threeCases, mining.Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: workedRates()}, Options{})
	out["cost, no span"] = newReport(t, threeCases[:1], mining.Options{Cost: &mining.Rates{PerHandoff: 1}}, Options{})
	out["quantile"] = newReport(t, randomLog(t, 300, 6), mining.Options{MinSupport: 5, LongQuantile: 0.9}, Options{})
	add := func(name string, f *mining.Findings, in Input) {
		r, err := New(f, in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = r
	}
	f, in := splitFindings(t, mining.Options{})
	f.WorkingTime = &mining.WorkingTime{Default: mining.CalendarNote{Calendar: "office", Zone: "UTC", Day: 8 * 3600}}
	f.Working.Queued = 2
	add("working", f, in)
	f, in = analyse(t, threeCases, depOpt)
	f.Calls = &mining.Calls{Threshold: 20, All: mining.CallGroup{Calls: 10, InVRU: 2, Offered: 8, Answered: 6, Abandoned: 2,
		AbandonedShare: 0.25, AbandonMedian: 40, Queued: 5, WaitMedian: 30, WaitP90: 90, ServiceLevel: 0.5, HandleMedian: 200, HandleMean: 240},
		ByType: []mining.CallGroup{{Name: "sales", Calls: 10, Offered: 8}}, ByHour: []mining.CallGroup{{Name: "09", Calls: 10, Offered: 8}}}
	add("calls", f, in)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	l := handlog.Contacts(t, mem, handlog.RepeatCaller)
	t.Cleanup(l.Release) // the reports name their cases from it
	for _, o := range []mining.Options{{Customer: "customer", Reason: "reason"}, {Customer: "customer"}, {}} {
		f, err := mining.Analyze(l, o)
		if err != nil {
			t.Fatal(err)
		}
		add("journeys "+o.Customer+o.Reason, f, Input{})
	}
	r := newReport(t, threeCases, mining.Options{MinSupport: 2}, Options{})
	r.SetSince(&history.Comparison{Previous: "run-1", PreviousTime: time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC), Comparable: 3, OtherOptions: 1, K: 7, FDR: 0.01,
		Changes: []history.Change{
			{Metric: MetricMedian, Kind: history.Durations, Runs: 3, Pooled: true, Before: 86400, After: 108000, Diff: 18000, Low: 7200, High: 25200,
				Method: history.MannWhitney, P: 0.001, PAdjusted: 0.004, Significant: true, Worse: true},
			{Metric: MetricPingPong, Kind: history.Rate, Runs: 1, Before: 0.1, After: 0.05, Method: history.ZTest, P: 0.001, PAdjusted: 0.001, Significant: true},
			{Metric: "pingpong.pair[KCC ↔ Taxes].case_rate", Kind: history.Rate, Runs: 1, Method: history.ZTest, P: 1, PAdjusted: 1},
		},
		TooFew: []string{MetricFCR}, Untested: []string{"silos.boundary[A → B].median_wait_s"}}, 4)
	out["since"] = r
	first := newReport(t, threeCases, mining.Options{MinSupport: 2}, Options{})
	first.SetSince(&history.Comparison{}, 0)
	out["since, first"] = first
	other := newReport(t, threeCases, mining.Options{MinSupport: 2}, Options{})
	other.SetSince(&history.Comparison{OtherOptions: 2}, 2)
	out["since, other options"] = other
	return out
}

// TestCatalogueComplete renders the reports that reach every section,
// records each format string the text writer translates, and fails on one
// without a Dutch entry: a sentence added in English only.
func TestCatalogueComplete(t *testing.T) {
	used := map[string]bool{}
	reps := sectionReports(t)
	for _, name := range slices.Sorted(maps.Keys(reps)) {
		if err := reps[name].writeText(&bytes.Buffer{}, Style{Lang: language.Dutch}, func(f string) { used[f] = true }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(used)) {
		if _, ok := dutch[f]; !ok {
			t.Errorf("no Dutch for %q", f)
		}
	}
	t.Logf("%d format strings used, %d in the catalogue", len(used), len(dutch))
}

// TestCatalogueCoversCallSites reads the package's source for every
// string literal the text writer translates (the format of t.Sprintf,
// p.Sprintf of a sprinter and t.printf, the title of t.heading, the words of t.words and t.count), so
// that a sentence on a path no test report reaches is checked too.
func TestCatalogueCoversCallSites(t *testing.T) {
	for _, f := range callSiteFormats(t) {
		if _, ok := dutch[f]; !ok {
			t.Errorf("no Dutch for %q", f)
		}
	}
}

func callSiteFormats(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
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
			// t is the text writer; p a sprinter given it (changeText).
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "t" && !(x.Name == "p" && sel.Sel.Name == "Sprintf") {
				return true
			}
			args := call.Args
			switch sel.Sel.Name {
			case "Sprintf", "printf", "heading":
				args = args[:1]
			case "words", "count":
			default:
				return true
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
	return slices.Sorted(maps.Keys(seen))
}

// TestCatalogueVerbs checks that each Dutch entry takes the same
// arguments, in the same order, as its English format: a Dutch sentence
// that dropped or swapped a figure would print a wrong number silently.
func TestCatalogueVerbs(t *testing.T) {
	for _, en := range slices.Sorted(maps.Keys(dutch)) {
		nl := dutch[en]
		if a, b, ok := msgcat.SameVerbs(en, nl); !ok {
			t.Errorf("%q has verbs %q, its Dutch %q has %q", en, a, nl, b)
		}
		if strings.HasSuffix(en, "\n") != strings.HasSuffix(nl, "\n") || strings.HasPrefix(en, "  ") != strings.HasPrefix(nl, "  ") {
			t.Errorf("%q and its Dutch %q differ in layout", en, nl)
		}
	}
}
