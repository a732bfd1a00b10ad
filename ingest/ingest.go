package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// Mapping names the input columns that play each role. A nil field means
// "detect it". Several names for Activity are joined with "+" (as pm4py's
// default classifier does), so "Status,Sub Status" gives "Queued+Awaiting".
type Mapping struct {
	Case, Activity, Time, StartTime, Department, Resource, Channel []string

	// adapt, when set, revises the mapping once a file's header is known:
	// a field-change history maps its field column as the activity.
	adapt func(header []string, mp Mapping) (Mapping, error)
}

// named reports whether any role is named.
func (m Mapping) named() bool {
	return len(m.Case)+len(m.Activity)+len(m.Time)+len(m.StartTime)+len(m.Department)+len(m.Resource)+len(m.Channel) > 0
}

// Options control reading. The zero value reads with detection everywhere,
// UTC for zone-less times, the default missing-value tokens, on all cores.
type Options struct {
	Mapping    Mapping
	TimeFormat string         // forces the timestamp layout; see timefmt.Force
	Location   *time.Location // zone of zone-less timestamps; nil is UTC
	Encoding   string         // "", "auto", "utf-8", "latin1" or "windows-1252"
	Delimiter  rune           // 0 detects among , ; tab |
	Missing    []string       // nil gives DefaultMissing, and DefaultPlaceholders in role columns
	Workers    int            // 0 is GOMAXPROCS
	// Shape is what a row of a delimited file is (see Shapes); "" detects
	// it from the header, with ShapeEvents when nothing else fits.
	Shape string
	Audit Audit  // the columns and fields of a field-change history (ShapeAudit)
	Sheet string // the worksheet of an .xlsx file; "" is the first
	Mem   memory.Allocator
	// Memory holds the log's columns and dictionaries, which grow with the
	// events, in files instead of the heap (the out-of-core route); nil
	// keeps them on the heap. The log read does not depend on it.
	Memory *spill.Memory
	Stdin  io.Reader // read for the path "-"; nil is os.Stdin
	// Open opens the other paths; nil is os.Open. The command uses it to
	// serve its embedded sample log, tests to serve files from memory.
	Open func(path string) (io.ReadCloser, error)
	// CallAgent is the department of a call record's service stage;
	// "" is eventlog.CallAgentDepartment (ShapeCalls, calls.go).
	// CallAgentColumn names a column whose value, when not empty, is
	// that department instead (the team or skill group that answered).
	CallAgent, CallAgentColumn string

	chunkSize int // bytes per parse task; 0 is the default, tests make it tiny
	// placeholders says Missing was nil, so DefaultPlaceholders apply too.
	placeholders bool
}

// Input shapes: what one row of a delimited file is.
const (
	ShapeEvents = "events" // one row per event
	ShapeCalls  = "calls"  // one row per call, a column per stage time (calls.go)
	ShapeAudit  = "audit"  // one row per change of a case's field (audit.go)
)

// Shapes are the values Options.Shape takes besides "".
var Shapes = []string{ShapeEvents, ShapeCalls, ShapeAudit}

// CheckShape says what is wrong with a --shape value: the one place the
// flag is validated, so each new shape is added here.
func CheckShape(s string) error {
	if s == "" || slices.Contains(Shapes, s) {
		return nil
	}
	return fmt.Errorf("unknown shape %q: use %s", s, strings.Join(Shapes, " or "))
}

// DefaultMissing are the cell values read as missing unless Options.Missing
// says otherwise.
var DefaultMissing = []string{"", "?", "NULL", "NA", "N/A", "-"}

// Reject is an input row that is not in the log, and why.
type Reject struct {
	File   string
	Line   int64 // 1-based line where the row starts
	Column int   // 1-based CSV column the problem is in, or XES byte column of the <event> tag
	Reason string
	Raw    string // the row as read, cut to MaxRawLen bytes
}

// MaxRawLen bounds Reject.Raw, so a 10 MB broken line does not become a 10 MB
// rejects report.
const MaxRawLen = 200

func (r Reject) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", r.File, r.Line, r.Column, r.Reason)
}

