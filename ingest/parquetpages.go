package ingest

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
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
// parquetGroups decodes the pages itself, from file.PageReader, and makes
// each row group one record of the same types and values pqarrow's
// reader gives, dictionary arrays over the row group's own dictionary.
// Times and row numbers, plain or delta encoded, come in bulk from the
// public typed column readers. A row group whose pages are other than a
// caseflow log's (no dictionary, data page v2, more rows than caseflow
// writes to a group) goes through pqarrow, as does a whole file with a
// column of another type.

// readPages is whether readParquet decodes the pages of row groups it can;
// tests turn it off to compare with pqarrow's reading.
var readPages = true

// maxPageGroup is the most rows of a row group parquetGroups decodes:
// caseflow writes 1<<20 (export's rowGroup), and a group is decoded whole.
const maxPageGroup = 1 << 20

// parquetGroups reads a Parquet file a row group at a time, decoding the
// pages where it can and through parquetBatches where it cannot.
type parquetGroups struct {
	pf     *file.Reader
	fr     *pqarrow.FileReader
	mem    memory.Allocator
	schema *arrow.Schema
	leaves []int               // each field's Parquet column; nil when pages are not decoded
	dicts  map[int]arrow.Array // the last dictionary read, by Parquet column
	next   int                 // the row group to read next
	slow   *parquetBatches
	cur    arrow.Record
	err    error
}

func newParquetGroups(fr *pqarrow.FileReader, pf *file.Reader, mem memory.Allocator) (*parquetGroups, error) {
	p := &parquetGroups{pf: pf, fr: fr, mem: mem, dicts: map[int]arrow.Array{}}
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
		p.next = len(groups)
		p.schema = p.slow.schema
		return p, nil
	}
	var fields []arrow.Field
	for _, f := range fr.Manifest.Fields {
		fields = append(fields, *f.Field)
	}
	p.schema = arrow.NewSchema(fields, fr.Manifest.SchemaMeta)
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
		if p.next >= p.pf.NumRowGroups() {
			return false
		}
		g := p.next
		p.next++
		rec, err := p.group(g)
		if err != nil {
			// Not a group of a caseflow log's pages: pqarrow reads it, and
			// judges it if it is corrupt.
			p.slow, p.err = newParquetBatches(p.fr, p.pf, p.mem, []int{g})
			continue
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		p.cur = rec
		return true
	}
	return false
}

func (p *parquetGroups) release() {
	if p.cur != nil {
		p.cur.Release()
	}
	for _, d := range p.dicts {
		d.Release()
	}
	if p.slow != nil {
		p.slow.release()
	}
}

// group decodes row group g into one record.
func (p *parquetGroups) group(g int) (arrow.Record, error) {
	rg := p.pf.RowGroup(g)
	n := rg.NumRows()
	if n < 0 || n > maxPageGroup {
		return nil, fmt.Errorf("row group of %d rows", n)
	}
	arrs := make([]arrow.Array, len(p.leaves))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, col := range p.leaves {
		var err error
		descr := p.pf.MetaData().Schema.Column(col)
		if typ, ok := p.schema.Field(i).Type.(*arrow.DictionaryType); ok {
			arrs[i], err = p.dictChunk(rg, col, descr.MaxDefinitionLevel(), int(n), typ)
		} else {
			arrs[i], err = numberChunk(rg, col, descr.MaxDefinitionLevel(), int(n), p.schema.Field(i).Type)
		}
		if err != nil {
			return nil, err
		}
	}
	return array.NewRecord(p.schema, arrs, n), nil
}

// errPage is a page dictChunk does not decode.
var errPage = errors.New("a page that is not a dictionary column's")

