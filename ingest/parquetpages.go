package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/endian"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/internal/spill"
)

// Reading a caseflow log's Parquet row groups from their pages.
//
// pqarrow reads a dictionary column by inserting every value of the row
// group's dictionary page into a hash table (and caseflow's files carry
// the whole log's dictionary in each row group: a million case ids), then
// looks each event's value up in it, 64k rows at a time. The pages of a
// dictionary column already hold what the log needs: the dictionary, and
// each event's index into it. arrow-go v17 decodes those indices only in
// its internal packages (parquet/internal/encoding's dictionary decoder,
// reached through the column reader's unexported decoder), so
// parquetGroups walks a dictionary column's pages itself, a page at a
// time, and decodes the indices straight into codes, and a number
// column's plain pages (a caseflow file's times) into values; numbers
// otherwise encoded (row numbers are delta encoded) come in bulk from the
// public typed column readers. The records have the types and values pqarrow's reader
// gives: dictionary arrays over the row group's own dictionary. A row
// group whose pages are other than a caseflow log's (no dictionary, data
// page v2, a codec other than zstd or none, encryption) goes through
// pqarrow, as does a whole file with a column of another type.
//
// Decoding runs in a goroutine of its own, a record ahead of the reader
// that takes the records into the log: on two cores the two halves of the
// work overlap. A dictionary page identical, byte for byte, to the
// previous group's (caseflow writes the whole log's dictionary in every
// group) is neither decompressed nor kept twice: the records share one
// dictionary array, in Go memory of its own that nobody changes, so the
// log keeps its values instead of copying and hashing them (see Kept and
// eventlog.NewCodedValues).

// readPages is whether readParquet decodes the pages of row groups it can;
// tests turn it off to compare with pqarrow's reading.
var readPages = true

// pageRows is the rows per record: a few small records are held at once,
// not a row group (caseflow writes groups of 1<<20 rows: some 45 MB
// decoded). A variable so that tests can vary it.
var pageRows = 1 << 15

// parquetGroups reads a Parquet file in records, decoding the pages of the
// row groups it can (in a goroutine, see decode) and reading the others
// through parquetBatches.
type parquetGroups struct {
	pf     *file.Reader
	ra     *io.SectionReader
	fr     *pqarrow.FileReader
	mem    memory.Allocator
	schema *arrow.Schema
	leaves []int // each field's Parquet column; nil when pages are not decoded
	out    chan pageRecord
	stop   chan struct{} // closed when the reader is done with the records
	exited chan struct{} // closed when decode has returned
	slow   *parquetBatches
	// fellBack counts the row groups read through pqarrow although the
	// file's columns are ones whose pages are decoded.
	fellBack int
	// made holds the values buffer of each dictionary decode made: Go
	// memory of its own, which nobody changes (see Kept).
	mu   sync.Mutex
	made map[*memory.Buffer]bool
	pool recycler // the records' memory
	// dicts holds the dictionaries decoded, and their pages while they
	// are: they grow with the cases, and the log shares them (Kept).
	dicts *spill.Memory
	cur   arrow.Record
	err   error
}

// pageRecord is what decode hands on: a record, a row group to read
// through pqarrow (rec nil), or an error.
type pageRecord struct {
	rec   arrow.Record
	group int
	err   error
}

// The dictionaries it decodes (a log's case and customer ids) are made in
// m (nil: the heap).
func newParquetGroups(fr *pqarrow.FileReader, pf *file.Reader, ra *io.SectionReader, mem memory.Allocator, m *spill.Memory) (*parquetGroups, error) {
	p := &parquetGroups{pf: pf, ra: ra, fr: fr, mem: mem, pool: recycler{mem: mem}, dicts: m}
	if readPages {
		p.leaves = pageColumns(fr, pf)
	}
	if p.leaves == nil {
		// Every group through pqarrow, as one reader.
		groups := make([]int, pf.NumRowGroups())
		for i := range groups {
			groups[i] = i
		}
		var err error
		if p.slow, err = newParquetBatches(fr, pf, mem, groups); err != nil {
			return nil, err
		}
		p.schema = p.slow.schema
		return p, nil
	}
	var fields []arrow.Field
	for _, f := range fr.Manifest.Fields {
		fields = append(fields, *f.Field)
	}
	p.schema = arrow.NewSchema(fields, fr.Manifest.SchemaMeta)
	p.out, p.stop, p.exited = make(chan pageRecord), make(chan struct{}), make(chan struct{})
	go p.decode()
	return p, nil
}

