package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/zstd"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/realdata"
)

// readString reads CSV text through the whole pipeline via the "-" path.
func readString(t *testing.T, mem memory.Allocator, text string, opt Options) (*Result, error) {
	t.Helper()
	opt.Mem = mem
	opt.Stdin = strings.NewReader(text)
	return Read([]string{"-"}, opt)
}

// event is one row of a log in plain values, for comparisons.
type event struct {
	Case, Activity, Dept string
	Time                 string // RFC 3339 UTC
	Row                  int64
}

func events(l *eventlog.Log) []event {
	cases := l.Codes(eventlog.Case)
	acts := l.Codes(eventlog.Activity)
	depts := l.Codes(eventlog.Department)
	rows := l.Rows()
	var out []event
	for i, ts := range l.Times() {
		e := event{Case: cases.Names[cases.Index[i]], Activity: acts.Names[acts.Index[i]],
			Time: time.UnixMicro(ts).UTC().Format(time.RFC3339Nano)}
		if d := depts.Index[i]; d >= 0 {
			e.Dept = depts.Names[d]
		}
		e.Row = rows[i]
		out = append(out, e)
	}
	return out
}

func TestReadCSV(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	for _, tc := range []struct {
		name string
		text string
		opt  Options
		want []event
	}{
		{
			name: "comma, ISO, events grouped by case in first-appearance order, sorted by time",
			text: "case_id,activity,timestamp,department\n" +
				"B,Close,2021-03-01T12:00:00Z,Billing\n" +
				"A,Register,2021-03-01T09:00:00Z,KCC\n" +
				"B,Register,2021-03-01T08:00:00Z,KCC\n" +
				"A,Route,2021-03-01T10:00:00+02:00,KCC\n",
			want: []event{
				{"B", "Register", "KCC", "2021-03-01T08:00:00Z", 4},
				{"B", "Close", "Billing", "2021-03-01T12:00:00Z", 2},
				{"A", "Route", "KCC", "2021-03-01T08:00:00Z", 5},
				{"A", "Register", "KCC", "2021-03-01T09:00:00Z", 3},
			},
		},
		{
			name: "ties keep file order",
			text: "case,activity,time\nc,b,2021-01-01 10:00:00\nc,a,2021-01-01 10:00:00\nc,z,2021-01-01 09:00:00\n",
			want: []event{
				{"c", "z", "", "2021-01-01T09:00:00Z", 4},
				{"c", "b", "", "2021-01-01T10:00:00Z", 2},
				{"c", "a", "", "2021-01-01T10:00:00Z", 3},
			},
		},
		{
			name: "Dutch export: semicolon, CRLF, BOM, d-m-yyyy local time across the autumn DST change",
			text: "\xef\xbb\xbfzaaknummer;activiteit;datum;afdeling;medewerker\r\n" +
				"Z1;Registreren;31-10-2021 01:30:00;KCC;Ans\r\n" +
				"Z1;Doorzetten;31-10-2021 03:30:00;Belastingen;Piet\r\n",
			opt: Options{Location: ams},
			want: []event{
				{"Z1", "Registreren", "KCC", "2021-10-30T23:30:00Z", 2},
				{"Z1", "Doorzetten", "Belastingen", "2021-10-31T02:30:00Z", 3},
			},
		},
		{
			name: "quoted newlines and doubled quotes; row numbers are the line a record starts on",
			text: "case,activity,time,note\n" +
				"c1,\"Call \"\"back\"\"\",2021-01-01 10:00:00,\"two\nlines\"\n" +
				"c1,Close,2021-01-01 11:00:00,\n",
			want: []event{
				{"c1", "Call \"back\"", "", "2021-01-01T10:00:00Z", 2},
				{"c1", "Close", "", "2021-01-01T11:00:00Z", 4},
			},
		},
		{
			name: "tab, d/m/yyyy H:MM without padding, missing tokens",
			text: "ticket\tstatus\tdate\tteam\n" +
				"7\tOpen\t9/3/2021 8:05\tNULL\n" +
				"7\tDone\t13/3/2021 17:45\t?\n",
			want: []event{
				{"7", "Open", "", "2021-03-09T08:05:00Z", 2},
				{"7", "Done", "", "2021-03-13T17:45:00Z", 3},
			},
		},
		{
			name: "pipe and explicit mapping with joined activity",
			text: "id|st|sub|when|grp\n1|Queued|Awaiting|2021-05-01 10:00:00|T1\n1|Accepted||2021-05-01 11:00:00|T2\n",
			opt:  Options{Mapping: Mapping{Case: []string{"id"}, Activity: []string{"st", "sub"}, Time: []string{"when"}, Department: []string{"grp"}}},
			want: []event{
				{"1", "Queued+Awaiting", "T1", "2021-05-01T10:00:00Z", 2},
				{"1", "Accepted", "T2", "2021-05-01T11:00:00Z", 3},
			},
		},
		{
			name: "Latin-1 detected and converted",
			text: "case;activity;time;department\nc1;R\xe9ception;2021-01-01 10:00:00;Caf\xe9\n",
			want: []event{{"c1", "Réception", "Café", "2021-01-01T10:00:00Z", 2}},
		},
		{
			name: "date and time of day in two columns",
			text: "zaaknummer;activiteit;datum;tijdstip;afdeling\n" +
				"Z1;Registreren;9-3-2021;8:05;KCC\n" +
				"Z1;Afsluiten;13-3-2021;17:45:10;KCC\n",
			opt: Options{Location: ams},
			want: []event{
				{"Z1", "Registreren", "KCC", "2021-03-09T07:05:00Z", 2},
				{"Z1", "Afsluiten", "KCC", "2021-03-13T16:45:10Z", 3},
			},
		},
		{
			name: "date and time columns named by flag",
			text: "id,what,day,clock\n1,a,2021-03-09,08:05\n",
			opt:  Options{Mapping: Mapping{Case: []string{"id"}, Activity: []string{"what"}, Time: []string{"day", "clock"}}},
			want: []event{{"1", "a", "", "2021-03-09T08:05:00Z", 2}},
		},
		{
			name: "epoch seconds",
			text: "case,activity,time\nc,a,1614589200\n",
			want: []event{{"c", "a", "", "2021-03-01T09:00:00Z", 2}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, tc.text, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rejected != 0 {
				t.Fatalf("rejected %d:%s", res.Rejected, FormatRejects(res.Rejects, res.Rejected))
			}
			got := events(res.Log)
			if !slices.Equal(got, tc.want) {
				t.Errorf("events:\n got  %v\n want %v", got, tc.want)
			}
			if res.Rows != int64(len(tc.want)) {
				t.Errorf("rows = %d, want %d", res.Rows, len(tc.want))
			}
		})
	}
}

