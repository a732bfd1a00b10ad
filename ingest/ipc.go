package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
	"github.com/caseflow/caseflow/internal/spill"
)

// Magic bytes of Arrow IPC data. A file starts with "ARROW1" and two bytes
// of padding; a stream with the continuation marker of its first (schema)
// message. Streams from before Arrow 0.15 lack the marker and are not
// recognised.
var (
	ipcFileMagic   = []byte("ARROW1")
	ipcStreamMagic = []byte{0xff, 0xff, 0xff, 0xff}
)

// Input.Format of Arrow IPC files and streams.
const (
	formatIPCFile   = "arrow"
	formatIPCStream = "arrow-stream"
)

// readIPC reads an Arrow IPC file (Feather v2) or stream into the log, as
// readTable describes. A stream is read as it arrives; a file keeps its
// index at the end, so it is read in place when it is a plain file and
// otherwise (standard input, compressed) held in memory first. in.Format
// says which of the two it is.
func readIPC(f io.Reader, rd *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	if in.Format == formatIPCStream {
		return guard(in, func() error {
			cr := &countingReader{r: rd}
			mem, drop := ipcMemory(in.Size, opt)
			defer drop()
			r, err := ipc.NewReader(&ipcFrames{r: cr}, ipc.WithAllocator(mem))
			if err != nil {
				return unreadable(in, err)
			}
			defer r.Release()
			return readTable(r, func() int64 { return cr.n }, in, opt, b, res)
		})
	}
	ra, err := seekable(f, rd, in)
	if err != nil {
		return err
	}
	return guard(in, func() error {
		if err := checkFooter(ra); err != nil {
			return unreadable(in, err)
		}
		mem, drop := ipcMemory(ra.Size(), opt)
		defer drop()
		fr, err := ipc.NewFileReader(ra, ipc.WithAllocator(mem))
		if err != nil {
			return unreadable(in, err)
		}
		defer fr.Close()
		fb := &fileBatches{fr: fr}
		defer fb.release()
		return readTable(fb, ra.Size, in, opt, b, res)
	})
}

// ipcMemory is newBounded for IPC, whose batches come from opt.Memory
// when it is set (caseflow writes a log as one batch), and drop frees
// what the reader left allocated once it is done: what the collector
// reclaims on the heap (see bounded) stays mapped until the Memory is
// closed otherwise, at the 1M-case log 59 MB of dictionaries.
func ipcMemory(size int64, opt Options) (mem *bounded, drop func()) {
	b := newBounded(size)
	if opt.Memory == nil {
		return b, func() {}
	}
	l := &leftovers{Allocator: eventlog.Allocator(b.Allocator, opt.Memory), live: map[*byte]int{}}
	b.Allocator = l
	return b, l.drop
}

// leftovers is an allocator that keeps count of the buffers it gave out
// and not back, to free them in drop.
type leftovers struct {
	memory.Allocator
	mu   sync.Mutex
	live map[*byte]int // each buffer's capacity
}

func (a *leftovers) Allocate(size int) []byte {
	b := a.Allocator.Allocate(size)
	a.track(nil, b)
	return b
}

func (a *leftovers) Reallocate(size int, b []byte) []byte {
	c := a.Allocator.Reallocate(size, b)
	a.track(b, c)
	return c
}

func (a *leftovers) Free(b []byte) {
	a.track(b, nil)
	a.Allocator.Free(b)
}

// track notes that buffer to replaced from.
func (a *leftovers) track(from, to []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cap(from) > 0 {
		delete(a.live, unsafe.SliceData(from))
	}
	if cap(to) > 0 {
		a.live[unsafe.SliceData(to)] = cap(to)
	}
}

// drop frees every buffer not freed yet; none may be used after.
func (a *leftovers) drop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for p, n := range a.live {
		a.Allocator.Free(unsafe.Slice(p, n))
	}
	clear(a.live)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxRows is how many rows size bytes of Parquet or IPC may hold: 64 per
// byte (half a bit per row) and 65,536 more. Run-length encoding lets a few
// bytes state billions of rows; a real event log, whose times differ, needs
// far more than half a bit per row.
func maxRows(size int64) int64 { return 64*size + 1<<16 }

// batches is what Parquet's and IPC's record readers have in common. A
// Record is valid until the next call to Next. Err is nil (or io.EOF)
// after the last batch.
type batches interface {
	Schema() *arrow.Schema
	Next() bool
	Record() arrow.Record
	Err() error
}

// fileBatches reads the record batches of an IPC file in order.
type fileBatches struct {
	fr  *ipc.FileReader
	i   int
	cur arrow.Record
	err error
}

func (f *fileBatches) Schema() *arrow.Schema { return f.fr.Schema() }

func (f *fileBatches) Next() bool {
	f.release()
	if f.err != nil || f.i >= f.fr.NumRecords() {
		return false
	}
	f.cur, f.err = f.fr.RecordAt(f.i)
	f.i++
	return f.err == nil
}

func (f *fileBatches) Record() arrow.Record { return f.cur }

func (f *fileBatches) Err() error { return f.err }

func (f *fileBatches) release() {
	if f.cur != nil {
		f.cur.Release()
		f.cur = nil
	}
}

// formatName is how messages name an input format.
func formatName(format string) string {
	switch format {
	case formatParquet:
		return "Parquet file"
	case formatIPCFile:
		return "Arrow IPC file"
	case formatIPCStream:
		return "Arrow IPC stream"
	}
	return format
}

// unreadable reports a file that Arrow's decoders refuse.
func unreadable(in *Input, err error) error {
	return fmt.Errorf("%s: not a readable %s (%w); it may be truncated or corrupt: export or download it again",
		in.File, formatName(in.Format), err)
}

// ---- checks Arrow's IPC reader needs ----

// Arrow's IPC reader sizes slices by the counts a schema states (of
// fields, of a field's children, of metadata entries), and a stream
// message's metadata by the length before it, before it reads what they
// count, so a corrupt count makes it allocate terabytes and the program
// die. These checks read the schema of an IPC file, stream or Parquet's
// stored Arrow schema first, with the flatbuffers package and the slot
// numbers of Arrow's Schema.fbs, Message.fbs and File.fbs, and refuse a
// count larger than the bytes that could hold it; ipcFrames bounds the
// stream's messages. An offset outside the buffer panics, which guard
// reports.

var errSchema = errors.New("the schema is corrupt")