// ParseError is an error at a position in an input file.
type ParseError struct {
	File         string
	Line, Column int64
	Err          error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Column describes one input column for `caseflow inspect`.
type Column struct {
	Name     string
	Role     string   // eventlog role name, or "" for an attribute
	Examples []string // up to three distinct sample values
	// Candidates lists the other columns that could have played this role
	// (set on role columns only).
	Candidates []string
	// TimeVaries is, for a column whose values read as timestamps, the
	// share of the sampled cases with two or more values in it whose
	// values are not all equal; nil when unknown (not a CSV timestamp
	// column, or no such case in the first rows). A time column that does
	// not vary gives every case a lead time of 0.
	TimeVaries *float64 `json:",omitempty"`
}

// Unfilled is a role no column plays, with the columns that could.
type Unfilled struct {
	Role, Flag string
	Candidates []string
}

// Placeholder counts the events whose value in a role column was a
// placeholder or missing-value token (such as EMPTY), read as missing.
type Placeholder struct {
	Column, Value string
	Events        int64
}

// Input describes how one file was read.
type Input struct {
	File   string
	Format string // "csv", "xes", "parquet", "arrow", "arrow-stream" or "xlsx"
	// Shape is ShapeCalls for call records, ShapeAudit for a
	// field-change history, else "" (one row per event).
	Shape string `json:",omitempty"`
	// HistoryGaps counts, in a field-change history, the changes whose
	// old value is not the field's previous new value in the case.
	HistoryGaps int64  `json:",omitempty"`
	Size        int64  // bytes of the file as stored, 0 when unknown (standard input)
	Compression string // "none", "gzip", "zstd" or "zip" (an .xlsx file)
	Encoding    string
	Delimiter   string
	TimeLayout  string
	Zone        string
	Columns     []Column
	Rows        int64
	Rejected    int64
	// Excluded counts the rows deliberately left out, by reason (call
	// records only): Rows = calls + Rejected + the Excluded rows.
	Excluded []Exclusion `json:",omitempty"`
	Warnings []string
	// Notes say how the file was read where that changes what the
	// figures mean; `caseflow analyze` shows them too.
	Notes []string
	// Unfilled lists the roles no column plays (CSV and tables).
	Unfilled []Unfilled
	// Placeholders counts the role values read as missing, most first.
	Placeholders []Placeholder
	// Offsets are the distinct UTC offsets (seconds east) the time values
	// carried, ascending; nil when they carry none.
	Offsets []int
	// Resolution is the step of the timestamps: 24h when every time is a
	// midnight, time.Minute or time.Second when none has a finer part,
	// else the finest decimal fraction of a second seen; 0 for no events.
	Resolution time.Duration
	// held names the files whose events a caseflow log read back carries
	// (their names when they were first read) where they differ from
	// File: timeNotes finds the input's events by them.
	held []string
}

// Result is the outcome of Read.
type Result struct {
	Log      *eventlog.Log
	Inputs   []Input
	Rows     int64 // data rows (or XES events) read
	Rejected int64
	Rejects  []Reject // sorted by file, line, column
	// Sources counts, per source, what Join linked; nil when not joined.
	Sources []SourceCount
}

// Release releases the log.
func (r *Result) Release() {
	if r.Log != nil {
		r.Log.Release()
	}
}

// Read reads the files (CSV or XES, optionally gzip or zstd compressed; "-"
// is standard input) into one event log. Bad rows do not stop it: they are
// returned in Result.Rejects. Errors are for what cannot be read at all: a
// missing file, an undetectable column, a truncated archive.
func Read(paths []string, opt Options) (*Result, error) {
	if err := CheckShape(opt.Shape); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	var au *auditRead
	opt.Mapping, au = opt.auditMapping()
	b := eventlog.NewBuilderIn(opt.Memory)
	res := &Result{}
	for _, p := range paths {
		in, err := readFile(p, opt, b, res)
		if err != nil {
			return nil, err
		}
		res.Inputs = append(res.Inputs, in)
	}
	sort.SliceStable(res.Rejects, func(i, j int) bool {
		a, c := res.Rejects[i], res.Rejects[j]
		if a.File != c.File {
			return a.File < c.File
		}
		if a.Line != c.Line {
			return a.Line < c.Line
		}
		return a.Column < c.Column
	})
	log, err := b.Finish(opt.Mem)
	if err != nil {
		return nil, err
	}
	res.Log = log
	if err := au.finish(res, opt); err != nil {
		res.Release()
		return nil, err
	}
	timeNotes(res, opt.Location)
	return res, nil
}

// timeNotes sets each input's timestamp resolution and notes what it, and
// a time column that never changes within a case, mean for the figures.
func timeNotes(res *Result, loc *time.Location) {
	l := res.Log
	files := fileCodes(l)
	defer files.Free()
	ts := l.Times()
	for k := range res.Inputs {
		in := &res.Inputs[k]
		var codes []int32
		for _, name := range append([]string{in.File}, in.held...) {
			if f := slices.Index(files.Names, name); f >= 0 {
				codes = append(codes, int32(f))
			}
		}
		if len(codes) == 0 {
			continue
		}
		inFile := func(i int) bool { return files.Index == nil || slices.Contains(codes, files.Index[i]) }
		zone := loc
		if len(in.Offsets) == 1 {
			zone = time.FixedZone("", in.Offsets[0])
		}
		in.Resolution = resolution(ts, inFile, zone)
		if n := resolutionNote(in.Resolution); n != "" {
			in.Notes = append(in.Notes, n)
		}
		if n := constantTimeNote(l, ts, inFile, in); n != "" {
			in.Notes = append(in.Notes, n)
		}
		stepCandidates(l, inFile, in)
	}
}

// fileCodes returns the log's file column, with a nil Index when the log
// has one file, as most have: every event is then in it, and its column of
// a byte an event is not widened into a copy of four.
func fileCodes(l *eventlog.Log) eventlog.Codes {
	if d, ok := l.Column(eventlog.File).(*array.Dictionary); ok && d.Dictionary().Len() == 1 && d.NullN() == 0 {
		return eventlog.Codes{Names: []string{d.Dictionary().(*array.String).Value(0)}}
	}
	return l.Codes(eventlog.File)
}

// stepCandidates puts first, among the candidates for a missing
// department, the file's text attribute columns whose values look like
// steps (as stepColumns judges the sample): 2 to maxStepValues values,
// changing within some cases. Those whose names also fit come first, then
// most changes, then fewest values.
func stepCandidates(l *eventlog.Log, inFile func(i int) bool, in *Input) {
	u := slices.IndexFunc(in.Unfilled, func(u Unfilled) bool { return u.Role == eventlog.Department })
	if u < 0 {
		return
	}
	type cand struct {
		name     string
		named    bool
		changes  float64
		distinct int
	}
	var cs []cand
	off := l.Offsets()
	for _, fld := range l.Record().Schema().Fields() {
		if _, ok := l.Column(fld.Name).(*array.Dictionary); !ok || fld.Name == eventlog.File || fld.HasMetadata() {
			continue // role columns carry their source in metadata
		}
		codes := l.Codes(fld.Name)
		seen := make([]bool, len(codes.Names))
		distinct := 0
		var ch changes
		for k := range l.Cases() {
			if !inFile(off[k]) {
				continue
			}
			vals := codes.Index[off[k]:off[k+1]]
			for _, c := range vals {
				if c >= 0 && !seen[c] {
					seen[c] = true
					distinct++
				}
			}
			tallyCase(&ch, vals, -1)
		}
		codes.Free()
		if distinct >= 2 && distinct <= maxStepValues && ch.changed > 0 {
			cs = append(cs, cand{fld.Name, slices.Contains(in.Unfilled[u].Candidates, fld.Name), ch.share(), distinct})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		return cmp.Or(compareBool(b.named, a.named), cmp.Compare(b.changes, a.changes), cmp.Compare(a.distinct, b.distinct))
	})
	var names []string
	for _, c := range cs {
		names = append(names, c.name)
	}
	for _, n := range in.Unfilled[u].Candidates {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	in.Unfilled[u].Candidates = names
}

// resolution is the step of the times of the events in the file: the
// finest decimal fraction of a second any has, else a second when any has
// seconds, a minute when any is not a midnight in zone, else a day.
func resolution(ts []int64, in func(i int) bool, zone *time.Location) time.Duration {
	step, any := int64(1e6), false // microseconds
	for i, t := range ts {
		if !in(i) {
			continue
		}
		any = true
		for r := mod(t, 1e6); step > 1 && r%step != 0; {
			step /= 10
		}
	}
	switch {
	case !any:
		return 0
	case step < 1e6:
		return time.Duration(step) * time.Microsecond
	}
	for i, t := range ts {
		if in(i) && mod(t, 60e6) != 0 {
			return time.Second
		}
	}
	for i, t := range ts {
		if !in(i) {
			continue
		}
		if h, m, _ := time.UnixMicro(t).In(zone).Clock(); h != 0 || m != 0 {
			return time.Minute
		}
	}
	return 24 * time.Hour
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func mod(a, m int64) int64 { return (a%m + m) % m }

// resolutionNote says what timestamps coarser than a second mean.
func resolutionNote(r time.Duration) string {
	var unit string
	switch r {
	case 24 * time.Hour:
		unit = "day"
	case time.Minute:
		unit = "minute"
	default:
		return ""
	}
	return fmt.Sprintf("the timestamps are whole %ss: a duration under a %s shows as 0, and events of a case in the same %s keep their order in the file", unit, unit, unit)
}

// constantTimeNote warns when most cases with two or more events (of the
// file whose events inFile accepts) have a lead time of 0: the time column
// then likely holds a case date (opened, created) rather than each event's
// time.
func constantTimeNote(l *eventlog.Log, ts []int64, inFile func(i int) bool, in *Input) string {
	off := l.Offsets()
	multi, zero := 0, 0
	for k := range l.Cases() {
		a, b := off[k], off[k+1]
		if b-a < 2 || !inFile(a) {
			continue
		}
		multi++
		if ts[b-1] == ts[a] {
			zero++
		}
	}
	if multi == 0 || 2*zero <= multi {
		return ""
	}
	var timeCol string
	var vary []string
	for _, c := range in.Columns {
		switch {
		case c.Role == eventlog.Time && timeCol == "":
			timeCol = c.Name
		case c.Role != eventlog.Time && c.TimeVaries != nil && *c.TimeVaries > 0:
			vary = append(vary, fmt.Sprintf("%q (changes in %.0f %% of cases)", c.Name, 100**c.TimeVaries))
		}
	}
	s := fmt.Sprintf("%d of %d cases with two or more events (%.0f %%) have a lead time of 0: the time column %q hardly changes within a case, so it may be a case date (opened, created) rather than each event's time; ",
		zero, multi, 100*float64(zero)/float64(multi), timeCol)
	if len(vary) == 0 {
		return s + "no other column's times change within cases"
	}
	return s + "columns whose times do: " + strings.Join(vary, ", ") + "; name one with --time"
}

func (o Options) withDefaults() Options {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Missing == nil {
		o.Missing, o.placeholders = DefaultMissing, true
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Open == nil {
		o.Open = func(p string) (io.ReadCloser, error) { return os.Open(p) }
	}
	return o
}

func readFile(path string, opt Options, b *eventlog.Builder, res *Result) (Input, error) {
	in := Input{File: path, Compression: "none"}
	var f io.Reader
	if path == "-" {
		in.File = "<stdin>"
		f = opt.Stdin
	} else {
		fh, err := opt.Open(path)
		if err != nil {
			return in, fmt.Errorf("%w; check the path", err)
		}
		defer fh.Close()
		f = fh
		if st, ok := fh.(interface{ Stat() (os.FileInfo, error) }); ok {
			if fi, err := st.Stat(); err == nil {
				in.Size = fi.Size()
			}
		}
	}
	br := bufio.NewReaderSize(f, 1<<16)
	magic, _ := br.Peek(4)
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		in.Compression = "gzip"
		zr, err := gzip.NewReader(br)
		if err != nil {
			return in, fmt.Errorf("%s: not a readable gzip file (%v); check the download", in.File, err)
		}
		defer zr.Close()
		r = zr
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		in.Compression = "zstd"
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return in, fmt.Errorf("%s: not a readable zstd file (%v); check the download", in.File, err)
		}
		defer zr.Close()
		r = zr
	}
	b.SetFile(in.File)
	rd := bufio.NewReaderSize(r, 1<<16)
	head, _ := rd.Peek(512)
	var err error
	switch {
	case bytes.HasPrefix(head, zipMagic):
		in.Format = formatXLSX
		err = readXLSX(rd, &in, opt, b, res)
	case bytes.HasPrefix(head, parquetMagic):
		in.Format = formatParquet
		err = readParquet(f, rd, &in, opt, b, res)
	case bytes.HasPrefix(head, ipcFileMagic):
		in.Format = formatIPCFile
		err = readIPC(f, rd, &in, opt, b, res)
	case bytes.HasPrefix(head, ipcStreamMagic):
		in.Format = formatIPCStream
		err = readIPC(f, rd, &in, opt, b, res)
	case looksXML(head):
		in.Format = "xes"
		err = readXES(rd, &in, opt, b, res)
	default:
		in.Format = "csv"
		if callShaped(rd, opt) {
			err = readCalls(rd, &in, opt, b, res)
		} else {
			err = readCSV(rd, &in, opt, b, res)
		}
	}
	return in, err
}

// callShaped says whether a delimited file is read as call records: when
// Options.Shape says so, or, with no shape and no column named for a
// role, when its header names every call-record column.
func callShaped(rd *bufio.Reader, opt Options) bool {
	switch opt.Shape {
	case ShapeCalls:
		return true
	case "":
		if opt.Mapping.named() {
			return false
		}
		head, _ := rd.Peek(4096)
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			return isCallHeader(bytes.TrimPrefix(head[:i], bom))
		}
	}
	return false
}

// looksXML reports whether a file starts like an XML document (after an
// optional byte-order mark and white space): a declaration, a comment, a
// DOCTYPE or the <log> element. No CSV header starts with '<'.
func looksXML(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	for _, p := range []string{"<?xml", "<log", "<!--", "<!DOCTYPE"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}

// truncateError turns the errors of a cut-off compressed stream into advice.
func truncateError(in *Input, line int64, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) && in.Compression != "none" {
		return &ParseError{File: in.File, Line: line, Column: 1,
			Err: fmt.Errorf("the %s data ends early (a truncated or interrupted download?); fetch the file again", in.Compression)}
	}
	return fmt.Errorf("%s: reading after line %d: %w", in.File, line, err)
}

func rawText(b []byte) string {
	if len(b) > MaxRawLen {
		return strings.ToValidUTF8(string(b[:MaxRawLen]), "\uFFFD") + "…"
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
