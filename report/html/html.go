package html

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/drawing"
	"github.com/caseflow/caseflow/mining"
	"golang.org/x/text/language"
)

// Input describes what was read and how the report was asked for. The
// caller fills it from its reader and its command line, so this package
// reads no files and no flags.
type Input struct {
	Files []File
	// Rows read (data rows or XES events) and Rejected of them.
	Rows, Rejected int64
	// Rejects are the first rejected rows, each "file:line:column: reason".
	Rejects []string
	// From and To are the first and last event time, shown in their own
	// location, which Zone names ("" is UTC); zero when unknown.
	From, To time.Time
	Zone     string
	// Args is the command line that made the report, flags included.
	Args []string
	// Version names the caseflow that made the report; "" leaves it out.
	Version string
	// OutOfCore says the run held the log's large data in temporary files
	// (caseflow's --memory): the page says so, as the figures, the same
	// either way, took longer.
	OutOfCore bool
	// Log, when not nil, is the log the findings were made from: the page
	// embeds a bounded sample of its cases (see MaxRows) for its variant
	// explorer, case inspector, time charts and filters. Its case ids
	// are shown as they are in it, so pseudonymise them before.
	Log *eventlog.Log
	// Unit, when not nil, gives the name to show for a unit (department or
	// resource), for example a pseudonym at the resource level. Lists keep
	// the findings' order.
	Unit func(name string) string
	// Trends are the headline metrics over the runs of a history; nil
	// without one (no section is drawn). Changes are the significant
	// changes since earlier runs, in words.
	Trends  []Trend
	Changes []Change
	// Sources are the joined sources' counts, one per [[input]] table of
	// an analysis of several systems (ingest.SourceCount); nil for one.
	Sources []Source
	// Lang is the page's language: English (also when unset) or Dutch
	// (report.ParseLang). The names from the log, the trends' labels and
	// the changes' texts are shown as given.
	Lang language.Tag
}

// File is one input file.
type File struct {
	Name, Format   string
	Rows, Rejected int64
}

// Source is one joined source: its records (cases) and events, those
// linked to a case of the first source and not, the records without a
// join key and those that matched several cases.
type Source struct {
	Name, Key                     string
	Cases, Events                 int64
	LinkedCases, LinkedEvents     int64
	UnlinkedCases, UnlinkedEvents int64
	NoKey, OneToMany              int64
}

// Lengths of the page's tables; the JSON and CSV reports hold everything.
const (
	MaxPairs       = 20
	MaxBoundaries  = 30
	MaxCases       = 30
	MaxTransitions = 100
	MaxUnitRows    = 50
	MaxWhere       = 10
	MaxCommunities = 12
	MaxMembers     = 40
	MaxRejects     = 20
	MaxPathSteps   = 16
)

// ErrInput is wrapped by errors about Write's arguments.
var ErrInput = errors.New("html report: invalid input")

var (
	//go:embed page.tmpl
	pageText string
	//go:embed style.css
	style string
	//go:embed script.js
	script string

	// tmpl is the page, parsed once; each Write clones it (html/template
	// cannot clone an executed template) with the functions of its language.
	tmpl = template.Must(template.New("page").Funcs(english.funcs()).Parse(pageText))

	// csp allows nothing but the inline style and the one inline script,
	// by its hash (Content Security Policy Level 2, W3C 2016): the page
	// cannot load anything, and a script smuggled in by a name from the
	// log would not run even if escaping failed.
	csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
		hash(script) + "'; base-uri 'none'; form-action 'none'"
)

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// Script is the page's only script, exactly as it appears between its
// <script> tags; tests compare every script on a page against it.
func Script() string { return script }

// Write writes the HTML report of f to w: one self-contained page with
// inline CSS, SVG drawings and a small script that sorts and filters the
// tables (the page reads fully without it). Names from the log are
// escaped by html/template or, inside the drawings, by esc. The same
// findings and input give the same bytes. An empty log gives a page that
// says so; f must not be nil.
func Write(w io.Writer, f *mining.Findings, in Input) error {
	if f == nil {
		return fmt.Errorf("%w: no findings", ErrInput)
	}
	return writeIn(w, f, in, newLang(in.Lang))
}