// maxMessage bounds the metadata of an IPC stream message, which Arrow
// allocates before reading it. Real ones are kilobytes: a schema, or a
// batch's 16 bytes per column and buffer.
const maxMessage = 64 << 20

// ipcFrames passes an IPC stream through, checking each message's framing
// as it goes by: the first message must be a schema checkMessage accepts,
// and no message's metadata may claim more than maxMessage bytes. Bytes it
// cannot make sense of (a stream cut off) go through unchecked, for Arrow
// to report.
type ipcFrames struct {
	r      io.Reader
	buf    []byte // checked bytes not yet passed on
	body   int64  // bytes of the current message body yet to pass through
	schema bool   // the first message was checked
	rest   bool   // pass everything through from here on
	err    error
}

func (s *ipcFrames) Read(p []byte) (int, error) {
	for len(s.buf) == 0 && s.err == nil {
		if s.rest || s.body > 0 {
			if !s.rest {
				p = p[:min(int64(len(p)), s.body)]
			}
			n, err := s.r.Read(p)
			s.body -= int64(n)
			return n, err
		}
		s.err = s.next()
	}
	if len(s.buf) > 0 {
		n := copy(p, s.buf)
		s.buf = s.buf[n:]
		return n, nil
	}
	return 0, s.err
}

// next reads and checks the next message's prefix and metadata into buf.
func (s *ipcFrames) next() error {
	head := make([]byte, 8, 8+64)
	if n, err := io.ReadFull(s.r, head[:4]); err != nil {
		s.buf = head[:n]
		return err
	}
	n := binary.LittleEndian.Uint32(head)
	if n == 0xffffffff { // continuation marker, then the length
		if k, err := io.ReadFull(s.r, head[4:8]); err != nil {
			s.buf = head[:4+k]
			return err
		}
		n = binary.LittleEndian.Uint32(head[4:])
	} else {
		head = head[:4] // a stream from before Arrow 0.15
	}
	if n == 0 { // end of stream
		s.buf, s.rest = head, true
		return nil
	}
	if n > maxMessage {
		return fmt.Errorf("a message claims %d bytes of metadata", n)
	}
	msg := make([]byte, n)
	if k, err := io.ReadFull(s.r, msg); err != nil {
		s.buf = append(head, msg[:k]...)
		return err
	}
	if !s.schema {
		if err := checkMessage(msg); err != nil {
			return err
		}
		s.schema = true
	}
	c := fbCheck{buf: msg}
	if s.body = c.root().GetInt64Slot(10, 0); s.body < 0 { // bodyLength
		return fmt.Errorf("a message claims a body of %d bytes", s.body)
	}
	s.buf = append(head, msg...)
	return nil
}

// checkSchemaStream checks a schema serialized as an IPC stream, as
// Parquet files store it.
func checkSchemaStream(data []byte) error {
	if len(data) < 8 {
		return errSchema
	}
	n, at := binary.LittleEndian.Uint32(data), uint32(4)
	if n == 0xffffffff { // continuation marker, then the length
		n, at = binary.LittleEndian.Uint32(data[4:]), 8
	}
	if uint64(n) > uint64(len(data)-int(at)) {
		return errSchema
	}
	msg := data[at : at+n]
	// pqarrow reads it with an allocator of its own, which a body length
	// beyond the data would make allocate it (a schema has no body).
	c := fbCheck{buf: msg}
	if body := c.root().GetInt64Slot(10, 0); body < 0 || body > int64(len(data))-int64(at+n) {
		return fmt.Errorf("%w: its message claims a %d-byte body", errSchema, body)
	}
	return checkMessage(msg)
}

// checkMessage checks a Message flatbuffer whose header is a Schema.
func checkMessage(msg []byte) error {
	c := fbCheck{buf: msg, left: len(msg) / 4}
	m := c.root()
	if m.GetByteSlot(6, 0) != 1 { // header_type: Schema
		return nil // not a schema: Arrow refuses it itself
	}
	o := flatbuffers.UOffsetT(m.Offset(8)) // header
	if o == 0 {
		return errSchema
	}
	return c.schema(m.Indirect(m.Pos + o))
}

// checkFooter checks the schema in an IPC file's footer.
func checkFooter(ra *io.SectionReader) error {
	size := ra.Size()
	var tail [10]byte // footer length and magic
	if size < int64(len(tail))+8 {
		return errors.New("the file is too short")
	}
	if _, err := ra.ReadAt(tail[:], size-10); err != nil {
		return err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:]))
	if n > size-10-8 {
		return errors.New("the footer is cut off or corrupt")
	}
	footer := make([]byte, n)
	if _, err := ra.ReadAt(footer, size-10-n); err != nil {
		return err
	}
	c := fbCheck{buf: footer, left: len(footer) / 4}
	f := c.root()
	o := flatbuffers.UOffsetT(f.Offset(6)) // schema
	if o == 0 {
		return errSchema
	}
	return c.schema(f.Indirect(f.Pos + o))
}

// fbCheck walks a flatbuffer schema; left bounds the tables it visits, so
// that offsets forming a cycle cannot keep it busy.
type fbCheck struct {
	buf  []byte
	left int
}

func (c *fbCheck) root() *flatbuffers.Table {
	return &flatbuffers.Table{Bytes: c.buf, Pos: flatbuffers.GetUOffsetT(c.buf)}
}

func (c *fbCheck) schema(pos flatbuffers.UOffsetT) error {
	t := &flatbuffers.Table{Bytes: c.buf, Pos: pos}
	if err := c.vector(t, 6, func(p flatbuffers.UOffsetT) error { return c.field(p, 0) }); err != nil { // fields
		return err
	}
	return c.vector(t, 8, nil) // custom_metadata
}

func (c *fbCheck) field(pos flatbuffers.UOffsetT, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%w: fields nest more than 64 deep", errSchema)
	}
	t := &flatbuffers.Table{Bytes: c.buf, Pos: pos}
	if err := c.vector(t, 14, func(p flatbuffers.UOffsetT) error { return c.field(p, depth+1) }); err != nil { // children
		return err
	}
	return c.vector(t, 16, nil) // custom_metadata
}