// pageColumns returns the Parquet column of each field when every field is
// one whose pages parquetGroups decodes: flat and not repeated, a
// dictionary of text (int32 indices, as pqarrow reads it) in byte arrays,
// or int32, int64 or a timestamp in ms, µs or ns as pqarrow reads them
// without conversion. Otherwise nil.
func pageColumns(fr *pqarrow.FileReader, pf *file.Reader) []int {
	sc := pf.MetaData().Schema
	if len(fr.Manifest.Fields) != sc.NumColumns() {
		return nil
	}
	leaves := make([]int, len(fr.Manifest.Fields))
	for i, f := range fr.Manifest.Fields {
		if len(f.Children) > 0 || f.ColIndex < 0 || f.ColIndex >= sc.NumColumns() {
			return nil
		}
		c := sc.Column(f.ColIndex)
		if c.MaxRepetitionLevel() != 0 || c.MaxDefinitionLevel() > 1 {
			return nil
		}
		phys := c.PhysicalType()
		var ok bool
		switch t := f.Field.Type.(type) {
		case *arrow.DictionaryType:
			ok = phys == parquet.Types.ByteArray && arrow.TypeEqual(t.IndexType, arrow.PrimitiveTypes.Int32) &&
				arrow.TypeEqual(t.ValueType, arrow.BinaryTypes.String)
		case *arrow.TimestampType:
			ok = phys == parquet.Types.Int64 && t.Unit != arrow.Second
		default:
			ok = t.ID() == arrow.INT32 && phys == parquet.Types.Int32 || t.ID() == arrow.INT64 && phys == parquet.Types.Int64
		}
		if !ok {
			return nil
		}
		leaves[i] = f.ColIndex
	}
	return leaves
}

func (p *parquetGroups) Schema() *arrow.Schema { return p.schema }

// Kept reports whether d is a dictionary decode made, whose values the
// log may keep instead of copying them.
func (p *parquetGroups) Kept(d *array.String) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(d.Data().Buffers()) == 3 && p.made[d.Data().Buffers()[2]]
}

func (p *parquetGroups) Record() arrow.Record { return p.cur }

func (p *parquetGroups) Err() error { return p.err }

func (p *parquetGroups) Next() bool {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	for p.err == nil {
		if p.slow != nil {
			if p.slow.Next() {
				p.cur = p.slow.Record()
				p.cur.Retain()
				return true
			}
			p.err = p.slow.Err()
			p.slow.release()
			p.slow = nil
			continue
		}
		if p.out == nil { // slow read every group
			return false
		}
		r, ok := <-p.out
		switch {
		case !ok:
			return false
		case r.err != nil:
			p.err = r.err
		case r.rec == nil:
			// Not a group of a caseflow log's pages: pqarrow reads it, and
			// judges it if it is corrupt.
			p.fellBack++
			p.slow, p.err = newParquetBatches(p.fr, p.pf, p.mem, []int{r.group})
		default:
			p.cur = r.rec
			return true
		}
	}
	return false
}

// release stops decode and releases what is held; the file may then be
// closed.
func (p *parquetGroups) release() {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	if p.stop != nil {
		close(p.stop)
		<-p.exited
		p.stop = nil
	}
	p.pool.drain()
	if p.slow != nil {
		p.slow.release()
	}
}

// send hands r to the reader, and reports false (releasing r's record)
// when the reader is done.
func (p *parquetGroups) send(r pageRecord) bool {
	select {
	case p.out <- r:
		return true
	case <-p.stop:
		if r.rec != nil {
			r.rec.Release()
		}
		return false
	}
}

