package ingest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/caseflow/caseflow/eventlog"
)

// roleRule says which header names play a role. Exact names (compared
// case-insensitively) are preferred in list order; then names whose words
// include one of words (and, for pairWith, also one of those), with fewer
// words first; names with a word in not never match.
type roleRule struct {
	role     string
	exact    []string
	words    []string
	pairWith []string
	not      []string
}

var (
	idWords   = []string{"id", "number", "nummer", "nr", "no", "num", "key"}
	timeWords = []string{"time", "timestamp", "date", "datetime", "datum", "tijd", "tijdstip", "stamp", "moment"}
)

// rules are in the order roles are assigned: a column taken by an earlier
// role is not considered for a later one. The preference among several
// fitting columns is documented in docs/reading.md. The lists cover
// English, Dutch and XES names and the exports of ServiceNow, Salesforce,
// Zendesk, Dynamics and TOPdesk.
var rules = []roleRule{
	{role: eventlog.Case,
		exact: []string{"case:concept:name", "case_id", "caseid", "case id", "case", "case number", "case_number", "casenumber",
			"case #", "ticket_id", "ticket id", "ticket", "ticket number", "ticket_number", "ticketnumber", "ticket #",
			"incident_id", "incident id", "incidentid", "incident", "incident number", "incident_number", "sr number",
			"sr_number", "sr #", "zaaknummer", "zaak_id", "zaakid", "zaak", "dossiernummer", "meldingnummer",
			"meldingsnummer", "incidentnummer", "number", "id"},
		words:    []string{"case", "ticket", "incident", "zaak", "problem", "request", "dossier", "call", "issue", "sr", "melding"},
		pairWith: idWords,
		not:      []string{"activity", "customer", "klant", "interaction", "km", "parent", "related"}},
	{role: eventlog.Time,
		exact: []string{"time:timestamp", "timestamp", "time", "datetime", "date_time", "event_time", "event time",
			"date", "datum", "tijdstip", "datumtijd", "datum_tijd", "time_stamp", "created", "created_at"},
		words: timeWords},
	{role: eventlog.StartTime,
		exact: []string{"start_timestamp", "start_time", "starttime", "start time", "start", "starttijd", "begin_time", "begintijd"}},
	{role: eventlog.Activity,
		exact: []string{"concept:name", "activity", "activity_name", "activity name", "activiteit", "event", "event_name",
			"event name", "action", "task", "step", "status", "state", "stage", "incident_state", "incident state",
			"handeling", "stap", "fase", "phase", "activity_type"},
		words: []string{"activity", "activiteit", "event", "task", "step", "status", "state", "stage", "handeling", "stap", "fase", "phase"},
		not:   append(append([]string{"instance", "alert", "us", "province", "provincie"}, idWords...), timeWords...)},
	{role: eventlog.Department,
		exact: []string{"org:group", "department", "dept", "afdeling", "group", "team", "queue", "assignment_group",
			"assignment group", "assigned_group", "assigned group", "owner group", "owner_group", "owning group",
			"support group", "support_group", "resolver group", "workgroup", "support_team", "support team",
			"operatorgroep", "operator group", "behandelaarsgroep", "behandelgroep", "office", "unit", "business unit", "section"},
		words: []string{"department", "dept", "afdeling", "group", "groep", "team", "queue", "unit", "section", "workgroup",
			"office", "support", "involved"},
		not: append([]string{"country", "name", "first", "last", "email", "mail", "phone", "type", "level", "customer", "klant"}, idWords...)},
	{role: eventlog.Resource,
		exact: []string{"org:resource", "resource", "agent", "user", "user_id", "assigned_to", "assigned to", "assignee",
			"medewerker", "employee", "operator", "handler", "behandelaar", "owner", "case owner", "performer", "staff", "sys_updated_by", "updated_by"},
		words: []string{"resource", "agent", "assignee", "medewerker", "employee", "operator", "behandelaar", "performer"}},
	{role: eventlog.Channel,
		exact: []string{"case:channel", "channel", "contact_type", "contact type", "kanaal", "medium", "contact_channel", "origin",
			"case origin", "via", "soort binnenkomst", "entry type"},
		words: []string{"channel", "kanaal", "medium", "binnenkomst"}},
}

