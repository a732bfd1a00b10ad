package benchmarks

import (
	"fmt"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// BenchmarkAnalyze measures the whole mining pass (flows, ping-pong, silos,
// lead times, per-case table) on a generated log already loaded into Arrow
// columns. SetBytes is the CSV size the log was read from, so MB/s compares
// with the ingest benchmarks.
func BenchmarkAnalyze(b *testing.B) {
	for _, cases := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			if cases > 100_000 && testing.Short() {
				b.Skip("large benchmark: run without -short")
			}
			data, res := loaded(b, cases)
			defer res.Release()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mining.Analyze(res.Log, mining.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Log.Len())*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
