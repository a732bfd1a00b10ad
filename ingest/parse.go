package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
)

// run parses the data rows: the splitter cuts chunks, opt.Workers parse
// them in parallel, and the results are merged in input order so the log is
// the same for any number of workers.
func (p *csvParser) run(first chunk, sp *splitter, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	type job struct {
		c   chunk
		out chan *parsed
	}
	jobs := make(chan job, opt.Workers)
	pending := make(chan chan *parsed, 2*opt.Workers)
	// Merged builders come back for the next chunks, so their columns and
	// maps are allocated once per worker rather than once per chunk.
	spare := make(chan *eventlog.Builder, 3*opt.Workers+1)
	var readErr error
	var lastLine int64
	go func() {
		defer close(jobs)
		defer close(pending)
		c := first
		for {
			out := make(chan *parsed, 1)
			pending <- out
			jobs <- job{c, out}
			var err error
			c, err = sp.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr, lastLine = err, sp.line
				return
			}
		}
	}()
	for range opt.Workers {
		go func() {
			for j := range jobs {
				var b *eventlog.Builder
				select {
				case b = <-spare:
				default:
					b = eventlog.NewBuilder()
				}
				out := p.parse(j.c, b)
				sp.recycle(j.c)
				j.out <- out
			}
		}()
	}
	var mergeErr error
	for out := range pending {
		r := <-out
		if mergeErr == nil {
			mergeErr = b.Merge(r.b)
		}
		r.b.Reset()
		select {
		case spare <- r.b:
		default:
		}
		in.Rows += r.rows
		in.Rejected += int64(len(r.rejects))
		res.Rejects = append(res.Rejects, r.rejects...)
	}
	res.Rows += in.Rows
	res.Rejected += in.Rejected
	p.describe(in)
	if readErr != nil {
		return truncateError(in, lastLine, readErr)
	}
	return mergeErr
}

