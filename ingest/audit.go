package ingest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/caseflow/caseflow/eventlog"
)

// Audit names the columns of a field-change history (one row per change:
// case, field, old value, new value, time, optionally who) and the fields
// whose changes are stays and activities. An empty name is detected.
type Audit struct {
	Field, Old, New string // columns: which field changed, from what, to what
	DepartmentField string // the field whose changes start a stay (--department-field)
	ActivityField   string // the field whose changes are activities (--activity-field)
}

// auditStart is the activity of the event that opens a case's first stay
// when its first row already moves the case out of it (see auditCase).
const auditStart = "history starts"

// The names of a field-change history's own columns. The words lists are
// narrow on purpose: "from" or "to" alone fit too many other columns.
var (
	fieldRule = roleRule{role: "field",
		exact: []string{"field", "fieldname", "field_name", "field name", "changed field", "attribute", "property", "veld", "veldnaam", "gewijzigd veld"},
		words: []string{"field", "fieldname", "veld", "veldnaam"}, not: timeWords}
	oldRule = roleRule{role: "old value",
		exact: []string{"old value", "old_value", "oldvalue", "old", "from", "from value", "previous value", "before", "oude waarde", "oud", "van"},
		words: []string{"old", "oldvalue", "oude", "previous"}, not: timeWords}
	newRule = roleRule{role: "new value",
		exact: []string{"new value", "new_value", "newvalue", "new", "to", "to value", "after", "nieuwe waarde", "nieuw", "naar"},
		words: []string{"new", "newvalue", "nieuwe"}, not: timeWords}
	auditTimeRule = roleRule{role: eventlog.Time,
		exact: []string{"changed at", "changed_at", "changed on", "change date", "sys_created_on", "gewijzigd op", "wijzigingsdatum", "mutatiedatum"}}
	auditWhoRule = roleRule{role: eventlog.Resource,
		exact: []string{"who", "changed by", "changed_by", "changedby", "sys_created_by", "user", "gewijzigd door", "door"}}
	auditCaseRule = roleRule{role: eventlog.Case,
		exact: []string{"documentkey", "document key", "document_key", "record", "record id", "record_id"}}
)

// auditRead maps the files of one Read as field-change histories (when
// Options.Shape is ShapeAudit, or "" and a header names a field, an old
// and a new value column) and then turns their rows into events.
type auditRead struct {
	cfg      Audit
	forced   bool
	audit    int // files read as histories
	other    int // files read as events (with the shape detected)
	old, new string
}

// auditMapping returns the mapping to read with, and the state that
// finish needs; nil when the rows are events whatever the header says.
func (o Options) auditMapping() (Mapping, *auditRead) {
	mp := o.Mapping
	switch {
	case o.Shape == ShapeAudit:
	case o.Shape == "" && len(mp.Activity) == 0:
	default:
		return mp, nil
	}
	a := &auditRead{cfg: o.Audit, forced: o.Shape == ShapeAudit}
	mp.adapt = a.adapt
	return mp, a
}

// bestColumn is the column the user named (error if absent), else the
// header name that fits ru best, or -1.
func bestColumn(header []string, named, flag string, ru roleRule) (int, error) {
	if named != "" {
		i, ok := findColumn(header, named)
		if !ok {
			return -1, fmt.Errorf("%s %q: no such column; the header has: %s", flag, named, quoteList(header))
		}
		return i, nil
	}
	best, score := -1, 0
	for i, h := range header {
		if s := ru.score(h); s > score {
			best, score = i, s
		}
	}
	return best, nil
}

