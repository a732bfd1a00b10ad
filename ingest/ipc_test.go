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

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/eventlog"
)

// record builds a record from JSON rows. Fixtures use an allocator of
// their own: Arrow v17's IPC file writer keeps the dictionaries it writes
// referenced for good (see export.ownDictionaries), and the tests check the
// reader's accounting.
func record(t testing.TB, fields []arrow.Field, rows string) arrow.Record {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), arrow.NewSchema(fields, nil), strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// encodings of a record in the three binary formats the reader takes.
var encodings = []struct {
	name   string
	encode func(testing.TB, arrow.Record) []byte
}{
	{"parquet", parquetBytes},
	{"arrow", ipcFileBytes},
	{"arrow-stream", ipcStreamBytes},
}

func parquetBytes(t testing.TB, rec arrow.Record) []byte { return parquetWith(t, rec, nil) }

// parquetWith is parquetBytes with the writer's properties (nil: defaults).
func parquetWith(t testing.TB, rec arrow.Record, props *parquet.WriterProperties) []byte {
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err == nil {
		err = fw.Write(rec)
	}
	if err == nil {
		err = fw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ipcFileBytes(t testing.TB, rec arrow.Record) []byte {
	f, err := os.CreateTemp(t.TempDir(), "*.arrow") // the IPC file writer needs to seek
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fw, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	if err == nil {
		err = fw.Write(rec)
	}
	if err == nil {
		err = fw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func ipcStreamBytes(t testing.TB, rec arrow.Record) []byte {
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	err := w.Write(rec)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBytes reads data through the whole pipeline as standard input.
func readBytes(mem memory.Allocator, data []byte, opt Options) (*Result, error) {
	opt.Mem = mem
	opt.Stdin = bytes.NewReader(data)
	return Read([]string{"-"}, opt)
}

// row is one event of a log in plain values, for comparisons; attrs lists
// the attribute columns named in the test as name=value.
func rows(l *eventlog.Log, attrs ...string) []string {
	var out []string
	for i := range l.Len() {
		start := ""
		if l.Column(eventlog.StartTime) != nil {
			start = cell(l, eventlog.StartTime, i)
		}
		s := cell(l, eventlog.Case, i) + "|" + cell(l, eventlog.Activity, i) + "|" + cell(l, eventlog.Time, i) + "|" +
			start + "|" + cell(l, eventlog.Department, i) + "|" + cell(l, eventlog.Resource, i) + "|" + cell(l, eventlog.Row, i)
		for _, a := range attrs {
			s += "|" + a + "=" + cell(l, a, i)
		}
		out = append(out, s)
	}
	return out
}

func rejectLines(rs []Reject) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

// A data team's export, hand-made: an integer ticket number, a dictionary
// activity, day-first text times (zone-less, read in Amsterdam), a large
// string team, typed attributes, a list column, invalid UTF-8 and rows
// that must be rejected.
var flatFields = []arrow.Field{
	{Name: "Ticket Nr", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "Status", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "Gewijzigd", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "team", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "amount", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "urgent", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "opened", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "visits", Type: arrow.PrimitiveTypes.Uint8, Nullable: true},
	{Name: "big", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
	{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	{Name: "note", Type: arrow.BinaryTypes.Binary, Nullable: true},
}

// "/w==" is the byte 0xff, which is not UTF-8.
const flatRows = `[
{"Ticket Nr": 7, "Status": "Open", "Gewijzigd": "05-03-2024 10:12", "team": "KCC", "amount": 2.5, "urgent": true, "opened": "2024-03-05", "visits": 3, "big": 10000000000000000000, "tags": ["a"], "note": "aGk="},
{"Ticket Nr": null, "Status": "Open", "Gewijzigd": "05-03-2024 10:13", "team": "KCC"},
{"Ticket Nr": 7, "Status": null, "Gewijzigd": "05-03-2024 10:14", "team": "KCC"},
{"Ticket Nr": 7, "Status": "Closed", "Gewijzigd": "NULL", "team": "KCC"},
{"Ticket Nr": 7, "Status": "Closed", "Gewijzigd": "31-04-2024 10:00", "team": "KCC"},
{"Ticket Nr": 8, "Status": "Closed", "Gewijzigd": "27-10-2024 02:30", "team": null, "note": "/w=="},
{"Ticket Nr": 7, "Status": "Closed", "Gewijzigd": "14-03-2024 09:00", "team": "Taxes", "visits": 0}
]`

func TestReadFlatTable(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, flatFields, flatRows)
	defer rec.Release()
	// Hand-computed: CET is UTC+1 in March; 27 October 2024 02:30 occurs
	// twice in Amsterdam and is read as its first occurrence, still CEST
	// (UTC+2). Case 7 comes first; rows 2-5 are rejected.
	want := []string{
		"7|Open|2024-03-05T09:12:00Z||KCC||1|amount=2.5|urgent=true|opened=2024-03-04T23:00:00Z|visits=3|big=10000000000000000000|note=hi",
		"7|Closed|2024-03-14T08:00:00Z||Taxes||7|amount=|urgent=|opened=|visits=0|big=|note=",
		"8|Closed|2024-10-27T00:30:00Z||||6|amount=|urgent=|opened=|visits=|big=|note=\uFFFD",
	}
	wantRejects := []string{
		"<stdin>:2:1: the case id (column \"Ticket Nr\") is empty",
		"<stdin>:3:2: the activity (column \"Status\") is empty",
		"<stdin>:4:3: the time (column \"Gewijzigd\") is empty",
		"<stdin>:5:3: time column \"Gewijzigd\": day 31 does not exist in April in \"31-04-2024 10:00\"",
	}
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			res, err := readBytes(mem, enc.encode(t, rec), Options{Location: ams})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if got := rows(res.Log, "amount", "urgent", "opened", "visits", "big", "note"); !slices.Equal(got, want) {
				t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if got := rejectLines(res.Rejects); !slices.Equal(got, wantRejects) {
				t.Errorf("rejects\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRejects, "\n"))
			}
			if res.Rows != 7 || res.Rejected != 4 || res.Inputs[0].Format != enc.name {
				t.Errorf("rows %d rejected %d format %q", res.Rows, res.Rejected, res.Inputs[0].Format)
			}
			if r := res.Rejects[0].Raw; !strings.HasPrefix(r, `Ticket Nr=null Status="Open" Gewijzigd="05-03-2024 10:13"`) {
				t.Errorf("raw %q", r)
			}
			kinds := map[string]string{"amount": "float64", "urgent": "bool", "opened": "timestamp[us, tz=UTC]", "visits": "int64",
				"big": "dictionary<values=utf8, indices=int8, ordered=false>", "note": "dictionary<values=utf8, indices=int8, ordered=false>"} // one value each: the narrowest index
			for name, typ := range kinds {
				if got := res.Log.Column(name).DataType().String(); got != typ {
					t.Errorf("column %s is %s, want %s", name, got, typ)
				}
			}
			if res.Log.Column("tags") != nil {
				t.Error("the list column should be skipped")
			}
			w := strings.Join(res.Inputs[0].Warnings, "\n")
			for _, s := range []string{`nested values (lists, structs, maps: "tags")`, "1 value(s) were not valid UTF-8"} {
				if !strings.Contains(w, s) {
					t.Errorf("warnings %q lack %q", w, s)
				}
			}
			if src := source(res.Log, eventlog.Case); src != "Ticket Nr" {
				t.Errorf("case source %q", src)
			}
		})
	}
}

// Typed times: a naive nanosecond timestamp (wall clock in the location,
// rounded down to microseconds) and a zoned start time in seconds; the
// mapping flags pick the columns.
func TestReadTypedTimes(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, []arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "what", Type: arrow.BinaryTypes.String},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Nanosecond}, Nullable: true},
		{Name: "began", Type: &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, Nullable: true},
		{Name: "who", Type: arrow.BinaryTypes.String, Nullable: true},
	}, `[
{"id": "A", "what": "x", "at": "2024-07-01T12:00:00.123456789", "began": "2024-07-01T09:59:00Z", "who": "ann"},
{"id": "A", "what": "y", "at": null, "began": null},
{"id": "A", "what": "y", "at": "2024-07-01T13:00:00", "began": null, "who": "-"}
]`)
	defer rec.Release()
	opt := Options{Location: ams, Mapping: Mapping{Case: []string{"id"}, Activity: []string{"what"}, Time: []string{"at"},
		StartTime: []string{"began"}, Resource: []string{"who"}}}
	want := []string{"A|x|2024-07-01T10:00:00.123456Z|2024-07-01T09:59:00Z||ann|1", "A|y|2024-07-01T11:00:00Z||||3"}
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			res, err := readBytes(mem, enc.encode(t, rec), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if got := rows(res.Log); !slices.Equal(got, want) {
				t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if got := rejectLines(res.Rejects); !slices.Equal(got, []string{`<stdin>:2:3: the time (column "at") is empty`}) {
				t.Errorf("rejects %q", got)
			}
			if in := res.Inputs[0]; in.Zone != "Europe/Amsterdam" || !strings.Contains(in.TimeLayout, "timestamp[ns]") {
				t.Errorf("zone %q layout %q", in.Zone, in.TimeLayout)
			}
		})
	}
}

