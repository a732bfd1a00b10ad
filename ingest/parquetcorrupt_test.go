package ingest

import (
	"bytes"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/eventlog"
)

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
				pf, err = file.NewParquetReader(bytes.NewReader(bad))
				if err != nil {
					t.Fatal(err)
				}
				defer pf.Close()
				fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
				if err != nil {
					t.Fatal(err)
				}
				p, err := newParquetGroups(fr, pf, io.NewSectionReader(bytes.NewReader(bad), 0, int64(len(bad))), mem)
				if err != nil {
					t.Fatal(err)
				}
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
