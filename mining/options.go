package mining

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"
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
	// MinSupport is the number of handoffs a boundary needs before it is
	// tested as a silo boundary; 0 means 30.
	MinSupport int
	// FDR is the Benjamini–Hochberg false discovery rate over all tested
	// boundaries; 0 means 0.05.
	FDR float64
	// MinRatio is the ratio of medians (entry wait over internal gap) a
	// silo boundary needs; 0 means 2.
	MinRatio float64
	// From and To name the activities that start and end the lead time: it
	// runs from the first event with activity From to the last event with
	// activity To. "" means the case's first, respectively last, event.
	From, To string
	// SLA, when positive, makes a case long when its lead time exceeds it;
	// 0 means long is above Tukey's fence instead.
	SLA time.Duration
	// By names a string attribute column; Tukey's fence is then computed
	// within each of its values. "" means one stratum.
	By string
	// Seed seeds the Louvain community search and the pivot sampling of
	// the Hodges–Lehmann selection; the latter's result does not depend on it.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. The findings
	// do not depend on it.
	Workers int
}

// Defaults.
const (
	DefaultMinSupport = 30
	DefaultFDR        = 0.05
	DefaultMinRatio   = 2
)

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
	if o.SLA < 0 {
		return o, fmt.Errorf("%w: SLA %v is negative: use a positive duration such as 72h", ErrOption, o.SLA)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}