// adapt maps a history's field column as the activity (finish turns it
// into stays and activities), and its time, who and case columns where
// the general rules would not find them.
func (a *auditRead) adapt(header []string, mp Mapping) (Mapping, error) {
	var cols [3]int
	var missing []string
	for k, c := range []struct {
		named, flag string
		ru          roleRule
	}{{a.cfg.Field, "--field-column", fieldRule}, {a.cfg.Old, "--old-column", oldRule}, {a.cfg.New, "--new-column", newRule}} {
		i, err := bestColumn(header, c.named, c.flag, c.ru)
		if err != nil {
			return mp, err
		}
		if cols[k] = i; i < 0 {
			missing = append(missing, fmt.Sprintf("the %s (%s)", c.ru.role, c.flag))
		}
	}
	if len(missing) > 0 || cols[0] == cols[1] || cols[1] == cols[2] || cols[0] == cols[2] {
		if !a.forced {
			a.other++
			return mp, nil
		}
		return mp, fmt.Errorf("--shape audit: cannot tell which column holds %s; name it with the flag in brackets; the header has: %s",
			strings.Join(missing, " and "), quoteList(header))
	}
	a.audit++
	old, new := header[cols[1]], header[cols[2]]
	if a.old != "" && (a.old != old || a.new != new) {
		return mp, fmt.Errorf("the field-change histories name their old and new value columns differently (%q and %q, then %q and %q); read them separately",
			a.old, a.new, old, new)
	}
	a.old, a.new = old, new
	mp.Activity = []string{header[cols[0]]}
	for _, r := range []struct {
		slot *[]string
		ru   roleRule
	}{{&mp.Time, auditTimeRule}, {&mp.Resource, auditWhoRule}, {&mp.Case, auditCaseRule}} {
		if len(*r.slot) > 0 || r.ru.role == eventlog.Case && slices.ContainsFunc(header, func(h string) bool { return rules[0].score(h) > 0 }) {
			continue
		}
		if i, _ := bestColumn(header, "", "", r.ru); i >= 0 && !slices.Contains(cols[:], i) {
			*r.slot = []string{header[i]}
		}
	}
	return mp, nil
}

// finish turns the rows of the histories read into events (the rule is
// in auditCase and docs/reading.md) and says so in each input's notes.
func (a *auditRead) finish(res *Result, opt Options) error {
	if a == nil || a.audit == 0 {
		return nil
	}
	if a.other > 0 || slices.ContainsFunc(res.Inputs, func(in Input) bool { return in.Shape != "" }) {
		return fmt.Errorf("%d file(s) read as field-change histories and %d as other shapes; read them separately or give --shape", a.audit, len(res.Inputs)-a.audit)
	}
	l := res.Log
	for _, c := range []string{a.old, a.new} {
		if _, ok := l.Column(c).(*array.Dictionary); !ok && l.Len() > 0 {
			// A Parquet or Arrow column of numbers or times: its values
			// cannot be compared with the text of other fields' values.
			return fmt.Errorf("the field-change history's column %q does not hold text; store the old and new values as strings", c)
		}
	}
	fields := l.Codes(eventlog.Activity)
	dept, err := pickField(fields.Names, a.cfg.DepartmentField, "--department-field", ruleFor(eventlog.Department), true)
	if err != nil && !a.forced {
		return fmt.Errorf("read as a field-change history, as the header names a field, an old and a new value column: %w; or pass --shape events to read each row as an event", err)
	}
	if err != nil {
		return err
	}
	status, err := pickField(fields.Names, a.cfg.ActivityField, "--activity-field", ruleFor(eventlog.Activity), false)
	if err != nil {
		return err
	}
	h := history{l: l, fields: fields, dept: dept, status: status, old: l.Codes(a.old), new: l.Codes(a.new)}
	defer func() {
		for _, c := range []eventlog.Codes{fields, h.old, h.new} {
			c.Free()
		}
	}()
	b := eventlog.NewBuilderIn(opt.Memory)
	if err := h.build(b); err != nil {
		return err
	}
	out, err := b.Finish(opt.Mem)
	if err != nil {
		return err
	}
	l.Release()
	res.Log = out
	for k := range res.Inputs {
		in := &res.Inputs[k]
		in.Shape = ShapeAudit
		in.HistoryGaps = h.gapsIn[in.File]
		in.Notes = append(in.Notes, h.note(in.File))
		// Activity and department come from the field's changes, not
		// from a column: no column plays them, and none is missing.
		in.Unfilled = slices.DeleteFunc(in.Unfilled, func(u Unfilled) bool {
			return u.Role == eventlog.Activity || u.Role == eventlog.Department
		})
		for c := range in.Columns {
			if r := in.Columns[c].Role; r == eventlog.Activity || r == eventlog.Department {
				in.Columns[c].Role, in.Columns[c].Candidates = "", nil
			}
		}
	}
	return nil
}

