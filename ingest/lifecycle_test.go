package ingest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// lifecycleDoc: case c1 has two overlapping A instances (one by ann, one
// without a resource), a B whose start and complete have different
// resources, a C complete without a start, a trailing A start and a
// schedule event; case c2 has an A complete before its start, then a start
// whose department and note the complete lacks.
const lifecycleDoc = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016">
<trace><string key="concept:name" value="c1"/>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/><string key="org:resource" value="ann"/><date key="time:timestamp" value="2024-05-01T10:00:00Z"/></event>
 <event><string key="concept:name" value="B"/><string key="lifecycle:transition" value="start"/><string key="org:resource" value="bob"/><date key="time:timestamp" value="2024-05-01T10:05:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="Start"/><date key="time:timestamp" value="2024-05-01T10:10:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="complete"/><string key="org:resource" value="ann"/><date key="time:timestamp" value="2024-05-01T10:20:00Z"/></event>
 <event><string key="concept:name" value="B"/><string key="lifecycle:transition" value="complete"/><string key="org:resource" value="carl"/><date key="time:timestamp" value="2024-05-01T10:30:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value=" COMPLETE "/><date key="time:timestamp" value="2024-05-01T10:40:00Z"/></event>
 <event><string key="concept:name" value="C"/><string key="lifecycle:transition" value="complete"/><date key="time:timestamp" value="2024-05-01T10:50:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/><string key="org:resource" value="ann"/><date key="time:timestamp" value="2024-05-01T11:00:00Z"/></event>
 <event><string key="concept:name" value="X"/><string key="lifecycle:transition" value="schedule"/><date key="time:timestamp" value="2024-05-01T11:05:00Z"/></event>
</trace>
<trace><string key="concept:name" value="c2"/>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="complete"/><date key="time:timestamp" value="2024-05-02T09:00:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/><string key="org:group" value="D1"/><string key="note" value="from start"/><date key="time:timestamp" value="2024-05-02T09:30:00Z"/></event>
 <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="complete"/><date key="time:timestamp" value="2024-05-02T09:45:00Z"/></event>
</trace>
</log>`

func TestPairLifecycle(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{"-"}, Options{Mem: mem, Stdin: strings.NewReader(lifecycleDoc)})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	l, pairs, err := PairLifecycle(res.Log, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	// Hand-paired: A 10:00 (ann) with A 10:20 (ann); A 10:10 (no
	// resource) with A 10:40; B 10:05 (bob) stays apart from B 10:30
	// (carl); in c2, A 09:30 with A 09:45, filling in D1 and the note.
	want := []string{
		"c1|B|2024-05-01T10:05:00Z||bob||start",
		"c1|A|2024-05-01T10:20:00Z|2024-05-01T10:00:00Z|ann||complete",
		"c1|B|2024-05-01T10:30:00Z||carl||complete",
		"c1|A|2024-05-01T10:40:00Z|2024-05-01T10:10:00Z|||" + " COMPLETE ",
		"c1|C|2024-05-01T10:50:00Z||||complete",
		"c1|A|2024-05-01T11:00:00Z||ann||start",
		"c1|X|2024-05-01T11:05:00Z||||schedule",
		"c2|A|2024-05-02T09:00:00Z||||complete",
		"c2|A|2024-05-02T09:45:00Z|2024-05-02T09:30:00Z||D1 from start|complete",
	}
	var got []string
	for i := range l.Len() {
		got = append(got, strings.Join([]string{cell(l, eventlog.Case, i), cell(l, eventlog.Activity, i), cell(l, eventlog.Time, i),
			cell(l, eventlog.StartTime, i), cell(l, eventlog.Resource, i), strings.TrimSpace(cell(l, eventlog.Department, i) + " " + cell(l, "note", i)),
			cell(l, Lifecycle, i)}, "|"))
	}
	if pairs != 3 || !slices.Equal(got, want) {
		t.Errorf("%d pairs, events\n%s\nwant 3 pairs,\n%s", pairs, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(l.Offsets(), []int{0, 7, 9}) {
		t.Errorf("offsets %v", l.Offsets())
	}
	// The merged event keeps the complete event's row (its <event> line).
	if got, want := cell(l, eventlog.Row, 1), cell(res.Log, eventlog.Row, 3); got != want {
		t.Errorf("row of the first pair %s, want the complete event's %s", got, want)
	}
	if src := source(l, eventlog.StartTime); !strings.Contains(src, "start event") {
		t.Errorf("start_time source %q", src)
	}
}

func TestPairLifecycleRefuses(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tc := range []struct {
		name, doc string
		m         Mapping
		err       string
	}{
		{name: "no lifecycle column", doc: "case,activity,time\nc,a,2024-01-01T00:00:00Z\n", err: "no lifecycle:transition column"},
		{name: "lifecycle in the activity", doc: lifecycleDoc, m: Mapping{Activity: []string{"concept:name", "lifecycle:transition"}},
			err: "leave lifecycle:transition out of --activity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read([]string{"-"}, Options{Mem: mem, Stdin: strings.NewReader(tc.doc), Mapping: tc.m})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			l, _, err := PairLifecycle(res.Log, mem)
			if err == nil {
				l.Release()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %q, want …%s…", err, tc.err)
			}
			if tc.name == "no lifecycle column" && !errors.Is(err, ErrNoLifecycle) {
				t.Errorf("error %v does not wrap ErrNoLifecycle", err)
			}
		})
	}
}

// Without start and complete pairs (BPIC 2013's transitions are statuses
// such as "In Progress") the log comes back unchanged.
func TestPairLifecycleNoPairs(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{"-"}, Options{Mem: mem, Stdin: strings.NewReader(xesDoc)})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	l, pairs, err := PairLifecycle(res.Log, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	attrs := []string{"amount", "score", "urgent", "ref", "note", Lifecycle, "case:opened", "case:priority"}
	if got, want := rows(l, attrs...), rows(res.Log, attrs...); pairs != 0 || !slices.Equal(got, want) {
		t.Errorf("%d pairs, events\n%s\nwant\n%s", pairs, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
