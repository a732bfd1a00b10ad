package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/mining"
)

// document is the JSON report. Field order is the JSON order; every list
// is non-nil, so it is written as [] rather than null. docs/report.md and
// docs/report.schema.json describe each field.
type document struct {
	Schema   string       `json:"schema"`
	Version  string       `json:"caseflow,omitempty"`
	Input    inputDoc     `json:"input"`
	Options  optionsDoc   `json:"options"`
	Log      logDoc       `json:"log"`
	Flows    flowsDoc     `json:"flows"`
	PingPong pingPongDoc  `json:"pingpong"`
	LeadTime leadTimeDoc  `json:"lead_time"`
	Working  *workingDoc  `json:"working,omitempty"`
	Silos    silosDoc     `json:"silos"`
	Journeys *journeysDoc `json:"journeys"`
	Calls    *callsDoc    `json:"calls"`
	Cost     *costDoc     `json:"cost"`
	Since    *sinceDoc    `json:"since"`
}

type inputDoc struct {
	Files    []fileDoc `json:"files"`
	Rows     int64     `json:"rows"`
	Events   int       `json:"events"`
	Rejected int64     `json:"rejected"`
	Excluded int64     `json:"excluded,omitempty"`
	From     *string   `json:"from"`
	To       *string   `json:"to"`
	// Zone names the zone of from and to; Resolution is the timestamps'
	// step in seconds (86400 for dates only), null when unknown.
	Zone       string   `json:"zone"`
	Resolution *float64 `json:"resolution_s"`
	// Sources are the joined sources' counts (several [[input]] tables).
	Sources []sourceDoc `json:"sources,omitempty"`
	// ExcludedByFilter is what the case filter left out; nil without one.
	ExcludedByFilter *filteredDoc `json:"excluded_by_filter,omitempty"`
}

type sourceDoc struct {
	Name           string `json:"name"`
	Join           string `json:"join"`
	Cases          int64  `json:"cases"`
	Events         int64  `json:"events"`
	LinkedCases    int64  `json:"linked_cases"`
	LinkedEvents   int64  `json:"linked_events"`
	UnlinkedCases  int64  `json:"unlinked_cases"`
	UnlinkedEvents int64  `json:"unlinked_events"`
	NoKey          int64  `json:"no_key"`
	OneToMany      int64  `json:"one_to_many"`
}

type filteredDoc struct {
	Cases  int   `json:"cases"`
	Events int   `json:"events"`
	Rows   int64 `json:"rows"`
}

// filterDoc is the case filter; since and until are null for an open side.
type filterDoc struct {
	Since  *string        `json:"since"`
	Until  *string        `json:"until"`
	Window string         `json:"window"`
	Zone   string         `json:"zone"`
	Where  []conditionDoc `json:"where"`
}

type conditionDoc struct {
	Column string   `json:"column"`
	Values []string `json:"values"`
}

type fileDoc struct {
	Name     string `json:"name"`
	Format   string `json:"format"`
	Rows     int64  `json:"rows"`
	Rejected int64  `json:"rejected"`
}

type optionsDoc struct {
	Level        string         `json:"level"`
	MinSupport   int            `json:"min_support"`
	FDR          num            `json:"fdr"`
	MinRatio     num            `json:"min_ratio"`
	MinShiftS    num            `json:"min_shift_s"`
	ResolutionS  num            `json:"resolution_s"`
	FromActivity string         `json:"from_activity"`
	ToActivity   string         `json:"to_activity"`
	SLA          num            `json:"sla_s"`
	SLAFor       map[string]num `json:"sla_for"`
	LongQuantile num            `json:"long_quantile"`
	By           string         `json:"by"`
	Seed         uint64         `json:"seed"`
	Resources    string         `json:"resources"`
	Top          int            `json:"top"`
	// WorkingTime is set when durations are working time (--working-time).
	WorkingTime *workingTimeDoc `json:"working_time,omitempty"`
	// Filter is the case filter (--since, --until, --where); nil for none.
	Filter *filterDoc `json:"filter,omitempty"`
}

// workingTimeDoc names the calendars of working time: the main one and
// the departments' own.
type workingTimeDoc struct {
	Calendar    calendarDoc   `json:"calendar"`
	Departments []calendarDoc `json:"departments"`
}