func ruleFor(role string) roleRule {
	return rules[slices.IndexFunc(rules, func(r roleRule) bool { return r.role == role })]
}

// pickField is the code of the field named (error if no row changes it),
// else of the field name that fits ru best; -1 when none fits, an error
// then if need.
func pickField(names []string, named, flag string, ru roleRule, need bool) (int32, error) {
	if named != "" {
		if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(named)) }); i >= 0 {
			return int32(i), nil
		}
		return -1, fmt.Errorf("%s %q: no row changes that field; the fields are: %s", flag, named, quoteList(names))
	}
	best, score := int32(-1), 0
	for i, n := range names {
		if s := ru.score(n); s > score {
			best, score = int32(i), s
		}
	}
	if best < 0 && need {
		return -1, fmt.Errorf("cannot tell which field holds the assignment (group, queue, team); name it with %s; the fields are: %s", flag, quoteList(names))
	}
	return best, nil
}

// history is one pass over the rows of field-change histories.
type history struct {
	l                *eventlog.Log
	fields, old, new eventlog.Codes
	dept, status     int32 // field codes, status -1 for none
	changes, starts  int64
	gaps             map[string]int64 // field → changes after a gap
	gapsIn           map[string]int64 // file → changes after a gap
	firstGap         string
}

// build adds the events of every case to b: one per row, and one per
// case whose first row leaves a stay its old value names.
func (h *history) build(b *eventlog.Builder) error {
	h.gaps, h.gapsIn = map[string]int64{}, map[string]int64{}
	schema := h.l.Record().Schema()
	source := func(role string) string {
		src, _ := schema.Field(schema.FieldIndices(role)[0]).Metadata.GetValue(eventlog.SourceKey)
		return src
	}
	for _, role := range []string{eventlog.Case, eventlog.Time, eventlog.Resource, eventlog.Channel} {
		if len(schema.FieldIndices(role)) > 0 {
			if src := source(role); src != "" {
				b.SetSource(role, src)
			}
		}
	}
	names := h.fields.Names
	b.SetSource(eventlog.Activity, "changes of the field "+fieldLabel(names, h.status))
	b.SetSource(eventlog.Department, "changes of the field "+fieldLabel(names, h.dept))
	// The field column becomes an attribute again, as the activity no
	// longer says which field changed; the other text columns (the old
	// and new values among them) stay attributes.
	fieldSlot, err := b.Attr(source(eventlog.Activity), eventlog.String)
	if err != nil {
		return err
	}
	type attrCol struct {
		slot  int
		codes eventlog.Codes
	}
	var attrs []attrCol
	for _, f := range schema.Fields() {
		if _, ok := h.l.Column(f.Name).(*array.Dictionary); !ok || f.HasMetadata() || f.Name == eventlog.File {
			continue // role columns carry their source in metadata
		}
		slot, err := b.Attr(f.Name, eventlog.String)
		if err != nil {
			return err
		}
		attrs = append(attrs, attrCol{slot, h.l.Codes(f.Name)})
		defer attrs[len(attrs)-1].codes.Free()
	}
	cases, res, chn, files := h.l.Codes(eventlog.Case), h.l.Codes(eventlog.Resource), h.l.Codes(eventlog.Channel), h.l.Codes(eventlog.File)
	for _, c := range []eventlog.Codes{cases, res, chn, files} {
		defer c.Free()
	}
	rows := h.l.Rows()
	ts := h.l.Times()
	off := h.l.Offsets()
	last := make([]string, len(names))
	seen := make([]bool, len(names))
	file := int32(-1)
	for k := range h.l.Cases() {
		lo, hi := off[k], off[k+1]
		clear(seen)
		stay := h.firstStay(lo, hi)
		ev := eventlog.Event{Case: []byte(cases.Names[cases.Index[lo]]), Start: eventlog.NoTime}
		add := func(i int, act string) {
			if f := files.Index[i]; f != file {
				file = f
				b.SetFile(files.Names[f])
			}
			ev.Activity, ev.Time, ev.Row = []byte(act), ts[i], rows[i]
			ev.Department, ev.Resource, ev.Channel = []byte(stay), codeBytes(res, i), codeBytes(chn, i)
			b.Add(&ev)
		}
		if stay != "" && h.fields.Index[lo] == h.dept {
			// The first row moves the case out of its first stay: an
			// event at that time opens the stay, so the move is a handoff.
			h.starts++
			add(lo, auditStart)
		}
		for i := lo; i < hi; i++ {
			f := h.fields.Index[i]
			o, n := codeText(h.old, i), codeText(h.new, i)
			h.changes++
			if seen[f] && last[f] != o {
				h.gap(files.Names[files.Index[i]], rows[i], names[f], o, last[f])
			}
			seen[f], last[f] = true, n
			act := names[f] + " changed"
			switch {
			case f == h.dept:
				stay = n
			case f == h.status && n != "":
				act = n
			}
			add(i, act)
			b.SetString(fieldSlot, []byte(names[f]))
			for _, a := range attrs {
				if c := a.codes.Index[i]; c >= 0 {
					b.SetString(a.slot, []byte(a.codes.Names[c]))
				}
			}
		}
	}
	return nil
}

