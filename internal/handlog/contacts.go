package handlog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Contact is a hand-built contact for the journey figures: a case of two
// events, at Start and at End hours after Day, with string attributes
// "customer" and "reason" ("" is missing), a channel, and department Dept
// for both events, or "A>B" for the first in A and the second in B (a
// handoff).
type Contact struct {
	ID, Customer, Reason, Channel, Dept string
	Start, End                          float64
}

// Contacts makes the log of cs, in this order; the caller releases it.
func Contacts(t testing.TB, mem memory.Allocator, cs []Contact) *eventlog.Log {
	t.Helper()
	b := eventlog.NewBuilder()
	cust, _ := b.Attr("customer", eventlog.String) // fresh builder: cannot clash
	rsn, _ := b.Attr("reason", eventlog.String)
	for i, c := range cs {
		first, second, ok := strings.Cut(c.Dept, ">")
		if !ok {
			second = first
		}
		for j, h := range []float64{c.Start, c.End} {
			at := Day.Add(time.Duration(h * float64(time.Hour))).UnixMicro()
			b.Add(&eventlog.Event{Case: []byte(c.ID), Activity: []byte(fmt.Sprint("step", j)), Time: at, Start: eventlog.NoTime,
				Department: []byte([]string{first, second}[j]), Channel: []byte(c.Channel), Row: int64(2*i + j + 2)})
			b.SetString(cust, []byte(c.Customer))
			b.SetString(rsn, []byte(c.Reason))
		}
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// RepeatCaller is Alice calling twice within a day, Bob once, and a case
// without a customer that ends the log 60 days later: a first-contact
// resolution of 2 of 3.
var RepeatCaller = []Contact{
	{"a1", "Alice", "", "phone", "KCC", 0, 0},
	{"a2", "Alice", "", "web", "KCC", 20, 20},
	{"b1", "Bob", "", "phone", "KCC", 0, 0},
	{"z", "", "", "", "KCC", 60 * 24, 60 * 24},
}
