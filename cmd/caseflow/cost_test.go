package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// workedCost are the flags of docs/report.md's worked example of the cost
// model.
var workedCost = []string{"--sla", "1h30m", "--minutes-per-event", "5", "--cost-per-minute", "Front=0.90",
	"--cost-per-minute", "Back=1.10", "--cost-per-minute", "Legal=1.50", "--cost-per-handoff", "2.50",
	"--cost-per-waiting-hour", "6", "--currency", "EUR"}

// costJSON is the part of the JSON's cost the tests read.
type costJSON struct {
	Currency        string   `json:"currency"`
	HandlingRule    string   `json:"handling_rule"`
	EstimatedEvents int      `json:"estimated_events"`
	HandlingMinutes float64  `json:"handling_minutes"`
	UnpricedMinutes float64  `json:"unpriced_minutes"`
	Weak            bool     `json:"weak_extrapolation"`
	Handling        *float64 `json:"handling"`
	HandlingYear    *float64 `json:"handling_year"`
	Handoffs        *float64 `json:"handoffs"`
	Contacts        *float64 `json:"contacts"`
	PingPong        *float64 `json:"pingpong"`
	PingPongMonth   *float64 `json:"pingpong_month"`
	PingPongYear    *float64 `json:"pingpong_year"`
	Silos           *float64 `json:"silos"`
	LongCases       *float64 `json:"long_cases"`
	LongCasesMonth  *float64 `json:"long_cases_month"`
	LongCasesYear   *float64 `json:"long_cases_year"`
	Repeats         *float64 `json:"repeats"`
	PingPongPairs   []struct {
		A, B          string
		Returns       int     `json:"returns"`
		ReturnMinutes float64 `json:"return_minutes"`
		Total         float64 `json:"total"`
		Year          float64 `json:"year"`
	} `json:"pingpong_pairs"`
	Ranked []struct {
		Finding string  `json:"finding"`
		A       string  `json:"a"`
		B       string  `json:"b"`
		Year    float64 `json:"year"`
	} `json:"ranked"`
}

