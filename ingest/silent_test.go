package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// The tests in this file are issue 14's "nothing lost silently" items:
// inputs that used to read without a word but with wrong figures.

// notesContain fails unless some note of the input contains want.
func notesContain(t *testing.T, in Input, want string) {
	t.Helper()
	for _, n := range in.Notes {
		if strings.Contains(n, want) {
			return
		}
	}
	t.Errorf("no note contains %q; notes: %q", want, in.Notes)
}

// TestPlaceholderDates: dates that systems write for "no date" are no
// time. As the event time they reject the row (it would otherwise make a
// lead time of 8,000 years); as the start time they are missing; both are
// counted. Real times on the placeholder years stay.
func TestPlaceholderDates(t *testing.T) {
	const log = "case,activity,time,start_time\n" +
		"c1,Open,2024-03-01 09:00:00,\n" +
		"c1,Close,9999-12-31 00:00:00,\n" + // line 3: rejected
		"c2,Open,0001-01-01 00:00:00,\n" + // line 4: rejected
		"c2,Work,2024-03-02 10:00:00,1900-01-01 00:00:00\n" + // start missing
		"c2,Close,2024-03-02 11:00:00,1970-01-01 00:00:00\n" + // start missing
		"c3,Open,1970-01-01 00:00:01,2024-03-02 10:30:00\n" + // a time, if an odd one
		"c3,Close,1900-01-02 00:00:00,1899-12-30 08:00:00\n" // a time; start missing
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, log, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	addsUp(t, res)
	if res.Rows != 7 || res.Rejected != 2 {
		t.Fatalf("rows %d rejected %d, want 7 and 2", res.Rows, res.Rejected)
	}
	for i, line := range []int64{3, 4} {
		r := res.Rejects[i]
		if r.Line != line || r.Column != 3 || !strings.Contains(r.Reason, `no date`) {
			t.Errorf("reject %d: %s, want line %d column 3 saying it is a placeholder", i, r, line)
		}
	}
	var starts []string
	for i := range res.Log.Len() {
		starts = append(starts, cell(res.Log, eventlog.StartTime, i))
	}
	// Sorted by case, then time: c3 closes in 1900 before it opens in 1970.
	want := []string{"", "", "", "", "2024-03-02T10:30:00Z"}
	if !slices.Equal(starts, want) {
		t.Errorf("start times %q, want %q", starts, want)
	}
	in := res.Inputs[0]
	wantPH := []Placeholder{{Column: "start_time", Value: "1899-12-30 08:00:00", Events: 1},
		{Column: "start_time", Value: "1900-01-01 00:00:00", Events: 1}, {Column: "start_time", Value: "1970-01-01 00:00:00", Events: 1}}
	if !slices.Equal(in.Placeholders, wantPH) {
		t.Errorf("placeholders %+v, want %+v", in.Placeholders, wantPH)
	}
	notesContain(t, in, `2 row(s) rejected: the time (column "time") is a date that systems write for "no date"`)
}