// Time column names rank in tiers, since exports carry several
// timestamps: the per-event ones (updated, changed) above plain time
// words above the case's own dates (opened, created), and dates that
// end or plan a case last. Within a tier, the rule's score decides.
var (
	eventTimeWords = []string{"updated", "update", "changed", "change", "modified", "modification", "edited", "edit",
		"event", "mutatie", "mutatiedatum", "gewijzigd", "wijziging", "history", "logged"}
	caseTimeWords = []string{"opened", "open", "created", "create", "creation", "start", "started", "begin", "reported",
		"registered", "submitted", "received", "aangemaakt", "geopend", "gemeld", "ontvangen", "registratie", "registratiedatum"}
	lastTimeWords = []string{"end", "ended", "enddate", "startdate", "close", "closed", "closing", "resolved", "resolve",
		"reopen", "reopened", "due", "deadline", "planned", "target", "expected", "sla", "breach", "afgesloten", "gesloten", "gereed"}
)

// timeTier ranks a header name as a time column, higher is better.
func timeTier(name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	ws := words(name)
	switch {
	case n == "time:timestamp":
		return 5
	case hasAny(ws, lastTimeWords):
		return -1
	case slices.Contains(rules[2].exact, n): // a start time is not the event's time
		return -2
	case hasAny(ws, eventTimeWords):
		return 4
	case hasAny(ws, caseTimeWords):
		return 1
	case rules[1].score(name) > 0:
		return 2
	}
	return 0
}

// words splits a header name into lower-case words at punctuation, spaces
// and camelCase humps: "Problem Change Date+Time" → problem change date time.
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}

func hasAny(ws, set []string) bool {
	for _, w := range ws {
		if slices.Contains(set, w) {
			return true
		}
	}
	return false
}

// score rates how well a header name fits a rule: > 100 for exact names
// (earlier in the list is better), 1..99 for word matches (fewer words is
// better), 0 for no fit. Case-level XES names ("case:…") only fit through
// the exact list: a case's department or start date is not the event's.
func (ru roleRule) score(name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	if i := slices.Index(ru.exact, n); i >= 0 {
		return 1000 - i
	}
	if strings.HasPrefix(n, "case:") || len(ru.words) == 0 {
		return 0
	}
	ws := words(name)
	if hasAny(ws, ru.not) || !hasAny(ws, ru.words) {
		return 0
	}
	if ru.pairWith != nil && !hasAny(ws, ru.pairWith) {
		return 0
	}
	return max(1, 100-len(ws))
}

// weakScore rates case-level names ("case:group") that a role's exact and
// word lists would fit without the prefix: not chosen, but offered as
// alternatives in `caseflow inspect`.
func (ru roleRule) weakScore(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	rest, ok := strings.CutPrefix(n, "case:")
	return ok && ru.score(rest) > 0
}

// colMap is the outcome of mapping: the column index of each role (-1 for
// none) and, for activity, possibly several columns.
type colMap struct {
	cases, time, start, dept, res, chn int
	clock                              int // time of day beside a date-only time column, or -1
	acts                               []int
	keys                               []int            // all columns of a case id made of several (--case "a,b"), else nil
	candidates                         map[string][]int // role → other fitting columns
	// deptSteps says the department column is also the activity, as the
	// file has no activity column.
	deptSteps bool
	// guessed names the roles chosen by their values rather than a name.
	guessed []string
	// timeCands are the columns whose values read as timestamps.
	timeCands []int
	// prof describes each column's sample values (CSV only), and tally
	// what parsing learns beyond the events; both nil for other formats.
	prof  []profile
	tally *tally
}

func (m *colMap) roleOf(col int) string {
	switch {
	case col == m.cases || slices.Contains(m.keys, col):
		return eventlog.Case
	case col == m.time || col == m.clock:
		return eventlog.Time
	case col == m.start:
		return eventlog.StartTime
	case col == m.dept:
		return eventlog.Department
	case col == m.res:
		return eventlog.Resource
	case col == m.chn:
		return eventlog.Channel
	case slices.Contains(m.acts, col):
		return eventlog.Activity
	}
	return ""
}

func (m *colMap) slot(role string) *int {
	switch role {
	case eventlog.Case:
		return &m.cases
	case eventlog.Time:
		return &m.time
	case eventlog.StartTime:
		return &m.start
	case eventlog.Department:
		return &m.dept
	case eventlog.Resource:
		return &m.res
	case eventlog.Channel:
		return &m.chn
	}
	return nil
}

func (mp Mapping) forRole(role string) []string {
	switch role {
	case eventlog.Case:
		return mp.Case
	case eventlog.Activity:
		return mp.Activity
	case eventlog.Time:
		return mp.Time
	case eventlog.StartTime:
		return mp.StartTime
	case eventlog.Department:
		return mp.Department
	case eventlog.Resource:
		return mp.Resource
	case eventlog.Channel:
		return mp.Channel
	}
	return nil
}

// flagFor names the command-line flag that sets a role.
func flagFor(role string) string {
	return "--" + strings.ReplaceAll(role, "_", "-")
}

