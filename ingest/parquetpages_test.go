package ingest

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/generate"
)

// hybrid decodes len(out) values of width bits from data.
func hybrid(out []int32, data []byte, width int) error {
	r := runs{data: data, width: width}
	return r.next(out)
}

// TestHybrid decodes run-length / bit-packed hybrid data made by hand from
// Parquet's Encodings.md (its own example: 0…7 bit-packed in 3 bits is
// 10001000 11000110 11111010), and refuses data that ends early.
func TestHybrid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []byte
		width int
		want  []int32 // nil: an error
	}{
		{"spec example, bit-packed", []byte{3, 0b10001000, 0b11000110, 0b11111010}, 3, []int32{0, 1, 2, 3, 4, 5, 6, 7}},
		{"bit-packed, fewer values wanted than the group", []byte{3, 0b10001000, 0b11000110, 0b11111010}, 3, []int32{0, 1, 2}},
		{"repeated, 2-byte value", []byte{5 << 1, 0x2c, 0x01}, 9, []int32{300, 300, 300, 300, 300}},
		{"repeated then bit-packed", []byte{2 << 1, 1, 3, 0xff}, 1, []int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{"width 0", []byte{4 << 1}, 0, []int32{0, 0, 0, 0}},
		{"20 bits, as a million case ids", append([]byte{3, 0xff, 0xff, 0x0f, 0x00, 0x80}, make([]byte, 15)...), 20,
			[]int32{1<<20 - 1, 1 << 19, 0, 0, 0, 0, 0, 0}},
		{"ends in a header", []byte{}, 1, nil},
		{"ends in a repeated value", []byte{5 << 1, 0x2c}, 9, nil},
		{"ends in bit-packed values", []byte{3, 0b10001000}, 3, nil},
		{"runs out of runs", []byte{2 << 1, 1}, 1, nil},
		{"more than 32 bits", []byte{2 << 1, 1, 0, 0, 0, 0}, 33, nil},
		{"a repeated value wider than its bits", []byte{4 << 1, 48}, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.want)
			if tc.want == nil {
				n = 4
			}
			got := make([]int32, n)
			err := hybrid(got, tc.data, tc.width)
			switch {
			case tc.want == nil && err == nil:
				t.Errorf("decoded %v, want an error", got)
			case tc.want != nil && err != nil:
				t.Errorf("error %v", err)
			case tc.want != nil && !slices.Equal(got, tc.want):
				t.Errorf("%v, want %v", got, tc.want)
			}
		})
	}
}

// generatedLogs reads two generated CSV logs (different seeds, every
// pathology the generator plants) as one log from two files.
func generatedLogs(t *testing.T, cases int) *Result {
	res, err := Read([]string{"a.csv", "b.csv"}, Options{Open: openFrom(generatedFiles(t, cases))})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// generatedFiles are the two generated CSV logs of generatedLogs, by name.
func generatedFiles(t *testing.T, cases int) map[string][]byte {
	files := map[string][]byte{}
	for seed, name := range []string{"a.csv", "b.csv"} {
		cfg := generate.Default()
		cfg.Cases, cfg.Seed = cases, uint64(seed+1)
		var buf bytes.Buffer
		if _, err := generate.Write(cfg, &buf, nil); err != nil {
			t.Fatal(err)
		}
		files[name] = buf.Bytes()
	}
	return files
}

// openFrom is an Options.Open serving files from memory.
func openFrom(files map[string][]byte) func(string) (io.ReadCloser, error) {
	return func(p string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(files[p])), nil
	}
}

