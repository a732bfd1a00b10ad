package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/mining"
)

// workedRates are docs/report.md's worked example of the cost model.
func workedRates() *mining.Rates {
	return &mining.Rates{Currency: "EUR", PerMinute: map[string]float64{"Front": 0.90, "Back": 1.10, "Legal": 1.50},
		PerHandoff: 2.50, PerWaitingHour: 6, MinutesPerEvent: 5}
}

// TestCostRules checks --fail-on rules on the cost of the worked example,
// whose ping-pong costs 20.50 × 365.2425 d / 9,000 s = 71,879.72 a year,
// and that without rates no rule on cost holds.
func TestCostRules(t *testing.T) {
	r := newReport(t, threeCases, mining.Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: workedRates()}, Options{})
	none := newReport(t, threeCases, depOpt, Options{})
	for _, tc := range []struct {
		rule     string
		breached bool
		value    float64
	}{
		{"cost.pingpong_year>50000", true, 71879.72},
		{"cost.pingpong_year>80000", false, 71879.72},
		{"cost.pingpong>=20.5", true, 20.5},
		{"cost.long_cases_year<31556.95", false, 31556.95},
		{"cost.ranked.0.year>71879", true, 71879.72},
		{"cost.pingpong_pairs.0.returns==2", true, 2},
	} {
		rule, err := ParseRule(tc.rule)
		if err != nil {
			t.Fatalf("%s: %v", tc.rule, err)
		}
		breached, value, found := r.Check(rule)
		if !found || breached != tc.breached || value != tc.value {
			t.Errorf("%s: breached %v, value %v, found %v; want %v, %v, true", tc.rule, breached, value, found, tc.breached, tc.value)
		}
		if breached, _, found := none.Check(rule); breached || found {
			t.Errorf("%s without rates: breached %v, found %v; want neither", tc.rule, breached, found)
		}
	}
	if _, err := ParseRule("cost.pingpong_yearly>1"); err == nil || !strings.Contains(err.Error(), "pingpong_year") {
		t.Errorf("a misspelt cost field: %v; want an error listing the fields", err)
	}
}

// TestCostPseudonyms: at the resource level, the cost lists name agents
// by their pseudonyms only.
func TestCostPseudonyms(t *testing.T) {
	r := newReport(t, threeCases, mining.Options{Level: mining.Resource, MinSupport: 2, SLA: time.Hour,
		Cost: &mining.Rates{PerHandoff: 1, PerWaitingHour: 1}}, Options{})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cost json.RawMessage `json:"cost"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc.Cost), `"pingpong_pairs": [`) || strings.Contains(string(doc.Cost), `"pingpong_pairs": []`) {
		t.Fatalf("no priced pair at the resource level: %s", doc.Cost)
	}
	for _, name := range []string{"Ann", "Bob", "Cy", "Dee"} {
		if strings.Contains(string(doc.Cost), `"`+name+`"`) {
			t.Errorf("%s shown in the cost: %s", name, doc.Cost)
		}
	}
}

// TestCostText: the worked example's COST section, its amounts as
// computed by hand in docs/report.md (the year from 3,506.328 times the
// log, the month a twelfth of it).
func TestCostText(t *testing.T) {
	r := newReport(t, threeCases, mining.Options{MinSupport: 2, SLA: 90 * time.Minute, Cost: workedRates()}, Options{})
	var buf bytes.Buffer
	if err := r.WriteText(&buf, Style{}); err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(buf.String(), "\nCOST")
	for _, want := range []string{
		"over the log's span of 2.5 h and extrapolated to a year",
		"amounts in EUR",
		"handling minutes estimated for 14 events without a start time, at 5 min each",
		"5 of 70 handling minutes have no --cost-per-minute rate",
		"handling 233,171, handoffs 61,361, contacts -",
		"ping-pong Back ↔ Front                         20.50    5,990  71,880",
		"long cases, time above the service level        9.00    2,630  31,557",
		"the extrapolation is weak",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("COST section lacks %q:\n%s", want, section)
		}
	}
}
