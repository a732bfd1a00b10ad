package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
)

// sampleRows is how many leading data rows detection looks at.
const sampleRows = 2000

// maxSample bounds the bytes detection reads to find sampleRows rows.
const maxSample = 16 << 20

var bom = []byte("\xef\xbb\xbf")

// csvParser holds what detection settled for one file; workers share it
// read-only.
type csvParser struct {
	file      string
	delim     byte
	header    []string
	m         *colMap
	layout    timefmt.Layout
	split     timefmt.Split // date and time of day in two columns, when m.clock >= 0
	start     timefmt.Layout
	missing   []string
	missLens  uint64 // bit n set when a missing token has length n
	latin1    bool
	attrCols  []int
	attrNames []string
}

// parsed is one chunk's outcome.
type parsed struct {
	b       *eventlog.Builder
	rejects []Reject
	rows    int64
}

// misnamed lists file-name endings of formats recognised by their first
// bytes, with those bytes: a file so named that reaches readCSV does not
// start with them, and read as text it would fill the screen with garbage.
var misnamed = []struct{ ext, format, start string }{
	{".parquet", "a Parquet file", "the bytes PAR1"},
	{".arrow", "an Arrow IPC file", "the bytes ARROW1"}, {".feather", "an Arrow IPC file", "the bytes ARROW1"}, {".ipc", "an Arrow IPC file", "the bytes ARROW1"},
	{".xes", "an XES file", "XML"},
}

func readCSV(r *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	name := strings.ToLower(in.File)
	for _, z := range []string{".gz", ".zst", ".zstd"} {
		name = strings.TrimSuffix(name, z)
	}
	for _, m := range misnamed {
		if strings.HasSuffix(name, m.ext) {
			return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf(
				"not %s: it does not start with %s, as one does; export or download it again, or rename it if it is really CSV", m.format, m.start)}
		}
	}
	var src io.Reader = r
	if head, _ := r.Peek(r.Size()); bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		src = crLines{r}
		in.Notes = append(in.Notes, "lines end in a carriage return alone (classic Mac OS), read as line breaks")
	}
	sp := newSplitter(src, opt.chunkSize, opt.Memory)
	first, err := sp.next()
	if errors.Is(err, io.EOF) {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: errors.New("the file is empty; expected a header row and events")}
	}
	// Detection wants sampleRows rows; with tiny chunks (or huge rows) that
	// takes several chunks, which are contiguous and so can be joined.
	for bytes.Count(first.data, []byte{'\n'}) <= sampleRows && err == nil && len(first.data) < maxSample {
		var c chunk
		if c, err = sp.next(); err == nil {
			first.data = append(first.data, c.data...)
			sp.recycle(c)
		}
	}
	if errors.Is(err, errLongHeader) {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: err}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return truncateError(in, 1, err)
	}
	in.Encoding = "utf-8"
	if bytes.HasPrefix(first.data, bom) {
		first.data = first.data[len(bom):]
		in.Encoding = "utf-8 with byte-order mark"
	}
	p, rest, err := detectCSV(first, in, opt)
	if err != nil {
		return err
	}
	if rows := bytes.Count(first.data, []byte{'\n'}); in.Size > 0 && in.Compression == "none" && rows > 0 {
		// Reserve room for the expected events, judged from the sample's
		// bytes per row, so the columns are not copied as they grow.
		b.Grow(int(float64(in.Size) / float64(len(first.data)) * float64(rows) * 1.02))
	}
	err = p.run(rest, sp, in, opt, b, res)
	sp.close()
	return err
}

// crLines reads a file whose lines end in a carriage return alone (as
// classic Mac OS wrote them) as one whose lines end in a line feed. It is
// used only when the first bytes hold no line feed, so a carriage return
// inside a quoted field of any other file stays as it is.
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for b := p[:n]; ; {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			break
		}
		b[i] = '\n'
		b = b[i+1:]
	}
	return n, err
}

