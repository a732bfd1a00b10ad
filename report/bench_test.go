package report

import (
	"io"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// BenchmarkCases writes cases.csv for a million cases, the size of the
// mining benchmark's generated log.
func BenchmarkCases(b *testing.B) {
	const n = 1_000_000
	r := &Report{paths: [][]string{{"KCC", "Taxes", "KCC"}, {"KCC"}}}
	r.cases = make([]mining.Case, n)
	for i := range r.cases {
		r.cases[i] = mining.Case{ID: "C00000001", Events: 7, Measured: true, Lead: 123456.789 + float64(i), Handoffs: 2,
			PingPong: 1, Revisits: 1, Path: int32(i % 2)}
	}
	var size countWriter
	if err := r.writeCases(&size); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.writeCases(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
