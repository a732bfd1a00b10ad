package ingest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/eventlog"
)

// TestParquetPagesForgetsDictionaries: in a file with a dictionary of its
// own in each row group, the reader remembers (for Kept) only the
// dictionaries its columns hold now, not every one decoded so far.
func TestParquetPagesForgetsDictionaries(t *testing.T) {
	res := generatedLogs(t, 100)
	defer res.Release()
	rec := res.Log.Record()
	data := ownDictionaries(t, rec, 300)
	dictCols := 0
	for _, f := range rec.Schema().Fields() {
		if f.Type.ID() == arrow.DICTIONARY {
			dictCols++
		}
	}
	p := openGroups(t, data, memory.NewGoAllocator())
	defer p.release()
	pf := p.pf
	most := 0
	for p.Next() {
		p.mu.Lock()
		most = max(most, len(p.made))
		p.mu.Unlock()
	}
	if p.Err() != nil || p.leaves == nil || p.fellBack > 0 || pf.NumRowGroups() < 3 {
		t.Fatalf("error %v, pages decoded %v, %d of %d groups through pqarrow; want 3 or more groups decoded",
			p.Err(), p.leaves != nil, p.fellBack, pf.NumRowGroups())
	}
	if most == 0 || most > dictCols {
		t.Errorf("up to %d dictionaries remembered, want 1…%d (the columns' own)", most, dictCols)
	}
	// Still pqarrow's values, record by record.
	if n, dicts := decodedGroups(t, data); n != pf.NumRowGroups() || dicts != n {
		t.Errorf("%d row groups decoded from their pages, %d case dictionaries; want %d of each", n, dicts, pf.NumRowGroups())
	}
}

// TestParquetOwnDictionaries: a file whose row groups each have
// dictionaries of their own (as most writers make them) reads into the
// log written, whether its pages are decoded or pqarrow reads it (whose
// batches span groups: Arrow's Concatenate of such dictionary arrays with
// nulls among 16-bit indices changed the values after them).
func TestParquetOwnDictionaries(t *testing.T) {
	res := generatedLogs(t, 100)
	defer res.Release()
	want := res.Log.Record()
	got := readBoth(t, ownDictionaries(t, want, 300)).Log.Record()
	if got.NumRows() != want.NumRows() {
		t.Fatalf("%d rows, want %d", got.NumRows(), want.NumRows())
	}
	for c, f := range want.Schema().Fields() {
		g := got.Schema().FieldIndices(f.Name)
		if len(g) != 1 {
			t.Errorf("no column %s", f.Name)
			continue
		}
		for i := range int(want.NumRows()) {
			if a, b := valueText(got.Column(g[0]), i), valueText(want.Column(c), i); a != b {
				t.Errorf("column %s, row %d: %q, want %q", f.Name, i, a, b)
				break
			}
		}
	}
}

// ownDictionaries is a Parquet file of rec in row groups of n rows, each
// group's dictionaries holding only the values its rows use (pqarrow
// writes an Arrow dictionary whole in every group).
func ownDictionaries(t *testing.T, rec arrow.Record, n int64) []byte {
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(n)),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	for lo := int64(0); lo < rec.NumRows(); lo += n {
		part := rec.NewSlice(lo, min(lo+n, rec.NumRows()))
		cols := slices.Clone(part.Columns())
		for c, col := range cols {
			d, ok := col.(*array.Dictionary)
			if !ok {
				continue
			}
			b := array.NewDictionaryBuilder(mem, d.DataType().(*arrow.DictionaryType)).(*array.BinaryDictionaryBuilder)
			vals := d.Dictionary().(*array.String)
			for i := range d.Len() {
				if d.IsNull(i) {
					b.AppendNull()
				} else if err := b.AppendString(vals.Value(d.GetValueIndex(i))); err != nil {
					t.Fatal(err)
				}
			}
			cols[c] = b.NewArray()
			defer cols[c].Release()
			b.Release()
		}
		own := array.NewRecord(part.Schema(), cols, part.NumRows())
		err = fw.Write(own)
		own.Release()
		part.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParquetPagesCorruptFreed: a caseflow Parquet file with a data page's
// bytes garbled reads to an error, and every buffer the decoder took
// comes back to the allocator (the record's buffer being read into, and
// the row group's dictionaries).
func TestParquetPagesCorruptFreed(t *testing.T) {
	res := generatedLogs(t, 100)
	defer res.Release()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"convert's, zstd", converted(t, res.Log)},
		{"uncompressed", parquetWith(t, res.Log.Record(), nil)},
	} {
		for _, col := range []string{eventlog.Case, eventlog.Activity, eventlog.Time} {
			t.Run(tc.name+", "+col, func(t *testing.T) {
				data := tc.data
				pf, err := file.NewParquetReader(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				cc, err := pf.MetaData().RowGroup(0).ColumnChunk(pf.MetaData().Schema.ColumnIndexByName(col))
				pf.Close()
				if err != nil {
					t.Fatal(err)
				}
				at, stop := chunkSpan(cc)
				h, err := pageHeader(bytes.NewReader(data), at, stop)
				if err == nil && h.typ == 2 { // the dictionary: the data page follows
					at += h.size + h.compressed
					h, err = pageHeader(bytes.NewReader(data), at, stop)
				}
				if err != nil || h.typ != 0 || h.compressed < 16 {
					t.Fatalf("the first data page: %+v, %v", h, err)
				}
				bad := bytes.Clone(data)
				body := bad[at+h.size : at+h.size+h.compressed]
				for i := len(body) / 4; i < len(body); i++ {
					body[i] ^= 0x5a
				}
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				p := openGroups(t, bad, mem)
				for p.Next() {
				}
				err = p.Err()
				p.release()
				if err == nil {
					t.Fatal("a garbled page read without an error")
				}
			})
		}
	}
}
