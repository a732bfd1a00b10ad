package mining

import (
	"fmt"
	"strings"
	"testing"
)

// In a joined calls + tickets log a case starts in the telephony waiting
// stages (VRU, queue: the reader's department names), so its front office, the unit a closing return goes
// back to, is the first unit after them. Counted by hand, stay by stay;
// the first unit rule (before the fix) made a and c ping-pong, d two
// ping-pongs, e a closing return and h three ping-pongs.
func TestClosingReturnFrontOffice(t *testing.T) {
	cases := []struct {
		id, path          string // units, one event a minute apart
		pingpong, closing int
	}{
		{"a", "VRU queue KCC Taxes KCC", 0, 1},           // a call, then its ticket closed by KCC
		{"b", "VRU queue agent KCC Taxes KCC", 1, 0},     // the service stage in its own unit: agent is the front office
		{"c", "VRU KCC Taxes KCC", 0, 1},                 // answered without queueing
		{"d", "VRU queue KCC queue KCC", 1, 1},           // a chained transfer: queue, KCC, queue bounces, and the return to KCC closes
		{"e", "VRU queue VRU", 1, 0},                     // no front office before the return
		{"f", "KCC Taxes KCC", 0, 1},                     // a ticket alone: its first unit
		{"g", "VRU queue KCC Taxes KCC Taxes", 2, 0},     // ends in Taxes
		{"h", "VRU queue KCC Taxes KCC Taxes KCC", 2, 1}, // two bounces, then closed
	}
	var evs []ev
	for _, c := range cases {
		for i, u := range strings.Fields(c.path) {
			evs = append(evs, ev{c.id, "x", fmt.Sprintf("09:%02d", i), u, ""})
		}
	}
	f := analyze(t, evs, Options{Level: Department})
	pingpong, closing := 0, 0
	for i, c := range cases {
		k := f.Cases[i]
		if id := f.CaseID(i); id != c.id || int(k.PingPong) != c.pingpong || k.Closing != (c.closing == 1) {
			t.Errorf("case %s (%s): ping-pong %d, closing %v; want %d, %v", id, c.path, k.PingPong, k.Closing, c.pingpong, c.closing == 1)
		}
		pingpong += c.pingpong
		closing += c.closing
	}
	pp := f.PingPong
	if pp.Occurrences != pingpong || pp.Closing != closing || pp.Cases != 5 {
		t.Errorf("ping-pong %d in %d cases, closing %d; want %d in 5, %d", pp.Occurrences, pp.Cases, pp.Closing, pingpong, closing)
	}
	// The pairs' lead times come from the paths (pairCosts), which must
	// tell closing returns the same way: KCC–Taxes bounces in b, g and h
	// (5 times), KCC–queue in d, VRU–queue in e; agent–KCC never returns
	// directly.
	want := map[[2]string][2]int{{"KCC", "Taxes"}: {5, 3}, {"KCC", "queue"}: {1, 1}, {"VRU", "queue"}: {1, 1}}
	if len(pp.Pairs) != len(want) {
		t.Errorf("pairs %+v; want %v", pp.Pairs, want)
	}
	for _, p := range pp.Pairs {
		w := want[[2]string{p.A, p.B}]
		if p.Occurrences != w[0] || p.Cases != w[1] || p.LeadCases != w[1] {
			t.Errorf("pair %s–%s: %d times in %d cases, %d lead times; want %d in %d, %d", p.A, p.B, p.Occurrences, p.Cases, p.LeadCases, w[0], w[1], w[1])
		}
	}
}