// parse turns one chunk into events and rejects, filling the empty builder b.
func (p *csvParser) parse(c chunk, b *eventlog.Builder) *parsed {
	out := &parsed{b: b}
	b.SetFile(p.file)
	for role, col := range map[string]int{eventlog.Case: p.m.cases, eventlog.Time: p.m.time, eventlog.StartTime: p.m.start,
		eventlog.Department: p.m.dept, eventlog.Resource: p.m.res, eventlog.Channel: p.m.chn} {
		if col >= 0 {
			b.SetSource(role, p.header[col])
		}
	}
	var acts []string
	for _, a := range p.m.acts {
		acts = append(acts, p.header[a])
	}
	b.SetSource(eventlog.Activity, strings.Join(acts, ","))
	attrs := make([]int, len(p.attrCols))
	for k, name := range p.attrNames {
		attrs[k], _ = b.Attr(name, eventlog.String) // fresh builder: cannot clash
	}

	data := c.data
	if p.latin1 {
		data = decodeLatin1(data)
	}
	checkUTF8 := !p.latin1 && !utf8.Valid(data)
	checkNUL := bytes.IndexByte(data, 0) >= 0
	rr := recordReader{data: data, line: c.line, delim: p.delim}
	var act, key []byte
	var ev eventlog.Event
	var tl chunkTally
	defer p.m.tally.add(&tl)
	actTally := &tl
	if p.m.deptSteps {
		actTally = nil // the department's own count has them
	}
	// Offsets are looked at in the first rows of each chunk (all of a
	// small file): enough to see every zone in use, at little cost.
	offsetRows := 0
	if p.m.clock < 0 && p.layout.Zoned() {
		offsetRows = sampleRows
	}
	reject := func(line int64, col int, raw []byte, format string, args ...any) {
		out.rejects = append(out.rejects, Reject{File: p.file, Line: line, Column: col, Reason: fmt.Sprintf(format, args...), Raw: rawText(raw)})
	}
rows:
	for {
		fields, raw, line, err, ok := rr.next()
		if !ok {
			break
		}
		if fields == nil {
			continue // blank line: not a row
		}
		out.rows++
		if nl := bytes.IndexByte(raw, '\n'); nl >= 0 {
			if n := p.swallowed(raw, errors.Is(err, errUnterminated)); n > 0 {
				col := max(slices.IndexFunc(fields, func(f []byte) bool { return bytes.IndexByte(f, '\n') >= 0 }), 0)
				name := fmt.Sprintf("column %d", col+1)
				if col < len(p.header) {
					name = fmt.Sprintf("column %q", p.header[col])
				}
				reject(line, col+1, trimCR(raw[:nl]), "%s: its quote opens a field that runs to line %d and holds %d line(s) that read as rows of this file; "+
					"the quote is probably stray, so this line is rejected and reading goes on at the next: remove the quote or double it (\"\")",
					name, line+int64(bytes.Count(raw, []byte{'\n'})), n)
				rr.resume(line)
				continue
			}
		}
		if err != nil {
			reject(line, rr.errCol, raw, "%v", err)
			continue
		}
		if len(fields) != len(p.header) {
			reject(line, min(len(fields), len(p.header))+1, raw,
				"the row has %d fields but the header has %d; check for an unquoted delimiter or a missing quote", len(fields), len(p.header))
			continue
		}
		for i, f := range fields {
			if checkNUL && bytes.IndexByte(f, 0) >= 0 {
				reject(line, i+1, raw, "column %q contains a NUL byte: binary data in a text export; re-export the file", p.header[i])
				continue rows
			}
			if checkUTF8 && !utf8.Valid(f) {
				reject(line, i+1, raw, "column %q is not valid UTF-8; if the file is Latin-1 or Windows-1252, pass --encoding latin1", p.header[i])
				continue rows
			}
		}
		ev = eventlog.Event{Row: line, Start: eventlog.NoTime}
		if ev.Case = fields[p.m.cases]; p.isMissing(ev.Case) {
			reject(line, p.m.cases+1, raw, "the case id (column %q) is empty", p.header[p.m.cases])
			continue
		}
		if p.m.keys != nil {
			key = key[:0]
			for k, c := range p.m.keys {
				f := fields[c]
				switch {
				case p.isMissing(f):
					reject(line, c+1, raw, "the case id (column %q) is empty", p.header[c])
					continue rows
				case bytes.Contains(f, []byte(keySep)):
					reject(line, c+1, raw, "the case id column %q %v; give --case one column", p.header[c], errKeySep)
					continue rows
				case k > 0:
					key = append(key, keySep...)
				}
				key = append(key, f...)
			}
			ev.Case = key
		}
		act = act[:0]
		for _, a := range p.m.acts {
			if f := p.role(fields, a, actTally); f != nil {
				if len(act) > 0 {
					act = append(act, '+')
				}
				act = append(act, f...)
			}
		}
		if len(act) == 0 {
			reject(line, p.m.acts[0]+1, raw, "the activity (column %s) is empty", joinNames(acts))
			continue
		}
		ev.Activity = act
		f := fields[p.m.time]
		if p.isMissing(f) {
			reject(line, p.m.time+1, raw, "the time (column %q) is empty", p.header[p.m.time])
			continue
		}
		if offsetRows > 0 {
			offsetRows--
			if off, ok := p.layout.Offset(f); ok {
				tl.offset(off)
			}
		}
		if ev.Time, err = p.parseTime(fields, &tl); err != nil {
			if errors.Is(err, timefmt.ErrPlaceholder) {
				tl.count(p.m.time, f)
			}
			col := p.m.time
			var te *timefmt.Error
			if p.m.clock >= 0 && (p.isMissing(fields[p.m.clock]) || errors.As(err, &te) && te.Layout == p.split.Clock) {
				col = p.m.clock
			}
			reject(line, col+1, raw, "time column %q: %v", p.header[col], err)
			continue
		}
		if p.m.start >= 0 {
			if f := fields[p.m.start]; !p.isMissing(f) {
				ev.Start, err = p.parseStart(f, &tl)
				if errors.Is(err, timefmt.ErrPlaceholder) {
					ev.Start = eventlog.NoTime
					tl.count(p.m.start, f)
				} else if err != nil {
					reject(line, p.m.start+1, raw, "start time column %q: %v", p.header[p.m.start], err)
					continue
				}
			}
		}
		ev.Department = p.role(fields, p.m.dept, &tl)
		ev.Resource = p.role(fields, p.m.res, &tl)
		ev.Channel = p.role(fields, p.m.chn, &tl)
		b.Add(&ev)
		for k, col := range p.attrCols {
			if v := p.value(fields, col); v != nil {
				b.SetString(attrs[k], v)
			}
		}
	}
	return out
}