// dictChunk decodes dictionary column col of a row group of n rows: its
// dictionary page (plain byte arrays) and its data pages (v1: definition
// levels, then the indices), both run-length/bit-packed hybrid. A
// dictionary page that holds the column's previous dictionary (caseflow
// writes the whole log's in every row group) gives the same array, so
// that addColumns reads it, and looks its values up, once for the file.
func (p *parquetGroups) dictChunk(rg *file.RowGroupReader, col int, maxDef int16, n int, typ *arrow.DictionaryType) (arrow.Array, error) {
	pr, err := rg.GetColumnPageReader(col)
	if err != nil {
		return nil, err
	}
	var dict arrow.Array
	defer func() {
		if dict != nil {
			dict.Release()
		}
	}()
	idx := make([]int32, n)
	var valid []byte // nil while every value is present
	var levels []int32
	at := 0 // rows decoded
	for pr.Next() {
		switch pg := pr.Page().(type) {
		case *file.DictionaryPage:
			if enc := parquet.Encoding(pg.Encoding()); dict != nil || enc != parquet.Encodings.Plain && enc != parquet.Encodings.PlainDict {
				return nil, errPage
			}
			if prev := p.dicts[col]; prev != nil && samePlain(pg.Data(), int(pg.NumValues()), prev.(*array.String)) {
				prev.Retain()
				dict = prev
			} else if dict, err = plainStrings(pg.Data(), int(pg.NumValues())); err != nil {
				return nil, err
			}
		case *file.DataPageV1:
			enc := parquet.Encoding(pg.Encoding())
			m := int(pg.NumValues())
			if dict == nil || enc != parquet.Encodings.RLEDict && enc != parquet.Encodings.PlainDict || m < 0 || m > n-at {
				return nil, errPage
			}
			data := pg.Data()
			out := idx[at : at+m]
			present := m
			if maxDef > 0 {
				if pg.DefinitionLevelEncoding() != parquet.Encodings.RLE || len(data) < 4 {
					return nil, errPage
				}
				size := int(binary.LittleEndian.Uint32(data))
				if size > len(data)-4 {
					return nil, errPage
				}
				if cap(levels) < m {
					levels = make([]int32, m)
				}
				levels = levels[:m]
				if err := hybrid(levels, data[4:4+size], 1); err != nil {
					return nil, err
				}
				data = data[4+size:]
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
				if len(data) < 1 {
					return nil, errPage
				}
				if err := hybrid(out[:present], data[1:], int(data[0])); err != nil {
					return nil, err
				}
			}
			if valid != nil {
				// Spread the present values over their rows, from the end.
				k := present - 1
				for i := m - 1; i >= 0; i-- {
					if levels[i] == 1 {
						out[i] = out[k]
						k--
						bitutil.SetBit(valid, at+i)
					} else {
						out[i] = -1 // a code (see ownCodes)
						bitutil.ClearBit(valid, at+i)
					}
				}
			}
			for i, k := range out {
				if (k < 0 || int(k) >= dict.Len()) && (k != -1 || valid == nil || bitutil.BitIsSet(valid, at+i)) {
					return nil, fmt.Errorf("dictionary index %d of %d values", k, dict.Len())
				}
			}
			at += m
		default:
			return nil, errPage
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if at != n {
		return nil, fmt.Errorf("%d values in a row group of %d rows", at, n)
	}
	if dict == nil { // no rows
		dict = array.MakeArrayOfNull(memory.DefaultAllocator, typ.ValueType, 0)
	}
	if prev := p.dicts[col]; prev != dict {
		if prev != nil {
			prev.Release()
		}
		dict.Retain()
		p.dicts[col] = dict
	}
	indices := numbers(arrow.PrimitiveTypes.Int32, arrow.Int32Traits.CastToBytes(idx), valid, n)
	defer indices.Release()
	return array.NewDictionaryArray(typ, indices, dict), nil
}

// samePlain reports whether a dictionary page of count plain byte arrays
// holds the values of d, in order.
func samePlain(data []byte, count int, d *array.String) bool {
	if count != d.Len() || d.NullN() > 0 {
		return false
	}
	for i := range count {
		v := d.Value(i)
		if len(data) < 4 || binary.LittleEndian.Uint32(data) != uint32(len(v)) || len(data)-4 < len(v) || string(data[4:4+len(v)]) != v {
			return false
		}
		data = data[4+len(v):]
	}
	return len(data) == 0
}

// plainStrings reads a dictionary page of count plain byte arrays (each
// a 4-byte little-endian length, then the bytes) into a string array of
// memory of its own.
func plainStrings(data []byte, count int) (arrow.Array, error) {
	if count < 0 || count > len(data)/4 {
		return nil, fmt.Errorf("a dictionary page claims %d values in %d bytes", count, len(data))
	}
	offsets := make([]int32, count+1)
	values := make([]byte, 0, len(data)-4*count)
	for i := range count {
		if len(data) < 4 {
			return nil, errors.New("a dictionary page ends inside a value")
		}
		l := binary.LittleEndian.Uint32(data)
		if uint64(l) > uint64(len(data)-4) {
			return nil, errors.New("a dictionary page ends inside a value")
		}
		values = append(values, data[4:4+l]...)
		data = data[4+l:]
		offsets[i+1] = int32(len(values))
	}
	return array.NewStringData(array.NewData(arrow.BinaryTypes.String, count,
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets)), memory.NewBufferBytes(values)}, nil, 0, 0)), nil
}

