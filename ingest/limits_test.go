package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	gz, zst := gzipped, zstded
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

// TestCSVLimits reads CSV files past the limits of split.go: a header too
// wide or too long is an error, short and without the header in it; a row
// too wide or a cell too long is a reject, and the other rows are read.
func TestCSVLimits(t *testing.T) {
	names := func(n int) string {
		var b strings.Builder
		b.WriteString("case,activity,time")
		for i := 3; i < n; i++ {
			fmt.Fprintf(&b, ",c%d", i)
		}
		return b.String()
	}
	const good = "c1,a,2024-01-01T09:00:00Z\nc1,b,2024-01-01T10:00:00Z\n"
	errs := []struct {
		name, data, want string
	}{
		{"header one column too wide", names(maxColumns+1) + "\n" + good,
			"<stdin>:1:1: the header has more than 10000 columns, the most caseflow reads; check the delimiter (--delimiter), or keep only the columns you need"},
		{"header of a million names", names(1_000_000) + "\n" + good,
			"<stdin>:1:1: the first line is longer than 1 MiB, too long for a header row: is this a CSV file with line breaks? check the file"},
		{"first line of 5 MiB without a line break", strings.Repeat("x", 5<<20),
			"<stdin>:1:1: the first line is longer than 1 MiB, too long for a header row: is this a CSV file with line breaks? check the file"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readBytes(mem, []byte(tt.data), Options{})
			if err == nil {
				res.Release()
				t.Fatal("read without error")
			}
			if err.Error() != tt.want {
				t.Errorf("error (%d bytes)\n%.300s\nwant\n%s", len(err.Error()), err, tt.want)
			}
		})
	}
	rejects := []struct {
		name, row string
		col       int
		reason    string
	}{
		{"row too wide", "c1,x,2024-01-01T09:30:00Z" + strings.Repeat(",y", 3*maxColumns), maxColumns + 1,
			"the row has more than 10000 fields, the most caseflow reads; check the delimiter (--delimiter) and the quoting"},
		{"quoted row too wide", `c1,"x",2024-01-01T09:30:00Z` + strings.Repeat(`,"y"`, 3*maxColumns), maxColumns + 1,
			"the row has more than 10000 fields, the most caseflow reads; check the delimiter (--delimiter) and the quoting"},
		{"cell too long", "c1," + strings.Repeat("x", maxCell+1) + ",2024-01-01T09:30:00Z", 2,
			"the field is longer than 1 MiB, the most caseflow reads in one cell; check for a quote that is never closed"},
	}
	for _, tt := range rejects {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readBytes(mem, []byte("case,activity,time\n"+good+tt.row+"\nc2,a,2024-01-01T11:00:00Z\n"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if res.Rows != 4 || res.Log.Len() != 3 || len(res.Rejects) != 1 {
				t.Fatalf("rows %d, events %d, rejects %d; want 4, 3, 1", res.Rows, res.Log.Len(), len(res.Rejects))
			}
			if r := res.Rejects[0]; r.Line != 4 || r.Column != tt.col || r.Reason != tt.reason || len(r.Raw) > MaxRawLen+len("…") {
				t.Errorf("reject at %d:%d (%d raw bytes): %s; want 4:%d: %s", r.Line, r.Column, len(r.Raw), r.Reason, tt.col, tt.reason)
			}
		})
	}
}

// TestCROnlyLineEnds reads a file whose lines end in a carriage return
// alone (classic Mac OS) as lines, with a note; a carriage return in a
// quoted field of a file with line feeds stays as it is.
func TestCROnlyLineEnds(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
		note       bool
	}{
		{"CR only", "case,activity,time,note\rc1,a,2024-01-01T09:00:00Z,x\rc1,b,2024-01-01T10:00:00Z,\"y\rz\"\rc2,a,2024-01-01T11:00:00Z,\r",
			[]string{"c1|a|2024-01-01T09:00:00Z||||2|note=x", "c1|b|2024-01-01T10:00:00Z||||3|note=y\nz", "c2|a|2024-01-01T11:00:00Z||||5|note="}, true},
		{"LF, CR in a quoted field", "case,activity,time,note\nc1,a,2024-01-01T09:00:00Z,\"y\rz\"\n",
			[]string{"c1|a|2024-01-01T09:00:00Z||||2|note=y\rz"}, false},
		{"CR LF", "case,activity,time,note\r\nc1,a,2024-01-01T09:00:00Z,x\r\n",
			[]string{"c1|a|2024-01-01T09:00:00Z||||2|note=x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := readBytes(mem, []byte(tt.data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if got := rows(res.Log, "note"); !slices.Equal(got, tt.want) || res.Rejected != 0 {
				t.Errorf("events %q (%d rejected), want %q", got, res.Rejected, tt.want)
			}
			noted := slices.ContainsFunc(res.Inputs[0].Notes, func(n string) bool { return strings.Contains(n, "carriage return alone") })
			if noted != tt.note {
				t.Errorf("notes %q; want a note on carriage returns: %v", res.Inputs[0].Notes, tt.note)
			}
		})
	}
}

