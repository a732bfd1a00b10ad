package mining

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// Rates are the prices of the cost model (Options.Cost), in one currency.
// A rate of 0 is not set: nothing is priced by it, so no money figure
// appears for a finding none of whose rates is set. The model is
// activity-based costing (Kaplan & Anderson 2004, "Time-driven
// activity-based costing", Harvard Business Review 82(11)): a finding
// costs the minutes of work it adds times the price of a minute, plus the
// unit prices of the handoffs and contacts it adds.
type Rates struct {
	// Currency names the currency, such as EUR; only shown.
	Currency string
	// PerMinute prices a minute of handling by the event's department,
	// else its channel; key "" serves every other event. An event none
	// matches is not priced (Cost.UnpricedMinutes).
	PerMinute map[string]float64
	// PerHandoff prices a handoff between units: the next unit reading
	// the case again.
	PerHandoff float64
	// PerContact prices a contact (a case) by its channel, the first
	// among its events; key "" serves the other contacts.
	PerContact map[string]float64
	// PerRepeat is what a repeat contact costs on top of its contact and
	// its handling.
	PerRepeat float64
	// PerWaitingHour prices an hour a case waits: at a silo boundary, and
	// above its service level.
	PerWaitingHour float64
	// MinutesPerEvent and MinutesPerStay estimate the handling minutes of
	// an event without a start time: MinutesPerEvent for each such event,
	// MinutesPerStay once for each stay (a stay's first event's rate).
	MinutesPerEvent, MinutesPerStay float64
}

// check reports a negative or not finite rate.
func (r *Rates) check() error {
	one := func(name string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%w: cost %s %v is not a number ≥ 0: use a price such as 0.90", ErrOption, name, v)
		}
		return nil
	}
	for _, m := range []struct {
		name  string
		rates map[string]float64
	}{{"per minute", r.PerMinute}, {"per contact", r.PerContact}} {
		for _, k := range slices.Sorted(maps.Keys(m.rates)) {
			if err := one(fmt.Sprintf("%s of %q", m.name, k), m.rates[k]); err != nil {
				return err
			}
		}
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"per handoff", r.PerHandoff}, {"per repeat contact", r.PerRepeat}, {"per waiting hour", r.PerWaitingHour},
		{"minutes per event", r.MinutesPerEvent}, {"minutes per stay", r.MinutesPerStay}} {
		if err := one(v.name, v.v); err != nil {
			return err
		}
	}
	return nil
}

// Cost is what the findings cost at Options.Cost's rates (see Rates). An
// amount is in the currency over the whole log; Year scales it to a year.
// A finding none of whose rates is set has Priced false and amount 0.
type Cost struct {
	// Span is the log's span in seconds, first to last event. Year is
	// 365.2425 days over Span, the factor from the log's amounts to a
	// year's (a month's is a twelfth); 0 when Span is 0. Weak says the
	// span is under WeakSpan, too short a sample of the year for the
	// extrapolation to say much.
	Span, Year float64
	Weak       bool
	// Handling says how handling minutes were found: Measured events from
	// their start time (the end minus the start, in working time with
	// Options.Calendar in their unit's calendar; a start after the end
	// is none), Estimated events by Rates.MinutesPerEvent,
	// Stays by Rates.MinutesPerStay, Unmeasured events neither. Waiting
	// stages of call records (VRU, queue) are no handling and in none of
	// these.
	Measured, Estimated, Stays, Unmeasured int
	// Minutes are all handling minutes; UnpricedMinutes those of events
	// no PerMinute rate matches.
	Minutes, UnpricedMinutes float64
	// The log's work at these rates: Handling (minutes × rates), Handoffs
	// (all handoffs × PerHandoff) and Contacts (every case at its
	// channel's PerContact). HandoffsPriced is false without PerHandoff,
	// and for call records, whose handoffs are a call's stages (VRU,
	// queue, agent), not a case read again.
	Handling, Handoffs, Contacts float64
	HandoffsPriced               bool
	// PingPong has a row per PingPong.Pairs, in its order.
	PingPong       []PairCost
	PingPongPriced bool
	// Silos has a row per silo boundary, in Silos.Boundaries' order; nil
	// without Rates.PerWaitingHour.
	Silos []BoundaryCost
	// Long prices the long cases' time above their stratum's limit.
	Long LongCost
	// Repeats prices the repeat contacts (Journeys.Pairs), Chasers the
	// contacts whose reason is a chaser but that are no repeat; both nil
	// without journeys.
	Repeats, Chasers *ContactCost
	// Ranked is every priced finding by Amount descending, then Kind
	// order, then names: what solving each may save a year.
	Ranked []Item
}