// vector checks the vector of tables in slot of t and calls each (if not
// nil) with the position of every table.
func (c *fbCheck) vector(t *flatbuffers.Table, slot flatbuffers.VOffsetT, each func(flatbuffers.UOffsetT) error) error {
	o := flatbuffers.UOffsetT(t.Offset(slot))
	if o == 0 {
		return nil
	}
	n, start := t.VectorLen(o), t.Vector(o)
	if uint64(start)+4*uint64(n) > uint64(len(c.buf)) {
		return fmt.Errorf("%w: it counts %d entries in a %d-byte schema", errSchema, n, len(c.buf))
	}
	for i := range n {
		if c.left--; c.left < 0 {
			return fmt.Errorf("%w: its parts refer to each other in a cycle", errSchema)
		}
		if each != nil {
			if err := each(t.Indirect(start + flatbuffers.UOffsetT(4*i))); err != nil {
				return err
			}
		}
	}
	return nil
}

// bounded is the allocator of Arrow's decoders. It is a Go allocator of
// their own, not Options.Mem, because the garbage collector must reclaim
// what they hold when a corrupt file stops them half-way (and what Arrow
// v17's IPC FileReader never releases: its Close does not clear the
// dictionaries it read, the fix for the stream reader in apache/arrow#36981
// left it out); the events are copied into the log, whose memory comes from
// Options.Mem. It refuses to have more than max bytes allocated at once,
// with a panic that guard turns into an error: the decoders allocate what a
// file's metadata claims (a message body, a page) before reading it, and a
// corrupt file can claim terabytes.
type bounded struct {
	memory.Allocator
	max int64
	n   atomic.Int64
}

// newBounded bounds reading an input of size bytes (0 if unknown): 256
// MiB plus 16 bytes per input byte, room for any batch of a real file, even
// a compressed one (4 KiB per row of a Parquet batch), since batches are
// dropped once copied into the log.
func newBounded(size int64) *bounded {
	return &bounded{Allocator: memory.NewGoAllocator(), max: 256<<20 + 16*size}
}

func (a *bounded) claim(n int64) {
	if now := a.n.Add(n); now > a.max {
		a.n.Add(-n)
		panic(fmt.Sprintf("the file asks for %d more bytes of memory, more than the %d its size allows", n, a.max-now+n))
	}
}

func (a *bounded) Allocate(size int) []byte {
	a.claim(int64(size))
	return a.Allocator.Allocate(size)
}

func (a *bounded) Reallocate(size int, b []byte) []byte {
	a.claim(int64(size - len(b)))
	return a.Allocator.Reallocate(size, b)
}

func (a *bounded) Free(b []byte) {
	a.n.Add(-int64(len(b)))
	a.Allocator.Free(b)
}

// errDecoder wraps a panic inside Arrow's decoders.
var errDecoder = errors.New("the decoder failed")

// guard runs read and turns a panic into an error. Arrow's Parquet and IPC
// decoders trust the lengths and offsets a file states, and corrupt files
// (FuzzReadArrow finds them in seconds) make them index out of range or
// dereference nil instead of returning an error. The panic's value goes
// into the error, so that a bug of caseflow's own would still show.
func guard(in *Input, read func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = unreadable(in, fmt.Errorf("%w: %v", errDecoder, p))
		}
	}()
	return read()
}

// ---- Arrow record batches, from Parquet or IPC, into events ----

// readTable reads the record batches of a Parquet or Arrow IPC file into
// the log, one row per event. Two kinds of table are told apart by their
// schema:
//
//   - A caseflow event log (what `caseflow convert` writes: see package
//     eventlog; recognised by its case, activity, time, file and row
//     columns, time a timestamp with a zone). Its role columns keep their
//     roles and their "caseflow.source" metadata, its attribute columns
//     their types, and each event its original file and row, so that
//     converting a log to Parquet and back loses nothing. The mapping flags
//     still override roles one by one. Options.Missing does not apply:
//     only null is missing.
//   - Any other flat table (a data team's export, `caseflow generate
//     --format parquet`): columns get roles by the rules of the CSV reader
//     (see mapColumns and docs/reading.md). Timestamp and date columns are
//     times as they are (timestamps with a zone are exact; without one, and
//     dates, are wall-clock times in Options.Location); text columns are
//     parsed with a layout detected from the first 2,000 values, as in CSV,
//     and may be a date and a time-of-day column. Case ids, activities and
//     other role values may be of any flat type (an integer ticket number
//     reads as its digits). Values equal to one of Options.Missing are
//     missing in text columns.
//
// Attribute columns keep their type: integers (except uint64, kept as
// text) as int, floats as float, booleans, timestamps and dates as
// timestamps, the rest (text, dictionaries, decimals, durations, …) as
// text. Columns of nested values (lists, structs, maps, unions) are
// skipped with a warning. A row is rejected, as a CSV row would be, when
// its case id, activity or time is null or missing or its time does not
// parse; the reject's Line is the 1-based row number in the file and its
// Column the 1-based column number. Text that is not valid UTF-8 is read
// with U+FFFD in place of the bad bytes, with a warning. A table without
// rows gives no events and a warning; one claiming more rows than
// maxRows(size()) (size is the input's bytes read so far) is an error.
//
// Even a caseflow log goes through the Builder, event by event, rather
// than being wrapped as it is with eventlog.New: Read makes one log of all
// its inputs, which may mix formats.
func readTable(src batches, size func() int64, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	var head []arrow.Record
	defer func() {
		for _, r := range head {
			if r != nil {
				r.Release()
			}
		}
	}()
	// Detection samples the first rows, which may span several batches.
	n := 0
	for n < sampleRows && src.Next() {
		rec := src.Record()
		rec.Retain()
		head = append(head, rec)
		n += int(rec.NumRows())
	}
	if err := batchErr(src); err != nil {
		return unreadable(in, err)
	}
	t, err := newTable(src.Schema(), head, n, in, opt, b, res)
	if err != nil {
		return err
	}
	if k, ok := src.(keeper); ok {
		t.kept = k.Kept
	}
	defer func() { // filled as batches come
		t.dicts.release()
		spill.Free(t.memory, t.rows)
	}()
	add := func(rec arrow.Record) error {
		if n := t.line + rec.NumRows(); n > maxRows(size()) {
			return fmt.Errorf("%s: the data claims %d rows or more in %d bytes, more than any real %s holds; it is corrupt (or built to exhaust memory)",
				in.File, n, size(), formatName(in.Format))
		}
		t.add(rec)
		return nil
	}
	for i, rec := range head {
		if err := add(rec); err != nil {
			return err
		}
		// A batch may be a whole row group: let it go once read.
		rec.Release()
		head[i] = nil
	}
	for src.Next() {
		if err := add(src.Record()); err != nil {
			return err
		}
	}
	if err := batchErr(src); err != nil {
		return unreadable(in, err)
	}
	t.finish()
	return nil
}

