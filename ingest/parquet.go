package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/apache/thrift/lib/go/thrift"

	"github.com/caseflow/caseflow/eventlog"
)

// parquetMagic starts (and ends) every Parquet file.
var parquetMagic = []byte("PAR1")

// formatParquet is Input.Format for Parquet.
const formatParquet = "parquet"

// parquetBatch is the rows per record batch read from Parquet: enough to
// make the per-batch work noise, few enough to keep a batch small.
const parquetBatch = 64 << 10

// readParquet reads a Parquet file into the log, as readTable describes:
// a caseflow log's pages decoded by parquetGroups (in a goroutine that
// recovers from panics itself), anything else through Arrow's pqarrow
// reader, in this goroutine (parquetBatches). Parquet keeps its index at
// the end of the file, so it is read in place when it is a plain file and
// otherwise (standard input from a pipe, gzip or zstd) held in memory
// first. Before Arrow reads the file, checkSchemaTree, checkStoredSchema
// and checkPages check the sizes it would trust.
func readParquet(f io.Reader, rd *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	ra, err := seekable(f, rd, in)
	if err != nil {
		return err
	}
	return guard(in, func() error {
		if err := checkSchemaTree(ra); err != nil {
			return unreadable(in, err)
		}
		mem := newBounded(ra.Size())
		props := parquet.NewReaderProperties(mem)
		// A column chunk read a buffer at a time, not whole (and copied
		// whole into the reader's buffer).
		props.BufferedStreamEnabled, props.BufferSize = true, 1<<20
		pf, err := file.NewParquetReader(ra, file.WithReadProps(props))
		if err != nil {
			return unreadable(in, err)
		}
		defer pf.Close()
		if err := checkStoredSchema(pf); err != nil {
			return unreadable(in, err)
		}
		if err := checkPages(ra, pf); err != nil {
			return unreadable(in, err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatch}, mem)
		if err != nil {
			return unreadable(in, err)
		}
		pb, err := newParquetGroups(fr, pf, ra, mem, opt.Memory)
		if err != nil {
			return unreadable(in, err)
		}
		defer pb.release()
		// The footer states the row count; a corrupt one must not make the
		// Builder reserve more than the file could plausibly hold.
		if n := pf.NumRows(); n > 0 && n <= ra.Size() {
			b.Grow(int(n))
		}
		return readTable(pb, ra.Size, in, opt, b, res)
	})
}

// parquetBatches reads a Parquet file's columns batch by batch, in this
// goroutine. (pqarrow's own RecordReader opens the columns in goroutines
// of its own, where a panic on a corrupt file could not be recovered.)
type parquetBatches struct {
	mem    memory.Allocator
	size   int64                   // rows per batch
	cols   []*pqarrow.ColumnReader // nil for a nested column
	schema *arrow.Schema
	cur    arrow.Record
	err    error
}

// newParquetBatches reads row groups groups of the file.
func newParquetBatches(fr *pqarrow.FileReader, pf *file.Reader, mem memory.Allocator, groups []int) (*parquetBatches, error) {
	leaves := map[int]bool{}
	for i := range pf.MetaData().Schema.NumColumns() {
		leaves[i] = true
	}
	// Batches no larger than the file: the column readers reserve room for
	// a whole batch.
	p := &parquetBatches{mem: mem, size: max(1, min(pf.NumRows(), parquetBatch))}
	var fields []arrow.Field
	for i, f := range fr.Manifest.Fields {
		if _, flat := kindOf(f.Field.Type); !flat {
			// readTable skips it, and pqarrow reads the children of a
			// nested column in goroutines of its own (see above): it
			// stays in the schema, with nulls for values.
			p.cols = append(p.cols, nil)
			fields = append(fields, *f.Field)
			continue
		}
		c, err := fr.GetFieldReader(context.Background(), i, leaves, groups)
		if err != nil {
			p.release()
			return nil, err
		}
		p.cols = append(p.cols, c)
		fields = append(fields, *c.Field())
	}
	p.schema = arrow.NewSchema(fields, fr.Manifest.SchemaMeta)
	return p, nil
}

func (p *parquetBatches) Schema() *arrow.Schema { return p.schema }

func (p *parquetBatches) Next() bool {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	if p.err != nil {
		return false
	}
	arrs := make([]arrow.Array, len(p.cols))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	n := -1 // rows in this batch
	for i, c := range p.cols {
		if c == nil {
			continue
		}
		ch, err := c.NextBatch(p.size)
		if err != nil {
			p.err = err
			return false
		}
		arrs[i], err = single(ch, p.mem)
		ch.Release()
		if err != nil {
			p.err = err
			return false
		}
		switch l := arrs[i].Len(); {
		case n < 0:
			n = l
		case l != n:
			p.err = fmt.Errorf("column %q has %d values where others have %d", p.schema.Field(i).Name, l, n)
			return false
		}
	}
	if n <= 0 {
		return false
	}
	for i, c := range p.cols {
		if c == nil {
			arrs[i] = array.MakeArrayOfNull(p.mem, p.schema.Field(i).Type, n)
		}
	}
	p.cur = array.NewRecord(p.schema, arrs, int64(n))
	return true
}

