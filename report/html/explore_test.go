package html

import (
	"reflect"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// The explorer's data for the planted ping-pong log, counted by hand: all
// four cases start and end on one day; p1 and p2 bounce Front → Back →
// Front and follow the one variant of two cases (lead times 3 h and 2 h:
// median 2.5 h); the slowest are p4 (4 h), p1, p2, p3; p1's events are an
// hour apart.
func TestExploreData(t *testing.T) {
	l, opt := handLog(pingPongLog, mining.Options{MinSupport: 2})(t)
	f := analyzeLog(t, l, opt)
	x := english.exploreData(f, l, func(s string) string { return "u:" + s }, nil)
	if x.Cases != 4 || x.Days != 1 || x.Bin != 1 || x.Step != 1 || !reflect.DeepEqual(x.Started, []int{4}) || !reflect.DeepEqual(x.Open, []int{4}) {
		t.Errorf("cases %d, days %d (bin %d), step %d, started %v, open %v; want 4, 1 (1), 1, [4], [4]", x.Cases, x.Days, x.Bin, x.Step, x.Started, x.Open)
	}
	if got := len(x.Rows.Start); got != 4 {
		t.Errorf("%d rows, want 4", got)
	}
	ids := func(ks []int) []string {
		var out []string
		for _, k := range ks {
			out = append(out, x.Traces[k].ID)
		}
		return out
	}
	if got := ids(x.Slowest); !reflect.DeepEqual(got, []string{"p4", "p1", "p2", "p3"}) {
		t.Errorf("slowest %v", got)
	}
	if len(x.Pairs) != 1 || x.Pairs[0].A != "u:Back" || x.Pairs[0].B != "u:Front" || !reflect.DeepEqual(ids(x.Pairs[0].Traces), []string{"p1", "p2"}) {
		t.Errorf("pairs %+v, want u:Back ⇄ u:Front with p1 and p2", x.Pairs)
	}
	v := x.Variants[0]
	if v.Count != 2 || v.Median != "2.5 h" || len(v.Steps) != 4 || x.Acts[v.Steps[2]] != "Reply" {
		t.Errorf("top variant %+v (activities %v), want 2 cases, 2.5 h, Open Check Reply File", v, x.Acts)
	}
	if p := x.Paths[0]; p.Count != 2 || x.Units[p.Steps[1]] != "u:Back" {
		t.Errorf("top path %+v (units %v), want 2 cases through u:Back", p, x.Units)
	}
	for _, tr := range x.Traces {
		if tr.ID == "p1" && !reflect.DeepEqual(tr.T, []int64{0, 3600, 7200, 10800}) {
			t.Errorf("p1's events at %v s, want an hour apart", tr.T)
		}
	}
}
