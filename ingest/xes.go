package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
)

// Limits that keep a broken or hostile file from costing unbounded memory.
const (
	xesMaxDepth   = 64      // element nesting; XES needs 4 plus nested attributes
	xesMaxValue   = 1 << 20 // bytes in one attribute value
	xesMaxTag     = 4 << 20 // bytes in one tag, and the window's largest size
	xesMaxColumns = 4096    // distinct attribute columns, and global defaults
	xesMaxAttrs   = 1 << 16 // attributes of one trace or event
	xesMaxName    = 1024    // bytes in an element name
	xesWindow     = 256 << 10
)

// readXES reads an XES log (IEEE 1849-2016, and the XES 1.0 files OpenXES
// wrote before it) with a scanner for the small XML subset XES uses:
// elements, attributes in single or double quotes, the five predefined
// entities and character references, comments, processing instructions and
// CDATA. (encoding/xml's tokenizer alone runs at about 78 MB/s on the BPIC
// 2013 log; this reader, log building included, several times that: see
// BenchmarkReadXES.)
//
// How the file becomes a log:
//
//   - A <trace> is a case; its concept:name is the case id. Its attributes
//     become columns named "case:" + key (pm4py's convention) on every event
//     of the trace, wherever in the trace they appear. A trace without
//     events gives nothing; traces that repeat an earlier trace's id join
//     its case; an event outside any trace is rejected (all with warnings).
//   - An <event>'s attributes become typed columns: string and id as
//     strings, date as timestamp (xs:dateTime, read by timefmt; zone-less
//     values in Options.Location), int, float, boolean. If a key's type
//     changes (int here, float there), the later type goes to its own
//     column "key (float)", with a warning. Options.Missing does not apply:
//     an XES value is missing when its key is absent; but, unless
//     Options.Missing is given, a placeholder (DefaultPlaceholders) in the
//     department, resource or channel role is missing, as in CSV.
//   - Roles default to concept:name (activity), time:timestamp (time),
//     org:group (department), org:resource (resource), case:channel
//     (channel) and start_timestamp (start time, pm4py's key), each when
//     present; Options.Mapping overrides them by key, trace keys spelled
//     "case:KEY". A key that fills a role is not repeated as an attribute
//     column, except the keys of a several-key activity (such as
//     concept:name,lifecycle:transition, present values joined with "+"),
//     which stay columns so the parts remain available.
//     lifecycle:transition is therefore always a column.
//   - <global> defaults fill keys an event or trace lacks, in attribute
//     columns and in the department, resource and channel roles; never in
//     the case id, activity or times, where a placeholder ("UNKNOWN",
//     1970-01-01) would invent data: such an event is rejected instead.
//   - <classifier>s are listed in Input.Warnings, not applied: pass their
//     keys as the activity mapping to use one.
//   - Attributes nested inside an attribute, and <list> and <container>
//     attributes, are skipped (the parent's own value is kept) and counted
//     in one warning; log-level attributes (metadata) in another.
//   - Event.Row, and a Reject's Line and Column, are the position of the
//     <event> start tag. An event is rejected when it has no case id,
//     activity or time, or when one of its (or its trace's) typed values
//     does not parse; the reason says which.
//
// A DOCTYPE with declarations is refused (entities are never expanded, so
// "billion laughs" fails at once), as are unknown entities; nesting, tag
// and value sizes and the number of columns are bounded; the scanner keeps
// a window of the input, so memory does not grow with the file apart from
// the events kept and one trace. Columns in errors count bytes.
func readXES(r *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	x, err := newXESReader(r, in, opt, b, res)
	if err != nil {
		return err
	}
	return x.run()
}

// etype is an XES element kind; the first six are the typed attributes.
type etype uint8

const (
	eString etype = iota
	eDate
	eInt
	eFloat
	eBool
	eID
	nTyped
	eLog
	eTrace
	eEvent
	eList // list and container
	eGlobal
	eClassifier
	eOther // extension, values and anything unknown
)

var typedKind = [nTyped]eventlog.Kind{eventlog.String, eventlog.Timestamp, eventlog.Int, eventlog.Float, eventlog.Bool, eventlog.String}

var typedName = [nTyped]string{"string", "date", "int", "float", "boolean", "id"}

func xesElement(name []byte) etype {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:] // a namespace prefix, as in <xes:event>
	}
	switch string(name) {
	case "string":
		return eString
	case "date":
		return eDate
	case "int":
		return eInt
	case "float":
		return eFloat
	case "boolean":
		return eBool
	case "id":
		return eID
	case "log":
		return eLog
	case "trace":
		return eTrace
	case "event":
		return eEvent
	case "list", "container":
		return eList
	case "global":
		return eGlobal
	case "classifier":
		return eClassifier
	}
	return eOther
}

// xframe is an open element.
type xframe struct {
	kind    etype // eLog, eTrace, eEvent, a typed attribute kept, or eOther for skipped content
	nameEnd int   // end of its name in xesReader.frameNames
	line    int64
	nested  bool // an attribute whose children were counted
	scope   int  // for eGlobal: scopeTrace or scopeEvent
}

const (
	scopeTrace = iota
	scopeEvent
)