type calendarDoc struct {
	Department string `json:"department,omitempty"`
	Name       string `json:"name"`
	Zone       string `json:"zone"`
	DayS       num    `json:"day_s"`
}

type logDoc struct {
	Cases       int `json:"cases"`
	Activities  int `json:"activities"`
	Departments int `json:"departments"`
	Resources   int `json:"resources"`
	Units       int `json:"units"`
}

type flowsDoc struct {
	DFGEdges        int           `json:"dfg_edges"`
	DFGArcs         int           `json:"dfg_arcs"`
	Variants        int           `json:"variants"`
	Paths           int           `json:"paths"`
	Handoffs        int           `json:"handoffs"`
	HandoffPairs    int           `json:"handoff_pairs"`
	Edges           []edgeDoc     `json:"edges"`
	StartActivities []endpointDoc `json:"start_activities"`
	EndActivities   []endpointDoc `json:"end_activities"`
	TopVariants     []variantDoc  `json:"top_variants"`
	TopPaths        []variantDoc  `json:"top_paths"`
	HandoffMatrix   []handoffDoc  `json:"handoff_matrix"`
}

type edgeDoc struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Count   int    `json:"count"`
	MedianS num    `json:"median_s"`
	MeanS   num    `json:"mean_s"`
	P90S    num    `json:"p90_s"`
}

type endpointDoc struct {
	Activity string `json:"activity"`
	Cases    int    `json:"cases"`
}

type variantDoc struct {
	Rank     int      `json:"rank"`
	Cases    int      `json:"cases"`
	Coverage num      `json:"coverage"`
	Steps    []string `json:"steps"`
}

type handoffDoc struct {
	From         string `json:"from"`
	To           string `json:"to"`
	Handoffs     int    `json:"handoffs"`
	MedianDelayS num    `json:"median_delay_s"`
}

type pingPongDoc struct {
	Occurrences  int       `json:"occurrences"`
	Cases        int       `json:"cases"`
	CaseRate     num       `json:"case_rate"`
	Closing      int       `json:"closing_returns"`
	ClosingRate  num       `json:"closing_rate"`
	Revisits     int       `json:"revisits"`
	RevisitCases int       `json:"revisit_cases"`
	PairCount    int       `json:"pair_count"`
	Pairs        []pairDoc `json:"pairs"`
	Effect       effectDoc `json:"effect"`
}

type pairDoc struct {
	A             string `json:"a"`
	B             string `json:"b"`
	Occurrences   int    `json:"occurrences"`
	Cases         int    `json:"cases"`
	ReturnMedianS num    `json:"return_median_s"`
	LeadCases     int    `json:"lead_cases"`
	LeadMedianS   num    `json:"lead_median_s"`
	ExtraMedianS  num    `json:"extra_median_s"`
}

type effectDoc struct {
	CasesWith      int `json:"cases_with"`
	CasesWithout   int `json:"cases_without"`
	MedianWithS    num `json:"median_with_s"`
	MedianWithoutS num `json:"median_without_s"`
	ShiftS         num `json:"shift_s"`
	ShiftLowS      num `json:"shift_low_s"`
	ShiftHighS     num `json:"shift_high_s"`
	U              num `json:"u"`
	P              num `json:"p"`
}

type leadTimeDoc struct {
	Cases          int          `json:"cases"`
	Unmeasured     int          `json:"unmeasured"`
	MeanS          num          `json:"mean_s"`
	MedianS        num          `json:"median_s"`
	MedianNearestS num          `json:"median_nearest_s"`
	MedianLowS     num          `json:"median_low_s"`
	MedianHighS    num          `json:"median_high_s"`
	MedianCoverage num          `json:"median_coverage"`
	P75S           num          `json:"p75_s"`
	P90S           num          `json:"p90_s"`
	P95S           num          `json:"p95_s"`
	P99S           num          `json:"p99_s"`
	MaxS           num          `json:"max_s"`
	LongRule       string       `json:"long_rule"`
	LongQuantile   num          `json:"long_quantile"`
	SLAS           num          `json:"sla_s"`
	LongCases      int          `json:"long_cases"`
	LongRate       num          `json:"long_rate"`
	Strata         []stratumDoc `json:"strata"`
	Longest        []longDoc    `json:"longest"`
	Where          whereDoc     `json:"where"`
}

