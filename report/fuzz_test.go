package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// fuzzEvents decodes b into at most 64 events, four bytes each: case (of
// 5), activity (of 4), minute after 08:00 (equal minutes make bursts) and
// department (of 4, or none).
func fuzzEvents(b []byte) []handlog.Event {
	var evs []handlog.Event
	for i := 0; i+4 <= len(b) && len(evs) < 64; i += 4 {
		dept := ""
		if d := b[i+3] % 5; d < 4 {
			dept = fmt.Sprint("D", d)
		}
		m := int(b[i+2])
		evs = append(evs, handlog.Event{fmt.Sprint("c", b[i]%5), fmt.Sprint("A", b[i+1]%4),
			fmt.Sprintf("%02d:%02d", 8+m/60, m%60), dept, "R"})
	}
	return evs
}

// fuzzStays is the independent reading of the stays of each case, in
// first-appearance order: events ordered by time, ties in input order,
// consecutive events of one department merged, events without one skipped.
func fuzzStays(evs []handlog.Event) (order []string, stays map[string][]string) {
	byCase := map[string][]handlog.Event{}
	for _, e := range evs {
		if _, ok := byCase[e[0]]; !ok {
			order = append(order, e[0])
		}
		byCase[e[0]] = append(byCase[e[0]], e)
	}
	stays = map[string][]string{}
	for c, es := range byCase {
		slices.SortStableFunc(es, func(x, y handlog.Event) int { return strings.Compare(x[2], y[2]) })
		var st []string
		for _, e := range es {
			if e[3] != "" && (len(st) == 0 || st[len(st)-1] != e[3]) {
				st = append(st, e[3])
			}
		}
		stays[c] = st
	}
	return order, stays
}

// FuzzAnalyze runs mining and the JSON and text writers on arbitrary small
// logs: handoffs equal Σ(stays − 1) and direct returns split into ping-pong
// and closing returns as an independent walk over the events counts them,
// and no output holds NaN or an infinity.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 0, 1, 5, 1, 0, 2, 9, 0, 1, 0, 0, 0, 1, 1, 0, 1})
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 3, 0, 4}) // a burst in one minute
	f.Fuzz(func(t *testing.T, b []byte) {
		evs := fuzzEvents(b)
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		l := handlog.Build(t, mem, "fuzz.csv", evs)
		defer l.Release()
		fd, err := mining.Analyze(l, mining.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		order, stays := fuzzStays(evs)
		handoffs, pingpong, closing := 0, 0, 0
		for i, c := range order {
			st := stays[c]
			h, p, cl := max(len(st)-1, 0), 0, 0
			for j := 2; j < len(st); j++ {
				if st[j] == st[j-2] {
					if j == len(st)-1 && st[j] == st[0] {
						cl++
					} else {
						p++
					}
				}
			}
			handoffs, pingpong, closing = handoffs+h, pingpong+p, closing+cl
			if got := fd.Cases[i]; fd.CaseID(i) != c || int(got.Handoffs) != h || int(got.PingPong) != p || got.Closing != (cl > 0) {
				t.Errorf("case %s (stays %v): got id %s, %d handoffs, %d ping-pong, closing %v; want %d, %d, %v",
					c, st, fd.CaseID(i), got.Handoffs, got.PingPong, got.Closing, h, p, cl > 0)
			}
		}
		if fd.Flows.Handoffs != handoffs || fd.PingPong.Occurrences != pingpong || fd.PingPong.Closing != closing {
			t.Errorf("handoffs %d, ping-pong %d, closing %d; want %d, %d, %d",
				fd.Flows.Handoffs, fd.PingPong.Occurrences, fd.PingPong.Closing, handoffs, pingpong, closing)
		}
		r, err := New(fd, Input{Events: len(evs), Rows: int64(len(evs))}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var js, text bytes.Buffer
		if err := r.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteText(&text, Style{}); err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatalf("JSON does not parse: %v", err)
		}
		for name, out := range map[string]string{"JSON": js.String(), "text": text.String()} {
			for _, bad := range []string{"NaN", "Inf", "∞"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s report holds %q", name, bad)
				}
			}
		}
	})
}