// TestXESPlaceholderDates: the receipt log's globals give every trace
// without its own end date the date 1970-01-01T00:00:00.000+01:00; it is
// no date, so such a trace has none. An event whose own time is a
// placeholder is rejected.
func TestXESPlaceholderDates(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
	<global scope="trace">
		<date key="enddate" value="1970-01-01T00:00:00.000+01:00"/>
	</global>
	<trace>
		<string key="concept:name" value="c1"/>
		<date key="enddate" value="2024-03-05T00:00:00.000+01:00"/>
		<event>
			<string key="concept:name" value="Open"/>
			<date key="time:timestamp" value="2024-03-01T10:00:00.000+01:00"/>
			<date key="deadline" value="9999-12-31T00:00:00.000+01:00"/>
		</event>
	</trace>
	<trace>
		<string key="concept:name" value="c2"/>
		<event>
			<string key="concept:name" value="Open"/>
			<date key="time:timestamp" value="2024-03-02T10:00:00.000+01:00"/>
		</event>
		<event>
			<string key="concept:name" value="Close"/>
			<date key="time:timestamp" value="0001-01-01T00:00:00.000+00:00"/>
		</event>
	</trace>
</log>
`
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	addsUp(t, res)
	if res.Rows != 3 || res.Rejected != 1 || res.Rejects[0].Line != lineOf(doc, "0001-01-01")-2 || !strings.Contains(res.Rejects[0].Reason, "no date") {
		t.Fatalf("rows %d rejected %d %v, want 3 rows, the event at line %d rejected as a placeholder", res.Rows, res.Rejected, res.Rejects, lineOf(doc, "0001-01-01")-2)
	}
	for i, want := range []string{"2024-03-04T23:00:00Z", ""} {
		if got := cell(res.Log, "case:enddate", i); got != want {
			t.Errorf("event %d: enddate %q, want %q", i, got, want)
		}
	}
	if got := cell(res.Log, "deadline", 0); got != "" {
		t.Errorf("deadline %q, want missing", got)
	}
	in := res.Inputs[0]
	// c2's event that is kept lacks an end date of its own.
	notesContain(t, in, `1 event(s) have no date where a global default would give one that systems write for "no date" (case:enddate "1970-01-01T00:00:00.000+01:00" ×1)`)
	notesContain(t, in, `2 date value(s) are dates that systems write for "no date" (deadline "9999-12-31T00:00:00.000+01:00" ×1, time:timestamp "0001-01-01T00:00:00.000+00:00" ×1)`)
}

// TestTablePlaceholderDates: Parquet and Arrow tables follow the same
// rule, for typed timestamps and dates as for text.
func TestTablePlaceholderDates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, []arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "what", Type: arrow.BinaryTypes.String},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "began", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "due", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	}, `[
{"id": "A", "what": "x", "at": "2024-07-01T12:00:00Z", "began": "1900-01-01 00:00:00", "due": "9999-12-31"},
{"id": "A", "what": "y", "at": "9999-12-31T00:00:00Z", "began": "2024-07-01 11:00:00", "due": "2024-07-05"},
{"id": "A", "what": "z", "at": "2024-07-01T13:00:00Z", "began": "2024-07-01 12:30:00", "due": "1970-01-01"}
]`)
	defer rec.Release()
	opt := Options{Mapping: Mapping{Case: []string{"id"}, Activity: []string{"what"}, Time: []string{"at"}, StartTime: []string{"began"}}}
	want := []string{"A|x|2024-07-01T12:00:00Z||||1|due=", "A|z|2024-07-01T13:00:00Z|2024-07-01T12:30:00Z|||3|due="}
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			res, err := readBytes(mem, enc.encode(t, rec), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			addsUp(t, res)
			if got := rows(res.Log, "due"); !slices.Equal(got, want) {
				t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(res.Rejects) != 1 || res.Rejects[0].Line != 2 || res.Rejects[0].Column != 3 || !strings.Contains(res.Rejects[0].Reason, "no date") {
				t.Errorf("rejects %q, want row 2 column 3 as a placeholder", rejectLines(res.Rejects))
			}
			in := res.Inputs[0]
			if len(in.Placeholders) != 3 {
				t.Errorf("placeholders %+v, want the start time and two due dates", in.Placeholders)
			}
			notesContain(t, in, `1 row(s) rejected: the time (column "at")`)
		})
	}
}

// TestEncodingEvidence: the encoding is decided on the whole sample. One
// stray Windows-1252 byte among correct UTF-8 names used to switch the
// whole file to Windows-1252 ("Café" read as "CafÃ©"); now the valid
// multi-byte characters outvote it and only its row is rejected. A file
// whose non-ASCII bytes are mostly not UTF-8 is still Windows-1252.
func TestEncodingEvidence(t *testing.T) {
	const head = "case,activity,time,department\n"
	utf := "c1,Open,2024-03-01 09:00:00,Café\n" +
		"c1,Check,2024-03-01 10:00:00,Café\n" +
		"c2,Open,2024-03-01 11:00:00,Zürich\n" +
		"c2,Close,2024-03-01 12:00:00,Café\n"
	stray := "c3,Open,2024-03-01 13:00:00,Caf\xe9\n" // Windows-1252 é: not UTF-8
	for _, tc := range []struct {
		name, text, encoding string
		depts                []string
		rejects              []string
		note                 string
	}{
		{"one stray byte", head + utf + stray + "c3,Close,2024-03-01 14:00:00,Café\n", "utf-8",
			[]string{"Café", "Café", "Zürich", "Café", "Café"},
			[]string{`<stdin>:6:4: column "department" is not valid UTF-8`},
			"read as UTF-8: the first rows hold 5 multi-byte UTF-8 character(s) and 1 byte(s) that are not UTF-8 (first at line 6)"},
		{"Windows-1252", head + "c1,Open,2024-03-01 09:00:00,Caf\xe9\nc1,Close,2024-03-01 10:00:00,Z\xfcrich\n", "windows-1252 (latin-1)",
			[]string{"Café", "Zürich"}, nil,
			"read as Windows-1252: the first rows hold 0 multi-byte UTF-8 character(s) and 2 byte(s) that are not UTF-8 (first at line 2)"},
		{"mostly Windows-1252", head + "c1,Open,2024-03-01 09:00:00,Caf\xe9\nc1,Close,2024-03-01 10:00:00,Z\xfcrich\nc1,Close,2024-03-01 11:00:00,Gen\xe8ve\nc2,Open,2024-03-01 11:00:00,Café\n", "windows-1252 (latin-1)",
			[]string{"Café", "Zürich", "Genève", "CafÃ©"}, nil,
			"read as Windows-1252: the first rows hold 1 multi-byte UTF-8 character(s) and 3 byte(s) that are not UTF-8 (first at line 2)"},
		{"all UTF-8", head + utf, "utf-8", []string{"Café", "Café", "Zürich", "Café"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readString(t, mem, tc.text, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			addsUp(t, res)
			in := res.Inputs[0]
			if in.Encoding != tc.encoding {
				t.Errorf("encoding %q, want %q", in.Encoding, tc.encoding)
			}
			var depts []string
			for i := range res.Log.Len() {
				depts = append(depts, cell(res.Log, eventlog.Department, i))
			}
			if !slices.Equal(depts, tc.depts) {
				t.Errorf("departments %q, want %q", depts, tc.depts)
			}
			var rejects []string
			for _, r := range res.Rejects {
				rejects = append(rejects, r.String())
			}
			if len(rejects) != len(tc.rejects) || len(rejects) > 0 && !strings.HasPrefix(rejects[0], tc.rejects[0]) {
				t.Errorf("rejects %q, want %q", rejects, tc.rejects)
			}
			if tc.note == "" {
				for _, n := range in.Notes {
					if strings.Contains(n, "read as") {
						t.Errorf("note %q, want none on the encoding", n)
					}
				}
				return
			}
			notesContain(t, in, tc.note)
		})
	}
}

// TestDSTGap: a wall clock skipped when clocks went forward (02:00-03:00
// on 28 March 2021 in Amsterdam) is moved forward by the gap, as Go's
// time.Date does (an independent reading of the same rule), and counted
// in a note, since the event may now follow one written after it.
func TestDSTGap(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	const log = "case,activity,time,start\n" +
		"c1,Open,2021-03-28 01:50:00,\n" +
		"c1,Work,2021-03-28 02:30:00,2021-03-28 02:10:00\n" + // both skipped
		"c1,Close,2021-03-28 03:10:00,\n" +
		"c2,Open,2021-10-31 02:30:00,\n" // repeated, not skipped
	at := func(h, m int) string {
		return time.Date(2021, 3, 28, h, m, 0, 0, ams).UTC().Format(time.RFC3339)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := readString(t, mem, log, Options{Location: ams})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	var got []string
	for _, e := range events(res.Log) {
		got = append(got, e.Activity+" "+e.Time)
	}
	// 02:30 is 03:30 CEST, after the Close at 03:10.
	want := []string{"Open " + at(1, 50), "Close " + at(3, 10), "Work " + at(2, 30), "Open 2021-10-31T00:30:00Z"}
	if !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
	if s := cell(res.Log, eventlog.StartTime, 2); s != at(2, 10) {
		t.Errorf("start %s, want %s", s, at(2, 10))
	}
	notesContain(t, res.Inputs[0], "2 time value(s) fall in an hour that Europe/Amsterdam skips when clocks go forward")

	// A table's zone-less timestamps follow the same rule and count.
	rec := record(t, []arrow.Field{
		{Name: "case", Type: arrow.BinaryTypes.String},
		{Name: "activity", Type: arrow.BinaryTypes.String},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
	}, `[{"case": "c1", "activity": "Work", "time": "2021-03-28T02:30:00"}, {"case": "c1", "activity": "Close", "time": "2021-03-28T03:10:00"}]`)
	defer rec.Release()
	tres, err := readBytes(mem, parquetBytes(t, rec), Options{Location: ams})
	if err != nil {
		t.Fatal(err)
	}
	defer tres.Release()
	if got := cell(tres.Log, eventlog.Time, 1); got != at(2, 30) {
		t.Errorf("table: Work at %s, want %s", got, at(2, 30))
	}
	notesContain(t, tres.Inputs[0], "1 time value(s) fall in an hour that Europe/Amsterdam skips")
}

// strayQuoteLog is a 1,000-line export (header and 999 rows, four a case)
// whose line 6 opens its activity with a stray quote; edit changes line 901.
func strayQuoteLog(edit func(string) string) string {
	lines := []string{"case,activity,time,department"}
	for i := 1; i < 1000; i++ {
		lines = append(lines, fmt.Sprintf("c%d,Step%d,2024-03-%02d %02d:%02d:%02d,Dept%d", i/4, i%4, 1+i/100, i%24, i%60, i%7, i%3))
	}
	lines[5] = strings.Replace(lines[5], ",Step", `,"Step`, 1)
	lines[900] = edit(lines[900])
	return strings.Join(lines, "\n") + "\n"
}

