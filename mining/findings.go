package mining

import "slices"

// Findings is the result of Analyze. Every duration is float64 seconds
// (the log has microsecond resolution); every list has a fixed order,
// stated on its field, so writers can print it as it is. Nothing is NaN
// or infinite; a figure that cannot be computed is 0 unless its doc says
// otherwise, and its doc says how a writer tells it apart from a real 0.
type Findings struct {
	// Options are the options used, defaults filled in; Workers is left 0
	// because it does not change the findings.
	Options  Options
	Events   int
	Flows    Flows
	PingPong PingPong
	Silos    Silos
	LeadTime LeadTime
	// Journeys are the figures across a customer's cases; nil without
	// Options.Customer.
	Journeys *Journeys
	// Calls are the call-centre figures of a log read from call records;
	// nil for any other log (see CallFigures).
	Calls *Calls
	// Working splits time into work and waiting from the events' start
	// times; nil when the log has none (no start_time column).
	Working *Working
	// WorkingTime names the calendars the durations were measured in; nil
	// when they are calendar time (no Options.Calendar).
	WorkingTime *WorkingTime
	// Cost prices the findings; nil without Options.Cost.
	Cost *Cost
	// Cases has one row per case, in log order; CaseID names them.
	Cases []Case
	// caseID is the analysed log's CaseID: the names stay in the log's
	// case dictionary rather than in Cases, which holds no pointer so that
	// it can live in file-backed memory (internal/spill).
	caseID func(k int) string
}

// CaseID returns the id of case k, Cases[k], from the case dictionary of
// the log Analyze read, sharing its memory: that log must not be released
// while the findings are in use. k must index Cases. It returns "" for
// nil findings and for findings not made by Analyze.
func (f *Findings) CaseID(k int) string {
	if f == nil || f.caseID == nil {
		return ""
	}
	return f.caseID(k)
}

// WorkingTime says that durations are working time, and in which
// calendars: Default for lead times and units without their own, Units
// (by Unit) for the others. Day is each calendar's working day in seconds,
// the unit writers give working durations in besides hours.
type WorkingTime struct {
	Default CalendarNote
	Units   []CalendarNote
}

// CalendarNote names a calendar, its zone and its working day (seconds),
// and the unit it serves ("" for the default).
type CalendarNote struct {
	Unit, Calendar, Zone string
	Day                  float64
}

// Flows are the activity and unit flows of section A.
type Flows struct {
	// Edges is the directly-follows graph: by Count descending, then From,
	// then To (byte order of the names).
	Edges []Edge
	// Arcs is the number of directly-follows pairs: the sum of Edges' Counts.
	Arcs int
	// Starts and Ends count the cases by first and last activity: by Cases
	// descending, then name.
	Starts, Ends []Endpoint
	// Variants are the distinct activity sequences; Paths the distinct
	// sequences of stays' units (a case without any unit has the empty
	// path). Both by Count descending, then order of first appearance.
	Variants, Paths []Variant
	// Handoffs is the number of handoffs between stays.
	Handoffs int
	// Pairs is the handoff matrix, one entry per directed pair with at least
	// one handoff: by Count descending, then From, then To.
	Pairs []Handoff
}

// Edge is a directly-follows edge: Count times an event with activity From
// is directly followed in its case by one with activity To. Median, Mean
// and P90 describe the time between the two events.
type Edge struct {
	From, To          string
	Count             int
	Median, Mean, P90 float64
}

// Endpoint is an activity and the number of cases starting (or ending) with it.
type Endpoint struct {
	Activity string
	Cases    int
}

// Variant is a distinct sequence of steps, the number of cases that follow
// it and their share of all cases.
type Variant struct {
	Steps    []string
	Count    int
	Coverage float64
}

// Handoff is an entry of the handoff matrix: Count handoffs from a stay in
// From to a stay in To, and the median delay between the last event in From
// and the first event in To.
type Handoff struct {
	From, To string
	Count    int
	Median   float64
}

// PingPong are the ping-pong and revisit figures of section B.
type PingPong struct {
	// Occurrences of direct ping-pong over all cases, and the Cases that
	// have at least one; CaseRate is Cases over all cases. Closing returns
	// are not among them.
	Occurrences, Cases int
	CaseRate           float64
	// Closing counts the closing returns: direct ping-pong u, v, u whose
	// return to u is the case's last stay and u its front office, its
	// first unit that is not a call's VRU or queue stage (the front
	// office closing what it passed on; see closingReturn). A case has
	// at most one, so Closing is also the number of cases with one;
	// ClosingRate is Closing over all cases.
	Closing     int
	ClosingRate float64
	// Revisits are stays in a unit the case visited earlier; RevisitCases
	// the cases with at least one.
	Revisits, RevisitCases int
	// Pairs by Occurrences descending, then Cases descending, then A, then B.
	Pairs []Pair
	// Effect compares the lead times of cases with and without ping-pong.
	Effect Effect
}

