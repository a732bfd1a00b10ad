package html

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestJourneyTable: on handlog.RepeatCaller FCR is 2 of 3 = 66.7 % with
// the Wilson interval 20.8 % to 93.9 % (computed by hand from the
// formula), and by phone 1 of 2; the customers' ids are not on the page,
// and without a customer column there is no such section.
func TestJourneyTable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := handlog.Contacts(t, mem, handlog.RepeatCaller)
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
		row := `<tr><td>channel</td><td>phone</td><td class="n" data-v="2">2</td><td class="n" data-v="1">1</td><td class="n" data-v="0.5">50.0 %</td>`
		bar := `fill="#56b4e9"><title>2024-03-04: 3 cases</title></rect>` // a1, a2 and b1 on the first day
		if !has || !strings.Contains(page, row) || !strings.Contains(page, "66.7 % (95 % interval 20.8 % to 93.9 %)") ||
			!strings.Contains(page, bar) || strings.Contains(page, "spike of") {
			i := strings.Index(page, `<section id="journeys">`)
			t.Errorf("journey section wrong:\n%s", page[max(0, i):min(len(page), max(0, i)+1500)])
		}
	}
}
