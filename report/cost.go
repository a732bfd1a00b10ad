package report

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/caseflow/caseflow/mining"
)

// costDoc is mining.Cost in the JSON document: null without rates, so no
// money figure appears unless the user set one. Amounts are in Currency,
// rounded to the cent; an amount none of whose rates is set is null. Each
// has its month and year: year = the log's amount × YearFactor (365.2425
// days over the log's span), month = year / 12.
type costDoc struct {
	Currency string   `json:"currency"`
	Rates    ratesDoc `json:"rates"`
	// HandlingRule is how handling minutes were found: start_time,
	// start_time_and_estimate, estimate or none.
	HandlingRule     string `json:"handling_rule"`
	MeasuredEvents   int    `json:"measured_events"`
	EstimatedEvents  int    `json:"estimated_events"`
	EstimatedStays   int    `json:"estimated_stays"`
	UnmeasuredEvents int    `json:"unmeasured_events"`
	HandlingMinutes  num    `json:"handling_minutes"`
	UnpricedMinutes  num    `json:"unpriced_minutes"`
	SpanS            num    `json:"span_s"`
	YearFactor       num    `json:"year_factor"`
	Weak             bool   `json:"weak_extrapolation"`

	Handling       num `json:"handling"`
	HandlingYear   num `json:"handling_year"`
	Handoffs       num `json:"handoffs"`
	HandoffsYear   num `json:"handoffs_year"`
	Contacts       num `json:"contacts"`
	ContactsYear   num `json:"contacts_year"`
	PingPong       num `json:"pingpong"`
	PingPongMonth  num `json:"pingpong_month"`
	PingPongYear   num `json:"pingpong_year"`
	Silos          num `json:"silos"`
	SilosMonth     num `json:"silos_month"`
	SilosYear      num `json:"silos_year"`
	LongCases      num `json:"long_cases"`
	LongCasesMonth num `json:"long_cases_month"`
	LongCasesYear  num `json:"long_cases_year"`
	LongHoursAbove num `json:"long_hours_above"`
	Repeats        num `json:"repeats"`
	RepeatsMonth   num `json:"repeats_month"`
	RepeatsYear    num `json:"repeats_year"`
	RepeatContacts int `json:"repeat_contacts"`
	Chasers        num `json:"chasers"`
	ChasersMonth   num `json:"chasers_month"`
	ChasersYear    num `json:"chasers_year"`
	ChaserContacts int `json:"chaser_contacts"`

	PingPongPairs  []pairCostDoc     `json:"pingpong_pairs"`
	SiloBoundaries []boundaryCostDoc `json:"silo_boundaries"`
	// Ranked is every priced finding by its yearly amount, largest first:
	// what solving each may save.
	Ranked []rankedDoc `json:"ranked"`
}

// ratesDoc echoes the rates; a rate not set is null (a map: {}).
type ratesDoc struct {
	PerMinute       map[string]num `json:"per_minute"`
	PerHandoff      num            `json:"per_handoff"`
	PerContact      map[string]num `json:"per_contact"`
	PerRepeat       num            `json:"per_repeat_contact"`
	PerWaitingHour  num            `json:"per_waiting_hour"`
	MinutesPerEvent num            `json:"minutes_per_event"`
	MinutesPerStay  num            `json:"minutes_per_stay"`
}

type pairCostDoc struct {
	A             string `json:"a"`
	B             string `json:"b"`
	Returns       int    `json:"returns"`
	ReturnMinutes num    `json:"return_minutes"`
	Handoffs      num    `json:"handoffs"`
	Handling      num    `json:"handling"`
	Total         num    `json:"total"`
	Month         num    `json:"month"`
	Year          num    `json:"year"`
}

type boundaryCostDoc struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Handoffs int    `json:"handoffs"`
	ShiftS   num    `json:"shift_s"`
	Total    num    `json:"total"`
	Month    num    `json:"month"`
	Year     num    `json:"year"`
}

// rankedDoc is one finding of the ranked list: Finding is a mining.Kind*,
// A and B its departments (a ping-pong pair, a boundary A → B), else "".
type rankedDoc struct {
	Finding string `json:"finding"`
	A       string `json:"a,omitempty"`
	B       string `json:"b,omitempty"`
	Total   num    `json:"total"`
	Month   num    `json:"month"`
	Year    num    `json:"year"`
}

// money rounds an amount to the cent (and minutes and hours to the
// hundredth, so that a large log keeps them whole).
func money(x float64) num {
	if !finite(x) {
		return num(x)
	}
	return exact(math.Round(x*100) / 100)
}

// price is a rate as written, none when not set.
func price(x float64) num {
	if x == 0 {
		return none
	}
	return exact(x)
}

// rateMap writes rates by name, the default ("") as "*".
func rateMap(m map[string]float64) map[string]num {
	out := make(map[string]num, len(m))
	for k, v := range m {
		out[cmp.Or(k, "*")] = exact(v)
	}
	return out
}

