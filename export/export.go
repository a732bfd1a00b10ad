package export

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/gzip"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/atomicfile"
)

// Format is a file format a log can be written in.
type Format string

// The formats.
const (
	CSV     Format = "csv"
	XES     Format = "xes"
	Parquet Format = "parquet"
	IPC     Format = "arrow" // Arrow IPC file format, also called Feather v2
)

// Options control writing. The zero value writes uncompressed CSV or XES
// and uses memory.DefaultAllocator for Parquet and IPC.
type Options struct {
	Gzip bool             // compress CSV or XES with gzip
	Mem  memory.Allocator // for the Parquet and IPC writers' buffers
}

// ErrFormat is wrapped by the errors for unknown formats and extensions.
var ErrFormat = errors.New("unknown format")

// extensions maps file name endings, longest first, to formats.
var extensions = []struct {
	ext  string
	f    Format
	gzip bool
}{
	{".csv.gz", CSV, true}, {".xes.gz", XES, true}, {".csv", CSV, false}, {".xes", XES, false},
	{".parquet", Parquet, false}, {".arrow", IPC, false}, {".ipc", IPC, false}, {".feather", IPC, false},
}

// FormatOf returns the format a file name's extension names (compared
// ignoring case): .csv, .xes (each optionally followed by .gz), .parquet,
// and .arrow, .ipc or .feather for Arrow IPC. ok is false for any other
// name.
func FormatOf(path string) (f Format, gzip, ok bool) {
	p := strings.ToLower(path)
	for _, e := range extensions {
		if strings.HasSuffix(p, e.ext) {
			return e.f, e.gzip, true
		}
	}
	return "", false, false
}

// ParseFormat reads a format name as given to --to: csv, csv.gz, xes,
// xes.gz, parquet, or arrow (also ipc, feather).
func ParseFormat(name string) (f Format, gzip bool, err error) {
	if f, gzip, ok := FormatOf("." + name); ok {
		return f, gzip, nil
	}
	return "", false, fmt.Errorf("%w %q: want csv, csv.gz, xes, xes.gz, parquet or arrow", ErrFormat, name)
}

// Write writes l to w in format f. It does not close w. An empty log gives
// a file with the columns (CSV header, XES log element, Parquet and IPC
// schema) and no events.
func Write(w io.Writer, l *eventlog.Log, f Format, opt Options) error {
	if opt.Gzip && f != CSV && f != XES {
		return fmt.Errorf("gzip compression applies to CSV and XES; %s compresses itself", f)
	}
	if opt.Mem == nil {
		opt.Mem = memory.DefaultAllocator
	}
	var zw *gzip.Writer
	if opt.Gzip {
		zw = gzip.NewWriter(w)
		w = zw
	}
	var err error
	switch f {
	case CSV:
		err = writeCSV(w, l)
	case XES:
		err = writeXES(w, l)
	case Parquet:
		err = writeParquet(w, l, opt.Mem)
	case IPC:
		err = writeIPC(w, l, opt.Mem)
	default:
		return fmt.Errorf("%w %q", ErrFormat, f)
	}
	if zw != nil {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// WriteFile writes l to the file path in format f. It writes a temporary
// file in the same folder and renames it to path only when everything was
// written, so path is never left half-written: on failure it is as it was
// before (absent, or the old file) and the temporary file is removed.
func WriteFile(path string, l *eventlog.Log, f Format, opt Options) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, l, f, opt) })
}
