package main

import (
	"strings"
	"testing"
)

// Service levels in days, per value of a column from the flags or the
// config's table, and the errors that keep a misspelt setting from passing.
// The worked example's lead times are 2.0 h (c1), 2.5 h (c2) and 30 min (c3).
func TestSLAFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want map[string]any
	}{
		{"days", []string{"--sla", "0.0625d"}, map[string]any{ // 1.5 h: c1 and c2
			"options.sla_s": 5400.0, "lead_time.long_rule": "sla", "lead_time.long_cases": 2.0, "lead_time.strata.0.limit_s": 5400.0,
		}},
		{"per value", []string{"--sla-by", "department", "--sla-for", "Front=2h", "--sla-for", "Legal=1w", "--sla", "1d"}, map[string]any{
			// Every case starts in Front, so its value of the column is Front: c2 (2.5 h) is over 2 h.
			"options.sla_for.Front": 7200.0, "options.sla_for.Legal": 604800.0, "options.by": "department",
			"lead_time.strata.0.name": "Front", "lead_time.strata.0.cases": 3.0, "lead_time.strata.0.long_cases": 1.0,
			"lead_time.strata.1.name": "Legal", "lead_time.strata.1.cases": 0.0, "lead_time.long_cases": 1.0,
		}},
		{"quantile", []string{"--long-quantile", "0.5"}, map[string]any{ // three cases: too few for any quantile
			"options.long_quantile": 0.5, "lead_time.long_rule": "quantile", "lead_time.long_cases": 0.0, "lead_time.strata.0.limit_s": nil,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := analyzeJSON(t, append(tc.args, threeCases)...)
			for path, want := range tc.want {
				if got := lookup(t, doc, path); got != want {
					t.Errorf("%s = %v, want %v", path, got, want)
				}
			}
		})
	}

	cfg := writeConfig(t, t.TempDir(), "[mining]\nsla = \"1d\"\nsla-by = \"department\"\n\n[mining.sla-for]\nFront = \"2h\"\n\"Le gal\" = \"1.5d\"\n")
	doc := analyzeJSON(t, "--config", cfg, threeCases)
	for path, want := range map[string]any{"options.sla_for.Front": 7200.0, "options.sla_for.Le gal": 129600.0, "lead_time.long_cases": 1.0} {
		if got := lookup(t, doc, path); got != want {
			t.Errorf("config: %s = %v, want %v", path, got, want)
		}
	}

	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--sla-for", "Front=2h"}, "name the column whose values these are with --sla-by"},
		{[]string{"--sla-by", "department"}, "give the SLA of each value with --sla-for"},
		{[]string{"--sla-by", "department", "--sla-for", "Front"}, "write VALUE=DURATION"},
		{[]string{"--sla-by", "department", "--sla-for", "Front=0d"}, "not a positive duration"},
		{[]string{"--sla-by", "department", "--sla-for", "Front=2h", "--sla-for", "Front =3h"}, `"Front" has an SLA already`},
		{[]string{"--sla-by", "department", "--by", "channel", "--sla", "1d"}, "give one of them"},
		{[]string{"--long-quantile", "1"}, "quantile 1 is outside (0, 1)"},
	} {
		code, out, errs := call(t, "", append([]string{"analyze", threeCases}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.err)
		}
	}
}