// single returns the array of a column batch: pqarrow gives one chunk per
// row group the batch touches (none at the end).
func single(ch *arrow.Chunked, mem memory.Allocator) (arrow.Array, error) {
	switch len(ch.Chunks()) {
	case 0:
		return array.MakeArrayOfNull(mem, ch.DataType(), 0), nil
	case 1:
		a := ch.Chunk(0)
		a.Retain()
		return a, nil
	}
	// Groups' dictionaries unified first: Arrow's Concatenate of
	// dictionary arrays whose dictionaries differ zeroes the wrong bytes
	// for runs of nulls (wider than 8-bit indices), changing the values of
	// the rows after them (apache/arrow-go#871, fixed after v17).
	unified, err := array.UnifyChunkedDicts(mem, ch)
	if err != nil {
		return nil, err
	}
	defer unified.Release()
	return array.Concatenate(unified.Chunks(), mem)
}

func (p *parquetBatches) Record() arrow.Record { return p.cur }

func (p *parquetBatches) Err() error { return p.err }

func (p *parquetBatches) release() {
	if p.cur != nil {
		p.cur.Release()
	}
	for _, c := range p.cols {
		if c != nil {
			c.Release()
		}
	}
}

// seekable returns the input for a format that must be read out of order:
// the file itself when it is a plain file, else (standard input from a
// pipe, compressed data) the rest of the input read into memory. The
// section hides the file's Close from the format's reader.
func seekable(f io.Reader, rd *bufio.Reader, in *Input) (*io.SectionReader, error) {
	if ra, ok := f.(interface {
		io.ReaderAt
		io.Seeker
	}); ok && in.Compression == "none" {
		if size, err := ra.Seek(0, io.SeekEnd); err == nil {
			return io.NewSectionReader(ra, 0, size), nil
		}
	}
	var data blocks
	if err := data.readFrom(rd); err != nil {
		return nil, truncateError(in, 1, err)
	}
	if data.size > maxBuffered {
		fix := map[string]string{"none": "save it to a file", "gzip": "decompress it to a file (gunzip -k)", "zstd": "decompress it to a file (zstd -d)"}
		return nil, fmt.Errorf("%s: this %s is larger than %d MiB, the most caseflow holds in memory when it reads a compressed file or standard input; %s and read that",
			in.File, formatName(in.Format), maxBuffered>>20, fix[in.Compression])
	}
	return io.NewSectionReader(&data, 0, data.size), nil
}

// maxBuffered bounds what seekable holds in memory, so that a small
// compressed file (a "decompression bomb") cannot exhaust memory; a plain
// file of any size is read in place. docs/reading.md states it. A variable
// so that tests can lower it.
var maxBuffered int64 = 512 << 20

// blockSize is the size of a blocks block.
const blockSize = 4 << 20

// blocks is data held in memory in blocks of blockSize bytes (the last one
// shorter), so that reading it costs its size once, without the copies
// and spare capacity of a growing slice (io.ReadAll of 512 MiB peaks
// above 1 GiB).
type blocks struct {
	b    [][]byte
	size int64
}

