package html

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestCostTable: docs/report.md's worked example on the page, ping-pong
// Back ↔ Front at 20.50 in the log and 71,880 a year (20.50 × 365.2425 d
// / 9,000 s, computed by hand), ranked above the long cases' 9.00; and no
// cost section, nor a currency, without rates.
func TestCostTable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := handlog.Build(t, mem, "", handlog.ThreeCases)
	defer l.Release()
	rates := &mining.Rates{Currency: "EUR", PerMinute: map[string]float64{"Front": 0.90, "Back": 1.10, "Legal": 1.50},
		PerHandoff: 2.50, PerWaitingHour: 6, MinutesPerEvent: 5}
	for _, r := range []*mining.Rates{rates, nil} {
		f, err := mining.Analyze(l, mining.Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: r})
		if err != nil {
			t.Fatal(err)
		}
		page := string(write(t, f, Input{}))
		i := strings.Index(page, `<section id="cost">`)
		if r == nil {
			if i >= 0 || strings.Contains(page, "EUR") {
				t.Error("a cost section without rates")
			}
			continue
		}
		pp := strings.Index(page, `<td>ping-pong Back ↔ Front</td><td class="n" data-v="20.5">20.50</td><td class="n" data-v="20.5">5,990</td><td class="n" data-v="20.5">71,880</td>`)
		long := strings.Index(page, `<td>long cases, time above the service level</td><td class="n" data-v="9">9.00</td><td class="n" data-v="9">2,630</td><td class="n" data-v="9">31,557</td>`)
		if i < 0 || pp < i || long < pp || !strings.Contains(page[i:], "Amounts in EUR.") || !strings.Contains(page[i:], "the extrapolation is weak") || !strings.Contains(page[i:], "its span of 2.5 h") {
			t.Errorf("cost section wrong:\n%s", page[max(0, i):min(len(page), max(0, i)+1500)])
		}
	}
}
