package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// agentDoc is the part of the JSON report the --call-agent-department
// tests read.
type agentDoc struct {
	Flows struct {
		Handoffs int64
		TopPaths []struct{ Steps []string } `json:"top_paths"`
	} `json:"flows"`
	PingPong struct {
		Occurrences, Cases int64
		Closing            int64 `json:"closing_returns"`
	} `json:"pingpong"`
}

func analyzeAgentDoc(t *testing.T, args ...string) agentDoc {
	t.Helper()
	code, out, errs := call(t, "", append([]string{"analyze", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errs)
	}
	var d agentDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCallAgentDepartmentConfig: the [[input]] key call-agent-department
// puts the call's service stage in the ticket's front office. Worked out
// by hand on writeJoined's sources: T1's call and ticket are VRU, queue,
// KCC (the agent and the ticket's first stay, one stay), Taxes, KCC: 4
// handoffs and a closing return, no ping-pong; call 2 (no ticket) is VRU,
// queue: 1 handoff; T2 is KCC alone.
// Without the key the agent stage is a unit of its own: 6 handoffs, and
// KCC → Taxes → KCC is ping-pong, as KCC is not the case's front office.
func TestCallAgentDepartmentConfig(t *testing.T) {
	dir := t.TempDir()
	tables := writeJoined(t, dir)
	for _, c := range []struct {
		name, key                   string
		handoffs, pingpong, closing int64
		path                        []string
	}{
		{"default", "", 6, 1, 0, []string{"VRU", "queue", "agent", "KCC", "Taxes", "KCC"}},
		{"KCC", "call-agent-department = \"KCC\"\n", 5, 0, 1, []string{"VRU", "queue", "KCC", "Taxes", "KCC"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := analyzeAgentDoc(t, "--config", writeConfig(t, dir, tables+c.key))
			if d.Flows.Handoffs != c.handoffs || d.PingPong.Occurrences != c.pingpong || d.PingPong.Closing != c.closing {
				t.Errorf("handoffs %d, ping-pong %d, closing %d; want %d, %d, %d",
					d.Flows.Handoffs, d.PingPong.Occurrences, d.PingPong.Closing, c.handoffs, c.pingpong, c.closing)
			}
			if !slices.ContainsFunc(d.Flows.TopPaths, func(p struct{ Steps []string }) bool { return slices.Equal(p.Steps, c.path) }) {
				t.Errorf("paths %+v lack %v", d.Flows.TopPaths, c.path)
			}
		})
	}
	// inspect --config reads the same sources: each file's mapping, then
	// each source's join counts (the calls: call 1 linked with its 3
	// events, call 2 without a ticket with 2), and KCC counted once.
	code, out, errs := call(t, "", "inspect", "--config", writeConfig(t, dir, tables+"call-agent-department = \"KCC\"\n"))
	if code != exitOK {
		t.Fatalf("inspect: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"team       department", "ser_start    time",
		"\n  departments               4\n",
		"\nsources\n  tickets: tickets.csv, joined on ticket: 1 of 2 records linked (3 of 4 events), 1 unlinked (0 without a key), 0 matched several cases\n" +
			"  calls: calls.csv, joined on ticket: 1 of 2 records linked (3 of 5 events), 1 unlinked (1 without a key), 0 matched several cases\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect --config lacks %q:\n%s", want, out)
		}
	}
	code, _, errs = call(t, "", "analyze", "--config", writeConfig(t, dir, tables), "--call-agent-department", "queue")
	if code != exitUsage || !strings.Contains(errs, "--call-agent-department \"queue\": name the agents' department") {
		t.Errorf("--call-agent-department queue: exit %d, %s; want a usage error", code, errs)
	}
}