// writeIn is Write in l's language.
func writeIn(w io.Writer, f *mining.Findings, in Input, l *lang) error {
	t, err := tmpl.Clone()
	if err == nil {
		err = t.Funcs(l.funcs()).Execute(w, l.build(f, in))
	}
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

// funcs are the template's functions in l's language.
func (l *lang) funcs() template.FuncMap {
	return template.FuncMap{
		"tr": l.tr, "dur": l.dur, "count": l.count, "count64": func(n int64) string { return l.count(int(n)) },
		"count32": func(n int32) string { return l.count(int(n)) },
		"pct":     l.pct, "times": l.times, "pval": l.pval, "raw": raw, "signed": l.signed,
	}
}

// view is what the template shows.
type view struct {
	Lang        string // the page's language, "en" or "nl"
	Title, CSP  string
	Style       template.CSS
	Script      template.JS
	Noun, Nouns string // "department", "departments" or "resource", "resources"
	Heading     string // "Departments" or "Resources"
	KPIs        []kpi
	Key         []string
	Map, Graph  *graphView
	Data        *pageData
	Explore     *exploreHead
	Heat        template.HTML
	HeatNote    string
	Hist        template.HTML
	HistNote    string
	Lead        []stat
	Where       []whereRow
	Working     *workView
	Effect      string
	Closing     string
	Pairs       []pairRow
	PairsNote   string
	Bounds      []boundRow
	BoundsNote  string
	Communities []community
	CommNote    string
	Cases       []caseRow
	CasesNote   string
	Journeys    *journeyView
	Calls       *callView
	Cost        *costView
	Transitions []mining.Edge
	TransNote   string
	Units       []unitRow
	UnitsNote   string
	Files       []File
	Sources     []Source
	Rows        int64
	Rejected    int64
	Events      int
	Period      string
	Command     string
	Version     string
	OutOfCore   bool
	Options     []stat
	Rejects     []string
	RejectsNote string
	Empty       bool
	Trends      []trendView
	Changes     []Change
}

type kpi struct{ Label, Value, Note string }

type stat struct{ Name, Value string }

type whereRow struct {
	Unit              string
	Long, Other, Diff float64
}

type pairRow struct {
	A, B               string
	Occurrences, Cases int
	Return             float64
	LeadCases          int
	Lead, Extra        float64
}

type boundRow struct {
	mining.Boundary
	From, To string
}

type community struct {
	Index   int
	Class   string
	Members []string
	More    int
}

type caseRow struct {
	mining.Case
	ID, Path string
	Steps    int
}

type unitRow struct {
	mining.Unit
	Name      string
	Community int // 1-based, 0 for none
	Class     string
}

func (l *lang) build(f *mining.Findings, in Input) *view {
	name := in.Unit
	if name == nil {
		name = func(s string) string { return s }
	}
	unit := func(s string) string { return clean(name(s)) }
	v := &view{Lang: l.code, CSP: csp, Style: template.CSS(style + paletteCSS()), Script: template.JS(script),
		Noun: string(f.Options.Level), Rows: in.Rows, Rejected: in.Rejected, Events: f.Events}
	if v.Noun == "" {
		v.Noun = string(mining.Department)
	}
	v.Nouns = l.f(v.Noun + "s")
	v.Noun = l.f(v.Noun)
	v.Heading = strings.ToUpper(v.Nouns[:1]) + v.Nouns[1:]
	v.Title = l.title(in.Files)
	v.Trends, v.Changes = l.trends(in.Trends), in.Changes
	v.Empty = len(f.Cases) == 0
	fl, pp, si, lt := &f.Flows, &f.PingPong, &f.Silos, &f.LeadTime

	flagged := 0
	for _, b := range si.Boundaries {
		if b.Silo {
			flagged++
		}
	}
	v.KPIs = []kpi{
		{l.f("Cases"), l.count(len(f.Cases)), l.plural(f.Events, "%d event", "%d events")},
		{l.f("Median lead time"), l.dur(lt.Median), l.f("P90 %s · P95 %s", l.dur(lt.P90), l.dur(lt.P95))},
		{l.f("Long cases"), l.count(lt.Long), l.f("%s of measured cases", l.share(lt.Long, lt.N))},
		{l.f("Cases with ping-pong"), l.pct(pp.CaseRate), l.plural(pp.Cases, "%d case", "%d cases") + " · " + l.plural(pp.Occurrences, "%d bounce", "%d bounces")},
		{l.f("Silo boundaries"), l.count(flagged), l.f("of %s tested", l.count(len(si.Boundaries)))},
		{l.f("Rows rejected"), l.count(int(in.Rejected)), l.f("of %s read", l.count(int(in.Rows)))},
	}
	if len(si.Units) == 0 && len(f.Cases) > 0 {
		// Nothing could bounce or wait at a border: not the same as 0.
		none := l.f("not measured: no event has a %s", v.Noun)
		v.KPIs[3] = kpi{l.f("Cases with ping-pong"), "–", none}
		v.KPIs[4] = kpi{l.f("Silo boundaries"), "–", none}
	}
	if lt.N == 0 && len(f.Cases) > 0 {
		// No lead time was measured: a dash, not a median of 0 s.
		v.KPIs[1] = kpi{l.f("Median lead time"), "–", l.f("not measured: no case has a lead time (see the options below)")}
		v.KPIs[2] = kpi{l.f("Long cases"), "–", l.f("not measured")}
	}
	v.Key = l.keyFindings(f, unit, flagged)

	// Process map and unit graph, at every level of detail; the page's
	// script reads the figures of their edges from the data block.
	v.Data = &pageData{Palette: drawing.Palette, Words: l.words()}
	v.Map = pick(l.mapLevels(fl, v.Data))
	v.Graph = pick(l.graphLevels(f, unit, v.Nouns, v.Data))
	v.Data.Explore = l.exploreData(f, in.Log, unit, f.Options.Zone)
	v.Explore = l.exploreView(v.Data.Explore, f)

	// Heat map.
	sel := pickUnits(f, DefaultUnits)
	v.Heat = template.HTML(l.heatMap(f, sel, unit))
	v.HeatNote = l.f("Rows hand off to columns. The same %s %s as the graph, in the same order (by community), with every pair between them: %s of %s handoffs.",
		l.count(len(sel.names)), v.Nouns, l.share(sel.covered, fl.Handoffs), l.count(fl.Handoffs))

	// Lead time.
	v.Hist = template.HTML(l.leadHist(f))
	zero := 0
	for _, c := range f.Cases {
		if c.Measured && c.Lead == 0 {
			zero++
		}
	}
	v.HistNote = l.f("%s with a lead time", l.plural(lt.N, "%d case", "%d cases"))
	if zero > 0 {
		v.HistNote += l.f("; %s of them took no time (a single event) and have no place on a log scale", l.count(zero))
	}
	if n := len(f.Cases) - lt.N; n > 0 {
		v.HistNote += l.f("; %s have no lead time (they lack the start or end activity)", l.plural(n, "%d case", "%d cases"))
	}
	v.HistNote += "."
	v.Lead = []stat{
		{l.f("Median (95 %% CI)"), l.dur(lt.Median) + " (" + l.medianCI(lt) + ")"},
		{l.f("Mean"), l.dur(lt.Mean)},
		{"P75 · P90 · P95 · P99", l.dur(lt.P75) + " · " + l.dur(lt.P90) + " · " + l.dur(lt.P95) + " · " + l.dur(lt.P99)},
		{l.f("Longest"), l.dur(lt.Max)},
		{l.f("Long cases"), l.count(lt.Long) + " (" + l.share(lt.Long, lt.N) + ") — " + l.longRule(lt)},
	}
	if lt.N == 0 {
		v.Lead = []stat{{l.f("Median"), l.f("– (no case has a lead time)")}}
	}
	v.Lead = append(v.Lead, l.workingDays(f)...)
	v.Working = l.workTable(f, unit)
	if lt.Long > 0 { // without long cases there is nothing to compare
		for _, s := range lt.Where.Units[:min(len(lt.Where.Units), MaxWhere)] {
			v.Where = append(v.Where, whereRow{unit(s.Unit), s.LongShare, s.OtherShare, s.LongShare - s.OtherShare})
		}
	}

	// Ping-pong.
	v.Effect = l.effect(&pp.Effect)
	if pp.Closing > 0 {
		v.Closing = l.f("Closing returns are left out: %s (%s of cases) go back to their first %s only to be closed there.",
			l.plural(pp.Closing, "%d case", "%d cases"), l.pct(pp.ClosingRate), l.f(string(f.Options.Level)))
	}
	shown := pp.Pairs[:min(len(pp.Pairs), MaxPairs)]
	for _, p := range shown {
		extra := 0.0
		if p.LeadCases > 0 && pp.Effect.Without > 0 {
			extra = p.LeadMedian - pp.Effect.MedianWithout
		}
		v.Pairs = append(v.Pairs, pairRow{unit(p.A), unit(p.B), p.Occurrences, p.Cases, p.Return, p.LeadCases, p.LeadMedian, extra})
	}
	v.PairsNote = l.shownOf(len(shown), len(pp.Pairs), l.f("pairs"))

	// Silos.
	for _, b := range si.Boundaries[:min(len(si.Boundaries), MaxBoundaries)] {
		v.Bounds = append(v.Bounds, boundRow{b, unit(b.From), unit(b.To)})
	}
	v.BoundsNote = l.f("%s of %s tested boundaries are silos (%s). ", l.count(flagged), l.count(len(si.Boundaries)), l.siloRule(f.Options)) +
		l.shownOf(len(v.Bounds), len(si.Boundaries), l.f("boundaries"))
	if len(si.Boundaries) == 0 {
		v.BoundsNote = l.f("No boundary tested: too few cases (%s).", l.siloRule(f.Options))
	}
	for i, c := range si.Communities[:min(len(si.Communities), MaxCommunities)] {
		m := community{Index: i + 1, Class: class(i), More: max(0, len(c)-MaxMembers)}
		for _, s := range c[:min(len(c), MaxMembers)] {
			m.Members = append(m.Members, unit(s))
		}
		v.Communities = append(v.Communities, m)
	}
	v.CommNote = l.f("Louvain communities of %s that hand off mostly among themselves: modularity Q = %s; %s of handoffs cross between communities. ",
		v.Nouns, l.dec(strconv.FormatFloat(si.Modularity, 'f', 3, 64)), l.pct(si.Crossing)) + l.shownOf(len(v.Communities), len(si.Communities), l.f("communities"))
	if si.Communities == nil && fl.Handoffs > 0 {
		v.CommNote = l.f("Too few cases for communities: %s, at least %s needed.", l.plural(fl.Handoffs, "%d handoff", "%d handoffs"), l.count(f.Options.MinSupport))
	}

	// Slowest cases.
	measured := 0
	for _, c := range f.Cases {
		if c.Measured {
			measured++
		}
	}
	for _, i := range mining.Longest(f.Cases, MaxCases) {
		c := f.Cases[i]
		var steps []string
		if int(c.Path) < len(fl.Paths) {
			steps = fl.Paths[c.Path].Steps
		}
		v.Cases = append(v.Cases, caseRow{Case: c, ID: clean(f.CaseID(i)), Path: l.pathText(steps, unit), Steps: len(steps)})
	}
	v.CasesNote = l.shownOf(len(v.Cases), measured, l.f("measured cases"))
	v.Journeys = l.journeyTable(f.Journeys)
	v.Calls = l.callTable(f.Calls)
	if f.Cost != nil && f.Options.Cost != nil {
		v.Cost = l.costTable(f.Cost, f.Options.Cost.Currency, unit)
	}

	for _, e := range fl.Edges[:min(len(fl.Edges), MaxTransitions)] {
		e.From, e.To = clean(e.From), clean(e.To)
		v.Transitions = append(v.Transitions, e)
	}
	v.TransNote = l.shownOf(len(v.Transitions), len(fl.Edges), l.f("transitions"))
	for _, x := range in.Files {
		v.Files = append(v.Files, File{clean(x.Name), clean(x.Format), x.Rows, x.Rejected})
	}
	for _, x := range in.Sources {
		x.Name, x.Key = clean(x.Name), clean(x.Key)
		v.Sources = append(v.Sources, x)
	}
	comm := map[string]int{}
	for i, c := range si.Communities {
		for _, s := range c {
			comm[s] = i + 1
		}
	}
	for _, u := range si.Units[:min(len(si.Units), MaxUnitRows)] {
		v.Units = append(v.Units, unitRow{u, unit(u.Name), comm[u.Name], class(comm[u.Name] - 1)})
	}
	v.UnitsNote = l.shownOf(len(v.Units), len(si.Units), v.Nouns)

	// Input.
	v.Period = l.period(in.From, in.To, in.Zone)
	v.Command = command(in.Args)
	v.Version, v.OutOfCore = in.Version, in.OutOfCore
	v.Options = l.options(f.Options)
	for _, r := range in.Rejects[:min(len(in.Rejects), MaxRejects)] {
		v.Rejects = append(v.Rejects, clean(r))
	}
	if in.Rejected > int64(len(v.Rejects)) && len(v.Rejects) > 0 {
		v.RejectsNote = l.f("The first %s of %s rejected rows.", l.count(len(v.Rejects)), l.count(int(in.Rejected)))
	}
	return v
}

// share writes a/b as a percentage, or – when b is 0.
func (l *lang) share(a, b int) string {
	if b == 0 {
		return "–"
	}
	return l.pct(float64(a) / float64(b))
}

func (l *lang) shownOf(shown, all int, what string) string {
	switch {
	case all == 0:
		return ""
	case shown == all:
		return l.f("All %s %s shown.", l.count(all), what)
	}
	return l.f("The first %s of %s %s shown.", l.count(shown), l.count(all), what)
}

func raw(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// title names the report after its input files.
func (l *lang) title(files []File) string {
	if len(files) == 0 {
		return l.f("caseflow report")
	}
	t := files[0].Name
	if i := strings.LastIndexAny(t, `/\`); i >= 0 {
		t = t[i+1:]
	}
	if len(files) > 1 {
		t = l.f("%s and %d more", t, len(files)-1)
	}
	return l.f("caseflow report: %s", clean(t))
}

// longRule says which cases are long, as the text report does.
func (l *lang) longRule(lt *mining.LeadTime) string {
	q := "P" + strconv.FormatFloat(lt.Quantile*100, 'f', -1, 64)
	one := len(lt.Strata) == 1 && lt.Strata[0].Name == ""
	switch {
	case one && !lt.Strata[0].Judged:
		return l.f("none marked: fewer than %d cases, too few for the %s to be a service level", mining.MinStratum, q)
	case one && lt.Rule == mining.RuleSLA:
		return l.f("over the SLA of %s", l.dur(lt.Strata[0].Limit))
	case one:
		return l.f("over %s, the %s of lead times", l.dur(lt.Strata[0].Limit), q)
	case lt.Rule == mining.RuleSLA:
		return l.f("over the SLA for their stratum")
	}
	return l.f("over the %s of their stratum", q)
}

// effect says in words what ping-pong costs in lead time.
func (l *lang) effect(e *mining.Effect) string {
	if e.With == 0 || e.Without == 0 {
		return l.f("%s measured cases have ping-pong and %s do not, so there is nothing to compare.", l.count(e.With), l.count(e.Without))
	}
	if !e.Enough() {
		return l.f("%s measured cases have ping-pong and %s do not: too few cases to compare (at least %s in each group).",
			l.count(e.With), l.count(e.Without), l.count(mining.MinCases))
	}
	return l.f("Cases with ping-pong (%s) have a median lead time of %s, cases without (%s) %s. "+
		"Hodges–Lehmann estimate of the shift: %s (95 %% CI %s to %s); Mann–Whitney p %s.",
		l.count(e.With), l.dur(e.MedianWith), l.count(e.Without), l.dur(e.MedianWithout), l.signed(e.Shift), l.signed(e.Low), l.signed(e.High), l.pIs(e.P))
}

func sign(x float64) string {
	if x < 0 {
		return "−"
	}
	return "+"
}

func (l *lang) signed(x float64) string { return sign(x) + l.dur(abs(x)) }

func abs(x float64) float64 { return max(x, -x) }

// keyFindings are the page's opening sentences.
func (l *lang) keyFindings(f *mining.Findings, unit func(string) string, flagged int) []string {
	var out []string
	pp := &f.PingPong
	if w := f.WorkingTime; w != nil {
		// As the text report says it: every duration below is working time.
		out = append(out, l.f("Durations are working time: calendar %q (%s, a working day is %s); a day (d) on this page is 24 working hours.",
			w.Default.Calendar, cmp.Or(w.Default.Zone, "UTC"), l.dur(w.Default.Day)))
	}
	level := string(f.Options.Level)
	switch {
	case len(f.Silos.Units) == 0:
		out = append(out, l.f("No event has a %s, so handoffs, ping-pong and silos are not measured; name the column with --%s.", l.f(level), level))
	case len(pp.Pairs) > 0:
		p := pp.Pairs[0]
		out = append(out, l.f("Cases bounce most between %s and %s: %s in %s.", unit(p.A), unit(p.B), l.plural(p.Occurrences, "%d ping-pong", "%d ping-pongs"), l.plural(p.Cases, "%d case", "%d cases")))
	default:
		out = append(out, l.f("No case bounces between two %s and back.", l.f(level+"s")))
	}
	if e := &pp.Effect; e.Enough() {
		more := "Cases with ping-pong take %s longer (Hodges–Lehmann shift, 95 %% CI %s to %s)."
		if e.Shift < 0 {
			more = "Cases with ping-pong take %s less (Hodges–Lehmann shift, 95 %% CI %s to %s)."
		}
		out = append(out, l.f(more, l.dur(abs(e.Shift)), l.signed(e.Low), l.signed(e.High)))
	}
	for _, b := range f.Silos.Boundaries {
		if b.Silo {
			out = append(out, l.f("%s of %s tested boundaries behave like silos. Strongest: %s → %s, where work waits %s to be taken up against %s for work from other senders (%s longer).",
				l.count(flagged), l.count(len(f.Silos.Boundaries)), unit(b.From), unit(b.To), l.dur(b.Median), l.dur(b.OthersMedian), l.dur(b.Shift)))
			break
		}
	}
	lt := &f.LeadTime
	if lt.N > 0 {
		s := l.f("Half the cases take more than %s; one in ten more than %s. %s cases (%s) are long.", l.dur(lt.Median), l.dur(lt.P90), l.count(lt.Long), l.share(lt.Long, lt.N))
		if lt.Long == 1 {
			s = l.f("Half the cases take more than %s; one in ten more than %s. %s case (%s) is long.", l.dur(lt.Median), l.dur(lt.P90), l.count(lt.Long), l.share(lt.Long, lt.N))
		}
		out = append(out, s)
	}
	if w := lt.Where.Units; len(w) > 0 && w[0].LongShare > w[0].OtherShare {
		out = append(out, l.f("Long cases spend %s of their time in or waiting for %s, other cases %s.", l.pct(w[0].LongShare), unit(w[0].Unit), l.pct(w[0].OtherShare)))
	}
	return out
}

// pathText writes a department path, eliding its middle when it is long.
func (l *lang) pathText(steps []string, unit func(string) string) string {
	if len(steps) == 0 {
		return l.f("(none)")
	}
	show := steps
	if len(steps) > MaxPathSteps {
		show = slices.Concat(steps[:MaxPathSteps/2], []string{""}, steps[len(steps)-MaxPathSteps/2+1:])
	}
	out := make([]string, len(show))
	for i, s := range show {
		out[i] = unit(s)
		if s == "" {
			out[i] = l.f("… %d more …", len(steps)-MaxPathSteps+1)
		}
	}
	return strings.Join(out, " → ")
}

func (l *lang) period(from, to time.Time, zone string) string {
	if from.IsZero() || to.IsZero() {
		return l.f("unknown")
	}
	if zone == "" {
		from, to, zone = from.UTC(), to.UTC(), "UTC"
	}
	layout := l.f("2006-01-02") + " 15:04"
	return from.Format(layout) + " – " + to.Format(layout) + " " + zone + " (" + l.dur(to.Sub(from).Seconds()) + ")"
}

// command writes args as a shell command line, quoting what needs it.
func command(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		a = clean(a)
		if a == "" || strings.ContainsAny(a, " \"'\\$`!*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

func (l *lang) options(o mining.Options) []stat {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return clean(s)
	}
	sla := l.f("none: long cases lie above the P%s of lead times", l.dec(strconv.FormatFloat(o.LongQuantile*100, 'f', -1, 64)))
	if o.SLA > 0 {
		sla = l.dur(o.SLA.Seconds())
	}
	for _, v := range slices.Sorted(maps.Keys(o.SLAs)) {
		sla += l.f("; %s: %s", clean(v), l.dur(o.SLAs[v].Seconds()))
	}
	return []stat{
		{l.f("Level"), l.f(string(o.Level))},
		{l.f("Lead time from"), or(o.From, l.f("each case's first event"))},
		{l.f("Lead time to"), or(o.To, l.f("each case's last event"))},
		{"SLA", sla},
		{l.f("Strata by"), or(o.By, l.f("none"))},
		{l.f("Silo test"), l.siloRule(o)},
		{l.f("Timestamp resolution"), l.dur(o.Resolution.Seconds())},
		{l.f("Seed"), strconv.FormatUint(o.Seed, 10)},
	}
}

// class is the colour class of community i (0-based; -1 for none).
func class(i int) string {
	if i < 0 {
		return "c0"
	}
	return "c" + strconv.Itoa(i%len(drawing.Palette)+1)
}

// paletteCSS gives the community colour classes c0, c1, … used by the
// tables, matching the drawings.
func paletteCSS() string {
	var b strings.Builder
	b.WriteString(".c0{background:" + drawing.NoCommunity + "}")
	for i, c := range drawing.Palette {
		fmt.Fprintf(&b, ".c%d{background:%s}", i+1, c)
	}
	return b.String()
}

// medianCI writes the median's interval with its coverage, or says that
// there are too few cases for one.
func (l *lang) medianCI(lt *mining.LeadTime) string {
	if !lt.IntervalShown() {
		return l.f("too few cases for a CI")
	}
	return l.f("%s – %s, coverage %s", l.dur(lt.MedianLow), l.dur(lt.MedianHigh), l.pct(lt.MedianCoverage))
}

// siloRule says when a boundary or a unit is a silo.
func (l *lang) siloRule(o mining.Options) string {
	return l.f("at least %s handoffs in each group compared, adjusted p ≤ %s, median wait ≥ %s the other one and %s longer",
		l.count(o.MinSupport), l.dec(strconv.FormatFloat(o.FDR, 'f', -1, 64)), l.times(o.MinRatio), l.dur(o.MinShift.Seconds()))
}