// Pair is an unordered pair of units {A, B}, A before B in byte order, with
// the direct ping-pong occurrences attributed to it, the cases they occur
// in, and the median time from leaving a unit to being back in it (Return).
// What the pair costs: LeadMedian is the median lead time of the LeadCases
// cases with a lead time that ping-pong on it (each counted once however
// often it bounces), to set against Effect.MedianWithout; 0 when none.
type Pair struct {
	A, B               string
	Occurrences, Cases int
	Return             float64
	LeadCases          int
	LeadMedian         float64
}

// Effect is the effect of ping-pong on lead time, over the cases with a
// lead time. Shift is the Hodges–Lehmann estimate of how much longer cases
// with ping-pong take (Hodges & Lehmann 1963; Bauer 1972), with the 95 %
// confidence interval [Low, High] of Lehmann (1975) from the order
// statistics of the pairwise differences at ranks from the normal
// approximation (Hollander & Wolfe 1999, §4.3). U counts the (with,
// without) pairs where the case with ping-pong took longer, ties counting
// half, and P is the two-sided Mann–Whitney p-value (Mann & Whitney 1947)
// from the normal approximation with tie and continuity correction. When
// either group is empty, everything but the counts is 0 and P is 1.
type Effect struct {
	With, Without             int
	MedianWith, MedianWithout float64
	Shift, Low, High          float64
	U, P                      float64
}

// Silos are the silo figures of section C. A silo shows as waiting: work
// handed from A to B waits longer before B takes it up than the work B
// receives from its other senders (a silo boundary), or work handed to B
// waits longer than handoffs in the rest of the log (a silo unit; see
// Unit.Silo). Both compare handoff delays with handoff delays, never with
// the pace of work inside a unit.
type Silos struct {
	// Units has every unit that occurs in a stay: by In+Out descending,
	// then name.
	Units []Unit
	// Boundaries are the tested boundaries A→B: at least
	// Options.MinSupport handoffs from A into B and as many from B's other
	// senders. Silos first, then by PAdjusted ascending, Shift descending,
	// From, To (see CompareBoundaries).
	Boundaries []Boundary
	// Communities are Louvain communities of the units that take part in a
	// handoff, each by name, largest first (ties by first name); nil when
	// the log has fewer than Options.MinSupport handoffs.
	Communities [][]string
	// Modularity is Newman's Q of Communities; Crossing the share of
	// handoffs between units in different communities; both 0 without
	// Communities.
	Modularity, Crossing float64
}

// Comparison is a one-sided test that the N handoff delays X (seconds)
// tend to be longer than the M delays Y they are compared with, and its
// effect size. Median and OthersMedian are the medians of X and Y; Ratio
// is Median/OthersMedian, and 0 when OthersMedian is 0: writers show no
// ratio then (test OthersMedian, not Ratio). Shift is the Hodges–Lehmann
// estimate of how much longer X waits (the median of the N·M differences;
// Hodges & Lehmann 1963) with the 95 % interval [Low, High] of Lehmann
// (1975). U counts the (x, y) pairs with x > y, ties half, and P is its
// one-sided Mann–Whitney p-value (Mann & Whitney 1947; normal
// approximation with tie and continuity correction). PAdjusted is P
// adjusted by Benjamini & Hochberg (1995) over every test of Silos, the
// boundaries' and the units' together.
type Comparison struct {
	N, M                 int
	Median, OthersMedian float64
	Ratio                float64
	Shift, Low, High     float64
	U, P, PAdjusted      float64
}

// Unit holds the silo figures of one unit (department or resource).
type Unit struct {
	Name string
	// In and Out count handoffs into and out of the unit; Partners the
	// distinct units it hands off to or receives from.
	In, Out, Partners int
	// Entry is the median handoff delay into the unit. Gap is the median of
	// its Gaps internal gaps, between consecutive distinct steps of one of
	// its stays (events less than Options.Resolution apart, or at the same
	// instant, are one step), so Gap is never 0 when Gaps > 0 (in working
	// time it is when most gaps fall outside opening hours). Gap only
	// describes the unit's pace; no test uses it.
	Entry float64
	Gaps  int
	Gap   float64
	// Bounces counts incoming handoffs whose next handoff goes back to the
	// sender; BounceRate is Bounces/In.
	Bounces    int
	BounceRate float64
	// Tested says whether the unit's entry waits were compared with every
	// other handoff of the log, the handoffs into other units (Wait: X is
	// the unit's In entry waits, Y the others); it needs Options.MinSupport
	// of each. Wait is zero when not Tested.
	Tested bool
	Wait   Comparison
	// Silo marks a unit whose entry waits are longer than the log's other
	// handoffs: Wait.PAdjusted ≤ Options.FDR and the minimum effect of
	// Options (see Boundary.Silo).
	Silo bool
}

