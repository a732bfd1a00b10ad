package generate_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// truthRecords reads the case records of a truth file, and the call
// records of a calls truth (nil reader: none).
func truthRecords(t *testing.T, truth, calls io.Reader) (cases []truthCaseFull, callRecs []truthCall) {
	t.Helper()
	scan := func(r io.Reader, f func(kind string, line []byte)) {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var kind struct{ Kind string }
			if err := json.Unmarshal(sc.Bytes(), &kind); err != nil {
				t.Fatal(err)
			}
			f(kind.Kind, sc.Bytes())
		}
	}
	scan(truth, func(kind string, line []byte) {
		if kind == "case" {
			var c truthCaseFull
			if err := json.Unmarshal(line, &c); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
	})
	if calls != nil {
		scan(calls, func(kind string, line []byte) {
			if kind == "call" {
				var c truthCall
				if err := json.Unmarshal(line, &c); err != nil {
					t.Fatal(err)
				}
				callRecs = append(callRecs, c)
			}
		})
	}
	return cases, callRecs
}

type truthCaseFull struct {
	truthCase
	Channel string `json:"channel"`
}

type truthCall struct {
	Line    string  `json:"line"`
	CallID  string  `json:"call_id"`
	Ticket  *string `json:"ticket"`
	Outcome string  `json:"outcome"`
	Queued  bool    `json:"queued"`
}

// caseStays are each case's stays in l, by case id.
func caseStays(l *eventlog.Log) map[string][]string {
	cases, depts := l.Codes(eventlog.Case), l.Codes(eventlog.Department)
	out := map[string][]string{}
	off := l.Offsets()
	for k := range l.Cases() {
		var s []string
		for i := off[k]; i < off[k+1]; i++ {
			if d := depts.Index[i]; d >= 0 && (len(s) == 0 || s[len(s)-1] != depts.Names[d]) {
				s = append(s, depts.Names[d])
			}
		}
		out[cases.Names[cases.Index[off[k]]]] = s
	}
	return out
}

// pingPongs counts direct ping-pong s[i] = s[i+2] != s[i+1] in stays, but
// not a closing return (the case's last stay, back in its first): the
// definition of docs/definitions.md section B, counted here by hand.
func pingPongs(s []string) int {
	n := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] == s[i+2] && s[i] != s[i+1] && !(i+3 == len(s) && s[i+2] == s[0]) {
			n++
		}
	}
	return n
}

// checkStays compares the log's stays with want, case by case, and
// checks every planted ping-pong of the truth is an A, B, A run at its
// position shifted by shift[case].
func checkStays(t *testing.T, got, want map[string][]string, cases []truthCaseFull, shift map[string]int) (planted int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d cases in the log; want %d", len(got), len(want))
	}
	bad := 0
	for id, w := range want {
		if !slices.Equal(got[id], w) && bad < 5 {
			bad++
			t.Errorf("case %s: stays %v; want %v", id, got[id], w)
		}
	}
	for _, c := range cases {
		s := got[c.CaseID]
		for _, p := range c.PingPong {
			at := p.At + shift[c.CaseID]
			if at+2 >= len(s) || s[at] != s[at+2] || s[at] == s[at+1] || !slices.Equal(sortPair(s[at], s[at+1]), p.Pair[:]) {
				t.Errorf("case %s: ping-pong %v at %d is not an A, B, A run in %v", c.CaseID, p.Pair, at, s)
				continue
			}
			if p.Cause == "planted" {
				planted++
			}
		}
	}
	return planted
}