// WeakSpan is the shortest span whose extrapolation to a year the report
// does not call weak.
const WeakSpan = 30 * 24 * time.Hour

// PairCost is what a ping-pong pair costs: each of its Returns (its
// Occurrences) is one extra handoff, back to the unit the case had left,
// and the handling of the stay it returns to (ReturnMinutes), work that
// a case passed on right the first time would not need.
type PairCost struct {
	A, B                      string
	Returns                   int
	ReturnMinutes             float64
	Handoffs, Handling, Total float64
}

// BoundaryCost is a silo boundary's waiting: its Handoffs each wait
// Shift seconds longer than the receiver's other work (the boundary's
// Hodges–Lehmann shift), priced at Rates.PerWaitingHour.
type BoundaryCost struct {
	From, To string
	Handoffs int
	Shift    float64
	Total    float64
}

// LongCost is the long cases' Above seconds past their stratum's limit
// (the SLA, or the quantile the report calls the service level), summed
// over Cases, priced at Rates.PerWaitingHour when Priced.
type LongCost struct {
	Cases  int
	Above  float64
	Priced bool
	Total  float64
}

// ContactCost is N contacts' price: Contacts at their channels'
// PerContact, Handling of their cases, Extra (PerRepeat for repeats).
type ContactCost struct {
	N                         int
	Contacts, Handling, Extra float64
	Total                     float64
	Priced                    bool
}

// Item is one priced finding of Cost.Ranked: Kind, its units A and B (a
// ping-pong pair or boundary A→B, else ""), and its Amount over the log.
type Item struct {
	Kind   string
	A, B   string
	Amount float64
}

// Kinds of Item, in their order among equal amounts.
const (
	KindPingPong = "pingpong"
	KindSilo     = "silo"
	KindLong     = "long_cases"
	KindRepeats  = "repeats"
	KindChasers  = "chasers"
)

// costs fills Findings.Cost; nothing without Options.Cost. It reads the
// log's start times, departments and channels in one pass over the cases,
// after every other figure is known.
func (a *analysis) costs(l *eventlog.Log) {
	r := a.opt.Cost
	if r == nil {
		return
	}
	in, f := a.in, a.f
	c := &Cost{}
	f.Cost = c
	if len(in.t) > 0 {
		c.Span = sec(float64(slices.Max(in.t) - slices.Min(in.t)))
	}
	if c.Span > 0 {
		c.Year = 365.2425 * 86400 / c.Span
	}
	c.Weak = c.Span < WeakSpan.Seconds()

	h := newHandling(l, in, a.opt)
	defer h.dept.Free()
	defer h.chn.Free()
	money := spill.Make[float64](a.opt.Memory, in.cases()) // handling per case
	defer spill.Free(a.opt.Memory, money)
	pairs := map[[2]int32]*PairCost{}
	var st []stay
	for k := range in.cases() {
		lo, hi := in.off[k], in.off[k+1]
		h.reset(lo, hi)
		for i := lo; i < hi; i++ {
			money[k] += h.event(i, c)
		}
		st = in.stays(lo, hi, st[:0])
		for j, s := range st {
			perStay := h.stay(s.first, c)
			money[k] += perStay
			if j < 2 || st[j-2].unit != s.unit || in.closing(st, j) {
				continue
			}
			key := [2]int32{min(s.unit, st[j-1].unit), max(s.unit, st[j-1].unit)}
			p := pairs[key]
			if p == nil {
				p = &PairCost{}
				pairs[key] = p
			}
			p.Returns++
			p.ReturnMinutes += r.MinutesPerStay
			p.Handling += perStay
			for i := s.first; i <= s.last; i++ {
				if in.unit.At(i) == s.unit {
					p.ReturnMinutes += h.minutes[i-lo]
					p.Handling += h.money[i-lo]
				}
			}
		}
	}
	for k := range money {
		c.Handling += money[k]
	}
	if c.HandoffsPriced = r.PerHandoff > 0 && f.Calls == nil; c.HandoffsPriced {
		c.Handoffs = float64(f.Flows.Handoffs) * r.PerHandoff
	}
	for k := range in.cases() {
		c.Contacts += h.contact(k)
	}
	a.pingPongCost(c, pairs, h.priced())
	a.waitCosts(c)
	a.contactCosts(c, h, money)
	c.rank()
}

// handling prices events and stays; see Rates and Cost.Handling.
type handling struct {
	in                *input
	r                 *Rates
	start             *array.Timestamp // the start times; nil without
	dept, chn         eventlog.Codes
	rateDept, rateChn []float64 // per code; NaN when not set
	waiting           []bool    // per activity code: a call's VRU or queue stage
	// minutes and money are the handling minutes and price of each event
	// of the case from event lo on, filled by event.
	lo                  int
	minutes, money      []float64
	measured, estimated bool
}