// hybrid decodes len(out) values of width bits from the run-length /
// bit-packed hybrid encoding of Parquet's Encodings.md: runs, each a
// ULEB128 header whose low bit says bit-packed (header>>1 groups of 8
// values, width bytes each, least significant bit first) or repeated
// (header>>1 times a value of ceil(width/8) little-endian bytes).
// Written here because arrow-go keeps its decoder internal, and the public
// one of parquet-go (v0.32.1, encoding/rle) panics on a bit-packed run cut
// short ([]byte{3, 0x88} at 3 bits: slice bounds out of range), which a
// damaged file must not do; this one checks every length (FuzzHybrid).
func hybrid(out []int32, data []byte, width int) error {
	if width < 0 || width > 32 {
		return fmt.Errorf("values of %d bits", width)
	}
	mask := uint64(1)<<width - 1
	for len(out) > 0 {
		h, k := binary.Uvarint(data)
		if k <= 0 {
			return errors.New("the encoded values end early")
		}
		data = data[k:]
		if h&1 == 0 { // repeated
			nb := (width + 7) / 8
			if len(data) < nb || h>>1 == 0 {
				return errors.New("the encoded values end early")
			}
			var v uint64
			for i := range nb {
				v |= uint64(data[i]) << (8 * i)
			}
			if v > mask {
				return fmt.Errorf("a value of %d in %d bits", v, width)
			}
			data = data[nb:]
			run := min(h>>1, uint64(len(out)))
			for i := range run {
				out[i] = int32(v)
			}
			out = out[run:]
			continue
		}
		groups := h >> 1
		if groups == 0 || width > 0 && groups > uint64(len(data)/width) {
			return errors.New("the encoded values end early")
		}
		size := 0
		if width > 0 {
			size = int(groups) * width
		}
		packed := data[:size]
		data = data[size:]
		run := len(out)
		if groups < uint64(run+7)/8 {
			run = int(groups) * 8
		}
		var acc uint64 // bits read and not yet taken
		nbits := 0
		for i := range run {
			for nbits < width {
				acc |= uint64(packed[0]) << nbits
				packed = packed[1:]
				nbits += 8
			}
			out[i] = int32(acc & mask)
			acc >>= width
			nbits -= width
		}
		out = out[run:]
	}
	return nil
}

// numberChunk reads an int32 or int64 column (a timestamp too) of a row
// group of n rows with the typed column reader, which decodes plain,
// dictionary and delta pages in bulk.
func numberChunk(rg *file.RowGroupReader, col int, maxDef int16, n int, typ arrow.DataType) (arrow.Array, error) {
	cr, err := rg.Column(col)
	if err != nil {
		return nil, err
	}
	var defs []int16
	if maxDef > 0 {
		defs = make([]int16, n)
	}
	switch r := cr.(type) {
	case *file.Int32ColumnChunkReader:
		vals, valid, err := readNumbers(r.ReadBatch, n, defs)
		if err != nil {
			return nil, err
		}
		return numbers(typ, arrow.Int32Traits.CastToBytes(vals), valid, n), nil
	case *file.Int64ColumnChunkReader:
		vals, valid, err := readNumbers(r.ReadBatch, n, defs)
		if err != nil {
			return nil, err
		}
		return numbers(typ, arrow.Int64Traits.CastToBytes(vals), valid, n), nil
	}
	return nil, errPage
}

// readNumbers reads n values with a typed column reader's ReadBatch: with
// definition levels (defs not nil), the present values spread over their
// rows and the validity bitmap, nil when none is missing.
func readNumbers[T int32 | int64](read func(int64, []T, []int16, []int16) (int64, int, error), n int, defs []int16) ([]T, []byte, error) {
	vals := make([]T, n)
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
	k := present - 1
	for i := n - 1; i >= 0; i-- {
		if defs[i] > 0 {
			vals[i] = vals[k]
			k--
			bitutil.SetBit(valid, i)
		} else {
			vals[i] = 0
		}
	}
	return vals, valid, nil
}

// numbers is the array of type typ over fixed-width values and validity
// bitmap valid (nil: none missing), both in Go memory.
func numbers(typ arrow.DataType, values, valid []byte, n int) arrow.Array {
	nulls := 0
	var bitmap *memory.Buffer
	if valid != nil {
		nulls = n - bitutil.CountSetBits(valid, 0, n)
		bitmap = memory.NewBufferBytes(valid)
	}
	data := array.NewData(typ, n, []*memory.Buffer{bitmap, memory.NewBufferBytes(values)}, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}
