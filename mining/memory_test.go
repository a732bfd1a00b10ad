package mining_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/spill"
	"github.com/caseflow/caseflow/mining"
)

// TestMemory reads a log into file-backed memory and runs Analyze with
// its slices there too (ingest and mining Options.Memory, every slice of
// any size mapped), and requires the findings of the heap route: without
// a pager, and with a pager whose limit of one byte pages everything out
// every 10 ms, so that slices are read back from their files. The logs
// (everyLog) and options reach every stage: journeys, costs, the working
// split, calendars per unit, call records, resources as units, From/To,
// By with SLAs, BoundaryWaits. A slice used after it was freed faults
// (SIGSEGV), and
// once Analyze returns the Memory must hold exactly the log and the
// slices that outlive it (Findings.Cases and Boundary.Waits): any other,
// a copy of the log's codes too, is a leak.
func TestMemory(t *testing.T) {
	forEveryLog(t, 500, 7, func(t *testing.T, lg testLog, l *eventlog.Log) {
		_, _, all := richOptions(l)
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
				t.Run(fmt.Sprintf("options%d/limit%d", i, limit), func(t *testing.T) {
					pageOuts += analyzeIn(t, lg.data, opt, limit, want)
				})
			}
		}
		if pageOuts == 0 {
			t.Error("the pager never paged out")
		}
	})
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
		t.Fatalf("the Memory failed: %v", err)
	}
	if !mining.SameFindings(got, want) {
		t.Error("the findings in file-backed memory differ from the heap's")
	}
	page := int64(os.Getpagesize())
	pages := func(bytes int64) int64 { return (bytes + page - 1) / page * page }
	kept := log + pages(int64(len(got.Cases))*int64(unsafe.Sizeof(mining.Case{})))
	for _, b := range got.Silos.Boundaries {
		kept += pages(int64(len(b.Waits)) * 8)
	}
	st := m.Stats()
	if st.Mapped != kept || st.Peak <= kept {
		t.Errorf("%d bytes mapped after Analyze (at most %d), want the %d of the log, Cases and Boundary.Waits", st.Mapped, st.Peak, kept)
	}
	return st.PageOuts
}