// TestMisnamedBinary reads files named as Parquet, Arrow IPC or XES that
// do not start as those do: an error says so, rather than reading them as
// CSV.
func TestMisnamedBinary(t *testing.T) {
	dir := t.TempDir()
	const text = "case,activity,time\nc1,a,2024-01-01T09:00:00Z\n"
	tests := []struct{ name, want string }{
		{"log.parquet", `log.parquet:1:1: not a Parquet file: it does not start with the bytes PAR1, as one does; export or download it again, or rename it if it is really CSV`},
		{"log.PARQUET.gz", `log.PARQUET.gz:1:1: not a Parquet file: it does not start with the bytes PAR1, as one does; export or download it again, or rename it if it is really CSV`},
		{"log.feather", `log.feather:1:1: not an Arrow IPC file: it does not start with the bytes ARROW1, as one does; export or download it again, or rename it if it is really CSV`},
		{"log.xes", `log.xes:1:1: not an XES file: it does not start with XML, as one does; export or download it again, or rename it if it is really CSV`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(text)
			if strings.HasSuffix(tt.name, ".gz") {
				data = gzipped(data)
			}
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			res, err := Read([]string{path}, Options{Mem: mem})
			if err == nil {
				res.Release()
				t.Fatal("read without error")
			}
			if got := strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)); got != tt.want {
				t.Errorf("error\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// bomb is magic followed by n zero bytes.
func bomb(magic string, n int) []byte { return append([]byte(magic), make([]byte, n)...) }

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func zstded(b []byte) []byte {
	zw, _ := zstd.NewWriter(nil)
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// addsUp checks that what a read kept and rejected adds up to what it read.
func addsUp(t *testing.T, res *Result) {
	t.Helper()
	if res.Rows != int64(res.Log.Len())+res.Rejected || int64(len(res.Rejects)) != res.Rejected {
		t.Errorf("rows %d != events %d + rejected %d (%d listed)", res.Rows, res.Log.Len(), res.Rejected, len(res.Rejects))
	}
}

// FuzzReadCompressed reads arbitrary bytes, stored (wrap 0), gzip (1) or
// zstd (2) compressed, from a pipe, as standard input gives them, with
// maxBuffered lowered to 4 KiB so that the bound is reached: the read may
// fail, but must not panic or leak, and what it reads must add up.
func FuzzReadCompressed(f *testing.F) {
	defer func(m int64) { maxBuffered = m }(maxBuffered)
	maxBuffered = 4 << 10
	f.Add([]byte("case,activity,time\rc,a,2024-01-01T00:00:00Z\rc,b,2024-01-01T01:00:00Z\r"), byte(0))
	f.Add([]byte("case,activity,time\nc,a,2024-01-01T00:00:00Z\n"), byte(1))
	f.Add([]byte(`<?xml version="1.0"?><log><trace><string key="concept:name" value="c"/><event><string key="concept:name" value="a"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace></log>`), byte(2))
	f.Add(bomb("PAR1", 5<<10), byte(1))
	f.Add(bomb("ARROW1\x00\x00", 5<<10), byte(2))
	rec := record(f, flatFields, flatRows)
	for i, enc := range encodings {
		f.Add(enc.encode(f, rec), byte(i))
	}
	rec.Release()
	f.Fuzz(func(t *testing.T, data []byte, wrap byte) {
		switch wrap % 3 {
		case 1:
			data = gzipped(data)
		case 2:
			data = zstded(data)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		res, err := Read([]string{"-"}, Options{Stdin: io.MultiReader(bytes.NewReader(data)), Mem: mem, Workers: 2, chunkSize: 64})
		if err != nil {
			return
		}
		defer res.Release()
		addsUp(t, res)
	})
}
