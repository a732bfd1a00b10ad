package html

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/mining"
)

// TestJourneyTable: Alice calls twice within a day, Bob once, and a case
// without a customer ends the log 60 days later, so FCR is 2 of 3 = 66.7 %
// with the Wilson interval 20.8 % to 93.9 % (computed by hand from the
// formula); the customers' ids are not on the page, and without a customer
// column there is no such section.
func TestJourneyTable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := eventlog.NewBuilder()
	cust, _ := b.Attr("customer", eventlog.String)
	day := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	for i, c := range []struct {
		id, cust string
		at       time.Duration
	}{{"a1", "Alice", 0}, {"a2", "Alice", 20 * time.Hour}, {"b1", "Bob", 0}, {"z", "", 60 * 24 * time.Hour}} {
		b.Add(&eventlog.Event{Case: []byte(c.id), Activity: []byte("Call"), Time: day.Add(c.at).UnixMicro(), Start: eventlog.NoTime,
			Department: []byte("KCC"), Channel: []byte("phone"), Row: int64(i + 2)})
		b.SetString(cust, []byte(c.cust))
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for _, customer := range []string{"customer", ""} {
		f, err := mining.Analyze(l, mining.Options{Customer: customer})
		if err != nil {
			t.Fatal(err)
		}
		page := string(write(t, f, Input{}))
		if strings.Contains(page, "Alice") || strings.Contains(page, "Bob") {
			t.Errorf("customer %q: a customer id is on the page", customer)
		}
		has := strings.Contains(page, `<section id="journeys">`)
		if customer == "" {
			if has {
				t.Error("a repeat-contact section without a customer column")
			}
			continue
		}
		row := `<tr><td>channel</td><td>phone</td><td class="n" data-v="3">3</td><td class="n" data-v="1">1</td><td class="n" data-v="0.6666666666666667">66.7 %</td>`
		if !has || !strings.Contains(page, row) || !strings.Contains(page, "66.7 % (95 % interval 20.8 % to 93.9 %)") {
			i := strings.Index(page, `<section id="journeys">`)
			t.Errorf("journey section wrong:\n%s", page[max(0, i):min(len(page), max(0, i)+1500)])
		}
	}
}