// decode decodes the row groups in order and sends their records, or
// sends a group on to pqarrow; it stops at the first error. A panic in
// Arrow's readers (guard cannot see this goroutine) becomes an error.
func (p *parquetGroups) decode() {
	var st pageState
	defer close(p.exited)
	defer close(p.out)
	defer st.release()
	defer func() {
		if r := recover(); r != nil {
			p.send(pageRecord{err: fmt.Errorf("%w: %v", errDecoder, r)})
		}
	}()
	var c *groupCursor // the group being read, released however decode ends
	defer func() {
		if c != nil {
			c.release()
		}
	}()
	for g := range p.pf.NumRowGroups() {
		if p.pf.MetaData().RowGroup(g).NumRows() == 0 {
			continue
		}
		var err error
		if c, err = p.open(g, &st); err != nil {
			if !p.send(pageRecord{group: g}) {
				return
			}
			continue
		}
		for at := 0; at < c.rows; at += pageRows {
			rec, err := c.record(p.schema, min(pageRows, c.rows-at))
			if err != nil {
				p.send(pageRecord{err: err})
				return
			}
			if !p.send(pageRecord{rec: rec}) {
				return
			}
		}
		c.release()
		c = nil
	}
}

// pageState is what decoding carries from one row group to the next, by
// Parquet column.
type pageState struct {
	cols map[int]*colState
}

type colState struct {
	dict   arrow.Array
	dictAt [2]int64 // where its page lay: first byte and length
	stored []byte   // a data page as stored
	page   []byte   // and decompressed
}

func (s *pageState) release() {
	for _, c := range s.cols {
		if c.dict != nil {
			c.dict.Release()
		}
	}
}

// groupCursor reads one row group's columns, a record at a time.
type groupCursor struct {
	pool  *recycler
	rows  int
	paged []*pageCursor
	nums  []file.ColumnChunkReader
}

func (c *groupCursor) release() {
	for _, d := range c.paged {
		if d != nil && d.dict != nil {
			d.dict.Release()
		}
	}
}

// errPage is a page, or a column chunk, that parquetGroups does not
// decode.
var errPage = errors.New("a page, or a column chunk, not decoded from its pages")

// open prepares row group g to be read from its pages, or fails for a
// group that pqarrow must read.
func (p *parquetGroups) open(g int, st *pageState) (*groupCursor, error) {
	rg := p.pf.RowGroup(g)
	n := rg.NumRows()
	if n < 0 || n > int64(p.pf.NumRows()) {
		return nil, fmt.Errorf("row group of %d rows", n)
	}
	c := &groupCursor{pool: &p.pool, rows: int(n), paged: make([]*pageCursor, len(p.leaves)), nums: make([]file.ColumnChunkReader, len(p.leaves))}
	for i, col := range p.leaves {
		maxDef := p.pf.MetaData().Schema.Column(col).MaxDefinitionLevel()
		width := 0 // of a number column's values
		if _, ok := p.schema.Field(i).Type.(*arrow.DictionaryType); !ok {
			width = 8
			if p.pf.MetaData().Schema.Column(col).PhysicalType() == parquet.Types.Int32 {
				width = 4
			}
			// (Plain values are copied as they lie: little-endian.)
			if d, err := p.openChunk(rg, col, maxDef, int(n), st, width); err == nil && !endian.IsBigEndian {
				c.paged[i] = d
				continue
			}
			// Delta or dictionary pages: the typed reader decodes them.
			cr, err := rg.Column(col)
			if err != nil {
				c.release()
				return nil, err
			}
			c.nums[i] = cr
			continue
		}
		d, err := p.openChunk(rg, col, maxDef, int(n), st, 0)
		if err != nil {
			c.release()
			return nil, err
		}
		c.paged[i] = d
	}
	return c, nil
}

// pageCursor reads a dictionary column's data pages (v1: definition
// levels, then the indices, both run-length/bit-packed hybrid), or a
// number column's plain pages (the levels, then the values, width bytes
// each, little-endian).
type pageCursor struct {
	width  int // of a number column's values; 0 for a dictionary column
	dict   arrow.Array
	ra     io.ReaderAt
	st     *colState      // its page buffers
	pages  []pageAt       // the data pages not yet read
	codec  compress.Codec // nil: stored uncompressed
	maxDef int16
	levels runs   // the current page's definition levels
	values runs   // and its indices; width -1 until read
	plain  []byte // or its values not yet read
	left   int    // values of the current page not yet read
	lv     []int32
}