// TestBrokenCorpus checks that every file in ../testdata/broken gives a
// clear error or precise rejects, and never panics.
func TestBrokenCorpus(t *testing.T) {
	type rej struct {
		line   int64
		col    int
		reason string
	}
	for _, tc := range []struct {
		file       string
		opt        Options
		err        string // substring of the error, if one is expected
		rows, kept int64
		rejects    []rej
	}{
		{file: "empty.csv", err: "empty.csv:1:1: the file is empty"},
		{file: "header_only.csv"},
		{file: "not_csv.png.csv", err: "an event log needs a case id, an activity and a time"},
		{file: "truncated.csv.gz", err: "gzip data ends early"},
		{file: "ambiguous_date.csv", err: `pass --time-format "02/01/2006 15:04" for day-first`},
		{file: "inconsistent_date.csv", err: "inconsistent day/month order"},
		{file: "duplicate_columns.csv", rows: 1, kept: 1},
		{file: "epoch_tab.tsv", rows: 2, kept: 2},
		{file: "latin1_or_invalid_utf8.csv", rows: 2, kept: 2},
		{file: "latin1_or_invalid_utf8.csv", opt: Options{Encoding: "utf-8"}, rows: 2, kept: 1,
			rejects: []rej{{2, 4, `column "department" is not valid UTF-8; if the file is Latin-1`}}},
		// The open quote would swallow line 5, a row: line 3 is rejected,
		// line 4 is the rest of its activity, and line 5 is read.
		{file: "unterminated_quote.csv", rows: 4, kept: 2,
			rejects: []rej{{3, 2, "its quote opens a field that runs to line 5 and holds 1 line(s) that read as rows"}, {4, 3, "the row has 2 fields"}}},
		{file: "wrong_field_count.csv", rows: 4, kept: 2, rejects: []rej{
			{3, 5, "the row has 5 fields but the header has 4"},
			{4, 4, "the row has 3 fields but the header has 4"}}},
		{file: "impossible_date.csv", rows: 10, kept: 6, rejects: []rej{
			{3, 3, "day 30 does not exist in February"},
			{4, 3, "day 31 does not exist in April"},
			{5, 3, "month 13 does not exist"},
			{6, 3, "hour 25 does not exist"}}},
		{file: "split_date_time.csv", rows: 4, kept: 1, rejects: []rej{
			{3, 4, `time column "tijdstip": the time of day is missing`},
			{4, 4, `time column "tijdstip": hour 25 does not exist`},
			{5, 3, `time column "datum": day 31 does not exist in February`}}},
		{file: "nul_bytes.csv", rows: 3, kept: 2, rejects: []rej{{3, 2, `column "activity" contains a NUL byte`}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join("..", "testdata", "broken", tc.file)
			opt := tc.opt
			opt.Mem = mem
			res, err := Read([]string{path}, opt)
			if tc.err != "" {
				if err == nil {
					res.Release()
					t.Fatalf("no error, want %q", tc.err)
				}
				if !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), path+":") {
					t.Fatalf("error %q, want it to start with %q and contain %q", err, path+":", tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rows != tc.rows || int64(res.Log.Len()) != tc.kept || res.Rejected != tc.rows-tc.kept {
				t.Errorf("rows %d, kept %d, rejected %d; want %d, %d, %d", res.Rows, res.Log.Len(), res.Rejected, tc.rows, tc.kept, tc.rows-tc.kept)
			}
			if len(res.Rejects) != len(tc.rejects) {
				t.Fatalf("rejects:%s\nwant %d", FormatRejects(res.Rejects, res.Rejected), len(tc.rejects))
			}
			for i, w := range tc.rejects {
				g := res.Rejects[i]
				if g.File != path || g.Line != w.line || g.Column != w.col || !strings.Contains(g.Reason, w.reason) {
					t.Errorf("reject %d = %s, want %s:%d:%d: …%s…", i, g, path, w.line, w.col, w.reason)
				}
			}
		})
	}
}

func TestLongLine(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	long := strings.Repeat("x", 10<<20)
	text := "case,activity,time\nc,a,2021-01-01 10:00:00\n" + long + "\nc,b,2021-01-01 11:00:00\n"
	res, err := readString(t, mem, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Rows != 3 || res.Log.Len() != 2 || len(res.Rejects) != 1 {
		t.Fatalf("rows %d, events %d, rejects %d; want 3, 2, 1", res.Rows, res.Log.Len(), len(res.Rejects))
	}
	r := res.Rejects[0]
	if r.Line != 3 || len(r.Raw) > MaxRawLen+len("…") {
		t.Errorf("reject at line %d with %d raw bytes; want line 3 and at most %d", r.Line, len(r.Raw), MaxRawLen)
	}
}

func TestCompressed(t *testing.T) {
	text := "case,activity,time\nc1,a,2021-01-01 10:00:00\nc1,b,2021-01-01 11:00:00\n"
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	io.WriteString(gw, text)
	gw.Close()
	zw, err := zstd.NewWriter(&zs)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(zw, text)
	zw.Close()
	for name, data := range map[string][]byte{"gzip": gz.Bytes(), "zstd": zs.Bytes()} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, string(data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Inputs[0].Compression != name || res.Log.Len() != 2 {
				t.Errorf("compression %q with %d events, want %q with 2", res.Inputs[0].Compression, res.Log.Len(), name)
			}
		})
	}
}

