package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourcesDoc is the part of the JSON report the source tests read.
type sourcesDoc struct {
	Input struct {
		Rows, Rejected, Excluded int64
		Events                   int64
		From                     *string
		Sources                  []struct {
			Name, Join     string
			Cases, Events  int64
			LinkedCases    int64 `json:"linked_cases"`
			LinkedEvents   int64 `json:"linked_events"`
			UnlinkedCases  int64 `json:"unlinked_cases"`
			UnlinkedEvents int64 `json:"unlinked_events"`
			NoKey          int64 `json:"no_key"`
			OneToMany      int64 `json:"one_to_many"`
		} `json:"sources"`
	} `json:"input"`
	Log struct {
		Cases int64
	} `json:"log"`
	Flows struct {
		Handoffs int64
	} `json:"flows"`
	PingPong struct {
		Cases, Occurrences int64
	} `json:"pingpong"`
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeJoined writes a hand-made ticket log (T1 KCC, Taxes, KCC; T2 KCC)
// and call records (call 1 logged against T1, call 2 abandoned without a
// ticket) to dir, and returns the [[input]] tables that join them.
func writeJoined(t *testing.T, dir string) string {
	t.Helper()
	writeFiles(t, dir, map[string]string{
		"tickets.csv": "ticket,activity,team,timestamp,customer\n" +
			"T1,Created,KCC,1999-01-05 10:15:00,111\n" +
			"T1,Assessed,Taxes,1999-01-05 11:00:00,111\n" +
			"T1,Closed,KCC,1999-01-05 12:00:00,111\n" +
			"T2,Created,KCC,1999-01-06 09:00:00,222\n",
		"calls.csv": "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server,ticket\n" +
			"A1,1,111,1,PS,990105,10:00:00,10:00:10,10,10:00:10,10:00:30,20,AGENT,10:00:30,10:05:00,270,ANNA,T1\n" +
			"A1,2,222,1,PS,990105,10:20:00,10:20:10,10,10:20:10,10:21:00,50,HANG,0:00:00,0:00:00,0,NO_SERVER,\n",
	})
	return "[[input]]\nname = \"tickets\"\nfiles = [\"tickets.csv\"]\njoin = \"ticket\"\ndepartment = \"team\"\n\n" +
		"[[input]]\nname = \"calls\"\nfiles = [\"calls.csv\"]\nshape = \"calls\"\njoin = \"ticket\"\n"
}

// TestSourcesConfig joins a hand-made ticket log and call records named
// by [[input]] tables. The tickets' team column is named in their own
// table; --timezone on the command line reaches both sources. Worked out
// by hand: T1 gets call 1 (VRU, queue, agent, then KCC, Taxes, KCC: 5
// handoffs, a KCC-Taxes ping-pong); T2 has no call; call 2 has no ticket
// and is a case of its own (VRU, queue: 1 handoff).
func TestSourcesConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, writeJoined(t, dir))
	code, out, errs := call(t, "", "analyze", "--config", cfg, "--format", "json", "--timezone", "Europe/Amsterdam")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	validate(t, out)
	var d sourcesDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	in := d.Input
	if in.Rows != 6 || in.Rejected != 0 || in.Events != 9 || d.Log.Cases != 3 || d.Flows.Handoffs != 6 || d.PingPong.Occurrences != 1 {
		t.Errorf("rows %d, rejected %d, events %d, cases %d, handoffs %d, ping-pong %d; want 6, 0, 9, 3, 6, 1",
			in.Rows, in.Rejected, in.Events, d.Log.Cases, d.Flows.Handoffs, d.PingPong.Occurrences)
	}
	if len(in.Sources) != 2 {
		t.Fatalf("sources %+v; want tickets and calls", in.Sources)
	}
	tk, cl := in.Sources[0], in.Sources[1]
	if tk.Name != "tickets" || tk.Cases != 2 || tk.LinkedCases != 1 || tk.LinkedEvents != 3 || tk.UnlinkedEvents != 1 {
		t.Errorf("tickets %+v; want 2 cases, 1 linked (3 events), 1 event unlinked", tk)
	}
	if cl.Name != "calls" || cl.Cases != 2 || cl.LinkedCases != 1 || cl.UnlinkedCases != 1 || cl.NoKey != 1 || cl.UnlinkedEvents != 2 {
		t.Errorf("calls %+v; want 2 calls, 1 linked, 1 unlinked without a key (2 events)", cl)
	}
	// --timezone reached the calls too: the first event is call 1's VRU
	// at 10:00:10 Amsterdam time, before T1's 10:15 (read as UTC, the
	// calls would start at 11:00:10 Amsterdam time).
	if in.From == nil || *in.From != "1999-01-05T10:00:10+01:00" {
		t.Errorf("from %v; want 1999-01-05T10:00:10+01:00", in.From)
	}
	code, out, errs = call(t, "", "analyze", "--config", cfg, "--timezone", "Europe/Amsterdam")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Source tickets (joined on ticket): 1 of 2 records linked (3 of 4 events), 1 unlinked\n",
		"Source calls (joined on ticket): 1 of 2 records linked (3 of 5 events), 1 unlinked, 1 of them without a ticket\n",
		"VRU → queue → agent → KCC → Taxes → KCC",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	// The HTML page's sources table has the same figures as those lines.
	page := filepath.Join(dir, "report.html")
	if code, _, errs = call(t, "", "analyze", "--config", cfg, "--timezone", "Europe/Amsterdam", "--html", page, "--quiet"); code != exitOK {
		t.Fatalf("--html: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`<tr><td>tickets</td><td>ticket</td><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">4</td><td class="n">3</td></tr>`,
		`<tr><td>calls</td><td>ticket</td><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">5</td><td class="n">3</td></tr>`,
	} {
		if !strings.Contains(readFile(t, page), want) {
			t.Errorf("the HTML page lacks %s", want)
		}
	}
}