// pageAt is a page of a chunk: its header, and where its data starts in
// the file.
type pageAt struct {
	page
	at int64
}

// openChunk reads the pages' headers of column col of a row group of n
// rows, and for a dictionary column (width 0) its dictionary: the previous
// group's (shared) when its page holds the same bytes. It fails with
// errPage for a chunk that is not a plain dictionary page followed by v1
// data pages of its indices, or for a number column of values width bytes
// wide, v1 data pages of plain values; zstd-compressed or not. Pages are
// read one at a time, so that a column's buffers hold one page, not its
// chunk.
func (p *parquetGroups) openChunk(rg *file.RowGroupReader, col int, maxDef int16, n int, st *pageState, width int) (*pageCursor, error) {
	cc, err := rg.MetaData().ColumnChunk(col)
	if err != nil {
		return nil, err
	}
	if cc.CryptoMetadata() != nil || p.pf.MetaData().WriterVersion().LessThan(metadata.Parquet816FixedVersion) {
		return nil, errPage
	}
	d := &pageCursor{ra: p.ra, maxDef: maxDef, width: width}
	switch cc.Compression() {
	case compress.Codecs.Uncompressed:
	case compress.Codecs.Zstd:
		if d.codec, err = compress.GetCodec(compress.Codecs.Zstd); err != nil {
			return nil, err
		}
	default:
		return nil, errPage
	}
	if st.cols == nil {
		st.cols = map[int]*colState{}
	}
	cs := st.cols[col]
	if cs == nil {
		cs = &colState{}
		st.cols[col] = cs
	}
	d.st = cs
	// The pages: a dictionary page, then data pages of n values in all.
	at, stop := chunkSpan(cc)
	var dictPage pageAt
	values := 0
	for first := true; first || values < n; first = false {
		h, err := pageHeader(p.ra, at, stop)
		if err != nil {
			return nil, errPage
		}
		pg := pageAt{page: h, at: at + h.size}
		at = pg.at + h.compressed
		if h.compressed < 0 || h.uncompressed < 0 || h.uncompressed > maxDictPage(p.ra.Size()) || at > stop ||
			d.codec == nil && h.compressed != h.uncompressed {
			return nil, errPage
		}
		indices := width == 0 && (h.encoding == int32(parquet.Encodings.RLEDict) || h.encoding == int32(parquet.Encodings.PlainDict))
		switch {
		case first && width == 0 && h.typ == 2 && (h.encoding == int32(parquet.Encodings.Plain) || h.encoding == int32(parquet.Encodings.PlainDict)):
			dictPage = pg
		case (!first || width > 0) && h.typ == 0 && (indices || width > 0 && h.encoding == int32(parquet.Encodings.Plain)) &&
			(maxDef == 0 || h.defEncoding == int32(parquet.Encodings.RLE)) && h.values >= 0 && h.values <= int64(n-values):
			d.pages = append(d.pages, pg)
			values += int(h.values)
		default:
			return nil, errPage
		}
	}
	if width > 0 {
		return d, nil
	}
	// The dictionary: the previous group's if its page is the same.
	start, end := dictPage.at-dictPage.size, dictPage.at+dictPage.compressed
	shared := cs.dict != nil && cs.dictAt[1] == end-start && sameBytes(p.ra, cs.dictAt[0], start, end-start)
	if shared {
		cs.dict.Retain()
		d.dict = cs.dict
		return d, nil
	}
	// A dictionary page is larger than a data page: buffers of its own.
	stored := spill.Make[byte](p.dicts, int(dictPage.compressed))
	defer spill.Free(p.dicts, stored)
	if _, err := p.ra.ReadAt(stored, dictPage.at); err != nil {
		return nil, err
	}
	data := stored
	if d.codec != nil {
		buf := spill.Make[byte](p.dicts, int(dictPage.uncompressed))
		defer spill.Free(p.dicts, buf)
		data = d.codec.Decode(buf, stored)
		if int64(len(data)) != dictPage.uncompressed {
			return nil, fmt.Errorf("a page of %d bytes claims %d", len(data), dictPage.uncompressed)
		}
	}
	if d.dict, err = plainStrings(data, int(dictPage.values), p.dicts); err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.made == nil {
		p.made = map[*memory.Buffer]bool{}
	}
	p.made[d.dict.Data().Buffers()[2]] = true
	if cs.dict != nil {
		// Forgotten, not to keep every group's dictionary alive until the
		// reader is released: asked about it afterwards, Kept says false
		// and the log copies what it needs, as for any dictionary.
		delete(p.made, cs.dict.Data().Buffers()[2])
	}
	p.mu.Unlock()
	if cs.dict != nil {
		cs.dict.Release()
	}
	d.dict.Retain()
	cs.dict, cs.dictAt = d.dict, [2]int64{start, end - start}
	return d, nil
}

