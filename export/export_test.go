package export_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/ingest"
)

// handDoc is a small log with typed attributes, a case attribute that is
// constant in one case and varies in the other, a channel, text that XML
// and spreadsheets need escaped, a start time with microseconds and an
// attribute whose name XES uses for a role.
const handDoc = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016">
<trace><string key="concept:name" value="c1"/><string key="channel" value="phone"/><string key="priority" value="high"/>
 <event><string key="concept:name" value="Register"/><date key="time:timestamp" value="2024-03-01T10:00:00.250+01:00"/>
  <date key="start_timestamp" value="2024-03-01T08:59:59.000001Z"/>
  <string key="org:group" value="KCC"/><string key="org:resource" value="ann"/><string key="lifecycle:transition" value="complete"/>
  <int key="amount" value="-7"/><float key="score" value="2.5"/><boolean key="urgent" value="true"/>
  <string key="note" value="=SUM(A1) &amp; &lt;b&gt; &quot;q&quot;&#9;tab&#10;line"/></event>
 <event><string key="concept:name" value="Close"/><date key="time:timestamp" value="2024-03-01T12:00:00Z"/><float key="score" value="1e300"/></event>
</trace>
<trace><string key="concept:name" value="c2"/>
 <event><string key="concept:name" value="Register"/><date key="time:timestamp" value="2024-03-02T09:00:00Z"/><string key="case:priority" value="low"/><string key="team" value="x"/></event>
 <event><string key="concept:name" value="Register"/><date key="time:timestamp" value="2024-03-02T09:30:00Z"/><string key="case:priority" value="high"/></event>
</trace>
</log>`

func readDoc(t *testing.T, mem memory.Allocator, doc string, m ingest.Mapping) *eventlog.Log {
	t.Helper()
	res, err := ingest.Read([]string{"-"}, ingest.Options{Mem: mem, Stdin: strings.NewReader(doc), Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected > 0 {
		t.Fatalf("rejects: %v", res.Rejects)
	}
	return res.Log
}

func TestCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{Department: []string{"team"}})
	defer l.Release()
	var buf bytes.Buffer
	if err := export.Write(&buf, l, export.CSV, export.Options{}); err != nil {
		t.Fatal(err)
	}
	// Hand-written: role columns by their XES names, then the attributes
	// in the log's order (trace attributes first, as the XES reader met
	// them), the one called org:group renamed as the department has that
	// name; times in UTC with microseconds; the formula-like note
	// neutralised and quoted (it holds a quote, a tab and a line break); a
	// number that starts with '-' left alone.
	want := "case:concept:name,concept:name,time:timestamp,start_timestamp,org:group,org:resource,case:channel,case:priority,attr:org:group,lifecycle:transition,amount,score,urgent,note\n" +
		`c1,Register,2024-03-01T09:00:00.250000Z,2024-03-01T08:59:59.000001Z,,ann,phone,high,KCC,complete,-7,2.5,true,"'=SUM(A1) & <b> ""q""` + "\ttab\nline\"\n" +
		"c1,Close,2024-03-01T12:00:00.000000Z,,,,phone,high,,,,1e+300,,\n" +
		"c2,Register,2024-03-02T09:00:00.000000Z,,x,,,low,,,,,,\n" +
		"c2,Register,2024-03-02T09:30:00.000000Z,,,,,high,,,,,,\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV\n%s\nwant\n%s", got, want)
	}
}