// xname is a flattened attribute name (event key, or "case:" + trace key).
type xname struct {
	name     string
	slots    []int // role slots it fills
	consumed bool  // it fills a one-key role, so it is no attribute column
	attrKind eventlog.Kind
	hasAttr  bool
	examples []string
	seen     int64 // stamp: present on the event being emitted
}

// xkey is an XES key in one scope.
type xkey struct {
	name int32
	cols [nTyped]int32 // column per element type, -1 until seen
}

// xcol is where values of one key and element type go.
type xcol struct {
	name  int32
	etype etype
	attr  int // Builder attribute index, -1 for none
}

// xval is one attribute value of the trace being read. Its text is in
// xesReader.text (or gtext for globals) at [off, off+n).
type xval struct {
	col  int32
	null bool
	// placeholder: a date that means "no date" (timefmt.ErrPlaceholder),
	// null as an attribute, a reject as the event's time.
	placeholder bool
	off, n      int
	num         int64
}

// xrole indexes the role columns; the first four identify an event.
type xrole uint8

const (
	rCase xrole = iota
	rActivity
	rTime
	rStart
	rDept
	rRes
	rChan
	nRoles
)

var roleNames = [nRoles]string{eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.StartTime,
	eventlog.Department, eventlog.Resource, eventlog.Channel}

type xslot struct {
	role     xrole
	key      string
	identity bool // case, activity or time: never filled from a global
}

type xevent struct {
	line, col int64
	lo, hi    int    // its values in xesReader.vals
	bad       string // the first problem, "" if none
}

type xcount struct {
	n    int
	line int64
}

func (c *xcount) add(line int64) {
	if c.n == 0 {
		c.line = line
	}
	c.n++
}

type xesReader struct {
	s      xmlScanner
	in     *Input
	opt    Options
	b      *eventlog.Builder
	res    *Result
	layout timefmt.Layout

	stack      []xframe
	frameNames []byte
	rootDone   bool

	keys    [2]map[string]int32
	xkeys   []xkey
	names   []xname
	nameIdx map[string]int32
	cols    []xcol
	nAttrs  int

	slots     []xslot
	roleSlots [nRoles][]int
	userKeys  map[string]string // key → flag, for keys the user mapped
	// placeholders in the department, resource and channel roles are
	// missing, as in CSV; held counts them by role.
	placeholders *placeholders
	held         chunkTally

	// The trace being read. Events are kept until </trace>, since trace
	// attributes may follow them.
	inTrace   bool
	orphan    bool // an event outside any trace
	traceLine int64
	traceBad  string
	tvals     []int
	tslots    []int
	events    []xevent
	evSlots   []int // len(slots) per event
	vals      []xval
	text      []byte

	globals [2][]xval
	gtext   []byte
	gslots  []int

	stamp     int64
	act, raw  []byte
	zoneless  bool
	firstTime string // describes the layout in Input.TimeLayout

	traceIDs map[string]struct{}

	nested, lists, logAttrs, other, emptyTraces, reused, badGlobals xcount
	// dateHolders counts placeholder dates by attribute name (col is the
	// index in names), for a note; globalHolders counts the events that a
	// global default holding one leaves without a value.
	dateHolders, globalHolders chunkTally
	conflicts, classifiers     []string
	moreClassifiers            int
}

func newXESReader(r io.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) (*xesReader, error) {
	x := &xesReader{in: in, opt: opt, b: b, res: res,
		nameIdx: map[string]int32{}, traceIDs: map[string]struct{}{}, userKeys: map[string]string{}}
	x.keys[scopeTrace] = map[string]int32{}
	x.keys[scopeEvent] = map[string]int32{}
	x.placeholders = placeholdersFor(opt)
	x.s = xmlScanner{r: r, file: in.File, buf: make([]byte, xesWindow), line: 1}
	in.Encoding = "utf-8"
	switch strings.ToLower(opt.Encoding) {
	case "", "auto":
	case "utf-8", "utf8":
		x.s.forced = true
	case "latin1", "latin-1", "iso-8859-1", "windows-1252", "cp1252Runes":
		x.s.forced, x.s.latin1 = true, true
	default:
		return nil, fmt.Errorf("--encoding %q: unknown; use utf-8, latin1 or windows-1252", opt.Encoding)
	}
	var err error
	if opt.TimeFormat != "" {
		x.layout, err = timefmt.Force(opt.TimeFormat, opt.Location)
	} else {
		// Every xs:dateTime fits this layout, with or without fraction and
		// offset; the sample only sets how String describes it.
		x.layout, err = timefmt.Detect([]string{"2006-01-02T15:04:05.000+01:00"}, opt.Location)
	}
	if err != nil {
		return nil, fmt.Errorf("--time-format: %w", err)
	}
	if err := x.mapRoles(); err != nil {
		return nil, err
	}
	return x, nil
}

