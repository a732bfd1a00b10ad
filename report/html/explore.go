package html

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/drawtext"
	"github.com/caseflow/caseflow/mining"
)

// Bounds of the case data the page embeds for its variant explorer, case
// inspector, time charts and filters, so that the page stays small
// whatever the log (see TestPageSize):
//
//   - MaxRows cases, each a row of start, end, lead time, variant, path,
//     attribute and whether it is long: every case of a log of up to
//     MaxRows cases, else every k-th case in log order (k the smallest
//     that fits), a deterministic systematic sample. Filtered figures come
//     from these rows, and the page marks them as estimates when sampled.
//   - MaxDotted cases with their events, every k-th likewise, drawn in the
//     dotted chart; besides them the MaxCases slowest and PairCases cases
//     of each of the MaxPairs top ping-pong pairs, for the case inspector.
//     A case brings at most MaxTraceEvents events.
//   - MaxVariants variants of activities and of units, each with at most
//     MaxVariantSteps steps.
//
// Figures shown without a filter are the findings' own, over every case.
const (
	MaxRows         = 20000
	MaxDotted       = 300
	PairCases       = 5
	MaxTraceEvents  = 100
	MaxVariants     = 50
	MaxVariantSteps = 40
	// MaxDays is the most days the time charts and the time window have:
	// a longer log (one with a stray date a century off) counts by bins of
	// whole days instead.
	MaxDays = 3660
)

// explore is the case data of the page, as its script reads it (JSON).
// Times are whole seconds: since T0 (midnight of Day0 in the report's
// zone) for a case's start and end, since the case's start for its
// events. Names are cut to drawtext.MaxRunes and cleaned; units are shown
// as the report shows them (pseudonyms at the resource level).
type explore struct {
	Acts   []string `json:"acts"`
	Units  []string `json:"units"`
	Attr   string   `json:"attr"`   // the filter's attribute column, "" for none
	Values []string `json:"values"` // its values
	Day0   string   `json:"day0"`
	Bin    int      `json:"bin"`   // days in a day of the charts
	Days   int      `json:"days"`  // bins
	Cases  int      `json:"cases"` // in the log
	Step   int      `json:"step"`  // rows are every Step-th case
	Rows   rows     `json:"rows"`
	// Started and Open count the cases started on and open during each
	// day (bin), over every case.
	Started []int `json:"started"`
	Open    []int `json:"open"`
	// Variants and Paths are the top activity variants and unit paths.
	Variants []variant `json:"variants"`
	Paths    []variant `json:"paths"`
	Traces   []trace   `json:"traces"`
	Dotted   []int     `json:"dotted"` // traces in the dotted chart, by start
	Slowest  []int     `json:"slowest"`
	Pairs    []pairSet `json:"pairs"`
	// Strata names the lead-time strata (the --by values with their own
	// limit) in the Values' indexes, for the histogram's menu.
	Strata []int `json:"strata"`
}

// rows are the sampled cases, column by column. Lead is -1 for a case
// without a lead time; Attr -1 for a case without a value.
type rows struct {
	Start   []int64 `json:"start"`
	End     []int64 `json:"end"`
	Lead    []int64 `json:"lead"`
	Variant []int32 `json:"variant"`
	Path    []int32 `json:"path"`
	Attr    []int32 `json:"attr"`
	Long    []int8  `json:"long"`
}

// variant is a variant or path: its steps (indexes into Acts or Units),
// how many steps were left out, its cases, share and median lead time as
// the page shows them ("–" when none of its cases has one).
type variant struct {
	Steps  []int32 `json:"steps"`
	More   int     `json:"more"`
	Count  int     `json:"count"`
	Share  string  `json:"share"`
	Median string  `json:"median"`
	Lead   float64 `json:"lead"` // the median in seconds, -1 for none
}

// trace is a case with its events: time since the case's start, activity
// and unit (-1 for none); More events were left out.
type trace struct {
	ID      string  `json:"id"`
	Start   int64   `json:"start"`
	Lead    string  `json:"lead"`
	Variant int32   `json:"variant"`
	Attr    int32   `json:"attr"`
	T       []int64 `json:"t"`
	A       []int32 `json:"a"`
	U       []int32 `json:"u"`
	More    int     `json:"more"`
}

// pairSet is a top ping-pong pair and traces of cases that go A → B → A
// or B → A → B.
type pairSet struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Traces []int  `json:"traces"`
}

// filterColumn is the attribute the page filters by: the --by column,
// else the contact reason, else the channel.
func filterColumn(o mining.Options) string {
	return cmp.Or(o.By, o.Reason, eventlog.Channel)
}

// Columns names the columns of Input.Log the page reads when its findings
// were made with options o (exploreData): the activity, time, unit and
// filter columns; the cases it takes from Offsets and the findings' ids,
// not from the case column. TestColumns checks the list. Level "" is the
// department, as in mining.
func Columns(o mining.Options) []string {
	return []string{eventlog.Activity, eventlog.Time, string(cmp.Or(o.Level, mining.Department)), filterColumn(o)}
}