// readBoth reads data with the row groups' pages decoded and with
// pqarrow's reader, and requires the same result: every column of the
// log, the rows, rejects and what was said about the input.
func readBoth(t *testing.T, data []byte) *Result {
	t.Helper()
	read := func(pages bool) *Result {
		readPages = pages
		defer func() { readPages = true }()
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		t.Cleanup(func() { mem.AssertSize(t, 0) })
		res, err := readBytes(mem, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(res.Release)
		return res
	}
	got, want := read(true), read(false)
	if !array.RecordEqual(got.Log.Record(), want.Log.Record()) {
		for c, col := range want.Log.Record().Columns() {
			if !array.Equal(col, got.Log.Record().Column(c)) {
				t.Errorf("column %s differs from pqarrow's reading", want.Log.Record().ColumnName(c))
			}
		}
		t.Fatal("the log differs from pqarrow's reading")
	}
	if got.Rows != want.Rows || got.Rejected != want.Rejected || !reflect.DeepEqual(got.Rejects, want.Rejects) || !reflect.DeepEqual(got.Inputs, want.Inputs) {
		t.Fatalf("rows %d, rejected %d, rejects %v, inputs %+v; pqarrow: %d, %d, %v, %+v",
			got.Rows, got.Rejected, got.Rejects, got.Inputs, want.Rows, want.Rejected, want.Rejects, want.Inputs)
	}
	return got
}

// decodedGroups reads the file through parquetGroups, checking every
// record against pqarrow's reading of the whole file, value by value, and
// returns how many row groups were decoded from their pages and how many
// case dictionaries their records carried (1 when every group shares the
// first one's).
func decodedGroups(t *testing.T, data []byte) (n, dicts int) {
	t.Helper()
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	// Not a checked allocator: pqarrow's delta decoder never frees the 64
	// bytes it takes for each column chunk.
	mem := memory.NewGoAllocator()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 30}, mem)
	if err != nil {
		t.Fatal(err)
	}
	want, err := fr.ReadTable(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer want.Release()
	p, err := newParquetGroups(fr, pf, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), mem, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.release()
	if p.leaves == nil {
		return 0, 0
	}
	var seen []arrow.Array // the case dictionaries, each once
	row := 0
	for p.Next() {
		rec := p.Record()
		for c := range int(rec.NumCols()) {
			for i := range int(rec.NumRows()) {
				if a, b := valueText(rec.Column(c), i), chunkedText(want.Column(c), row+i); a != b {
					t.Fatalf("column %s, row %d: %q, pqarrow %q", rec.ColumnName(c), row+i, a, b)
				}
			}
		}
		row += int(rec.NumRows())
		if d, ok := rec.Column(rec.Schema().FieldIndices(eventlog.Case)[0]).(*array.Dictionary); ok &&
			!slices.ContainsFunc(seen, func(a arrow.Array) bool { return sameArray(a, d.Dictionary()) }) {
			d.Dictionary().Retain()
			seen = append(seen, d.Dictionary())
		}
	}
	for _, a := range seen {
		a.Release()
	}
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	if row != int(want.NumRows()) {
		t.Fatalf("%d rows, pqarrow %d", row, want.NumRows())
	}
	return pf.NumRowGroups() - p.fellBack, len(seen)
}