// keeper is a source of batches whose dictionaries may lie in Go memory
// that nobody changes, which the log may then keep (see
// eventlog.NewCodedValues): Kept reports whether d is such a dictionary.
type keeper interface {
	Kept(d *array.String) bool
}

func batchErr(src batches) error {
	if err := src.Err(); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// table turns the rows of record batches into events.
type table struct {
	// p holds the header, the mapping, the time layouts and the missing
	// values, so that rows are judged by the CSV reader's own code.
	p        csvParser
	in       *Input
	b        *eventlog.Builder
	res      *Result
	schema   *arrow.Schema
	wall     *wallClock
	eventLog bool
	typed    [2]bool // the time and start time columns are Arrow timestamps or dates
	file     int     // the provenance columns of a caseflow log, or -1
	row      int
	attrs    []tableAttr
	nested   []string
	badUTF8  int64
	tl       chunkTally    // placeholders, counted as in CSV
	dicts    dictCache     // the dictionaries addColumns last read, by column
	memory   *spill.Memory // Options.Memory, for what grows with a dictionary
	line     int64         // rows read so far
	fileName string        // the name last given to Builder.SetFile

	kept func(*array.String) bool // see keeper; nil: none
	rows []int64                  // addColumns' row numbers, reused
	// scratch frees what addColumns made for the batch (see scratch).
	scratch []func()
	// pair is PairLifecycle's plan: for row r, pairStart marks a start
	// event merged into its complete event, k >= 0 the start event row k
	// merged into this one. nil reads every row as it is.
	pair []int32

	// The current batch.
	rec    arrow.Record
	text   []func(int) []byte
	num    []func(int) (int64, bool, error)
	fields [][]byte // the text of time columns, for csvParser.parseTime
	act    []byte   // a joined activity
	vals   []attrVal
}

type tableAttr struct {
	col, attr int
	kind      eventlog.Kind
}

type attrVal struct {
	text []byte
	num  int64
	ok   bool
}

func newTable(schema *arrow.Schema, head []arrow.Record, n int, in *Input, opt Options, b *eventlog.Builder, res *Result) (*table, error) {
	fields := schema.Fields()
	names := make([][]byte, len(fields))
	kinds := make([]eventlog.Kind, len(fields))
	flat := make([]bool, len(fields))
	for i, f := range fields {
		names[i] = []byte(f.Name)
		kinds[i], flat[i] = kindOf(f.Type)
	}
	t := &table{in: in, b: b, res: res, schema: schema, file: -1, row: -1, eventLog: isEventLog(schema), memory: opt.Memory}
	t.p = csvParser{file: in.File, header: headerNames(names, in)}
	t.p.setMissing(opt.Missing)
	header := t.p.header
	if t.eventLog {
		// A caseflow log's values are exact: only null is missing.
		t.p.setMissing([]string{""})
		t.file, t.row = schema.FieldIndices(eventlog.File)[0], schema.FieldIndices(eventlog.Row)[0]
	}
	var err error
	if t.wall, err = newWallClock(opt.Location); err != nil {
		return nil, fmt.Errorf("%s: %w", in.File, err)
	}
	samples := t.samples(head, flat)
	timeLike := map[int]bool{}
	isTime := func(col int) bool {
		if v, ok := timeLike[col]; ok {
			return v
		}
		switch {
		case !flat[col]:
			timeLike[col] = false
		case kinds[col] == eventlog.Timestamp:
			timeLike[col] = true
		default:
			l, err := t.p.detectTime(samples[col], opt)
			timeLike[col] = (err == nil && !l.TimeOfDay()) || errors.Is(err, timefmt.ErrAmbiguous) || errors.Is(err, timefmt.ErrInconsistent)
		}
		return timeLike[col]
	}
	var m *colMap
	if t.eventLog {
		m, err = eventLogColumns(header, opt.Mapping, isTime)
	} else {
		m, err = mapColumns(header, opt.Mapping, isTime)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.File, err)
	}
	t.p.m = m
	// Placeholders apply to tables as to CSV, not to a caseflow log, whose
	// values were judged when it was written.
	m.tally = &tally{}
	if !t.eventLog {
		m.tally.placeholders = placeholdersFor(opt)
	}
	for c, h := range header {
		if role := m.roleOf(c); role != "" && !flat[c] {
			return nil, fmt.Errorf("%s: column %q holds %s values, which cannot be the %s; name another column with %s",
				in.File, h, fields[c].Type, role, flagFor(role))
		}
	}
	if n == 0 {
		in.Warnings = append(in.Warnings, "the file has columns but no rows")
	}
	if err := t.layouts(samples, kinds, n, opt); err != nil {
		return nil, err
	}
	t.zone(opt)
	for c, h := range header {
		role := m.roleOf(c)
		col := Column{Name: h, Role: role, Examples: examples(samples[c])}
		for _, k := range m.candidates[role] {
			col.Candidates = append(col.Candidates, header[k])
		}
		switch {
		case c == t.file:
			col.Role = eventlog.File
		case c == t.row:
			col.Role = eventlog.Row
		case !flat[c]:
			t.nested = append(t.nested, h)
		case role == "" || (role == eventlog.Activity && len(m.acts) > 1):
			// The parts of a joined activity stay columns, as in CSV.
			i, err := b.Attr(h, kinds[c])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w in an earlier file; read the files separately", in.File, h, err)
			}
			t.attrs = append(t.attrs, tableAttr{col: c, attr: i, kind: kinds[c]})
		}
		in.Columns = append(in.Columns, col)
	}
	t.sources(schema)
	t.fields = make([][]byte, len(header))
	t.vals = make([]attrVal, len(t.attrs))
	return t, nil
}

// samples returns up to sampleRows present values of each flat column, as
// text, for detection and examples.
func (t *table) samples(head []arrow.Record, flat []bool) [][]string {
	out := make([][]string, len(flat))
	seen := 0 // rows looked at
	for _, rec := range head {
		n := min(int(rec.NumRows()), sampleRows-seen)
		seen += n
		for c := range out {
			if !flat[c] {
				continue
			}
			text := textFunc(rec.Column(c))
			for i := range n {
				if v := text(i); v != nil && !t.p.isMissing(v) {
					out[c] = append(out[c], strings.ToValidUTF8(string(v), "\uFFFD"))
				}
			}
		}
	}
	return out
}

