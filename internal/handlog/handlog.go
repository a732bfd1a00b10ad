// Package handlog builds the small event logs that tests write out by
// hand, among them the worked example of docs/definitions.md, so that the
// mining and report tests share one definition of it.
package handlog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Event is one event: {case, activity, clock time ("15:04" or
// "15:04:05") on Day, department, resource}; an empty or left-out
// department or resource is missing. An array rather than a struct, so that
// other packages can write events as short unkeyed literals.
type Event [5]string

// Day is the date of every event, UTC.
var Day = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

// ThreeCases is the worked example of docs/definitions.md, in file order
// (testdata/golden/three-cases.csv holds the same events). In c2, Register
// and Check share 09:00 and keep their input order.
var ThreeCases = []Event{
	{"c1", "Register", "09:00", "Front", "Ann"},
	{"c2", "Register", "09:00", "Front", "Ann"},
	{"c3", "Register", "09:00", "Front", "Ann"},
	{"c1", "Check", "09:10", "Back", "Bob"},
	{"c2", "Check", "09:00", "Back", "Bob"},
	{"c2", "Note", "09:20", "", "Bob"},
	{"c3", "Close", "09:30", "Front", "Ann"},
	{"c1", "Ask", "09:40", "Front", "Ann"},
	{"c1", "Check", "10:00", "Back", "Bob"},
	{"c2", "Decide", "10:00", "Back", "Cy"},
	{"c1", "Decide", "10:05", "Back", "Cy"},
	{"c2", "Review", "10:30", "Legal", "Dee"},
	{"c1", "Close", "11:00", "Front", "Ann"},
	{"c2", "Close", "11:30", "Front", "Ann"},
}

// LongNames is a log of three cases, each going A → B → A between two
// departments, whose activity and department names are n bytes long (n
// x's, then the letter), for tests that bound what huge names cost.
func LongNames(n int) []Event {
	x := strings.Repeat("x", n)
	var evs []Event
	for c := range 3 {
		id := fmt.Sprint("c", c)
		evs = append(evs, Event{id, x + "A", "09:00", x + "D1"}, Event{id, x + "B", "09:10", x + "D2"}, Event{id, x + "A", "09:20", x + "D1"})
	}
	return evs
}

// Time is the instant of clock time at on Day.
func Time(t testing.TB, at string) time.Time {
	t.Helper()
	for _, layout := range []string{"15:04", "15:04:05"} {
		if c, err := time.Parse(layout, at); err == nil {
			return Day.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute + time.Duration(c.Second())*time.Second)
		}
	}
	t.Fatalf("bad clock %q", at)
	return time.Time{}
}

// Build makes the log of evs, read in this order from file, rows numbered
// from 2 as under a header line; the caller releases it.
func Build(t testing.TB, mem memory.Allocator, file string, evs []Event) *eventlog.Log {
	t.Helper()
	b := eventlog.NewBuilder()
	b.SetFile(file)
	for i, e := range evs {
		b.Add(&eventlog.Event{Case: []byte(e[0]), Activity: []byte(e[1]), Time: Time(t, e[2]).UnixMicro(),
			Start: eventlog.NoTime, Department: []byte(e[3]), Resource: []byte(e[4]), Row: int64(i + 2)})
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
