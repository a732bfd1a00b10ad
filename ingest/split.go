package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/caseflow/caseflow/internal/spill"
)

// chunkSize is how much input one parse task gets. Large enough that
// per-chunk overhead (a Builder, a dictionary merge) is noise, small enough
// that two workers get many chunks from a modest file. The chunks queued,
// being parsed and recycled (some six at a time) are part of the reading
// phase's peak, but the size is also the span whose first rows are sampled
// for UTC offsets (docs/reading.md), so it stays.
const chunkSize = 4 << 20

// Limits on a CSV file, stated in docs/reading.md. Beyond them a file is
// almost surely not what it seems (a wrong delimiter, a quote never
// closed, binary data), and reading on would take memory and time out of
// all proportion to what it holds: a record longer than maxRecord or a
// header line longer than maxHeader stops the read; a record with more
// than maxColumns fields or a field longer than maxCell is rejected (the
// header's are an error).
const (
	maxRecord  = 256 << 20
	maxHeader  = 1 << 20
	maxColumns = 10_000
	maxCell    = 1 << 20
)

// errLongHeader is the splitter's error for a first line longer than
// maxHeader, found before more of it is read.
var errLongHeader = fmt.Errorf("the first line is longer than %d MiB, too long for a header row: is this a CSV file with line breaks? check the file", maxHeader>>20)

// chunk is a run of whole CSV records and the line its first record starts on.
type chunk struct {
	seq  int
	data []byte
	line int64
	buf  []byte // the allocation data lies in, for splitter.recycle
}

// splitter cuts a stream into chunks that end on record boundaries, so
// chunks can be parsed independently. A boundary is a newline after which
// the number of quote characters seen since the chunk start is even: exact
// for RFC 4180 quoting, where quotes open and close fields and are doubled
// inside them. A stray quote inside an unquoted field only makes a chunk
// longer (the splitter waits for the parity to even out), never cuts inside
// a real quoted field.
type splitter struct {
	r    io.Reader
	size int    // bytes to read per chunk
	buf  []byte // unconsumed input
	eof  bool
	line int64
	seq  int
	// free holds buffers of parsed chunks for reuse: without it every
	// chunk is a fresh allocation, and a large file turns into as much
	// garbage as its size.
	free chan []byte
	// mem holds the buffers: the chunks in flight are some six times
	// chunkSize, most of what the reading phase keeps on the heap once
	// the log is in mem (nil: the heap).
	mem *spill.Memory
}

func newSplitter(r io.Reader, size int, m *spill.Memory) *splitter {
	if size <= 0 {
		size = chunkSize
	}
	return &splitter{r: r, size: size, line: 1, free: make(chan []byte, 8), mem: m}
}

// alloc returns an empty buffer of at least n bytes' capacity.
func (s *splitter) alloc(n int) []byte {
	select {
	case b := <-s.free:
		if cap(b) >= n {
			return b[:0]
		}
		spill.Free(s.mem, b)
	default:
	}
	return spill.MakeCap[byte](s.mem, 0, n+n/4)
}

// recycle hands back a chunk whose data is no longer referenced. It is
// safe to call from any goroutine.
func (s *splitter) recycle(c chunk) {
	if c.buf == nil {
		return
	}
	select {
	case s.free <- c.buf:
	default:
		spill.Free(s.mem, c.buf)
	}
}

// close gives back the buffers kept for reuse and the unread input's,
// once every chunk is recycled.
func (s *splitter) close() {
	for {
		select {
		case b := <-s.free:
			spill.Free(s.mem, b)
		default:
			spill.Free(s.mem, s.buf)
			s.buf = nil
			return
		}
	}
}

// next returns the next chunk, or io.EOF. The chunk's data is owned by the
// caller.
func (s *splitter) next() (chunk, error) {
	for {
		if cut := boundary(s.buf, len(s.buf) >= s.size || s.eof); cut > 0 || (s.eof && len(s.buf) > 0) {
			if cut <= 0 {
				cut = len(s.buf)
			}
			c := chunk{seq: s.seq, data: s.buf[:cut:cut], line: s.line, buf: s.buf}
			s.seq++
			s.line += int64(bytes.Count(c.data, []byte{'\n'}))
			s.buf = append(s.alloc(max(s.size, len(s.buf)-cut)), s.buf[cut:]...)
			return c, nil
		}
		if s.eof {
			return chunk{}, io.EOF
		}
		if s.seq == 0 && len(s.buf) > maxHeader && bytes.IndexByte(s.buf[:maxHeader], '\n') < 0 {
			return chunk{}, errLongHeader
		}
		if len(s.buf) > maxRecord {
			return chunk{}, fmt.Errorf("a record starting on line %d is longer than %d MiB: a quote is probably never closed; check the quoting or pass --delimiter", s.line, maxRecord>>20)
		}
		if err := s.fill(); err != nil {
			return chunk{}, err
		}
	}
}

// fill reads up to s.size more bytes.
func (s *splitter) fill() error {
	want := len(s.buf) + s.size
	if cap(s.buf) < want {
		old := s.buf
		s.buf = append(s.alloc(want), old...)
		s.recycle(chunk{buf: old})
	}
	for len(s.buf) < want {
		n, err := s.r.Read(s.buf[len(s.buf):want])
		s.buf = s.buf[:len(s.buf)+n]
		if errors.Is(err, io.EOF) {
			s.eof = true
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// boundary returns the end of the last complete record in b (just after its
// newline), or 0 if there is none. With full unset it returns 0 so the
// caller reads more first: only a full buffer is worth cutting.
func boundary(b []byte, full bool) int {
	if !full {
		return 0
	}
	if bytes.IndexByte(b, '"') < 0 {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	cut, quotes := 0, 0
	for pos := 0; pos < len(b); {
		nl := bytes.IndexByte(b[pos:], '\n')
		if nl < 0 {
			break
		}
		quotes += bytes.Count(b[pos:pos+nl], []byte{'"'})
		pos += nl + 1
		if quotes%2 == 0 {
			cut = pos
		}
	}
	return cut
}
