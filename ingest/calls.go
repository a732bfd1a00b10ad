package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/eventlog"
)

// Call records: one row per call with the start and end of each stage in
// its own column, as telephony platforms export them. The column names are
// those of the Technion "Anonymous Bank" call-centre data (Mandelbaum et
// al.), the layout public call-centre research uses; see docs/reading.md.
const (
	callLine      = "vru+line"
	callID        = "call_id"
	callDate      = "date"
	callOutcome   = "outcome"
	callCustomer  = "customer_id"
	callType      = "type"
	callPriority  = "priority"
	callServer    = "server"
	callNoStage   = "0:00:00" // a stage column's "did not happen"
	callNoServer  = "NO_SERVER"
	callNoCaller  = "0" // customer_id of an unidentified caller
	outcomeAgent  = "AGENT"
	outcomeHang   = "HANG"
	outcomePhanto = "PHANTOM"
)

// callStages are the stage columns in the order a call passes them, with
// the department the stage's event is in; the service stage's is
// Options.CallAgent when given.
var callStages = [3]struct{ start, end, dept string }{
	{"vru_entry", "vru_exit", eventlog.CallVRUDepartment},
	{"q_start", "q_exit", eventlog.CallQueueDepartment},
	{"ser_start", "ser_exit", eventlog.CallAgentDepartment},
}

// callRequired are the columns a call-record file must have.
var callRequired = []string{callLine, callID, callDate, "vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit", callOutcome}

// callKnown are the other columns the reader interprets or, for the
// *_time durations, deliberately leaves out (they follow from the stage
// times); any column not in either list is kept as a text attribute, so
// that a ticket number logged with the call can join it to its ticket.
var callKnown = []string{callCustomer, callType, callPriority, callServer, "vru_time", "q_time", "ser_time"}

// The transfer-chain columns of contact records as Amazon Connect exports
// them (InitialContactId, PreviousContactId), matched by name without
// case, spaces or underscores. Their values are call ids.
const (
	callInitial  = "initialcontactid"
	callPrevious = "previouscontactid"
)

// chainName is a header name as the chain columns are matched.
func chainName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == ' ' || r == '-' {
			return -1
		}
		return r
	}, callName(s))
}

// Exclusion counts the rows of a file that are deliberately not in the log
// and not rejects either: the export's own documentation says to drop them
// (PHANTOM calls), or they repeat a row already read (redelivered).
type Exclusion struct {
	Reason string
	Rows   int64
}

// isCallHeader reports whether a header line names every column of a call
// record, in any case and with any of the usual delimiters.
func isCallHeader(line []byte) bool {
	names := map[string]bool{}
	for _, f := range bytes.FieldsFunc(line, func(r rune) bool { return r == '\t' || r == ',' || r == ';' || r == '|' }) {
		names[callName(string(f))] = true
	}
	for _, c := range callRequired {
		if !names[c] {
			return false
		}
	}
	return true
}

func callName(s string) string { return strings.ToLower(strings.Trim(strings.TrimSpace(s), `"`)) }

// callReader turns the rows of one call-record file into stage events.
type callReader struct {
	in   *Input
	opt  Options
	b    *eventlog.Builder
	res  *Result
	col  map[string]int // column name → index
	attr struct{ typ, customer, priority, outcome int }
	// seen maps a call key to the line and text of the row that gave it,
	// to tell a redelivered row from a different call under the same key.
	seen                     map[string]callSeen
	kept, phantoms, repeated int64
	// initial and previous are the transfer-chain columns, -1 when
	// absent; caseOf maps a call id to the case its chain is in.
	initial, previous int
	caseOf            map[string]string
	chained           int64 // calls that joined an earlier contact's case
	extra             []callExtra
	depts             [3][]byte // the department of each stage (callStages, Options.CallAgent)
	agentCol          int       // Options.CallAgentColumn's index, -1 without
}

// callExtra is a column kept as a text attribute.
type callExtra struct{ col, slot int }

type callSeen struct {
	line int64
	row  string
}

