package generate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Style selects the shape of the exported log.
type Style int

const (
	// ISO is a typical CRM export: comma-separated, English column names,
	// UTC timestamps like 2024-03-05T09:12:44.123Z.
	ISO Style = iota
	// NL is a Dutch-style export: semicolon-separated, Dutch column names,
	// Europe/Amsterdam local times like 05-03-2024 10:12:44.
	NL
)

// Format selects the file format of the exported log.
type Format int

const (
	// CSV writes RFC 4180 text with a header row.
	CSV Format = iota
	// Parquet writes the same columns through Arrow's pqarrow writer.
	Parquet
)

// Pair names two departments: an unordered ping-pong pair (From is where
// the planted bounce starts) or a directed silo boundary From→To.
type Pair struct {
	From, To string
}

// IsZero reports whether p is unset.
func (p Pair) IsZero() bool { return p.From == "" && p.To == "" }

// Config holds every generator parameter. Rates are probabilities in [0, 1];
// factors multiply times and are 0 (off) or at least 1. A planted pattern is
// off when its rate or factor is 0 or its departments are empty.
type Config struct {
	Cases  int       // number of cases
	Seed   uint64    // same seed and parameters give byte-identical output
	Start  time.Time // first day of the arrival period; only its date is used, as a local date
	Days   int       // length of the arrival period in days; cases may finish after it
	Style  Style
	Format Format

	// Direct ping-pong: a case visiting From is, with probability
	// PingPongRate, sent to To and straight back (From To From), and with
	// probability 0.35 once more (From To From To From). Pairs are tried in
	// order; a case gets at most one.
	PingPongRate  float64
	PingPongPairs []Pair
	// Longer return: with probability ReturnRate a case routed from the KCC
	// to a back office B is passed on to a wrong department C, which sends it
	// back to the KCC, which routes it to B again (KCC B C KCC B).
	ReturnRate float64
	// Silo boundary: handoffs From→To wait SiloFactor times longer than
	// usual before To starts on them; work inside To is normal.
	Silo       Pair
	SiloFactor float64
	// Slow department: every step inside Slow takes SlowFactor times longer;
	// handoffs into it wait as usual.
	Slow       string
	SlowFactor float64
	// Repeat contacts: with probability RepeatRate a case comes from a
	// customer who contacted the municipality about the same reason within
	// the previous seven days.
	RepeatRate float64
	// Demand spike: on SpikeDay the volume of SpikeReason is SpikeFactor
	// times its usual volume for that weekday. A zero SpikeDay means the
	// first weekday on or after the middle of the period.
	SpikeDay    time.Time
	SpikeReason string
	SpikeFactor float64

	// The pathologies of real exports, each off at its zero value (the
	// default) and switched on together by Realistic. They change what the
	// log looks like, never what the truth says of it: stays, ping-pong and
	// lead times in the truth are those of the log as written.
	//
	// Bursts: each event with a department is, with probability BurstRate,
	// followed by one to three "Status updated" events of its department
	// and agent logged at the same millisecond, as systems do when one
	// action writes several status updates. No other event moves, so
	// stays, the waits between them and lead times do not change.
	BurstRate float64
	// Placeholders: each event of a stay after its first has, with
	// probability PlaceholderRate, a placeholder (see Placeholders) instead
	// of its department. A stay's first event always keeps its department,
	// so a reader that treats placeholders as missing sees the same stays.
	PlaceholderRate float64
	// First-contact resolution: a phone, chat or counter contact is, with
	// probability QuickRate, answered while the customer is there: the KCC
	// registers, answers and closes it within minutes of elapsed time. This
	// sharpens the first mode of the bimodal lead-time distribution.
	QuickRate float64
	// Holds: a case routed to a back office is, with probability HoldRate,
	// put on hold in its last back office waiting for the customer
	// ("Information requested" then "Customer reply received") for a
	// Pareto-distributed time (minimum holdMin, shape holdShape, capped at
	// holdMax): the heavy right tail of lead times.
	HoldRate float64
	// CloseAtKCC sends every case routed to a back office back to the KCC
	// to be closed (KCC … back office → KCC), the designed closing return of
	// front-office processes, instead of a fifth of them.
	CloseAtKCC bool
}

// Realistic switches on every pathology of real exports at the rates of
// `caseflow generate --realistic`: half the events with a department are
// followed by a burst of status updates at the same instant (so that most
// departments have a median gap of 0 s between their own events, as in
// BPIC 2014), one event in twenty that continues a stay has a placeholder
// department, half the staffed contacts are resolved at first contact, one
// routed case in eight waits weeks on hold, and every routed case closes
// at the KCC.
func (c *Config) Realistic() {
	c.BurstRate = 0.5
	c.PlaceholderRate = 0.05
	c.QuickRate = 0.5
	c.HoldRate = 0.125
	c.CloseAtKCC = true
}

// Default returns the parameters of `caseflow generate` without flags:
// 1,000 cases from 2024-01-01 over a year, every pattern planted.
func Default() Config {
	return Config{
		Cases:         1000,
		Seed:          1,
		Start:         time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Days:          365,
		PingPongRate:  0.04,
		PingPongPairs: []Pair{{"KCC", "Taxes"}, {"Permits", "Public Space"}},
		ReturnRate:    0.03,
		Silo:          Pair{"KCC", "Permits"},
		SiloFactor:    6,
		Slow:          "Social Services",
		SlowFactor:    5,
		RepeatRate:    0.08,
		SpikeReason:   "Municipal taxes",
		SpikeFactor:   5,
	}
}

