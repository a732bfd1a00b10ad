package ingest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
)

// joinTickets is a ticket log of three tickets; T1 and T3 are customer
// 111's, T2 customer 222's.
const joinTickets = "ticket,activity,team,timestamp,customer\n" +
	"T1,Created,KCC,1999-01-05T10:15:00Z,111\n" +
	"T1,Assessed,Taxes,1999-01-05T11:00:00Z,111\n" +
	"T1,Closed,KCC,1999-01-05T12:00:00Z,111\n" +
	"T2,Created,KCC,1999-01-06T09:00:00Z,222\n" +
	"T2,Closed,KCC,1999-01-06T10:00:00Z,222\n" +
	"T3,Created,KCC,1999-01-07T09:00:00Z,111\n"

// joinCalls are four calls: 1 and 4 logged against T1 (the second a call
// back), 2 abandoned without a ticket, 3 against a ticket not in the log.
const joinCalls = "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server,ticket\n" +
	"A1,1,111,1,PS,990105,10:00:00,10:00:10,10,10:00:10,10:00:30,20,AGENT,10:00:30,10:05:00,270,ANNA,T1\n" +
	"A1,2,222,1,PS,990105,10:20:00,10:20:10,10,10:20:10,10:21:00,50,HANG,0:00:00,0:00:00,0,NO_SERVER,\n" +
	"A1,3,333,1,PS,990105,10:30:00,10:30:10,10,10:30:10,10:30:30,20,AGENT,10:30:30,10:35:00,270,BEN,T9\n" +
	"A1,4,111,1,PS,990105,13:00:00,13:00:10,10,13:00:10,13:00:30,20,AGENT,13:00:30,13:02:00,90,ANNA,T1\n"

