package mining

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/internal/spill"
)

// ErrOption is wrapped by every error about Options, including an activity
// or attribute column named in them that the log does not have.
var ErrOption = errors.New("invalid option")

// Level names the column whose values are the units cases move between.
type Level string

// Levels.
const (
	Department Level = "department" // the eventlog.Department column
	Resource   Level = "resource"   // the eventlog.Resource column: agents
)

// Options tune Analyze. The zero value analyses departments with the
// documented defaults.
type Options struct {
	// Level is the unit of stays, handoffs, ping-pong and silos;
	// "" means Department.
	Level Level
	// MinSupport is the smallest sample behind a silo figure: the handoffs
	// in each group of a silo test (a boundary's own and its receiver's
	// others; a unit's entries and the rest of the log), and the handoffs
	// the communities are found from. Below it nothing is computed, as a
	// rank test's normal approximation and Louvain's grouping mean little
	// on a handful of values. 0 means 30.
	MinSupport int
	// FDR is the Benjamini–Hochberg false discovery rate over all silo
	// tests, boundaries and units together; 0 means 0.05.
	FDR float64
	// MinRatio and MinShift are the minimum effect of a silo: the median
	// wait at least MinRatio times the median it is compared with, and the
	// Hodges–Lehmann shift at least MinShift, so that a tiny difference in
	// a big log is not flagged for being significant. 0 means 2 and 1 hour.
	MinRatio float64
	MinShift time.Duration
	// Resolution is the timestamp resolution of the log: events of a stay
	// less than Resolution apart are one step, as are events at the same
	// instant, so bursts of updates logged in the same second are no
	// internal gaps of 0 s. 0 means only identical timestamps are one step.
	Resolution time.Duration
	// From and To name the activities that start and end the lead time: it
	// runs from the first event with activity From to the last event with
	// activity To. "" means the case's first, respectively last, event.
	From, To string
	// SLA, when positive, makes a case long when its lead time exceeds it;
	// SLAs gives the values of the By column their own SLAs, SLA serving
	// the other cases (not judged when SLA is 0). Without either, a case is
	// long when its lead time exceeds the LongQuantile of its stratum's
	// (see LeadTime.Rule).
	SLA  time.Duration
	SLAs map[string]time.Duration
	// LongQuantile is the quantile of lead times above which a case is
	// long when there is no SLA; 0 means 0.9, the P90.
	LongQuantile float64
	// By names a string attribute column whose values are judged apart:
	// each with its own quantile or its SLA in SLAs. "" means one stratum.
	By string
	// Seed seeds the Louvain community search and the pivot sampling of
	// the Hodges–Lehmann selection; the latter's result does not depend on it.
	Seed uint64
	// BoundaryWaits keeps every tested boundary's handoff delays in
	// Boundary.Waits, so a later run can be compared with this one's
	// (caseflow's --history); off, no sample outlives the analysis.
	BoundaryWaits bool
	// Workers is the number of goroutines; 0 means GOMAXPROCS. The findings
	// do not depend on it.
	Workers int
	// Memory holds the analysis's large slices, those that grow with the
	// events or the cases, in files instead of the heap (the out-of-core
	// route); nil keeps them on the heap. The findings do not depend on it.
	Memory *spill.Memory

	// Customer names the string attribute column of customer ids; "" means
	// no journey figures (Findings.Journeys is nil). Unidentified lists its
	// values that mean no known customer, such as "0" (null always does).
	Customer     string
	Unidentified []string
	// Reason names the string attribute column of contact reasons, for the
	// same-reason repeats, chasers and spikes; "" means none.
	Reason string
	// RepeatWindow is the window of repeat contacts; 0 means 7 days.
	RepeatWindow time.Duration
	// Chasers are the reasons that are failure demand by themselves
	// (asking after an earlier contact); names the log lacks match nothing.
	Chasers []string
	// Zone is the time zone of days and weeks; nil means UTC.
	Zone *time.Location

	// Calendar, when set, measures lead times, handoff waits, stays,
	// directly-follows times, ping-pong returns and so the SLAs and the
	// silo tests in working time (see package calendar): a stay counts
	// its own unit's calendar, a handoff wait and a return the receiving
	// unit's, the rest this one. Calendars gives units (by name) their own
	// calendars; the others use Calendar. nil means calendar time; the
	// journey figures are always calendar time. Working time costs 8 bytes
	// per event for each distinct calendar.
	Calendar  *calendar.Calendar
	Calendars map[string]*calendar.Calendar

	// Cost, when set, prices the findings (Findings.Cost; see Rates);
	// nil means no money figure anywhere.
	Cost *Rates
}

