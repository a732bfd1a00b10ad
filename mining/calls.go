package mining

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// ServiceLevelThreshold is the answer time of the service level: the
// industry's customary "80 % answered within 20 seconds" (Gans, Koole &
// Mandelbaum 2003, "Telephone call centers: tutorial, review, and research
// prospects", §2.2).
const ServiceLevelThreshold = 20 * time.Second

// Calls are the figures a call-centre manager asks for first, for a log
// read from call records (eventlog.CallVRU and the other stage names).
type Calls struct {
	// Threshold is ServiceLevelThreshold in seconds.
	Threshold float64
	// All are the figures over every call; ByType by the eventlog.CallType
	// attribute (by Offered descending, then name; a call without a type
	// is under ""), ByHour by the hour of day the call arrived in the
	// VRU, in Options.Zone ("00" to "23", hours without calls left out).
	All            CallGroup
	ByType, ByHour []CallGroup
}

// CallGroup are the call figures of one group of calls. Durations are in
// seconds; quantiles are Hyndman & Fan's definition 7, 0 on no values.
type CallGroup struct {
	Name string
	// Calls counts the calls; InVRU those that ended in the VRU, neither
	// queued nor served (self-service, or a hang-up before asking for an
	// agent). Offered are the rest, the calls that asked for an agent:
	// Answered reached one (queued or not), Abandoned hung up in the queue.
	Calls, InVRU, Offered, Answered, Abandoned int
	// AbandonedShare is Abandoned / Offered; AbandonMedian the median time
	// in queue before hanging up.
	AbandonedShare, AbandonMedian float64
	// Queued counts the calls that waited in the queue, answered or not;
	// WaitMedian and WaitP90 are their times in queue.
	Queued              int
	WaitMedian, WaitP90 float64
	// ServiceLevel is the share of the offered calls answered within
	// Threshold of joining the queue (a call answered without queueing
	// waited 0), the telephone service factor as Gans et al. define it:
	// abandoned calls count against it.
	ServiceLevel float64
	// HandleMedian and HandleMean are the service times of the answered
	// calls; the mean is the "average handling time" (AHT) of the trade.
	HandleMedian, HandleMean float64
}

// callStage indexes the stages of a call.
const (
	_ = iota // the VRU, which only gives the arrival
	stageAnswered
	stageAbandoned
	stageService
)

// CallFigures computes the call figures of l, in zone (nil is UTC) for
// the hour of day. It is nil when l is not a log of call records: when it
// lacks start times or has an activity other than the stage names. An
// empty log is not one.
func CallFigures(l *eventlog.Log, zone *time.Location) *Calls { return callFigures(l, zone, nil) }

// callFigures is CallFigures with the calls' durations in m.
func callFigures(l *eventlog.Log, zone *time.Location, m *spill.Memory) *Calls {
	starts := l.Starts()
	if starts == nil {
		return nil
	}
	defer spill.Free(l.Memory(), starts)
	acts := l.Codes(eventlog.Activity)
	defer acts.Free()
	if len(acts.Names) == 0 {
		return nil
	}
	stage := make([]int, len(acts.Names))
	for i, n := range acts.Names {
		stage[i] = slices.Index([]string{eventlog.CallVRU, eventlog.CallQueueAnswered, eventlog.CallQueueAbandoned, eventlog.CallService}, n)
		if stage[i] < 0 {
			return nil
		}
	}
	if zone == nil {
		zone = time.UTC
	}
	var types eventlog.Codes
	if l.Column(eventlog.CallType) != nil {
		types = l.Codes(eventlog.CallType)
		defer types.Free()
	}
	ends, off := l.Times(), l.Offsets()
	all := &callTally{m: m}
	byType, byHour := map[string]*callTally{}, map[string]*callTally{}
	for k := range l.Cases() {
		var c call
		arrived := int64(eventlog.NoTime)
		typ := ""
		for i := off[k]; i < off[k+1]; i++ {
			s := stage[acts.Index[i]]
			d := time.Duration(ends[i]-starts[i]) * time.Microsecond
			switch s {
			case stageAnswered, stageAbandoned:
				c.queued, c.abandoned, c.wait = true, s == stageAbandoned, d
			case stageService:
				c.served, c.handle = true, d
			}
			if arrived == eventlog.NoTime || starts[i] < arrived { // the VRU entry
				arrived = starts[i]
			}
			if types.Index != nil && types.Index[i] >= 0 {
				typ = types.Names[types.Index[i]]
			}
		}
		hour := fmt.Sprintf("%02d", time.UnixMicro(arrived).In(zone).Hour())
		for _, g := range []*callTally{all, callGroup(m, byType, typ), callGroup(m, byHour, hour)} {
			g.add(c)
		}
	}
	f := &Calls{Threshold: ServiceLevelThreshold.Seconds(), All: all.figures("")}
	f.ByType = callGroups(byType)
	slices.SortStableFunc(f.ByType, func(a, b CallGroup) int { return cmp.Compare(b.Offered, a.Offered) })
	f.ByHour = callGroups(byHour)
	return f
}

// call is what the figures need of one call.
type call struct {
	queued, abandoned, served bool
	wait, handle              time.Duration
}

// callTally gathers the calls of a group, their durations in m.
type callTally struct {
	m                    *spill.Memory
	calls, inVRU, within int
	waits, abandons      []int64 // µs
	handles              []int64
}

func callGroup(m *spill.Memory, groups map[string]*callTally, name string) *callTally {
	g := groups[name]
	if g == nil {
		g = &callTally{m: m}
		groups[name] = g
	}
	return g
}

func (g *callTally) add(c call) {
	g.calls++
	switch {
	case c.served:
		g.handles = spill.Push(g.m, g.handles, c.handle.Microseconds())
		if !c.queued || c.wait <= ServiceLevelThreshold {
			g.within++
		}
	case !c.queued:
		g.inVRU++
	}
	if c.queued {
		g.waits = spill.Push(g.m, g.waits, c.wait.Microseconds())
		if c.abandoned {
			g.abandons = spill.Push(g.m, g.abandons, c.wait.Microseconds())
		}
	}
}

// figures are the group's figures; its durations are freed.
func (g *callTally) figures(name string) CallGroup {
	for _, x := range [][]int64{g.waits, g.abandons, g.handles} {
		slices.Sort(x)
	}
	defer spill.Free(g.m, g.waits, g.abandons, g.handles)
	f := CallGroup{Name: name, Calls: g.calls, InVRU: g.inVRU, Offered: g.calls - g.inVRU,
		Answered: len(g.handles), Abandoned: len(g.abandons), Queued: len(g.waits),
		AbandonMedian: sec(quantile(g.abandons, 0.5)),
		WaitMedian:    sec(quantile(g.waits, 0.5)), WaitP90: sec(quantile(g.waits, 0.9)),
		HandleMedian: sec(quantile(g.handles, 0.5))}
	if f.Offered > 0 {
		f.AbandonedShare = float64(f.Abandoned) / float64(f.Offered)
		f.ServiceLevel = float64(g.within) / float64(f.Offered)
	}
	if f.Answered > 0 {
		f.HandleMean = sec(sum(g.handles).float() / float64(f.Answered))
	}
	return f
}

// callGroups are the figures of the groups in m by name.
func callGroups(m map[string]*callTally) []CallGroup {
	out := make([]CallGroup, 0, len(m))
	for name, g := range m {
		out = append(out, g.figures(name))
	}
	slices.SortFunc(out, func(a, b CallGroup) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