// mapRoles lays out the role slots from the mapping and the XES defaults.
func (x *xesReader) mapRoles() error {
	defaults := Mapping{Case: []string{"case:concept:name"}, Activity: []string{"concept:name"}, Time: []string{"time:timestamp"},
		StartTime: []string{"start_timestamp"}, Department: []string{"org:group"}, Resource: []string{"org:resource"},
		Channel: []string{"case:channel"}}
	for r := range nRoles {
		name := roleNames[r]
		keys := x.opt.Mapping.forRole(name)
		if len(keys) == 0 {
			keys = defaults.forRole(name)
		} else {
			if len(keys) > 1 && r != rActivity {
				return fmt.Errorf("%s takes one key, got %d (%s)", flagFor(name), len(keys), strings.Join(keys, ", "))
			}
			for _, k := range keys {
				x.userKeys[k] = flagFor(name)
			}
		}
		identity := r <= rStart
		for _, k := range keys {
			x.roleSlots[r] = append(x.roleSlots[r], len(x.slots))
			x.slots = append(x.slots, xslot{role: r, key: k, identity: identity})
		}
	}
	x.tslots = make([]int, len(x.slots))
	x.gslots = make([]int, len(x.slots))
	for i := range x.slots {
		x.tslots[i], x.gslots[i] = -1, -1
	}
	return nil
}

func (x *xesReader) run() error {
	for {
		k, err := x.s.next()
		switch {
		case err != nil:
		case k == tokStart:
			err = x.start()
		case k == tokEnd:
			err = x.end()
		case k == tokEOF:
			err = x.finish()
			if err == nil {
				return nil
			}
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return err
			}
			line, _ := x.s.position(x.s.end)
			return truncateError(x.in, line, err)
		}
	}
}

// push opens the element of the current start tag.
func (x *xesReader) push(kind etype) error {
	if len(x.stack) >= xesMaxDepth {
		return x.s.errAt(x.s.tag, "elements are nested more than %d deep; an XES file needs 4 levels plus nested attributes, so this file is broken or hostile", xesMaxDepth)
	}
	line, _ := x.s.position(x.s.tag)
	x.frameNames = append(x.frameNames, x.s.name...)
	x.stack = append(x.stack, xframe{kind: kind, nameEnd: len(x.frameNames), line: line})
	return nil
}

func (x *xesReader) top() *xframe { return &x.stack[len(x.stack)-1] }

// skip opens an element whose content is ignored.
func (x *xesReader) skip() error {
	if x.s.self {
		return nil
	}
	return x.push(eOther)
}

func (x *xesReader) start() error {
	s := &x.s
	et := xesElement(s.name)
	if len(x.stack) == 0 {
		if x.rootDone {
			return s.errAt(s.tag, "element <%s> after </log>: an XES file has one <log> element", s.name)
		}
		if et != eLog {
			return s.errAt(s.tag, "the document element is <%s>, not <log>: this is not an XES file", s.name)
		}
		if s.self {
			x.rootDone = true
			return nil
		}
		return x.push(eLog)
	}
	parent := x.top()
	switch parent.kind {
	case eLog:
		switch {
		case et < nTyped || et == eList:
			line, _ := s.position(s.tag)
			x.logAttrs.add(line)
			return x.skip()
		case et == eTrace:
			return x.startTrace()
		case et == eEvent:
			return x.startEvent()
		case et == eGlobal:
			scope := scopeEvent // the standard's default
			if v, ok := s.attr("scope"); ok && string(v) == "trace" {
				scope = scopeTrace
			}
			if s.self {
				return nil
			}
			if err := x.push(eGlobal); err != nil {
				return err
			}
			x.top().scope = scope
			return nil
		case et == eClassifier:
			x.classifier()
			return x.skip()
		case et == eLog:
			return x.misplaced(parent)
		}
		if !isExtension(s.name) {
			line, _ := s.position(s.tag)
			x.other.add(line)
		}
		return x.skip()
	case eTrace, eEvent:
		switch {
		case et < nTyped:
			scope := scopeEvent
			if parent.kind == eTrace {
				scope = scopeTrace
			}
			if err := x.attribute(scope, et); err != nil {
				return err
			}
			if s.self {
				return nil
			}
			return x.push(et)
		case et == eList:
			line, _ := s.position(s.tag)
			x.lists.add(line)
			return x.skip()
		case et == eEvent && parent.kind == eTrace:
			return x.startEvent()
		case et == eLog || et == eTrace || et == eEvent:
			return x.misplaced(parent)
		}
		line, _ := s.position(s.tag)
		x.other.add(line)
		return x.skip()
	case eGlobal:
		if et < nTyped {
			if err := x.global(parent.scope, et); err != nil {
				return err
			}
		}
		return x.skip()
	}
	if parent.kind < nTyped && !parent.nested {
		// A child of a kept attribute: a nested attribute.
		parent.nested = true
		x.nested.add(parent.line)
	}
	return x.skip()
}

func isExtension(name []byte) bool {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name) == "extension"
}

func (x *xesReader) misplaced(parent *xframe) error {
	pname := x.frameName(len(x.stack) - 1)
	return x.s.errAt(x.s.tag, "<%s> cannot be inside <%s> (opened at line %d); is </%s> missing?", x.s.name, pname, parent.line, pname)
}

func (x *xesReader) frameName(i int) []byte {
	return x.frameNames[x.nameStart(i):x.stack[i].nameEnd]
}

