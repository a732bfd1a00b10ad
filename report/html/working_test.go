package html

import (
	"strings"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// withSplit is threeCases with a working split set by hand (the mining
// tests check how it is computed): Back waits 3 of its 4 hours.
func withSplit(t *testing.T, opt mining.Options) *mining.Findings {
	f := analyze(t, threeCases, opt)
	f.Working = &mining.Working{Events: 9, Started: 6, Queued: 2, Cases: 3, Span: 40 * 3600, Work: 10 * 3600, Wait: 30 * 3600,
		MedianWork: 18.5 * 3600, MedianWait: 1800, Efficiency: 0.25, EfficiencyCases: 3, MedianEfficiency: 0.2,
		Units: []mining.WorkUnit{
			{Unit: "Back", Stays: 2, Work: 3600, Wait: 3 * 3600, MedianWork: 1800, MedianWait: 1.5 * 3600, Efficiency: 0.25},
			{Unit: "Front", Stays: 4},
		},
		Boundaries: []mining.WorkBoundary{{From: "Front", To: "Back", Handoffs: 2, Overlapped: 1, MedianWait: 2 * 3600, P90Wait: 66600}},
	}
	return f
}

func TestWorkBlock(t *testing.T) {
	page := string(write(t, withSplit(t, mining.Options{}), threeInput))
	lead := text(byID(t, checkPage(t, []byte(page)), "leadtime"))
	for _, want := range []string{
		"Work and waiting",
		"6 of 9 events have one",
		"The 2 call queue stages count as waiting",
		"Cases are worked on 25.0 % of their lead time (flow efficiency: 10 h of work in 1.7 d), the median case 20.0 %; it works 18 h and waits 30 min.",
		"Back230 min1.5 h75.0 %", // 3 of its 4 hours are waiting
		"Front40 s0 s–",          // no time at all: no share
		"Front → Back22.0 h18 h1",
	} {
		if !strings.Contains(lead, want) {
			t.Errorf("the lead-time section lacks %q:\n%s", want, lead)
		}
	}
	if strings.Contains(string(write(t, analyze(t, threeCases, mining.Options{}), threeInput)), "Work and waiting") {
		t.Error("a log without start times has the block")
	}
}

// In working time of 8 h days: hours and working days, and the lead time
// in working days (1 h, 3 h and 10 min: median 1 h = 0.125 days).
func TestWorkBlockInWorkingDays(t *testing.T) {
	f := withSplit(t, mining.Options{})
	f.WorkingTime = &mining.WorkingTime{Default: mining.CalendarNote{Calendar: "office", Zone: "UTC", Day: 8 * 3600}}
	lead := text(byID(t, checkPage(t, write(t, f, threeInput)), "leadtime"))
	for _, want := range []string{
		"10 h (1.2 working days) of work in 40 h (5.0 working days)",
		"it works 18 h (2.3 working days)",
		"Front → Back22.0 h (0.2 working days)18 h (2.3 working days)1",
		"In working days of 8.0 hmedian 0.12 · P90 0.33 · P95 0.35 · longest 0.38",
	} {
		if !strings.Contains(lead, want) {
			t.Errorf("the lead-time section lacks %q:\n%s", want, lead)
		}
	}
}

// The rows name units as the caller writes them: pseudonyms for agents.
func TestWorkBlockPseudonyms(t *testing.T) {
	f := withSplit(t, mining.Options{})
	in := threeInput
	in.Unit = func(s string) string { return "res-" + strings.ToLower(s) }
	lead := text(byID(t, checkPage(t, write(t, f, in)), "leadtime"))
	for _, want := range []string{"res-back2", "res-front4", "res-front → res-back2"} {
		if !strings.Contains(lead, want) {
			t.Errorf("the lead-time section lacks %q:\n%s", want, lead)
		}
	}
}
