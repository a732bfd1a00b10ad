package mining_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/realdata"
	"github.com/caseflow/caseflow/mining"
)

// TestWorkingCallsReal checks the work and waiting split of the Anonymous
// Bank's January 1999 call records against the raw file, read with
// encoding/csv and the export's own seconds columns (vru_time, ser_time)
// for the calls caseflow keeps (as TestCallFiguresReal): the VRU and the
// service are work and the queue waiting, so the agent's stays are the
// answered calls with their service times, the queue's are the queued
// calls with no work, the events' durations (work + parallel) are the sum
// of vru_time and ser_time, and each call's span runs from its VRU entry
// to its last stage's end (a time more than 12 h before the entry is on
// the next day).
func TestWorkingCallsReal(t *testing.T) {
	path := realdata.Path(t, "callcentre/anonymous_bank_january_1999.txt")
	res := readCalls(t, memory.NewGoAllocator(), path)
	defer res.Release()
	f, err := mining.Analyze(res.Log, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := f.Working

	raw := readRawCalls(t, path)
	rows, col, num := raw.rows, raw.col, raw.num
	clock := func(row []string, name string) int {
		p := strings.Split(row[col[name]], ":")
		h, _ := strconv.Atoi(p[0])
		m, _ := strconv.Atoi(p[1])
		s, _ := strconv.Atoi(p[2])
		return h*3600 + m*60 + s
	}
	var kept, queued int
	var durations, span int64
	var services []int64
	for _, row := range rows[1:] {
		served, q := row[col["ser_start"]] != "0:00:00", row[col["q_start"]] != "0:00:00"
		out := row[col["outcome"]]
		if out == "PHANTOM" || num(row, "vru_time") < 0 || num(row, "q_time") < 0 || num(row, "ser_time") < 0 ||
			out == "AGENT" && !served || out == "HANG" && served {
			continue
		}
		kept++
		durations += int64(num(row, "vru_time") + num(row, "ser_time"))
		entry, last := clock(row, "vru_entry"), 0
		for _, c := range []string{"vru_exit", "q_exit", "ser_exit"} {
			if row[col[c]] == "0:00:00" {
				continue
			}
			at := clock(row, c)
			if at < entry-12*3600 {
				at += 86400
			}
			last = max(last, at)
		}
		span += int64(last - entry)
		if q {
			queued++
		}
		if served {
			services = append(services, int64(num(row, "ser_time")))
		}
	}
	slices.Sort(services)
	t.Logf("%d calls, %d queued, %d served; spans %d s, VRU and service %d s", kept, queued, len(services), span, durations)

	if w == nil || w.Cases != kept || w.Queued != queued {
		t.Fatalf("working %+v; want %d cases, %d queue stages", w, kept, queued)
	}
	if w.Span != float64(span) {
		t.Errorf("span %v s, by hand %d s", w.Span, span)
	}
	if got := w.Work + w.Parallel; got != float64(durations) {
		t.Errorf("work %v + parallel %v = %v s, by hand %d s", w.Work, w.Parallel, got, durations)
	}
	units := map[string]mining.WorkUnit{}
	for _, u := range w.Units {
		units[u.Unit] = u
	}
	var total int64
	for _, s := range services {
		total += s
	}
	median := float64(services[len(services)/2])
	if len(services)%2 == 0 {
		median = float64(services[len(services)/2-1]+services[len(services)/2]) / 2
	}
	if a := units["agent"]; a.Stays != len(services) || a.Work != float64(total) || a.MedianWork != median {
		t.Errorf("agent: %d stays, work %v s, median %v s; by hand %d, %d s, %v s", a.Stays, a.Work, a.MedianWork, len(services), total, median)
	}
	if q := units["queue"]; q.Stays != queued || q.Work != 0 || q.Efficiency != 0 {
		t.Errorf("queue: %+v; want %d stays and no work", q, queued)
	}
}