// TestSourcesConfigErrors: an [[input]] without files or join, inputs
// beside [[input]], a key no source column has, and an unknown key in an
// [[input]] table are usage or data errors that say what to do.
func TestSourcesConfigErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"t.csv": "ticket,activity,timestamp\nT1,Created,2024-01-01 10:00:00\n"})
	for _, tc := range []struct {
		name, text, err string
		code            int
	}{
		{"no files", "[[input]]\nname = \"tickets\"\njoin = \"ticket\"\n", `[[input]] "tickets": give its files`, exitUsage},
		{"no join", "[[input]]\nfiles = [\"t.csv\"]\n", `[[input]] "input 1": give its join column`, exitUsage},
		{"both", "inputs = [\"t.csv\"]\n[[input]]\nfiles = [\"t.csv\"]\njoin = \"ticket\"\n", "both inputs and [[input]] tables", exitUsage},
		{"rejects", "[[input]]\nfiles = [\"t.csv\"]\njoin = \"ticket\"\nrejects = \"r.csv\"\n", "set them in [read]", exitUsage},
		{"unknown key", "[[input]]\nfiles = [\"t.csv\"]\njoin = \"ticket\"\njion = \"x\"\n",
			`nightly.toml:4:1: unknown key "input.jion"; the known keys are name, files, join, case, activity`, exitUsage},
		{"no column", "[[input]]\nname = \"tickets\"\nfiles = [\"t.csv\"]\njoin = \"number\"\n", `[[input]] "tickets": join = "number": no such column`, exitData},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeConfig(t, dir, tc.text)
			code, _, errs := call(t, "", "analyze", "--config", cfg)
			if code != tc.code || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.err)
			}
		})
	}
}