// readCalls reads a call-record file (see callStages); opt's column
// mapping does not apply, as the columns are known by name.
func readCalls(r *bufio.Reader, in *Input, opt Options, b *eventlog.Builder, res *Result) error {
	if opt.Mapping.named() {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: errors.New(
			"call records are read by their column names, and --case, --activity, --time and the other role flags do not apply; drop them, or add --shape events to read the file one row per event")}
	}
	in.Shape, in.Encoding = ShapeCalls, "utf-8"
	if head, _ := r.Peek(len(bom)); bytes.Equal(head, bom) {
		_, _ = r.Discard(len(bom))
		in.Encoding = "utf-8 with byte-order mark"
	}
	delim := opt.Delimiter
	if delim == 0 {
		head, _ := r.Peek(min(r.Buffered()+r.Size(), r.Size()))
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			head = head[:i]
		}
		delim = ','
		for _, d := range []rune{'\t', ';', '|'} {
			if bytes.Count(head, []byte(string(d))) > bytes.Count(head, []byte(string(delim))) {
				delim = d
			}
		}
	}
	in.Delimiter = map[rune]string{',': ",", ';': ";", '\t': "tab", '|': "|"}[delim]
	in.TimeLayout = "date %y%m%d, times of day H:MM:SS"
	in.Zone = opt.Location.String()
	cr := csv.NewReader(r)
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = delim, -1, true
	header, err := cr.Read()
	if err != nil {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf("reading the header row: %v; expected the column names of a call record", err)}
	}
	c := &callReader{in: in, opt: opt, b: b, res: res, col: map[string]int{}, seen: map[string]callSeen{}, initial: -1, previous: -1, agentCol: -1}
	for k, s := range callStages {
		c.depts[k] = []byte(s.dept)
	}
	if opt.CallAgent != "" {
		c.depts[2] = []byte(opt.CallAgent)
	}
	for i, h := range header {
		c.col[callName(h)] = i
		in.Columns = append(in.Columns, Column{Name: h, Role: callRole(callName(h))})
		switch chainName(h) {
		case callInitial:
			c.initial = i
		case callPrevious:
			c.previous = i
		}
	}
	if c.initial >= 0 || c.previous >= 0 {
		c.caseOf = map[string]string{}
	}
	var missing []string
	for _, n := range callRequired {
		if _, ok := c.col[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf(
			"call records need the columns %s; this header lacks %s: rename the columns, or drop --shape calls to read the file one row per event",
			strings.Join(callRequired, ", "), strings.Join(missing, ", "))}
	}
	if n := opt.CallAgentColumn; n != "" {
		i, ok := c.col[callName(n)]
		if !ok {
			return &ParseError{File: in.File, Line: 1, Column: 1, Err: fmt.Errorf(
				"--call-agent-department-column %q: the header has no such column; name the column of the team or skill group that answered, or drop the flag", n)}
		}
		c.agentCol = i
	}
	if err := c.declare(header); err != nil {
		return &ParseError{File: in.File, Line: 1, Column: 1, Err: err}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			in.Rows++
			c.reject(int64(pe.StartLine), pe.Column, pe.Err.Error()+"; fix the quoting of this row", strings.Join(rec, string(delim)))
			continue
		case err != nil:
			return truncateError(in, int64(line), err)
		}
		in.Rows++
		c.row(int64(line), rec, string(delim))
	}
	res.Rows += in.Rows
	if c.phantoms > 0 {
		in.Excluded = append(in.Excluded, Exclusion{Reason: "PHANTOM calls (virtual calls the export's documentation says to ignore)", Rows: c.phantoms})
	}
	if c.repeated > 0 {
		in.Excluded = append(in.Excluded, Exclusion{Reason: "redelivered duplicates (a row equal to an earlier row with the same call key)", Rows: c.repeated})
	}
	agent := fmt.Sprintf("department %q (--call-agent-department)", c.depts[2])
	if c.agentCol >= 0 {
		agent = fmt.Sprintf("the department in column %q, or %s where it is empty", header[c.agentCol], agent)
	}
	note := fmt.Sprintf("read as call records (--shape calls): each row is a call, each stage that happened (VRU, queue, service) one event from its start to its end (the *_time columns are not read), the service in %s; %d rows = %d calls + %d rejected",
		agent, in.Rows, c.kept, in.Rejected)
	for _, e := range in.Excluded {
		note += fmt.Sprintf(" + %d %s", e.Rows, e.Reason)
	}
	in.Notes = append(in.Notes, note)
	if c.caseOf != nil {
		in.Notes = append(in.Notes, fmt.Sprintf("transfers chained by %s: a call is in the case of its chain's initial contact (its call_id), so a transfer is a handoff within the case; %d of %d calls joined an earlier contact's case",
			c.chainColumns(header), c.chained, c.kept))
	}
	return nil
}

