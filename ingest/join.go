package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Source is one system's export in an analysis of several (the config's
// [[input]] tables): its files read on their own by Read, and the column
// whose values tie its records to the cases of the first source.
type Source struct {
	// Name labels the source's events (attribute SourceColumn) and counts;
	// it must be unique among the sources.
	Name string
	// Result is the source as read; Join takes it over and releases it.
	Result *Result
	// Key is the join column: the name of the case column (as written in
	// the header, or "case"), or of an attribute column such as a
	// customer id or the ticket number a call was logged against.
	Key string
}

// SourceColumn is the attribute column of a joined log that names each
// event's source.
const SourceColumn = "source"

// SourceCount is what Join did with the records (cases as read) of one
// source. Linked + Unlinked = Cases, and the same for events.
type SourceCount struct {
	Name, Key string
	Cases     int64 // records as read: cases of the source on its own
	Events    int64
	// Linked counts the records that share a case with another source's
	// records: for the first source, its cases that at least one later
	// record joined; for a later source, its records that joined a case of
	// the first.
	LinkedCases, LinkedEvents     int64
	UnlinkedCases, UnlinkedEvents int64
	// NoKey counts the records (unlinked) without a value in the key
	// column; OneToMany the records (linked) whose key matched several
	// cases of the first source: they join the one nearest in time.
	NoKey, OneToMany int64
}