// findColumn resolves a user-given column name: exact first, then
// ignoring case and surrounding space.
func findColumn(header []string, name string) (int, bool) {
	if i := slices.Index(header, name); i >= 0 {
		return i, true
	}
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i, true
		}
	}
	return -1, false
}

// mapColumns assigns roles to header columns: the user's mapping first, then
// the rules. isTime reports whether a column's sample values read as
// timestamps, which decides the time column when names don't (BPIC 2014's
// is called data_stamp) and vetoes a time-like name whose values are not.
// A case id of several columns is for CSV only (see mapSample).
func mapColumns(header []string, mp Mapping, isTime func(col int) bool) (*colMap, error) {
	return assignRoles(header, mp, isTime, nil)
}

// assignRoles is mapColumns with, for CSV, the sample rows: with them, a
// case id may span several columns, a timestamp column that changes within
// cases wins over one that stays the same, and roles no name fills are
// filled, or offered, by their values.
func assignRoles(header []string, mp Mapping, isTime func(col int) bool, smp *sample) (*colMap, error) {
	if mp.adapt != nil {
		var err error
		if mp, err = mp.adapt(header, mp); err != nil {
			return nil, err
		}
	}
	m := &colMap{cases: -1, time: -1, start: -1, dept: -1, res: -1, chn: -1, clock: -1, candidates: map[string][]int{}}
	used := make([]bool, len(header))
	// Explicit mappings first, so detection never takes a column the user
	// gave to another role.
	for _, ru := range rules {
		names := mp.forRole(ru.role)
		if len(names) == 0 {
			continue
		}
		switch {
		case ru.role == eventlog.Time && len(names) > 2:
			return nil, fmt.Errorf("%s takes one column, or a date and a time-of-day column, got %d (%s)", flagFor(ru.role), len(names), strings.Join(names, ", "))
		case ru.role == eventlog.Case && len(names) > 1 && smp == nil:
			return nil, fmt.Errorf("%s takes one column for this format, got %d (%s); a case id of several columns is read from CSV files", flagFor(ru.role), len(names), strings.Join(names, ", "))
		case len(names) > 1 && ru.role != eventlog.Activity && ru.role != eventlog.Time && ru.role != eventlog.Case:
			return nil, fmt.Errorf("%s takes one column, got %d (%s)", flagFor(ru.role), len(names), strings.Join(names, ", "))
		}
		for k, n := range names {
			i, ok := findColumn(header, n)
			if !ok {
				return nil, fmt.Errorf("%s %q: no such column; the header has: %s", flagFor(ru.role), n, quoteList(header))
			}
			used[i] = true
			switch {
			case ru.role == eventlog.Activity:
				m.acts = append(m.acts, i)
			case ru.role == eventlog.Case && len(names) > 1:
				m.keys = append(m.keys, i)
				m.cases = m.keys[0]
			case ru.role == eventlog.Time && k == 1:
				m.clock = i
			default:
				*m.slot(ru.role) = i
			}
		}
	}
	type cand struct{ col, score int }
	for _, ru := range rules {
		if ru.role == eventlog.Time && smp != nil && m.cases >= 0 {
			// Within-case change needs the case id.
			m.prof = smp.profiles(m.caseCols())
		}
		if len(mp.forRole(ru.role)) > 0 {
			continue
		}
		var cs []cand
		var weak []int
		for i, h := range header {
			if used[i] {
				continue
			}
			if s := ru.score(h); s > 0 {
				cs = append(cs, cand{i, s})
			} else if ru.weakScore(h) {
				weak = append(weak, i)
			}
		}
		slices.SortStableFunc(cs, func(a, b cand) int { return b.score - a.score })
		switch ru.role {
		case eventlog.Time:
			byName := cs
			cs = nil
			for i, h := range header {
				if !used[i] && isTime(i) && !strings.HasPrefix(strings.ToLower(h), "case:") {
					cs = append(cs, cand{i, ru.score(h)})
				}
			}
			// A column that changes within cases beats one that does not
			// (a ticket's opened_at repeats on every row); then the name's
			// tier, then its score, then the leftmost.
			slices.SortStableFunc(cs, func(a, b cand) int {
				return cmp.Or(cmp.Compare(m.varies(b.col), m.varies(a.col)),
					cmp.Compare(timeTier(header[b.col]), timeTier(header[a.col])), b.score-a.score)
			})
			for _, c := range cs {
				m.timeCands = append(m.timeCands, c.col)
			}
			if len(cs) == 0 {
				// No values read as times (or there are none): trust the
				// name, and let layout detection say what is wrong.
				cs = byName
			}
		case eventlog.StartTime:
			cs = slices.DeleteFunc(cs, func(c cand) bool { return !isTime(c.col) })
		}
		if len(cs) == 0 {
			m.candidates[ru.role] = weak
			continue
		}
		used[cs[0].col] = true
		if ru.role == eventlog.Activity {
			m.acts = []int{cs[0].col}
		} else {
			*m.slot(ru.role) = cs[0].col
		}
		for _, c := range cs[1:] {
			m.candidates[ru.role] = append(m.candidates[ru.role], c.col)
		}
		m.candidates[ru.role] = append(m.candidates[ru.role], weak...)
	}
	// An activity no name gives: the department is the step, else the
	// column whose values look most like steps. (Department candidates by
	// value come from the whole log: see stepCandidates.)
	byValues := m.stepColumns(header, used, isTime)
	switch {
	case len(m.acts) > 0:
	case m.dept >= 0:
		m.acts, m.deptSteps = []int{m.dept}, true
	case len(byValues) > 0:
		m.acts = byValues[:1]
		m.guessed = append(m.guessed, eventlog.Activity)
		m.candidates[eventlog.Activity] = appendNew(m.candidates[eventlog.Activity], byValues[1:]...)
	}
	var missing []string
	if m.cases < 0 {
		missing = append(missing, "case id (--case)")
	}
	if len(m.acts) == 0 {
		missing = append(missing, "activity (--activity)")
	}
	if m.time < 0 {
		missing = append(missing, "timestamp (--time)")
	}
	if len(missing) > 0 {
		return m, fmt.Errorf("cannot tell which column holds the %s; name it with the flag in brackets; the header has: %s",
			strings.Join(missing, ", the "), quoteList(header))
	}
	return m, nil
}

