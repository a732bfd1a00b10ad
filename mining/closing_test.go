package mining

import (
	"fmt"
	"testing"
)

// A closing return is direct ping-pong u, v, u whose return to u is the
// case's last stay, u being its first unit; it is counted apart, at the
// level analysed, and the other returns stay ping-pong.
func TestClosingReturns(t *testing.T) {
	for _, c := range []struct {
		path              string // one event per letter, a minute apart; '-' has no unit
		pingpong, closing int
	}{
		{"FBF", 0, 1},    // the designed round trip
		{"FBFB", 2, 0},   // ends in B, not its first unit
		{"FBFBF", 2, 1},  // two bounces, then closed
		{"FBCF", 0, 0},   // back to F, but not directly: a revisit only
		{"BFB", 0, 1},    // the first unit is B
		{"XFBF", 1, 0},   // back to F, which is not the first unit
		{"FBF-", 0, 1},   // an event without a unit makes no stay
		{"FFBBFF", 0, 1}, // stays, not events
		{"F", 0, 0},
	} {
		t.Run(c.path, func(t *testing.T) {
			for _, at := range []struct {
				level Level
				col   int // of handlog.Event
			}{{Department, 3}, {Resource, 4}} {
				level, col := at.level, at.col
				var evs []ev
				for i, u := range c.path {
					e := ev{"a", "x", fmt.Sprintf("09:%02d", i), "", ""}
					if u != '-' {
						e[col] = string(u)
					}
					evs = append(evs, e)
				}
				f := analyze(t, evs, Options{Level: level})
				pp, k := f.PingPong, f.Cases[0]
				if pp.Occurrences != c.pingpong || int(k.PingPong) != c.pingpong || pp.Closing != c.closing || k.Closing != (c.closing == 1) {
					t.Errorf("%s: ping-pong %d (case %d), closing %d (case %v); want %d, %d",
						level, pp.Occurrences, k.PingPong, pp.Closing, k.Closing, c.pingpong, c.closing)
				}
				n := 0
				for _, p := range pp.Pairs {
					n += p.Occurrences
				}
				if n != c.pingpong {
					t.Errorf("%s: pairs %+v, want %d occurrences", level, pp.Pairs, c.pingpong)
				}
				if pp.Cases != min(c.pingpong, 1) {
					t.Errorf("%s: %d ping-pong cases", level, pp.Cases)
				}
			}
		})
	}
}