// openGroups opens data's parquetGroups, its records' memory from mem
// (pqarrow's reader takes Go memory: its delta decoder never frees the 64
// bytes it takes for each column chunk). The caller releases it.
func openGroups(t *testing.T, data []byte, mem memory.Allocator) *parquetGroups {
	t.Helper()
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pf.Close() })
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	p, err := newParquetGroups(fr, pf, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), mem, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// converted is the Parquet file convert writes of l.
func converted(t *testing.T, l *eventlog.Log) []byte {
	var buf bytes.Buffer
	if err := export.Write(&buf, l, export.Parquet, export.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// valueText is value i of a column as text, "<null>" for null.
func valueText(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "<null>"
	}
	if d, ok := a.(*array.Dictionary); ok {
		return d.Dictionary().ValueStr(d.GetValueIndex(i))
	}
	return a.ValueStr(i)
}

func chunkedText(a *arrow.Column, i int) string {
	for _, c := range a.Data().Chunks() {
		if i < c.Len() {
			return valueText(c, i)
		}
		i -= c.Len()
	}
	return "<none>"
}

// TestParquetPages: a caseflow log from two generated files (attributes,
// missing departments and agents, the generator's pathologies), written by
// convert's writer and in row groups of 3,000 rows, is read from its pages
// (every row group) into the log pqarrow's reading gives.
func TestParquetPages(t *testing.T) {
	res := generatedLogs(t, 1200)
	defer res.Release()
	rec := res.Log.Record()
	if res.Log.Len() < 8000 || rec.Column(rec.Schema().FieldIndices(eventlog.Department)[0]).NullN() == 0 {
		t.Fatalf("%d events, no missing department: not the log this test needs", res.Log.Len())
	}
	convert := converted(t, res.Log)
	small := parquetWith(t, rec, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(3000),
		parquet.WithDictionaryFor(eventlog.Time, false), parquet.WithDictionaryFor(eventlog.Row, false),
		parquet.WithEncodingFor(eventlog.Row, parquet.Encodings.DeltaBinaryPacked)))
	for _, tc := range []struct {
		name   string
		data   []byte
		groups int
	}{{"convert", convert, 1}, {"row groups of 3,000", small, (res.Log.Len() + 2999) / 3000}} {
		t.Run(tc.name, func(t *testing.T) {
			// The writer gives every row group the log's whole dictionary.
			if n, dicts := decodedGroups(t, tc.data); n != tc.groups || dicts != 1 {
				t.Errorf("%d row groups decoded from their pages, want %d; %d case dictionaries, want 1", n, tc.groups, dicts)
			}
			got := readBoth(t, tc.data)
			if got.Log.Len() != res.Log.Len() || got.Inputs[0].Rows != int64(res.Log.Len()) {
				t.Errorf("%d events, want %d", got.Log.Len(), res.Log.Len())
			}
			if !slices.Equal(slices.Sorted(slices.Values(got.Log.Codes(eventlog.File).Names)), []string{"a.csv", "b.csv"}) {
				t.Errorf("files %q", got.Log.Codes(eventlog.File).Names)
			}
		})
	}
}

// TestParquetPagesRecords: whatever the rows per record, within a row
// group or across groups of 1,000 rows, the records are pqarrow's values
// and share one case dictionary, and the log is the one pqarrow's reading
// gives.
func TestParquetPagesRecords(t *testing.T) {
	res := generatedLogs(t, 300)
	defer res.Release()
	convert := converted(t, res.Log)
	small := parquetWith(t, res.Log.Record(), parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(1000),
		parquet.WithDictionaryFor(eventlog.Time, false)))
	defer func(n int) { pageRows = n }(pageRows)
	for _, rows := range []int{1, 7, 1000, 4096} {
		pageRows = rows
		for _, tc := range []struct {
			name   string
			data   []byte
			groups int
		}{{"convert", convert, 1}, {"row groups of 1,000", small, (res.Log.Len() + 999) / 1000}} {
			t.Run(fmt.Sprintf("%s, %d rows a record", tc.name, rows), func(t *testing.T) {
				if n, dicts := decodedGroups(t, tc.data); n != tc.groups || dicts != 1 {
					t.Errorf("%d row groups decoded from their pages, want %d; %d case dictionaries, want 1", n, tc.groups, dicts)
				}
				if got := readBoth(t, tc.data); got.Log.Len() != res.Log.Len() {
					t.Errorf("%d events, want %d", got.Log.Len(), res.Log.Len())
				}
			})
		}
	}
}

// TestParquetPagesMemoryBack: the memory of the records decoded comes
// back to the allocator, whether the reader takes every record or stops
// after the first while the next is decoded ahead.
func TestParquetPagesMemoryBack(t *testing.T) {
	res := generatedLogs(t, 100)
	defer res.Release()
	data := parquetWith(t, res.Log.Record(), parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(300)))
	defer func(n int) { pageRows = n }(pageRows)
	pageRows = 100
	for _, take := range []int{1, 2, -1} {
		t.Run(fmt.Sprintf("take %d", take), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			p := openGroups(t, data, mem)
			n := 0
			for ; (take < 0 || n < take) && p.Next(); n++ {
			}
			if p.Err() != nil || p.leaves == nil || p.fellBack > 0 || take < 0 && n < res.Log.Len()/100 {
				t.Fatalf("%d records, error %v, pages decoded %v, %d groups through pqarrow", n, p.Err(), p.leaves != nil, p.fellBack)
			}
			p.release()
		})
	}
}

