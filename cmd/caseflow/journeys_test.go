package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestJourneyFlags runs analyze on the built-in sample, whose customer_id
// and contact_reason columns are guessed by name: --repeat-window and
// --chaser reach the journey figures, a --fail-on rule on journeys.fcr
// holds, a misspelt --customer is a usage error, and on a log without
// customers the same rule does not hold (journeys is null).
func TestJourneyFlags(t *testing.T) {
	type doc struct {
		Journeys *struct {
			CustomerColumn string  `json:"customer_column"`
			ReasonColumn   string  `json:"reason_column"`
			WindowS        float64 `json:"window_s"`
			Repeated       int     `json:"repeated"`
			Failure        struct {
				Repeats, Chasers, Failure int
			} `json:"failure_demand"`
		} `json:"journeys"`
	}
	get := func(args ...string) doc {
		t.Helper()
		code, out, errs := call(t, "", append([]string{"analyze", "--format", "json"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		if d.Journeys == nil {
			t.Fatalf("%v: journeys is null", args)
		}
		return d
	}
	week := get()
	if j := week.Journeys; j.CustomerColumn != "customer_id" || j.ReasonColumn != "contact_reason" || j.WindowS != 7*86400 || j.Failure.Chasers != 0 {
		t.Errorf("default: %+v", *j)
	}
	day := get("--repeat-window", "1d", "--chaser", "General information")
	if j := day.Journeys; j.WindowS != 86400 || j.Repeated >= week.Journeys.Repeated || j.Failure.Chasers == 0 ||
		j.Failure.Failure < max(j.Failure.Repeats, j.Failure.Chasers) || j.Failure.Failure > j.Failure.Repeats+j.Failure.Chasers {
		t.Errorf("--repeat-window 1d --chaser: %+v (7 days: %d repeated)", *j, week.Journeys.Repeated)
	}
	if code, _, errs := call(t, "", "analyze", "-q", "--fail-on", "journeys.fcr<0.99"); code != 3 || !strings.Contains(errs, "journeys.fcr") {
		t.Errorf("--fail-on journeys.fcr<0.99: exit %d, %s", code, errs)
	}
	if code, _, errs := call(t, "", "analyze", "-q", "--customer", "klant"); code != exitUsage || !strings.Contains(errs, `"klant"`) {
		t.Errorf("--customer klant: exit %d, %s", code, errs)
	}
	three := filepath.Join("..", "..", "testdata", "golden", "three-cases.csv")
	if code, _, errs := call(t, "", "analyze", "-q", "--fail-on", "journeys.fcr<0.99", three); code != exitOK {
		t.Errorf("no customer column: exit %d, %s", code, errs)
	}
}
