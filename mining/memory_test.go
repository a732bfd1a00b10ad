package mining_test

import (
	"bytes"
	"os"
	"testing"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/spill"
	"github.com/caseflow/caseflow/mining"
)

// TestMemory reads a log into file-backed memory and runs Analyze with
// its slices there too (ingest and mining Options.Memory, every slice of
// any size mapped), and requires the findings of the heap route: without a pager, and with a pager whose
// limit of one byte pages everything out every 10 ms, so each slice is
// read back from its file. Logs and options reach every stage: a
// department log with all the generator's pathologies, journeys and
// costs; the same with start times (the working split) and calendars
// per unit; call records; resources as units; From/To, By with SLAs,
// BoundaryWaits. A slice used after it was freed faults (SIGSEGV), and
// once Analyze returns the Memory must hold exactly the log and the
// slices that outlive it (Findings.Cases and Boundary.Waits): any other,
// a copy of the log's codes too, is a leak.
func TestMemory(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cfg := generate.Default()
	cfg.Realistic()
	cfg.Cases, cfg.Seed = 500, 7
	var events, calls bytes.Buffer
	if _, err := generate.Write(cfg, &events, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := generate.WriteCalls(cfg, generate.DefaultCalls(), &calls, nil); err != nil {
		t.Fatal(err)
	}
	front := &calendar.Calendar{Name: "office"}
	back := &calendar.Calendar{Name: "back", DayLength: 6 * time.Hour}
	for d := time.Monday; d <= time.Friday; d++ {
		front.Week[d] = []calendar.Shift{{Start: 8 * 3600, End: 17 * 3600}}
		back.Week[d] = []calendar.Shift{{Start: 9 * 3600, End: 15 * 3600}}
	}
	for _, lg := range []struct {
		name string
		data []byte
	}{{"events", events.Bytes()}, {"starts", withStarts(t, events.Bytes())}, {"calls", calls.Bytes()}} {
		t.Run(lg.name, func(t *testing.T) {
			res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(lg.data), Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			l := res.Log
			acts := l.Narrow(eventlog.Activity).Names
			depts := l.Narrow(eventlog.Department).Names
			journeys := mining.Options{Customer: "customer_id", Unidentified: []string{"K00000001"}}
			if l.Column("contact_reason") != nil {
				journeys.Reason, journeys.Chasers = "contact_reason", l.Narrow("contact_reason").Names[:2]
			}
			rates := &mining.Rates{PerMinute: map[string]float64{depts[0]: 1.5, "phone": 0.8, "": 0.5},
				PerHandoff: 2, PerContact: map[string]float64{"phone": 4, "": 3}, PerRepeat: 5,
				PerWaitingHour: 1, MinutesPerEvent: 2, MinutesPerStay: 3}
			all := journeys
			all.By, all.SLA, all.SLAs = eventlog.Channel, 72*time.Hour, map[string]time.Duration{"phone": 24 * time.Hour}
			all.From, all.To, all.Cost, all.BoundaryWaits = acts[1], acts[len(acts)-1], rates, true
			all.Calendar, all.Calendars = front, map[string]*calendar.Calendar{depts[len(depts)-1]: back}
			resources := all
			resources.Level, resources.MinSupport, resources.Calendars = mining.Resource, 5, nil
			opts := []mining.Options{
				{BoundaryWaits: true, MinSupport: 5},
				{By: eventlog.Channel, SLA: 48 * time.Hour, SLAs: map[string]time.Duration{"phone": 24 * time.Hour}},
				all,
				resources,
			}
			pageOuts := 0
			for i, opt := range opts {
				opt.Workers = 1 + i%3
				want, err := mining.Analyze(l, opt)
				if err != nil {
					t.Fatalf("options %d: %v", i, err)
				}
				// The pager on the richest options only: thousands of
				// resource pairs, each a mapping of its own here, take
				// seconds to page in and out.
				limits := []int64{0}
				if i == 2 {
					limits = append(limits, 1)
				}
				for _, limit := range limits {
					pageOuts += analyzeIn(t, lg.data, opt, limit, want)
				}
			}
			if pageOuts == 0 {
				t.Error("the pager never paged out")
			}
		})
	}
}

// analyzeIn reads the log in data and analyses it with every slice in a
// Memory whose pager keeps the resident memory under limit (none for 0),
// and compares the findings with want and what the Memory holds after
// with the log and what outlives Analyze. It returns how often the pager
// paged out.
func analyzeIn(t *testing.T, data []byte, opt mining.Options, limit int64, want *mining.Findings) int {
	t.Helper()
	m, err := spill.New(t.TempDir(), limit)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(data), Mem: memory.NewGoAllocator(), Memory: m})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	// Mapped from here on: the log's copies of its codes Analyze asks
	// for too. (The log is read in as ingest's tests read it.)
	m.SetThreshold(1)
	log := m.Stats().Mapped
	opt.Memory = m
	got, err := mining.Analyze(res.Log, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Err(); err != nil && limit == 0 {
		t.Fatalf("limit %d: the Memory failed: %v", limit, err)
	}
	if !mining.SameFindings(got, want) {
		t.Errorf("limit %d, options %+v: the findings in file-backed memory differ from the heap's", limit, opt)
	}
	page := int64(os.Getpagesize())
	pages := func(bytes int64) int64 { return (bytes + page - 1) / page * page }
	kept := log + pages(int64(len(got.Cases))*int64(unsafe.Sizeof(mining.Case{})))
	for _, b := range got.Silos.Boundaries {
		kept += pages(int64(len(b.Waits)) * 8)
	}
	st := m.Stats()
	if st.Mapped != kept || st.Peak <= kept {
		t.Errorf("limit %d, options %+v: %d bytes mapped after Analyze (at most %d), want the %d of the log, Cases and Boundary.Waits", limit, opt, st.Mapped, st.Peak, kept)
	}
	return st.PageOuts
}
