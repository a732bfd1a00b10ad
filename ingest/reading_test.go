package ingest

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/realdata"
)

// TestRoleNames: header sets in the styles of common exports → the column
// each role gets from the names alone (every column here reads as a time
// where its name says so).
func TestRoleNames(t *testing.T) {
	for _, tc := range []struct {
		style  string
		header []string
		times  []string // columns whose values read as timestamps
		want   map[string]string
	}{
		{"XES flattened by pm4py", []string{"case:concept:name", "concept:name", "time:timestamp", "org:group", "org:resource", "case:channel"},
			[]string{"time:timestamp"},
			map[string]string{"case": "case:concept:name", "activity": "concept:name", "time": "time:timestamp", "department": "org:group", "resource": "org:resource", "channel": "case:channel"}},
		{"ServiceNow incident audit", []string{"number", "opened_at", "sys_updated_at", "incident_state", "assignment_group", "assigned_to", "contact_type"},
			[]string{"opened_at", "sys_updated_at"},
			map[string]string{"case": "number", "activity": "incident_state", "time": "sys_updated_at", "department": "assignment_group", "resource": "assigned_to", "channel": "contact_type"}},
		{"Salesforce case history", []string{"Case Number", "Created Date", "Edit Date", "Status", "Owner Group", "Case Owner", "Case Origin"},
			[]string{"Created Date", "Edit Date"},
			map[string]string{"case": "Case Number", "activity": "Status", "time": "Edit Date", "department": "Owner Group", "resource": "Case Owner", "channel": "Case Origin"}},
		{"Zendesk ticket events", []string{"Ticket ID", "Updated at", "Status", "Group", "Assignee", "Via"},
			[]string{"Updated at"},
			map[string]string{"case": "Ticket ID", "activity": "Status", "time": "Updated at", "department": "Group", "resource": "Assignee", "channel": "Via"}},
		{"Dynamics 365 case audit", []string{"ticketnumber", "createdon", "Modified On", "Status Reason", "Owning Team", "Owner", "Origin"},
			[]string{"createdon", "Modified On"},
			map[string]string{"case": "ticketnumber", "activity": "Status Reason", "time": "Modified On", "department": "Owning Team", "resource": "Owner", "channel": "Origin"}},
		{"TOPdesk (Dutch)", []string{"Incidentnummer", "Datum aangemaakt", "Datum wijziging", "Status", "Operatorgroep", "Operator", "Soort binnenkomst"},
			[]string{"Datum aangemaakt", "Datum wijziging"},
			map[string]string{"case": "Incidentnummer", "activity": "Status", "time": "Datum wijziging", "department": "Operatorgroep", "resource": "Operator", "channel": "Soort binnenkomst"}},
		{"Siebel / BPIC 2013", []string{"SR Number", "Change Date+Time", "Stage", "Involved ST", "Owner First Name", "Country"},
			[]string{"Change Date+Time"},
			map[string]string{"case": "SR Number", "activity": "Stage", "time": "Change Date+Time", "department": "Involved ST"}},
		{"multi-word keys", []string{"Ticket Number", "Event Time", "State", "Support Team", "Agent"},
			[]string{"Event Time"},
			map[string]string{"case": "Ticket Number", "activity": "State", "time": "Event Time", "department": "Support Team", "resource": "Agent"}},
		{"start and end", []string{"Case ID", "start_timestamp", "end_timestamp", "Activity", "Office"},
			[]string{"start_timestamp", "end_timestamp"},
			map[string]string{"case": "Case ID", "activity": "Activity", "time": "end_timestamp", "start_time": "start_timestamp", "department": "Office"}},
		{"Dutch without activity", []string{"zaaknummer", "afdeling", "medewerker", "datum"},
			[]string{"datum"},
			map[string]string{"case": "zaaknummer", "activity": "afdeling", "time": "datum", "department": "afdeling", "resource": "medewerker"}},
	} {
		t.Run(tc.style, func(t *testing.T) {
			m, err := mapColumns(tc.header, Mapping{}, func(col int) bool { return slices.Contains(tc.times, tc.header[col]) })
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for i, h := range tc.header {
				if r := m.roleOf(i); r != "" {
					got[r] = h
				}
			}
			if len(m.acts) == 1 {
				got[eventlog.Activity] = tc.header[m.acts[0]]
			}
			for _, role := range []string{"case", "activity", "time", "start_time", "department", "resource", "channel"} {
				if got[role] != tc.want[role] {
					t.Errorf("%s = %q, want %q", role, got[role], tc.want[role])
				}
			}
		})
	}
}