func TestXES(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{Department: []string{"team"}})
	defer l.Release()
	var buf bytes.Buffer
	if err := export.Write(&buf, l, export.XES, export.Options{}); err != nil {
		t.Fatal(err)
	}
	// Hand-written: priority is constant in c1 (a trace attribute) and
	// varies in c2 (on each event, as case:priority); the channel likewise;
	// the event attribute org:group is not the department here, so it is
	// written as attr:org:group; team is the department (org:group).
	want := `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
	<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
	<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
	<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
	<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
	<trace>
		<string key="concept:name" value="c1"/>
		<string key="channel" value="phone"/>
		<string key="priority" value="high"/>
		<event>
			<string key="concept:name" value="Register"/>
			<date key="time:timestamp" value="2024-03-01T09:00:00.250+00:00"/>
			<date key="start_timestamp" value="2024-03-01T08:59:59.000001+00:00"/>
			<string key="org:resource" value="ann"/>
			<string key="attr:org:group" value="KCC"/>
			<string key="lifecycle:transition" value="complete"/>
			<int key="amount" value="-7"/>
			<float key="score" value="2.5"/>
			<boolean key="urgent" value="true"/>
			<string key="note" value="=SUM(A1) &amp; &lt;b&gt; &quot;q&quot;&#9;tab&#10;line"/>
		</event>
		<event>
			<string key="concept:name" value="Close"/>
			<date key="time:timestamp" value="2024-03-01T12:00:00.000+00:00"/>
			<float key="score" value="1e+300"/>
		</event>
	</trace>
	<trace>
		<string key="concept:name" value="c2"/>
		<event>
			<string key="concept:name" value="Register"/>
			<date key="time:timestamp" value="2024-03-02T09:00:00.000+00:00"/>
			<string key="org:group" value="x"/>
			<string key="case:priority" value="low"/>
		</event>
		<event>
			<string key="concept:name" value="Register"/>
			<date key="time:timestamp" value="2024-03-02T09:30:00.000+00:00"/>
			<string key="case:priority" value="high"/>
		</event>
	</trace>
</log>
`
	if got := buf.String(); got != want {
		t.Errorf("XES\n%s\nwant\n%s", got, want)
	}
}

// TestFormats: the hand-made log, written in every format and read back
// through ingest, is the same log (CSV without its attribute types);
// gzip-compressed CSV and XES read back too.
func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name      string
		f         export.Format
		gzip      bool
		dropEmpty bool
	}{
		{"log.csv", export.CSV, false, false},
		{"log.csv.gz", export.CSV, true, false},
		{"log.xes", export.XES, false, true},
		{"log.xes.gz", export.XES, true, true},
		{"log.parquet", export.Parquet, false, false},
		{"log.arrow", export.IPC, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			orig := readDoc(t, mem, handDoc, ingest.Mapping{})
			defer orig.Release()
			path := filepath.Join(t.TempDir(), tc.name)
			if err := export.WriteFile(path, orig, tc.f, export.Options{Gzip: tc.gzip, Mem: mem}); err != nil {
				t.Fatal(err)
			}
			back := read(t, mem, ingest.Mapping{}, path)
			defer back.Release()
			if tc.f == export.CSV {
				// CSV has no types: compare with the log read from a CSV
				// that a person wrote by hand from handDoc.
				want := readDoc(t, mem, handCSV, ingest.Mapping{})
				defer want.Release()
				compare(t, want, back, false)
				return
			}
			compare(t, orig, back, tc.dropEmpty)
		})
	}
}

// handCSV is handDoc as CSV, typed out by hand.
const handCSV = "case,activity,time,start_time,department,resource,channel,lifecycle:transition,amount,score,urgent,note,case:priority,team\n" +
	`c1,Register,2024-03-01T09:00:00.25Z,2024-03-01T08:59:59.000001Z,KCC,ann,phone,complete,-7,2.5,true,"'=SUM(A1) & <b> ""q""` + "\ttab\nline\",high,\n" +
	"c1,Close,2024-03-01T12:00:00Z,,,,phone,,,1e+300,,,high,\n" +
	"c2,Register,2024-03-02T09:00:00Z,,,,,,,,,,low,x\n" +
	"c2,Register,2024-03-02T09:30:00Z,,,,,,,,,,high,\n"