// TestSourcesGenerated: generate --shape linked, then analyze with a
// config naming only each source's files and join column (what a user
// must give): the per-source counts equal the calls' truth, every row is
// accounted for, and the cases are the tickets plus the calls without one;
// with --call-agent-department KCC, handoffs, ping-pong and closing
// returns are the truth's too.
func TestSourcesGenerated(t *testing.T) {
	dir := t.TempDir()
	path := func(n string) string { return filepath.Join(dir, n) }
	code, _, errs := call(t, "", "generate", "--shape", "linked", "--cases", "2000", "--realistic", "--out", path("tickets.csv"),
		"--calls", path("calls.csv"), "--truth", path("truth.jsonl"), "--calls-truth", path("calls-truth.jsonl"))
	if code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	var tot struct {
		Rows, Calls, Redelivered, Linked, Unlinked int64
	}
	lines := strings.Split(strings.TrimSpace(readFile(t, path("calls-truth.jsonl"))), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &tot); err != nil {
		t.Fatal(err)
	}
	// The tickets' truth: ping-pong and closing returns by the truth's own
	// rule (a return to the first stay for the last one closes), and
	// handoffs between stays; then per call VRU → queue when it queued,
	// and → KCC when it is linked.
	var tickets, events, pingpong, closing, handoffs int64
	first := map[string]string{} // ticket → its first stay
	for _, l := range strings.Split(strings.TrimSpace(readFile(t, path("truth.jsonl"))), "\n") {
		var c struct {
			Kind     string
			CaseID   string `json:"case_id"`
			Events   int64
			Stays    []string
			PingPong []struct{ At int }
		}
		if err := json.Unmarshal([]byte(l), &c); err != nil || c.Kind != "case" {
			continue // the params and department records
		}
		tickets++
		events += c.Events
		if len(c.Stays) > 0 {
			first[c.CaseID] = c.Stays[0]
			handoffs += int64(len(c.Stays) - 1)
		}
		for _, p := range c.PingPong {
			if p.At+3 == len(c.Stays) && c.Stays[p.At+2] == c.Stays[0] {
				closing++
			} else {
				pingpong++
			}
		}
	}
	for _, l := range lines[:len(lines)-1] {
		var c struct {
			Ticket string
			Queued bool
		}
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatal(err)
		}
		if c.Queued {
			handoffs++
		}
		if c.Ticket != "" {
			handoffs++
			if f, ok := first[c.Ticket]; ok && f != "KCC" {
				t.Fatalf("ticket %s of a call starts in %s; the generator's phone tickets start in KCC", c.Ticket, f)
			}
		}
	}
	cfg := writeConfig(t, dir, "[[input]]\nname = \"tickets\"\nfiles = [\"tickets.csv\"]\njoin = \"case_id\"\n\n"+
		"[[input]]\nname = \"calls\"\nfiles = [\"calls.csv\"]\njoin = \"ticket\"\n")
	code, out, errs := call(t, "", "analyze", "--config", cfg, "--format", "json")
	if code != exitOK {
		t.Fatalf("analyze: exit %d: %s", code, errs)
	}
	var d sourcesDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	in := d.Input
	t.Logf("%d rows, %d excluded, %d cases, %d handoffs, %d ping-pong; sources %+v", in.Rows, in.Excluded, d.Log.Cases, d.Flows.Handoffs, d.PingPong.Occurrences, in.Sources)
	if in.Rows != events+tot.Rows || in.Rejected != 0 || in.Excluded != tot.Redelivered || d.Log.Cases != tickets+tot.Unlinked {
		t.Errorf("rows %d, rejected %d, excluded %d, cases %d; want %d, 0, %d, %d", in.Rows, in.Rejected, in.Excluded, d.Log.Cases,
			events+tot.Rows, tot.Redelivered, tickets+tot.Unlinked)
	}
	if len(in.Sources) != 2 || in.Sources[0].LinkedCases != tot.Linked || in.Sources[0].UnlinkedCases != tickets-tot.Linked ||
		in.Sources[1].Cases != tot.Calls || in.Sources[1].LinkedCases != tot.Linked || in.Sources[1].UnlinkedCases != tot.Unlinked ||
		in.Sources[1].NoKey != tot.Unlinked || in.Sources[1].OneToMany != 0 {
		t.Errorf("sources %+v; truth %+v, %d tickets", in.Sources, tot, tickets)
	}
	// Without --call-agent-department every linked call adds agent → KCC.
	if d.Flows.Handoffs != handoffs+tot.Linked {
		t.Errorf("%d handoffs; want %d + %d agent → KCC", d.Flows.Handoffs, handoffs, tot.Linked)
	}
	// With it (the calls are answered by KCC agents) each phone case is one
	// KCC stay from the answer on, so the ping-pong and closing returns
	// are the tickets' truth. Before the front-office rule the linked
	// cases' closing returns were ping-pong (their first unit was the VRU).
	k := analyzeAgentDoc(t, "--config", cfg, "--call-agent-department", "KCC")
	t.Logf("truth: %d ping-pong, %d closing returns, %d handoffs", pingpong, closing, handoffs)
	if k.PingPong.Occurrences != pingpong || k.PingPong.Closing != closing || k.Flows.Handoffs != handoffs || closing == 0 {
		t.Errorf("--call-agent-department KCC: ping-pong %d, closing %d, handoffs %d; truth %d, %d, %d",
			k.PingPong.Occurrences, k.PingPong.Closing, k.Flows.Handoffs, pingpong, closing, handoffs)
	}
}