// TestParquetPagesLargeDictionary: a dictionary page larger than
// maxDictPage's floor (lowered here; caseflow's writer puts 13 MB of case
// ids in one page at a million cases, 130 MB at ten million) but within 16
// times the file's size is read, from its pages, into pqarrow's log.
func TestParquetPagesLargeDictionary(t *testing.T) {
	res := generatedLogs(t, 300)
	defer res.Release()
	data := converted(t, res.Log)
	defer func(n int64) { minDictPage = n }(minDictPage)
	minDictPage = 1 << 10
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	cc, err := pf.MetaData().RowGroup(0).ColumnChunk(pf.MetaData().Schema.ColumnIndexByName(eventlog.Case))
	if err != nil {
		t.Fatal(err)
	}
	at, stop := chunkSpan(cc)
	h, err := pageHeader(bytes.NewReader(data), at, stop)
	pf.Close()
	if err != nil || h.typ != 2 || h.uncompressed <= minDictPage || h.uncompressed > 16*int64(len(data)) {
		t.Fatalf("the case dictionary page: %+v, %v; want one of more than %d bytes", h, err, minDictPage)
	}
	if n, dicts := decodedGroups(t, data); n != 1 || dicts != 1 {
		t.Errorf("%d row groups decoded from their pages, %d case dictionaries; want 1, 1", n, dicts)
	}
	readBoth(t, data)
}

// TestParquetPagesFallBack: files whose pages parquetGroups does not
// decode, or whose values the columns cannot carry, read through pqarrow
// or row by row into the same log.
func TestParquetPagesFallBack(t *testing.T) {
	res := generatedLogs(t, 200)
	defer res.Release()
	rec := res.Log.Record()
	field := func(name string) int { return rec.Schema().FieldIndices(name)[0] }
	// with returns rec with column name replaced by arr.
	with := func(name string, arr arrow.Array) arrow.Record {
		fields := slices.Clone(rec.Schema().Fields())
		fields[field(name)].Type = arr.DataType()
		fields[field(name)].Nullable = true
		cols := slices.Clone(rec.Columns())
		cols[field(name)] = arr
		md := rec.Schema().Metadata()
		return array.NewRecord(arrow.NewSchema(fields, &md), cols, rec.NumRows())
	}
	mem := memory.NewGoAllocator()
	// Cases 0, 10, 20, … missing: rejected row by row.
	cases := rec.Column(field(eventlog.Case)).(*array.Dictionary)
	ib := array.NewInt32Builder(mem)
	for i := range cases.Len() {
		if i%10 == 0 {
			ib.AppendNull()
		} else {
			ib.Append(int32(cases.GetValueIndex(i)))
		}
	}
	idx := ib.NewArray()
	nullCases := array.NewDictionaryArray(cases.DataType(), idx, cases.Dictionary())
	idx.Release()
	defer nullCases.Release()
	// Numeric attributes, which go row by row; floats are not decoded
	// from their pages at all.
	ib64, fb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	for i := range int(rec.NumRows()) {
		ib64.Append(int64(i * 3))
		fb.Append(float64(i) / 4)
	}
	ints, floats := ib64.NewArray(), fb.NewArray()
	for i := range int(rec.NumRows()) {
		if i%3 == 1 {
			ib64.AppendNull()
		} else {
			ib64.Append(int64(i * 5))
		}
	}
	nullInts := ib64.NewArray()
	defer nullInts.Release()
	withNullInts := with("contact_reason", nullInts)
	defer withNullInts.Release()
	defer ints.Release()
	defer floats.Release()
	withNullCases, withInts, withFloats := with(eventlog.Case, nullCases), with("contact_reason", ints), with("contact_reason", floats)
	defer withNullCases.Release()
	defer withInts.Release()
	defer withFloats.Release()

	for _, tc := range []struct {
		name     string
		data     []byte
		groups   int // decoded from their pages
		rejected int
	}{
		{"data pages v2, in row groups of 300", parquetWith(t, rec, parquet.NewWriterProperties(parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithMaxRowGroupLength(300))), 0, 0},
		{"an activity without a dictionary", parquetWith(t, rec, parquet.NewWriterProperties(parquet.WithDictionaryFor(eventlog.Activity, false))), 0, 0},
		{"missing cases", parquetWith(t, withNullCases, nil), 1, (int(rec.NumRows()) + 9) / 10},
		{"an int64 attribute", parquetWith(t, withInts, nil), 1, 0},
		{"an int64 attribute with nulls, plain, in row groups of 100", parquetWith(t, withNullInts, parquet.NewWriterProperties(
			parquet.WithDictionaryFor("contact_reason", false), parquet.WithMaxRowGroupLength(100))), (int(rec.NumRows()) + 99) / 100, 0},
		{"a float attribute", parquetWith(t, withFloats, nil), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, _ := decodedGroups(t, tc.data); n != tc.groups {
				t.Errorf("%d row groups decoded from their pages, want %d", n, tc.groups)
			}
			got := readBoth(t, tc.data)
			if got.Rejected != int64(tc.rejected) || got.Rows != rec.NumRows() {
				t.Errorf("%d rows, %d rejected; want %d, %d", got.Rows, got.Rejected, rec.NumRows(), tc.rejected)
			}
		})
	}
}