// sameBytes reports whether the n bytes of r at a and at b are the same,
// reading them a block at a time.
func sameBytes(r io.ReaderAt, a, b, n int64) bool {
	x, y := make([]byte, min(n, 256<<10)), make([]byte, min(n, 256<<10))
	for n > 0 {
		k := min(n, int64(len(x)))
		if _, err := r.ReadAt(x[:k], a); err != nil {
			return false
		}
		if _, err := r.ReadAt(y[:k], b); err != nil || !bytes.Equal(x[:k], y[:k]) {
			return false
		}
		a, b, n = a+k, b+k, n-k
	}
	return true
}

// chunkSpan is where a column chunk's pages lie in the file, as Arrow's
// reader computes it (before the padding for files of parquet-mr before
// 1.2.9).
func chunkSpan(cc *metadata.ColumnChunkMetaData) (at, stop int64) {
	at = cc.DataPageOffset()
	if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && at > cc.DictionaryPageOffset() {
		at = cc.DictionaryPageOffset()
	}
	return at, at + cc.TotalCompressedSize()
}

// nextPage starts the next data page.
func (d *pageCursor) nextPage() error {
	if len(d.pages) == 0 {
		return errors.New("the pages end before the row group")
	}
	pg := d.pages[0]
	d.pages = d.pages[1:]
	d.st.stored = slices.Grow(d.st.stored[:0], int(pg.compressed))[:pg.compressed]
	if _, err := d.ra.ReadAt(d.st.stored, pg.at); err != nil {
		return err
	}
	data := d.st.stored
	if d.codec != nil {
		d.st.page = d.codec.Decode(slices.Grow(d.st.page[:0], int(pg.uncompressed))[:pg.uncompressed], data)
		if len(d.st.page) != int(pg.uncompressed) {
			return fmt.Errorf("a page of %d bytes claims %d", len(d.st.page), pg.uncompressed)
		}
		data = d.st.page
	}
	if d.maxDef > 0 {
		if len(data) < 4 {
			return errors.New("a page ends in its definition levels")
		}
		size := binary.LittleEndian.Uint32(data)
		if uint64(size) > uint64(len(data)-4) {
			return errors.New("a page ends in its definition levels")
		}
		d.levels = runs{data: data[4 : 4+size], width: 1}
		data = data[4+size:]
	}
	d.values, d.plain = runs{data: data, width: -1}, data
	d.left = int(pg.values)
	return nil
}

// read decodes the next len(idx) rows into idx: the codes, -1 in a null
// slot (as ownCodes wants them), and the validity bitmap, nil when every
// value is present.
func (d *pageCursor) read(idx []int32) ([]int32, []byte, error) {
	size := int32(d.dict.Len())
	valid, err := readRows(d, idx, -1, func(dst []int32) error {
		if d.values.width < 0 {
			if len(d.values.data) < 1 {
				return errors.New("a page ends before its indices")
			}
			d.values = runs{data: d.values.data[1:], width: int(d.values.data[0])}
		}
		if err := d.values.next(dst); err != nil {
			return err
		}
		for _, k := range dst {
			if k < 0 || k >= size {
				return fmt.Errorf("dictionary index %d of %d values", k, size)
			}
		}
		return nil
	})
	return idx, valid, err
}