type stratumDoc struct {
	Name      string `json:"name"`
	Cases     int    `json:"cases"`
	LimitS    num    `json:"limit_s"`
	LongCases int    `json:"long_cases"`
}

type longDoc struct {
	Case      string   `json:"case"`
	LeadTimeS num      `json:"lead_time_s"`
	Handoffs  int32    `json:"handoffs"`
	PingPong  int32    `json:"pingpong"`
	Path      []string `json:"path"`
}

type whereDoc struct {
	LongTotalS    num        `json:"long_total_s"`
	OtherTotalS   num        `json:"other_total_s"`
	LongOutsideS  num        `json:"long_outside_s"`
	OtherOutsideS num        `json:"other_outside_s"`
	Units         []shareDoc `json:"units"`
}

type shareDoc struct {
	Unit       string `json:"unit"`
	LongStayS  num    `json:"long_stay_s"`
	LongWaitS  num    `json:"long_wait_s"`
	OtherStayS num    `json:"other_stay_s"`
	OtherWaitS num    `json:"other_wait_s"`
	LongShare  num    `json:"long_share"`
	OtherShare num    `json:"other_share"`
}

type silosDoc struct {
	Tested        int           `json:"tested"`
	Flagged       int           `json:"flagged"`
	UnitsTested   int           `json:"units_tested"`
	UnitsFlagged  int           `json:"units_flagged"`
	Boundaries    []boundaryDoc `json:"boundaries"`
	Communities   [][]string    `json:"communities"`
	Modularity    num           `json:"modularity"`
	CrossingShare num           `json:"crossing_share"`
	Units         []unitDoc     `json:"units"`
}

// waitDoc is a mining.Comparison: null figures when it was not computed.
type waitDoc struct {
	Others        int `json:"others"`
	OthersMedianS num `json:"others_median_s"`
	Ratio         num `json:"ratio"`
	ShiftS        num `json:"shift_s"`
	ShiftLowS     num `json:"shift_low_s"`
	ShiftHighS    num `json:"shift_high_s"`
	U             num `json:"u"`
	P             num `json:"p"`
	PAdjusted     num `json:"p_adjusted"`
}

type boundaryDoc struct {
	From         string `json:"from"`
	To           string `json:"to"`
	Handoffs     int    `json:"handoffs"`
	EntryMedianS num    `json:"entry_median_s"`
	waitDoc
	Silo bool `json:"silo"`
	// waits are mining's Boundary.Waits, for the history's samples.
	waits []int64
}

type unitDoc struct {
	Name         string `json:"name"`
	In           int    `json:"in"`
	Out          int    `json:"out"`
	Partners     int    `json:"partners"`
	EntryMedianS num    `json:"entry_median_s"`
	Gaps         int    `json:"gaps"`
	GapMedianS   num    `json:"gap_median_s"`
	Bounces      int    `json:"bounces"`
	BounceRate   num    `json:"bounce_rate"`
	Community    int    `json:"community"`
	Tested       bool   `json:"tested"`
	waitDoc
	Silo bool `json:"silo"`
}

// wait writes a comparison; tested false gives nulls (and 0 others).
func wait(c mining.Comparison, tested bool) waitDoc {
	if !tested {
		return waitDoc{OthersMedianS: none, Ratio: none, ShiftS: none, ShiftLowS: none, ShiftHighS: none, U: none, P: none, PAdjusted: none}
	}
	d := waitDoc{Others: c.M, OthersMedianS: secs(c.OthersMedian), Ratio: none, ShiftS: secs(c.Shift),
		ShiftLowS: secs(c.Low), ShiftHighS: secs(c.High), U: exact(c.U), P: frac(c.P), PAdjusted: frac(c.PAdjusted)}
	if c.OthersMedian > 0 {
		d.Ratio = frac(c.Ratio)
	}
	return d
}

// measured is x in seconds when n values were measured, else none.
func measured(x float64, n int) num {
	if n == 0 {
		return none
	}
	return secs(x)
}

