package benchmarks

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/ingest"
)

// generatedLog reads the generated CSV export of n cases into a log.
func generatedLog(b *testing.B, cases int) *eventlog.Log {
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(generated(b, cases)), Mem: memory.NewGoAllocator()})
	if err != nil {
		b.Fatal(err)
	}
	return res.Log
}

// benchWrite measures writing the generated log of n cases in format f
// to memory. SetBytes is the size of the file written.
func benchWrite(b *testing.B, f export.Format) {
	for _, cases := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("generated/cases=%d", cases), func(b *testing.B) {
			l := generatedLog(b, cases)
			defer l.Release()
			var out bytes.Buffer
			if err := export.Write(&out, l, f, export.Options{}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(out.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := export.Write(io.Discard, l, f, export.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(l.Len())*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkWriteParquet measures the Parquet writer (zstd, dictionaries).
func BenchmarkWriteParquet(b *testing.B) { benchWrite(b, export.Parquet) }

// BenchmarkWriteXES measures the XES writer.
func BenchmarkWriteXES(b *testing.B) { benchWrite(b, export.XES) }

// BenchmarkReadParquet measures reading a Parquet event log that caseflow
// wrote, end to end (Parquet decoding, the events copied into a Builder,
// Arrow columns), from memory. SetBytes is the Parquet file's size.
func BenchmarkReadParquet(b *testing.B) {
	for _, cases := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("generated/cases=%d", cases), func(b *testing.B) {
			benchRead(b, parquetOf(b, cases), 0)
		})
	}
}

// parquetOf is the Parquet file convert writes of the generated log of
// that many cases.
func parquetOf(b *testing.B, cases int) []byte {
	l := generatedLog(b, cases)
	defer l.Release()
	var pq bytes.Buffer
	if err := export.Write(&pq, l, export.Parquet, export.Options{}); err != nil {
		b.Fatal(err)
	}
	return pq.Bytes()
}
