package html

import (
	"math"

	"github.com/caseflow/caseflow/mining"
)

// costView is the page's cost section: every priced finding, largest
// first; nil without rates (no money figure appears then).
type costView struct {
	Note string
	Rows []costRow
}

// costRow is one priced finding: its amount over the log, a month and a
// year (sorted by the log's amount, which orders the others too).
type costRow struct {
	Finding          string
	V                float64
	Log, Month, Year string
}

// costTable lists the priced findings of c (see mining.Cost), naming
// units by unit.
func (l *lang) costTable(c *mining.Cost, currency string, unit func(string) string) *costView {
	if c == nil {
		return nil
	}
	v := &costView{Note: l.f("At the rates set: what each finding costs over the log, and extrapolated to a month and a year (a year = the log's amount × 365.2425 days / its span of %s). The findings overlap, as a silo's wait can make a case long: do not add them up.",
		l.dur(c.Span))}
	if currency != "" {
		v.Note += " " + l.f("Amounts in %s.", currency)
	}
	if c.Weak {
		v.Note += " " + l.f("The log spans under %d days, too short a sample of a year: the extrapolation is weak.", int(mining.WeakSpan.Hours()/24))
	}
	for _, it := range c.Ranked {
		r := costRow{V: it.Amount, Log: l.money(it.Amount), Month: "–", Year: "–"}
		if c.Year > 0 {
			r.Month, r.Year = l.money(it.Amount*c.Year/12), l.money(it.Amount*c.Year)
		}
		switch it.Kind {
		case mining.KindPingPong:
			r.Finding = l.f("ping-pong %s ↔ %s", unit(it.A), unit(it.B))
		case mining.KindSilo:
			r.Finding = l.f("silo %s → %s", unit(it.A), unit(it.B))
		case mining.KindLong:
			r.Finding = l.f("long cases, time above the service level")
		case mining.KindRepeats:
			r.Finding = l.f("repeat contacts")
		case mining.KindChasers:
			r.Finding = l.f("chasers (failure demand, no repeat)")
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// money writes an amount: whole units from 1,000 up, else cents.
func (l *lang) money(x float64) string {
	if math.Abs(x) >= 1000 {
		return l.f("%.0f", x)
	}
	return l.f("%.2f", x)
}