// build fills the document. paths are the unit paths with names as
// written.
func build(f *mining.Findings, in Input, n namer, paths [][]string, opt Options) document {
	d := document{Schema: Schema, Version: opt.Version}
	d.Input = inputDoc{Files: []fileDoc{}, Rows: in.Rows, Events: in.Events, Rejected: in.Rejected, Excluded: in.Excluded,
		From: stamp(in.From, in.Zone), To: stamp(in.To, in.Zone), Zone: cmp.Or(in.Zone, "UTC")}
	if in.Resolution > 0 {
		r := in.Resolution.Seconds()
		d.Input.Resolution = &r
	}
	for _, s := range in.Sources {
		d.Input.Sources = append(d.Input.Sources, sourceDoc{s.Name, s.Key, s.Cases, s.Events, s.LinkedCases, s.LinkedEvents,
			s.UnlinkedCases, s.UnlinkedEvents, s.NoKey, s.OneToMany})
	}
	for _, fl := range in.Files {
		d.Input.Files = append(d.Input.Files, fileDoc{fl.Name, fl.Format, fl.Rows, fl.Rejected})
	}
	o := f.Options
	d.Options = optionsDoc{Level: string(o.Level), MinSupport: o.MinSupport, FDR: frac(o.FDR), MinRatio: frac(o.MinRatio),
		MinShiftS: secs(o.MinShift.Seconds()), ResolutionS: secs(o.Resolution.Seconds()),
		FromActivity: o.From, ToActivity: o.To, SLA: secs(o.SLA.Seconds()), SLAFor: map[string]num{},
		LongQuantile: frac(o.LongQuantile), By: o.By, Seed: o.Seed, Resources: "pseudonymised", Top: opt.Top}
	for v, sla := range o.SLAs {
		d.Options.SLAFor[v] = secs(sla.Seconds())
	}
	if opt.Reveal {
		d.Options.Resources = "revealed"
	}
	if fl := in.Filter; fl != nil {
		d.Input.ExcludedByFilter = &filteredDoc{fl.Cases, fl.Events, fl.Rows}
		d.Options.Filter = fl.doc()
	}
	if w := f.WorkingTime; w != nil {
		cal := func(c mining.CalendarNote) calendarDoc {
			return calendarDoc{Department: c.Unit, Name: c.Calendar, Zone: c.Zone, DayS: secs(c.Day)}
		}
		d.Options.WorkingTime = &workingTimeDoc{Calendar: cal(w.Default), Departments: []calendarDoc{}}
		for _, u := range w.Units {
			d.Options.WorkingTime.Departments = append(d.Options.WorkingTime.Departments, cal(u))
		}
	}
	d.Log = logDoc{Cases: len(f.Cases), Activities: in.Activities, Departments: in.Departments,
		Resources: in.Resources, Units: len(f.Silos.Units)}
	d.Flows = flows(f, n)
	d.PingPong = pingPong(f, n)
	d.LeadTime = leadTime(f, n, paths, opt.Top)
	d.Silos = silos(f, n)
	d.Journeys = journeys(f)
	d.Calls = calls(f)
	d.Working = working(f, n)
	d.Cost = costs(f, n)
	return d
}