// maxDays bounds the period (a century) so per-day tables stay small.
const maxDays = 36525

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("invalid generator configuration")

// plan is a validated Config resolved to table indices.
type plan struct {
	Config
	pairs      [][2]int // ping-pong pairs; empty when off
	siloFrom   int      // -1 when off
	siloTo     int
	slow       int // -1 when off
	startDay   int64
	spikeDay   int64 // -1 when off
	spikeIndex int   // spike day - start day
	spikeRsn   int
}

// Validate reports the first problem with c, wrapping ErrConfig.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

func (c Config) resolve() (*plan, error) {
	bad := func(format string, a ...any) (*plan, error) {
		return nil, fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
	}
	p := &plan{Config: c, siloFrom: -1, siloTo: -1, slow: -1, spikeDay: -1}
	switch {
	case c.Cases < 0:
		return bad("cases %d: must not be negative", c.Cases)
	case c.Days < 1 || c.Days > maxDays:
		return bad("days %d: must be between 1 and %d", c.Days, maxDays)
	case c.Style != ISO && c.Style != NL:
		return bad("unknown style %d", c.Style)
	case c.Format != CSV && c.Format != Parquet:
		return bad("unknown format %d", c.Format)
	case c.Start.Year() < 1900 || c.Start.Year() > 9000:
		return bad("start %s: year must be between 1900 and 9000", c.Start.Format(time.DateOnly))
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"ping-pong rate", c.PingPongRate}, {"return rate", c.ReturnRate}, {"repeat rate", c.RepeatRate},
		{"burst rate", c.BurstRate}, {"placeholder rate", c.PlaceholderRate}, {"quick rate", c.QuickRate}, {"hold rate", c.HoldRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return bad("%s %v: must be between 0 and 1", r.name, r.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"silo factor", c.SiloFactor}, {"slow factor", c.SlowFactor}, {"spike factor", c.SpikeFactor}} {
		if !(f.v == 0 || f.v >= 1 && f.v <= 1e6) {
			return bad("%s %v: must be 0 (off) or between 1 and 1e6", f.name, f.v)
		}
	}
	dept := func(what, name string) (int, error) {
		if i := deptIndex(name); i >= 0 {
			return i, nil
		}
		_, err := bad("%s: unknown department %q (known: %s)", what, name, strings.Join(Departments(), ", "))
		return -1, err
	}
	if c.PingPongRate > 0 {
		for _, pr := range c.PingPongPairs {
			a, err := dept("ping-pong pair", pr.From)
			if err != nil {
				return nil, err
			}
			b, err := dept("ping-pong pair", pr.To)
			if err != nil {
				return nil, err
			}
			if a == b {
				return bad("ping-pong pair %s:%s: the departments must differ", pr.From, pr.To)
			}
			p.pairs = append(p.pairs, [2]int{a, b})
		}
	}
	if c.SiloFactor > 0 && !c.Silo.IsZero() {
		var err error
		if p.siloFrom, err = dept("silo boundary", c.Silo.From); err != nil {
			return nil, err
		}
		if p.siloTo, err = dept("silo boundary", c.Silo.To); err != nil {
			return nil, err
		}
		if p.siloFrom == p.siloTo {
			return bad("silo boundary %s>%s: the departments must differ", c.Silo.From, c.Silo.To)
		}
	}
	if c.SlowFactor > 0 && c.Slow != "" {
		var err error
		if p.slow, err = dept("slow department", c.Slow); err != nil {
			return nil, err
		}
		if p.slow == p.siloTo {
			return bad("slow department %q is also the silo's target: plant them in different departments", c.Slow)
		}
	}
	p.startDay = dayNumber(int64(c.Start.Year()), int(c.Start.Month()), c.Start.Day())
	if c.SpikeFactor > 0 {
		if p.spikeRsn = reasonIndex(c.SpikeReason); p.spikeRsn < 0 {
			return bad("spike reason %q unknown (known: %s)", c.SpikeReason, strings.Join(Reasons(), ", "))
		}
		if c.SpikeDay.IsZero() {
			p.spikeDay = p.startDay + int64(c.Days/2)
			for weekday(p.spikeDay) >= 5 {
				p.spikeDay++
			}
			if p.spikeDay >= p.startDay+int64(c.Days) { // a period of a weekend only
				p.spikeDay = p.startDay + int64(c.Days/2)
			}
		} else {
			p.spikeDay = dayNumber(int64(c.SpikeDay.Year()), int(c.SpikeDay.Month()), c.SpikeDay.Day())
		}
		if p.spikeDay < p.startDay || p.spikeDay >= p.startDay+int64(c.Days) {
			return bad("spike day %s lies outside the period %s + %d days", c.SpikeDay.Format(time.DateOnly), c.Start.Format(time.DateOnly), c.Days)
		}
		p.spikeIndex = int(p.spikeDay - p.startDay)
	}
	return p, nil
}
