package mining_test

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
	"github.com/caseflow/caseflow/mining"
)

// readCalls reads call records with the calls shape detected.
func readCalls(t *testing.T, mem memory.Allocator, path string) *ingest.Result {
	t.Helper()
	res, err := ingest.Read([]string{path}, ingest.Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Shape != ingest.ShapeCalls {
		res.Release()
		t.Fatalf("%s not read as call records", path)
	}
	return res
}

// TestCallFiguresSmall: the seven calls ingest keeps of its hand-made
// file, with waits 15, 30, 45, 60 and 100 s (two abandoned: 60 and 30),
// one call answered without queueing, one that ended in the VRU, and
// services of 300, 120, 300 and 60 s; figures worked out by hand.
func TestCallFiguresSmall(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res := readCalls(t, mem, "../ingest/testdata/calls_small.txt")
	defer res.Release()
	f := mining.CallFigures(res.Log, time.UTC)
	if f == nil {
		t.Fatal("no call figures")
	}
	want := mining.CallGroup{Calls: 7, InVRU: 1, Offered: 6, Answered: 4, Abandoned: 2,
		AbandonedShare: 2.0 / 6, AbandonMedian: 45,
		Queued: 5, WaitMedian: 45, WaitP90: 60 + 0.6*40, // h = 4·0.9 = 3.6 between 60 and 100
		ServiceLevel: 2.0 / 6, // 15 s in queue, and answered without queueing
		HandleMedian: 210, HandleMean: 195}
	if f.All != want {
		t.Errorf("all calls\n%+v\nwant\n%+v", f.All, want)
	}
	if f.Threshold != 20 {
		t.Errorf("threshold %v; want 20", f.Threshold)
	}
	var types, hours []string
	for _, g := range f.ByType {
		types = append(types, g.Name+":"+strconv.Itoa(g.Offered)+"/"+strconv.Itoa(g.Calls))
	}
	for _, g := range f.ByHour {
		hours = append(hours, g.Name+":"+strconv.Itoa(g.Calls))
	}
	if w := []string{"PS:3/3", "NW:2/3", "PE:1/1"}; !slices.Equal(types, w) {
		t.Errorf("by type %v; want %v", types, w)
	}
	if w := []string{"07:1", "10:3", "11:1", "23:2"}; !slices.Equal(hours, w) {
		t.Errorf("by hour %v; want %v", hours, w)
	}
	// In Jerusalem's winter time (UTC+2) each call arrived two hours later.
	jer := time.FixedZone("IST", 2*3600)
	hours = hours[:0]
	for _, g := range mining.CallFigures(res.Log, jer).ByHour {
		hours = append(hours, g.Name+":"+strconv.Itoa(g.Calls))
	}
	if w := []string{"01:2", "09:1", "12:3", "13:1"}; !slices.Equal(hours, w) {
		t.Errorf("by hour at UTC+2 %v; want %v", hours, w)
	}
}

// TestCallFiguresOtherLogs: a log that is not call records has none.
func TestCallFiguresOtherLogs(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for name, b := range map[string]func(*eventlog.Builder){
		"no start times": func(b *eventlog.Builder) {
			b.Add(&eventlog.Event{Case: []byte("1"), Activity: []byte(eventlog.CallVRU), Time: 5, Start: eventlog.NoTime})
		},
		"another activity": func(b *eventlog.Builder) {
			b.Add(&eventlog.Event{Case: []byte("1"), Activity: []byte(eventlog.CallVRU), Time: 5, Start: 1})
			b.Add(&eventlog.Event{Case: []byte("1"), Activity: []byte("Closed"), Time: 6, Start: 6})
		},
		"empty": func(*eventlog.Builder) {},
	} {
		bl := eventlog.NewBuilder()
		b(bl)
		l, err := bl.Finish(mem)
		if err != nil {
			t.Fatal(err)
		}
		if f := mining.CallFigures(l, nil); f != nil {
			t.Errorf("%s: call figures %+v; want nil", name, f)
		}
		l.Release()
	}
}

// TestCallFiguresReal checks the Anonymous Bank's January 1999 call
// records (see ../shared/data/README.md) against a count by hand over the
// raw file with encoding/csv, using the export's own seconds columns
// (q_time, ser_time) rather than the stage times caseflow reads: PHANTOM
// rows are left out; a row with a negative stage time, an AGENT outcome
// without a service start or a HANG outcome with one is rejected; of the
// rest, a call is offered when it has a queue or a service start, answered
// with a service start, abandoned when HANG after queueing.
func TestCallFiguresReal(t *testing.T) {
	path := realdata.Path(t, "callcentre/anonymous_bank_january_1999.txt")
	res := readCalls(t, memory.NewGoAllocator(), path)
	defer res.Release()
	f := mining.CallFigures(res.Log, time.UTC)

	raw := readRawCalls(t, path)
	rows, col, num := raw.rows, raw.col, raw.num
	var phantom, rejected, kept, offered, answered, abandoned, within int
	var waits []int
	for _, row := range rows[1:] {
		served, queued := row[col["ser_start"]] != "0:00:00", row[col["q_start"]] != "0:00:00"
		out := row[col["outcome"]]
		switch {
		case out == "PHANTOM":
			phantom++
			continue
		case num(row, "vru_time") < 0 || num(row, "q_time") < 0 || num(row, "ser_time") < 0,
			out == "AGENT" && !served, out == "HANG" && served:
			rejected++
			continue
		}
		kept++
		if queued {
			waits = append(waits, num(row, "q_time"))
		}
		if served || queued {
			offered++
		}
		if served {
			answered++
			if !queued || num(row, "q_time") <= 20 {
				within++
			}
		}
		if out == "HANG" && queued {
			abandoned++
		}
	}
	slices.Sort(waits)
	// The median of an even count is the mean of the middle two.
	median := float64(waits[len(waits)/2])
	if len(waits)%2 == 0 {
		median = float64(waits[len(waits)/2-1]+waits[len(waits)/2]) / 2
	}
	t.Logf("rows %d: kept %d, rejected %d, PHANTOM %d; offered %d, answered %d, abandoned %d; median wait %v s of %d queued; %d answered within 20 s (%.4f)",
		len(rows)-1, kept, rejected, phantom, offered, answered, abandoned, median, len(waits), within, float64(within)/float64(offered))

	var excluded int64
	for _, e := range res.Inputs[0].Excluded {
		excluded += e.Rows
	}
	if n := int64(res.Log.Cases()) + res.Rejected + excluded; n != 31599 || res.Rows != 31599 {
		t.Errorf("calls %d + rejected %d + excluded %d = %d of %d rows; want all 31,599", res.Log.Cases(), res.Rejected, excluded, n, res.Rows)
	}
	if res.Log.Cases() != kept || int(res.Rejected) != rejected || int(excluded) != phantom {
		t.Errorf("kept %d, rejected %d, excluded %d; by hand %d, %d, %d", res.Log.Cases(), res.Rejected, excluded, kept, rejected, phantom)
	}
	a := f.All
	if a.Offered != offered || a.Answered != answered || a.Abandoned != abandoned || a.Queued != len(waits) {
		t.Errorf("offered %d, answered %d, abandoned %d, queued %d; by hand %d, %d, %d, %d",
			a.Offered, a.Answered, a.Abandoned, a.Queued, offered, answered, abandoned, len(waits))
	}
	if a.WaitMedian != median {
		t.Errorf("median wait %v s; by hand %v s", a.WaitMedian, median)
	}
	if sl := float64(within) / float64(offered); math.Abs(a.ServiceLevel-sl) > 1e-12 {
		t.Errorf("service level %v; by hand %v", a.ServiceLevel, sl)
	}
}
