package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/mining"
)

// costFlags are the rates of the cost model (docs/report.md, "Cost");
// without any, no money figure appears.
type costFlags struct {
	currency                        string
	perMinute, perContact           []string
	perHandoff, perRepeat, perHour  float64
	minutesPerEvent, minutesPerStay float64
}

func (c *costFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.currency, "currency", "", "currency of the --cost rates, shown with every amount, e.g. EUR")
	fs.StringArrayVar(&c.perMinute, "cost-per-minute", nil, "price of a minute of handling in a department or channel, 'KCC=0.90', or for all others, '0.95' (repeatable)")
	fs.Float64Var(&c.perHandoff, "cost-per-handoff", 0, "price of a handoff between departments (the next one reading the case again)")
	fs.StringArrayVar(&c.perContact, "cost-per-contact", nil, "price of a contact (a case) by its channel, 'phone=4.50', or for all others, '3' (repeatable)")
	fs.Float64Var(&c.perRepeat, "cost-per-repeat-contact", 0, "price of a repeat contact on top of its contact and handling")
	fs.Float64Var(&c.perHour, "cost-per-waiting-hour", 0, "price of an hour a case waits at a silo boundary or above its service level")
	fs.Float64Var(&c.minutesPerEvent, "minutes-per-event", 0, "handling minutes of an event without a start time (an estimate)")
	fs.Float64Var(&c.minutesPerStay, "minutes-per-stay", 0, "handling minutes of a stay in a department, besides its events' (an estimate)")
}

// rates turns the flags into mining's rates: nil when no rate is set.
func (c *costFlags) rates() (*mining.Rates, error) {
	r := &mining.Rates{Currency: c.currency, PerHandoff: c.perHandoff, PerRepeat: c.perRepeat, PerWaitingHour: c.perHour,
		MinutesPerEvent: c.minutesPerEvent, MinutesPerStay: c.minutesPerStay}
	var err error
	if r.PerMinute, err = rateList("cost-per-minute", "KCC=0.90", c.perMinute); err != nil {
		return nil, err
	}
	if r.PerContact, err = rateList("cost-per-contact", "phone=4.50", c.perContact); err != nil {
		return nil, err
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"cost-per-handoff", c.perHandoff}, {"cost-per-repeat-contact", c.perRepeat}, {"cost-per-waiting-hour", c.perHour},
		{"minutes-per-event", c.minutesPerEvent}, {"minutes-per-stay", c.minutesPerStay}} {
		if !(v.v >= 0) || math.IsInf(v.v, 1) {
			return nil, fmt.Errorf("--%s %v: want a number of at least 0, such as 2.50", v.name, v.v)
		}
	}
	if r.PerMinute == nil && r.PerContact == nil && r.PerHandoff == 0 && r.PerRepeat == 0 && r.PerWaitingHour == 0 {
		return nil, nil
	}
	return r, nil
}

// rateList reads NAME=RATE values, or a bare RATE (also *=RATE) for every
// other name, stored under "". nil for none.
func rateList(flag, example string, vals []string) (map[string]float64, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	m := map[string]float64{}
	for _, s := range vals {
		name, text := "", s
		if i := strings.LastIndex(s, "="); i >= 0 {
			name, text = strings.TrimSpace(s[:i]), s[i+1:]
		}
		if name == "*" {
			name = ""
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 1) {
			return nil, fmt.Errorf("--%s %q: %q is not a price ≥ 0 (write a decimal point, not a comma); write NAME=RATE, e.g. '%s', or a RATE for all others", flag, s, text, example)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("--%s %q: %q has a rate already", flag, s, starName(name))
		}
		m[name] = v
	}
	return m, nil
}

// starName names the default key as the user writes it.
func starName(name string) string {
	if name == "" {
		return "*"
	}
	return name
}