// eventLogColumns maps a caseflow log's role columns to their roles. The
// user's mapping overrides them role by role; a role the log has no column
// for stays unmapped rather than being detected among the attributes.
func eventLogColumns(header []string, mp Mapping, isTime func(int) bool) (*colMap, error) {
	own := mp
	var detected []string
	for _, r := range []struct {
		role  string
		names *[]string
	}{
		{eventlog.Case, &own.Case}, {eventlog.Activity, &own.Activity}, {eventlog.Time, &own.Time},
		{eventlog.StartTime, &own.StartTime}, {eventlog.Department, &own.Department},
		{eventlog.Resource, &own.Resource}, {eventlog.Channel, &own.Channel},
	} {
		switch {
		case len(*r.names) > 0:
		case slices.Contains(header, r.role):
			*r.names = []string{r.role}
		default:
			detected = append(detected, r.role)
		}
	}
	m, err := mapColumns(header, own, isTime)
	if err != nil {
		return nil, err
	}
	for _, role := range detected {
		*m.slot(role) = -1
		delete(m.candidates, role)
	}
	return m, nil
}

// layouts settles how the time and start time columns are read: Arrow
// timestamps and dates as they are, text with a detected layout, as in CSV.
func (t *table) layouts(samples [][]string, kinds []eventlog.Kind, n int, opt Options) error {
	m, in, header := t.p.m, t.in, t.p.header
	t.typed[0] = kinds[m.time] == eventlog.Timestamp
	switch {
	case t.typed[0] && m.clock >= 0:
		return fmt.Errorf("%s: --time %q,%q: the first column is already a timestamp or date type; name it alone",
			in.File, header[m.time], header[m.clock])
	case t.typed[0]:
		in.TimeLayout = fmt.Sprintf("%s column", t.schema.Field(m.time).Type)
	case n > 0:
		var err error
		if t.p.layout, err = t.p.detectTime(samples[m.time], opt); err != nil {
			return fmt.Errorf("%s: time column %q (column %d): %w", in.File, header[m.time], m.time+1, err)
		}
		if m.clock < 0 && opt.TimeFormat == "" && t.p.layout.DateOnly() {
			m.clock = m.pickClock(header, func(col int) bool {
				l, err := timefmt.Detect(samples[col], opt.Location)
				return kinds[col] == eventlog.String && err == nil && l.TimeOfDay()
			})
		}
		in.TimeLayout = t.p.layout.String()
		if m.clock >= 0 {
			clock, err := timefmt.Detect(samples[m.clock], opt.Location)
			if err == nil {
				t.p.split, err = timefmt.Combine(t.p.layout, clock)
			}
			if err != nil {
				return fmt.Errorf("%s: time-of-day column %q (column %d): %w", in.File, header[m.clock], m.clock+1, err)
			}
			in.TimeLayout = t.p.split.String()
		}
	}
	if m.start < 0 {
		return nil
	}
	t.typed[1] = kinds[m.start] == eventlog.Timestamp
	if !t.typed[1] && n > 0 {
		var err error
		if t.p.start, err = t.p.detectTime(samples[m.start], opt); err != nil {
			return fmt.Errorf("%s: start time column %q (column %d): %w", in.File, header[m.start], m.start+1, err)
		}
	}
	return nil
}

// zone describes in Input how times without an offset are read.
func (t *table) zone(opt Options) {
	typ := t.schema.Field(t.p.m.time).Type
	switch ts, ok := typ.(*arrow.TimestampType); {
	case ok && ts.TimeZone != "":
		t.in.Zone = "instants in the file (zone " + ts.TimeZone + ")"
	case t.typed[0]:
		t.in.Zone = opt.Location.String()
	case t.p.layout.Zoned():
		t.in.Zone = "offset in each value"
	default:
		t.in.Zone = opt.Location.String()
	}
}

// sources records the input columns of the roles. A caseflow log's own
// role columns pass on the source they name, or none (a role that was not
// mapped is still a column, of nulls).
func (t *table) sources(schema *arrow.Schema) {
	m, header := t.p.m, t.p.header
	name := func(col int) string {
		if t.eventLog && header[col] == m.roleOf(col) {
			src, _ := schema.Field(col).Metadata.GetValue(eventlog.SourceKey)
			return src
		}
		return header[col]
	}
	for _, r := range []struct {
		role string
		col  int
	}{{eventlog.Case, m.cases}, {eventlog.StartTime, m.start}, {eventlog.Department, m.dept},
		{eventlog.Resource, m.res}, {eventlog.Channel, m.chn}} {
		if r.col >= 0 && name(r.col) != "" {
			t.b.SetSource(r.role, name(r.col))
		}
	}
	var acts []string
	for _, c := range m.acts {
		if n := name(c); n != "" {
			acts = append(acts, n)
		}
	}
	if len(acts) > 0 {
		t.b.SetSource(eventlog.Activity, strings.Join(acts, ","))
	}
	if when := name(m.time); when != "" {
		if m.clock >= 0 {
			when += "," + header[m.clock]
		}
		t.b.SetSource(eventlog.Time, when)
	}
}

// add reads the rows of one record batch.
func (t *table) add(rec arrow.Record) {
	if t.addColumns(rec) {
		return
	}
	t.rec = rec
	ncol := int(rec.NumCols())
	t.text = slices.Grow(t.text[:0], ncol)[:ncol]
	t.num = slices.Grow(t.num[:0], ncol)[:ncol]
	clear(t.text)
	clear(t.num)
	m := t.p.m
	for _, c := range append([]int{m.cases, m.dept, m.res, m.chn, m.clock, t.file}, m.acts...) {
		if c >= 0 {
			t.text[c] = t.values(rec.Column(c))
		}
	}
	for k, c := range []int{m.time, m.start} {
		switch {
		case c < 0:
		case t.typed[k]:
			t.num[c] = numFunc(rec.Column(c), t.wall)
		default:
			t.text[c] = t.values(rec.Column(c))
		}
	}
	if t.row >= 0 {
		t.num[t.row] = numFunc(rec.Column(t.row), t.wall)
	}
	for _, a := range t.attrs {
		if a.kind == eventlog.String {
			t.text[a.col] = t.values(rec.Column(a.col))
		} else {
			t.num[a.col] = numFunc(rec.Column(a.col), t.wall)
		}
	}
	for i := range int(rec.NumRows()) {
		t.event(i)
	}
}

