package generate_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
)

// truthCase is the part of a "case" truth record this test checks.
type truthCase struct {
	CaseID   string   `json:"case_id"`
	Events   int      `json:"events"`
	LeadMS   int64    `json:"lead_ms"`
	Stays    []string `json:"stays"`
	PingPong []struct {
		At    int       `json:"at"`
		Pair  [2]string `json:"pair"`
		Cause string    `json:"cause"`
	} `json:"pingpong"`
}

// TestTruthThroughIngest generates a log in each export style, with the
// pathologies of real exports off and on, reads it back through the ingest
// package exactly as a user's export would be read (no flags but the zone of
// the Dutch style), and checks the planted truth against the events: event
// counts, department stay sequences, lead times and every listed direct
// ping-pong as an A, B, A run. With the pathologies on this needs ingest to
// read the generator's placeholder departments as missing, and to keep the
// events of a burst (one instant) in file order.
func TestTruthThroughIngest(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		style     generate.Style
		realistic bool
	}{{generate.ISO, false}, {generate.NL, false}, {generate.ISO, true}, {generate.NL, true}} {
		style := tc.style
		name := generate.Columns(style)[0]
		if tc.realistic {
			name += " realistic"
		}
		t.Run(name, func(t *testing.T) {
			cfg := generate.Default()
			cfg.Cases = 3000
			cfg.Style = style
			if tc.realistic {
				cfg.Realistic()
			}
			var logBuf, truthBuf bytes.Buffer
			if _, err := generate.Write(cfg, &logBuf, &truthBuf); err != nil {
				t.Fatal(err)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &logBuf, Location: ams, Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rejected != 0 {
				t.Fatalf("%d rows rejected:%s", res.Rejected, ingest.FormatRejects(res.Rejects, res.Rejected))
			}
			l := res.Log
			cases, depts, times := l.Codes(eventlog.Case), l.Codes(eventlog.Department), l.Times()
			byID := map[string]int{}
			for k := range l.Cases() {
				byID[cases.Names[cases.Index[l.Offsets()[k]]]] = k
			}

			sc := bufio.NewScanner(&truthBuf)
			sc.Buffer(nil, 1<<20)
			planted, checked := 0, 0
			for sc.Scan() {
				var kind struct{ Kind string }
				if err := json.Unmarshal(sc.Bytes(), &kind); err != nil {
					t.Fatal(err)
				}
				if kind.Kind != "case" {
					continue
				}
				var tc truthCase
				if err := json.Unmarshal(sc.Bytes(), &tc); err != nil {
					t.Fatal(err)
				}
				checked++
				k, ok := byID[tc.CaseID]
				if !ok {
					t.Fatalf("case %s of the truth is not in the log", tc.CaseID)
				}
				lo, hi := l.Offsets()[k], l.Offsets()[k+1]
				if hi-lo != tc.Events {
					t.Errorf("case %s: %d events in the log, truth says %d", tc.CaseID, hi-lo, tc.Events)
				}
				// Stays recomputed from the ingested events: runs of one
				// department, department-less events ignored.
				var stays []string
				for i := lo; i < hi; i++ {
					if d := depts.Index[i]; d >= 0 && (len(stays) == 0 || stays[len(stays)-1] != depts.Names[d]) {
						stays = append(stays, depts.Names[d])
					}
				}
				if !slices.Equal(stays, tc.Stays) {
					t.Errorf("case %s: stays %v in the log, truth says %v", tc.CaseID, stays, tc.Stays)
				}
				lead := (times[hi-1] - times[lo]) / 1000
				if style == generate.ISO && lead != tc.LeadMS {
					t.Errorf("case %s: lead time %d ms in the log, truth says %d", tc.CaseID, lead, tc.LeadMS)
				}
				for _, p := range tc.PingPong {
					a, b := stays[p.At], stays[p.At+1]
					if stays[p.At+2] != a || a == b || !slices.Equal(sortPair(a, b), p.Pair[:]) {
						t.Errorf("case %s: ping-pong %v at %d is not an A, B, A run in %v", tc.CaseID, p.Pair, p.At, stays)
					}
					if p.Cause == "planted" {
						planted++
					}
				}
			}
			if checked != cfg.Cases || planted == 0 {
				t.Errorf("checked %d cases with %d planted ping-pongs; want %d cases and some planted", checked, planted, cfg.Cases)
			}
		})
	}
}

func sortPair(a, b string) []string {
	if b < a {
		a, b = b, a
	}
	return []string{a, b}
}
