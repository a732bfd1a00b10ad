package ingest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/mining"
)

// stays lists each case's departments in order, repeats merged: the
// stays as the history's rows say them.
func stays(l *eventlog.Log) map[string][]string {
	cases, depts := l.Codes(eventlog.Case), l.Codes(eventlog.Department)
	out := map[string][]string{}
	off := l.Offsets()
	for k := range l.Cases() {
		id := cases.Names[cases.Index[off[k]]]
		var s []string
		for i := off[k]; i < off[k+1]; i++ {
			if c := depts.Index[i]; c >= 0 && (len(s) == 0 || s[len(s)-1] != depts.Names[c]) {
				s = append(s, depts.Names[c])
			}
		}
		out[id] = s
	}
	return out
}

// testdata/audit.csv is a hand-made history of three cases (and a row
// without a field): the figures below are counted from its rows by hand.
//
//	A: Service Desk → Network → Service Desk → Applications; 3 handoffs, a
//	   ping-pong (not closing: A ends in Applications), a revisit; lead
//	   2024-01-01 09:00 to 2024-01-02 09:00.
//	B: its first row moves it from Service Desk, so an event opens that
//	   stay: Service Desk → Applications → Database; 2 handoffs; 8 h.
//	C: Service Desk (the old value of its first assignment change, before
//	   which its state changed) → Network → Service Desk, a closing return;
//	   its second assignment change starts from Applications, not Network,
//	   and its last state change from Resolved, not In Progress: 2 gaps; 3 h.
func TestAuditHistory(t *testing.T) {
	for _, shape := range []string{ShapeAudit, ""} {
		t.Run("shape="+shape, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Read([]string{"testdata/audit.csv"}, Options{Shape: shape, Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			l := res.Log
			if res.Rows != 16 || res.Rejected != 1 || l.Len() != 16 || l.Cases() != 3 {
				t.Fatalf("rows %d, rejected %d, events %d, cases %d; want 16, 1, 16 (15 rows and one opening event), 3",
					res.Rows, res.Rejected, l.Len(), l.Cases())
			}
			if r := res.Rejects[0]; r.Line != 17 || r.Column != 2 || !strings.Contains(r.Reason, "empty") {
				t.Errorf("reject %v; want line 17, column 2, an empty field", r)
			}
			in := res.Inputs[0]
			if in.Shape != ShapeAudit || in.HistoryGaps != 2 {
				t.Errorf("shape %q, gaps %d; want audit, 2", in.Shape, in.HistoryGaps)
			}
			if !slices.ContainsFunc(in.Notes, func(n string) bool {
				return strings.Contains(n, "field-change history") && strings.Contains(n, "assignment_group 1, state 1")
			}) {
				t.Errorf("notes %q: want the history read and its gaps per field", in.Notes)
			}
			want := map[string][]string{
				"A": {"Service Desk", "Network", "Service Desk", "Applications"},
				"B": {"Service Desk", "Applications", "Database"},
				"C": {"Service Desk", "Network", "Service Desk"},
			}
			got := stays(l)
			for id, w := range want {
				if !slices.Equal(got[id], w) {
					t.Errorf("case %s stays %q; want %q", id, got[id], w)
				}
			}
			acts := l.Codes(eventlog.Activity)
			var first []string
			for k := range l.Cases() {
				first = append(first, acts.Names[acts.Index[l.Offsets()[k]]])
			}
			if w := []string{"assignment_group changed", auditStart, "In Progress"}; !slices.Equal(first, w) {
				t.Errorf("first activities %q; want %q", first, w)
			}
			f, err := mining.Analyze(l, mining.Options{})
			if err != nil {
				t.Fatal(err)
			}
			pp := f.PingPong
			if f.Flows.Handoffs != 7 || pp.Occurrences != 1 || pp.Cases != 1 || pp.Closing != 1 || pp.Revisits != 2 {
				t.Errorf("handoffs %d, ping-pong %d in %d case(s), closing %d, revisits %d; want 7, 1, 1, 1, 2",
					f.Flows.Handoffs, pp.Occurrences, pp.Cases, pp.Closing, pp.Revisits)
			}
			lead := map[string]float64{}
			for k, c := range f.Cases {
				lead[f.CaseID(k)] = c.Lead
			}
			if w := map[string]float64{"A": 24 * 3600, "B": 8 * 3600, "C": 3 * 3600}; !mapsEqual(lead, w) {
				t.Errorf("lead times %v; want %v", lead, w)
			}
		})
	}
}

func mapsEqual(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestAuditErrors: what cannot be read as a history says what to name.
func TestAuditErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		audit      Audit
		want       string
	}{
		{"no old value column", "case,field,new value,time\nA,state,Open,2024-01-01 09:00\n", Audit{}, "old value (--old-column)"},
		{"no assignment field", "case,field,old value,new value,time\nA,state,New,Open,2024-01-01 09:00\n", Audit{}, "--department-field"},
		{"unknown department field", "case,field,old value,new value,time\nA,queue,,L1,2024-01-01 09:00\n", Audit{DepartmentField: "group"}, `--department-field "group": no row changes that field`},
		{"unknown column", "case,field,old value,new value,time\nA,queue,,L1,2024-01-01 09:00\n", Audit{New: "to"}, `--new-column "to": no such column`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read([]string{"-"}, Options{Shape: ShapeAudit, Audit: tc.audit, Stdin: strings.NewReader(tc.data)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
	// Without --shape, a header that looks like a history but whose fields
	// hold no team says how to read the rows as events instead.
	_, err := Read([]string{"-"}, Options{Stdin: strings.NewReader("case,field,old value,new value,time\nA,state,New,Open,2024-01-01 09:00\n")})
	if err == nil || !strings.Contains(err.Error(), "--shape events") {
		t.Errorf("detected history without an assignment field: %v; want advice to pass --shape events", err)
	}
	// Without --shape, a header without the history's columns is an event log.
	res, err := Read([]string{"-"}, Options{Stdin: strings.NewReader("case,activity,time\nA,Open,2024-01-01 09:00\n")})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Inputs[0].Shape != "" {
		t.Errorf("shape %q; want an event log", res.Inputs[0].Shape)
	}
	if err := CheckShape("audits"); err == nil {
		t.Errorf("CheckShape(audits) = %v; want an error", err)
	}
}

// TestAuditFromBPIC2014: the BPIC 2014 incident log, rewritten as the
// field-change history a service desk would export (a row when an
// incident's assignment group changes, a row per activity), read with
// --shape audit has the stays, handoffs, ping-pong and lead times that
// mining finds in the event log itself.
func TestAuditFromBPIC2014(t *testing.T) {
	const src = "../../shared/data/bpic2014/BPIC14_incident_log.csv"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("the shared BPIC 2014 log is absent (%v): see /work/shared/data/README", err)
	}
	events, err := Read([]string{src}, Options{Mapping: Mapping{Department: []string{"assignment_group"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer events.Release()
	l := events.Log
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	_ = w.Write([]string{"incident", "field", "old value", "new value", "changed at"})
	cases, acts, depts := l.Codes(eventlog.Case), l.Codes(eventlog.Activity), l.Codes(eventlog.Department)
	ts, off := l.Times(), l.Offsets()
	for k := range l.Cases() {
		id := cases.Names[cases.Index[off[k]]]
		dept, act := "", ""
		for i := off[k]; i < off[k+1]; i++ {
			at := time.UnixMicro(ts[i]).UTC().Format("2006-01-02 15:04:05")
			a := acts.Names[acts.Index[i]]
			_ = w.Write([]string{id, "status", act, a, at})
			act = a
			if c := depts.Index[i]; c >= 0 && depts.Names[c] != dept {
				_ = w.Write([]string{id, "assignment_group", dept, depts.Names[c], at})
				dept = depts.Names[c]
			}
		}
	}
	w.Flush() // a strings.Builder does not fail
	path := filepath.Join(t.TempDir(), "bpic2014_audit.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	audit, err := Read([]string{path}, Options{Shape: ShapeAudit})
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Release()
	if g := audit.Inputs[0].HistoryGaps; g != 0 || audit.Rejected != 0 {
		t.Errorf("history gaps %d, rejects %d; want none in a history made without gaps", g, audit.Rejected)
	}
	want, got := stays(l), stays(audit.Log)
	if len(got) != len(want) {
		t.Fatalf("%d cases; want %d", len(got), len(want))
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Fatalf("case %s stays %q; want %q", id, got[id], w)
		}
	}
	fe, err := mining.Analyze(l, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fa, err := mining.Analyze(audit.Log, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fa.Flows.Handoffs != fe.Flows.Handoffs || fa.PingPong.Occurrences != fe.PingPong.Occurrences || fa.PingPong.Closing != fe.PingPong.Closing ||
		fa.LeadTime.Median != fe.LeadTime.Median {
		t.Errorf("history: handoffs %d, ping-pong %d, closing %d, median lead %.0f s; event log: %d, %d, %d, %.0f s",
			fa.Flows.Handoffs, fa.PingPong.Occurrences, fa.PingPong.Closing, fa.LeadTime.Median,
			fe.Flows.Handoffs, fe.PingPong.Occurrences, fe.PingPong.Closing, fe.LeadTime.Median)
	}
	t.Logf("BPIC 2014 as a history: %d rows, %d cases, %d handoffs, %d ping-pong, %d closing, median lead %.0f s",
		audit.Rows, audit.Log.Cases(), fa.Flows.Handoffs, fa.PingPong.Occurrences, fa.PingPong.Closing, fa.LeadTime.Median)
}