// caseCols are the columns of the case id.
func (m *colMap) caseCols() []int {
	if m.keys != nil {
		return m.keys
	}
	return []int{m.cases}
}

// changes is the share of sampled multi-event cases in which col's value
// changes, or -1 when unknown.
func (m *colMap) changes(col int) float64 {
	if m.prof == nil {
		return -1
	}
	return m.prof[col].changes
}

// varies is 1 when col's value changes in most sampled multi-event cases,
// else 0.
func (m *colMap) varies(col int) int {
	if m.changes(col) >= 0.5 {
		return 1
	}
	return 0
}

// maxStepValues bounds the distinct values of a column offered as steps:
// more are names or ids rather than departments or activities.
const maxStepValues = 100

// stepColumns lists the columns no role took whose sampled values could be
// steps of a case: text (not numbers or times) with 2 to maxStepValues
// distinct values, that changes within at least some cases when the sample
// shows multi-event cases; most changes first, then fewest values (the
// rule stepCandidates applies to the whole log).
func (m *colMap) stepColumns(header []string, used []bool, isTime func(int) bool) []int {
	if m.prof == nil {
		return nil
	}
	var out []int
	for i, h := range header {
		p := m.prof[i]
		if used[i] || p.numeric || p.distinct < 2 || p.distinct > maxStepValues || p.changes == 0 ||
			strings.HasPrefix(strings.ToLower(h), "case:") || isTime(i) {
			continue
		}
		out = append(out, i)
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return cmp.Or(cmp.Compare(m.prof[b].changes, m.prof[a].changes), cmp.Compare(m.prof[a].distinct, m.prof[b].distinct))
	})
	return out
}

func appendNew(s []int, vs ...int) []int {
	for _, v := range vs {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

// clockWords mark a time-of-day column that goes with a date column.
var clockWords = []string{"time", "tijd", "tijdstip", "uur", "clock", "hour"}

// pickClock returns the column holding the time of day for a date-only
// time column: among columns no role took whose values read as times of
// day (isClock), the first whose name has a clock word, else the first.
func (m *colMap) pickClock(header []string, isClock func(col int) bool) int {
	best := -1
	for i, h := range header {
		if m.roleOf(i) != "" || !isClock(i) {
			continue
		}
		if hasAny(words(h), clockWords) {
			return i
		}
		if best < 0 {
			best = i
		}
	}
	return best
}

func quoteList(names []string) string {
	// A header may have 10,000 names of up to a MiB in all: a message
	// lists the first ones, each cut as a reject's raw text is.
	const listed = 20
	q := make([]string, 0, listed+1)
	for _, n := range names[:min(len(names), listed)] {
		q = append(q, strconv.Quote(rawText([]byte(n))))
	}
	if len(names) > listed {
		q = append(q, fmt.Sprintf("(and %d more)", len(names)-listed))
	}
	return strings.Join(q, ", ")
}