// readPlain decodes the next len(vals) rows of a number column into vals,
// 0 in a null slot, and returns the validity bitmap, nil when every value
// is present.
func readPlain[T int32 | int64](d *pageCursor, vals []T) ([]T, []byte, error) {
	valid, err := readRows(d, vals, 0, func(dst []T) error {
		k := len(dst) * d.width
		if len(d.plain) < k {
			return errors.New("a page ends inside its values")
		}
		copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), k), d.plain[:k])
		d.plain = d.plain[k:]
		return nil
	})
	return vals, valid, err
}

// readRows decodes the next len(out) rows into out, taking the present
// values of each page with take and putting null in a null slot, and
// returns the validity bitmap, nil when every value is present.
func readRows[T int32 | int64](d *pageCursor, out []T, null T, take func(dst []T) error) ([]byte, error) {
	n := len(out)
	var valid []byte
	for at := 0; at < n; {
		if d.left == 0 {
			if err := d.nextPage(); err != nil {
				return nil, err
			}
			continue
		}
		m := min(n-at, d.left)
		rows := out[at : at+m]
		present := m
		if d.maxDef > 0 {
			if cap(d.lv) < m {
				d.lv = make([]int32, m)
			}
			levels := d.lv[:m]
			if err := d.levels.next(levels); err != nil {
				return nil, err
			}
			present = 0
			for _, l := range levels {
				present += int(l)
			}
			if present < m && valid == nil {
				valid = make([]byte, bitutil.BytesForBits(int64(n)))
				bitutil.SetBitsTo(valid, 0, int64(at), true)
			}
		}
		if present > 0 {
			if err := take(rows[:present]); err != nil {
				return nil, err
			}
		}
		if valid != nil {
			spread(rows, present, d.lv[:m], null, valid, at)
		}
		d.left -= m
		at += m
	}
	return valid, nil
}

// spread moves the present values, rows[:present], to the rows whose
// definition level is not 0, from the end (so that none is overwritten
// before it moves), puts null in the others, and sets validity bitmap
// valid to match from bit at.
func spread[T int32 | int64, L int16 | int32](rows []T, present int, levels []L, null T, valid []byte, at int) {
	k := present - 1
	for i := len(rows) - 1; i >= 0; i-- {
		if levels[i] > 0 {
			rows[i] = rows[k]
			k--
			bitutil.SetBit(valid, at+i)
		} else {
			rows[i] = null
			bitutil.ClearBit(valid, at+i)
		}
	}
}

// record reads the next n rows of the group.
func (c *groupCursor) record(schema *arrow.Schema, n int) (arrow.Record, error) {
	arrs := make([]arrow.Array, len(c.paged))
	// taken is a buffer from the pool that no array holds yet: back to the
	// pool when reading into it fails (or panics).
	var taken []byte
	take := func(size int) []byte {
		taken = c.pool.Allocate(size)
		return taken
	}
	defer func() {
		if taken != nil {
			c.pool.Free(taken)
		}
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, d := range c.paged {
		typ := schema.Field(i).Type
		var values, valid []byte
		var err error
		switch {
		case d == nil:
			values, valid, err = numberChunk(c.nums[i], n, take)
		case d.width == 4:
			var v []int32
			v, valid, err = readPlain(d, arrow.Int32Traits.CastFromBytes(take(4*n)))
			values = arrow.Int32Traits.CastToBytes(v)
		case d.width == 8:
			var v []int64
			v, valid, err = readPlain(d, arrow.Int64Traits.CastFromBytes(take(8*n)))
			values = arrow.Int64Traits.CastToBytes(v)
		default:
			var idx []int32
			idx, valid, err = d.read(arrow.Int32Traits.CastFromBytes(take(4 * n)))
			values = arrow.Int32Traits.CastToBytes(idx)
		}
		if err != nil {
			return nil, err
		}
		if d == nil || d.width > 0 {
			arrs[i] = numbers(typ, values, valid, n, c.pool)
			taken = nil
			continue
		}
		indices := numbers(arrow.PrimitiveTypes.Int32, values, valid, n, c.pool)
		taken = nil
		arrs[i] = array.NewDictionaryArray(typ, indices, d.dict)
		indices.Release()
	}
	return array.NewRecord(schema, arrs, int64(n)), nil
}

// plainStrings reads a dictionary page of count plain byte arrays (each
// a 4-byte little-endian length, then the bytes) into a string array of
// memory of its own, from m. (A log may share that memory for as long as
// m is open: it is not freed with the array.)
func plainStrings(data []byte, count int, m *spill.Memory) (arrow.Array, error) {
	if count < 0 || count > len(data)/4 {
		return nil, fmt.Errorf("a dictionary page claims %d values in %d bytes", count, len(data))
	}
	offsets := spill.Make[int32](m, count+1)
	values := spill.MakeCap[byte](m, 0, len(data)-4*count)
	fail := func(err error) (arrow.Array, error) {
		spill.Free(m, offsets)
		spill.Free(m, values)
		return nil, err
	}
	for i := range count {
		if len(data) < 4 {
			return fail(errors.New("a dictionary page ends inside a value"))
		}
		l := binary.LittleEndian.Uint32(data)
		if uint64(l) > uint64(len(data)-4) {
			return fail(errors.New("a dictionary page ends inside a value"))
		}
		values = append(values, data[4:4+l]...)
		data = data[4+l:]
		offsets[i+1] = int32(len(values))
	}
	return array.NewStringData(array.NewData(arrow.BinaryTypes.String, count,
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets)), memory.NewBufferBytes(values)}, nil, 0, 0)), nil
}