// FuzzParquetPages mutates a small caseflow log's Parquet file: reading it
// must not panic, and when both routes read it, the pages' route gives
// pqarrow's log.
func FuzzParquetPages(f *testing.F) {
	var b strings.Builder
	b.WriteString("case,activity,time,department,agent,note\n")
	for i := range 60 {
		fmt.Fprintf(&b, "c%d,%s,2021-01-01 09:%02d:00,%s,a%d,%s\n", i/4, []string{"Open", "Route", "Close"}[i%3], i,
			[]string{"KCC", "", "Taxes"}[i%3], i%5, []string{"x", "y"}[i%2])
	}
	res, err := Read([]string{"-"}, Options{Stdin: strings.NewReader(b.String())})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(parquetWith(f, res.Log.Record(), parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(25),
		parquet.WithDictionaryFor(eventlog.Time, false), parquet.WithCompression(0))))
	res.Release()
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, parquetMagic) {
			return
		}
		read := func(pages bool) (*Result, error) {
			readPages = pages
			defer func() { readPages = true }()
			return readBytes(memory.NewGoAllocator(), data, Options{})
		}
		got, err := read(true)
		if err != nil {
			return
		}
		defer got.Release()
		want, err := read(false)
		if err != nil {
			return
		}
		defer want.Release()
		if !array.RecordEqual(got.Log.Record(), want.Log.Record()) || got.Rejected != want.Rejected {
			t.Errorf("the pages' route read %d events (%d rejected), pqarrow's %d (%d)", got.Log.Len(), got.Rejected, want.Log.Len(), want.Rejected)
		}
	})
}

// FuzzHybrid decodes arbitrary bytes as hybrid data: it may refuse them,
// but must not panic, and every value it gives fits its width.
func FuzzHybrid(f *testing.F) {
	f.Add([]byte{3, 0b10001000, 0b11000110, 0b11111010}, byte(3), uint16(8))
	f.Add([]byte{5 << 1, 0x2c, 0x01}, byte(9), uint16(5))
	f.Fuzz(func(t *testing.T, data []byte, width byte, n uint16) {
		out := make([]int32, n%4096)
		w := int(width % 34)
		if err := hybrid(out, data, w); err != nil {
			return
		}
		for i, v := range out {
			if w < 32 && uint32(v) >= 1<<w {
				t.Fatalf("value %d is %d, wider than %d bits", i, v, w)
			}
		}
	})
}
