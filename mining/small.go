package mining

// MinCases is the fewest cases behind the ping-pong effect (in each of its
// two groups) and behind the lead-time median's interval for them to be
// reported. Below it the writers say "too few cases" instead of a shift,
// an interval or a test: with a handful of cases Lehmann's interval spans
// the sample and the rank test's normal approximation is rough, and a 95 %
// interval for a median cannot reach its coverage below 6 cases (the
// sample range covers 1 − 2·½ⁿ; Conover 1999, §3.2). Silo figures have
// their own minimum, Options.MinSupport. Mining computes both figures
// regardless; Enough and IntervalShown are the writers' one test.
const MinCases = 10

// Enough says whether both groups of the effect have MinCases cases.
func (e *Effect) Enough() bool { return e.With >= MinCases && e.Without >= MinCases }

// IntervalShown says whether the median's interval rests on MinCases cases.
func (l *LeadTime) IntervalShown() bool { return l.N >= MinCases }
