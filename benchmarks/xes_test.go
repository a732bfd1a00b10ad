package benchmarks

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/caseflow/caseflow/internal/realdata"
)

// incidentsXML returns the BPIC 2013 incidents log decompressed (about
// 40 MB of XML, with 22,000 lines of log metadata before the first trace),
// so the benchmarks measure XML, not gzip.
func incidentsXML(b *testing.B) []byte {
	f, err := os.Open(realdata.Path(b, "bpic2013/incidents.xes.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkReadXES measures XES ingest end to end (scan, type, intern,
// sort, Arrow columns) from memory. SetBytes is the uncompressed size, so
// MB/s is XML throughput.
func BenchmarkReadXES(b *testing.B) {
	benchRead(b, incidentsXML(b), 0)
}

// BenchmarkXMLRawToken is the baseline ReadXES is compared with:
// encoding/xml's tokenizer alone, building nothing, over the same bytes.
func BenchmarkXMLRawToken(b *testing.B) {
	data := incidentsXML(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.RawToken()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
