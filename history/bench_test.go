package history

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// benchRun is a run as large as a run gets: 100,000 lead times (the most
// kept), 20 pairs, 30 boundaries.
func benchRun() *Run {
	r := rand.New(rand.NewPCG(1, 2))
	lead := make([]int64, MaxSamples)
	for i := range lead {
		lead[i] = int64(r.ExpFloat64() * 86400e3)
	}
	slices.Sort(lead)
	run := &Run{Time: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC), Version: "v1", OptionsHash: "h",
		Inputs: []Input{{"log.csv", 1 << 30, 7_000_000}},
		Metrics: []Metric{{Name: "pingpong.case_rate", Kind: Rate, Num: 100, Den: 1000, N: 1000},
			{Name: "lead_time.median_s", Kind: Durations, Value: 86400, N: 1_000_000, Samples: lead},
			{Name: "lead_time.p90_s", Kind: Quantile, Q: 0.9, Of: "lead_time.median_s"}}}
	for i := range 20 {
		run.Metrics = append(run.Metrics, Metric{Name: fmt.Sprintf("pingpong.pair[A%d ↔ B].case_rate", i), Kind: Rate, Num: 10, Den: 1000, N: 1000})
	}
	for i := range 30 {
		run.Metrics = append(run.Metrics, Metric{Name: fmt.Sprintf("silos.boundary[A%d → B].median_wait_s", i), Kind: Value, Value: 3600, N: 100})
	}
	return run
}

// BenchmarkAppend is what --history adds to a run for writing: one run
// file of the largest size, synced and renamed.
func BenchmarkAppend(b *testing.B) {
	s, err := Open(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	run := benchRun()
	for i := 0; b.Loop(); i++ {
		run.Time = run.Time.Add(time.Second)
		if err := s.Append(run); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenCompare is what --history adds for reading: opening a store
// of 30 such runs and comparing a run with them (the previous and the last
// 7 pooled).
func BenchmarkOpenCompare(b *testing.B) {
	dir := b.TempDir()
	s, _ := Open(dir, nil)
	run := benchRun()
	for range 30 {
		run.Time = run.Time.Add(time.Hour)
		if err := s.Append(run); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		s, err := Open(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		Compare(s.Runs(), run, DefaultK, DefaultFDR)
	}
}
