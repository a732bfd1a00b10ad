package ingest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest/timefmt"
)

// sample is the first rows of a CSV file, row by row, with "" for a
// missing value, for the decisions names cannot make.
type sample struct {
	rows [][]string
	cols int
}

// profile describes one column's sampled values.
type profile struct {
	distinct int
	numeric  bool // every value reads as a number
	// changes is the share of multi-event cases (with two or more values
	// in the column) whose values are not all equal; -1 when the sample
	// has no such case.
	changes float64
}

// profiles describes every column, grouping rows into cases by the key
// columns.
func (s *sample) profiles(keys []int) []profile {
	cases := map[string][]int{}
	for r, row := range s.rows {
		k := caseKey(row, keys)
		cases[k] = append(cases[k], r)
	}
	out := make([]profile, s.cols)
	for c := range out {
		seen := map[string]bool{}
		numeric := true
		for _, row := range s.rows {
			if v := row[c]; v != "" && !seen[v] {
				seen[v] = true
				if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
					numeric = false
				}
			}
		}
		var ch changes
		var vals []string
		for _, rows := range cases {
			vals = vals[:0]
			for _, r := range rows {
				vals = append(vals, s.rows[r][c])
			}
			tallyCase(&ch, vals, "")
		}
		out[c] = profile{distinct: len(seen), numeric: numeric && len(seen) > 0, changes: ch.share()}
	}
	return out
}

// changes counts the cases with two or more present values in a column
// (multi) and those among them whose values are not all equal (changed).
type changes struct{ multi, changed int }

// tallyCase counts one case's values, none being the missing value.
func tallyCase[T comparable](c *changes, vals []T, none T) {
	first, n := none, 0
	for _, v := range vals {
		switch {
		case v == none:
			continue
		case n == 0:
			first = v
		case v != first:
			c.multi++
			c.changed++
			return
		}
		n++
	}
	if n >= 2 {
		c.multi++
	}
}

// share is changed over multi, or -1 when no case has two values.
func (c changes) share() float64 {
	if c.multi == 0 {
		return -1
	}
	return float64(c.changed) / float64(c.multi)
}

// keySep joins the parts of a case id made of several columns. U+241F
// (SYMBOL FOR UNIT SEPARATOR) is visible, and no export writes it, so a
// joined id cannot be mistaken for another; a part that holds it is
// rejected.
const keySep = "␟"

func caseKey(row []string, keys []int) string {
	if len(keys) == 1 {
		return row[keys[0]]
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = row[k]
	}
	return strings.Join(parts, keySep)
}

// MappingError is the error when a role cannot be filled. Input holds the
// column table, so that `caseflow inspect` can still show what it found.
type MappingError struct {
	Input Input
	Err   error
}

func (e *MappingError) Error() string { return e.Err.Error() }
func (e *MappingError) Unwrap() error { return e.Err }

// mapSample maps the columns of a CSV file from its header and the sample
// rows in text (the decoded first chunk, header included).
func (p *csvParser) mapSample(text []byte, in *Input, opt Options, isTime func(col int) bool) (*colMap, error) {
	ph := placeholdersFor(opt)
	smp := &sample{cols: len(p.header)}
	rr := recordReader{data: text, line: 1, delim: p.delim}
	rr.next() // the header
	for len(smp.rows) < sampleRows {
		fields, _, _, err, ok := rr.next()
		if !ok {
			break
		}
		if fields == nil || err != nil || len(fields) != len(p.header) {
			continue
		}
		row := make([]string, len(fields))
		for i, f := range fields {
			if !p.isMissing(f) && !ph.match(f) {
				row[i] = string(f)
			}
		}
		smp.rows = append(smp.rows, row)
	}
	if opt.TimeFormat != "" {
		// A forced layout fits every column; what fits is what it reads.
		isTime = smp.readsWith(opt)
	}
	m, err := assignRoles(p.header, opt.Mapping, isTime, smp)
	if err == nil && m.clock < 0 && len(smp.rows) > 0 && !isTime(m.time) {
		// A time column taken by its name whose values read as no time:
		// the layout's error, with the table, rather than after it.
		if _, terr := p.detectTime(smp.column(m.time), opt); terr != nil {
			err = fmt.Errorf("time column %q (column %d): %w", p.header[m.time], m.time+1, terr)
		}
	}
	if err != nil {
		if m != nil {
			for i := range p.header {
				in.Columns = append(in.Columns, m.column(p.header, i, examples(smp.column(i))))
			}
			in.Unfilled = m.unfilled(p.header)
		}
		return nil, &MappingError{Input: *in, Err: err}
	}
	m.tally = &tally{placeholders: ph}
	in.Unfilled = m.unfilled(p.header)
	if m.deptSteps {
		in.Notes = append(in.Notes, fmt.Sprintf("no column is named like an activity, so the department (column %q) is the step of each case; name one with --activity", p.header[m.dept]))
	}
	if slices.Contains(m.guessed, eventlog.Activity) {
		pr := m.prof[m.acts[0]]
		in.Notes = append(in.Notes, fmt.Sprintf("no column is named like an activity or department; column %q (%d distinct values in the first rows) is taken as the activity by its values; name another with --activity", p.header[m.acts[0]], pr.distinct))
	}
	return m, nil
}