func (x *xesReader) end() error {
	s := &x.s
	if len(x.stack) == 0 {
		return s.errAt(s.tag, "</%s> has no matching start tag", s.name)
	}
	i := len(x.stack) - 1
	f := x.stack[i]
	if open := x.frameName(i); !bytes.Equal(open, s.name) {
		for j := i - 1; j >= 0; j-- {
			if bytes.Equal(x.frameName(j), s.name) {
				return s.errAt(s.tag, "</%s> closes <%s> opened at line %d; is </%s> missing?", s.name, open, f.line, open)
			}
		}
		return s.errAt(s.tag, "</%s> has no matching <%s>; the open element is <%s> from line %d", s.name, s.name, open, f.line)
	}
	x.stack = x.stack[:i]
	x.frameNames = x.frameNames[:x.nameStart(i)]
	switch f.kind {
	case eLog:
		x.rootDone = true
	case eTrace:
		x.endTrace()
	case eEvent:
		x.endEvent()
	}
	return nil
}

// nameStart is where the name of open element i starts in frameNames.
func (x *xesReader) nameStart(i int) int {
	if i == 0 {
		return 0
	}
	return x.stack[i-1].nameEnd
}

func (x *xesReader) startTrace() error {
	line, _ := x.s.position(x.s.tag)
	x.inTrace, x.orphan = true, false
	x.traceLine = line
	if x.s.self {
		x.endTrace()
		return nil
	}
	return x.push(eTrace)
}

func (x *xesReader) startEvent() error {
	line, col := x.s.position(x.s.tag)
	if !x.inTrace {
		// An event directly in the log: a trace of its own, without a case id.
		x.inTrace, x.orphan = true, true
		x.traceLine = line
	}
	x.events = append(x.events, xevent{line: line, col: col, lo: len(x.vals), hi: len(x.vals)})
	for range x.slots {
		x.evSlots = append(x.evSlots, -1)
	}
	if x.s.self {
		x.endEvent()
		return nil
	}
	return x.push(eEvent)
}

func (x *xesReader) endEvent() {
	x.events[len(x.events)-1].hi = len(x.vals)
	if x.orphan {
		x.endTrace()
	}
}

// lookup returns the column for key in scope and element type et.
func (x *xesReader) lookup(scope int, k []byte, et etype) (int32, error) {
	ki := x.keyIndex(scope, k)
	ci := x.xkeys[ki].cols[et]
	if ci >= 0 {
		return ci, nil
	}
	return x.newColumn(ki, et)
}

// keyIndex finds or adds key k of scope.
func (x *xesReader) keyIndex(scope int, k []byte) int32 {
	if ki, ok := x.keys[scope][string(k)]; ok {
		return ki
	}
	ks := string(k)
	flat := ks
	if scope == scopeTrace {
		flat = "case:" + ks
	}
	ni, ok := x.nameIdx[flat]
	if !ok {
		ni = x.newName(flat)
	}
	ki := int32(len(x.xkeys))
	x.xkeys = append(x.xkeys, xkey{name: ni, cols: [nTyped]int32{-1, -1, -1, -1, -1, -1}})
	x.keys[scope][ks] = ki
	return ki
}

func (x *xesReader) newName(flat string) int32 {
	n := xname{name: flat}
	multi := 0
	for i, sl := range x.slots {
		if sl.key == flat {
			n.slots = append(n.slots, i)
			if len(x.roleSlots[sl.role]) == 1 {
				n.consumed = true
			} else {
				multi++
			}
		}
	}
	if multi > 0 {
		n.consumed = false // parts of a joined activity stay columns
	}
	ni := int32(len(x.names))
	x.names = append(x.names, n)
	x.nameIdx[flat] = ni
	return ni
}

func (x *xesReader) newColumn(ki int32, et etype) (int32, error) {
	k := &x.xkeys[ki]
	n := &x.names[k.name]
	c := xcol{name: k.name, etype: et, attr: -1}
	if !n.consumed {
		kind := typedKind[et]
		colName := n.name
		if n.hasAttr && n.attrKind != kind {
			colName = n.name + " (" + typedName[et] + ")"
			line, _ := x.s.position(x.s.tag)
			x.conflicts = append(x.conflicts, fmt.Sprintf("key %q is %s in some elements and <%s> from line %d on; those values are in the column %q",
				n.name, n.attrKind, typedName[et], line, colName))
		}
		if x.nAttrs >= xesMaxColumns {
			return 0, x.s.errAt(x.s.tag, "more than %d distinct attribute keys; a real log has dozens, so this file is broken or generated with values as keys", xesMaxColumns)
		}
		i, err := x.b.Attr(colName, kind)
		if err != nil {
			return 0, x.s.errAt(x.s.tag, "%v", err)
		}
		x.nAttrs++
		c.attr = i
		if !n.hasAttr {
			n.hasAttr, n.attrKind = true, kind
		}
	}
	ci := int32(len(x.cols))
	x.cols = append(x.cols, c)
	k.cols[et] = ci
	return ci, nil
}

// parse reads a typed value into v.num, or says why it cannot.
func (x *xesReader) parse(et etype, b []byte, v *xval) error {
	if et == eString || et == eID {
		return nil
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		v.null = true
		return nil
	}
	var err error
	switch et {
	case eDate:
		var gap bool
		if v.num, gap, err = x.layout.ParseGap(b); gap {
			x.held.gaps++
		}
		if errors.Is(err, timefmt.ErrPlaceholder) {
			v.null, v.placeholder = true, true
			return nil
		}
	case eInt:
		v.num, err = strconv.ParseInt(string(b), 10, 64)
	case eFloat:
		var f float64
		f, err = strconv.ParseFloat(string(b), 64)
		v.num = int64(math.Float64bits(f))
	case eBool:
		switch {
		case string(b) == "1" || bytes.EqualFold(b, []byte("true")):
			v.num = 1
		case string(b) == "0" || bytes.EqualFold(b, []byte("false")):
			v.num = 0
		default:
			err = errors.New("not true or false")
		}
	}
	return err
}