// TestStrayQuote: a quote that opens a field by mistake used to fold every
// line up to the next quote into one activity name, silently ("104 rows
// read, 0 rejected" from 999). A quoted field holding whole lines that read
// as rows of the file (the header's width and a time that reads) is a stray
// quote: its line is rejected, with the lines it would swallow, and reading
// goes on at the next line. A multi-line note is no such field.
func TestStrayQuote(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		rows   int64
		reject string
	}{
		{"closed 895 lines later", strayQuoteLog(func(l string) string { return strings.Replace(l, ",Step", `,Step"x`, 1) }), 999,
			`<stdin>:6:2: column "activity": its quote opens a field that runs to line 901 and holds 894 line(s) that read as rows of this file`},
		{"never closed", strayQuoteLog(func(l string) string { return l }), 999,
			`<stdin>:6:2: column "activity": its quote opens a field that runs to line 1000 and holds 994 line(s) that read as rows of this file`},
		{"a note over three lines", "case,activity,time,note\n" +
			"c1,Open,2024-03-01 09:00:00,\"first line\nsecond, with, commas\nthird,is,not,a row\"\n" +
			"c1,Close,2024-03-01 10:00:00,\"a,b,2024-03-01 11:00:00\"\n", 2, ""},
	} {
		for _, chunk := range []int{0, 256} {
			t.Run(fmt.Sprintf("%s/chunk %d", tc.name, chunk), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				res, err := readString(t, mem, tc.text, Options{chunkSize: chunk})
				if err != nil {
					t.Fatal(err)
				}
				defer res.Release()
				addsUp(t, res)
				want := 0
				if tc.reject != "" {
					want = 1
				}
				if res.Rows != tc.rows || len(res.Rejects) != want || want == 1 && !strings.HasPrefix(res.Rejects[0].String(), tc.reject) {
					t.Fatalf("rows %d, rejects %q; want %d rows and %q", res.Rows, rejectLines(res.Rejects), tc.rows, tc.reject)
				}
				if want == 1 && (!strings.HasPrefix(res.Rejects[0].Raw, `c1,"Step1,2024-03-01 05:05:05,Dept2`) || strings.Contains(res.Rejects[0].Raw, "\n")) {
					t.Errorf("raw %q, want line 6 alone", res.Rejects[0].Raw)
				}
			})
		}
	}
}