// Boundary is a tested boundary From→To: the Comparison of the handoffs
// from From into To (X, N = the handoffs) with the other handoffs into To
// (Y, from every other sender). It is a Silo boundary when PAdjusted ≤
// Options.FDR, Shift ≥ Options.MinShift and Median ≥ Options.MinRatio ×
// OthersMedian.
type Boundary struct {
	From, To string
	Comparison
	Silo bool
	// Waits are the boundary's handoff delays in µs, ascending, kept only
	// under Options.BoundaryWaits (for comparing runs); otherwise nil.
	Waits []int64
}

// LeadTime is the lead-time summary of section D over the N cases that have
// a lead time. Quantiles interpolate linearly between order statistics
// (Hyndman & Fan 1996, definition 7, as R and pandas do); MedianNearest is
// the nearest-rank median (definition 1).
type LeadTime struct {
	N                                     int
	Mean, Median, P75, P90, P95, P99, Max float64
	MedianNearest                         float64
	// [MedianLow, MedianHigh] is a distribution-free confidence interval for
	// the median from order statistics, with its exact binomial coverage:
	// at least 0.95 when N ≥ 6, otherwise the sample range.
	MedianLow, MedianHigh, MedianCoverage float64
	// Rule is how long cases were marked: RuleSLA when Options has an SLA,
	// else RuleQuantile, with Quantile the quantile used (0 under RuleSLA).
	Rule     string
	Quantile float64
	// SLA is Options.SLA in seconds: the SLA of the cases whose stratum has
	// none of its own; 0 when not given.
	SLA float64
	// Strata are the groups of cases judged by one limit: one per value of
	// Options.By that has its own (an SLA in Options.SLAs, or under
	// RuleQuantile at least MinStratum measured cases), by name, then ""
	// for all other cases, judged by Options.SLA or the quantile of all
	// lead times; "" is left out when it has no case and By is set.
	// Without By there is exactly one stratum, "".
	Strata []Stratum
	// Long counts the long cases.
	Long int
	// Where says where long and other cases spend their lead time.
	Where Where
}

// Rules for long cases (LeadTime.Rule).
const (
	RuleQuantile = "quantile" // above a quantile of the stratum's lead times
	RuleSLA      = "sla"      // above the stratum's SLA
)

// Stratum is a group of N measured cases judged by one limit: a case is
// Long when its lead time exceeds Limit (seconds). Judged is false when no
// limit applies, and Limit is then 0: under RuleSLA, no SLA was given for
// these cases; under RuleQuantile, the log has fewer than MinStratum
// measured cases, too few for a quantile to be a service level.
type Stratum struct {
	Name   string
	N      int
	Limit  float64
	Judged bool
	Long   int
}

// Where splits the lead time of long and of other cases: LongTotal and
// OtherTotal are the sums of lead times, LongNone and OtherNone the parts
// outside any stay or handoff (before the first or after the last stay).
type Where struct {
	LongTotal, OtherTotal, LongNone, OtherNone float64
	// Units has every unit that occurs in a stay, by LongShare−OtherShare
	// descending, then LongShare descending, then name.
	Units []Share
}

// Share is one unit's part of the lead time: time in its stays and waiting
// at handoffs into it, summed over long and over other cases, and its
// share (stay plus wait over the group's total lead time).
type Share struct {
	Unit                                     string
	LongStay, LongWait, OtherStay, OtherWait float64
	LongShare, OtherShare                    float64
}

// Case is one row of the per-case table; Findings.CaseID names it.
type Case struct {
	Events int32
	// Measured is false when the case has no lead time (it lacks the From
	// or To activity, or To comes before From); Lead is then 0.
	Measured                     bool
	Lead                         float64
	Handoffs, PingPong, Revisits int32
	// Closing says whether the case ends with a closing return (see
	// PingPong.Closing), which PingPong does not count.
	Closing bool
	Long    bool
	// Variant and Path index Flows.Variants and Flows.Paths.
	Variant, Path int32
}

// Longest returns the indices of up to k measured cases with the longest
// lead times, longest first, ties in log order. It keeps a sorted top k, so
// it costs O(n log k) time and O(k) memory; nil or empty cases give nil.
func Longest(cases []Case, k int) []int {
	var top []int
	less := func(i, j int) bool { // i before j
		return cases[i].Lead > cases[j].Lead || cases[i].Lead == cases[j].Lead && i < j
	}
	for i, c := range cases {
		if !c.Measured || k <= 0 || len(top) == k && !less(i, top[k-1]) {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, i, func(t, i int) int {
			if less(t, i) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, at, i)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}