// pairStart marks, in table.pair, a start event merged into its complete.
const pairStart = -2

// event reads row i of the current batch into an event or a reject.
func (t *table) event(i int) {
	t.line++
	t.in.Rows++
	t.res.Rows++
	m, header := t.p.m, t.p.header
	k := -1 // the row whose values fill this one's gaps
	if t.pair != nil {
		if k = int(t.pair[i]); k == pairStart {
			return
		}
	}
	ev := eventlog.Event{Row: t.line, Start: eventlog.NoTime}
	if ev.Case = t.value(m.cases, i, -1); ev.Case == nil {
		t.reject(i, m.cases, "the case id (column %q) is empty", header[m.cases])
		return
	}
	// A department that is also the step counts its placeholders once.
	actTally := &t.tl
	if m.deptSteps {
		actTally = nil
	}
	act := t.role(m.acts[0], i, -1, actTally)
	if len(m.acts) > 1 {
		// Joined with '+', missing parts left out, as in CSV.
		t.act = t.act[:0]
		for _, c := range m.acts {
			if v := t.role(c, i, -1, actTally); v != nil {
				if len(t.act) > 0 {
					t.act = append(t.act, '+')
				}
				t.act = append(t.act, v...)
			}
		}
		act = t.act
		if len(act) == 0 {
			act = nil
		}
	}
	if ev.Activity = act; act == nil {
		t.reject(i, m.acts[0], "the activity (column %s) is empty", joinNames(t.names(m.acts)))
		return
	}
	var err error
	if t.typed[0] {
		var ok bool
		ev.Time, ok, err = t.num[m.time](i)
		if !ok {
			t.reject(i, m.time, "the time (column %q) is empty", header[m.time])
			return
		}
	} else {
		if t.fields[m.time] = t.value(m.time, i, -1); t.fields[m.time] == nil {
			t.reject(i, m.time, "the time (column %q) is empty", header[m.time])
			return
		}
		if m.clock >= 0 {
			t.fields[m.clock] = t.value(m.clock, i, -1)
		}
		ev.Time, err = t.p.parseTime(t.fields, &t.tl)
	}
	if err != nil {
		col := m.time
		var te *timefmt.Error
		if m.clock >= 0 && (t.fields[m.clock] == nil || errors.As(err, &te) && te.Layout == t.p.split.Clock) {
			col = m.clock
		}
		t.holder(err, m.time, i)
		t.reject(i, col, "time column %q: %v", header[col], err)
		return
	}
	switch {
	case k >= 0:
		ev.Start, _, _ = t.num[m.time](k)
	case m.start < 0:
	case t.typed[1]:
		if v, ok, err := t.num[m.start](i); t.holder(err, m.start, i) {
		} else if err != nil {
			t.reject(i, m.start, "start time column %q: %v", header[m.start], err)
			return
		} else if ok {
			ev.Start = v
		}
	default:
		if f := t.value(m.start, i, -1); f != nil {
			if ev.Start, err = t.p.parseStart(f, &t.tl); t.holder(err, m.start, i) {
				ev.Start = eventlog.NoTime
			} else if err != nil {
				t.reject(i, m.start, "start time column %q: %v", header[m.start], err)
				return
			}
		}
	}
	for j, a := range t.attrs {
		if a.kind == eventlog.String {
			t.vals[j] = attrVal{text: t.value(a.col, i, k)}
			continue
		}
		v, ok, err := t.num[a.col](i)
		if !ok && k >= 0 {
			v, ok, err = t.num[a.col](k)
		}
		if t.holder(err, a.col, i) {
			v, ok, err = 0, false, nil
		}
		if err != nil {
			t.reject(i, a.col, "column %q: %v", header[a.col], err)
			return
		}
		t.vals[j] = attrVal{num: v, ok: ok}
	}
	ev.Department = t.role(m.dept, i, k, &t.tl)
	ev.Resource = t.role(m.res, i, k, &t.tl)
	ev.Channel = t.role(m.chn, i, k, &t.tl)
	if t.eventLog {
		if v, ok, _ := t.num[t.row](i); ok {
			ev.Row = v
		}
		name := t.in.File
		if v := t.value(t.file, i, -1); v != nil {
			name = string(v)
		}
		if name != t.fileName {
			t.setFile(name)
		}
	}
	t.b.Add(&ev)
	for j, a := range t.attrs {
		switch v := t.vals[j]; {
		case a.kind == eventlog.String && v.text != nil:
			t.b.SetString(a.attr, v.text)
		case a.kind != eventlog.String && v.ok:
			t.b.SetNum(a.attr, v.num)
		}
	}
}

// holder reports whether err says that column col holds a placeholder date
// in row i, and counts it.
func (t *table) holder(err error, col, i int) bool {
	if !errors.Is(err, timefmt.ErrPlaceholder) {
		return false
	}
	t.tl.count(col, []byte(t.rec.Column(col).ValueStr(i)))
	return true
}

// role is value for a role column, nil too for a placeholder, which tl
// counts (as csvParser.role does).
func (t *table) role(col, i, k int, tl *chunkTally) []byte {
	v := t.value(col, i, k)
	if v != nil && t.p.m.tally.placeholder(v) {
		if tl != nil {
			tl.count(col, v)
		}
		return nil
	}
	return v
}

// value is the text of column col in row i, or nil when there is no such
// column or the value is missing; then row k's (k >= 0) is used instead.
func (t *table) value(col, i, k int) []byte {
	if col < 0 {
		return nil
	}
	v := t.text[col](i)
	if v == nil && k >= 0 {
		return t.text[col](k)
	}
	return v
}