// orNull is s, or null when it is empty.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// stamp writes t in its own zone (the report's, see Input.Zone; UTC when
// Zone is not set).
func stamp(t time.Time, zone string) *string {
	if t.IsZero() {
		return nil
	}
	if zone == "" {
		t = t.UTC()
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}

func flows(f *mining.Findings, n namer) flowsDoc {
	fl := f.Flows
	d := flowsDoc{DFGEdges: len(fl.Edges), DFGArcs: fl.Arcs, Variants: len(fl.Variants), Paths: len(fl.Paths),
		Handoffs: fl.Handoffs, HandoffPairs: len(fl.Pairs)}
	d.Edges = make([]edgeDoc, len(fl.Edges))
	for i, e := range fl.Edges {
		d.Edges[i] = edgeDoc{e.From, e.To, e.Count, secs(e.Median), secs(e.Mean), secs(e.P90)}
	}
	d.StartActivities = endpoints(fl.Starts)
	d.EndActivities = endpoints(fl.Ends)
	d.TopVariants = variants(fl.Variants, func(s []string) []string { return s })
	d.TopPaths = variants(fl.Paths, n.all)
	pairs := slices.Clone(fl.Pairs)
	for i := range pairs {
		pairs[i].From, pairs[i].To = n.name(pairs[i].From), n.name(pairs[i].To)
	}
	// The order of Flows.Pairs, again, as names may have become pseudonyms.
	slices.SortStableFunc(pairs, func(a, b mining.Handoff) int {
		return cmp.Or(-cmp.Compare(a.Count, b.Count), strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	d.HandoffMatrix = make([]handoffDoc, len(pairs))
	for i, p := range pairs {
		d.HandoffMatrix[i] = handoffDoc{p.From, p.To, p.Count, secs(p.Median)}
	}
	return d
}

func endpoints(es []mining.Endpoint) []endpointDoc {
	out := make([]endpointDoc, len(es))
	for i, e := range es {
		out[i] = endpointDoc{e.Activity, e.Cases}
	}
	return out
}

func variants(vs []mining.Variant, name func([]string) []string) []variantDoc {
	out := make([]variantDoc, len(vs))
	for i, v := range vs {
		steps := name(v.Steps)
		if steps == nil {
			steps = []string{}
		}
		out[i] = variantDoc{Rank: i + 1, Cases: v.Count, Coverage: frac(v.Coverage), Steps: steps}
	}
	return out
}

func pingPong(f *mining.Findings, n namer) pingPongDoc {
	p := f.PingPong
	d := pingPongDoc{Occurrences: p.Occurrences, Cases: p.Cases, CaseRate: frac(p.CaseRate),
		Closing: p.Closing, ClosingRate: frac(p.ClosingRate), Revisits: p.Revisits, RevisitCases: p.RevisitCases, PairCount: len(p.Pairs)}
	without := p.Effect.MedianWithout
	d.Pairs = make([]pairDoc, len(p.Pairs))
	for i, q := range p.Pairs {
		a, b := n.name(q.A), n.name(q.B)
		if a > b {
			a, b = b, a
		}
		pd := pairDoc{A: a, B: b, Occurrences: q.Occurrences, Cases: q.Cases, ReturnMedianS: secs(q.Return), LeadCases: q.LeadCases}
		if q.LeadCases > 0 {
			pd.LeadMedianS = secs(q.LeadMedian)
			if p.Effect.Without > 0 {
				pd.ExtraMedianS = secs(q.LeadMedian - without)
			}
		}
		d.Pairs[i] = pd
	}
	// By occurrences, then cases, then names, as mining lists them
	// (docs/definitions.md); the names may be pseudonyms by now.
	slices.SortStableFunc(d.Pairs, func(x, y pairDoc) int {
		return cmp.Or(-cmp.Compare(x.Occurrences, y.Occurrences), -cmp.Compare(x.Cases, y.Cases),
			strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
	})
	e := p.Effect
	d.Effect = effectDoc{CasesWith: e.With, CasesWithout: e.Without, MedianWithS: secs(e.MedianWith),
		MedianWithoutS: secs(e.MedianWithout), ShiftS: secs(e.Shift), ShiftLowS: secs(e.Low), ShiftHighS: secs(e.High),
		U: exact(e.U), P: frac(e.P)}
	if !e.Enough() {
		d.Effect.ShiftS, d.Effect.ShiftLowS, d.Effect.ShiftHighS, d.Effect.U, d.Effect.P = none, none, none, none, none
	}
	return d
}

func leadTime(f *mining.Findings, n namer, paths [][]string, top int) leadTimeDoc {
	l := f.LeadTime
	d := leadTimeDoc{Cases: l.N, Unmeasured: len(f.Cases) - l.N, MeanS: secs(l.Mean), MedianS: secs(l.Median),
		MedianNearestS: secs(l.MedianNearest), MedianLowS: secs(l.MedianLow), MedianHighS: secs(l.MedianHigh),
		MedianCoverage: frac(l.MedianCoverage), P75S: secs(l.P75), P90S: secs(l.P90), P95S: secs(l.P95),
		P99S: secs(l.P99), MaxS: secs(l.Max), LongRule: l.Rule, LongQuantile: frac(l.Quantile), SLAS: secs(l.SLA),
		LongCases: l.Long}
	if !l.IntervalShown() {
		d.MedianLowS, d.MedianHighS, d.MedianCoverage = none, none, none
	}
	if l.N > 0 {
		d.LongRate = frac(float64(l.Long) / float64(l.N))
	}
	d.Strata = make([]stratumDoc, len(l.Strata))
	for i, s := range l.Strata {
		d.Strata[i] = stratumDoc{s.Name, s.N, none, s.Long}
		if s.Judged {
			d.Strata[i].LimitS = secs(s.Limit)
		}
	}
	d.Longest = longest(f, paths, top)
	w := l.Where
	d.Where = whereDoc{LongTotalS: secs(w.LongTotal), OtherTotalS: secs(w.OtherTotal),
		LongOutsideS: secs(w.LongNone), OtherOutsideS: secs(w.OtherNone)}
	shares := slices.Clone(w.Units)
	for i := range shares {
		shares[i].Unit = n.name(shares[i].Unit)
	}
	// The order of Where.Units, again, as names may have become pseudonyms.
	slices.SortStableFunc(shares, func(a, b mining.Share) int {
		return cmp.Or(-cmp.Compare(a.LongShare-a.OtherShare, b.LongShare-b.OtherShare),
			-cmp.Compare(a.LongShare, b.LongShare), strings.Compare(a.Unit, b.Unit))
	})
	d.Where.Units = make([]shareDoc, len(shares))
	for i, s := range shares {
		d.Where.Units[i] = shareDoc{s.Unit, secs(s.LongStay), secs(s.LongWait), secs(s.OtherStay), secs(s.OtherWait),
			frac(s.LongShare), frac(s.OtherShare)}
	}
	return d
}

// longest lists up to k measured cases with the longest lead times, longest
// first, ties in log order.
func longest(f *mining.Findings, paths [][]string, k int) []longDoc {
	top := mining.Longest(f.Cases, k)
	out := make([]longDoc, len(top))
	for j, i := range top {
		c := f.Cases[i]
		out[j] = longDoc{Case: f.CaseID(i), LeadTimeS: secs(c.Lead), Handoffs: c.Handoffs, PingPong: c.PingPong,
			Path: pathOf(paths, c.Path)}
	}
	return out
}

func pathOf(paths [][]string, i int32) []string {
	if i >= 0 && int(i) < len(paths) && paths[i] != nil {
		return paths[i]
	}
	return []string{}
}

func silos(f *mining.Findings, n namer) silosDoc {
	s := f.Silos
	d := silosDoc{Tested: len(s.Boundaries), Modularity: frac(s.Modularity), CrossingShare: frac(s.Crossing)}
	bs := slices.Clone(s.Boundaries)
	for i := range bs {
		bs[i].From, bs[i].To = n.name(bs[i].From), n.name(bs[i].To)
		if bs[i].Silo {
			d.Flagged++
		}
	}
	// The order of Silos.Boundaries, again, as names may have become pseudonyms.
	slices.SortStableFunc(bs, mining.CompareBoundaries)
	d.Boundaries = make([]boundaryDoc, len(bs))
	for i, b := range bs {
		d.Boundaries[i] = boundaryDoc{b.From, b.To, b.N, secs(b.Median), wait(b.Comparison, true), b.Silo, b.Waits}
	}
	d.Communities = make([][]string, len(s.Communities))
	for i, c := range s.Communities {
		d.Communities[i] = n.all(c)
		slices.Sort(d.Communities[i])
	}
	// Largest first, ties by first name, as in Silos.Communities.
	slices.SortStableFunc(d.Communities, func(a, b []string) int {
		return cmp.Or(-cmp.Compare(len(a), len(b)), strings.Compare(first(a), first(b)))
	})
	community := map[string]int{}
	for i, c := range d.Communities {
		for _, u := range c {
			community[u] = i + 1
		}
	}
	us := slices.Clone(s.Units)
	for i := range us {
		us[i].Name = n.name(us[i].Name)
	}
	// The order of Silos.Units, again, as names may have become pseudonyms.
	slices.SortStableFunc(us, func(a, b mining.Unit) int {
		return cmp.Or(-cmp.Compare(a.In+a.Out, b.In+b.Out), strings.Compare(a.Name, b.Name))
	})
	d.Units = make([]unitDoc, len(us))
	for i, u := range us {
		bounce := none
		if u.In > 0 {
			bounce = frac(u.BounceRate)
		}
		d.Units[i] = unitDoc{u.Name, u.In, u.Out, u.Partners, measured(u.Entry, u.In), u.Gaps, measured(u.Gap, u.Gaps),
			u.Bounces, bounce, community[u.Name], u.Tested, wait(u.Wait, u.Tested), u.Silo}
		if u.Tested {
			d.UnitsTested++
		}
		if u.Silo {
			d.UnitsFlagged++
		}
	}
	return d
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
