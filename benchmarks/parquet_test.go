package benchmarks

import (
	"fmt"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkReadParquetAgainstCSV reads one generated log of 100k cases as
// its CSV and as the Parquet file convert writes of it, from memory, and
// reports, besides time and allocations, the largest live heap seen while
// reading (the runtime's /gc/heap/live:bytes, sampled every millisecond):
// issue 19 asks the Parquet file to be the faster and smaller input.
func BenchmarkReadParquetAgainstCSV(b *testing.B) {
	const cases = 100_000
	csv := generated(b, cases)
	for _, in := range []struct {
		format string
		data   []byte
	}{{"csv", csv}, {"parquet", parquetOf(b, cases)}} {
		b.Run(fmt.Sprintf("generated/cases=%d/%s", cases, in.format), func(b *testing.B) {
			stop := make(chan struct{})
			var peak uint64
			var wg sync.WaitGroup
			wg.Go(func() {
				s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
					}
					metrics.Read(s)
					peak = max(peak, s[0].Value.Uint64())
				}
			})
			benchRead(b, in.data, 0)
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MiB")
		})
	}
}
