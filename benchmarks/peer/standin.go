package main

import (
	"time"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// runMining reads the CSV at path with caseflow's ingest and analyses it
// with its mining package, as `caseflow analyze` does before writing a
// report: the stand-in for caseflow's JSON report, with complete lists.
func runMining(path string) (*Results, []Timing, error) {
	var ts []Timing
	c0, t0 := cpuNow(), time.Now()
	mark := func(name string) {
		c1, t1 := cpuNow(), time.Now()
		ts = append(ts, Timing{Name: name, Wall: t1.Sub(t0).Seconds(), CPU: c1 - c0, PeakRSS: peakRSS()})
		c0, t0 = c1, t1
	}
	res, err := ingest.Read([]string{path}, ingest.Options{})
	if err != nil {
		return nil, nil, err
	}
	defer res.Release()
	mark("ingest")
	f, err := mining.Analyze(res.Log, mining.Options{})
	if err != nil {
		return nil, nil, err
	}
	mark("mining")
	return fromFindings(f), ts, nil
}

// fromFindings picks the W2–W6 answers out of caseflow's findings.
func fromFindings(f *mining.Findings) *Results {
	r := &Results{Source: "caseflow ingest+mining", Cases: len(f.Cases), Events: f.Events}
	fl, pp, lt := &f.Flows, &f.PingPong, &f.LeadTime
	for _, e := range fl.Edges {
		r.DFG = append(r.DFG, Count{From: e.From, To: e.To, N: e.Count})
	}
	for _, h := range fl.Pairs {
		r.Handoffs = append(r.Handoffs, Count{From: h.From, To: h.To, N: h.Count})
	}
	r.Occurrences, r.PPCases, r.Closing = pp.Occurrences, pp.Cases, pp.Closing
	for _, p := range pp.Pairs {
		r.Pairs = append(r.Pairs, Pair{A: p.A, B: p.B, Occurrences: p.Occurrences, Cases: p.Cases})
	}
	r.totals()
	// caseflow's own totals, not the sums of its lists.
	r.Arcs, r.HandoffTotal = fl.Arcs, fl.Handoffs
	r.Lead.Cases = lt.N
	r.Lead.Q = [4]float64{lt.Median, lt.P90, lt.P95, lt.P99}
	for _, c := range f.Cases {
		if c.Measured && c.Lead > lt.P95 {
			r.Lead.AboveP95++
		}
	}
	r.Variants = len(fl.Variants)
	for _, v := range fl.Variants[:min(TopVariants, len(fl.Variants))] {
		r.Top = append(r.Top, Variant{Steps: v.Steps, Cases: v.Count})
	}
	return r
}