// attribute records an attribute of the current trace or event.
func (x *xesReader) attribute(scope int, et etype) error {
	s := &x.s
	k, hasKey := s.attr("key")
	val, hasVal := s.attr("value")
	if !hasKey || len(k) == 0 {
		line, _ := s.position(s.tag)
		x.problem(scope, fmt.Sprintf("<%s> at line %d has no key", typedName[et], line))
		return nil
	}
	count := len(x.tvals)
	if scope == scopeEvent {
		e := &x.events[len(x.events)-1]
		count = e.hi - e.lo
	}
	if count >= xesMaxAttrs {
		return s.errAt(s.tag, "more than %d attributes in one trace or event; this file is broken or hostile", xesMaxAttrs)
	}
	ci, err := x.lookup(scope, k, et)
	if err != nil {
		return err
	}
	v := xval{col: ci, null: !hasVal, off: len(x.text), n: len(val)}
	x.text = append(x.text, val...)
	if hasVal {
		if err := x.parse(et, val, &v); err != nil {
			line, _ := s.position(s.tag)
			why := fmt.Sprintf("%s (line %d): %v", k, line, err)
			if et != eDate {
				why = fmt.Sprintf("%s (line %d): %q is not a valid %s", k, line, val, typedName[et])
			}
			x.problem(scope, why)
			v.null = true
		}
	}
	if v.placeholder {
		x.dateHolders.count(int(x.cols[ci].name), val)
	}
	vi := len(x.vals)
	x.vals = append(x.vals, v)
	n := &x.names[x.cols[ci].name]
	if len(n.examples) < 3 && hasVal && len(val) > 0 && !containsBytes(n.examples, val) {
		n.examples = append(n.examples, string(val))
	}
	if scope == scopeTrace {
		x.tvals = append(x.tvals, vi)
		for _, sl := range n.slots {
			x.tslots[sl] = vi
		}
		return nil
	}
	x.events[len(x.events)-1].hi = vi + 1
	base := (len(x.events) - 1) * len(x.slots)
	for _, sl := range n.slots {
		x.evSlots[base+sl] = vi
	}
	return nil
}

// containsBytes is slices.Contains without converting b to a string.
func containsBytes(list []string, b []byte) bool {
	for _, s := range list {
		if s == string(b) {
			return true
		}
	}
	return false
}

// problem marks the current event, or the current trace, as rejected.
func (x *xesReader) problem(scope int, why string) {
	if scope == scopeTrace {
		if x.traceBad == "" {
			x.traceBad = "trace attribute " + why
		}
		return
	}
	if e := &x.events[len(x.events)-1]; e.bad == "" {
		e.bad = why
	}
}

// global records a <global> default.
func (x *xesReader) global(scope int, et etype) error {
	s := &x.s
	k, hasKey := s.attr("key")
	val, hasVal := s.attr("value")
	if !hasKey || !hasVal || len(k) == 0 {
		return nil
	}
	ci, err := x.lookup(scope, k, et)
	if err != nil {
		return err
	}
	v := xval{col: ci, off: len(x.gtext), n: len(val)}
	if err := x.parse(et, val, &v); err != nil {
		line, _ := s.position(s.tag)
		x.badGlobals.add(line)
		return nil
	}
	gs := x.globals[scope]
	gi := slices.IndexFunc(gs, func(g xval) bool { return g.col == ci })
	if gi < 0 {
		if len(x.globals[scopeTrace])+len(x.globals[scopeEvent]) >= xesMaxColumns {
			return s.errAt(s.tag, "more than %d global defaults; a real log has dozens, so this file is broken or hostile", xesMaxColumns)
		}
		gi = len(gs)
		x.globals[scope] = append(gs, v)
	} else {
		gs[gi] = v // a repeated key: the later default wins
	}
	x.gtext = append(x.gtext, val...)
	for _, sl := range x.names[x.cols[ci].name].slots {
		if !x.slots[sl].identity {
			x.gslots[sl] = scope<<30 | gi
		}
	}
	return nil
}

// maxClassifiers bounds the classifiers listed in the warnings.
const maxClassifiers = 20

// classifier lists a <classifier> in the warnings.
func (x *xesReader) classifier() {
	nm, _ := x.s.attr("name")
	keys, _ := x.s.attr("keys")
	ks := classifierKeys(string(keys))
	if len(x.classifiers) == maxClassifiers {
		x.moreClassifiers++
		return
	}
	x.classifiers = append(x.classifiers, fmt.Sprintf("the log declares classifier %q = %s; caseflow does not apply classifiers: %s",
		nm, strings.Join(ks, " + "), classifierHint(ks)))
}