// column is the present values of column c.
func (s *sample) column(c int) []string {
	var out []string
	for _, row := range s.rows {
		if row[c] != "" {
			out = append(out, row[c])
		}
	}
	return out
}

// readsWith returns isTime for a forced --time-format: a column fits when
// most of its sampled values read with it.
func (s *sample) readsWith(opt Options) func(col int) bool {
	l, err := timefmt.Force(opt.TimeFormat, opt.Location)
	return func(col int) bool {
		if err != nil || l.TimeOfDay() {
			return false
		}
		good, n := 0, 0
		for _, row := range s.rows {
			if v := row[col]; v != "" {
				n++
				if _, err := l.Parse([]byte(v)); err == nil {
					good++
				}
			}
		}
		return n > 0 && 2*good > n
	}
}

// column describes column i for `caseflow inspect`.
func (m *colMap) column(header []string, i int, examples []string) Column {
	role := m.roleOf(i)
	col := Column{Name: header[i], Role: role, Examples: examples}
	if role != "" {
		for _, c := range m.candidates[role] {
			col.Candidates = append(col.Candidates, header[c])
		}
	}
	return col
}

// unfilled lists the optional roles no column plays, with the columns that
// could.
func (m *colMap) unfilled(header []string) []Unfilled {
	var out []Unfilled
	for _, role := range []string{eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.Department, eventlog.Resource, eventlog.Channel} {
		if role == eventlog.Activity && len(m.acts) > 0 || role != eventlog.Activity && *m.slot(role) >= 0 {
			continue
		}
		u := Unfilled{Role: role, Flag: flagFor(role)}
		for _, c := range m.candidates[role] {
			u.Candidates = append(u.Candidates, header[c])
		}
		out = append(out, u)
	}
	return out
}

// DefaultPlaceholders are the values that stand for "nothing" in the role
// columns (activity, department, resource, channel), compared ignoring
// case, when --missing is not given: with them, a group called EMPTY is no
// department that cases bounce to.
var DefaultPlaceholders = []string{"empty", "(empty)", "none", "(none)", "--none--", "null", "(null)", "nil",
	"(blank)", "blank", "unknown", "(unknown)", "onbekend", "n.v.t.", "n.v.t", "nvt", "tbd", "n/a", "na", "#n/a",
	"not set", "unassigned"}

// placeholders matches the placeholder values, ignoring ASCII case. It
// runs on every role cell, and almost none is a placeholder: the length
// and first byte rule most out before any comparison.
type placeholders struct {
	byLen [maxPlaceholder + 1][][]byte
	first [256]bool // the tokens' first bytes, both cases
}

// maxPlaceholder is the length of the longest placeholder.
const maxPlaceholder = 16

// placeholdersFor is DefaultPlaceholders, or nil when the user's --missing
// replaces every list.
func placeholdersFor(opt Options) *placeholders {
	if !opt.placeholders {
		return nil
	}
	ph := &placeholders{}
	for _, t := range DefaultPlaceholders {
		ph.byLen[len(t)] = append(ph.byLen[len(t)], []byte(t))
		ph.first[t[0]] = true
		ph.first[bytes.ToUpper([]byte{t[0]})[0]] = true
	}
	return ph
}