// TestLinkedThroughJoin is the acceptance test of the linked pair: the
// generator's tickets and calls, read and joined on the ticket number as
// the config's [[input]] tables do, give each ticket the stays VRU, queue
// (when its call waited), agent, then the truth's; every other call is a
// case of its own (VRU, queue when abandoned there); the per-source counts
// equal the calls truth; and the analysis' cases, handoffs and ping-pong
// equal those counted from the truth by hand, the planted ones at their
// places.
func TestLinkedThroughJoin(t *testing.T) {
	cfg := generate.Default()
	cfg.Cases = 3000
	cfg.Realistic()
	var tickets, truth, calls, callTruth bytes.Buffer
	st, tot, err := generate.WriteLinked(cfg, generate.DefaultCalls(), &tickets, &truth, &calls, &callTruth)
	if err != nil {
		t.Fatal(err)
	}
	cases, callRecs := truthRecords(t, bytes.NewReader(truth.Bytes()), bytes.NewReader(callTruth.Bytes()))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	read := func(name string, r io.Reader, key string) ingest.Source {
		res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: r, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		return ingest.Source{Name: name, Result: res, Key: key}
	}
	res, err := ingest.Join([]ingest.Source{read("tickets", &tickets, "case_id"), read("calls", &calls, "ticket")}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Rejected != 0 || ingest.Excluded(res.Inputs) != tot.Redelivered || res.Rows != st.Events+tot.Rows {
		t.Errorf("rows %d, rejected %d, excluded %d; want %d (events + call rows), 0, %d redelivered",
			res.Rows, res.Rejected, ingest.Excluded(res.Inputs), st.Events+tot.Rows, tot.Redelivered)
	}

	// The stitched stays, handoffs and ping-pong, from the truths.
	prefix := map[string][]string{}
	var unlinked int64
	want := map[string][]string{}
	for _, c := range callRecs {
		s := []string{"VRU"}
		if c.Queued {
			s = append(s, "queue")
		}
		if c.Outcome == "AGENT" {
			s = append(s, "agent")
		}
		if c.Ticket == nil {
			unlinked++
			// The case id of a call of its own: source, line ␟ call_id
			// (docs/reading.md).
			want["calls:"+c.Line+"␟"+c.CallID] = s
			continue
		}
		prefix[*c.Ticket] = s
	}
	shift := map[string]int{}
	var phone, handoffs, pp int64
	for _, c := range cases {
		s := append(slices.Clone(prefix[c.CaseID]), c.Stays...)
		if c.Channel == "phone" {
			phone++
			shift[c.CaseID] = len(prefix[c.CaseID])
		}
		want[c.CaseID] = s
	}
	for _, s := range want {
		handoffs += int64(max(len(s)-1, 0))
		pp += int64(pingPongs(s))
	}
	planted := checkStays(t, caseStays(res.Log), want, cases, shift)
	if planted == 0 {
		t.Error("no planted ping-pong checked")
	}

	wantCounts := []ingest.SourceCount{
		{Name: "tickets", Key: "case_id", Cases: int64(len(cases)), Events: st.Events, LinkedCases: phone, UnlinkedCases: int64(len(cases)) - phone},
		{Name: "calls", Key: "ticket", Cases: tot.Calls, LinkedCases: tot.Linked, UnlinkedCases: tot.Unlinked, NoKey: tot.Unlinked},
	}
	for i, w := range wantCounts {
		g := res.Sources[i]
		if g.Name != w.Name || g.Cases != w.Cases || g.LinkedCases != w.LinkedCases || g.UnlinkedCases != w.UnlinkedCases || g.NoKey != w.NoKey ||
			g.OneToMany != 0 || g.LinkedEvents+g.UnlinkedEvents != g.Events || (i == 0 && g.Events != w.Events) {
			t.Errorf("source %d: %+v; want %+v", i, g, w)
		}
	}
	if unlinked != tot.Unlinked || tot.Linked != phone {
		t.Errorf("the calls truth has %d unlinked and %d linked calls; its records %d unlinked, and %d phone cases", tot.Unlinked, tot.Linked, unlinked, phone)
	}

	f, err := mining.Analyze(res.Log, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tickets (%d phone) + %d calls (%d linked, %d unlinked, %d redelivered rows): %d cases, %d handoffs, %d ping-pong (%d planted checked)",
		len(cases), phone, tot.Calls, tot.Linked, tot.Unlinked, tot.Redelivered, res.Log.Cases(), f.Flows.Handoffs, f.PingPong.Occurrences, planted)
	if int64(res.Log.Cases()) != int64(len(cases))+tot.Unlinked || int64(f.Flows.Handoffs) != handoffs || int64(f.PingPong.Occurrences) != pp {
		t.Errorf("%d cases, %d handoffs, %d ping-pong; want %d, %d, %d", res.Log.Cases(), f.Flows.Handoffs, f.PingPong.Occurrences,
			int64(len(cases))+tot.Unlinked, handoffs, pp)
	}
}

// TestCallsThroughIngest: generated call records read as call records
// (detected from the header, no flags) give the truth's calls, offered,
// answered, abandoned, VRU-only and within-20-s counts, every row
// accounted for.
func TestCallsThroughIngest(t *testing.T) {
	cfg := generate.Default()
	cfg.Cases = 3000
	var calls bytes.Buffer
	tot, err := generate.WriteCalls(cfg, generate.DefaultCalls(), &calls, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &calls, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Inputs[0].Shape != ingest.ShapeCalls || res.Rows != tot.Rows || res.Rejected != 0 || ingest.Excluded(res.Inputs) != tot.Redelivered {
		t.Errorf("shape %q, rows %d, rejected %d, excluded %d; want calls, %d, 0, %d", res.Inputs[0].Shape, res.Rows, res.Rejected,
			ingest.Excluded(res.Inputs), tot.Rows, tot.Redelivered)
	}
	f, err := mining.Analyze(res.Log, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := f.Calls.All
	t.Logf("truth %+v; read: %d calls, %d in VRU, %d offered, %d answered, %d abandoned, service level %.4f", tot, a.Calls, a.InVRU, a.Offered, a.Answered, a.Abandoned, a.ServiceLevel)
	if int64(a.Calls) != tot.Calls || int64(a.InVRU) != tot.InVRU || int64(a.Offered) != tot.Offered || int64(a.Answered) != tot.Answered ||
		int64(a.Abandoned) != tot.Abandoned || math.Abs(a.ServiceLevel-float64(tot.Within20s)/float64(tot.Offered)) > 1e-12 {
		t.Errorf("calls %d, in VRU %d, offered %d, answered %d, abandoned %d, service level %v; truth %+v (service level %v)",
			a.Calls, a.InVRU, a.Offered, a.Answered, a.Abandoned, a.ServiceLevel, tot, float64(tot.Within20s)/float64(tot.Offered))
	}
	if tot.Abandoned == 0 || tot.InVRU == 0 || tot.Redelivered == 0 || tot.Within20s == tot.Answered {
		t.Errorf("truth %+v: want some of every kind", tot)
	}
}

// TestAuditThroughIngest: a generated field-change history read with
// --shape audit (fields detected, no other flag) gives every case the
// truth's stays, lead time and ping-pong, and the analysis the handoffs
// and ping-pong counted from the truth.
func TestAuditThroughIngest(t *testing.T) {
	cfg := generate.Default()
	cfg.Cases = 3000
	cfg.Realistic()
	var hist, truth bytes.Buffer
	if _, err := generate.WriteAudit(cfg, &hist, &truth); err != nil {
		t.Fatal(err)
	}
	cases, _ := truthRecords(t, &truth, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &hist, Mem: mem, Shape: ingest.ShapeAudit})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Rejected != 0 || res.Inputs[0].HistoryGaps != 0 {
		t.Errorf("%d rejected, %d history gaps; want none", res.Rejected, res.Inputs[0].HistoryGaps)
	}
	want := map[string][]string{}
	var handoffs, pp int64
	for _, c := range cases {
		want[c.CaseID] = c.Stays
		handoffs += int64(max(len(c.Stays)-1, 0))
		pp += int64(pingPongs(c.Stays))
	}
	if checkStays(t, caseStays(res.Log), want, cases, nil) == 0 {
		t.Error("no planted ping-pong checked")
	}
	l := res.Log
	ids, ts, off := l.Codes(eventlog.Case), l.Times(), l.Offsets()
	lead := map[string]int64{}
	for k := range l.Cases() {
		lead[ids.Names[ids.Index[off[k]]]] = (ts[off[k+1]-1] - ts[off[k]]) / 1000
	}
	for _, c := range cases {
		if lead[c.CaseID] != c.LeadMS {
			t.Errorf("case %s: lead time %d ms; truth %d", c.CaseID, lead[c.CaseID], c.LeadMS)
			break
		}
	}
	f, err := mining.Analyze(l, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases, %d rows: %d handoffs, %d ping-pong", l.Cases(), res.Rows, f.Flows.Handoffs, f.PingPong.Occurrences)
	if int64(f.Flows.Handoffs) != handoffs || int64(f.PingPong.Occurrences) != pp {
		t.Errorf("%d handoffs, %d ping-pong; truth %d, %d", f.Flows.Handoffs, f.PingPong.Occurrences, handoffs, pp)
	}
}