// A date and a time-of-day text column are combined, as in CSV.
func TestReadDateAndClock(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, []arrow.Field{
		{Name: "zaaknummer", Type: arrow.BinaryTypes.String},
		{Name: "activiteit", Type: arrow.BinaryTypes.String},
		{Name: "datum", Type: arrow.BinaryTypes.String},
		{Name: "tijdstip", Type: arrow.BinaryTypes.String},
	}, `[{"zaaknummer": "Z1", "activiteit": "a", "datum": "2024-03-05", "tijdstip": "10:12:44"}]`)
	defer rec.Release()
	res, err := readBytes(mem, parquetBytes(t, rec), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got := rows(res.Log); !slices.Equal(got, []string{"Z1|a|2024-03-05T10:12:44Z||||1"}) {
		t.Errorf("events %q", got)
	}
}

// Parquet from a pipe or inside gzip is read into memory first; the file
// and row of a caseflow log survive; files of different formats join.
func TestReadArrowSources(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, []arrow.Field{
		{Name: "case", Type: arrow.BinaryTypes.String},
		{Name: "activity", Type: arrow.BinaryTypes.String},
		{Name: "time", Type: arrow.BinaryTypes.String},
	}, `[{"case": "c", "activity": "a", "time": "2024-01-01T00:00:00Z"}, {"case": "d", "activity": "b", "time": "2024-01-02T00:00:00Z"}]`)
	defer rec.Release()
	data := parquetBytes(t, rec)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "more.csv")
	if err := os.WriteFile(csvPath, []byte("case,activity,time\nc,z,2024-01-03T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{"pipe": io.MultiReader(bytes.NewReader(data)), "gzip": &gz} {
		res, err := Read([]string{"-", csvPath}, Options{Mem: mem, Stdin: r})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := []string{"c|a|2024-01-01T00:00:00Z||||1", "c|z|2024-01-03T00:00:00Z||||2", "d|b|2024-01-02T00:00:00Z||||2"}
		if got := rows(res.Log); !slices.Equal(got, want) {
			t.Errorf("%s: events %q, want %q", name, got, want)
		}
		if got := res.Log.Codes(eventlog.File).Names; !slices.Equal(got, []string{"<stdin>", csvPath}) {
			t.Errorf("%s: files %q", name, got)
		}
		res.Release()
	}
}