// runs decodes the run-length / bit-packed hybrid encoding of Parquet's
// Encodings.md a part at a time: runs, each a ULEB128 header whose low bit
// says bit-packed (header>>1 groups of 8 values, width bytes each, least
// significant bit first) or repeated (header>>1 times a value of
// ceil(width/8) little-endian bytes). Written here because arrow-go keeps
// its decoder internal, and the public one of parquet-go (v0.32.1,
// encoding/rle) panics on a bit-packed run cut short ([]byte{3, 0x88} at 3
// bits: slice bounds out of range), which a damaged file must not do;
// this one checks every length (FuzzHybrid).
type runs struct {
	data   []byte // the runs not yet started
	width  int
	repeat uint64 // values left of the current repeated run
	value  int32
	packed []byte // the current bit-packed run's bytes not yet read
	npack  int    // and its values not yet read
	acc    uint64 // bits read and not yet taken
	nbits  int
}

// next decodes the next len(out) values.
func (r *runs) next(out []int32) error {
	if r.width < 0 || r.width > 32 {
		return fmt.Errorf("values of %d bits", r.width)
	}
	mask := uint64(1)<<r.width - 1
	for len(out) > 0 {
		if r.repeat > 0 {
			run := min(r.repeat, uint64(len(out)))
			for i := range run {
				out[i] = r.value
			}
			out = out[run:]
			r.repeat -= run
			continue
		}
		if r.npack > 0 {
			run := min(r.npack, len(out))
			for i := range run {
				for r.nbits < r.width {
					r.acc |= uint64(r.packed[0]) << r.nbits
					r.packed = r.packed[1:]
					r.nbits += 8
				}
				out[i] = int32(r.acc & mask)
				r.acc >>= r.width
				r.nbits -= r.width
			}
			out = out[run:]
			r.npack -= run
			continue
		}
		h, k := binary.Uvarint(r.data)
		if k <= 0 {
			return errors.New("the encoded values end early")
		}
		r.data = r.data[k:]
		if h&1 == 0 { // repeated
			nb := (r.width + 7) / 8
			if len(r.data) < nb || h>>1 == 0 {
				return errors.New("the encoded values end early")
			}
			var v uint64
			for i := range nb {
				v |= uint64(r.data[i]) << (8 * i)
			}
			if v > mask {
				return fmt.Errorf("a value of %d in %d bits", v, r.width)
			}
			r.data = r.data[nb:]
			r.value, r.repeat = int32(v), h>>1
			continue
		}
		groups := h >> 1
		if groups == 0 || r.width > 0 && groups > uint64(len(r.data)/r.width) || groups > 1<<28 {
			return errors.New("the encoded values end early")
		}
		size := int(groups) * r.width
		r.packed, r.data = r.data[:size], r.data[size:]
		r.npack, r.acc, r.nbits = int(groups)*8, 0, 0
	}
	return nil
}