func callRole(name string) string {
	switch name {
	case callLine, callID:
		return eventlog.Case
	case callServer:
		return eventlog.Resource
	case callDate, "vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit":
		return eventlog.Time
	}
	return ""
}

// chainColumns names the transfer-chain columns the header has.
func (c *callReader) chainColumns(header []string) string {
	var names []string
	for _, i := range []int{c.initial, c.previous} {
		if i >= 0 {
			names = append(names, strconv.Quote(header[i]))
		}
	}
	return strings.Join(names, " and ")
}

// declare declares the attribute columns every call's events carry: the
// known ones, and any column the reader does not interpret.
func (c *callReader) declare(header []string) error {
	c.b.SetSource(eventlog.Case, callLine+","+callID)
	c.b.SetSource(eventlog.Time, "vru_exit,q_exit,ser_exit")
	c.b.SetSource(eventlog.StartTime, "vru_entry,q_start,ser_start")
	c.b.SetSource(eventlog.Resource, callServer)
	for _, a := range []struct {
		name string
		to   *int
	}{{eventlog.CallType, &c.attr.typ}, {eventlog.CallCustomer, &c.attr.customer}, {callPriority, &c.attr.priority}, {callOutcome, &c.attr.outcome}} {
		i, err := c.b.Attr(a.name, eventlog.String)
		if err != nil {
			return err
		}
		*a.to = i
	}
	for i, h := range header {
		n := callName(h)
		if slices.Contains(callRequired, n) || slices.Contains(callKnown, n) || i == c.initial || i == c.previous {
			continue
		}
		slot, err := c.b.Attr(strings.TrimSpace(h), eventlog.String)
		if err != nil {
			return fmt.Errorf("column %q: %v; rename it", h, err)
		}
		c.extra = append(c.extra, callExtra{i, slot})
	}
	return nil
}

func (c *callReader) reject(line int64, column int, reason, raw string) {
	c.in.Rejected++
	c.res.Rejected++
	c.res.Rejects = append(c.res.Rejects, Reject{File: c.in.File, Line: line, Column: column, Reason: reason, Raw: rawText([]byte(raw))})
}