// A caseflow log read back from IPC keeps each event's original file and
// row, its role sources and its typed attributes; mapping flags still
// apply, and an unmapped role stays unmapped.
func TestReadEventLog(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	orig, err := Read([]string{"-"}, Options{Mem: memory.NewGoAllocator(), Stdin: strings.NewReader(xesDoc)}) // a fixture: see record
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Release()
	data := ipcFileBytes(t, orig.Log.Record())
	res, err := readBytes(mem, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	attrs := []string{"amount", "score", "urgent", "ref", "note", "lifecycle:transition", "case:opened", "case:priority"}
	if got, want := rows(res.Log, attrs...), rows(orig.Log, attrs...); !slices.Equal(got, want) {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := res.Log.Codes(eventlog.File).Names; !slices.Equal(got, []string{"<stdin>"}) {
		t.Errorf("files %q", got)
	}
	if src := source(res.Log, eventlog.Activity); src != "concept:name" {
		t.Errorf("activity source %q", src)
	}
	if res.Log.Column(eventlog.StartTime) != nil {
		t.Error("a start time appeared")
	}

	// --activity activity,lifecycle:transition joins as in any table.
	res2, err := readBytes(mem, data, Options{Mapping: Mapping{Activity: []string{"activity", "lifecycle:transition"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Release()
	if got := cell(res2.Log, eventlog.Activity, 0); got != "Check+start" {
		t.Errorf("joined activity %q", got)
	}
}

// corrupt inputs give errors that say what to do, never a panic or a leak.
func TestReadArrowCorrupt(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, flatFields, flatRows)
	defer rec.Release()
	for _, enc := range encodings {
		data := enc.encode(t, rec)
		for _, tc := range []struct {
			name string
			data []byte
		}{
			{"truncated", data[:len(data)/2]},
			{"magic only", data[:6]},
			{"cut inside the last message", data[:len(data)-12]},
			{"garbage after magic", append(slices.Clone(data[:8]), bytes.Repeat([]byte("garbage!"), 64)...)},
		} {
			t.Run(enc.name+"/"+tc.name, func(t *testing.T) {
				res, err := readBytes(mem, tc.data, Options{})
				if err == nil {
					res.Release()
					t.Fatal("no error")
				}
				if !strings.Contains(err.Error(), "<stdin>: not a readable") || !strings.Contains(err.Error(), "download it again") {
					t.Errorf("error %q", err)
				}
			})
		}
	}
	// Every single flipped byte: an error or a log that adds up.
	for _, enc := range encodings {
		data := enc.encode(t, rec)
		for i := range data {
			bad := slices.Clone(data)
			bad[i] ^= 0x5a
			res, err := readBytes(mem, bad, Options{})
			if err != nil {
				continue
			}
			if res.Rows != int64(res.Log.Len())+res.Rejected {
				t.Errorf("%s, byte %d flipped: rows %d, events %d, rejected %d", enc.name, i, res.Rows, res.Log.Len(), res.Rejected)
			}
			res.Release()
		}
	}
}

// The corpus in testdata/parquet: each file fails with its own message.
func TestReadArrowCorpus(t *testing.T) {
	for _, tc := range []struct{ file, err string }{
		{"truncated.parquet", "not a readable Parquet file"},
		{"not_parquet.parquet", "not a readable Parquet file"},
		{"truncated.arrow", "not a readable Arrow IPC file"},
		{"truncated.arrows", "not a readable Arrow IPC stream"},
		{"list_case.parquet", `column "case" holds list<`},
		{"list_case.parquet", `values, which cannot be the case; name another column with --case`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join("testdata", "parquet", tc.file)
			res, err := Read([]string{path}, Options{Mem: mem})
			if err == nil {
				res.Release()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %q, want %s: …%s…", err, path, tc.err)
			}
		})
	}
}

// FuzzReadArrow feeds arbitrary bytes behind the Parquet and IPC magic
// numbers to the reader: it may refuse them, but must not panic or leak,
// and what it reads must add up.
func FuzzReadArrow(f *testing.F) {
	rec := record(f, flatFields, flatRows)
	for _, enc := range encodings {
		f.Add(enc.encode(f, rec))
	}
	rec.Release()
	files, _ := filepath.Glob(filepath.Join("testdata", "parquet", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, parquetMagic) && !bytes.HasPrefix(data, ipcFileMagic) && !bytes.HasPrefix(data, ipcStreamMagic) {
			return // another reader's input
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		res, err := readBytes(mem, data, Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "not a readable") && errors.Is(err, errDecoder) {
				t.Errorf("decoder failure without advice: %v", err)
			}
			return
		}
		defer res.Release()
		addsUp(t, res)
	})
}