// TestTimeColumnByChange: a timestamp column that changes within cases
// wins over a better-named one that does not.
func TestTimeColumnByChange(t *testing.T) {
	const log = "ticket,last_modified,stamp,status\n" +
		"T1,2024-05-01 17:00,2024-05-01 09:00,open\n" +
		"T1,2024-05-01 17:00,2024-05-01 12:00,pending\n" +
		"T2,2024-05-02 10:00,2024-05-02 08:00,open\n" +
		"T2,2024-05-02 10:00,2024-05-02 09:30,closed\n"
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, log, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	in := res.Inputs[0]
	if c := in.Columns[2]; c.Role != eventlog.Time {
		t.Errorf("stamp is %q, want the time", c.Role)
	}
	for i, want := range map[int]float64{1: 0, 2: 1} {
		if v := in.Columns[i].TimeVaries; v == nil || *v != want {
			t.Errorf("column %s varies in %v of cases, want %v", in.Columns[i].Name, v, want)
		}
	}
	if notes := strings.Join(in.Notes, " "); strings.Contains(notes, "lead time") {
		t.Errorf("notes %q, want no lead-time warning", notes)
	}
}

// TestServiceNowExport: the per-row sys_updated_at is the time with no
// flags, not the per-case opened_at; a file with only opened_at warns.
func TestServiceNowExport(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{filepath.Join("testdata", "servicenow_incidents.csv")}, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	in := res.Inputs[0]
	roles := map[string]string{}
	for _, c := range in.Columns {
		roles[c.Role] = c.Name
	}
	if roles[eventlog.Time] != "sys_updated_at" || roles[eventlog.Activity] != "incident_state" || roles[eventlog.Department] != "assignment_group" {
		t.Errorf("roles %v", roles)
	}
	// Lead times by hand: INC0010001 08:00 → 15:00, INC0010002 09:10 →
	// 16:20 the next day, INC0010003 10:00:00 → 10:02:30.
	want := []time.Duration{7 * time.Hour, 31*time.Hour + 10*time.Minute, 150 * time.Second}
	off, ts := res.Log.Offsets(), res.Log.Times()
	for k := range res.Log.Cases() {
		if got := time.Duration(ts[off[k+1]-1]-ts[off[k]]) * time.Microsecond; got != want[k] {
			t.Errorf("case %d lead time %v, want %v", k, got, want[k])
		}
	}
	if len(in.Notes) != 0 || in.Resolution != time.Second {
		t.Errorf("notes %q, resolution %v; want none, 1s", in.Notes, in.Resolution)
	}
	// opened_at is the same on every row of an incident: 3 of the 3
	// incidents with several rows get a lead time of 0, and no other
	// column holds times.
	res2, err := Read([]string{filepath.Join("testdata", "servicenow_opened_only.csv")}, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	notes := strings.Join(res2.Inputs[0].Notes, "\n")
	for _, want := range []string{"3 of 3 cases with two or more events (100 %) have a lead time of 0", `"opened_at"`, "no other column's times change"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
}

// TestDutchExport is the README's example: zaaknummer;afdeling;
// medewerker;datum, Latin-1, CRLF, d-m-yyyy H:MM. It has no activity
// column, so the department is the step.
func TestDutchExport(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{filepath.Join("testdata", "zaken_nl.csv")}, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	in := res.Inputs[0]
	if res.Log.Len() != 8 || res.Log.Cases() != 3 || res.Rejected != 0 {
		t.Fatalf("%d events, %d cases, %d rejected; want 8, 3, 0", res.Log.Len(), res.Log.Cases(), res.Rejected)
	}
	var path []string
	for _, e := range events(res.Log)[:4] {
		path = append(path, e.Activity+"@"+e.Dept)
	}
	if want := []string{"KCC@KCC", "Vergunningen@Vergunningen", "KCC@KCC", "Vergunningen@Vergunningen"}; !slices.Equal(path, want) {
		t.Errorf("Z-2024-001 = %q, want %q", path, want)
	}
	if in.Resolution != time.Minute {
		t.Errorf("resolution %v, want 1m", in.Resolution)
	}
	notes := strings.Join(in.Notes, "\n")
	for _, want := range []string{`the department (column "afdeling") is the step`, "whole minutes"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if want := []Placeholder{{Column: "medewerker", Value: "onbekend", Events: 1}}; !slices.Equal(in.Placeholders, want) {
		t.Errorf("placeholders %+v, want %+v", in.Placeholders, want)
	}
}

// TestResolution: the step of the timestamps, and the note when it is
// coarser than a second.
func TestResolution(t *testing.T) {
	for _, tc := range []struct {
		name, times string
		loc         string
		want        time.Duration
		note        string
	}{
		{"dates only", "2024-03-01|2024-03-02|2024-03-05", "", 24 * time.Hour, "whole days"},
		{"dates only in a zone", "2024-03-01|2024-07-02|2024-10-27", "Europe/Amsterdam", 24 * time.Hour, "whole days"},
		{"minutes", "2024-03-01 09:00|2024-03-01 09:17|2024-03-02 00:00", "", time.Minute, "whole minutes"},
		{"minutes written with :00 seconds", "2024-03-01 09:00:00|2024-03-01 09:17:00", "", time.Minute, "whole minutes"},
		{"seconds", "2024-03-01 09:00:00|2024-03-01 09:17:01", "", time.Second, ""},
		{"milliseconds", "2024-03-01 09:00:00.120|2024-03-01 09:17:01.5", "", time.Millisecond * 10, ""},
		{"microseconds", "2024-03-01 09:00:00.000001|2024-03-01 09:17:01", "", time.Microsecond, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("case,activity,time\n")
			for i, v := range strings.Split(tc.times, "|") {
				b.WriteString("c1,a" + string(rune('0'+i)) + "," + v + "\n")
			}
			loc := time.UTC
			if tc.loc != "" {
				var err error
				if loc, err = time.LoadLocation(tc.loc); err != nil {
					t.Skip("no tz database:", err)
				}
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, b.String(), Options{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			in := res.Inputs[0]
			if in.Resolution != tc.want {
				t.Errorf("resolution %v, want %v", in.Resolution, tc.want)
			}
			notes := strings.Join(in.Notes, "\n")
			if tc.note == "" && notes != "" || !strings.Contains(notes, tc.note) {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
		})
	}
}

// TestPlaceholders: placeholder values are missing in role columns, any
// case, and counted; not in the case id or attributes; --missing replaces
// both lists.
func TestPlaceholders(t *testing.T) {
	const log = "case,activity,time,department,resource,note\n" +
		"c1,Register,2024-03-01 09:00:00,Front,ann,EMPTY\n" +
		"c1,Check,2024-03-01 10:00:00,EMPTY,n.v.t.,x\n" +
		"c1,Close,2024-03-01 11:00:00,Front,(blank),x\n" +
		"none,Check,2024-03-01 12:00:00,empty,bob,x\n"
	for _, tc := range []struct {
		name    string
		missing []string
		depts   []string
		note    string // the attribute's first value
		ph      []Placeholder
	}{
		{"default", nil, []string{"Front", "", "Front", ""}, "EMPTY", []Placeholder{
			{Column: "department", Value: "EMPTY", Events: 1}, {Column: "department", Value: "empty", Events: 1},
			{Column: "resource", Value: "(blank)", Events: 1}, {Column: "resource", Value: "n.v.t.", Events: 1}}},
		{"--missing as before", DefaultMissing, []string{"Front", "EMPTY", "Front", "empty"}, "EMPTY", nil},
		// The user's tokens apply to every cell, exactly as written.
		{"--missing EMPTY", []string{"", "EMPTY"}, []string{"Front", "", "Front", "empty"}, "", []Placeholder{{Column: "department", Value: "EMPTY", Events: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, log, Options{Missing: tc.missing})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			var depts []string
			for i := range res.Log.Len() {
				depts = append(depts, cell(res.Log, eventlog.Department, i))
			}
			if !slices.Equal(depts, tc.depts) {
				t.Errorf("departments %q, want %q", depts, tc.depts)
			}
			if got := res.Inputs[0].Placeholders; !slices.Equal(got, tc.ph) {
				t.Errorf("placeholders %+v, want %+v", got, tc.ph)
			}
			// "none" stays a case id, and a placeholder an attribute value.
			if res.Log.Cases() != 2 || cell(res.Log, "note", 0) != tc.note {
				t.Errorf("%d cases, note %q; want 2, %q", res.Log.Cases(), cell(res.Log, "note", 0), tc.note)
			}
		})
	}
}

// TestCompositeCase: --case with two columns makes one id of both, so the
// same call id on two lines is two cases; a date column in a two-digit
// year layout and an unpadded time of day make the time.
func TestCompositeCase(t *testing.T) {
	const log = "vru+line\tcall_id\tdate\tvru_entry\touted\n" +
		"AA0101\t33116\t990101\t0:00:31\tHANG\n" +
		"AA0102\t33116\t990101\t7:41:16\tAGENT\n" +
		"AA0101\t33117\t990102\t23:59:59\tAGENT\n" +
		"AA0101\t33116\t990103\t10:00:00\tAGENT\n"
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, log, Options{TimeFormat: "%y%m%d",
		Mapping: Mapping{Case: []string{"vru+line", "call_id"}, Time: []string{"date", "vru_entry"}, Activity: []string{"outed"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	var got []string
	for _, e := range events(res.Log) {
		got = append(got, e.Case+" "+e.Time)
	}
	want := []string{"AA0101␟33116 1999-01-01T00:00:31Z", "AA0101␟33116 1999-01-03T10:00:00Z",
		"AA0102␟33116 1999-01-01T07:41:16Z", "AA0101␟33117 1999-01-02T23:59:59Z"}
	if !slices.Equal(got, want) || res.Rejected != 0 {
		t.Errorf("events %q (%d rejected), want %q", got, res.Rejected, want)
	}
	// A part holding the separator would make ids collide: rejected.
	res2, err := readString(t, mem, "a,b,activity,time\nx␟y,z,A,2024-01-01\nx,y␟z,A,2024-01-01\n",
		Options{Mapping: Mapping{Case: []string{"a", "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	if res2.Rejected != 2 || !strings.Contains(res2.Rejects[0].Reason, "join the columns of a case id") {
		t.Errorf("%d rejected (%v), want 2", res2.Rejected, res2.Rejects)
	}
}

// TestNoActivityColumn: with neither an activity nor a department by
// name, a column whose values change within cases is the activity, with a
// note; with none such the error holds the column table.
func TestNoActivityColumn(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const guessable = "ticket_id,timestamp,amount,customer,outcome\n" +
		"T1,2024-01-01 09:00,10,acme,open\nT1,2024-01-01 10:00,12,acme,wait\nT2,2024-01-01 11:00,7,bolt,open\n"
	res, err := readString(t, mem, guessable, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if c := res.Inputs[0].Columns[4]; c.Role != eventlog.Activity || !strings.Contains(strings.Join(res.Inputs[0].Notes, " "), `column "outcome"`) {
		t.Errorf("outcome is %q, notes %q", c.Role, res.Inputs[0].Notes)
	}
	const hopeless = "ticket_id,timestamp,amount,customer\n" +
		"T1,2024-01-01 09:00,10,acme\nT1,2024-01-01 10:00,12,acme\nT2,2024-01-01 11:00,7,bolt\n"
	_, err = readString(t, mem, hopeless, Options{})
	var me *MappingError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "--activity") {
		t.Fatalf("error %v, want a MappingError asking for --activity", err)
	}
	var roles []string
	for _, c := range me.Input.Columns {
		roles = append(roles, c.Name+"="+c.Role)
	}
	if want := []string{"ticket_id=case", "timestamp=time", "amount=", "customer="}; !slices.Equal(roles, want) {
		t.Errorf("columns %q, want %q", roles, want)
	}
	if len(me.Input.Unfilled) == 0 || me.Input.Unfilled[0].Role != eventlog.Activity {
		t.Errorf("unfilled %+v, want the activity first", me.Input.Unfilled)
	}
}

// TestDepartmentCandidates: with no department column, the columns whose
// few values change within cases are offered, names that fit first.
func TestDepartmentCandidates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const log = "case,activity,time,colour,region,desk\n" +
		"c1,a,2024-01-01 09:00,red,north,D1\n" +
		"c1,b,2024-01-01 10:00,red,south,D1\n" +
		"c2,a,2024-01-01 11:00,blue,north,D2\n" +
		"c2,b,2024-01-01 12:00,blue,north,D2\n" +
		"c3,a,2024-01-01 13:00,red,east,D1\n" +
		"c3,b,2024-01-01 14:00,red,north,D3\n"
	res, err := readString(t, mem, log, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	// region changes in 2 of 3 cases, desk in 1 of 3; colour never.
	u := res.Inputs[0].Unfilled
	if len(u) == 0 || u[0].Role != eventlog.Department || !slices.Equal(u[0].Candidates, []string{"region", "desk"}) {
		t.Errorf("unfilled %+v, want department with region, desk", u)
	}
	path := realdata.Path(t, "helpdesk/helpdesk.xes.gz")
	res2, err := Read([]string{path}, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	// The data README names workgroup, support_section and
	// responsible_section; only workgroup changes within cases.
	if u := res2.Inputs[0].Unfilled; len(u) == 0 || len(u[0].Candidates) == 0 || u[0].Candidates[0] != "workgroup" {
		t.Errorf("helpdesk unfilled %+v, want workgroup first", u)
	}
}

// TestCallCentreKey reads the Anonymous Bank call records with the key
// its README gives: every row is one call (31,599 distinct pairs).
func TestCallCentreKey(t *testing.T) {
	path := realdata.Path(t, "callcentre/anonymous_bank_january_1999.txt")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Read([]string{path}, Options{Mem: mem, TimeFormat: "%y%m%d",
		Mapping: Mapping{Case: []string{"vru+line", "call_id"}, Time: []string{"date", "vru_entry"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Rows != 31599 || res.Log.Len() != 31599 || res.Log.Cases() != 31599 || res.Rejected != 0 {
		t.Errorf("%d rows, %d events, %d cases, %d rejected; want 31,599, 31,599, 31,599, 0", res.Rows, res.Log.Len(), res.Log.Cases(), res.Rejected)
	}
	if r := res.Inputs[0].Resolution; r != time.Second {
		t.Errorf("resolution %v, want 1s", r)
	}
}
