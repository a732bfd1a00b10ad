package ingest

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/realdata"
)

// TestCallsSmall reads testdata/calls_small.txt, thirteen call records
// with one of each quirk, against events and rejects worked out by hand.
func TestCallsSmall(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{"testdata/calls_small.txt"}, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	in := res.Inputs[0]
	if in.Shape != ShapeCalls || in.Delimiter != "tab" {
		t.Errorf("shape %q, delimiter %q; want calls, tab", in.Shape, in.Delimiter)
	}
	// 13 rows = 7 calls + 4 rejects + 1 PHANTOM + 1 redelivered row.
	if res.Rows != 13 || res.Rejected != 4 || res.Log.Cases() != 7 {
		t.Errorf("rows %d, rejected %d, calls %d; want 13, 4, 7", res.Rows, res.Rejected, res.Log.Cases())
	}
	wantEx := []Exclusion{{Reason: "PHANTOM calls (virtual calls the export's documentation says to ignore)", Rows: 1},
		{Reason: "redelivered duplicates (a row equal to an earlier row with the same call key)", Rows: 1}}
	if !slices.Equal(in.Excluded, wantEx) {
		t.Errorf("excluded %v; want %v", in.Excluded, wantEx)
	}
	if n := "13 rows = 7 calls + 4 rejected + 1 PHANTOM calls"; len(in.Notes) == 0 || !strings.Contains(in.Notes[0], n) {
		t.Errorf("notes %q; want the first to say %q", in.Notes, n)
	}
	want := []string{
		"testdata/calls_small.txt:9:8: vru_exit 12:00:10 is before vru_entry 12:00:30",
		"testdata/calls_small.txt:11:14: the outcome is AGENT (answered) but ser_start is 0:00:00",
		"testdata/calls_small.txt:12:13: the outcome is HANG (hung up) but a service stage is recorded",
		"testdata/calls_small.txt:13:2: call AA0101 1 is already on line 2 with other values",
	}
	if len(res.Rejects) != len(want) {
		t.Fatalf("%d rejects; want %d", len(res.Rejects), len(want))
	}
	for i, r := range res.Rejects {
		if !strings.HasPrefix(r.String(), want[i]) {
			t.Errorf("reject %q; want it to start %q", r.String(), want[i])
		}
	}

	// Each stage that happened is one event from its start to its end;
	// the service of line 6 and the VRU of line 7 pass midnight.
	type ev struct{ call, act, start, end, dept, agent, typ, customer string }
	var evs []ev
	l := res.Log
	cases, acts, depts, ress := l.Codes(eventlog.Case), l.Codes(eventlog.Activity), l.Codes(eventlog.Department), l.Codes(eventlog.Resource)
	types, custs := l.Codes(eventlog.CallType), l.Codes(eventlog.CallCustomer)
	name := func(c eventlog.Codes, i int) string {
		if c.Index[i] < 0 {
			return ""
		}
		return c.Names[c.Index[i]]
	}
	clock := func(us int64) string { return time.UnixMicro(us).UTC().Format("02 15:04:05") }
	for i := range l.Len() {
		evs = append(evs, ev{strings.ReplaceAll(name(cases, i), keySep, " "), name(acts, i), clock(l.Starts()[i]), clock(l.Times()[i]),
			name(depts, i), name(ress, i), name(types, i), name(custs, i)})
	}
	wantEv := []ev{
		{"AA0101 1", "VRU", "05 10:00:00", "05 10:00:10", "VRU", "", "PS", "11111"},
		{"AA0101 1", "queue, answered", "05 10:00:10", "05 10:00:25", "queue", "", "PS", "11111"},
		{"AA0101 1", "service", "05 10:00:24", "05 10:05:24", "agent", "ANNA", "PS", "11111"},
		{"AA0101 2", "VRU", "05 10:10:00", "05 10:10:05", "VRU", "", "PS", ""},
		{"AA0101 2", "service", "05 10:10:04", "05 10:12:04", "agent", "BEN", "PS", ""},
		{"AA0101 3", "VRU", "05 10:20:00", "05 10:20:06", "VRU", "", "PS", "11111"},
		{"AA0101 3", "queue, abandoned", "05 10:20:06", "05 10:21:06", "queue", "", "PS", "11111"},
		{"AA0101 4", "VRU", "05 11:00:00", "05 11:00:08", "VRU", "", "NW", "22222"},
		{"AA0102 1", "VRU", "05 23:58:00", "05 23:58:10", "VRU", "", "NW", "33333"},
		{"AA0102 1", "queue, answered", "05 23:58:10", "05 23:59:50", "queue", "", "NW", "33333"},
		{"AA0102 1", "service", "05 23:59:50", "06 00:04:50", "agent", "CARL", "NW", "33333"},
		{"AA0102 2", "VRU", "05 23:59:55", "06 00:00:05", "VRU", "", "NW", ""},
		{"AA0102 2", "queue, abandoned", "06 00:00:05", "06 00:00:35", "queue", "", "NW", ""},
		{"AA0103 1", "VRU", "06 07:00:00", "06 07:00:05", "VRU", "", "PE", "88888"},
		{"AA0103 1", "queue, answered", "06 07:00:05", "06 07:00:50", "queue", "", "PE", "88888"},
		{"AA0103 1", "service", "06 07:00:50", "06 07:01:50", "agent", "", "PE", "88888"},
	}
	if !slices.Equal(evs, wantEv) {
		t.Errorf("events\n%v\nwant\n%v", evs, wantEv)
	}
}

