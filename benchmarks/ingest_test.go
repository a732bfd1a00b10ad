package benchmarks

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
)

// generated returns a synthetic CRM export of n cases (about 6.8 events
// each), made once per size.
var generatedCache = map[int][]byte{}

func generated(b *testing.B, cases int) []byte {
	if data, ok := generatedCache[cases]; ok {
		return data
	}
	cfg := generate.Default()
	cfg.Cases = cases
	var buf bytes.Buffer
	if _, err := generate.Write(cfg, &buf, nil); err != nil {
		b.Fatal(err)
	}
	generatedCache[cases] = buf.Bytes()
	return buf.Bytes()
}

// loaded reads the generated log of n cases into Arrow columns; the caller
// releases it.
func loaded(b *testing.B, cases int) ([]byte, *ingest.Result) {
	data := generated(b, cases)
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(data), Mem: memory.NewGoAllocator()})
	if err != nil {
		b.Fatal(err)
	}
	return data, res
}

func benchRead(b *testing.B, data []byte, workers int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var events int
	for b.Loop() {
		res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: bytes.NewReader(data), Workers: workers, Mem: memory.NewGoAllocator()})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Log.Len()
		res.Release()
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReadCSV measures CSV ingest end to end (split, parse, intern,
// timestamps, merge, sort, Arrow columns) from memory.
func BenchmarkReadCSV(b *testing.B) {
	for _, cases := range []int{10_000, 100_000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("generated/cases=%d/workers=%d", cases, w), func(b *testing.B) {
				benchRead(b, generated(b, cases), w)
			})
		}
	}
	// The same log with its rows in time order, as many ticketing systems
	// export: cases interleave, so reading includes grouping and sorting.
	b.Run("generated/cases=100000/time-ordered", func(b *testing.B) {
		benchRead(b, timeOrdered(generated(b, 100_000)), 0)
	})
	for _, f := range []string{"receipt/receipt.csv", "bpic2014/BPIC14_incident_log.csv"} {
		b.Run(f, func(b *testing.B) {
			data, err := os.ReadFile(realdata.Path(b, f))
			if err != nil {
				b.Fatal(err)
			}
			benchRead(b, data, 0)
		})
	}
}

// timeOrdered sorts a generated export's data rows by their timestamp, the
// last column, whose ISO form sorts as text.
func timeOrdered(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	last := func(l []byte) []byte { return l[bytes.LastIndexByte(l, ',')+1:] }
	rows := lines[1:]
	slices.SortStableFunc(rows, func(a, b []byte) int { return bytes.Compare(last(a), last(b)) })
	return bytes.Join(lines, nil)
}