func newHandling(l *eventlog.Log, in *input, opt Options) *handling {
	r := opt.Cost
	h := &handling{in: in, r: r, dept: l.Codes(eventlog.Department), chn: l.Codes(eventlog.Channel)}
	h.start, _ = l.Column(eventlog.StartTime).(*array.Timestamp)
	rates := func(names []string) []float64 {
		out := make([]float64, len(names))
		for i, n := range names {
			out[i] = math.NaN()
			if v, ok := r.PerMinute[n]; ok {
				out[i] = v
			}
		}
		return out
	}
	h.rateDept, h.rateChn = rates(h.dept.Names), rates(h.chn.Names)
	h.waiting = make([]bool, len(in.acts))
	for i, n := range in.acts {
		h.waiting[i] = n == eventlog.CallVRU || n == eventlog.CallQueueAnswered || n == eventlog.CallQueueAbandoned
	}
	return h
}

// reset makes room for the case of events lo…hi−1.
func (h *handling) reset(lo, hi int) {
	h.lo = lo
	if cap(h.minutes) < hi-lo {
		h.minutes, h.money = make([]float64, hi-lo), make([]float64, hi-lo)
	}
	h.minutes, h.money = h.minutes[:hi-lo], h.money[:hi-lo]
	clear(h.minutes)
	clear(h.money)
}

// rate is the price of a minute of event i, NaN when none is set.
func (h *handling) rate(i int) float64 {
	if d := h.dept.Index[i]; d >= 0 && !math.IsNaN(h.rateDept[d]) {
		return h.rateDept[d]
	}
	if ch := h.chn.Index[i]; ch >= 0 && !math.IsNaN(h.rateChn[ch]) {
		return h.rateChn[ch]
	}
	if v, ok := h.r.PerMinute[""]; ok {
		return v
	}
	return math.NaN()
}

// event counts event i's handling minutes in c and returns its price.
func (h *handling) event(i int, c *Cost) float64 {
	in := h.in
	if h.waiting[in.act.At(i)] {
		return 0
	}
	var m float64
	switch {
	case h.start != nil && h.start.IsValid(i) && int64(h.start.Value(i)) <= in.t[i]:
		// In the event's unit's calendar, as its stay is measured; read
		// from the column, as a start after the end is none.
		s := int64(h.start.Value(i))
		d := in.t[i] - s
		if in.work != nil {
			k := in.cal[len(in.cal)-1]
			if u := in.unit.At(i); u >= 0 {
				k = in.cal[u]
			}
			d = in.work[k][i] - in.tabs[k].At(s)
		}
		m = float64(d) / 60e6
		c.Measured++
		h.measured = true
	case h.r.MinutesPerEvent > 0:
		m = h.r.MinutesPerEvent
		c.Estimated++
		h.estimated = true
	default:
		c.Unmeasured++
		return 0
	}
	h.minutes[i-h.lo] = m
	c.Minutes += m
	p := h.rate(i)
	if math.IsNaN(p) {
		c.UnpricedMinutes += m
		return 0
	}
	h.money[i-h.lo] = m * p
	return m * p
}

// stay counts the per-stay estimate of the stay starting at event i in c
// and returns its price.
func (h *handling) stay(i int, c *Cost) float64 {
	m := h.r.MinutesPerStay
	if m == 0 {
		return 0
	}
	c.Stays++
	c.Minutes += m
	p := h.rate(i)
	if math.IsNaN(p) {
		c.UnpricedMinutes += m
		return 0
	}
	return m * p
}

// priced says whether handling has a price: a per-minute rate and
// minutes to apply it to.
func (h *handling) priced() bool {
	return len(h.r.PerMinute) > 0 && (h.measured || h.estimated || h.r.MinutesPerStay > 0)
}

// contact is the price of case k as a contact, by its first channel.
func (h *handling) contact(k int) float64 {
	lo, hi := h.in.off[k], h.in.off[k+1]
	if ch := firstOf(h.chn.Index, lo, hi); ch >= 0 {
		if v, ok := h.r.PerContact[h.chn.Names[ch]]; ok {
			return v
		}
	}
	return h.r.PerContact[""]
}

