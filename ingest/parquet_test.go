package ingest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
)

// TestGeneratedParquetMatchesCSV: the generator's Parquet (dictionaries,
// timestamp[ms, UTC], nulls) and its CSV (text) of the same simulation read
// into the same log, column by column, apart from the provenance.
func TestGeneratedParquetMatchesCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	read := func(f generate.Format) *Result {
		cfg := generate.Default()
		cfg.Cases = 25000 // more than one row group (131,072 rows) and many batches
		cfg.Format = f
		var buf bytes.Buffer
		if _, err := generate.Write(cfg, &buf, nil); err != nil {
			t.Fatal(err)
		}
		res, err := readBytes(mem, buf.Bytes(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	pq, csv := read(generate.Parquet), read(generate.CSV)
	defer pq.Release()
	defer csv.Release()
	if pq.Inputs[0].Format != formatParquet || csv.Inputs[0].Format != "csv" {
		t.Fatalf("formats %s and %s", pq.Inputs[0].Format, csv.Inputs[0].Format)
	}
	if pq.Rejected != 0 || csv.Rejected != 0 || pq.Log.Len() != csv.Log.Len() || pq.Log.Len() < 140000 {
		t.Fatalf("Parquet %d events (%d rejected), CSV %d (%d rejected)", pq.Log.Len(), pq.Rejected, csv.Log.Len(), csv.Rejected)
	}
	names := func(l *eventlog.Log) []string {
		var out []string
		for _, f := range l.Record().Schema().Fields() {
			if f.Name != eventlog.File && f.Name != eventlog.Row {
				out = append(out, f.Name)
			}
		}
		return out
	}
	if a, b := names(pq.Log), names(csv.Log); !slices.Equal(a, b) {
		t.Fatalf("columns %q and %q", a, b)
	}
	for _, n := range names(csv.Log) {
		for i := range csv.Log.Len() {
			if a, b := cell(pq.Log, n, i), cell(csv.Log, n, i); a != b {
				t.Fatalf("column %s, event %d: Parquet %q, CSV %q", n, i, a, b)
			}
		}
	}
	// Parquet rows are 1-based rows, CSV rows lines after the header.
	if a, b := cell(pq.Log, eventlog.Row, 0), cell(csv.Log, eventlog.Row, 0); a != "1" || b != "2" {
		t.Errorf("first rows %s and %s, want 1 and 2", a, b)
	}
}