// exploreData gathers the page's case data from the log the findings were
// made from (its cases are f.Cases, in order); nil for a nil or empty log.
func (l *lang) exploreData(f *mining.Findings, lg *eventlog.Log, unit func(string) string, zone *time.Location) *explore {
	if lg == nil || lg.Cases() == 0 || lg.Cases() != len(f.Cases) {
		return nil
	}
	if zone == nil {
		zone = time.UTC
	}
	// The code columns are read at their Arrow width, in place (Narrow),
	// and each case's first and last time is found when needed: int32
	// copies of three columns and two times per case would add about 90 MB
	// to the peak of a log of 1M cases.
	off, times := lg.Offsets(), lg.Times()
	acts := lg.Narrow(eventlog.Activity)
	units := lg.Narrow(string(f.Options.Level))
	col := filterColumn(f.Options)
	attr := lg.Narrow(col)
	x := &explore{Cases: len(f.Cases), Slowest: []int{}, Pairs: []pairSet{}, Values: []string{}}
	name := func(s string) string { return drawtext.Name(clean(s)) }
	for _, a := range acts.Names {
		x.Acts = append(x.Acts, name(a))
	}
	for _, u := range units.Names {
		x.Units = append(x.Units, drawtext.Name(unit(u)))
	}
	if attr.Names != nil {
		x.Attr = name(col)
		if col == eventlog.Channel {
			x.Attr = l.f("channel") // the log's channel, whatever its column's name
		}
		for _, v := range attr.Names {
			x.Values = append(x.Values, name(v))
		}
	}
	// Each case's first and last event; days in the report's zone.
	n := len(f.Cases)
	bounds := func(k int) (first, last int64) {
		first, last = times[off[k]], times[off[k]]
		for _, t := range times[off[k]:off[k+1]] {
			first, last = min(first, t), max(last, t)
		}
		return first, last
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for k := range n {
		a, b := bounds(k)
		lo, hi = min(lo, a), max(hi, b)
	}
	t0 := time.UnixMicro(lo).In(zone)
	day0 := time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, zone)
	x.Day0 = day0.Format(time.DateOnly)
	base := day0.Unix()
	sec := func(us int64) int64 { return us/1e6 - base }
	span := int(sec(hi)/86400) + 1
	x.Bin = (span + MaxDays - 1) / MaxDays
	bin := int64(86400 * x.Bin)
	x.Days = int(sec(hi)/bin) + 1
	x.Started, x.Open = make([]int, x.Days), make([]int, x.Days+1)
	for k := range n {
		a, b := bounds(k)
		s, e := sec(a)/bin, sec(b)/bin
		x.Started[s]++
		x.Open[s]++
		x.Open[e+1]--
	}
	for d := 1; d <= x.Days; d++ {
		x.Open[d] += x.Open[d-1]
	}
	x.Open = x.Open[:x.Days]

	x.Step = (n + MaxRows - 1) / MaxRows
	for k := 0; k < n; k += x.Step {
		c := &f.Cases[k]
		r := &x.Rows
		a, b := bounds(k)
		r.Start = append(r.Start, sec(a))
		r.End = append(r.End, sec(b))
		lead := int64(-1)
		if c.Measured {
			lead = int64(math.Round(c.Lead))
		}
		r.Lead = append(r.Lead, lead)
		r.Variant = append(r.Variant, c.Variant)
		r.Path = append(r.Path, c.Path)
		r.Attr = append(r.Attr, firstCode(&attr, off[k], off[k+1]))
		r.Long = append(r.Long, boolInt(c.Long))
	}

	x.Variants = l.variants(f, f.Flows.Variants, acts.Names, func(c *mining.Case) int32 { return c.Variant })
	x.Paths = l.variants(f, f.Flows.Paths, units.Names, func(c *mining.Case) int32 { return c.Path })

	// Traces: the dotted chart's sample, the slowest, the ping-pong pairs'.
	at := map[int]int{} // case → trace
	add := func(k int) int {
		if i, ok := at[k]; ok {
			return i
		}
		c := &f.Cases[k]
		a, _ := bounds(k)
		t := trace{ID: name(f.CaseID(k)), Start: sec(a), Lead: "–", Variant: c.Variant, Attr: firstCode(&attr, off[k], off[k+1])}
		if c.Measured {
			t.Lead = l.dur(c.Lead)
		}
		end := min(off[k+1], off[k]+MaxTraceEvents)
		t.More = off[k+1] - end
		for e := off[k]; e < end; e++ {
			t.T = append(t.T, sec(times[e])-t.Start)
			t.A = append(t.A, acts.At(e))
			t.U = append(t.U, units.At(e))
		}
		at[k] = len(x.Traces)
		x.Traces = append(x.Traces, t)
		return at[k]
	}
	step := (n + MaxDotted - 1) / MaxDotted
	for k := 0; k < n; k += step {
		x.Dotted = append(x.Dotted, add(k))
	}
	slices.SortStableFunc(x.Dotted, func(a, b int) int { return cmp.Compare(x.Traces[a].Start, x.Traces[b].Start) })
	for _, k := range mining.Longest(f.Cases, MaxCases) {
		x.Slowest = append(x.Slowest, add(k))
	}
	for _, p := range pairTraces(f, &units, off, add) {
		p.A, p.B = drawtext.Name(unit(p.A)), drawtext.Name(unit(p.B)) // pseudonyms at the resource level
		x.Pairs = append(x.Pairs, p)
	}

	if f.Options.By == col {
		for _, s := range f.LeadTime.Strata {
			if i := slices.Index(attr.Names, s.Name); s.Name != "" && i >= 0 {
				x.Strata = append(x.Strata, i)
			}
		}
	}
	return x
}

