package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Lifecycle is the attribute column PairLifecycle reads: XES's
// lifecycle:transition, which pm4py's CSV exports keep under the same name.
const Lifecycle = "lifecycle:transition"

// ErrNoLifecycle is wrapped by PairLifecycle's error for a log without a
// Lifecycle column.
var ErrNoLifecycle = errors.New("no " + Lifecycle + " column")

// PairLifecycle returns a log in which each start event and its complete
// event (transitions of IEEE 1849's standard lifecycle model) are one
// event, and the number of pairs merged. The rule, within each case, in log
// order (time, then input order):
//
//   - events whose Lifecycle value is "start" or "complete" (ignoring case
//     and surrounding space) take part; every other event (schedule,
//     suspend, resume, no value, …) stays as it is;
//   - a complete event is paired with the earliest start event before it
//     that is not yet paired, has the same activity and, when both have a
//     resource, the same resource;
//   - the pair becomes one event: the complete event, with start_time set
//     to the start event's time; values the complete event lacks
//     (department, resource, channel, attributes) are taken from the start
//     event. The start event's row is dropped; file and row are the
//     complete event's.
//
// Start events that find no complete event, and complete events that find
// no start event, stay as they were. A log without pairs comes back as an
// equal log. l is not released; mem holds the new log.
//
// The earliest-start-first matching per activity is pm4py's (to_interval in
// pm4py.objects.log.util.interval_lifecycle); unlike pm4py, the resource
// must agree, and unmatched and other events are kept rather than dropped
// or given a start time equal to their time.
//
// The activity must not include the Lifecycle value (as with --activity
// concept:name,lifecycle:transition), since then a start and its complete
// never have the same activity.
func PairLifecycle(l *eventlog.Log, mem memory.Allocator) (*eventlog.Log, int, error) {
	rec := l.Record()
	if !isEventLog(rec.Schema()) {
		return nil, 0, errors.New("pairing lifecycle events needs a log built by caseflow")
	}
	plan, pairs, err := pairPlan(l)
	if err != nil {
		return nil, 0, err
	}
	b := eventlog.NewBuilderIn(l.Memory())
	in := &Input{Format: formatIPCFile}
	t, err := newTable(rec.Schema(), []arrow.Record{rec}, int(rec.NumRows()), in, Options{Location: time.UTC}, b, &Result{})
	if err != nil {
		return nil, 0, err
	}
	t.pair = plan
	if t.p.m.start < 0 && pairs > 0 {
		b.SetSource(eventlog.StartTime, "the time of the paired "+Lifecycle+" start event")
	}
	t.add(rec)
	out, err := b.Finish(mem)
	return out, pairs, err
}

// pairPlan finds the pairs: plan[i] is pairStart for a start event merged
// into its complete event, the start event's row for that complete event,
// and -1 for every other event.
func pairPlan(l *eventlog.Log) ([]int32, int, error) {
	if l.Column(Lifecycle) == nil {
		return nil, 0, fmt.Errorf("%w: pairing start and complete events needs the XES lifecycle:transition values", ErrNoLifecycle)
	}
	s := l.Record().Schema()
	if src, _ := s.Field(s.FieldIndices(eventlog.Activity)[0]).Metadata.GetValue(eventlog.SourceKey); slices.Contains(strings.Split(src, ","), Lifecycle) {
		return nil, 0, fmt.Errorf("the activity includes %s (it is %s), so a start and its complete never have the same activity; leave %s out of --activity to pair them",
			Lifecycle, src, Lifecycle)
	}
	const (
		other = iota
		start
		complete
	)
	trans := l.Codes(Lifecycle)
	class := make([]int, len(trans.Names))
	for i, n := range trans.Names {
		switch strings.ToLower(strings.TrimSpace(n)) {
		case "start":
			class[i] = start
		case "complete":
			class[i] = complete
		}
	}
	acts, res := l.Codes(eventlog.Activity), l.Codes(eventlog.Resource)
	plan := make([]int32, l.Len())
	for i := range plan {
		plan[i] = -1
	}
	pairs := 0
	open := map[int32][]int32{} // activity → unpaired start events of the case, oldest first
	off := l.Offsets()
	for k := range l.Cases() {
		clear(open)
		for i := off[k]; i < off[k+1]; i++ {
			c := trans.Index[i]
			if c < 0 {
				continue
			}
			a := acts.Index[i]
			switch class[c] {
			case start:
				open[a] = append(open[a], int32(i))
			case complete:
				q := open[a]
				j := slices.IndexFunc(q, func(s int32) bool {
					rs, rc := res.Index[s], res.Index[i]
					return rs < 0 || rc < 0 || rs == rc
				})
				if j >= 0 {
					plan[q[j]], plan[i] = pairStart, q[j]
					open[a] = slices.Delete(q, j, j+1)
					pairs++
				}
			}
		}
	}
	return plan, pairs, nil
}
