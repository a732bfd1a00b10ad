package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// The service stage's department: "agent" by default, CallAgent when
// given, and a CallAgentColumn's value where it is not empty; a value
// naming a waiting stage is a reject, and a column the header lacks an
// error that names it. Each case worked out by hand from the four rows.
func TestCallAgentDepartment(t *testing.T) {
	const text = "vru+line,call_id,date,vru_entry,vru_exit,q_start,q_exit,outcome,ser_start,ser_exit,server,team\n" +
		"A1,1,990105,10:00:00,10:00:10,10:00:10,10:00:20,AGENT,10:00:20,10:01:00,ANNA,Taxes desk\n" +
		"A1,2,990105,10:10:00,10:10:10,0:00:00,0:00:00,AGENT,10:10:10,10:11:00,BEN,\n" +
		"A1,3,990105,10:20:00,10:20:10,10:20:10,10:20:30,HANG,0:00:00,0:00:00,NO_SERVER,Taxes desk\n" +
		"A1,4,990105,10:30:00,10:30:10,0:00:00,0:00:00,AGENT,10:30:10,10:31:00,CARL,queue\n"
	for _, tc := range []struct {
		name, agent, column string
		depts               []string // of each event, in log order
		rejected            int64
		err                 string
	}{
		{"default", "", "", []string{"VRU", "queue", "agent", "VRU", "agent", "VRU", "queue", "VRU", "agent"}, 0, ""},
		{"named", "KCC", "", []string{"VRU", "queue", "KCC", "VRU", "KCC", "VRU", "queue", "VRU", "KCC"}, 0, ""},
		{"column", "KCC", "Team", []string{"VRU", "queue", "Taxes desk", "VRU", "KCC", "VRU", "queue"}, 1, ""},
		{"no column", "", "skill", nil, 0, `--call-agent-department-column "skill": the header has no such column`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Read([]string{"-"}, Options{Shape: ShapeCalls, CallAgent: tc.agent, CallAgentColumn: tc.column,
				Stdin: strings.NewReader(text), Mem: mem})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			d := res.Log.Codes(eventlog.Department)
			var got []string
			for _, i := range d.Index {
				got = append(got, d.Names[i])
			}
			if !slices.Equal(got, tc.depts) || res.Rejected != tc.rejected {
				t.Errorf("departments %q, %d rejected; want %q, %d", got, res.Rejected, tc.depts, tc.rejected)
			}
			if tc.rejected > 0 && (res.Rejects[0].Line != 5 || !strings.Contains(res.Rejects[0].Reason, `the service's department is "queue"`)) {
				t.Errorf("reject %v; want line 5, a waiting stage's name", res.Rejects[0])
			}
		})
	}
}
