package ingest

import (
	"bytes"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// TestBufferedBound reads decompression bombs (and a long standard input):
// a Parquet or Arrow IPC file's magic followed by zeros, which must be
// held in memory to be read. Reading stops with a clear error once the
// data passes maxBuffered, lowered here to 1 MiB; a truncated one still
// says so.
func TestBufferedBound(t *testing.T) {
	defer func(m int64) { maxBuffered = m }(maxBuffered)
	maxBuffered = 1 << 20
	bomb := func(magic string, n int) []byte { return append([]byte(magic), make([]byte, n)...) }
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	zst := func(b []byte) []byte {
		zw, _ := zstd.NewWriter(nil)
		defer zw.Close()
		return zw.EncodeAll(b, nil)
	}
	tests := []struct {
		name  string
		stdin []byte
		want  string
	}{
		{"gzip Parquet", gz(bomb("PAR1", 8<<20)), "<stdin>: this Parquet file is larger than 1 MiB, the most caseflow holds in memory when it reads a compressed file or standard input; decompress it to a file (gunzip -k) and read that"},
		{"zstd Arrow IPC file", zst(bomb("ARROW1\x00\x00", 8<<20)), "<stdin>: this Arrow IPC file is larger than 1 MiB, the most caseflow holds in memory when it reads a compressed file or standard input; decompress it to a file (zstd -d) and read that"},
		{"truncated gzip Parquet", gz(bomb("PAR1", 1000))[:30], "<stdin>:1:1: the gzip data ends early (a truncated or interrupted download?); fetch the file again"},
		{"Parquet on a pipe", bomb("PAR1", 1<<20), "<stdin>: this Parquet file is larger than 1 MiB, the most caseflow holds in memory when it reads a compressed file or standard input; save it to a file and read that"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Read([]string{"-"}, Options{Mem: mem, Stdin: io.MultiReader(bytes.NewReader(tt.stdin))})
			if err == nil {
				res.Release()
				t.Fatal("read without error")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}