// An empty log is a file with the columns and no events, in every format.
func TestEmpty(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := eventlog.NewBuilder().Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for _, f := range []export.Format{export.CSV, export.XES, export.Parquet, export.IPC} {
		var buf bytes.Buffer
		if err := export.Write(&buf, l, f, export.Options{Mem: mem}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		res, err := ingest.Read([]string{"-"}, ingest.Options{Mem: mem, Stdin: &buf})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if res.Log.Len() != 0 || res.Rows != 0 {
			t.Errorf("%s: %d events from %d rows", f, res.Log.Len(), res.Rows)
		}
		res.Release()
	}
}

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		f    export.Format
		gzip bool
		ok   bool
	}{
		{"a.csv", export.CSV, false, true}, {"A.CSV.GZ", export.CSV, true, true}, {"x/y.xes", export.XES, false, true},
		{"y.xes.gz", export.XES, true, true}, {"l.parquet", export.Parquet, false, true}, {"l.arrow", export.IPC, false, true},
		{"l.ipc", export.IPC, false, true}, {"l.feather", export.IPC, false, true}, {"l.gz", "", false, false},
		{"l.txt", "", false, false}, {"parquet", "", false, false},
	} {
		f, gz, ok := export.FormatOf(tc.path)
		if f != tc.f || gz != tc.gzip || ok != tc.ok {
			t.Errorf("FormatOf(%q) = %q, %v, %v; want %q, %v, %v", tc.path, f, gz, ok, tc.f, tc.gzip, tc.ok)
		}
	}
	if f, gz, err := export.ParseFormat("xes.gz"); f != export.XES || !gz || err != nil {
		t.Errorf("ParseFormat(xes.gz) = %q, %v, %v", f, gz, err)
	}
	if _, _, err := export.ParseFormat("json"); !errors.Is(err, export.ErrFormat) {
		t.Errorf("ParseFormat(json): %v", err)
	}
	if err := export.Write(io.Discard, nil, export.Parquet, export.Options{Gzip: true}); err == nil {
		t.Error("gzip Parquet was accepted")
	}
}

// failAfter fails every write after n bytes.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// A failed write reports the error and leaves no file behind: not the
// target, not a temporary file.
func TestWriteFailures(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{})
	defer l.Release()
	for _, f := range []export.Format{export.CSV, export.XES, export.Parquet, export.IPC} {
		if err := export.Write(&failAfter{n: 100}, l, f, export.Options{Mem: mem}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want disk full", f, err)
		}
	}
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "folder", "log.csv")
	if err := export.WriteFile(missing, l, export.CSV, export.Options{}); err == nil || !strings.Contains(err.Error(), "check that the folder exists") {
		t.Errorf("missing folder: %v", err)
	}
	if runtime.GOOS != "windows" && os.Getuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := export.WriteFile(filepath.Join(ro, "log.csv"), l, export.CSV, export.Options{}); err == nil {
			t.Error("writing into a read-only folder succeeded")
		}
	}
	// An old file survives a failed write over it: the format is unknown,
	// so Write fails after the temporary file was created.
	old := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteFile(old, l, export.Format("json"), export.Options{}); err == nil {
		t.Error("unknown format accepted")
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Errorf("old file now holds %q", b)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "old.csv" && strings.Join(names, " ") != "old.csv ro" {
		t.Errorf("folder holds %q", names)
	}
}

// gunzip is used by the command tests' helpers too; here it checks that
// .gz output is real gzip.
func TestGzip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{})
	defer l.Release()
	var buf bytes.Buffer
	if err := export.Write(&buf, l, export.XES, export.Options{Gzip: true}); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil || !bytes.HasPrefix(text, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("gunzipped: %v %.40q", err, text)
	}
}

// An activity joined from concept:name and lifecycle:transition survives
// CSV without flags: the role takes the name concept:name, and the
// attribute of that name becomes attr:concept:name.
func TestJoinedActivityCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := readDoc(t, mem, handDoc, ingest.Mapping{Activity: []string{"concept:name", "lifecycle:transition"}})
	defer l.Release()
	back := read(t, mem, ingest.Mapping{}, write(t, l, "joined.csv", export.CSV, mem))
	defer back.Release()
	for i, want := range []string{"s:Register+complete", "s:Close", "s:Register", "s:Register"} {
		if got := render(back, eventlog.Activity, i); got != want {
			t.Errorf("event %d: activity %q, want %q", i, got, want)
		}
	}
	if got := render(back, "attr:concept:name", 0); got != "s:Register" {
		t.Errorf("attr:concept:name %q", got)
	}
}
