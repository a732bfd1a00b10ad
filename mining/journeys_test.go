package mining

import (
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
)

// hc is a hand-built contact, a handlog.Contact written short: start and
// end in hours after handlog.Day, a Monday.
type hc struct {
	id, cust, reason, chn, dept string
	start, end                  float64
}

func journeysOf(t *testing.T, cs []hc, opt Options) *Journeys {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	contacts := make([]handlog.Contact, len(cs))
	for i, c := range cs {
		contacts[i] = handlog.Contact{ID: c.id, Customer: c.cust, Reason: c.reason, Channel: c.chn, Dept: c.dept, Start: c.start, End: c.end}
	}
	l := handlog.Contacts(t, mem, contacts)
	defer l.Release()
	opt.Customer = "customer"
	if opt.Reason == "-" {
		opt.Reason = ""
	} else {
		opt.Reason = "reason"
	}
	f, err := Analyze(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f.Journeys
}

const day = 24.0 // hours

// end is a contact without customer that makes the log end at day 60.
var end = hc{id: "end", start: 60 * day, end: 60 * day}

// TestRepeatWindowBoundary: a contact is repeated when the next contact of
// its customer starts at most exactly 7 days after it ends (inclusive), not
// a second later; a contact opened while the first is still open is a
// repeat too.
func TestRepeatWindowBoundary(t *testing.T) {
	j := journeysOf(t, []hc{
		{"a1", "A", "X", "phone", "D1", 0, 12},
		{"a2", "A", "X", "web", "D2", 7*day + 12, 7*day + 13}, // exactly 7 days after a1's end
		{"b1", "B", "X", "phone", "D1", 0, 12},
		{"b2", "B", "X", "phone", "D1", 7*day + 12 + 1.0/3600, 8 * day}, // a second later
		{"c1", "C", "X", "mail", "D2", 0, 10 * day},                     // long open
		{"c2", "C", "Y", "phone", "D1", 2 * day, 2*day + 1},             // while c1 is open
		end,
	}, Options{})
	if j.Contacts != 6 || j.Unidentified != 1 || j.Customers != 3 || j.OneContact != 0 {
		t.Fatalf("contacts %d, unidentified %d, customers %d, one contact %d; want 6, 1, 3, 0", j.Contacts, j.Unidentified, j.Customers, j.OneContact)
	}
	// Repeated at 7 days: a1 (boundary), c1 (c2 came while open); not b1;
	// a2, b2, c2 have no next contact. All six are observed (day 60 is the end).
	if j.FCR.N != 6 || j.FCR.Repeated != 2 {
		t.Errorf("FCR over %d contacts with %d repeated, want 6 and 2", j.FCR.N, j.FCR.Repeated)
	}
	if j.Same.Repeated != 1 {
		t.Errorf("%d repeated about the same reason, want 1 (a1; c2 is about another reason)", j.Same.Repeated)
	}
	want := []RepeatPair{
		{First: 0, Repeat: 1, Gap: 7 * 86400, SameReason: true, FirstChannel: "phone", Channel: "web"}, // a1 → a2
		{First: 4, Repeat: 5, Gap: -8 * 86400, FirstChannel: "mail", Channel: "phone"},                 // c1 → c2
	}
	if fmt.Sprint(j.Pairs) != fmt.Sprint(want) {
		t.Errorf("pairs %+v, want %+v", j.Pairs, want)
	}
	if j.Between != 2 || j.Switched != 2 || len(j.Switches) != 2 {
		t.Errorf("switches %+v: %d of %d switched, want 2 of 2", j.Switches, j.Switched, j.Between)
	}
	// At 1 day nothing is repeated but c1; at 30 days b1 is too.
	for _, w := range j.Windows {
		rep := map[float64]int{86400: 1, 7 * 86400: 2, 30 * 86400: 3}[w.Window]
		if w.Repeated != rep || w.Censored != 0 {
			t.Errorf("window %vs: %d repeated, %d censored; want %d, 0", w.Window, w.Repeated, w.Censored, rep)
		}
	}
}

// TestCensoring: contacts whose window runs past the log's last event are
// left out of the rate and counted, per window.
func TestCensoring(t *testing.T) {
	j := journeysOf(t, []hc{
		{"a1", "A", "X", "phone", "D1", 0, 1},
		{"b1", "B", "X", "phone", "D1", 50 * day, 50*day + 1}, // 10 days before the end: censored at 30 days only
		{"c1", "C", "X", "phone", "D1", 55 * day, 55*day + 1}, // 5 days before: censored at 7 and 30
		{"c2", "C", "X", "phone", "D1", 56 * day, 56*day + 1}, // repeat of c1, itself censored at 7
		{"d1", "D", "X", "phone", "D1", 53 * day, 53 * day},   // ends exactly 7 days before the end: observed
		end,
	}, Options{})
	got := map[float64][2]int{}
	for _, w := range j.Windows {
		got[w.Window] = [2]int{w.Observed, w.Censored}
	}
	want := map[float64][2]int{86400: {5, 0}, 7 * 86400: {3, 2}, 30 * 86400: {1, 4}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("observed, censored by window %v, want %v", got, want)
	}
	if j.FCR.N != 3 || j.FCR.Repeated != 0 || j.FCR.FCR != 1 {
		t.Errorf("FCR %+v: the repeated c1 is censored, so 3 observed, none repeated", j.FCR)
	}
	if len(j.Pairs) != 1 || !j.Pairs[0].Censored || j.Pairs[0].First != 2 { // c1
		t.Errorf("pairs %+v: want c1 → c2, censored", j.Pairs)
	}
	if j.Customers != 4 || j.OneContact != 3 {
		t.Errorf("%d customers, %d with one contact; want 4, 3", j.Customers, j.OneContact)
	}
}

// TestSameAndAnyReason: the same-reason repeat is the customer's next
// contact about that reason, even after a contact about another one.
func TestSameAndAnyReason(t *testing.T) {
	j := journeysOf(t, []hc{
		{"a1", "A", "X", "phone", "D1", 0, 1},
		{"a2", "A", "Y", "phone", "D1", 1 * day, 1*day + 1},
		{"a3", "A", "X", "phone", "D2", 3 * day, 3*day + 1},
		{"b1", "B", "X", "phone", "D1", 0, 1},
		{"b2", "B", "Y", "phone", "D1", 1 * day, 1*day + 1},
		end,
	}, Options{Chasers: []string{"Y"}})
	// Any reason: a1 (a2), a2 (a3), b1 (b2). Same reason: a1 (a3).
	if j.FCR.Repeated != 3 || j.Same.Repeated != 1 || j.FCR.N != 5 {
		t.Errorf("any %d, same %d repeated of %d; want 3, 1 of 5", j.FCR.Repeated, j.Same.Repeated, j.FCR.N)
	}
	// The worked example of docs/definitions.md: FCR 2 of 5 and 4 of 5,
	// Wilson intervals computed by hand from the formula.
	if math.Abs(j.FCR.Low-0.1176) > 5e-5 || math.Abs(j.FCR.High-0.7693) > 5e-5 ||
		math.Abs(j.Same.Low-0.3755) > 5e-5 || math.Abs(j.Same.High-0.9638) > 5e-5 {
		t.Errorf("FCR %+v, same reason %+v; want 40 %% [0.1176, 0.7693] and 80 %% [0.3755, 0.9638]", j.FCR, j.Same)
	}
	byReason := fmt.Sprint(j.ByReason)
	if want := "[{X {3 2 0.3333333333333333"; byReason[:len(want)] != want {
		t.Errorf("by reason %s, want X first: 3 contacts, 2 repeated", byReason)
	}
	// Failure demand: repeats a2, a3, b2; chasers (Y) a2, b2: 3 of 6 cases
	// (the unidentified "end" counts too).
	fd := j.Failure.Load
	if fd.Contacts != 6 || fd.Repeats != 3 || fd.Chasers != 2 || fd.Failure != 3 || fd.Share != 0.5 {
		t.Errorf("failure demand %+v, want 6 contacts, 3 repeats, 2 chasers, 3 failure, share 0.5", fd)
	}
	if len(j.Failure.ByWeek) != 2 || j.Failure.ByWeek[0].Name != "2024-W10" || j.Failure.ByWeek[0].Failure != 3 {
		t.Errorf("by week %+v, want 2024-W10 with 3 failure contacts, then the end's week", j.Failure.ByWeek)
	}
	// Without a reason column only the any-reason figures remain.
	j = journeysOf(t, []hc{{"a1", "A", "X", "phone", "D1", 0, 1}, {"a2", "A", "X", "phone", "D1", 1, 2}, end}, Options{Reason: "-"})
	if j.Reasons || j.FCR.Repeated != 1 || j.Same.N != 0 || j.Tests != 0 {
		t.Errorf("without reasons: %+v", j)
	}
}

// TestWilson checks the interval against Newcombe's (1998, Statistics in
// Medicine 17:857, table II, method 3) published values.
func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		ok, n     int
		low, high float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		r := Rate{N: tc.n, Repeated: tc.n - tc.ok}.wilson()
		if math.Abs(r.Low-tc.low) > 5e-5 || math.Abs(r.High-tc.high) > 5e-5 || math.Abs(r.FCR-float64(tc.ok)/float64(tc.n)) > 1e-12 {
			t.Errorf("%d of %d: %.4f [%.4f, %.4f], want [%.4f, %.4f]", tc.ok, tc.n, r.FCR, r.Low, r.High, tc.low, tc.high)
		}
	}
	if r := (Rate{}).wilson(); r != (Rate{}) {
		t.Errorf("no contacts: %+v, want zeros", r)
	}
}