// swallowed counts the whole lines inside the multi-line record raw that
// read as rows of the file: the header's number of fields, and a time that
// reads with the file's layout. A text field spanning lines rarely has
// such a line; a field opened by a stray quote has nothing else. The last
// line is whole when the field runs to the end (toEnd), else it holds the
// closing quote.
func (p *csvParser) swallowed(raw []byte, toEnd bool) int {
	var scratch chunkTally
	fields := make([][]byte, 0, len(p.header))
	n := 0
	rest := raw[bytes.IndexByte(raw, '\n')+1:]
	for len(rest) > 0 {
		l := rest
		nl := bytes.IndexByte(rest, '\n')
		if nl >= 0 {
			l, rest = rest[:nl], rest[nl+1:]
		} else if rest = nil; !toEnd {
			break
		}
		if l = trimCR(l); bytes.Count(l, []byte{p.delim}) != len(p.header)-1 {
			continue
		}
		fields = fields[:0]
		for f := range bytes.SplitSeq(l, []byte{p.delim}) {
			fields = append(fields, f)
		}
		if _, err := p.parseTime(fields, &scratch); err == nil {
			n++
		}
	}
	return n
}

// errNoClock is the reason for a row whose time-of-day cell is missing.
var errNoClock = errors.New("the time of day is missing")

// parseTime reads the event time from its column, or from the date and
// time-of-day columns, counting in t a time skipped when clocks went forward.
func (p *csvParser) parseTime(fields [][]byte, t *chunkTally) (int64, error) {
	var us int64
	var gap bool
	var err error
	switch {
	case p.m.clock < 0:
		us, gap, err = p.layout.ParseGap(fields[p.m.time])
	case p.isMissing(fields[p.m.clock]):
		return 0, errNoClock
	default:
		us, gap, err = p.split.ParseGap(fields[p.m.time], fields[p.m.clock])
	}
	if gap {
		t.gaps++
	}
	return us, err
}

// parseStart reads a start time as parseTime does.
func (p *csvParser) parseStart(f []byte, t *chunkTally) (int64, error) {
	us, gap, err := p.start.ParseGap(f)
	if gap {
		t.gaps++
	}
	return us, err
}

// value is the cell at col, or nil when there is no such column or the
// cell is missing.
func (p *csvParser) value(fields [][]byte, col int) []byte {
	if col < 0 || p.isMissing(fields[col]) {
		return nil
	}
	return fields[col]
}

// role is the cell at col of a role column, or nil when there is no such
// column or the cell is missing or a placeholder, which t counts.
func (p *csvParser) role(fields [][]byte, col int, t *chunkTally) []byte {
	if col < 0 {
		return nil
	}
	f := fields[col]
	if p.isMissing(f) || p.m.tally.placeholder(f) {
		if len(f) > 0 && t != nil {
			t.count(col, f)
		}
		return nil
	}
	return f
}

// describe adds to the file's description what parsing learnt: the
// placeholders, the offsets, and how the timestamp columns vary. A
// placeholder is no example of a role's values.
func (p *csvParser) describe(in *Input) {
	p.m.tally.report(in, p.header)
	timePlaceholders(in, p.header[p.m.time])
	p.m.dropPlaceholderExamples(in.Columns)
	if p.m.prof == nil {
		return
	}
	for _, c := range append(p.m.timeCands, p.m.time) {
		if c < 0 || c >= len(in.Columns) {
			continue
		}
		if ch := p.m.prof[c].changes; ch >= 0 {
			in.Columns[c].TimeVaries = &ch
		}
	}
}

func joinNames(names []string) string {
	var s string
	for i, n := range names {
		if i > 0 {
			s += ","
		}
		s += strconv.Quote(n)
	}
	return s
}