// readFrom reads r to its end, or to just past maxBuffered.
func (d *blocks) readFrom(r io.Reader) error {
	for d.size <= maxBuffered {
		buf := make([]byte, blockSize)
		n, err := 0, error(nil)
		for n < len(buf) && err == nil { // not io.ReadFull: it hides a truncated stream's io.ErrUnexpectedEOF
			var k int
			k, err = r.Read(buf[n:])
			n += k
		}
		if n > 0 {
			d.b = append(d.b, buf[:n])
			d.size += int64(n)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ReadAt is io.ReaderAt's.
func (d *blocks) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(p) && off < d.size {
		c := copy(p[n:], d.b[off/blockSize][off%blockSize:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// checkStoredSchema checks the Arrow schema a Parquet file may store
// (base64 of an IPC stream, decoded as pqarrow decodes it) before pqarrow
// reads it: see checkMessage.
func checkStoredSchema(pf *file.Reader) error {
	v := pf.MetaData().KeyValueMetadata().FindValue("ARROW:schema")
	if v == nil {
		return nil
	}
	var data []byte
	var err error
	if len(*v)%4 == 0 {
		data, err = base64.StdEncoding.DecodeString(*v)
	}
	if len(data) == 0 || err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(*v); err != nil {
			return nil // pqarrow reports it
		}
	}
	return checkSchemaStream(data)
}

// checkSchemaTree checks the schema in a Parquet footer before Arrow's
// reader builds it: it sizes a slice for each group by the group's
// num_children, unchecked. The schema (FileMetaData field 2) is a list of
// SchemaElement (whose field 5 is num_children) in depth-first order; the
// counts must describe a tree of at most that many elements, at most 64
// deep. A footer that does not parse is left to Arrow to report.
func checkSchemaTree(ra *io.SectionReader) error {
	size := ra.Size()
	var tail [8]byte // footer length and magic
	if size < 12 {
		return nil
	}
	if _, err := ra.ReadAt(tail[:], size-8); err != nil {
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(tail[:]))
	if n > size-12 {
		return nil
	}
	footer := make([]byte, n)
	if _, err := ra.ReadAt(footer, size-8-n); err != nil {
		return nil
	}
	p := thrift.NewTCompactProtocolConf(&thrift.TMemoryBuffer{Buffer: bytes.NewBuffer(footer)}, &thrift.TConfiguration{})
	ctx := context.Background()
	var children []int64
	listed := false
	readStruct(ctx, p, func(id int16, typ thrift.TType) (bool, error) {
		if id != 2 || typ != thrift.LIST {
			return false, nil
		}
		_, count, err := p.ReadListBegin(ctx)
		if err != nil {
			return true, err
		}
		if int64(count) > n {
			return true, fmt.Errorf("the footer lists %d schema elements in %d bytes", count, n)
		}
		for range count {
			var c int64
			err := readStruct(ctx, p, func(id int16, typ thrift.TType) (bool, error) {
				if id != 5 || typ != thrift.I32 {
					return false, nil
				}
				v, err := p.ReadI32(ctx)
				c = int64(v)
				return true, err
			})
			if err != nil {
				return true, err
			}
			children = append(children, c)
		}
		listed = true
		return true, p.ReadListEnd(ctx)
	})
	if !listed || len(children) == 0 {
		return nil // the rest of the footer is Arrow's to judge
	}
	next := 0
	var walk func(depth int) error
	walk = func(depth int) error {
		if next >= len(children) {
			return errors.New("the schema's groups claim more columns than it lists")
		}
		c := children[next]
		next++
		if c < 0 || c > int64(len(children)-next) || depth > 64 {
			return fmt.Errorf("a schema group claims %d children", c)
		}
		for range c {
			if err := walk(depth + 1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(0)
}

// readStruct reads a Thrift struct, handing each field to read, which
// reports whether it consumed the value; the rest are skipped.
func readStruct(ctx context.Context, p *thrift.TCompactProtocol, read func(id int16, typ thrift.TType) (bool, error)) error {
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return err
	}
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return err
		}
		if typ == thrift.STOP {
			return p.ReadStructEnd(ctx)
		}
		done, err := read(id, typ)
		if err == nil && !done {
			err = p.Skip(ctx, typ)
		}
		if err != nil {
			return err
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
}

// maxDictPage bounds a dictionary page of a file of size bytes: other
// writers keep them to about 1 MiB (Arrow's and parquet-mr's default
// limit) and fall back to plain pages, but caseflow's writer puts a log's
// whole dictionary in one page (13 MB for a million case ids, 16.6 MB for
// 828,101 customer pseudonyms in a 103 MB file), so a larger file may hold
// a larger page: up to 16 times its size, as newBounded lets it take.
func maxDictPage(size int64) int64 { return max(minDictPage, 16*size) }

// minDictPage is maxDictPage's floor; a variable so that tests can lower
// it.
var minDictPage int64 = 64 << 20

// checkPages reads the header of every page before Arrow's reader does:
// it sizes the slice for a dictionary by the value count the dictionary
// page's header states, unchecked, so a corrupt count makes it allocate
// tens of gigabytes and the program die. A page must lie inside the file,
// and a dictionary page must be at most maxDictPage bytes with no more
// values than those bytes can hold.
func checkPages(ra *io.SectionReader, pf *file.Reader) error {
	md := pf.MetaData()
	end := ra.Size() - 8 - int64(md.Size()) // where the footer starts
	for g := range pf.NumRowGroups() {
		rg := md.RowGroup(g)
		if rg.NumColumns() != md.Schema.NumColumns() {
			return fmt.Errorf("row group %d has %d columns, the schema %d", g, rg.NumColumns(), md.Schema.NumColumns())
		}
		for c := range rg.NumColumns() {
			col, err := rg.ColumnChunk(c)
			if err != nil {
				return err
			}
			if col.NumValues() == 0 {
				continue // Arrow reads no page of it
			}
			descr := md.Schema.Column(c)
			width := map[parquet.Type]int64{parquet.Types.ByteArray: 4, parquet.Types.Int32: 4, parquet.Types.Float: 4,
				parquet.Types.Int64: 8, parquet.Types.Double: 8, parquet.Types.Int96: 12, parquet.Types.FixedLenByteArray: max(1, int64(descr.TypeLength()))}[descr.PhysicalType()]
			at, stop := chunkSpan(col)
			if md.WriterVersion().LessThan(metadata.Parquet816FixedVersion) {
				stop = min(stop+100, end) // parquet-mr before 1.2.9 left the dictionary page header out of the size
			}
			if at < 0 || stop < at || stop > end {
				return fmt.Errorf("column %q: its chunk (bytes %d to %d) lies outside the data", descr.Path(), at, stop)
			}
			for at < stop {
				h, err := pageHeader(ra, at, stop)
				if err != nil {
					return fmt.Errorf("column %q, page at byte %d: %w", descr.Path(), at, err)
				}
				if h.compressed < 0 || h.uncompressed < 0 || at+h.size+h.compressed > stop {
					return fmt.Errorf("column %q, page at byte %d: it claims %d bytes, beyond the end of its chunk", descr.Path(), at, h.compressed)
				}
				if h.typ != 0 && h.typ != 2 && h.typ != 3 {
					// Arrow skips other page types without skipping their data.
					return fmt.Errorf("column %q: the page at byte %d is of unknown type %d", descr.Path(), at, h.typ)
				}
				if h.typ == 2 && (h.uncompressed > maxDictPage(ra.Size()) || width > 0 && h.values > h.uncompressed/width) {
					return fmt.Errorf("column %q: the dictionary page at byte %d claims %d values in %d bytes", descr.Path(), at, h.values, h.uncompressed)
				}
				at += h.size + h.compressed
			}
		}
	}
	return nil
}

// page is what checkPages and pageCursor need of a Parquet PageHeader.
type page struct {
	size                     int64 // of the header itself
	typ                      int32 // 0 DATA_PAGE, 1 INDEX_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2
	compressed, uncompressed int64
	values                   int64 // of a dictionary page or a data page (v1)
	encoding                 int32 // of the values
	defEncoding              int32 // of a data page's (v1) definition levels
}

// pageHeader reads the PageHeader at byte at, reading more of the file
// while the header does not fit.
func pageHeader(ra io.ReaderAt, at, end int64) (page, error) {
	for n := int64(4 << 10); ; n *= 4 {
		n = min(n, end-at)
		buf := make([]byte, n)
		if _, err := ra.ReadAt(buf, at); err != nil {
			return page{}, err
		}
		h, err := parsePageHeader(buf)
		if err == nil {
			return h, nil
		}
		if n == end-at || n >= 64<<20 {
			return page{}, fmt.Errorf("unreadable page header: %w", err)
		}
	}
}

// parsePageHeader reads the Thrift PageHeader at the start of buf
// (parquet.thrift: 1 type, 2 uncompressed_page_size, 3
// compressed_page_size, 5 data_page_header and 7 dictionary_page_header,
// each with 1 num_values and 2 encoding, and the former with 3
// definition_level_encoding).
func parsePageHeader(buf []byte) (page, error) {
	mb := &thrift.TMemoryBuffer{Buffer: bytes.NewBuffer(buf)}
	p := thrift.NewTCompactProtocolConf(mb, &thrift.TConfiguration{})
	ctx := context.Background()
	var h page
	err := readStruct(ctx, p, func(id int16, typ thrift.TType) (bool, error) {
		var v int32
		var err error
		switch {
		case id == 1 && typ == thrift.I32:
			h.typ, err = p.ReadI32(ctx)
		case id == 2 && typ == thrift.I32:
			v, err = p.ReadI32(ctx)
			h.uncompressed = int64(v)
		case id == 3 && typ == thrift.I32:
			v, err = p.ReadI32(ctx)
			h.compressed = int64(v)
		case (id == 5 || id == 7) && typ == thrift.STRUCT:
			err = readStruct(ctx, p, func(sub int16, typ thrift.TType) (bool, error) {
				if typ != thrift.I32 || sub > 3 || sub == 3 && id == 7 {
					return false, nil
				}
				v, err := p.ReadI32(ctx)
				switch sub {
				case 1:
					h.values = int64(v)
				case 2:
					h.encoding = v
				case 3:
					h.defEncoding = v
				}
				return true, err
			})
		default:
			return false, nil
		}
		return true, err
	})
	h.size = int64(len(buf) - mb.Len())
	return h, err
}