// values returns a reader of a column's values as text: nil for null and
// missing values, and U+FFFD for bytes that are not UTF-8. A dictionary's
// values are judged once per batch, when it is no larger than the batch.
func (t *table) values(arr arrow.Array) func(int) []byte {
	clean := func(v []byte) []byte {
		if v == nil || t.p.isMissing(v) {
			return nil
		}
		if !utf8.Valid(v) {
			t.badUTF8++
			v = bytes.ToValidUTF8(v, []byte("\uFFFD"))
		}
		return v
	}
	d, ok := arr.(*array.Dictionary)
	if !ok || d.Dictionary().Len() > d.Len() {
		text := textFunc(arr)
		return func(i int) []byte { return clean(text(i)) }
	}
	idx, text := indexFunc(d.Indices()), textFunc(d.Dictionary())
	memo := make([][]byte, d.Dictionary().Len())
	done := make([]bool, len(memo))
	return func(i int) []byte {
		if d.IsNull(i) {
			return nil
		}
		k := idx(i)
		if !done[k] {
			// A copy: textFunc reuses its buffer for numbers.
			memo[k], done[k] = bytes.Clone(clean(text(k))), true
		}
		return memo[k]
	}
}

func (t *table) names(cols []int) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = t.p.header[c]
	}
	return out
}

func (t *table) reject(i, col int, format string, args ...any) {
	t.in.Rejected++
	t.res.Rejected++
	t.res.Rejects = append(t.res.Rejects, Reject{File: t.in.File, Line: t.line, Column: col + 1,
		Reason: fmt.Sprintf(format, args...), Raw: t.raw(i)})
}

// raw renders row i as name="value" pairs for a reject.
func (t *table) raw(i int) string {
	var out []byte
	for c, h := range t.p.header {
		if len(out) > MaxRawLen {
			break
		}
		if c > 0 {
			out = append(out, ' ')
		}
		out = append(out, h...)
		out = append(out, '=')
		col := t.rec.Column(c)
		switch _, flat := kindOf(col.DataType()); {
		case !flat:
			// Arrow renders a nested value as JSON of all its children,
			// which a corrupt length makes huge.
			out = append(out, "<"+col.DataType().Name()+">"...)
		case col.IsNull(i):
			out = append(out, "null"...)
		default:
			out = strconv.AppendQuote(out, col.ValueStr(i))
		}
	}
	return rawText(out)
}

func (t *table) finish() {
	t.tl.gaps += t.wall.gaps
	t.p.m.tally.add(&t.tl)
	t.p.m.tally.report(t.in, t.p.header)
	t.p.m.dropPlaceholderExamples(t.in.Columns)
	timePlaceholders(t.in, t.p.header[t.p.m.time])
	if len(t.nested) > 0 {
		t.in.Warnings = append(t.in.Warnings, nestedWarning(t.nested))
	}
	if t.badUTF8 > 0 {
		t.in.Warnings = append(t.in.Warnings, fmt.Sprintf("%d value(s) were not valid UTF-8 and are read with U+FFFD in place of the bad bytes", t.badUTF8))
	}
}

func nestedWarning(names []string) string {
	return fmt.Sprintf("skipped %d column(s) of nested values (lists, structs, maps: %s): caseflow keeps flat columns only",
		len(names), quoteList(names))
}

// setFile starts the events of the file name, noting it as held by the
// input when it is not the input's own (a caseflow log read back).
// name may lie in a batch's memory, which Options.Memory frees with the
// batch: the builder and the input keep a copy.
func (t *table) setFile(name string) {
	name = strings.Clone(name)
	t.fileName = name
	t.b.SetFile(name)
	if name != t.in.File && !slices.Contains(t.in.held, name) {
		t.in.held = append(t.in.held, name)
	}
}

// isEventLog reports whether a schema is that of a caseflow event log
// (see package eventlog), as `caseflow convert` writes to Parquet and IPC.
func isEventLog(s *arrow.Schema) bool {
	field := func(name string) arrow.DataType {
		if idx := s.FieldIndices(name); len(idx) == 1 {
			return s.Field(idx[0]).Type
		}
		return nil
	}
	text := func(t arrow.DataType) bool {
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		return t != nil && (t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING)
	}
	ts, ok := field(eventlog.Time).(*arrow.TimestampType)
	row := field(eventlog.Row)
	return ok && ts.TimeZone != "" && text(field(eventlog.Case)) && text(field(eventlog.Activity)) &&
		text(field(eventlog.File)) && row != nil && (row.ID() == arrow.INT32 || row.ID() == arrow.INT64)
}

// kindOf is the attribute kind of an Arrow type; flat is false for nested
// types (lists, structs, maps, unions), which have no single value.
func kindOf(t arrow.DataType) (k eventlog.Kind, flat bool) {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return eventlog.Int, true
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return eventlog.Float, true
	case arrow.BOOL:
		return eventlog.Bool, true
	case arrow.TIMESTAMP, arrow.DATE32, arrow.DATE64:
		return eventlog.Timestamp, true
	case arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST, arrow.LIST_VIEW, arrow.LARGE_LIST_VIEW,
		arrow.STRUCT, arrow.MAP, arrow.SPARSE_UNION, arrow.DENSE_UNION:
		return eventlog.String, false
	case arrow.DICTIONARY:
		_, flat = kindOf(t.(*arrow.DictionaryType).ValueType)
		return eventlog.String, flat
	case arrow.EXTENSION:
		_, flat = kindOf(t.(arrow.ExtensionType).StorageType())
		return eventlog.String, flat
	}
	return eventlog.String, true // text, binary, uint64, decimals, durations, …
}