// TestCallsShape: the header alone makes a file call records; --shape
// events, or a role named, reads it one row per event as before; --shape
// calls on a file without the stage columns says which are missing.
func TestCallsShape(t *testing.T) {
	data, err := os.ReadFile("testdata/calls_small.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		text  string
		opt   Options
		shape string
		err   string
	}{
		{"detected", string(data), Options{}, ShapeCalls, ""},
		{"forced events", string(data), Options{Shape: ShapeEvents, Mapping: Mapping{Case: []string{"vru+line", "call_id"}, Time: []string{"date", "vru_entry"}, Activity: []string{"outcome"}}, TimeFormat: "%y%m%d"}, "", ""},
		{"role named", string(data), Options{Mapping: Mapping{Case: []string{"vru+line", "call_id"}, Time: []string{"date", "vru_entry"}, Activity: []string{"outcome"}}, TimeFormat: "%y%m%d"}, "", ""},
		{"roles with calls", string(data), Options{Shape: ShapeCalls, Mapping: Mapping{Case: []string{"call_id"}}}, "", "<stdin>:1:1: call records are read by their column names"},
		{"missing columns", "case,time,activity\n1,2024-01-01,A\n", Options{Shape: ShapeCalls}, "", "this header lacks vru+line, call_id, date, vru_entry"},
		{"unknown shape", "case,time,activity\n1,2024-01-01,A\n", Options{Shape: "rows"}, "", `unknown shape "rows"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, tc.text, tc.opt)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Inputs[0].Shape != tc.shape {
				t.Errorf("shape %q; want %q", res.Inputs[0].Shape, tc.shape)
			}
		})
	}
}

// TestCallsBadRows: rows that cannot be stages are rejects at the column
// at fault, and reading goes on.
func TestCallsBadRows(t *testing.T) {
	const head = "vru+line\tcall_id\tdate\tvru_entry\tvru_exit\tq_start\tq_exit\tser_start\tser_exit\toutcome\n"
	for _, tc := range []struct{ name, row, want string }{
		{"bad date", "A\t1\t99-01-01\t1:00:00\t1:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG", `<stdin>:2:3: date "99-01-01": not a date`},
		{"bad clock", "A\t1\t990101\t1:00\t1:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG", `<stdin>:2:4: vru_entry "1:00": not H:MM:SS`},
		{"no VRU", "A\t1\t990101\t0:00:00\t1:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG", "<stdin>:2:4: vru_entry is 0:00:00"},
		{"end without start", "A\t1\t990101\t1:00:00\t1:00:05\t0:00:00\t1:00:30\t0:00:00\t0:00:00\tHANG", "<stdin>:2:7: q_exit is 1:00:30 but q_start is 0:00:00"},
		{"empty key", "A\t\t990101\t1:00:00\t1:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG", "<stdin>:2:2: the call_id is empty"},
		{"short row", "A\t1\t990101", "<stdin>:2:4: the row has 3 fields and the header 10"},
		{"unknown outcome", "A\t1\t990101\t1:00:00\t1:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tBUSY", `<stdin>:2:10: unknown outcome "BUSY"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ok := "B\t1\t990101\t2:00:00\t2:00:05\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG\n"
			res, err := readString(t, mem, head+tc.row+"\n"+ok, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rows != 2 || res.Rejected != 1 || res.Log.Cases() != 1 {
				t.Fatalf("rows %d, rejected %d, calls %d; want 2, 1, 1", res.Rows, res.Rejected, res.Log.Cases())
			}
			if got := res.Rejects[0].String(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("reject %q; want it to start %q", got, tc.want)
			}
		})
	}
}

// BenchmarkReadCalls reads the shared January 1999 call records (31,599
// rows).
func BenchmarkReadCalls(b *testing.B) {
	path := realdata.Path(b, "callcentre/anonymous_bank_january_1999.txt")
	for b.Loop() {
		res, err := Read([]string{path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}