// field is the trimmed value of the named column, "" when the file has no
// such column.
func (c *callReader) field(rec []string, name string) string {
	if i, ok := c.col[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// row judges one data row: a duplicate or PHANTOM call is counted, a row
// whose stages cannot be made consistent is rejected, and any other row
// becomes one event per stage that happened.
func (c *callReader) row(line int64, rec []string, delim string) {
	raw := strings.Join(rec, delim)
	if len(rec) != len(c.col) {
		c.reject(line, min(len(rec), len(c.col))+1, fmt.Sprintf("the row has %d fields and the header %d; check for a stray or missing delimiter", len(rec), len(c.col)), raw)
		return
	}
	for _, n := range []string{callLine, callID} {
		if c.field(rec, n) == "" {
			c.reject(line, c.col[n]+1, fmt.Sprintf("the %s is empty; a call needs %s and %s as its key", n, callLine, callID), raw)
			return
		}
	}
	// The key is recorded before the row is judged, so a redelivered bad
	// row is one reject and a duplicate, not two rejects.
	key := c.field(rec, callLine) + keySep + c.field(rec, callID)
	if prev, ok := c.seen[key]; ok {
		if prev.row == raw {
			c.repeated++
			return
		}
		c.reject(line, c.col[callID]+1, fmt.Sprintf("call %s %s is already on line %d with other values; two calls cannot share a key", c.field(rec, callLine), c.field(rec, callID), prev.line), raw)
		return
	}
	c.seen[key] = callSeen{line, raw}
	outcome := c.field(rec, callOutcome)
	if outcome == outcomePhanto {
		c.phantoms++
		return
	}
	caseKey, transfer := c.chain(key, rec)
	stages, col, reason := c.stages(rec, transfer)
	if reason == "" {
		switch served := stages[2].start != eventlog.NoTime; {
		case outcome == outcomeAgent && !served:
			col, reason = c.col["ser_start"], "the outcome is AGENT (answered) but ser_start is 0:00:00 (no service recorded)"
		case outcome == outcomeHang && served:
			col, reason = c.col[callOutcome], "the outcome is HANG (hung up) but a service stage is recorded, so whether an agent answered is unknown"
		case outcome != outcomeAgent && outcome != outcomeHang:
			col, reason = c.col[callOutcome], fmt.Sprintf("unknown outcome %q; expected AGENT, HANG or PHANTOM", outcome)
		}
	}
	if reason == "" && c.agentCol >= 0 {
		if d := strings.TrimSpace(rec[c.agentCol]); d == eventlog.CallVRUDepartment || d == eventlog.CallQueueDepartment {
			col, reason = c.agentCol, fmt.Sprintf("the service's department is %q, the name of a waiting stage; rename the team in this column", d)
		}
	}
	if reason != "" {
		c.reject(line, col+1, reason, raw)
		return
	}
	if transfer {
		c.chained++
	}
	c.add(line, caseKey, outcome, rec, stages)
}

// chain is the case of a call and whether it continues an earlier
// contact. Without chain columns the case is the call key. With them it
// is the call id of the chain's initial contact: the InitialContactId
// when given, else the case of the PreviousContactId when that call was
// read before, else the PreviousContactId itself (a chain whose earlier
// calls come later in the file, or are not in it, then still joins them
// when their InitialContactId names the same call).
func (c *callReader) chain(key string, rec []string) (string, bool) {
	if c.caseOf == nil {
		return key, false
	}
	id := c.field(rec, callID)
	kase := id
	if c.initial >= 0 {
		if v := strings.TrimSpace(rec[c.initial]); v != "" {
			kase = v
		}
	}
	if kase == id && c.previous >= 0 {
		if v := strings.TrimSpace(rec[c.previous]); v != "" {
			kase = v
			if k, ok := c.caseOf[v]; ok {
				kase = k
			}
		}
	}
	c.caseOf[id] = kase
	return kase, kase != id
}

// callStage is one stage's start and end in microseconds since the epoch;
// start is NoTime when the stage did not happen.
type callStage struct{ start, end int64 }

// stages reads the stage times. Times of day are on the call's date, and
// a time more than 12 hours before the VRU entry is on the next day: a
// stage that passes midnight keeps the date of the call's start, and no
// call lasts 12 hours. On a problem it returns the 0-based column and why.
//
// A transferred call (one that continues an earlier contact) may skip the
// VRU; its first stage then sets the date's reference time.
func (c *callReader) stages(rec []string, transfer bool) (st [3]callStage, col int, reason string) {
	dcol := c.col[callDate]
	day, err := parseCallDate(rec[dcol])
	if err != nil {
		return st, dcol, fmt.Sprintf("date %q: %v; expected yymmdd such as 990101, or yyyy-mm-dd", rec[dcol], err)
	}
	var entry time.Duration
	started := false
	for k, s := range callStages {
		st[k].start = eventlog.NoTime
		sc, ec := c.col[s.start], c.col[s.end]
		sv, ev := strings.TrimSpace(rec[sc]), strings.TrimSpace(rec[ec])
		if sv == callNoStage {
			if k == 0 && !transfer {
				return st, sc, "vru_entry is 0:00:00; every call starts in the VRU (only a transfer, with a previous or initial contact id, may skip it)"
			}
			if ev != callNoStage {
				return st, ec, fmt.Sprintf("%s is %s but %s is 0:00:00 (did not happen)", s.end, ev, s.start)
			}
			continue
		}
		var at [2]int64
		for i, v := range []struct {
			col  int
			text string
		}{{sc, sv}, {ec, ev}} {
			d, err := parseClock(v.text)
			if err != nil {
				return st, v.col, fmt.Sprintf("%s %q: %v; expected a time of day H:MM:SS", callHeaderName(s, i), v.text, err)
			}
			if !started {
				entry, started = d, true
			}
			days := 0
			if d < entry-12*time.Hour {
				days = 1
			}
			at[i] = time.Date(day.Year(), day.Month(), day.Day()+days, 0, 0, 0, 0, c.opt.Location).Add(d).UnixMicro()
		}
		if at[1] < at[0] {
			return st, ec, fmt.Sprintf("%s %s is before %s %s: the stage ends before it starts", s.end, ev, s.start, sv)
		}
		st[k] = callStage{at[0], at[1]}
	}
	return st, 0, ""
}

func callHeaderName(s struct{ start, end, dept string }, i int) string {
	if i == 0 {
		return s.start
	}
	return s.end
}

// parseCallDate reads yymmdd (years 69–99 are 19xx, as POSIX strptime's
// %y) or yyyy-mm-dd.
func parseCallDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	layout := "2006-01-02"
	if len(s) == 6 {
		layout = "060102"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return t, errors.New("not a date")
	}
	return t, nil
}

// parseClock reads a time of day H:MM:SS (hours 0–23, unpadded allowed).
func parseClock(s string) (time.Duration, error) {
	p := strings.Split(s, ":")
	if len(p) != 3 {
		return 0, errors.New("not H:MM:SS")
	}
	var v [3]int
	for i, lim := range [3]int{23, 59, 59} {
		n, err := strconv.Atoi(p[i])
		if err != nil || n < 0 || n > lim || (i > 0 && len(p[i]) != 2) {
			return 0, errors.New("not H:MM:SS")
		}
		v[i] = n
	}
	return time.Duration(v[0])*time.Hour + time.Duration(v[1])*time.Minute + time.Duration(v[2])*time.Second, nil
}

// add writes a call's stage events: VRU, then the queue (answered or
// abandoned by the outcome), then the service by the agent.
func (c *callReader) add(line int64, key, outcome string, rec []string, st [3]callStage) {
	server := c.field(rec, callServer)
	if server == callNoServer {
		server = ""
	}
	customer := c.field(rec, callCustomer)
	if customer == callNoCaller {
		customer = ""
	}
	queue := eventlog.CallQueueAbandoned
	if outcome == outcomeAgent {
		queue = eventlog.CallQueueAnswered
	}
	c.kept++
	acts := [3]string{eventlog.CallVRU, queue, eventlog.CallService}
	for k, s := range st {
		if s.start == eventlog.NoTime {
			continue
		}
		e := eventlog.Event{Case: []byte(key), Activity: []byte(acts[k]), Time: s.end, Start: s.start,
			Department: c.depts[k], Row: line}
		if k == 2 && c.agentCol >= 0 {
			if d := strings.TrimSpace(rec[c.agentCol]); d != "" {
				e.Department = []byte(d)
			}
		}
		if k == 2 {
			e.Resource = []byte(server)
		}
		c.b.Add(&e)
		c.b.SetString(c.attr.typ, []byte(c.field(rec, callType)))
		c.b.SetString(c.attr.customer, []byte(customer))
		c.b.SetString(c.attr.priority, []byte(c.field(rec, callPriority)))
		c.b.SetString(c.attr.outcome, []byte(outcome))
		for _, x := range c.extra {
			c.b.SetString(x.slot, []byte(strings.TrimSpace(rec[x.col])))
		}
	}
}

// Excluded is how many rows the inputs deliberately left out (see
// Input.Excluded).
func Excluded(ins []Input) int64 {
	var n int64
	for _, in := range ins {
		for _, e := range in.Excluded {
			n += e.Rows
		}
	}
	return n
}
