package generate

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// TestParquetMatchesCSV reads the Parquet log back with pqarrow and checks
// it row by row against the CSV log of the same configuration, and that
// types are as documented, with the pathologies of real exports off and on
// (placeholders are values of the department dictionary then). The case
// count spans several row groups.
func TestParquetMatchesCSV(t *testing.T) { offAndOn(t, parquetMatchesCSV) }

func parquetMatchesCSV(t *testing.T, cfg Config) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	cfg.Cases = 40000
	text, _ := generate(t, cfg)
	want := parseLog(t, text, ISO)
	cfg.Format = Parquet
	var buf bytes.Buffer
	if _, err := write(cfg, &buf, nil, mem); err != nil {
		t.Fatal(err)
	}
	pq := buf.Bytes()

	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(pq), parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if tbl.NumRows() != int64(len(want)) {
		t.Fatalf("%d rows, want %d", tbl.NumRows(), len(want))
	}
	for i, name := range Columns(ISO) {
		f := tbl.Schema().Field(i)
		if f.Name != name {
			t.Fatalf("column %d is %q, want %q", i, f.Name, name)
		}
		switch {
		case i == 7:
			if ts, ok := f.Type.(*arrow.TimestampType); !ok || ts.Unit != arrow.Millisecond || ts.TimeZone != "UTC" {
				t.Errorf("timestamp type %s", f.Type)
			}
		case i >= 2:
			if f.Type.ID() != arrow.DICTIONARY {
				t.Errorf("column %s has type %s, want a dictionary", name, f.Type)
			}
		}
	}
	// Row groups are bounded and never split a case.
	pf, err := file.NewParquetReader(bytes.NewReader(pq), file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if pf.NumRowGroups() < 2 {
		t.Errorf("%d row groups, want several", pf.NumRowGroups())
	}
	start := 0
	for i := 0; i < pf.NumRowGroups(); i++ {
		if start > 0 && want[start].caseID == want[start-1].caseID {
			t.Errorf("row group %d starts inside case %s", i, want[start].caseID)
		}
		n := int(pf.MetaData().RowGroup(i).NumRows())
		if n > 1<<17 {
			t.Errorf("row group %d has %d rows", i, n)
		}
		start += n
	}

	rdr := array.NewTableReader(tbl, 1<<16)
	defer rdr.Release()
	n := 0
	for rdr.Next() {
		rec := rdr.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			got := row{}
			for j, p := range []*string{&got.caseID, &got.customer, &got.channel, &got.reason, &got.activity, &got.dept, &got.agent} {
				*p = stringAt(t, rec.Column(j), i)
			}
			got.t = time.UnixMilli(int64(rec.Column(7).(*array.Timestamp).Value(i))).UTC()
			w := want[n]
			got.ts = w.ts
			if got != w {
				t.Fatalf("row %d: parquet %+v, csv %+v", n, got, w)
			}
			n++
		}
	}
}

// stringAt returns the string at i of a string or dictionary-of-string
// column, "" for null.
func stringAt(t *testing.T, a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Dictionary:
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
	}
	t.Fatalf("unexpected column type %s", a.DataType())
	return ""
}