// TestSpikeHand: three cases of X every day for nine weeks, and 20 on one
// Wednesday; one of Y a day throughout. The Wednesday is the one spike,
// with baseline 3 and 17 extra cases. Every X case of that day is handed
// from D1 to D2, and one X case on every other day: the week from the
// spike has 20 + 6 handoffs, the weeks before 7 each.
func TestSpikeHand(t *testing.T) {
	var cs []hc
	for d := range 63 {
		n := 3
		if d == 51 {
			n = 20
		}
		for i := range n {
			h := float64(d)*day + 9 + float64(i)/10
			chn := "phone"
			if i%4 == 0 {
				chn = "web"
			}
			dept := "D1"
			if d == 51 || i == 0 {
				dept = "D1>D2"
			}
			cs = append(cs, hc{fmt.Sprint("x", d, "-", i), fmt.Sprint("K", d, "-", i), "X", chn, dept, h, h + 1})
		}
		cs = append(cs, hc{fmt.Sprint("y", d), fmt.Sprint("Y", d), "Y", "web", "D1", float64(d)*day + 10, float64(d)*day + 11})
	}
	j := journeysOf(t, cs, Options{})
	if want := 2 * (63 - 28); j.Tests != want {
		t.Errorf("%d tests, want %d (two reasons, days from the fifth week on)", j.Tests, want)
	}
	if len(j.Spikes) != 1 {
		t.Fatalf("spikes %+v, want one", j.Spikes)
	}
	s := j.Spikes[0]
	if s.Day != "2024-04-24" || s.Reason != "X" || s.Cases != 20 || s.Baseline != 3 || s.Extra != 17 ||
		fmt.Sprint(s.Channels) != "[{phone 15} {web 5}]" {
		t.Errorf("spike %+v, want 2024-04-24, X, 20 cases, baseline 3, 17 extra, 15 phone and 5 web", s)
	}
	if j.FirstDay != "2024-03-04" || len(j.Inflow) != 63 || j.Inflow[51] != 21 || j.Inflow[50] != 4 {
		t.Errorf("inflow from %s over %d days, %d on the spike day and %d the day before; want 2024-03-04, 63, 21, 4",
			j.FirstDay, len(j.Inflow), j.Inflow[min(51, len(j.Inflow)-1)], j.Inflow[min(50, len(j.Inflow)-1)])
	}
	if s.Following != 7 || s.Handoffs != 26 || s.HandoffsBaseline != 7 || s.PingPong != 0 || s.PingPongBaseline != 0 {
		t.Errorf("what followed: %d days, %d handoffs against %v, ping-pong %d against %v; want 7 days, 26 against 7, 0 against 0",
			s.Following, s.Handoffs, s.HandoffsBaseline, s.PingPong, s.PingPongBaseline)
	}
}

// TestJourneysEmpty: a log whose only case has no customer has no
// contacts, no rate (N = 0, so no interval) and no spikes.
func TestJourneysEmpty(t *testing.T) {
	j := journeysOf(t, []hc{end}, Options{})
	if j.Contacts != 0 || j.Unidentified != 1 || j.FCR != (Rate{}) || len(j.Pairs) != 0 || len(j.Spikes) != 0 || len(j.Windows) != 3 {
		t.Errorf("%+v", j)
	}
}