// detectCSV settles encoding, delimiter, header, mapping and timestamp
// layouts from the first chunk, and returns the chunk's data rows.
func detectCSV(first chunk, in *Input, opt Options) (*csvParser, chunk, error) {
	raw := first.data
	p := &csvParser{file: in.File}
	p.setMissing(opt.Missing)
	switch strings.ToLower(opt.Encoding) {
	case "", "auto":
		if ev := weighUTF8(raw); ev.bad > 0 {
			p.latin1 = ev.bad >= ev.good
			in.Notes = append(in.Notes, ev.note(p.latin1))
		}
	case "utf-8", "utf8":
	case "latin1", "latin-1", "iso-8859-1", "windows-1252", "cp1252":
		p.latin1 = true
	default:
		return nil, chunk{}, fmt.Errorf("--encoding %q: unknown; use utf-8, latin1 or windows-1252", opt.Encoding)
	}
	// Rows of the sample that are not UTF-8 are rejects, and no examples.
	badRows := !p.latin1 && !utf8.Valid(raw)
	text := raw
	if p.latin1 {
		in.Encoding = "windows-1252 (latin-1)"
		text = decodeLatin1(raw)
	}
	if opt.Delimiter != 0 {
		if opt.Delimiter > 127 {
			return nil, chunk{}, fmt.Errorf("--delimiter %q: must be a single ASCII character", opt.Delimiter)
		}
		p.delim = byte(opt.Delimiter)
	} else {
		p.delim = sniffDelimiter(text)
	}
	in.Delimiter = map[byte]string{',': ",", ';': ";", '\t': "tab", '|': "|"}[p.delim]
	if in.Delimiter == "" {
		in.Delimiter = string(p.delim)
	}

	// The header's extent in the raw bytes: quoting and newlines are ASCII,
	// so it is the same in Latin-1 and in UTF-8.
	hr := recordReader{data: raw, line: first.line, delim: p.delim}
	hr.next()
	if hr.pos > maxHeader+1 {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: 1, Err: errLongHeader}
	}
	rest := chunk{seq: first.seq, data: raw[min(hr.pos, len(raw)):], line: hr.line}

	rr := recordReader{data: text, line: 1, delim: p.delim}
	fields, _, _, err, ok := rr.next()
	if !ok || fields == nil {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: 1, Err: errors.New("the first line is empty; expected a header row naming the columns")}
	}
	if errors.Is(err, errTooWide) {
		err = fmt.Errorf("the header has more than %d columns, the most caseflow reads; check the delimiter (--delimiter), or keep only the columns you need", maxColumns)
	}
	if err != nil {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: 1, Err: err}
	}
	p.header = headerNames(fields, in)
	if len(p.header) < 3 {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf(
			"the header has %d column(s) with delimiter %q, but an event log needs a case id, an activity and a time; pass --delimiter if it is another character", len(p.header), in.Delimiter)}
	}

	samples := make([][]string, len(p.header))
	n := 0
	for n < sampleRows {
		fields, _, _, err, ok := rr.next()
		if !ok {
			break
		}
		if fields == nil || err != nil || len(fields) != len(p.header) || badRows && slices.ContainsFunc(fields, func(f []byte) bool { return !utf8.Valid(f) }) {
			continue
		}
		n++
		for i, f := range fields {
			if !p.isMissing(f) && len(samples[i]) < sampleRows {
				samples[i] = append(samples[i], string(f))
			}
		}
	}

	// isTime caches whether a column's samples read as timestamps.
	timeLike := map[int]bool{}
	isTime := func(col int) bool {
		if v, ok := timeLike[col]; ok {
			return v
		}
		l, err := p.detectTime(samples[col], opt)
		// An ambiguous or inconsistent layout is still a time column: the
		// error is worth showing for it, not hiding by picking another. A
		// time of day alone is not: it can only complete a date column.
		timeLike[col] = (err == nil && !l.TimeOfDay()) || errors.Is(err, timefmt.ErrAmbiguous) || errors.Is(err, timefmt.ErrInconsistent)
		return timeLike[col]
	}
	p.m, err = p.mapSample(text, in, opt, isTime)
	if err != nil {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: 1, Err: err}
	}
	if n == 0 {
		// Nothing to parse: keep the mapping, and say why the log is empty.
		in.Warnings = append(in.Warnings, "the file has a header but no rows")
	} else if p.layout, err = p.detectTime(samples[p.m.time], opt); err != nil {
		return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: int64(p.m.time + 1),
			Err: fmt.Errorf("time column %q: %w", p.header[p.m.time], err)}
	}
	if n > 0 && p.m.clock < 0 && opt.TimeFormat == "" && p.layout.DateOnly() {
		p.m.clock = p.m.pickClock(p.header, func(col int) bool {
			l, err := timefmt.Detect(samples[col], opt.Location)
			return err == nil && l.TimeOfDay()
		})
	}
	in.TimeLayout = p.layout.String()
	if p.m.clock >= 0 && n > 0 {
		clock, err := timefmt.Detect(samples[p.m.clock], opt.Location)
		if err == nil {
			p.split, err = timefmt.Combine(p.layout, clock)
		}
		if err != nil {
			return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: int64(p.m.clock + 1),
				Err: fmt.Errorf("time-of-day column %q: %w", p.header[p.m.clock], err)}
		}
		in.TimeLayout = p.split.String()
	}
	in.Zone = "offset in each value"
	if !p.layout.Zoned() {
		in.Zone = opt.Location.String()
	}
	if p.m.start >= 0 && n > 0 {
		if p.start, err = p.detectTime(samples[p.m.start], opt); err != nil {
			return nil, chunk{}, &ParseError{File: in.File, Line: 1, Column: int64(p.m.start + 1),
				Err: fmt.Errorf("start time column %q: %w", p.header[p.m.start], err)}
		}
	}
	for i, h := range p.header {
		role := p.m.roleOf(i)
		col := Column{Name: h, Role: role, Examples: examples(samples[i])}
		if role != "" {
			for _, c := range p.m.candidates[role] {
				col.Candidates = append(col.Candidates, p.header[c])
			}
		}
		// The parts of a joined activity stay columns too, as in XES, so a
		// converted log keeps them.
		if role == "" || (role == eventlog.Activity && len(p.m.acts) > 1) {
			p.attrCols = append(p.attrCols, i)
			p.attrNames = append(p.attrNames, h)
		}
		in.Columns = append(in.Columns, col)
	}
	return p, rest, nil
}