// textFunc returns a reader of a flat column's values as text: nil for
// null. The bytes are valid until the next call.
func textFunc(arr arrow.Array) func(int) []byte {
	switch a := arr.(type) {
	case *array.Dictionary:
		idx := indexFunc(a.Indices())
		vals := textFunc(a.Dictionary())
		return func(i int) []byte {
			if a.IsNull(i) {
				return nil
			}
			return vals(idx(i))
		}
	case interface{ Value(int) string }: // String, LargeString, StringView
		return func(i int) []byte {
			if arr.IsNull(i) {
				return nil
			}
			s := a.Value(i)
			return unsafe.Slice(unsafe.StringData(s), len(s))
		}
	case interface{ Value(int) []byte }: // the binary types
		return func(i int) []byte {
			if arr.IsNull(i) {
				return nil
			}
			return a.Value(i)
		}
	case *array.Int8:
		return intText(a, true)
	case *array.Int16:
		return intText(a, true)
	case *array.Int32:
		return intText(a, true)
	case *array.Int64:
		return intText(a, true)
	case *array.Uint8:
		return intText(a, false)
	case *array.Uint16:
		return intText(a, false)
	case *array.Uint32:
		return intText(a, false)
	case *array.Uint64:
		return intText(a, false)
	}
	var buf []byte
	return func(i int) []byte {
		if arr.IsNull(i) {
			return nil
		}
		buf = append(buf[:0], arr.ValueStr(i)...)
		return buf
	}
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

type intArray[T integer] interface {
	IsNull(int) bool
	Value(int) T
}

func intText[T integer](a intArray[T], signed bool) func(int) []byte {
	var buf []byte
	return func(i int) []byte {
		if a.IsNull(i) {
			return nil
		}
		if signed {
			buf = strconv.AppendInt(buf[:0], int64(a.Value(i)), 10)
		} else {
			buf = strconv.AppendUint(buf[:0], uint64(a.Value(i)), 10)
		}
		return buf
	}
}

// indexFunc reads dictionary indices.
func indexFunc(arr arrow.Array) func(int) int {
	switch a := arr.(type) {
	case *array.Int8:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Int16:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Int32:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Int64:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Uint8:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Uint16:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Uint32:
		return func(i int) int { return int(a.Value(i)) }
	case *array.Uint64:
		return func(i int) int { return int(a.Value(i)) }
	}
	// Arrow allows only integer indices.
	return func(int) int { panic(fmt.Sprintf("dictionary indices of type %s", arr.DataType())) }
}

// numFunc returns a reader of a typed column (see kindOf) as the numbers
// eventlog.Builder.SetNum takes: ok is false for null, err for a time
// outside the years 0000-9999.
func numFunc(arr arrow.Array, wall *wallClock) func(int) (int64, bool, error) {
	valid := func(f func(int) (int64, error)) func(int) (int64, bool, error) {
		return func(i int) (int64, bool, error) {
			if arr.IsNull(i) {
				return 0, false, nil
			}
			v, err := f(i)
			return v, true, err
		}
	}
	switch a := arr.(type) {
	case *array.Int8:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Int16:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Int32:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Int64:
		return valid(func(i int) (int64, error) { return a.Value(i), nil })
	case *array.Uint8:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Uint16:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Uint32:
		return valid(func(i int) (int64, error) { return int64(a.Value(i)), nil })
	case *array.Float16:
		return valid(func(i int) (int64, error) { return int64(math.Float64bits(float64(a.Value(i).Float32()))), nil })
	case *array.Float32:
		return valid(func(i int) (int64, error) { return int64(math.Float64bits(float64(a.Value(i)))), nil })
	case *array.Float64:
		return valid(func(i int) (int64, error) { return int64(math.Float64bits(a.Value(i))), nil })
	case *array.Boolean:
		return valid(func(i int) (int64, error) {
			if a.Value(i) {
				return 1, nil
			}
			return 0, nil
		})
	case *array.Timestamp:
		typ := a.DataType().(*arrow.TimestampType)
		per := map[arrow.TimeUnit]int64{arrow.Second: 1, arrow.Millisecond: 1e3, arrow.Microsecond: 1e6, arrow.Nanosecond: 1e9}[typ.Unit]
		return valid(func(i int) (int64, error) {
			us, err := micros(int64(a.Value(i)), per)
			switch {
			case err != nil:
				return 0, err
			case timefmt.Placeholder(us): // the wall clock, or the instant in UTC
				return 0, errPlaceholder{}
			case typ.TimeZone != "":
				return us, nil
			}
			return wall.utc(us)
		})
	case *array.Date32:
		return valid(func(i int) (int64, error) {
			d := int64(a.Value(i))
			if d < minMicros/86400_000000 || d > maxMicros/86400_000000 {
				return 0, errTimeRange
			}
			if timefmt.Placeholder(d * 86400_000000) {
				return 0, errPlaceholder{}
			}
			return wall.utc(d * 86400_000000)
		})
	case *array.Date64:
		return valid(func(i int) (int64, error) {
			us, err := micros(int64(a.Value(i)), 1e3)
			if err != nil {
				return 0, err
			}
			if timefmt.Placeholder(us) {
				return 0, errPlaceholder{}
			}
			return wall.utc(us)
		})
	}
	return func(int) (int64, bool, error) { panic(fmt.Sprintf("no number reader for %s", arr.DataType())) }
}

// The instants timefmt accepts: years 0000 to 9999.
const (
	minMicros = -62167219200_000000
	maxMicros = 253402300800_000000 - 1
)

var errTimeRange = errors.New("the time lies outside the years 0000-9999")

// errPlaceholder is timefmt.ErrPlaceholder for a typed timestamp or date.
type errPlaceholder struct{}

func (errPlaceholder) Error() string {
	return `the value is a placeholder that systems write for "no date" (` + timefmt.PlaceholderDates + `), not a time`
}

func (errPlaceholder) Is(target error) bool { return target == timefmt.ErrPlaceholder }

// micros converts v in units of 1/per second to microseconds, rounding
// down, within the years 0000-9999.
func micros(v, per int64) (int64, error) {
	var us int64
	switch {
	case per >= 1e6:
		d := per / 1e6
		us = v / d
		if v%d < 0 {
			us--
		}
	case v < minMicros/(1e6/per) || v > maxMicros/(1e6/per):
		return 0, errTimeRange
	default:
		us = v * (1e6 / per)
	}
	if us < minMicros || us > maxMicros {
		return 0, errTimeRange
	}
	return us, nil
}

// wallClock turns wall-clock times (Arrow timestamps without a zone, and
// dates) into UTC instants in Options.Location, by the rules of zone-less
// text timestamps (see package timefmt: a repeated hour is its first
// occurrence).
type wallClock struct {
	iso   timefmt.Layout // yyyy-mm-ddTHH:MM:SS.ffffff in the location; unused for UTC
	isUTC bool
	buf   []byte
	gaps  int64 // values skipped when clocks went forward
}

func newWallClock(loc *time.Location) (*wallClock, error) {
	if loc == time.UTC {
		return &wallClock{isUTC: true}, nil
	}
	l, err := timefmt.Detect([]string{"2000-01-01T00:00:00.000000"}, loc)
	return &wallClock{iso: l}, err
}

func (w *wallClock) utc(us int64) (int64, error) {
	if us < minMicros || us > maxMicros {
		return 0, errTimeRange
	}
	if w.isUTC {
		return us, nil
	}
	w.buf = time.UnixMicro(us).UTC().AppendFormat(w.buf[:0], "2006-01-02T15:04:05.000000")
	us, gap, err := w.iso.ParseGap(w.buf)
	if gap {
		w.gaps++
	}
	return us, err
}
