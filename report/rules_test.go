package report

import (
	"math"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

func TestRules(t *testing.T) {
	r := newReport(t, threeCases, depOpt, Options{Top: 2})
	for _, tc := range []struct {
		rule     string
		breached bool
		value    float64
		found    bool
		err      string
	}{
		{rule: "pingpong.case_rate>0.3", breached: true, value: 0.333333, found: true},
		{rule: "pingpong.case_rate > 0.5", value: 0.333333, found: true},
		{rule: "pingpong.occurrences>=2", breached: true, value: 2, found: true},
		{rule: "pingpong.occurrences<2", value: 2, found: true},
		{rule: "lead_time.median_s<=7200", breached: true, value: 7200, found: true},
		{rule: "flows.handoffs==7", breached: true, value: 7, found: true},
		{rule: "flows.handoffs!=7", value: 7, found: true},
		{rule: "options.seed==0", breached: true, value: 0, found: true},
		{rule: "lead_time.longest.1.lead_time_s>7000", breached: true, value: 7200, found: true},
		{rule: "silos.units.0.shift_low_s<0", breached: true, value: -3600, found: true},
		{rule: "silos.units.0.shift_low_s>=-1e4", breached: true, value: -3600, found: true},
		// Too few cases for the effect: its shift is null, and no rule on it holds.
		{rule: "pingpong.effect.shift_s<1e9", found: false},
		// Lists are cut to Top (2): the third longest case is not in the JSON.
		{rule: "lead_time.longest.2.lead_time_s>0", found: false},
		{rule: "flows.handoff_matrix.9.handoffs>0", found: false},
		{rule: "pingpong.case_rate", err: "no comparison"},
		{rule: "pingpong.case_rate>", err: "not a number"},
		{rule: "pingpong.case_rate>NaN", err: "not a number"},
		{rule: ">1", err: `the document has no field ""`},
		{rule: "pingpong.caserate>1", err: `pingpong has no field "caserate"; its fields are occurrences`},
		{rule: "pingpong>1", err: "pingpong is an object"},
		{rule: "pingpong.pairs>1", err: "pingpong.pairs is a list"},
		{rule: "pingpong.pairs.x.cases>1", err: "pingpong.pairs is a list"},
		{rule: "pingpong.pairs.-1.cases>1", err: "pingpong.pairs is a list"},
		{rule: "pingpong.pairs.0.a>1", err: "pingpong.pairs.0.a is not a number"},
		{rule: "silos.boundaries.0.silo==1", err: "is not a number"},
		{rule: "log.cases.x>1", err: "log.cases is a single value"},
	} {
		rule, err := ParseRule(tc.rule)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one containing %q", tc.rule, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.rule, err)
			continue
		}
		breached, value, found := r.Check(rule)
		if breached != tc.breached || found != tc.found || math.Abs(value-tc.value) > 1e-9 {
			t.Errorf("%q: breached %v, value %v, found %v; want %v, %v, %v", tc.rule, breached, value, found, tc.breached, tc.value, tc.found)
		}
	}
}

// A rule on a figure that was not computed (null) does not hold, whatever
// the comparison.
func TestRuleOnNull(t *testing.T) {
	r := newReport(t, zeroGap, mining.Options{MinSupport: 2}, Options{})
	for _, s := range []string{"silos.boundaries.0.ratio>1000000", "silos.boundaries.0.ratio<1000000", "silos.units.0.p_adjusted!=1"} {
		rule, err := ParseRule(s)
		if err != nil {
			t.Fatal(err)
		}
		if breached, _, found := r.Check(rule); breached || found {
			t.Errorf("%s on null: breached %v, found %v; want neither", s, breached, found)
		}
	}
	// Promoted fields of an embedded part are found as encoding/json writes them.
	rule, err := ParseRule("silos.boundaries.0.shift_s>=5400")
	if err != nil {
		t.Fatal(err)
	}
	if breached, v, found := r.Check(rule); !breached || !found || v != 5400 {
		t.Errorf("shift rule: breached %v, value %v, found %v", breached, v, found)
	}
}

// FuzzParseRule: a rule either fails to parse or prints as a rule that
// parses back to the same check.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"pingpong.case_rate>0.05", "silos.flagged>=1", "pingpong.pairs.0.cases!=2", "a<b", ">=", "x.1.y==1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		back, err := ParseRule(r.String())
		if err != nil || back.Path != r.Path || back.Op != r.Op || back.Value != r.Value && !(math.IsNaN(back.Value) && math.IsNaN(r.Value)) {
			t.Errorf("%q parses as %v, which reads back as %v, %v", s, r, back, err)
		}
	})
}