// Join stitches several sources into one log. The first source anchors
// it: its cases keep their ids. A record (case as read) of a later source
// whose key value equals the key of a case of the first source joins that
// case, so its events become events of the case; when several cases of
// the first source have that key (a customer id with several tickets), it
// joins the case whose first event is nearest in time to its own first
// event (the earlier case on a tie) and is counted in OneToMany. A record
// with no key value, or a key no case of the first source has, stays a
// case of its own, with "NAME:" put before its id so that it cannot merge
// with another source's case by accident. A record's key is the first
// non-empty value of the key column among its events in time order. Key
// values are compared after trimming spaces, case-sensitively.
//
// Join loses no event: the joined log has every event of every source,
// and the inputs, rows and rejects of all sources. The sources' results are
// released, also on error. No source is an error; one source is returned
// as read, with its counts.
func Join(sources []Source, mem memory.Allocator) (*Result, error) {
	defer func() {
		for _, s := range sources {
			s.Result.Release()
		}
	}()
	if len(sources) == 0 {
		return nil, errors.New("no source to read: give the config at least one [[input]] with files")
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	// The joined log is where the first source's is (see
	// ingest.Options.Memory).
	j := joiner{b: eventlog.NewBuilderIn(sources[0].Result.Log.Memory()), out: &Result{}}
	for i, s := range sources {
		if slices.ContainsFunc(sources[:i], func(o Source) bool { return o.Name == s.Name }) {
			return nil, fmt.Errorf("two [[input]] tables are named %q: give each its own name", s.Name)
		}
		keys, err := caseKeys(s.Result.Log, s.Key)
		if err != nil {
			return nil, fmt.Errorf("[[input]] %q: %w", s.Name, err)
		}
		if err := j.add(s, keys, i == 0); err != nil {
			return nil, fmt.Errorf("[[input]] %q: %w", s.Name, err)
		}
		j.out.Inputs = append(j.out.Inputs, s.Result.Inputs...)
		j.out.Rows += s.Result.Rows
		j.out.Rejected += s.Result.Rejected
		j.out.Rejects = append(j.out.Rejects, s.Result.Rejects...)
	}
	j.anchorCounts()
	slices.SortStableFunc(j.out.Rejects, func(a, c Reject) int {
		return cmp.Or(cmp.Compare(a.File, c.File), cmp.Compare(a.Line, c.Line), cmp.Compare(a.Column, c.Column))
	})
	var names []string
	for _, s := range sources {
		names = append(names, s.Name+": "+s.Key)
	}
	j.b.SetSource(eventlog.Case, "joined on "+strings.Join(names, ", "))
	log, err := j.b.Finish(mem)
	if err != nil {
		return nil, err
	}
	j.out.Log = log
	return j.out, nil
}

// joiner builds the joined log.
type joiner struct {
	b   *eventlog.Builder
	out *Result
	// anchor maps a key of the first source to its cases, in log order,
	// with their ids and first event times.
	anchor map[string][]anchorCase
	// the events of each case of the first source, and which were joined
	firstEvents []int64
	joined      []bool
	srcSlot     int
}

type anchorCase struct {
	k     int // case index in the first source
	id    string
	first int64
}

// caseKeys is the key of each case of l: the first non-empty value of the
// key column in its events, "" for none.
func caseKeys(l *eventlog.Log, key string) ([]string, error) {
	col, err := keyColumn(l, key)
	if err != nil {
		return nil, err
	}
	codes := l.Codes(col)
	off := l.Offsets()
	keys := make([]string, l.Cases())
	for k := range keys {
		for i := off[k]; i < off[k+1]; i++ {
			if c := codes.Index[i]; c >= 0 {
				if v := strings.TrimSpace(codes.Names[c]); v != "" {
					keys[k] = v
					break
				}
			}
		}
	}
	return keys, nil
}

// keyColumn is the log column holding the join key named key: the case
// column when key names it (or is "case"), else the text attribute
// column of that name (any case).
func keyColumn(l *eventlog.Log, key string) (string, error) {
	schema := l.Record().Schema()
	var texts []string
	for _, f := range schema.Fields() {
		src, _ := f.Metadata.GetValue(eventlog.SourceKey)
		switch {
		case f.Name == eventlog.Case && (strings.EqualFold(key, eventlog.Case) || strings.EqualFold(key, src)):
			return f.Name, nil
		case f.HasMetadata() || f.Name == eventlog.File:
			continue
		}
		if d, ok := f.Type.(*arrow.DictionaryType); ok && arrow.TypeEqual(d.ValueType, arrow.BinaryTypes.String) {
			texts = append(texts, f.Name)
		}
	}
	if i := slices.IndexFunc(texts, func(n string) bool { return strings.EqualFold(n, key) }); i >= 0 {
		return texts[i], nil
	}
	return "", fmt.Errorf("join = %q: no such column; name the case column or one of the text columns: %s", key, quoteList(texts))
}

// add copies the events of one source into the joined log, each record
// under the case it joins.
func (j *joiner) add(s Source, keys []string, first bool) error {
	l := s.Result.Log
	off := l.Offsets()
	cases := l.Codes(eventlog.Case)
	ts := l.Times()
	cnt := SourceCount{Name: s.Name, Key: s.Key, Cases: int64(l.Cases()), Events: int64(l.Len())}
	ids := make([]string, l.Cases())
	if first {
		j.anchor = map[string][]anchorCase{}
		j.firstEvents = make([]int64, l.Cases())
		j.joined = make([]bool, l.Cases())
	}
	for k := range ids {
		lo, hi := off[k], off[k+1]
		id := cases.Names[cases.Index[lo]]
		switch {
		case first:
			ids[k] = id
			j.firstEvents[k] = int64(hi - lo)
			if keys[k] != "" {
				j.anchor[keys[k]] = append(j.anchor[keys[k]], anchorCase{k, id, ts[lo]})
			}
			continue
		case keys[k] == "":
			cnt.NoKey++
		default:
			if to, ok := j.match(keys[k], ts[lo], &cnt); ok {
				ids[k] = to
				cnt.LinkedCases++
				cnt.LinkedEvents += int64(hi - lo)
				continue
			}
		}
		ids[k] = s.Name + ":" + id
		cnt.UnlinkedCases++
		cnt.UnlinkedEvents += int64(hi - lo)
	}
	j.out.Sources = append(j.out.Sources, cnt)
	return j.copy(l, s.Name, ids)
}

// match is the id of the first source's case that a record with key and
// first event time t joins, if any.
func (j *joiner) match(key string, t int64, cnt *SourceCount) (string, bool) {
	cs := j.anchor[key]
	if len(cs) == 0 {
		return "", false
	}
	best := cs[0]
	if len(cs) > 1 {
		cnt.OneToMany++
		for _, c := range cs[1:] {
			if d, bd := absDiff(c.first, t), absDiff(best.first, t); d < bd || d == bd && c.first < best.first {
				best = c
			}
		}
	}
	j.joined[best.k] = true
	return best.id, true
}

func absDiff(a, b int64) uint64 {
	if a > b {
		return uint64(a) - uint64(b)
	}
	return uint64(b) - uint64(a)
}

// anchorCounts fills the first source's linked and unlinked counts once
// every later source has joined.
func (j *joiner) anchorCounts() {
	c := &j.out.Sources[0]
	c.LinkedCases, c.LinkedEvents, c.UnlinkedCases, c.UnlinkedEvents = 0, 0, 0, 0
	for k, n := range j.firstEvents {
		if j.joined[k] {
			c.LinkedCases++
			c.LinkedEvents += n
		} else {
			c.UnlinkedCases++
			c.UnlinkedEvents += n
		}
	}
}

// copy adds every event of l to the joined log under the case ids (one
// per case of l), with its attributes and the source's name.
func (j *joiner) copy(l *eventlog.Log, name string, ids []string) error {
	slot, err := j.b.Attr(SourceColumn, eventlog.String)
	if err != nil {
		return err
	}
	j.srcSlot = slot
	type attrCopy struct {
		slot int
		set  func(b *eventlog.Builder, slot, i int)
	}
	var attrs []attrCopy
	for _, f := range l.Record().Schema().Fields() {
		if f.HasMetadata() || f.Name == eventlog.File || f.Name == eventlog.Row || isRoleColumn(f.Name) {
			continue // role columns carry their source in metadata
		}
		kind, set, err := attrSetter(l.Column(f.Name))
		if err != nil {
			return fmt.Errorf("column %q: %w", f.Name, err)
		}
		name := f.Name
		if name == SourceColumn {
			name = "attr:" + name
		}
		slot, err := j.b.Attr(name, kind)
		if err != nil {
			return fmt.Errorf("%w: another source has a column of that name with other values; rename one", err)
		}
		attrs = append(attrs, attrCopy{slot, set})
	}
	acts, depts, res, chn := textColumn(l, eventlog.Activity), textColumn(l, eventlog.Department), textColumn(l, eventlog.Resource), textColumn(l, eventlog.Channel)
	files := l.Codes(eventlog.File)
	rows := l.Rows()
	ts, starts := l.Times(), l.Starts()
	off := l.Offsets()
	file := int32(-1)
	src := []byte(name)
	for k, id := range ids {
		ev := eventlog.Event{Case: []byte(id)}
		for i := off[k]; i < off[k+1]; i++ {
			if f := files.Index[i]; f != file {
				file = f
				j.b.SetFile(files.Names[f])
			}
			ev.Activity, ev.Time, ev.Start, ev.Row = acts.at(i), ts[i], eventlog.NoTime, rows[i]
			if starts != nil {
				ev.Start = starts[i]
			}
			ev.Department, ev.Resource, ev.Channel = depts.at(i), res.at(i), chn.at(i)
			j.b.Add(&ev)
			j.b.SetString(j.srcSlot, src)
			for _, a := range attrs {
				a.set(j.b, a.slot, i)
			}
		}
	}
	return nil
}

// textCodes is a text column's codes with each value as bytes once, so
// that copying an event converts no string.
type textCodes struct {
	index []int32
	names [][]byte
}

// textColumn is the text column name of l; a log without it has every
// value missing.
func textColumn(l *eventlog.Log, name string) textCodes {
	if col, ok := l.Column(name).(*array.Dictionary); ok {
		return textDict(col)
	}
	return textCodes{index: l.Codes(name).Index}
}

func textDict(col *array.Dictionary) textCodes {
	vals := col.Dictionary().(*array.String)
	tc := textCodes{index: eventlog.Indices(col), names: make([][]byte, vals.Len())}
	for i := range tc.names {
		tc.names[i] = []byte(vals.Value(i))
	}
	return tc
}

// at is the value of event i, nil when missing.
func (t textCodes) at(i int) []byte {
	if x := t.index[i]; x >= 0 {
		return t.names[x]
	}
	return nil
}

func isRoleColumn(name string) bool {
	switch name {
	case eventlog.Case, eventlog.Activity, eventlog.Time, eventlog.StartTime, eventlog.Department, eventlog.Resource, eventlog.Channel:
		return true
	}
	return false
}

// attrSetter is the builder kind of an attribute column and how to copy
// its value at i (nothing when null).
func attrSetter(col arrow.Array) (eventlog.Kind, func(b *eventlog.Builder, slot, i int), error) {
	switch c := col.(type) {
	case *array.Dictionary:
		if _, ok := c.Dictionary().(*array.String); !ok {
			return 0, nil, fmt.Errorf("a dictionary of %s cannot be joined", c.Dictionary().DataType())
		}
		tc := textDict(c)
		return eventlog.String, func(b *eventlog.Builder, slot, i int) {
			if v := tc.at(i); v != nil {
				b.SetString(slot, v)
			}
		}, nil
	case *array.Int64:
		return eventlog.Int, numSetter(c, func(i int) int64 { return c.Value(i) }), nil
	case *array.Float64:
		return eventlog.Float, numSetter(c, func(i int) int64 { return int64(math.Float64bits(c.Value(i))) }), nil
	case *array.Boolean:
		return eventlog.Bool, numSetter(c, func(i int) int64 {
			if c.Value(i) {
				return 1
			}
			return 0
		}), nil
	case *array.Timestamp:
		return eventlog.Timestamp, numSetter(c, func(i int) int64 { return int64(c.Value(i)) }), nil
	}
	return 0, nil, fmt.Errorf("a column of %s cannot be joined", col.DataType())
}

func numSetter(col arrow.Array, v func(i int) int64) func(b *eventlog.Builder, slot, i int) {
	return func(b *eventlog.Builder, slot, i int) {
		if col.IsValid(i) {
			b.SetNum(slot, v(i))
		}
	}
}