// classifierHint says which flag uses a classifier's keys. A classifier of
// one organisational key (XES org extension) names who did the work, not
// what was done, so it maps to --resource or --department, not --activity.
func classifierHint(keys []string) string {
	if len(keys) == 1 {
		switch keys[0] {
		case "org:resource":
			return "it names who did the work; pass --resource org:resource to use it"
		case "org:group", "org:role":
			return fmt.Sprintf("it names a team, not an activity; pass --department %s to use it", keys[0])
		}
	}
	return fmt.Sprintf("pass --activity %s to use it", strings.Join(keys, ","))
}

// classifierKeys splits a classifier's keys: separated by white space, and
// quoted with single quotes when a key contains a space (IEEE 1849-2016).
func classifierKeys(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '\'' {
			if i := strings.IndexByte(s[1:], '\''); i >= 0 {
				out = append(out, s[1:1+i])
				s = s[2+i:]
				continue
			}
		}
		i := strings.IndexAny(s, " \t\r\n")
		if i < 0 {
			i = len(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// endTrace turns the buffered events into log events or rejects.
func (x *xesReader) endTrace() {
	if len(x.events) == 0 {
		x.emptyTraces.add(x.traceLine)
	} else if vi := x.tslots[x.roleSlots[rCase][0]]; vi >= 0 {
		// Traces sharing an id become one case, silently in the Builder.
		id := x.vals[vi].bytes(x.text)
		if _, dup := x.traceIDs[string(id)]; dup {
			x.reused.add(x.traceLine)
		} else {
			x.traceIDs[string(id)] = struct{}{}
		}
	}
	for i := range x.events {
		x.emit(i)
	}
	x.inTrace, x.orphan, x.traceBad = false, false, ""
	x.tvals, x.events, x.evSlots, x.vals, x.text = x.tvals[:0], x.events[:0], x.evSlots[:0], x.vals[:0], x.text[:0]
	for i := range x.tslots {
		x.tslots[i] = -1
	}
}

// lookSlot finds the value filling slot sl for event i: the event's own,
// its trace's, or a global default. text is the arena the value is in.
func (x *xesReader) lookSlot(i, sl int) (v *xval, text []byte) {
	if vi := x.evSlots[i*len(x.slots)+sl]; vi >= 0 {
		return &x.vals[vi], x.text
	}
	if vi := x.tslots[sl]; vi >= 0 {
		return &x.vals[vi], x.text
	}
	if g := x.gslots[sl]; g >= 0 {
		return &x.globals[g>>30][g&(1<<30-1)], x.gtext
	}
	return nil, nil
}

func (v *xval) bytes(text []byte) []byte { return text[v.off : v.off+v.n] }

// roleText is the value of a one-key role for event i, or nil.
func (x *xesReader) roleText(i int, r xrole) []byte {
	sl := x.roleSlots[r]
	if len(sl) == 0 {
		return nil
	}
	v, text := x.lookSlot(i, sl[0])
	if v == nil || v.null {
		return nil
	}
	b := v.bytes(text)
	if r != rCase && x.placeholders.match(b) {
		x.held.count(int(r), b)
		return nil
	}
	return b
}

// roleTime is the instant of a time role for event i: ok is false when the
// event has none; err when its text does not parse.
func (x *xesReader) roleTime(i int, r xrole) (us int64, ok bool, err error) {
	sl := x.roleSlots[r]
	if len(sl) == 0 {
		return 0, false, nil
	}
	v, text := x.lookSlot(i, sl[0])
	if v == nil || v.null && !v.placeholder {
		return 0, false, nil
	}
	b := v.bytes(text)
	if r == rTime {
		if x.firstTime == "" {
			x.firstTime = string(b)
		}
		if !x.zoneless && !hasZone(b) {
			x.zoneless = true
		}
	}
	if x.cols[v.col].etype == eDate && !v.placeholder {
		return v.num, true, nil
	}
	us, err = x.layout.Parse(b) // a string key mapped as a time, or a placeholder's error
	if errors.Is(err, timefmt.ErrPlaceholder) && !v.placeholder {
		x.dateHolders.count(int(x.cols[v.col].name), b)
	}
	return us, err == nil, err
}

// hasZone reports whether an xs:dateTime ends in Z or ±hh:mm.
func hasZone(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[len(b)-1] == 'Z' || b[len(b)-1] == 'z') {
		return true
	}
	return len(b) > 6 && (b[len(b)-6] == '+' || b[len(b)-6] == '-') && b[len(b)-3] == ':'
}

// emit adds event i of the trace to the Builder, or rejects it.
func (x *xesReader) emit(i int) {
	e := &x.events[i]
	x.in.Rows++
	x.res.Rows++
	why := x.traceBad
	if why == "" {
		why = e.bad
	}
	ev := eventlog.Event{Row: e.line, Start: eventlog.NoTime}
	if why == "" {
		if ev.Case = x.roleText(i, rCase); len(ev.Case) == 0 {
			caseKey := x.slots[x.roleSlots[rCase][0]].key
			switch {
			case x.orphan:
				why = "the event is outside any <trace>, so it has no case id"
			case caseKey == "case:concept:name":
				why = fmt.Sprintf("its trace (line %d) has no concept:name, so the event has no case id", x.traceLine)
			default:
				why = fmt.Sprintf("the event has no %s (the case id)", caseKey)
			}
		}
	}
	if why == "" {
		x.act = x.act[:0]
		for _, sl := range x.roleSlots[rActivity] {
			if v, text := x.lookSlot(i, sl); v != nil && !v.null && v.n > 0 {
				if len(x.act) > 0 {
					x.act = append(x.act, '+')
				}
				x.act = append(x.act, v.bytes(text)...)
			}
		}
		if ev.Activity = x.act; len(ev.Activity) == 0 {
			why = "the event has no " + x.roleKeys(rActivity) + " (the activity)"
		}
	}
	if why == "" {
		t, ok, err := x.roleTime(i, rTime)
		switch {
		case err != nil:
			why = fmt.Sprintf("%s: %v", x.roleKeys(rTime), err)
		case !ok:
			why = "the event has no " + x.roleKeys(rTime) + " (the time)"
		}
		ev.Time = t
	}
	if why == "" {
		t, ok, err := x.roleTime(i, rStart)
		if err != nil {
			if !errors.Is(err, timefmt.ErrPlaceholder) { // else counted: no start time
				why = fmt.Sprintf("%s: %v", x.roleKeys(rStart), err)
			}
		} else if ok {
			ev.Start = t
		}
	}
	if why != "" {
		x.reject(e, why)
		return
	}
	ev.Department = x.roleText(i, rDept)
	ev.Resource = x.roleText(i, rRes)
	ev.Channel = x.roleText(i, rChan)
	x.b.Add(&ev)

	x.stamp++
	for vi := e.lo; vi < e.hi; vi++ {
		x.set(&x.vals[vi], x.text)
	}
	for _, vi := range x.tvals {
		x.set(&x.vals[vi], x.text)
	}
	for scope := range x.globals {
		for gi := range x.globals[scope] {
			if g := &x.globals[scope][gi]; x.names[x.cols[g.col].name].seen != x.stamp {
				if g.placeholder {
					x.globalHolders.count(int(x.cols[g.col].name), g.bytes(x.gtext))
				}
				x.set(g, x.gtext)
			}
		}
	}
}

// noteDateHolders notes the placeholder dates read as missing, by key.
func (x *xesReader) noteDateHolders() {
	for _, c := range []struct {
		t    *chunkTally
		what string
	}{
		{&x.dateHolders, "%d date value(s) are dates that systems write for \"no date\" (%s), read as missing; an event whose time is one is rejected"},
		{&x.globalHolders, "%d event(s) have no date where a global default would give one that systems write for \"no date\" (%s)"},
	} {
		var n int64
		var parts []string
		for _, pc := range c.t.counts {
			n += pc.n
			if len(parts) < 5 {
				parts = append(parts, fmt.Sprintf("%s %q ×%d", x.names[pc.col].name, pc.val, pc.n))
			}
		}
		if n > 0 {
			x.in.Notes = append(x.in.Notes, fmt.Sprintf(c.what, n, strings.Join(parts, ", ")))
		}
	}
}

// roleKeys names the keys of role r, for reject reasons.
func (x *xesReader) roleKeys(r xrole) string {
	var ks []string
	for _, sl := range x.roleSlots[r] {
		ks = append(ks, x.slots[sl].key)
	}
	return strings.Join(ks, " or ")
}

// set puts v into its attribute column of the latest event and marks its
// name as present.
func (x *xesReader) set(v *xval, text []byte) {
	c := &x.cols[v.col]
	x.names[c.name].seen = x.stamp
	if c.attr < 0 || v.null {
		return
	}
	if c.etype == eString || c.etype == eID {
		x.b.SetString(c.attr, v.bytes(text))
		return
	}
	x.b.SetNum(c.attr, v.num)
}

func (x *xesReader) reject(e *xevent, why string) {
	x.raw = x.raw[:0]
	for vi := e.lo; vi < e.hi && len(x.raw) <= MaxRawLen; vi++ {
		v := &x.vals[vi]
		if len(x.raw) > 0 {
			x.raw = append(x.raw, ' ')
		}
		x.raw = append(x.raw, x.names[x.cols[v.col].name].name...)
		x.raw = append(x.raw, '=')
		x.raw = strconv.AppendQuote(x.raw, string(v.bytes(x.text)))
	}
	if e.lo == e.hi {
		x.raw = append(x.raw, "<event/>"...)
	}
	x.res.Rejects = append(x.res.Rejects, Reject{File: x.in.File, Line: e.line, Column: int(e.col), Reason: why, Raw: rawText(x.raw)})
	x.in.Rejected++
	x.res.Rejected++
}

// finish checks the end of the file and writes the summary into Input.
func (x *xesReader) finish() error {
	if n := len(x.stack); n > 0 {
		f := x.stack[n-1]
		return x.s.errAt(x.s.end, "the file ends inside <%s> opened at line %d: it is truncated; export or download it again",
			x.frameName(n-1), f.line)
	}
	if !x.rootDone {
		return x.s.errAt(x.s.end, "the file has no <log> element: it is empty or not an XES file")
	}
	var seen []string
	for _, n := range x.names {
		seen = append(seen, n.name)
	}
	for _, sl := range x.slots {
		if flag, ok := x.userKeys[sl.key]; ok {
			if _, ok := x.nameIdx[sl.key]; !ok {
				return &ParseError{File: x.in.File, Line: 1, Column: 1, Err: fmt.Errorf(
					"%s %q: no trace or event has this key (trace keys are spelled case:KEY); the keys are: %s", flag, sl.key, quoteList(seen))}
			}
		}
	}
	x.in.TimeLayout = x.layout.String()
	if x.opt.TimeFormat == "" {
		if l, err := timefmt.Detect([]string{x.firstTime}, x.opt.Location); err == nil && x.firstTime != "" {
			x.in.TimeLayout = l.String()
		}
		x.in.TimeLayout = "xs:dateTime, here " + x.in.TimeLayout
	}
	for r := range nRoles {
		var keys []string
		for _, sl := range x.roleSlots[r] {
			if _, ok := x.nameIdx[x.slots[sl].key]; ok {
				keys = append(keys, x.slots[sl].key)
			}
		}
		if len(keys) > 0 {
			x.b.SetSource(roleNames[r], strings.Join(keys, ","))
		}
	}
	x.in.Zone = "offset in each value"
	if x.zoneless {
		x.in.Zone = x.opt.Location.String()
	}
	keys := make([]string, nRoles)
	for r := range nRoles {
		if sl := x.roleSlots[r]; len(sl) > 0 {
			keys[r] = x.slots[sl[0]].key
		}
	}
	(&tally{counts: x.held.counts, gaps: x.held.gaps}).report(x.in, keys)
	x.columns()
	x.warnings()
	return nil
}

// columns describes the keys for `caseflow inspect`.
func (x *xesReader) columns() {
	roleOf := map[string]string{}
	for _, sl := range x.slots {
		if _, ok := roleOf[sl.key]; !ok {
			roleOf[sl.key] = roleNames[sl.role]
		}
	}
	for _, n := range x.names {
		c := Column{Name: n.name, Role: roleOf[n.name], Examples: n.examples}
		if c.Role != "" {
			for _, ru := range rules {
				if ru.role != c.Role {
					continue
				}
				for _, o := range x.names {
					if o.name != n.name && roleOf[o.name] == "" && (ru.score(o.name) > 0 || ru.weakScore(o.name)) {
						c.Candidates = append(c.Candidates, o.name)
					}
				}
			}
		}
		x.in.Columns = append(x.in.Columns, c)
	}
	// The optional roles no key fills, with the keys whose names fit.
	for _, ru := range rules {
		optional := ru.role == eventlog.Department || ru.role == eventlog.Resource || ru.role == eventlog.Channel
		if !optional || slices.ContainsFunc(x.in.Columns, func(c Column) bool { return c.Role == ru.role }) {
			continue
		}
		u := Unfilled{Role: ru.role, Flag: flagFor(ru.role)}
		for _, n := range x.names {
			if roleOf[n.name] == "" && (ru.score(n.name) > 0 || ru.weakScore(n.name)) {
				u.Candidates = append(u.Candidates, n.name)
			}
		}
		x.in.Unfilled = append(x.in.Unfilled, u)
	}
}

func (x *xesReader) warnings() {
	w := &x.in.Warnings
	*w = append(*w, x.classifiers...)
	if x.moreClassifiers > 0 {
		*w = append(*w, fmt.Sprintf("… and %d more classifiers", x.moreClassifiers))
	}
	x.noteDateHolders()
	if x.badGlobals.n > 0 {
		*w = append(*w, fmt.Sprintf("%d global default(s) are not valid values of their type (first at line %d) and are ignored", x.badGlobals.n, x.badGlobals.line))
	}
	*w = append(*w, x.conflicts...)
	if x.nested.n > 0 || x.lists.n > 0 {
		var parts []string
		if x.nested.n > 0 {
			parts = append(parts, fmt.Sprintf("the children of %d attribute(s) with nested attributes (first at line %d; the parent's own value is kept)", x.nested.n, x.nested.line))
		}
		if x.lists.n > 0 {
			parts = append(parts, fmt.Sprintf("%d <list>/<container> attribute(s) (first at line %d)", x.lists.n, x.lists.line))
		}
		*w = append(*w, "skipped "+strings.Join(parts, " and ")+": caseflow keeps flat trace and event attributes only")
	}
	if x.logAttrs.n > 0 {
		*w = append(*w, fmt.Sprintf("skipped %d log-level attribute(s) (log metadata, first at line %d): caseflow keeps trace and event attributes only", x.logAttrs.n, x.logAttrs.line))
	}
	if x.emptyTraces.n > 0 {
		*w = append(*w, fmt.Sprintf("%d trace(s) without events (first at line %d) give no case", x.emptyTraces.n, x.emptyTraces.line))
	}
	if x.reused.n > 0 {
		*w = append(*w, fmt.Sprintf("%d trace(s) reuse the case id of an earlier trace (first at line %d); their events join that case", x.reused.n, x.reused.line))
	}
	if x.other.n > 0 {
		*w = append(*w, fmt.Sprintf("skipped %d element(s) that are not XES (first at line %d)", x.other.n, x.other.line))
	}
	if x.s.badUTF8 > 0 {
		*w = append(*w, fmt.Sprintf("%d byte(s) were not valid UTF-8 and read as U+FFFD; if the file is Latin-1, pass --encoding latin1", x.s.badUTF8))
	}
	if x.s.latin1 {
		x.in.Encoding = "windows-1252 (latin-1)"
	}
}