// amounts gives x over the log, a month and a year, or none for all
// three when not priced.
func amounts(c *mining.Cost, x float64, priced bool) (total, month, year num) {
	if !priced {
		return none, none, none
	}
	if c.Year == 0 {
		return money(x), none, none
	}
	return money(x), money(x * c.Year / 12), money(x * c.Year)
}

func costs(f *mining.Findings, n namer) *costDoc {
	c, r := f.Cost, f.Options.Cost
	if c == nil || r == nil {
		return nil
	}
	d := &costDoc{Currency: r.Currency, MeasuredEvents: c.Measured, EstimatedEvents: c.Estimated, EstimatedStays: c.Stays,
		UnmeasuredEvents: c.Unmeasured, HandlingMinutes: money(c.Minutes), UnpricedMinutes: money(c.UnpricedMinutes),
		SpanS: secs(c.Span), YearFactor: none, Weak: c.Weak, LongHoursAbove: money(c.Long.Above / 3600),
		PingPongPairs: []pairCostDoc{}, SiloBoundaries: []boundaryCostDoc{}, Ranked: []rankedDoc{}}
	if c.Year > 0 {
		d.YearFactor = frac(c.Year)
	}
	d.Rates = ratesDoc{PerMinute: rateMap(r.PerMinute), PerHandoff: price(r.PerHandoff), PerContact: rateMap(r.PerContact),
		PerRepeat: price(r.PerRepeat), PerWaitingHour: price(r.PerWaitingHour), MinutesPerEvent: price(r.MinutesPerEvent),
		MinutesPerStay: price(r.MinutesPerStay)}
	switch {
	case c.Measured > 0 && c.Estimated+c.Stays > 0:
		d.HandlingRule = "start_time_and_estimate"
	case c.Measured > 0:
		d.HandlingRule = "start_time"
	case c.Estimated+c.Stays > 0:
		d.HandlingRule = "estimate"
	default:
		d.HandlingRule = "none"
	}
	d.Handling, _, d.HandlingYear = amounts(c, c.Handling, len(r.PerMinute) > 0 && d.HandlingRule != "none")
	d.Handoffs, _, d.HandoffsYear = amounts(c, c.Handoffs, c.HandoffsPriced)
	d.Contacts, _, d.ContactsYear = amounts(c, c.Contacts, len(r.PerContact) > 0)
	var pp float64
	for _, p := range c.PingPong {
		pp += p.Total
		if !c.PingPongPriced {
			continue
		}
		a, b := n.name(p.A), n.name(p.B)
		if a > b {
			a, b = b, a
		}
		pd := pairCostDoc{A: a, B: b, Returns: p.Returns, ReturnMinutes: money(p.ReturnMinutes),
			Handoffs: money(p.Handoffs), Handling: money(p.Handling)}
		pd.Total, pd.Month, pd.Year = amounts(c, p.Total, true)
		d.PingPongPairs = append(d.PingPongPairs, pd)
	}
	// By cost, then names: pseudonyms may have changed the names' order.
	slices.SortStableFunc(d.PingPongPairs, func(x, y pairCostDoc) int {
		return cmp.Or(-cmp.Compare(x.Total, y.Total), strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
	})
	d.PingPong, d.PingPongMonth, d.PingPongYear = amounts(c, pp, c.PingPongPriced)
	var silos float64
	for _, b := range c.Silos {
		silos += b.Total
		bd := boundaryCostDoc{From: n.name(b.From), To: n.name(b.To), Handoffs: b.Handoffs, ShiftS: secs(b.Shift)}
		bd.Total, bd.Month, bd.Year = amounts(c, b.Total, true)
		d.SiloBoundaries = append(d.SiloBoundaries, bd)
	}
	d.Silos, d.SilosMonth, d.SilosYear = amounts(c, silos, c.Silos != nil)
	d.LongCases, d.LongCasesMonth, d.LongCasesYear = amounts(c, c.Long.Total, c.Long.Priced)
	d.Repeats, d.RepeatsMonth, d.RepeatsYear = amounts(c, 0, false)
	if c.Repeats != nil {
		d.RepeatContacts = c.Repeats.N
		d.Repeats, d.RepeatsMonth, d.RepeatsYear = amounts(c, c.Repeats.Total, c.Repeats.Priced)
	}
	d.Chasers, d.ChasersMonth, d.ChasersYear = amounts(c, 0, false)
	if c.Chasers != nil {
		d.ChaserContacts = c.Chasers.N
		d.Chasers, d.ChasersMonth, d.ChasersYear = amounts(c, c.Chasers.Total, c.Chasers.Priced)
	}
	for _, it := range c.Ranked {
		rd := rankedDoc{Finding: it.Kind}
		if it.A != "" {
			rd.A, rd.B = n.name(it.A), n.name(it.B)
			if it.Kind == mining.KindPingPong && rd.A > rd.B {
				rd.A, rd.B = rd.B, rd.A
			}
		}
		rd.Total, rd.Month, rd.Year = amounts(c, it.Amount, true)
		d.Ranked = append(d.Ranked, rd)
	}
	// Mining's order, again, as names may have become pseudonyms.
	kinds := []string{mining.KindPingPong, mining.KindSilo, mining.KindLong, mining.KindRepeats, mining.KindChasers}
	slices.SortStableFunc(d.Ranked, func(x, y rankedDoc) int {
		return cmp.Or(-cmp.Compare(x.Total, y.Total), cmp.Compare(slices.Index(kinds, x.Finding), slices.Index(kinds, y.Finding)),
			strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
	})
	return d
}

// shortCost cuts the cost lists to k entries, for the JSON.
func shortCost(c *costDoc, k int) *costDoc {
	if c == nil {
		return nil
	}
	s := *c
	s.PingPongPairs, s.SiloBoundaries, s.Ranked = head(s.PingPongPairs, k), head(s.SiloBoundaries, k), head(s.Ranked, k)
	return &s
}

// Lines of the ranked list in the text report.
const textCostRows = 8

// cost writes the COST section; one line, without a money figure, when no
// rate is set. Each sentence is one format string, for a message
// catalogue.
func (t *textWriter) cost(d *document) {
	c := d.Cost
	if c == nil {
		t.heading("COST", t.Sprintf("no rates set, so no money figures (set them with --cost-per-minute, --cost-per-handoff and the other --cost flags, or a [cost] table in the config)"))
		return
	}
	span := t.duration(float64(c.SpanS))
	if c.YearFactor > 0 {
		t.heading("COST", t.Sprintf("at the rates set: what each finding costs, over the log's span of %s and extrapolated to a year", span))
	} else {
		t.heading("COST", t.Sprintf("at the rates set: what each finding costs over the log; its span is 0, so nothing is extrapolated"))
	}
	if c.Currency != "" {
		t.printf("  amounts in %s\n", c.Currency)
	}
	perEvent, perStay := float64(c.Rates.MinutesPerEvent.or0()), float64(c.Rates.MinutesPerStay.or0())
	if c.MeasuredEvents > 0 {
		t.printf("  handling minutes from start to end of the %d events with a start time\n", c.MeasuredEvents)
	}
	if c.EstimatedEvents > 0 {
		t.printf("  handling minutes estimated for %d events without a start time, at %v min each (--minutes-per-event)\n", c.EstimatedEvents, perEvent)
	}
	if c.EstimatedStays > 0 {
		t.printf("  handling minutes estimated for %d stays, at %v min each (--minutes-per-stay)\n", c.EstimatedStays, perStay)
	}
	if c.UnmeasuredEvents > 0 {
		t.printf("  %d events have no start time and no estimate (--minutes-per-event), so no handling minutes\n", c.UnmeasuredEvents)
	}
	if d.Options.WorkingTime != nil && c.MeasuredEvents > 0 {
		t.printf("  handling and waiting hours are working time\n")
	}
	if c.UnpricedMinutes > 0 {
		t.printf("  %.0f of %.0f handling minutes have no --cost-per-minute rate (for their department, channel or *) and are not priced\n",
			float64(c.UnpricedMinutes), float64(c.HandlingMinutes))
	}
	t.printf("  the log's work at these rates a year: handling %s, handoffs %s, contacts %s\n",
		t.amount(c.HandlingYear), t.amount(c.HandoffsYear), t.amount(c.ContactsYear))
	if len(c.Ranked) == 0 {
		t.printf("  no finding has a price at these rates\n")
		return
	}
	t.printf("  what each finding costs, largest first: what solving it may be worth (they overlap, as a silo's wait can make a case long: do not add them up)\n")
	rows := [][]string{t.words("finding", "in the log", "a month", "a year")}
	for _, r := range head(c.Ranked, textCostRows) {
		rows = append(rows, []string{t.findingName(r), t.amount(r.Total), t.amount(r.Month), t.amount(r.Year)})
	}
	t.table("lrrr", rows)
	if c.YearFactor > 0 {
		t.printf("  a year = the log's amount × 365.2425 days / its span of %s; a month = a year / 12\n", span)
	}
	if c.Weak {
		t.printf("  the log spans under %d days, too short a sample of a year: the extrapolation is weak\n", int(mining.WeakSpan.Hours()/24))
	}
}

// or0 is x, or 0 when not set.
func (x num) or0() num {
	if math.IsNaN(float64(x)) {
		return 0
	}
	return x
}

// findingName names a ranked finding in the text report.
func (t *textWriter) findingName(r rankedDoc) string {
	switch r.Finding {
	case mining.KindPingPong:
		return t.Sprintf("ping-pong %s ↔ %s", short(r.A), short(r.B))
	case mining.KindSilo:
		return t.Sprintf("silo %s → %s", short(r.A), short(r.B))
	case mining.KindLong:
		return t.Sprintf("long cases, time above the service level")
	case mining.KindRepeats:
		return t.Sprintf("repeat contacts")
	case mining.KindChasers:
		return t.Sprintf("chasers (failure demand, no repeat)")
	}
	return r.Finding
}