// pingPongCost prices the pairs of PingPong.Pairs from their returns.
func (a *analysis) pingPongCost(c *Cost, pairs map[[2]int32]*PairCost, handlingPriced bool) {
	r := a.opt.Cost
	c.PingPongPriced = r.PerHandoff > 0 || handlingPriced
	index := make(map[[2]string]*PairCost, len(pairs))
	for key, p := range pairs {
		u, v := a.in.units[key[0]], a.in.units[key[1]]
		index[[2]string{min(u, v), max(u, v)}] = p
	}
	c.PingPong = make([]PairCost, len(a.f.PingPong.Pairs))
	for i, q := range a.f.PingPong.Pairs {
		p := PairCost{A: q.A, B: q.B}
		if x := index[[2]string{min(q.A, q.B), max(q.A, q.B)}]; x != nil {
			p.Returns, p.ReturnMinutes, p.Handling = x.Returns, x.ReturnMinutes, x.Handling
		}
		p.Handoffs = float64(p.Returns) * r.PerHandoff
		p.Total = p.Handoffs + p.Handling
		c.PingPong[i] = p
	}
}

// waitCosts prices the silo boundaries' waits and the long cases' time
// above their limit at Rates.PerWaitingHour.
func (a *analysis) waitCosts(c *Cost) {
	perSec := a.opt.Cost.PerWaitingHour / 3600
	if perSec > 0 {
		c.Silos = []BoundaryCost{}
		for _, b := range a.f.Silos.Boundaries {
			if b.Silo {
				c.Silos = append(c.Silos, BoundaryCost{From: b.From, To: b.To, Handoffs: b.N, Shift: b.Shift,
					Total: float64(b.N) * b.Shift * perSec})
			}
		}
	}
	lt := &a.f.LeadTime
	limits := map[string]float64{}
	for _, s := range lt.Strata {
		if s.Judged {
			limits[s.Name] = s.Limit
		}
	}
	for k, cs := range a.f.Cases {
		if !cs.Long {
			continue
		}
		limit, ok := 0.0, false
		if v := a.stratum(k); v < len(a.in.strata) {
			limit, ok = limits[a.in.strata[v]]
		}
		if !ok {
			limit = limits[""]
		}
		c.Long.Cases++
		c.Long.Above += cs.Lead - limit
	}
	c.Long.Priced = perSec > 0
	c.Long.Total = c.Long.Above * perSec
}

// contactCosts prices the repeat contacts and the chasers that are no
// repeat: each at its channel's contact price plus its case's handling,
// a repeat also at Rates.PerRepeat.
func (a *analysis) contactCosts(c *Cost, h *handling, money []float64) {
	j := a.f.Journeys
	if j == nil {
		return
	}
	r := a.opt.Cost
	priced := len(r.PerContact) > 0 || h.priced()
	repeat := spill.Make[bool](a.opt.Memory, len(money))
	defer spill.Free(a.opt.Memory, repeat)
	c.Repeats = &ContactCost{Priced: priced || r.PerRepeat > 0}
	for _, p := range j.Pairs {
		repeat[p.Repeat] = true
		c.Repeats.add(h.contact(p.Repeat), money[p.Repeat], r.PerRepeat)
	}
	c.Chasers = &ContactCost{Priced: priced && a.jin.chaser != nil}
	if a.jin.chaser == nil {
		return
	}
	for k := range a.in.cases() {
		if rc := a.jin.reason[k]; rc >= 0 && a.jin.chaser[rc] && !repeat[k] {
			c.Chasers.add(h.contact(k), money[k], 0)
		}
	}
}

func (cc *ContactCost) add(contact, handling, extra float64) {
	cc.N++
	cc.Contacts += contact
	cc.Handling += handling
	cc.Extra += extra
	cc.Total = cc.Contacts + cc.Handling + cc.Extra
}

// rank fills Ranked from the priced findings.
func (c *Cost) rank() {
	c.Ranked = []Item{}
	if c.PingPongPriced {
		for _, p := range c.PingPong {
			c.Ranked = append(c.Ranked, Item{KindPingPong, p.A, p.B, p.Total})
		}
	}
	for _, b := range c.Silos {
		c.Ranked = append(c.Ranked, Item{KindSilo, b.From, b.To, b.Total})
	}
	if c.Long.Priced && c.Long.Cases > 0 {
		c.Ranked = append(c.Ranked, Item{Kind: KindLong, Amount: c.Long.Total})
	}
	for _, x := range []struct {
		kind string
		cc   *ContactCost
	}{{KindRepeats, c.Repeats}, {KindChasers, c.Chasers}} {
		if x.cc != nil && x.cc.Priced && x.cc.N > 0 {
			c.Ranked = append(c.Ranked, Item{Kind: x.kind, Amount: x.cc.Total})
		}
	}
	kinds := []string{KindPingPong, KindSilo, KindLong, KindRepeats, KindChasers}
	slices.SortStableFunc(c.Ranked, func(x, y Item) int {
		return cmp.Or(cmp.Compare(y.Amount, x.Amount), cmp.Compare(slices.Index(kinds, x.Kind), slices.Index(kinds, y.Kind)),
			cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
}
