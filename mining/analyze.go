package mining

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// ErrNoLog is returned for a nil log.
var ErrNoLog = errors.New("mining: no log to analyse")

// Analyze computes all findings of l from its case-sorted columns. Cases
// are split into Options.Workers contiguous shards; a first pass over each
// shard counts and computes per case, later ones put the durations in
// place, a kind or two at a time; partial results are merged in shard
// order, so the findings are identical for any number of workers. An
// empty log gives empty findings. Errors wrap ErrOption or ErrNoLog.
func Analyze(l *eventlog.Log, opt Options) (*Findings, error) {
	if l == nil {
		return nil, ErrNoLog
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	in, err := newInput(l, opt)
	if err != nil {
		return nil, err
	}
	jin, err := newJourneyInput(l, opt)
	if err != nil {
		return nil, err
	}
	a := &analysis{in: in, jin: jin, opt: opt, f: &Findings{Events: l.Len(), caseID: l.CaseID}}
	a.f.Options = opt
	a.f.Options.Workers, a.f.Options.Memory = 0, nil
	a.f.WorkingTime = workingTime(opt)
	a.f.Calls = callFigures(l, opt.Zone, opt.Memory)
	a.scan()
	a.working()
	a.flows()
	a.pingPong()
	a.silos()
	// The largest sample, one duration per directly-follows pair, is laid
	// out last, once the others and the groupings are dropped.
	a.edges()
	// Once the samples are dropped, so that the contacts are not held at
	// the same time.
	a.wait.Go(a.journeys)
	a.where()
	a.wait.Wait()
	a.pairCosts()
	a.followSpikes()
	a.costs(l)
	in.free(opt.Memory)
	if jin != nil {
		spill.Free(l.Memory(), jin.reason) // read by the costs
	}
	return a.f, nil
}

// input holds the log's columns as the analysis reads them.
type input struct {
	off       []int
	t         []int64
	act, unit eventlog.Narrow // at their Arrow width, not copied to int32
	by        eventlog.Codes  // per case: the first Options.By value's code, nil without the option
	acts      []string
	units     []string
	strata    []string
	from, to  int32 // activity codes, -1 when unset
	nA, nU    uint64
	res       int64 // Options.Resolution in µs
	// work holds the working µs up to each event in each calendar, tabs
	// the calendars' tables; cal the calendar of each unit code, the
	// default's last. All nil without Options.Calendar.
	work [][]int64 // from Options.Memory, freed when Analyze returns
	tabs []*calendar.Table
	cal  []int32
	// begin is when each event's work begins, nil without start times;
	// started and reversed count events with a start, and with one after
	// their time (see begins). It is in the log's memory, logMem, as are
	// the copies the log makes of its codes; freed after the working pass.
	begin             []int64
	started, reversed int
	logMem            *spill.Memory
}

// free gives back what the input holds that grows with the log; m is
// Options.Memory.
func (in *input) free(m *spill.Memory) {
	in.act.Free()
	in.unit.Free()
	in.by.Free()
	spill.Free(m, in.work...)
}

func newInput(l *eventlog.Log, opt Options) (*input, error) {
	acts := l.Narrow(eventlog.Activity)
	units := l.Narrow(string(opt.Level))
	in := &input{
		off: l.Offsets(), t: l.Times(),
		act: acts, unit: units, logMem: l.Memory(),
		acts: acts.Names, units: units.Names,
		nA: uint64(len(acts.Names)), nU: uint64(len(units.Names)),
		res: opt.Resolution.Microseconds(),
	}
	var err error
	if in.from, err = activity(acts.Names, opt.From, "from"); err != nil {
		return nil, err
	}
	if in.to, err = activity(acts.Names, opt.To, "to"); err != nil {
		return nil, err
	}
	if opt.By != "" {
		if err := stringColumn(l, opt.By, "by"); err != nil {
			return nil, err
		}
		by := l.CaseCodes(opt.By, false)
		in.by, in.strata = by, by.Names
	}
	in.begin, in.started, in.reversed = begins(l.Starts(), in.t)
	in.work, in.tabs, in.cal = atEvents(opt, in.units, in.t, in.begin)
	return in, nil
}

// atEvents lays out the tables of opt's calendars over the span of times
// t and of the begins of work (nil without start times), one per distinct
// calendar, and returns the working µs up to each event in each (work),
// the tables, and the calendar of each unit code, the default's last
// (cal), so that a duration is two look-ups and a subtraction.
func atEvents(opt Options, units []string, t, begin []int64) (work [][]int64, tabs []*calendar.Table, cal []int32) {
	if opt.Calendar == nil || len(t) == 0 {
		return nil, nil, nil
	}
	from, to := time.UnixMicro(slices.Min(t)), time.UnixMicro(slices.Max(t))
	if begin != nil {
		from = time.UnixMicro(slices.Min(begin))
	}
	index := map[*calendar.Calendar]int32{}
	of := func(c *calendar.Calendar) int32 {
		if c == nil {
			c = opt.Calendar
		}
		k, ok := index[c]
		if !ok {
			k = int32(len(tabs))
			index[c] = k
			tabs = append(tabs, c.Table(from, to))
		}
		return k
	}
	cal = make([]int32, len(units)+1)
	for u, name := range units {
		cal[u] = of(opt.Calendars[name])
	}
	cal[len(units)] = of(opt.Calendar)
	return lookUp(opt.Memory, tabs, t, opt.Workers), tabs, cal
}

// lookUp returns the working µs up to each instant of t in each table,
// in slices from m.
func lookUp(m *spill.Memory, tabs []*calendar.Table, t []int64, workers int) [][]int64 {
	work := make([][]int64, len(tabs))
	const chunk = 1 << 16
	chunks := (len(t) + chunk - 1) / chunk
	for k, tab := range tabs {
		w := spill.Make[int64](m, len(t))
		each(workers, chunks, func(_, c int) {
			for i := c * chunk; i < min(len(t), (c+1)*chunk); i++ {
				w[i] = tab.At(t[i])
			}
		})
		work[k] = w
	}
	return work
}

// workingTime is the note of the calendars used, nil without any. Every
// unit calendar is listed, also of a unit the log lacks, so that a
// misspelt name is seen.
func workingTime(opt Options) *WorkingTime {
	if opt.Calendar == nil {
		return nil
	}
	note := func(unit string, c *calendar.Calendar) CalendarNote {
		zone := "UTC"
		if c.Zone != nil {
			zone = c.Zone.String()
		}
		return CalendarNote{Unit: unit, Calendar: c.Name, Zone: zone, Day: c.Day().Seconds()}
	}
	w := &WorkingTime{Default: note("", opt.Calendar)}
	for _, u := range slices.Sorted(maps.Keys(opt.Calendars)) {
		w.Units = append(w.Units, note(u, opt.Calendars[u]))
	}
	return w
}

// dur is the duration from event i to event j in unit u's time: clock
// time without Options.Calendar, else working time in u's calendar, the
// default one for u < 0.
func (in *input) dur(u int32, i, j int) int64 {
	if in.work == nil {
		return in.t[j] - in.t[i]
	}
	k := in.cal[len(in.cal)-1]
	if u >= 0 {
		k = in.cal[u]
	}
	w := in.work[k]
	return w[j] - w[i]
}

func activity(names []string, name, option string) (int32, error) {
	if name == "" {
		return -1, nil
	}
	if i := slices.Index(names, name); i >= 0 {
		return int32(i), nil
	}
	return 0, fmt.Errorf("%w: %s: no event has activity %q; check its spelling and case", ErrOption, option, name)
}

func (in *input) cases() int { return len(in.off) - 1 }

// stay is a maximal run of a case's events in one unit, ignoring events
// without a unit: first and last are its first and last event in the unit.
type stay struct {
	unit        int32
	first, last int
}

// stays appends the stays of events lo…hi−1 to st.
func (in *input) stays(lo, hi int, st []stay) []stay {
	for i := lo; i < hi; i++ {
		switch u := in.unit.At(i); {
		case u < 0:
		case len(st) > 0 && st[len(st)-1].unit == u:
			st[len(st)-1].last = i
		default:
			st = append(st, stay{u, i, i})
		}
	}
	return st
}

// actSeq appends case k's activities to buf.
func (in *input) actSeq(k int, buf []int32) []int32 {
	return in.act.Append(buf, in.off[k], in.off[k+1])
}

// pathSeq returns a function that appends case k's path, the units of its
// stays, to buf.
func (in *input) pathSeq() func(k int, buf []int32) []int32 {
	var st []stay
	return func(k int, buf []int32) []int32 {
		st = in.stays(in.off[k], in.off[k+1], st[:0])
		for _, s := range st {
			buf = append(buf, s.unit)
		}
		return buf
	}
}

// window returns the events that start and end the lead time of events
// lo…hi−1, and false when the case has none.
func (in *input) window(lo, hi int) (s, e int, ok bool) {
	s, e = lo, hi-1
	if in.from >= 0 {
		for s = lo; s < hi && in.act.At(s) != in.from; s++ {
		}
	}
	if in.to >= 0 {
		for e = hi - 1; e >= lo && in.act.At(e) != in.to; e-- {
		}
	}
	return s, e, s < hi && e >= s
}

// analysis carries the state between the stages of Analyze.
type analysis struct {
	in    *input
	jin   *journeyInput // nil without Options.Customer
	opt   Options
	f     *Findings
	parts []*part
	lead  []int64 // µs per case, -1 without a lead time

	actHash, pathHash []int64   // per case: hashSeq of its activities and path
	acts, paths       *grouping // cases by activity sequence and by path

	handoffs, returns samples
	units             []int32 // codes of the units in stays, in Silos.Units order

	wait sync.WaitGroup // stages running alongside the others
}

// scan runs the first pass and the second, which puts the handoffs and
// returns in place: one part per shard of cases with about equal numbers
// of events.
func (a *analysis) scan() {
	n := a.in.cases()
	m := a.opt.Memory
	a.f.Cases = spill.Make[Case](m, n) // not freed: the findings hold it
	a.lead = spill.Make[int64](m, n)
	a.actHash = spill.Make[int64](m, n)
	a.pathHash = spill.Make[int64](m, n)
	w := max(1, min(a.opt.Workers, n))
	a.parts = make([]*part, w)
	events := a.in.off[n]
	k0 := 0
	for s := range w {
		k1 := n
		if s < w-1 {
			k1 = max(k0, sort.SearchInts(a.in.off, events*(s+1)/w))
		}
		a.parts[s] = newPart(a.in, k0, k1)
		k0 = k1
	}
	each(w, w, func(_, s int) { a.parts[s].scan(a) })
	// Between the passes: group the cases by hash, find the long cases,
	// which the second pass needs, and lay out its samples, last, so that
	// they are not held alongside the hashes and the sorts' space.
	each(w, 3, func(_, task int) {
		switch task {
		case 0:
			a.acts = newGrouping(m, a.actHash, a.in.actSeq)
		case 1:
			a.paths = newGrouping(m, a.pathHash, a.in.pathSeq())
		case 2:
			a.leadTimes()
		}
	})
	// What a stage no longer needs is dropped as it ends, here and in the
	// stages after, so that the collector can reuse it for the next one's
	// scratch: the run's peak is the log plus the most any moment holds.
	// From Options.Memory, it is freed (spill.Free) there instead.
	spill.Free(m, a.actHash, a.pathHash, a.lead)
	a.actHash, a.pathHash, a.lead = nil, nil, nil
	s := a.put(func(p *part, k, lo, hi int) { p.fill(a, k, lo, hi) },
		func(p *part) *tally { return &p.handoffs }, func(p *part) *tally { return &p.returns })
	a.handoffs, a.returns = s[0], s[1]
	var odd [2][]int
	for _, p := range a.parts {
		odd[0] = append(odd[0], p.odd[0]...)
		odd[1] = append(odd[1], p.odd[1]...)
	}
	if len(odd[0]) > 0 {
		a.acts.fix(odd[0], a.in.actSeq)
	}
	if len(odd[1]) > 0 {
		a.paths.fix(odd[1], a.in.pathSeq())
	}
}

// put lays out the samples of each kind of tally, picked from every part
// by kinds, in Options.Memory, and calls walk on every case, shard by
// shard on the workers, to put their values in place; the parts' tallies
// of those kinds are dropped.
func (a *analysis) put(walk func(p *part, k, lo, hi int), kinds ...func(p *part) *tally) []samples {
	out := make([]samples, len(kinds))
	for i, kind := range kinds {
		t := make([]*tally, len(a.parts))
		for j, p := range a.parts {
			t[j] = kind(p)
		}
		out[i] = collect(a.opt.Memory, t)
	}
	off := a.in.off
	each(len(a.parts), len(a.parts), func(_, s int) {
		p := a.parts[s]
		for k := p.k0; k < p.k1; k++ {
			walk(p, k, off[k], off[k+1])
		}
	})
	for _, p := range a.parts {
		for _, kind := range kinds {
			*kind(p) = tally{}
		}
	}
	return out
}

// total sums an int field of every part.
func (a *analysis) total(f func(p *part) int) int {
	s := 0
	for _, p := range a.parts {
		s += f(p)
	}
	return s
}
