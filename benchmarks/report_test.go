package benchmarks

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report"
	"github.com/caseflow/caseflow/report/html"
)

// BenchmarkReport measures report writing on the findings of a generated
// log: building the report, then each file of `analyze --out` on its own
// (into io.Discard, so the disk is not measured) and the HTML page. SetBytes
// is the bytes written.
func BenchmarkReport(b *testing.B) {
	for _, cases := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			if cases > 100_000 && testing.Short() {
				b.Skip("large benchmark: run without -short")
			}
			_, res := loaded(b, cases)
			defer res.Release()
			f, err := mining.Analyze(res.Log, mining.Options{})
			if err != nil {
				b.Fatal(err)
			}
			in := report.Input{Rows: res.Rows, Events: res.Log.Len(), Cases: res.Log.Cases()}
			b.Run("new", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := report.New(f, in, report.Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			rep, err := report.New(f, in, report.Options{})
			if err != nil {
				b.Fatal(err)
			}
			outs := append(rep.Outputs(), report.Output{Name: "report.html", Write: func(w io.Writer) error {
				return html.Write(w, f, html.Input{Rows: res.Rows})
			}})
			for _, o := range outs {
				b.Run(o.Name, func(b *testing.B) {
					var first bytes.Buffer
					if err := o.Write(&first); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(first.Len()))
					b.ReportAllocs()
					for b.Loop() {
						if err := o.Write(io.Discard); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
