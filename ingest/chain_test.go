package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// callHead is the header of the hand-made call records below: the shared
// file's columns, Amazon Connect's chain columns and a ticket number.
const callHead = "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server,InitialContactId,Previous Contact Id,ticket\n"

// TestCallChain: transfers chained by InitialContactId or
// PreviousContactId are one case whose stays show each transfer; a
// redelivered row is counted and dropped. Worked out by hand:
//
//	line 2: call 1, the first contact: case 1.
//	line 3: call 2, transferred from 1 (both columns say 1), no VRU: case 1.
//	line 4: call 3, transferred from 2, InitialContactId 1: case 1.
//	line 5: line 4 again: a redelivered duplicate.
//	line 6: call 4, abandoned, no chain: case 4.
//	line 7: call 5, only PreviousContactId 4 (read before): case 4.
//	line 8: call 6, InitialContactId 99, not in the file: case 99.
//	line 9: call 7, no chain and no VRU: rejected, only transfers skip it.
//
// Calls 2, 3, 5 and 6 join an earlier contact's case (6 one not in the
// file). Case 1: VRU, queue, agent (ANNA), queue, agent (BEN), queue, agent
// (CAROL): 6 handoffs. Case 4: VRU, queue (abandoned), VRU, queue, agent.
func TestCallChain(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	text := callHead +
		"A1,1,111,1,PS,990105,10:00:00,10:00:10,10,10:00:10,10:00:30,20,AGENT,10:00:30,10:05:00,270,ANNA,,,T1\n" +
		"A1,2,111,1,PS,990105,0:00:00,0:00:00,0,10:05:00,10:06:00,60,AGENT,10:06:00,10:10:00,240,BEN,1,1,T1\n" +
		"A1,3,111,1,PS,990105,0:00:00,0:00:00,0,10:10:00,10:10:40,40,AGENT,10:10:40,10:12:00,80,CAROL,1,2,\n" +
		"A1,3,111,1,PS,990105,0:00:00,0:00:00,0,10:10:00,10:10:40,40,AGENT,10:10:40,10:12:00,80,CAROL,1,2,\n" +
		"A2,4,222,1,NE,990105,11:00:00,11:00:05,5,11:00:05,11:01:00,55,HANG,0:00:00,0:00:00,0,NO_SERVER,,,\n" +
		"A2,5,222,1,NE,990105,11:30:00,11:30:05,5,11:30:05,11:31:00,55,AGENT,11:31:00,11:33:00,120,DAN,,4,T2\n" +
		"A2,6,333,1,NE,990105,12:00:00,12:00:05,5,12:00:05,12:01:00,55,AGENT,12:01:00,12:03:00,120,ERIC,99,,\n" +
		"A2,7,333,1,NE,990105,0:00:00,0:00:00,0,12:00:05,12:01:00,55,AGENT,12:01:00,12:03:00,120,ERIC,,,\n"
	res, err := readString(t, mem, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	in := res.Inputs[0]
	if in.Shape != ShapeCalls || res.Rows != 8 || res.Rejected != 1 || Excluded(res.Inputs) != 1 {
		t.Errorf("shape %q, rows %d, rejected %d, excluded %d; want calls, 8, 1, 1", in.Shape, res.Rows, res.Rejected, Excluded(res.Inputs))
	}
	if got, want := rejectLines(res.Rejects), []string{"<stdin>:9:7: vru_entry is 0:00:00"}; len(got) != 1 || !strings.HasPrefix(got[0], want[0]) {
		t.Errorf("rejects %q; want one starting %q", got, want[0])
	}
	notesContain(t, in, `transfers chained by "InitialContactId" and "Previous Contact Id"`)
	notesContain(t, in, "4 of 6 calls joined an earlier contact's case")
	want := map[string][]string{
		"1":  {"VRU", "queue", "agent", "queue", "agent", "queue", "agent"},
		"4":  {"VRU", "queue", "VRU", "queue", "agent"},
		"99": {"VRU", "queue", "agent"},
	}
	got := stays(res.Log)
	if len(got) != len(want) {
		t.Errorf("cases %v; want %v", got, want)
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("case %s: stays %v; want %v", id, got[id], w)
		}
	}
	// The agents of case 1 in order, and the ticket column kept as an
	// attribute (empty on the third call).
	var agents, tickets []string
	l := res.Log
	off := l.Offsets()
	for i := off[0]; i < off[1]; i++ {
		if a := cell(l, eventlog.Resource, i); a != "" {
			agents = append(agents, a)
			tickets = append(tickets, cell(l, "ticket", i))
		}
	}
	if !slices.Equal(agents, []string{"ANNA", "BEN", "CAROL"}) || !slices.Equal(tickets, []string{"T1", "T1", ""}) {
		t.Errorf("case %s: agents %v, tickets %v; want ANNA BEN CAROL, T1 T1 and none", cell(l, eventlog.Case, 0), agents, tickets)
	}
}