// firstStay is the old value of the case's first change of the
// department field: where the case was before its history shows a move.
func (h *history) firstStay(lo, hi int) string {
	for i := lo; i < hi; i++ {
		if h.fields.Index[i] == h.dept {
			return codeText(h.old, i)
		}
	}
	return ""
}

// gap counts a change whose old value is not the field's previous new
// value: a change the history lacks, or rows out of order.
func (h *history) gap(file string, row int64, field, old, prev string) {
	h.gaps[field]++
	h.gapsIn[file]++
	if h.firstGap == "" {
		h.firstGap = fmt.Sprintf("%s:%d: %q changes from %q, but its previous change was to %q", file, row, field, old, prev)
	}
}

// note says how a history was read, and what it lacks.
func (h *history) note(file string) string {
	act := "no field's changes are activities (name one with --activity-field)"
	if h.status >= 0 {
		act = "a change of " + fieldLabel(h.fields.Names, h.status) + " is an activity"
	}
	s := fmt.Sprintf("read as a field-change history: a change of %s starts a stay in its new value, %s, other changes are events named \"<field> changed\"",
		fieldLabel(h.fields.Names, h.dept), act)
	if h.starts > 0 {
		s += fmt.Sprintf("; %d case(s) whose first row moves them out of their first stay have an event %q that opens it", h.starts, auditStart)
	}
	n := h.gapsIn[file]
	if n == 0 {
		return s + "; no history gaps"
	}
	var per []string
	for _, f := range slices.SortedFunc(maps.Keys(h.gaps), cmp.Compare) {
		per = append(per, fmt.Sprintf("%s %d", f, h.gaps[f]))
	}
	return s + fmt.Sprintf("; %d change(s) do not start from the field's previous new value (history gaps: %s; first %s): changes are missing from the export, so stays and handoffs around them are uncertain",
		n, strings.Join(per, ", "), h.firstGap)
}

func fieldLabel(names []string, code int32) string {
	if code < 0 {
		return "no field"
	}
	return strconv.Quote(names[code])
}

// codeText is the value of a dictionary column at i, "" when missing.
func codeText(c eventlog.Codes, i int) string {
	if c.Index[i] < 0 {
		return ""
	}
	return c.Names[c.Index[i]]
}

// codeBytes is codeText as bytes, nil when missing.
func codeBytes(c eventlog.Codes, i int) []byte {
	if c.Index[i] < 0 {
		return nil
	}
	return []byte(c.Names[c.Index[i]])
}