// Defaults.
const (
	DefaultMinSupport = 30
	DefaultFDR        = 0.05
	DefaultMinRatio   = 2
	DefaultMinShift   = time.Hour
	// DefaultLongQuantile makes the slowest tenth of a stratum long.
	DefaultLongQuantile = 0.9
)

// MinStratum is the fewest measured cases a stratum needs for a quantile
// of its own: with 30, the P90 has three cases above it. Smaller strata
// share the log's quantile; a log with fewer has no long cases.
const MinStratum = 30

// withDefaults fills in defaults and checks the ranges.
func (o Options) withDefaults() (Options, error) {
	switch o.Level {
	case "":
		o.Level = Department
	case Department, Resource:
	default:
		return o, fmt.Errorf("%w: level %q: use %q or %q", ErrOption, o.Level, Department, Resource)
	}
	switch {
	case o.MinSupport < 0:
		return o, fmt.Errorf("%w: min support %d is negative: use a count of handoffs such as %d", ErrOption, o.MinSupport, DefaultMinSupport)
	case o.MinSupport == 0:
		o.MinSupport = DefaultMinSupport
	}
	switch {
	case o.FDR == 0:
		o.FDR = DefaultFDR
	case !(o.FDR > 0 && o.FDR < 1):
		return o, fmt.Errorf("%w: false discovery rate %v is outside (0, 1): use a rate such as %v", ErrOption, o.FDR, DefaultFDR)
	}
	switch {
	case o.MinRatio == 0:
		o.MinRatio = DefaultMinRatio
	case !(o.MinRatio > 0) || math.IsInf(o.MinRatio, 1):
		return o, fmt.Errorf("%w: minimum ratio %v is not a positive number: use a ratio such as %v", ErrOption, o.MinRatio, DefaultMinRatio)
	}
	switch {
	case o.MinShift == 0:
		o.MinShift = DefaultMinShift
	case o.MinShift < 0:
		return o, fmt.Errorf("%w: minimum shift %v is negative: use a duration such as %v", ErrOption, o.MinShift, DefaultMinShift)
	}
	if o.Resolution < 0 {
		return o, fmt.Errorf("%w: resolution %v is negative: use the spacing of the log's timestamps, such as 1s", ErrOption, o.Resolution)
	}
	if o.SLA < 0 {
		return o, fmt.Errorf("%w: SLA %v is negative: use a positive duration such as 72h", ErrOption, o.SLA)
	}
	for _, v := range slices.Sorted(maps.Keys(o.SLAs)) {
		if d := o.SLAs[v]; d <= 0 {
			return o, fmt.Errorf("%w: SLA %v for %q is not positive: use a duration such as 72h", ErrOption, d, v)
		}
	}
	if len(o.SLAs) > 0 && o.By == "" {
		return o, fmt.Errorf("%w: SLAs per value need the column whose values they are (by)", ErrOption)
	}
	switch {
	case o.LongQuantile == 0:
		o.LongQuantile = DefaultLongQuantile
	case !(o.LongQuantile > 0 && o.LongQuantile < 1):
		return o, fmt.Errorf("%w: long-case quantile %v is outside (0, 1): use a quantile such as %v", ErrOption, o.LongQuantile, DefaultLongQuantile)
	}
	switch {
	case o.RepeatWindow == 0:
		o.RepeatWindow = DefaultRepeatWindow
	case o.RepeatWindow < 0:
		return o, fmt.Errorf("%w: repeat window %v is negative: use a duration such as 7d", ErrOption, o.RepeatWindow)
	}
	if o.Customer == "" && (o.Reason != "" || len(o.Chasers) > 0 || len(o.Unidentified) > 0) {
		return o, fmt.Errorf("%w: a reason, chasers or unidentified values need the customer column (customer) of the journeys", ErrOption)
	}
	if len(o.Calendars) > 0 && o.Calendar == nil {
		return o, fmt.Errorf("%w: calendars per unit need a default calendar for lead times and the other units", ErrOption)
	}
	if o.Cost != nil {
		if err := o.Cost.check(); err != nil {
			return o, err
		}
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}
