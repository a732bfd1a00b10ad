package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// reportSchema is the version of caseflow's JSON report
// (docs/report.schema.json) this harness reads. A report of any other
// version is refused with an error rather than read by guesswork: a field
// that moved would otherwise read as 0.
const reportSchema = "caseflow.report/v2"

// report is the part of caseflow's JSON report (docs/report.schema.json)
// that answers W2–W6.
type report struct {
	Schema string `json:"schema"`
	Input  struct {
		Events int `json:"events"`
	} `json:"input"`
	Log struct {
		Cases int `json:"cases"`
	} `json:"log"`
	Flows struct {
		DFGEdges     int `json:"dfg_edges"`
		DFGArcs      int `json:"dfg_arcs"`
		Variants     int `json:"variants"`
		Handoffs     int `json:"handoffs"`
		HandoffPairs int `json:"handoff_pairs"`
		Edges        []struct {
			From  string `json:"from"`
			To    string `json:"to"`
			Count int    `json:"count"`
		} `json:"edges"`
		TopVariants []struct {
			Cases int      `json:"cases"`
			Steps []string `json:"steps"`
		} `json:"top_variants"`
		HandoffMatrix []struct {
			From     string `json:"from"`
			To       string `json:"to"`
			Handoffs int    `json:"handoffs"`
		} `json:"handoff_matrix"`
	} `json:"flows"`
	PingPong struct {
		Occurrences int `json:"occurrences"`
		Cases       int `json:"cases"`
		Closing     int `json:"closing_returns"`
		PairCount   int `json:"pair_count"`
		Pairs       []struct {
			A           string `json:"a"`
			B           string `json:"b"`
			Occurrences int    `json:"occurrences"`
			Cases       int    `json:"cases"`
		} `json:"pairs"`
	} `json:"pingpong"`
	LeadTime struct {
		Cases   int     `json:"cases"`
		MedianS float64 `json:"median_s"`
		P90S    float64 `json:"p90_s"`
		P95S    float64 `json:"p95_s"`
		P99S    float64 `json:"p99_s"`
	} `json:"lead_time"`
}

// readReport reads caseflow's JSON report from the file path and, when dir
// is not empty, the complete lists from the report folder written by
// --out. Lists cut to --top are marked as not full. The JSON has no count
// of the cases above P95 (its long cases are those above --long-quantile,
// P90 by default): it is counted in the folder's cases.csv, and without a
// folder it is -1, not compared.
func readReport(path, dir string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d report
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: not a caseflow JSON report: %w", path, err)
	}
	if d.Schema != reportSchema {
		return nil, fmt.Errorf("%s: caseflow analyze wrote a report of schema %q and this harness reads %s only: "+
			"update the report struct in benchmarks/peer/caseflow.go to docs/report.schema.json", path, d.Schema, reportSchema)
	}
	fl, pp, lt := &d.Flows, &d.PingPong, &d.LeadTime
	r := &Results{Source: "caseflow JSON", Cases: d.Log.Cases, Events: d.Input.Events,
		Edges: fl.DFGEdges, Arcs: fl.DFGArcs, HandoffPairs: fl.HandoffPairs, HandoffTotal: fl.Handoffs,
		Occurrences: pp.Occurrences, PPCases: pp.Cases, PairCount: pp.PairCount, Closing: pp.Closing, Variants: fl.Variants}
	for _, e := range fl.Edges {
		r.DFG = append(r.DFG, Count{From: e.From, To: e.To, N: e.Count})
	}
	for _, h := range fl.HandoffMatrix {
		r.Handoffs = append(r.Handoffs, Count{From: h.From, To: h.To, N: h.Handoffs})
	}
	for _, p := range pp.Pairs {
		r.Pairs = append(r.Pairs, Pair{A: p.A, B: p.B, Occurrences: p.Occurrences, Cases: p.Cases})
	}
	for _, v := range fl.TopVariants {
		r.Top = append(r.Top, Variant{Steps: v.Steps, Cases: v.Cases})
	}
	r.DFGFull = len(r.DFG) == r.Edges
	r.HandoffsFull = len(r.Handoffs) == r.HandoffPairs
	r.PairsFull = len(r.Pairs) == r.PairCount
	r.Lead = Lead{Cases: lt.Cases, Q: [4]float64{lt.MedianS, lt.P90S, lt.P95S, lt.P99S}, AboveP95: -1, Tolerance: 0.0005}
	if dir == "" {
		return r, nil
	}
	r.Source = "caseflow report"
	if err := r.readFolder(dir); err != nil {
		return nil, err
	}
	return r, nil
}

// readFolder replaces the cut lists by the complete ones of the report
// folder's CSV files and counts the cases above P95 in cases.csv. Lead times there and P95 are both rounded to the
// millisecond: exact for logs with millisecond timestamps, unless P95 falls
// between two milliseconds and a case lies on the one it rounds up to.
func (r *Results) readFolder(dir string) error {
	counts := func(name string, to *[]Count) error {
		*to = nil
		return eachRow(filepath.Join(dir, name), "from", func(rec []string) error {
			n, err := strconv.Atoi(rec[2])
			*to = append(*to, Count{From: rec[0], To: rec[1], N: n})
			return err
		})
	}
	if err := counts("dfg.csv", &r.DFG); err != nil {
		return err
	}
	if err := counts("handoffs.csv", &r.Handoffs); err != nil {
		return err
	}
	r.Pairs = nil
	if err := eachRow(filepath.Join(dir, "pingpong.csv"), "a", func(rec []string) error {
		occ, err1 := strconv.Atoi(rec[2])
		cases, err2 := strconv.Atoi(rec[3])
		r.Pairs = append(r.Pairs, Pair{A: rec[0], B: rec[1], Occurrences: occ, Cases: cases})
		return errors.Join(err1, err2)
	}); err != nil {
		return err
	}
	r.Top = nil
	if err := eachRow(filepath.Join(dir, "variants.csv"), "rank", func(rec []string) error {
		if len(r.Top) == TopVariants {
			return errStop
		}
		n, err := strconv.Atoi(rec[1])
		r.Top = append(r.Top, Variant{Steps: strings.Split(rec[3], " > "), Cases: n})
		return err
	}); err != nil {
		return err
	}
	r.DFGFull, r.HandoffsFull, r.PairsFull = true, true, true
	p95, above := r.Lead.Q[2], 0
	err := eachRow(filepath.Join(dir, "cases.csv"), "case", func(rec []string) error {
		if rec[2] == "" { // no lead time
			return nil
		}
		lead, err := strconv.ParseFloat(rec[2], 64)
		if lead > p95 {
			above++
		}
		return err
	})
	r.Lead.AboveP95, r.Lead.AboveFrom = above, "counted in cases.csv"
	return err
}

// errStop ends eachRow early without an error.
var errStop = errors.New("stop")

// eachRow calls row for every data row of a report CSV file whose header
// starts with first, until row returns an error; errStop ends it cleanly.
func eachRow(path, first string, row func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil || len(head) < 4 || head[0] != first {
		return fmt.Errorf("%s: header %q does not start with %q: the report layout changed", path, head, first)
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := row(rec); err == errStop {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}