// numberChunk reads the next n values of an int32 or int64 column (a
// timestamp too) with its typed column reader, which decodes plain,
// dictionary and delta pages in bulk, into memory from take, and returns
// them with their validity bitmap (nil when none is missing).
func numberChunk(cr file.ColumnChunkReader, n int, take func(size int) []byte) ([]byte, []byte, error) {
	var defs []int16
	if cr.Descriptor().MaxDefinitionLevel() > 0 {
		defs = make([]int16, n)
	}
	switch r := cr.(type) {
	case *file.Int32ColumnChunkReader:
		vals, valid, err := readNumbers(r.ReadBatch, arrow.Int32Traits.CastFromBytes(take(4*n)), defs)
		return arrow.Int32Traits.CastToBytes(vals), valid, err
	case *file.Int64ColumnChunkReader:
		vals, valid, err := readNumbers(r.ReadBatch, arrow.Int64Traits.CastFromBytes(take(8*n)), defs)
		return arrow.Int64Traits.CastToBytes(vals), valid, err
	}
	return nil, nil, errPage
}

// readNumbers reads len(vals) values into vals with a typed column
// reader's ReadBatch: with
// definition levels (defs not nil), the present values spread over their
// rows and the validity bitmap, nil when none is missing.
func readNumbers[T int32 | int64](read func(int64, []T, []int16, []int16) (int64, int, error), vals []T, defs []int16) ([]T, []byte, error) {
	n := len(vals)
	rows, present := 0, 0
	for rows < n {
		var d []int16
		if defs != nil {
			d = defs[rows:]
		}
		r, v, err := read(int64(n-rows), vals[present:], d, nil)
		if err != nil {
			return nil, nil, err
		}
		if r == 0 {
			return nil, nil, fmt.Errorf("%d values in a row group of %d rows", rows, n)
		}
		rows += int(r)
		present += v
	}
	if present == n {
		return vals, nil, nil
	}
	valid := make([]byte, bitutil.BytesForBits(int64(n)))
	spread(vals, present, defs, 0, valid, 0)
	return vals, valid, nil
}

// numbers is the array of type typ over fixed-width values from pool,
// which get back there when the array is released, and validity bitmap
// valid (nil: none missing) in Go memory.
func numbers(typ arrow.DataType, values, valid []byte, n int, pool *recycler) arrow.Array {
	nulls := 0
	var bitmap *memory.Buffer
	if valid != nil {
		nulls = n - bitutil.CountSetBits(valid, 0, n)
		bitmap = memory.NewBufferBytes(valid)
	}
	buf := memory.NewBufferWithAllocator(values, pool)
	data := array.NewData(typ, n, []*memory.Buffer{bitmap, buf}, nil, nulls, 0)
	buf.Release() // data holds it
	defer data.Release()
	return array.MakeFromData(data)
}

// recycler is the memory of decoded records' values: a record's buffers
// come back when the reader releases it, and the next records take them,
// so that decoding a file allocates a few records' worth of memory from
// mem, not the whole file's.
type recycler struct {
	mem  memory.Allocator
	mu   sync.Mutex
	free [][]byte // each as mem gave it
}

// maxFree bounds the buffers a recycler keeps: a few records' columns.
const maxFree = 16

func (r *recycler) Allocate(n int) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, b := range r.free {
		if cap(b) >= n {
			last := len(r.free) - 1
			r.free[i], r.free[last] = r.free[last], nil
			r.free = r.free[:last]
			return b[:n]
		}
	}
	return r.mem.Allocate(n)
}

func (r *recycler) Reallocate(n int, b []byte) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	out := r.Allocate(n)
	copy(out, b)
	r.Free(b)
	return out
}

func (r *recycler) Free(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.free) < maxFree {
		r.free = append(r.free, b[:cap(b)])
		return
	}
	r.mem.Free(b[:cap(b)])
}

// drain gives the buffers kept back to mem.
func (r *recycler) drain() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.free {
		r.mem.Free(b)
	}
	r.free = nil
}
