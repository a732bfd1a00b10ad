package mining

import (
	"cmp"
	"maps"
	"slices"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// Working splits time into work and waiting where events have a start
// time (call stages, paired XES lifecycle start/complete events, a
// --start-time column): an event is worked on from its start to its end
// (its time), and a case waits while none of its events is in progress.
// It is nil when the log has no start_time column. Durations are seconds,
// in working time with Options.Calendar (the case's in the main calendar,
// a unit's stays and the waits at handoffs into it in the unit's, as in
// the rest of the findings).
//
// Flow efficiency is the share of a flow unit's throughput time in which
// it is worked on (Modig & Åhlström 2012, This is Lean, ch. 1; the
// cycle-time efficiency of Dumas, La Rosa, Mendling & Reijers 2018,
// Fundamentals of Business Process Management, 2nd ed., ch. 7); process
// mining measures it from start and complete events (van der Aalst 2016,
// Process Mining, 2nd ed., §9.4: waiting from the previous completion to
// the start, service from the start to the completion).
type Working struct {
	// Started counts the events with a start time at or before their time;
	// the other Events−Started events count as instants, zero work.
	// Reversed of them had a start after their time, read as none. Queued
	// counts the queue stages of call records (see
	// eventlog.CallQueueAnswered): the caller waits for an agent, so their
	// time is waiting, whatever their start says, and they count as
	// instants at their end (the wait is at the handoff into the queue).
	Events, Started, Reversed, Queued int
	// Cases is the number of cases with a lead time. Each case's span runs
	// from the earliest start of the events of its lead-time window (the
	// From event up to the To event; all its events without them) to the
	// window's end: the lead time, stretched back to the start of the work
	// on its first events. Work is the time in which at least one of those
	// events is in progress, so parallel events count once; Wait = Span −
	// Work; Parallel is the time counted more than once when events
	// overlap (the sum of event durations minus Work). All are sums over
	// the cases.
	Cases                        int
	Span, Work, Wait, Parallel   float64
	MedianSpan, MedianWork       float64
	MedianWait                   float64
	Efficiency, MedianEfficiency float64
	// EfficiencyCases is the number of cases with a span above zero, over
	// which MedianEfficiency is the median of Work/Span; Efficiency is
	// Work/Span summed over all cases (0 when every span is 0).
	EfficiencyCases int
	// Units has every unit with a stay, by Wait descending, then name.
	Units []WorkUnit
	// Boundaries has every directed pair of units with a handoff: by
	// Handoffs descending, then From, then To (the order of Flows.Pairs).
	Boundaries []WorkBoundary
}

// WorkUnit is one unit's work and waiting over all its Stays (whole
// cases, not clipped to the lead-time window): Work is the time in which
// one of its events of a stay is in progress; Inside the rest of the
// stays, from the earliest start to the last end (waiting between its
// events); Entry the waits at handoffs into it (see WorkBoundary); Wait =
// Inside + Entry. MedianWork and MedianWait are medians per stay, a
// stay's wait being the wait at the handoff into it and inside it.
// Efficiency is Work/(Work+Wait), 0 when both are 0.
type WorkUnit struct {
	Unit                   string
	Stays                  int
	Work, Inside, Entry    float64
	Wait                   float64
	MedianWork, MedianWait float64
	Efficiency             float64
}

// WorkBoundary is the handoffs From→To with the wait from the end of the
// From stay's last event to the earliest start of the To stay's events.
// Overlapped counts the handoffs where To started before From ended
// (parallel work at the border), whose wait is 0.
type WorkBoundary struct {
	From, To            string
	Handoffs            int
	Overlapped          int
	MedianWait, P90Wait float64
}

// begins returns the instant each event's work begins: its start time
// when it has one at or before its time, else its time (an instant, zero
// work). It counts the events with a start and those whose start is after
// their time. nil starts (no start column) give nil.
func begins(starts, t []int64) (b []int64, started, reversed int) {
	if starts == nil {
		return nil, 0, 0
	}
	for i, s := range starts {
		switch {
		case s == eventlog.NoTime:
			starts[i] = t[i]
		case s > t[i]:
			starts[i] = t[i]
			reversed++
		default:
			started++
		}
	}
	return starts, started, reversed
}

// marks are the instants, in one calendar's measure, at which each
// event's work begins and ends: clock µs, or working µs since the
// calendar table's start.
type marks struct{ begin, end []int64 }

// workInput holds what the working pass reads besides input; its slices
// that grow with the log come from mem.
type workInput struct {
	in   *input
	mem  *spill.Memory
	cals []marks // per calendar of input.work; one, clock time, without
	// span and work per case, µs in the main calendar; span −1 for a case
	// without a lead time.
	span, work []int64
}

// marksOf returns unit u's measure, the main calendar's for u < 0.
func (w *workInput) marksOf(u int32) *marks {
	if w.in.work == nil {
		return &w.cals[0]
	}
	k := w.in.cal[len(w.in.cal)-1]
	if u >= 0 {
		k = w.in.cal[u]
	}
	return &w.cals[k]
}

// cover returns the time of m covered by the work of events lo…hi−1 (of
// unit u only, when u ≥ 0) and the event whose work begins first. It
// sweeps backwards: events are in order of their ends, so an earlier
// event either overlaps the current block of covered time (its end at or
// after the block's begin) or ends before it and opens a new one.
// Overlap is judged on the clock, measured in m. first is −1 when no
// event qualifies.
func (w *workInput) cover(m *marks, lo, hi int, u int32) (covered int64, first int) {
	in := w.in
	b, e := -1, -1 // the current block's first-beginning and last-ending events
	for i := hi - 1; i >= lo; i-- {
		if u >= 0 && in.unit.At(i) != u {
			continue
		}
		switch {
		case e < 0:
			b, e = i, i
		case in.t[i] >= in.begin[b]:
			if in.begin[i] < in.begin[b] {
				b = i
			}
		default:
			covered += m.end[e] - m.begin[b]
			b, e = i, i
		}
	}
	if e >= 0 {
		covered += m.end[e] - m.begin[b]
	}
	return covered, b
}

// workPart accumulates the working pass over one shard of cases; its
// fields merge by concatenation and integer sums.
type workPart struct {
	parallel int64
	// unit, work and wait of each stay, in case order: three flat slices
	// grow with fewer copies than one slice per unit.
	unit          []int32
	work, wait    []int64
	inside, entry []int64 // per unit
	// unit pair (key) and wait of each handoff, in case order.
	handoff    []uint64
	entryWait  []int64
	overlapped map[uint64]int
	st         []stay
}

// working is the working pass: Findings.Working from the cases' events
// with their start times, shard by shard as the scan; nil without a
// start column.
func (a *analysis) working() {
	in := a.in
	if in.begin == nil {
		return
	}
	queued := 0
	if a.f.Calls != nil {
		queue := make([]bool, len(in.acts))
		for c, name := range in.acts {
			queue[c] = name == eventlog.CallQueueAnswered || name == eventlog.CallQueueAbandoned
		}
		for i := range in.t {
			if queue[in.act.At(i)] {
				in.begin[i] = in.t[i]
				queued++
			}
		}
	}
	m := a.opt.Memory
	w := &workInput{in: in, mem: m, cals: []marks{{in.begin, in.t}}}
	if in.work != nil {
		at := lookUp(m, in.tabs, in.begin, a.opt.Workers)
		defer spill.Free(m, at...)
		w.cals = make([]marks, len(in.work))
		for k := range in.work {
			w.cals[k] = marks{at[k], in.work[k]}
		}
	}
	n := in.cases()
	w.span, w.work = spill.Make[int64](m, n), spill.Make[int64](m, n)
	defer spill.Free(m, w.span, w.work)
	parts := make([]workPart, len(a.parts))
	each(len(parts), len(parts), func(_, s int) { w.scan(&parts[s], a.parts[s].k0, a.parts[s].k1) })
	a.f.Working = w.figures(parts, a.f.Events, a.in.started, a.in.reversed, a.opt.Workers)
	a.f.Working.Queued = queued
	// The last pass to read them.
	spill.Free(in.logMem, in.begin)
	in.begin = nil
}

// scan runs the working pass over cases k0…k1−1: each case's span and
// work in place (span −1 without a lead time), the stays' and handoffs'
// figures in p.
func (w *workInput) scan(p *workPart, k0, k1 int) {
	in := w.in
	nU := int(in.nU)
	p.inside, p.entry = make([]int64, nU), make([]int64, nU)
	// A stay has at least one event: the shard's events bound its stays.
	most := in.off[k1] - in.off[k0]
	p.unit = spill.MakeCap[int32](w.mem, 0, most)
	p.work, p.wait = spill.MakeCap[int64](w.mem, 0, most), spill.MakeCap[int64](w.mem, 0, most)
	p.handoff, p.entryWait = spill.MakeCap[uint64](w.mem, 0, most), spill.MakeCap[int64](w.mem, 0, most)
	p.overlapped = map[uint64]int{}
	main := w.marksOf(-1)
	for k := k0; k < k1; k++ {
		lo, hi := in.off[k], in.off[k+1]
		w.span[k] = -1
		if s, e, ok := in.window(lo, hi); ok {
			covered, first := w.cover(main, s, e+1, -1)
			var busy int64
			for i := s; i <= e; i++ {
				busy += main.end[i] - main.begin[i]
			}
			w.span[k], w.work[k] = main.end[e]-main.begin[first], covered
			p.parallel += busy - covered
		}
		st := in.stays(lo, hi, p.st[:0])
		p.st = st
		prevEnd := -1
		for _, x := range st {
			u := x.unit
			m := w.marksOf(u)
			covered, first := w.cover(m, x.first, x.last+1, u)
			inside := m.end[x.last] - m.begin[first] - covered
			var entry int64
			if prevEnd >= 0 {
				key := uint64(in.unit.At(prevEnd))*in.nU + uint64(u)
				if in.begin[first] >= in.t[prevEnd] {
					entry = m.begin[first] - m.end[prevEnd]
				} else {
					p.overlapped[key]++
				}
				p.handoff, p.entryWait = append(p.handoff, key), append(p.entryWait, entry)
			}
			p.unit, p.work, p.wait = append(p.unit, u), append(p.work, covered), append(p.wait, inside+entry)
			p.inside[u] += inside
			p.entry[u] += entry
			prevEnd = x.last
		}
	}
}

// figures merges the parts into the findings, freeing their slices;
// medians select their order statistics (see quantiles) rather than
// sort, on up to workers goroutines.
func (w *workInput) figures(parts []workPart, events, started, reversed, workers int) *Working {
	in, m := w.in, w.mem
	f := &Working{Events: events, Started: started, Reversed: reversed}
	n := len(w.span)
	span, work, wait := spill.MakeCap[int64](m, 0, n), spill.MakeCap[int64](m, 0, n), spill.MakeCap[int64](m, 0, n)
	eff := spill.MakeCap[float64](m, 0, n)
	defer spill.Free(m, span, work, wait)
	defer spill.Free(m, eff)
	for k, s := range w.span {
		if s < 0 {
			continue
		}
		span, work, wait = append(span, s), append(work, w.work[k]), append(wait, s-w.work[k])
		if s > 0 {
			eff = append(eff, float64(w.work[k])/float64(s))
		}
	}
	var parallel int64
	for i := range parts {
		parallel += parts[i].parallel
	}
	f.Cases, f.EfficiencyCases = len(span), len(eff)
	f.Span, f.Work, f.Wait, f.Parallel = secSum(span), secSum(work), secSum(wait), sec(float64(parallel))
	if f.Span > 0 {
		f.Efficiency = f.Work / f.Span
	}
	each(workers, 4, func(_, i int) {
		switch i {
		case 0:
			f.MedianSpan = medianSec(m, span)
		case 1:
			f.MedianWork = medianSec(m, work)
		case 2:
			f.MedianWait = medianSec(m, wait)
		case 3:
			slices.Sort(eff)
			f.MedianEfficiency = interpolate(len(eff), 0.5, func(i int) float64 { return eff[i] })
		}
	})

	// The stays by unit, by a counting sort over the parts.
	nU := int(in.nU)
	at := make([]int, nU+1)
	for i := range parts {
		for _, u := range parts[i].unit {
			at[u+1]++
		}
	}
	for u := range nU {
		at[u+1] += at[u]
	}
	stayWork, stayWait := spill.Make[int64](m, at[nU]), spill.Make[int64](m, at[nU])
	defer spill.Free(m, stayWork, stayWait)
	next := slices.Clone(at[:nU])
	for i := range parts {
		p := &parts[i]
		for j, u := range p.unit {
			stayWork[next[u]], stayWait[next[u]] = p.work[j], p.wait[j]
			next[u]++
		}
		spill.Free(m, p.unit)
		spill.Free(m, p.work, p.wait)
		p.unit, p.work, p.wait = nil, nil, nil
	}
	units := make([]WorkUnit, nU)
	each(workers, nU, func(_, u int) {
		var inside, entry int64
		for i := range parts {
			inside += parts[i].inside[u]
			entry += parts[i].entry[u]
		}
		x0, x1 := stayWork[at[u]:at[u+1]], stayWait[at[u]:at[u+1]]
		wu := WorkUnit{Unit: in.units[u], Stays: len(x0), Work: secSum(x0), Inside: sec(float64(inside)), Entry: sec(float64(entry))}
		wu.Wait = wu.Inside + wu.Entry
		wu.MedianWork, wu.MedianWait = medianSec(m, x0), medianSec(m, x1)
		if t := wu.Work + wu.Wait; t > 0 {
			wu.Efficiency = wu.Work / t
		}
		units[u] = wu
	})
	for _, u := range units {
		if u.Stays > 0 {
			f.Units = append(f.Units, u)
		}
	}
	slices.SortFunc(f.Units, func(x, y WorkUnit) int { return cmp.Or(cmp.Compare(y.Wait, x.Wait), cmp.Compare(x.Unit, y.Unit)) })

	// The handoffs' waits by unit pair, by a counting sort over the parts.
	count, overlapped := map[uint64]int{}, map[uint64]int{}
	for i := range parts {
		for _, key := range parts[i].handoff {
			count[key]++
		}
		for key, n := range parts[i].overlapped {
			overlapped[key] += n
		}
	}
	keys := slices.Sorted(maps.Keys(count))
	end := make(map[uint64]int, len(keys)) // the next slot of each pair; its group's end once filled
	total := 0
	for _, key := range keys {
		end[key] = total
		total += count[key]
	}
	waits := spill.Make[int64](m, total)
	defer spill.Free(m, waits)
	for i := range parts {
		p := &parts[i]
		for j, key := range p.handoff {
			waits[end[key]] = p.entryWait[j]
			end[key]++
		}
		spill.Free(m, p.handoff)
		spill.Free(m, p.entryWait)
		p.handoff, p.entryWait = nil, nil
	}
	f.Boundaries = make([]WorkBoundary, len(keys))
	each(workers, len(keys), func(_, i int) {
		key := keys[i]
		v := waits[end[key]-count[key] : end[key]]
		q, buf := quantiles(m, v, nil, 0.5, 0.9)
		spill.Free(m, buf)
		f.Boundaries[i] = WorkBoundary{From: in.units[key/in.nU], To: in.units[key%in.nU], Handoffs: len(v),
			Overlapped: overlapped[key], MedianWait: sec(q[0]), P90Wait: sec(q[1])}
	})
	slices.SortFunc(f.Boundaries, func(x, y WorkBoundary) int {
		return cmp.Or(cmp.Compare(y.Handoffs, x.Handoffs), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	})
	return f
}

// medianSec returns the median of x in seconds, 0 when empty, with
// scratch space from m; x is reordered.
func medianSec(m *spill.Memory, x []int64) float64 {
	q, buf := quantiles(m, x, nil, 0.5)
	spill.Free(m, buf)
	return sec(q[0])
}

// secSum is the sum of x in seconds.
func secSum(x []int64) float64 { return sec(sum(x).float()) }