// TestChunkedEqualsWhole checks that splitting a file into many chunks and
// parsing them on several workers gives exactly the log one worker gets
// from one chunk, quoted newlines included.
func TestChunkedEqualsWhole(t *testing.T) {
	var b strings.Builder
	b.WriteString("case,activity,time,department,note\n")
	for i := range 3000 {
		note := "plain"
		if i%7 == 0 {
			note = "\"quoted, with \"\"quotes\"\"\nand a newline\""
		}
		b.WriteString(strings.Join([]string{
			"c" + string(rune('a'+i%26)) + strings.Repeat("x", i%5),
			[]string{"Register", "Route", "Answer", "Close"}[i%4],
			time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*37%1000) * time.Minute).Format(time.DateTime),
			[]string{"KCC", "Billing", ""}[i%3],
			note,
		}, ",") + "\n")
	}
	text := b.String()
	// Every dictionary numbers its values in order of first appearance in
	// the file, however the chunks were interned and merged.
	firsts := map[string][]string{}
	for _, line := range strings.Split(text, "\n")[1:] {
		f := strings.Split(line, ",")
		for k, col := range map[int]string{0: eventlog.Case, 1: eventlog.Activity, 3: eventlog.Department} {
			if len(f) > 3 && f[k] != "" && !slices.Contains(firsts[col], f[k]) {
				firsts[col] = append(firsts[col], f[k])
			}
		}
	}
	read := func(workers, chunk int) []event {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		res, err := readString(t, mem, text, Options{Workers: workers, chunkSize: chunk})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		if res.Rejected != 0 || res.Rows != 3000 {
			t.Fatalf("rows %d rejected %d:%s", res.Rows, res.Rejected, FormatRejects(res.Rejects, res.Rejected))
		}
		for col, want := range firsts {
			if got := res.Log.Codes(col).Names; !slices.Equal(got, want) {
				t.Errorf("workers %d, chunk %d: %s dictionary %q, want %q", workers, chunk, col, got, want)
			}
		}
		return events(res.Log)
	}
	whole := read(1, 0)
	for _, w := range []int{2, 3} {
		for _, c := range []int{64, 1000, 4096} {
			if got := read(w, c); !slices.Equal(got, whole) {
				t.Errorf("workers %d, chunk %d: log differs from the one-chunk read", w, c)
			}
		}
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Read([]string{"no/such/file.csv"}, Options{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "no/such/file.csv") {
		t.Errorf("error %v, want a not-exist error naming the path", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "broken", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("case,activity,time\nc,a,2021-01-01 10:00:00\n"))
	f.Add([]byte("a;b;c\n\"x\n;\"\";1/2/2021\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		res, err := Read([]string{"-"}, Options{Stdin: bytes.NewReader(data), Mem: mem, Workers: 2, chunkSize: 16})
		if err != nil {
			return
		}
		addsUp(t, res)
		res.Release()
		mem.AssertSize(t, 0)
	})
}

// TestRealCSV checks the counts the data README publishes for the real CSV
// exports, read with no flags (or the one the issue allows).
func TestRealCSV(t *testing.T) {
	for _, tc := range []struct {
		file          string
		mapping       Mapping
		events, cases int
		dept          string // expected department column, "" for none
	}{
		{file: "receipt/receipt.csv", events: 8577, cases: 1434, dept: "org:group"},
		{file: "bpic2014/BPIC14_incident_log.csv", events: 39911, cases: 4000, dept: "assignment_group"},
		// The README names the team column; "involved" marks a department
		// since issue 12.
		{file: "bpic2013/closed_problems.csv", events: 6660, cases: 1487, dept: "Problem Involved Owner ST",
			mapping: Mapping{Activity: []string{"Problem Status", "Problem Sub Status"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := realdata.Path(t, tc.file)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Read([]string{path}, Options{Mapping: tc.mapping, Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Log.Len() != tc.events || res.Log.Cases() != tc.cases || res.Rejected != 0 || res.Rows != int64(tc.events) {
				t.Errorf("%d events, %d cases, %d rows, %d rejected; want %d, %d, %d, 0",
					res.Log.Len(), res.Log.Cases(), res.Rows, res.Rejected, tc.events, tc.cases, tc.events)
			}
			var dept string
			for _, c := range res.Inputs[0].Columns {
				if c.Role == eventlog.Department {
					dept = c.Name
				}
			}
			if dept != tc.dept {
				t.Errorf("department column %q, want %q", dept, tc.dept)
			}
		})
	}
}

func TestJoinedActivityKeepsParts(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, "id,st,sub,when\n1,Queued,Awaiting,2021-05-01 10:00:00\n",
		Options{Mapping: Mapping{Activity: []string{"st", "sub"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	for col, want := range map[string]string{eventlog.Activity: "Queued+Awaiting", "st": "Queued", "sub": "Awaiting"} {
		c := res.Log.Codes(col)
		if len(c.Index) != 1 || c.Index[0] < 0 || c.Names[c.Index[0]] != want {
			t.Errorf("column %q = %v %v, want %q", col, c.Index, c.Names, want)
		}
	}
}

func TestIsMissing(t *testing.T) {
	long := strings.Repeat("x", 70) // past the per-length bits
	var p csvParser
	p.setMissing([]string{"", "NA", long})
	for _, tc := range []struct {
		cell string
		want bool
	}{
		{"", true}, {"NA", true}, {long, true},
		{"N", false}, {"NB", false}, {"NAN", false},
		{strings.Repeat("x", 63), false}, {strings.Repeat("x", 80), false}, {long[:69] + "y", false},
	} {
		if got := p.isMissing([]byte(tc.cell)); got != tc.want {
			t.Errorf("isMissing(%q) = %v, want %v", tc.cell, got, tc.want)
		}
	}
}