// pairTraces finds, for each of the top MaxPairs ping-pong pairs {A, B},
// the first PairCases cases in log order whose stays (runs of events in
// one unit; events without a unit are skipped) go A, B, A or B, A, B. The
// pairs keep the findings' names.
func pairTraces(f *mining.Findings, units *eventlog.Narrow, off []int, add func(int) int) []pairSet {
	top := f.PingPong.Pairs[:min(len(f.PingPong.Pairs), MaxPairs)]
	if len(top) == 0 {
		return nil
	}
	code := map[string]int32{}
	for i, u := range units.Names {
		code[u] = int32(i)
	}
	want := map[[2]int32]int{} // ordered pair of units → index in top
	sets := make([]pairSet, len(top))
	for i, p := range top {
		sets[i] = pairSet{A: p.A, B: p.B, Traces: []int{}}
		a, b := code[p.A], code[p.B]
		want[[2]int32{a, b}], want[[2]int32{b, a}] = i, i
	}
	full := 0
	var codes, stays []int32
	for k := range len(off) - 1 {
		if full == len(sets) {
			break
		}
		codes = units.Append(codes[:0], off[k], off[k+1])
		stays = stays[:0]
		for _, u := range codes {
			if u >= 0 && (len(stays) == 0 || stays[len(stays)-1] != u) {
				stays = append(stays, u)
			}
		}
		seen := -1
		for i := 2; i < len(stays); i++ {
			p, ok := want[[2]int32{stays[i-2], stays[i-1]}]
			if !ok || stays[i] != stays[i-2] || p == seen || len(sets[p].Traces) == PairCases {
				continue
			}
			seen = p
			sets[p].Traces = append(sets[p].Traces, add(k))
			if len(sets[p].Traces) == PairCases {
				full++
			}
		}
	}
	return sets
}

// variants lists the top MaxVariants of vs with the median lead time of
// their measured cases (the middle value, or the mean of the two middle
// ones, as mining's quantiles give it).
func (l *lang) variants(f *mining.Findings, vs []mining.Variant, names []string, of func(*mining.Case) int32) []variant {
	top := vs[:min(len(vs), MaxVariants)]
	// The lead times of each variant, in one slice counted out first, so
	// that a million cases cost 8 MB, not that and the slack of appending.
	start := make([]int, len(top)+1)
	each := func(do func(v int, lead float64)) {
		for i := range f.Cases {
			c := &f.Cases[i]
			if v := int(of(c)); c.Measured && v >= 0 && v < len(top) {
				do(v, c.Lead)
			}
		}
	}
	each(func(v int, _ float64) { start[v+1]++ })
	for i := range top {
		start[i+1] += start[i]
	}
	all, next := make([]float64, start[len(top)]), slices.Clone(start[:len(top)])
	each(func(v int, lead float64) { all[next[v]] = lead; next[v]++ })
	code := map[string]int32{}
	for i, s := range names {
		code[s] = int32(i)
	}
	out := make([]variant, len(top))
	for i, v := range top {
		o := variant{Steps: []int32{}, Count: v.Count, Share: l.pct(v.Coverage), Median: "–", Lead: -1, More: max(0, len(v.Steps)-MaxVariantSteps)}
		for _, s := range v.Steps[:len(v.Steps)-o.More] {
			o.Steps = append(o.Steps, code[s])
		}
		if ls := all[start[i]:start[i+1]]; len(ls) > 0 {
			slices.Sort(ls)
			o.Lead = (ls[(len(ls)-1)/2] + ls[len(ls)/2]) / 2
			o.Median = l.dur(o.Lead)
		}
		out[i] = o
	}
	return out
}

// firstCode is the first code of events lo…hi−1 that is not missing, -1
// when all are.
func firstCode(codes *eventlog.Narrow, lo, hi int) int32 {
	for i := lo; i < hi; i++ {
		if c := codes.At(i); c >= 0 {
			return c
		}
	}
	return -1
}

func boolInt(b bool) int8 {
	if b {
		return 1
	}
	return 0
}