// readSource reads one source's text for Join.
func readSource(t *testing.T, mem memory.Allocator, name, text, key string) Source {
	t.Helper()
	res, err := readString(t, mem, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Source{Name: name, Result: res, Key: key}
}

// TestJoin joins the tickets and calls above on the ticket number and on
// the customer id, against cases and counts worked out by hand.
//
// On the ticket number: T1 gets calls 1 and 4 (VRU, queue, agent before
// and after its own stays); T2 and T3 have no call; call 2 has no ticket
// and call 3 a ticket not in the log, so both stay cases of their own.
//
// On the customer id: customer 111 has T1 and T3, so calls 1 and 4 are
// one-to-many and join T1, which starts nearest in time to them; call 2
// joins T2; call 3's customer 333 has no ticket.
func TestJoin(t *testing.T) {
	call := func(n string) string { return "calls:A1" + keySep + n }
	for _, tc := range []struct {
		name               string
		ticketKey, callKey string
		stays              map[string][]string
		counts             []SourceCount
	}{
		{"ticket number", "ticket", "ticket", map[string][]string{
			"T1":      {"VRU", "queue", "agent", "KCC", "Taxes", "KCC", "VRU", "queue", "agent"},
			"T2":      {"KCC"},
			"T3":      {"KCC"},
			call("2"): {"VRU", "queue"},
			call("3"): {"VRU", "queue", "agent"},
		}, []SourceCount{
			{Name: "tickets", Key: "ticket", Cases: 3, Events: 6, LinkedCases: 1, LinkedEvents: 3, UnlinkedCases: 2, UnlinkedEvents: 3},
			{Name: "calls", Key: "ticket", Cases: 4, Events: 11, LinkedCases: 2, LinkedEvents: 6, UnlinkedCases: 2, UnlinkedEvents: 5, NoKey: 1},
		}},
		{"customer id", "customer", "customer_id", map[string][]string{
			"T1":      {"VRU", "queue", "agent", "KCC", "Taxes", "KCC", "VRU", "queue", "agent"},
			"T2":      {"VRU", "queue", "KCC"},
			"T3":      {"KCC"},
			call("3"): {"VRU", "queue", "agent"},
		}, []SourceCount{
			{Name: "tickets", Key: "customer", Cases: 3, Events: 6, LinkedCases: 2, LinkedEvents: 5, UnlinkedCases: 1, UnlinkedEvents: 1},
			{Name: "calls", Key: "customer_id", Cases: 4, Events: 11, LinkedCases: 3, LinkedEvents: 8, UnlinkedCases: 1, UnlinkedEvents: 3, OneToMany: 2},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Join([]Source{
				readSource(t, mem, "tickets", joinTickets, tc.ticketKey),
				readSource(t, mem, "calls", joinCalls, tc.callKey),
			}, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			got := stays(res.Log)
			if len(got) != len(tc.stays) {
				t.Errorf("cases %v; want %v", got, tc.stays)
			}
			for id, w := range tc.stays {
				if !slices.Equal(got[id], w) {
					t.Errorf("case %s: stays %v; want %v", id, got[id], w)
				}
			}
			if !slices.Equal(res.Sources, tc.counts) {
				t.Errorf("counts\n%+v\nwant\n%+v", res.Sources, tc.counts)
			}
			// Nothing lost: every event of both sources, rows of both.
			if res.Log.Len() != 17 || res.Rows != 10 || len(res.Inputs) != 2 {
				t.Errorf("%d events, %d rows, %d inputs; want 17, 10, 2", res.Log.Len(), res.Rows, len(res.Inputs))
			}
			var fromCalls int
			for i := range res.Log.Len() {
				if cell(res.Log, SourceColumn, i) == "calls" {
					fromCalls++
				}
			}
			if fromCalls != 11 {
				t.Errorf("%d events say source calls; want 11", fromCalls)
			}
		})
	}
}

// TestJoinErrors: a key column no source has, and two sources of one name,
// are errors that say what to do; the sources are released either way.
func TestJoinErrors(t *testing.T) {
	for _, tc := range []struct {
		name, key2, name2, want string
	}{
		{"no column", "ticket_no", "calls", `[[input]] "calls": join = "ticket_no": no such column; name the case column or one of the text columns: `},
		{"same name", "ticket", "tickets", `two [[input]] tables are named "tickets"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			_, err := Join([]Source{
				readSource(t, mem, "tickets", joinTickets, "ticket"),
				readSource(t, mem, tc.name2, joinCalls, tc.key2),
			}, mem)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v; want one starting %q", err, tc.want)
			}
		})
	}
}

// TestJoinKeepsStarts: the calls' start times and attributes survive the
// join.
func TestJoinKeepsStarts(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Join([]Source{readSource(t, mem, "calls", joinCalls, "ticket")}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	l := res.Log
	if got := rows(l, eventlog.CallType, "ticket")[0]; got != "A1"+keySep+"1|VRU|1999-01-05T10:00:10Z|1999-01-05T10:00:00Z|VRU||2|call_type=PS|ticket=T1" {
		t.Errorf("first event %q", got)
	}
}

// BenchmarkJoin joins the generator's linked pair of 20,000 tickets and
// their calls on the ticket number; reading them is not timed.
func BenchmarkJoin(b *testing.B) {
	cfg := generate.Default()
	cfg.Cases = 20000
	var tickets, calls bytes.Buffer
	if _, _, err := generate.WriteLinked(cfg, generate.DefaultCalls(), &tickets, nil, &calls, nil); err != nil {
		b.Fatal(err)
	}
	read := func(name string, data []byte, key string) Source {
		res, err := Read([]string{"-"}, Options{Stdin: bytes.NewReader(data)})
		if err != nil {
			b.Fatal(err)
		}
		return Source{Name: name, Result: res, Key: key}
	}
	for b.Loop() {
		b.StopTimer()
		srcs := []Source{read("tickets", tickets.Bytes(), "case_id"), read("calls", calls.Bytes(), "ticket")}
		b.StartTimer()
		res, err := Join(srcs, nil)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}
