package export

import (
	"bufio"
	"errors"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/eventlog"
)

// rowGroup is the most rows per Parquet row group: large enough for good
// compression, small enough that a reader holds one comfortably.
const rowGroup = 1 << 20

// writeParquet writes the log's record as Parquet; see the package
// documentation.
func writeParquet(w io.Writer, l *eventlog.Log, mem memory.Allocator) error {
	rec := l.Record()
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		// Nearly unique values: a dictionary would only cost.
		parquet.WithDictionaryFor(eventlog.Time, false),
		parquet.WithDictionaryFor(eventlog.StartTime, false),
		parquet.WithDictionaryFor(eventlog.Row, false),
		// Row numbers mostly climb by one: delta encoding stores them in
		// next to nothing, where plain int32 would not compress.
		parquet.WithEncodingFor(eventlog.Row, parquet.Encodings.DeltaBinaryPacked),
		parquet.WithMaxRowGroupLength(rowGroup),
	)
	// The writer closes its sink if it can: give it one without Close.
	bw := bufio.NewWriterSize(w, 1<<16)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), bw, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		return err // Write closed fw
	}
	if err := fw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeIPC writes the log's record as an Arrow IPC file.
func writeIPC(w io.Writer, l *eventlog.Log, mem memory.Allocator) error {
	rec, err := ownDictionaries(l.Record())
	if err != nil {
		return err
	}
	defer rec.Release()
	bw := bufio.NewWriterSize(w, 1<<16)
	fw, err := ipc.NewFileWriter(&teller{w: bw}, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(mem))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// teller lets the IPC file writer, which asks a seeker for its position
// (and nothing else), write to any writer, such as standard output.
type teller struct {
	w   io.Writer
	pos int64
}

func (t *teller) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.pos += int64(n)
	return n, err
}

func (t *teller) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return t.pos, errors.New("export: the IPC writer may only ask for its position")
	}
	return t.pos, nil
}

// ownDictionaries returns rec with the dictionaries of its dictionary
// columns copied into memory of their own. Arrow v17's ipc.FileWriter keeps
// a reference to each dictionary it writes and never drops it (its Close
// lacks the release of lastWrittenDicts that the stream Writer's has),
// which would keep the log's own dictionaries referenced for good; the
// copies are left to the garbage collector instead.
func ownDictionaries(rec arrow.Record) (arrow.Record, error) {
	own := memory.NewGoAllocator()
	cols := make([]arrow.Array, 0, rec.NumCols())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, c := range rec.Columns() {
		d, ok := c.(*array.Dictionary)
		if !ok {
			c.Retain()
			cols = append(cols, c)
			continue
		}
		dict, err := array.Concatenate([]arrow.Array{d.Dictionary()}, own)
		if err != nil {
			return nil, err
		}
		cols = append(cols, array.NewDictionaryArray(d.DataType(), d.Indices(), dict))
		dict.Release()
	}
	return array.NewRecord(rec.Schema(), cols, rec.NumRows()), nil
}