func (p *csvParser) detectTime(samples []string, opt Options) (timefmt.Layout, error) {
	if opt.TimeFormat != "" {
		return timefmt.Force(opt.TimeFormat, opt.Location)
	}
	if len(samples) == 0 {
		return timefmt.Layout{}, errors.New("no values to detect the timestamp layout from; pass --time-format")
	}
	return timefmt.Detect(samples, opt.Location)
}

// headerNames cleans the header: blank names become "column N" and repeated
// names get " (2)", " (3)"… so every column stays addressable.
func headerNames(fields [][]byte, in *Input) []string {
	names := make([]string, len(fields))
	seen := map[string]int{}
	for i, f := range fields {
		n := strings.TrimSpace(strings.ToValidUTF8(string(f), "\uFFFD"))
		if n == "" {
			n = fmt.Sprintf("column %d", i+1)
		}
		if k := seen[n]; k > 0 {
			in.Warnings = append(in.Warnings, fmt.Sprintf("column %d repeats the name %q; it is called %q here", i+1, n, fmt.Sprintf("%s (%d)", n, k+1)))
			seen[n] = k + 1
			n = fmt.Sprintf("%s (%d)", n, k+1)
		}
		seen[n]++
		names[i] = n
	}
	return names
}

func examples(vals []string) []string {
	var out []string
	for _, v := range vals {
		if len(out) == 3 {
			break
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// sniffDelimiter picks, among , ; tab and |, the one that splits the first
// lines into the most columns consistently: the share of rows with the
// header's field count first, then the field count.
func sniffDelimiter(text []byte) byte {
	best, bestShare, bestN := byte(','), -1.0, 0
	for _, d := range []byte{',', ';', '\t', '|'} {
		rr := recordReader{data: text, line: 1, delim: d}
		hdr, _, _, _, ok := rr.next()
		if !ok || len(hdr) < 2 {
			continue
		}
		n := len(hdr)
		same, total := 0, 0
		for total < 200 {
			f, _, _, _, ok := rr.next()
			if !ok {
				break
			}
			if f == nil {
				continue
			}
			total++
			if len(f) == n {
				same++
			}
		}
		share := 1.0
		if total > 0 {
			share = float64(same) / float64(total)
		}
		if share > bestShare || (share == bestShare && n > bestN) {
			best, bestShare, bestN = d, share, n
		}
	}
	return best
}

// utf8Evidence is what a sample says about its encoding: valid multi-byte
// UTF-8 characters are evidence for UTF-8 (Windows-1252 text forms them
// only by chance, as "Ã©"), bytes that are not UTF-8 evidence against.
type utf8Evidence struct {
	good, bad int
	line      int // of the first bad byte
}

func weighUTF8(b []byte) utf8Evidence {
	var ev utf8Evidence
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if ev.bad == 0 {
				ev.line = 1 + bytes.Count(b[:i], []byte{'\n'})
			}
			ev.bad++
		} else {
			ev.good++
		}
		i += n
	}
	return ev
}

// note says what was decided on the evidence, and why.
func (ev utf8Evidence) note(latin1 bool) string {
	what, then := "UTF-8", "rows with bytes that are not UTF-8 are rejected; pass --encoding latin1 if the file is Windows-1252 or Latin-1"
	if latin1 {
		what, then = "Windows-1252", "every byte is a character of Windows-1252 (Latin-1); pass --encoding utf-8 if the file is UTF-8, to reject the bad rows instead"
	}
	return fmt.Sprintf("read as %s: the first rows hold %d multi-byte UTF-8 character(s) and %d byte(s) that are not UTF-8 (first at line %d); %s",
		what, ev.good, ev.bad, ev.line, then)
}

func decodeLatin1(b []byte) []byte {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		// Windows-1252 maps every byte, so this does not happen; keep the
		// bytes rather than lose a chunk.
		return b
	}
	return out
}

// setMissing sets the cell values read as missing.
func (p *csvParser) setMissing(tokens []string) {
	p.missing, p.missLens = tokens, 0
	for _, m := range tokens {
		p.missLens |= 1 << min(len(m), 63)
	}
}

// isMissing reports whether f is a missing token. Almost no cell is, and
// a length no token has rules a cell out without comparing (lengths from
// 63 on share a bit).
func (p *csvParser) isMissing(f []byte) bool {
	if p.missLens&(1<<min(len(f), 63)) == 0 {
		return false
	}
	for _, m := range p.missing {
		if string(f) == m {
			return true
		}
	}
	return false
}