func (ph *placeholders) match(f []byte) bool {
	if ph == nil || len(f) == 0 || len(f) > maxPlaceholder || !ph.first[f[0]] {
		return false
	}
	for _, t := range ph.byLen[len(f)] {
		if bytes.EqualFold(f, t) {
			return true
		}
	}
	return false
}

// tally gathers what the parse workers learn beyond the events: how often
// each placeholder stood in a role column, and which UTC offsets the
// values carried. Sums and sets, so the worker order does not matter.
type tally struct {
	placeholders *placeholders
	mu           sync.Mutex
	counts       []placeholderCount
	offsets      []int
	gaps         int64
}

type placeholderCount struct {
	col int
	val string
	n   int64
}

// chunkTally is one chunk's share of a tally, kept without locking.
type chunkTally struct {
	counts  []placeholderCount
	offsets []int
	gaps    int64 // times in a gap when clocks went forward (timefmt.Layout.ParseGap)
}

func (c *chunkTally) count(col int, v []byte) {
	for i := range c.counts {
		if c.counts[i].col == col && c.counts[i].val == string(v) {
			c.counts[i].n++
			return
		}
	}
	c.counts = append(c.counts, placeholderCount{col, string(v), 1})
}

func (c *chunkTally) offset(off int) {
	if !slices.Contains(c.offsets, off) {
		c.offsets = append(c.offsets, off)
	}
}

// placeholder reports whether f is a placeholder value.
func (t *tally) placeholder(f []byte) bool { return t != nil && t.placeholders.match(f) }

func (t *tally) add(c *chunkTally) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, pc := range c.counts {
		i := slices.IndexFunc(t.counts, func(o placeholderCount) bool { return o.col == pc.col && o.val == pc.val })
		if i < 0 {
			t.counts = append(t.counts, pc)
		} else {
			t.counts[i].n += pc.n
		}
	}
	for _, o := range c.offsets {
		if !slices.Contains(t.offsets, o) {
			t.offsets = append(t.offsets, o)
		}
	}
	t.gaps += c.gaps
}

// report writes the tally into the input description, sorted.
func (t *tally) report(in *Input, header []string) {
	if t == nil {
		return
	}
	for _, pc := range t.counts {
		in.Placeholders = append(in.Placeholders, Placeholder{Column: header[pc.col], Value: pc.val, Events: pc.n})
	}
	slices.SortFunc(in.Placeholders, func(a, b Placeholder) int {
		return cmp.Or(cmp.Compare(b.Events, a.Events), strings.Compare(a.Column, b.Column), strings.Compare(a.Value, b.Value))
	})
	slices.Sort(t.offsets)
	in.Offsets = t.offsets
	if t.gaps > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%d time value(s) fall in an hour that %s skips when clocks go forward (02:00-03:00 on the last Sunday of March in Europe/Amsterdam), so they do not exist; each is moved forward by the length of the gap (02:30 reads as 03:30), as RFC 5545 and java.time do, and may now come after an event written a little later", t.gaps, in.Zone))
	}
}

// dropPlaceholderExamples removes placeholders from the examples of the
// role columns where they are read as missing: a placeholder is no
// example of a role's values.
func (m *colMap) dropPlaceholderExamples(cols []Column) {
	for _, c := range append([]int{m.dept, m.res, m.chn}, m.acts...) {
		if c >= 0 && c < len(cols) {
			cols[c].Examples = slices.DeleteFunc(cols[c].Examples, func(v string) bool { return m.tally.placeholder([]byte(v)) })
		}
	}
}

// timePlaceholders moves the placeholder dates counted in the event time
// column out of in.Placeholders, which counts events with a value read as
// missing, into a note: a row without a time is rejected, not an event.
func timePlaceholders(in *Input, col string) {
	var rows int64
	var vals []string
	in.Placeholders = slices.DeleteFunc(in.Placeholders, func(ph Placeholder) bool {
		if ph.Column != col {
			return false
		}
		rows += ph.Events
		if len(vals) < 3 {
			vals = append(vals, strconv.Quote(ph.Value))
		}
		return true
	})
	if rows > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%d row(s) rejected: the time (column %q) is a date that systems write for \"no date\" (%s), not a time", rows, col, strings.Join(vals, ", ")))
	}
}

var errKeySep = errors.New("holds the character " + keySep + ", which caseflow uses to join the columns of a case id")