// TestWideHeaderError: a mapping error names at most 20 of the header's
// columns, whatever its width (10,000 names made a 100 KB error line).
func TestWideHeaderError(t *testing.T) {
	var b strings.Builder
	b.WriteString("case,time")
	for i := 2; i < maxColumns; i++ {
		fmt.Fprintf(&b, ",c%d", i)
	}
	row := "\nk1,2024-01-01T09:00:00Z" + strings.Repeat(",", maxColumns-2)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, opt := range []Options{{}, {Mapping: Mapping{Activity: []string{"nothing"}}}} {
		res, err := readString(t, mem, b.String()+row+row+"\n", opt)
		if err == nil {
			res.Release()
			t.Fatal("read without error")
		}
		msg := err.Error()
		if len(msg) > 1000 || !strings.Contains(msg, `"case", "time", "c2",`) || !strings.HasSuffix(msg, `"c19", (and 9980 more)`) {
			t.Errorf("error of %d bytes: %.400s…%s", len(msg), msg, msg[max(0, len(msg)-100):])
		}
	}
}

// TestTablePlaceholders: a table (not a caseflow log) reads placeholders
// in role columns as missing and counts them, as CSV does: the receipt
// log's 1,936 "EMPTY" groups are no department in any format.
func TestTablePlaceholders(t *testing.T) {
	const csvText = "case:concept:name,concept:name,time:timestamp,org:group,org:resource,note\n" +
		"c1,Register,2024-03-01T09:00:00Z,Group 1,ann,EMPTY\n" +
		"c1,Check,2024-03-01T10:00:00Z,EMPTY,unknown,x\n" +
		"c1,Close,2024-03-01T11:00:00Z,Group 1,(blank),x\n" +
		"c2,Check,2024-03-01T12:00:00Z,empty,bob,x\n"
	rec := record(t, []arrow.Field{
		{Name: "case:concept:name", Type: arrow.BinaryTypes.String},
		{Name: "concept:name", Type: arrow.BinaryTypes.String},
		{Name: "time:timestamp", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
		{Name: "org:group", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}},
		{Name: "org:resource", Type: arrow.BinaryTypes.String},
		{Name: "note", Type: arrow.BinaryTypes.String},
	}, `[
{"case:concept:name": "c1", "concept:name": "Register", "time:timestamp": "2024-03-01T09:00:00Z", "org:group": "Group 1", "org:resource": "ann", "note": "EMPTY"},
{"case:concept:name": "c1", "concept:name": "Check", "time:timestamp": "2024-03-01T10:00:00Z", "org:group": "EMPTY", "org:resource": "unknown", "note": "x"},
{"case:concept:name": "c1", "concept:name": "Close", "time:timestamp": "2024-03-01T11:00:00Z", "org:group": "Group 1", "org:resource": "(blank)", "note": "x"},
{"case:concept:name": "c2", "concept:name": "Check", "time:timestamp": "2024-03-01T12:00:00Z", "org:group": "empty", "org:resource": "bob", "note": "x"}
]`)
	defer rec.Release()
	wantDepts := []string{"Group 1", "", "Group 1", ""}
	wantPH := []Placeholder{{Column: "org:group", Value: "EMPTY", Events: 1}, {Column: "org:group", Value: "empty", Events: 1},
		{Column: "org:resource", Value: "(blank)", Events: 1}, {Column: "org:resource", Value: "unknown", Events: 1}}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	check := func(t *testing.T, res *Result) {
		var depts, res2 []string
		for i := range res.Log.Len() {
			depts = append(depts, cell(res.Log, eventlog.Department, i))
			res2 = append(res2, cell(res.Log, eventlog.Resource, i))
		}
		if !slices.Equal(depts, wantDepts) || !slices.Equal(res2, []string{"ann", "", "", "bob"}) {
			t.Errorf("departments %q resources %q, want %q and ann, -, -, bob", depts, res2, wantDepts)
		}
		if got := res.Inputs[0].Placeholders; !slices.Equal(got, wantPH) {
			t.Errorf("placeholders %+v, want %+v", got, wantPH)
		}
		if cell(res.Log, "note", 0) != "EMPTY" {
			t.Errorf("the attribute note is %q, want EMPTY kept", cell(res.Log, "note", 0))
		}
		for _, c := range res.Inputs[0].Columns {
			if c.Name == "org:group" && slices.Contains(c.Examples, "EMPTY") {
				t.Errorf("EMPTY is shown as an example department: %q", c.Examples)
			}
		}
	}
	t.Run("csv", func(t *testing.T) {
		res, err := readString(t, mem, csvText, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		check(t, res)
	})
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			res, err := readBytes(mem, enc.encode(t, rec), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			check(t, res)
		})
	}
}
