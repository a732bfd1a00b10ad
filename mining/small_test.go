package mining

import "testing"

// The minimum holds at exactly MinCases in each group, and not one below.
func TestMinCases(t *testing.T) {
	for _, c := range []struct {
		with, without, n int
		enough, shown    bool
	}{
		{10, 10, 10, true, true},
		{9, 10, 9, false, false},
		{10, 9, 19, false, true},
		{0, 500, 0, false, false},
	} {
		e, l := Effect{With: c.with, Without: c.without}, LeadTime{N: c.n}
		if e.Enough() != c.enough || l.IntervalShown() != c.shown {
			t.Errorf("%+v: Enough %v, IntervalShown %v", c, e.Enough(), l.IntervalShown())
		}
	}
	if MinCases != 10 {
		t.Errorf("MinCases = %d; docs/definitions.md and docs/report.md say 10", MinCases)
	}
}
