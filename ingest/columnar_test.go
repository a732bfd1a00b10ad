package ingest

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"

	"github.com/caseflow/caseflow/eventlog"
)

// TestCaseflowLogReadByColumns: a caseflow log written to Parquet and
// Arrow IPC is read column by column (addColumns takes its batch) into the
// same log as the CSV files it was read from: every cell of every column,
// the provenance, and every dictionary's order of first appearance. A
// batch with a value the columns cannot carry as they are goes row by row.
func TestCaseflowLogReadByColumns(t *testing.T) {
	files := map[string]string{}
	for f, name := range []string{"a.csv", "b.csv"} {
		var b strings.Builder
		b.WriteString("case,activity,time,start,department,agent,note,customer\n")
		for i := range 36000 { // two batches of Parquet's 64k rows, then some

			dept := []string{"KCC", "Billing", "", "Permits"}[(i+f)%4]
			start := ""
			if i%5 == 0 {
				start = fmt.Sprintf("2021-01-0%d 08:%02d:00", 1+f, i%60)
			}
			note := []string{"plain", `"quoted, with ""quotes"""`, ""}[i%3]
			fmt.Fprintf(&b, "c%d,%s,2021-01-0%d %02d:%02d:%02d,%s,%s,agent-%d,%s,K%d\n",
				(i*7+f*3)%400, []string{"Register", "Route", "Answer", "Close"}[i%4], 1+f, 9+i%8, i%60, (i*13)%60,
				start, dept, i%37, note, i%250)
		}
		files[name] = b.String()
	}
	opt := Options{
		Mapping: Mapping{StartTime: []string{"start"}, Resource: []string{"agent"}},
		Open: func(p string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(files[p])), nil
		},
	}
	orig, err := Read([]string{"a.csv", "b.csv"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Release()
	rec := orig.Log.Record()
	if orig.Rejected != 0 || rec.NumRows() != 72000 {
		t.Fatalf("read %d events, %d rejected", rec.NumRows(), orig.Rejected)
	}
	// Row groups of 10,000 rows each have a dictionary of their own, and
	// batches that span two get one made of both.
	smallGroups := func(t testing.TB, rec arrow.Record) []byte {
		return parquetWith(t, rec, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(10_000)))
	}
	for _, enc := range append(encodings, struct {
		name   string
		encode func(testing.TB, arrow.Record) []byte
	}{"parquet, row groups of 10,000", smallGroups}) {
		t.Run(enc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readBytes(mem, enc.encode(t, rec), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rows != 72000 || res.Rejected != 0 {
				t.Errorf("rows %d, rejected %d", res.Rows, res.Rejected)
			}
			got, want := res.Log.Record().Schema(), rec.Schema()
			if len(got.Fields()) != len(want.Fields()) {
				t.Fatalf("schema\n%s\nwant\n%s", got, want)
			}
			for c, f := range want.Fields() {
				if got.Field(c).Name != f.Name {
					t.Fatalf("column %d is %q, want %q", c, got.Field(c).Name, f.Name)
				}
				for i := range int(rec.NumRows()) {
					if a, b := cell(res.Log, f.Name, i), cell(orig.Log, f.Name, i); a != b {
						t.Fatalf("column %s, event %d: %q, want %q", f.Name, i, a, b)
					}
				}
				if f.Type.ID() == arrow.DICTIONARY {
					// In order of first appearance in the file read, which
					// is grouped by case.
					var first []string
					for i := range int(rec.NumRows()) {
						if v := cell(orig.Log, f.Name, i); v != "" && !slices.Contains(first, v) {
							first = append(first, v)
						}
					}
					if a := res.Log.Codes(f.Name).Names; !slices.Equal(a, first) {
						t.Errorf("column %s: dictionary %q, want %q", f.Name, a, first)
					}
				}
			}
		})
	}

	// The batch is the columns' to take; with the activity as plain text
	// instead of a dictionary it is not, and goes row by row to the same log.
	tb := func(rec arrow.Record) *table {
		tb, err := newTable(rec.Schema(), []arrow.Record{rec}, int(rec.NumRows()), &Input{File: "x"}, Options{}.withDefaults(), eventlog.NewBuilder(), &Result{})
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	if !tb(rec).addColumns(rec) {
		t.Error("a caseflow log's batch was read row by row")
	}
	acts := orig.Log.Codes(eventlog.Activity)
	sb := array.NewStringBuilder(memory.NewGoAllocator())
	defer sb.Release()
	for _, k := range acts.Index {
		sb.Append(acts.Names[k])
	}
	plain := sb.NewArray()
	defer plain.Release()
	a := rec.Schema().FieldIndices(eventlog.Activity)[0]
	fields := slices.Clone(rec.Schema().Fields())
	fields[a].Type = arrow.BinaryTypes.String
	cols := slices.Clone(rec.Columns())
	cols[a] = plain
	rec2 := array.NewRecord(arrow.NewSchema(fields, nil), cols, rec.NumRows())
	defer rec2.Release()
	if tb(rec2).addColumns(rec2) {
		t.Error("a batch with the activity as plain text was read by columns")
	}
	res, err := readBytes(memory.NewGoAllocator(), ipcFileBytes(t, rec2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got, want := rows(res.Log, "note", "customer"), rows(orig.Log, "note", "customer"); !slices.Equal(got, want) {
		t.Errorf("read row by row: %d events differ from the CSV's", len(got))
	}
}