func analyzeCost(t *testing.T, args ...string) *costJSON {
	t.Helper()
	code, out, errs := call(t, "", append([]string{"analyze", "--format", "json", "-q"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Cost *costJSON `json:"cost"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Cost
}

// cents checks an amount of the JSON against one computed by hand.
func cents(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 0.005 {
		t.Errorf("%s = %v, want %.2f", name, deref(got), want)
	}
}

func deref(x *float64) any {
	if x == nil {
		return "null"
	}
	return *x
}

// TestCostWorkedExample runs docs/report.md's worked example: every
// amount as computed there by hand.
func TestCostWorkedExample(t *testing.T) {
	c := analyzeCost(t, append([]string{threeCases}, workedCost...)...)
	if c == nil {
		t.Fatal("cost is null with rates set")
	}
	if c.Currency != "EUR" || c.HandlingRule != "estimate" || c.EstimatedEvents != 14 || c.HandlingMinutes != 70 || c.UnpricedMinutes != 5 || !c.Weak {
		t.Errorf("cost %+v; want EUR, estimate, 14 events, 70 minutes, 5 unpriced, weak", c)
	}
	year := 365.2425 * 86400 / 9000 // 09:00 to 11:30
	cents(t, "handling", c.Handling, 31.50+27.50+7.50)
	cents(t, "handling a year", c.HandlingYear, 233170.81)
	cents(t, "handoffs", c.Handoffs, 17.50)
	if c.Contacts != nil || c.Repeats != nil {
		t.Errorf("contacts %v, repeats %v without their rates; want null", deref(c.Contacts), deref(c.Repeats))
	}
	cents(t, "ping-pong", c.PingPong, 20.50)
	cents(t, "ping-pong a year", c.PingPongYear, 71879.72)
	cents(t, "ping-pong a month", c.PingPongMonth, 5989.98)
	cents(t, "ping-pong a year, by the rule", c.PingPongYear, 20.50*year)
	cents(t, "silos", c.Silos, 0)
	cents(t, "long cases", c.LongCases, 9)
	cents(t, "long cases a year", c.LongCasesYear, 31556.95)
	cents(t, "long cases a month", c.LongCasesMonth, 2629.75)
	if len(c.PingPongPairs) != 1 || c.PingPongPairs[0].A != "Back" || c.PingPongPairs[0].Returns != 2 || c.PingPongPairs[0].ReturnMinutes != 15 {
		t.Errorf("pairs %+v; want Back ↔ Front, 2 returns of 15 minutes", c.PingPongPairs)
	}
	if len(c.Ranked) != 2 || c.Ranked[0].Finding != "pingpong" || c.Ranked[1].Finding != "long_cases" {
		t.Errorf("ranked %+v; want ping-pong, then long cases", c.Ranked)
	}
}

// money matches an amount as the text report writes one: a figure with
// a decimal point, or one of 10 or more.
var money = regexp.MustCompile(`\d+\.\d\d\b`)

// TestCostNoRates: without a rate, the JSON's cost is null and the text
// report has no COST figure, only the line saying how to set rates.
func TestCostNoRates(t *testing.T) {
	for _, args := range [][]string{{threeCases}, {threeCases, "--currency", "EUR", "--minutes-per-event", "5"}} {
		if c := analyzeCost(t, args...); c != nil {
			t.Errorf("%v: cost %+v; want null", args, c)
		}
		code, out, errs := call(t, "", append([]string{"analyze", "-q"}, args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		_, section, _ := strings.Cut(out, "\nCOST")
		if !strings.Contains(section, "no rates set") || money.MatchString(section) || strings.Contains(out, "EUR") {
			t.Errorf("%v: COST section %q; want no money figure", args, section)
		}
	}
}

// TestCostConfig reads the rates from a [cost] table and rejects bad ones.
func TestCostConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cost.toml")
	text := `[mining]
sla = "1h30m"
[cost]
currency = "EUR"
minutes-per-event = 5
cost-per-handoff = 2.50
cost-per-waiting-hour = 6
cost-per-minute = { Front = 0.90, Back = 1.10, Legal = 1.50 }
`
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c := analyzeCost(t, threeCases, "--config", cfg)
	if c == nil {
		t.Fatal("no cost from the config's rates")
	}
	cents(t, "ping-pong", c.PingPong, 20.50)
	cents(t, "long cases", c.LongCases, 9)
	// The command line wins over the file.
	c = analyzeCost(t, threeCases, "--config", cfg, "--cost-per-handoff", "0")
	cents(t, "ping-pong without the handoff rate", c.PingPong, 15.50)

	for _, tc := range []struct{ args, want string }{
		{"--cost-per-minute KCC=0,90", "decimal point"},
		{"--cost-per-minute KCC", "not a price"},
		{"--cost-per-contact 3 --cost-per-contact *=4", `"*" has a rate already`},
		{"--cost-per-handoff -1", "at least 0"},
	} {
		code, _, errs := call(t, "", append([]string{"analyze", threeCases}, strings.Fields(tc.args)...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want a usage error saying %q", tc.args, code, errs, tc.want)
		}
	}
}

// truthCase is the part of a generated case's truth record the test reads.
type truthCase struct {
	Arrival string   `json:"arrival"`
	LeadMS  int64    `json:"lead_ms"`
	Stays   []string `json:"stays"`
}

// TestCostPlantedPingPong generates a log with planted ping-pong, prices
// it with rates from a config file, and checks the planted pair's yearly
// cost, and the total's, against a computation from the generator's truth
// alone: each direct return s(i) = s(i+2) ≠ s(i+1) but the closing one
// (s(i+2) the last stay and the first unit) is one handoff at 2.50 and a
// return stay of 10 estimated minutes at 0.80, so 10.50; a year is
// 365.2425 days over the span from the first arrival to the last case's
// end. --fail-on on the total breaches just below it and not above.
func TestCostPlantedPingPong(t *testing.T) {
	dir := t.TempDir()
	logPath, truth := filepath.Join(dir, "log.csv"), filepath.Join(dir, "truth.jsonl")
	code, _, errs := call(t, "", "generate", "--cases", "3000", "--days", "90", "--seed", "11", "--out", logPath, "--truth", truth)
	if code != exitOK {
		t.Fatalf("generate: exit %d, %s", code, errs)
	}
	cfg := filepath.Join(dir, "cost.toml")
	if err := os.WriteFile(cfg, []byte("[cost]\ncurrency = \"EUR\"\ncost-per-handoff = 2.50\nminutes-per-stay = 10\ncost-per-minute = { \"*\" = 0.80 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The truth: returns per pair, the span, the planted pairs.
	f, err := os.Open(truth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	returns := map[[2]string]int{}
	var first, last time.Time
	var planted [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			truthCase
			Pairs [][2]string `json:"pingpong_pairs"`
		}
		kind := regexp.MustCompile(`^\{"kind":"(\w+)"`).FindSubmatch(sc.Bytes())
		if kind == nil {
			t.Fatalf("truth record %.80s has no kind", sc.Text())
		}
		if k := string(kind[1]); k == "params" || k == "case" {
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatal(err)
			}
		}
		switch string(kind[1]) {
		case "params":
			planted = rec.Pairs
		case "case":
			at, err := time.Parse(time.RFC3339Nano, rec.Arrival)
			if err != nil {
				t.Fatal(err)
			}
			end := at.Add(time.Duration(rec.LeadMS) * time.Millisecond)
			if first.IsZero() || at.Before(first) {
				first = at
			}
			if end.After(last) {
				last = end
			}
			s := rec.Stays
			for i := 0; i+2 < len(s); i++ {
				if s[i] != s[i+2] || s[i] == s[i+1] || i+2 == len(s)-1 && s[i+2] == s[0] {
					continue
				}
				returns[[2]string{min(s[i], s[i+1]), max(s[i], s[i+1])}]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(planted) == 0 {
		t.Fatal("no planted pair in the truth")
	}
	year := 365.2425 * 86400 / last.Sub(first).Seconds()
	pair := [2]string{min(planted[0][0], planted[0][1]), max(planted[0][0], planted[0][1])}
	if returns[pair] < 30 {
		t.Fatalf("the planted pair %v returns %d times; want a test of at least 30", pair, returns[pair])
	}
	wantPair := float64(returns[pair]) * 10.50 * year
	total := 0
	for _, n := range returns {
		total += n
	}
	wantTotal := float64(total) * 10.50 * year

	c := analyzeCost(t, logPath, "--config", cfg)
	if c == nil {
		t.Fatal("no cost")
	}
	got := math.NaN()
	for _, p := range c.PingPongPairs {
		if p.A == pair[0] && p.B == pair[1] {
			got = p.Year
		}
	}
	if math.Abs(got-wantPair) > 0.01+1e-9*wantPair {
		t.Errorf("planted pair %v: %v a year; want %d returns × 10.50 × %.4f = %.2f", pair, got, returns[pair], year, wantPair)
	}
	cents(t, "ping-pong a year", c.PingPongYear, wantTotal)

	for _, tc := range []struct {
		limit float64
		code  int
	}{{wantTotal - 1, exitBreach}, {wantTotal + 1, exitOK}} {
		rule := fmt.Sprintf("cost.pingpong_year>%.2f", tc.limit)
		code, _, errs := call(t, "", "analyze", "-q", logPath, "--config", cfg, "--fail-on", rule)
		if code != tc.code {
			t.Errorf("--fail-on %s: exit %d, want %d (%s)", rule, code, tc.code, errs)
		}
	}
	// Without rates the rule cannot hold: cost is null.
	if code, _, errs := call(t, "", "analyze", "-q", logPath, "--fail-on", "cost.pingpong_year>0"); code != exitOK {
		t.Errorf("--fail-on on cost without rates: exit %d (%s); want 0", code, errs)
	}
}
