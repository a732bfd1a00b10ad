package mining

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// contactLog builds n contacts over a year, four events each over up to a
// week, in arrival order: 70 % from a new customer, the rest from one of
// the customers so far (so about a third of the contacts are repeated
// within 30 days), 11 reasons, 6 channels, 8 departments.
func contactLog(tb testing.TB, n int) *eventlog.Log {
	rng := rand.New(rand.NewPCG(7, 7))
	b := eventlog.NewBuilder()
	cust, _ := b.Attr("customer", eventlog.String)
	rsn, _ := b.Attr("reason", eventlog.String)
	name := func(prefix string, k int) []byte { return fmt.Appendf(nil, "%s%d", prefix, k) }
	customers := 0
	t0 := int64(1_700_000_000) * 1e6
	for c := range n {
		k := customers
		if customers > 0 && rng.Float64() < 0.3 {
			k = max(0, customers-1-rng.IntN(min(customers, 5000)))
		} else {
			customers++
		}
		at := t0 + int64(c)*(365*86400e6/int64(n))
		id, cu, re, ch := name("C", c), name("K", k), name("R", rng.IntN(11)), name("ch", rng.IntN(6))
		for e := range 4 {
			b.Add(&eventlog.Event{Case: id, Activity: name("A", e), Time: at, Start: eventlog.NoTime,
				Department: name("D", rng.IntN(8)), Channel: ch, Row: int64(4*c + e + 2)})
			b.SetString(cust, cu)
			b.SetString(rsn, re)
			at += int64(rng.ExpFloat64() * 86400e6)
		}
	}
	l, err := b.Finish(memory.NewGoAllocator())
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

var contactLogs sync.Map // cases -> *eventlog.Log

// BenchmarkJourneys times Analyze on a log of contacts without and with
// the journey figures, and the journey pass on its own.
func BenchmarkJourneys(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		if n > 100_000 && testing.Short() {
			continue
		}
		l, ok := contactLogs.Load(n)
		if !ok {
			l = contactLog(b, n)
			contactLogs.Store(n, l)
		}
		log := l.(*eventlog.Log)
		with := Options{Customer: "customer", Reason: "reason"}
		for _, run := range []struct {
			name string
			f    func() error
		}{
			{"analyze", func() error { _, err := Analyze(log, Options{}); return err }},
			{"analyze+journeys", func() error { _, err := Analyze(log, with); return err }},
			{"journeys", func() error {
				opt, err := with.withDefaults()
				if err != nil {
					return err
				}
				jin, err := newJourneyInput(log, opt)
				if err != nil {
					return err
				}
				in, err := newInput(log, opt)
				if err != nil {
					return err
				}
				a := &analysis{in: in, jin: jin, opt: opt, f: &Findings{}}
				a.journeys()
				return nil
			}},
		} {
			b.Run(fmt.Sprintf("cases=%d/%s", n, run.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := run.f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
