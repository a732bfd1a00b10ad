package report

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/caseflow/caseflow/mining"
)

// Style is how the text report looks.
type Style struct {
	// Color makes headings bold with ANSI escapes; use it only when
	// writing to a terminal.
	Color bool
	// Lang is the report's language (ParseLang); unset is English.
	Lang language.Tag
}

// Lines of each table in the text report, so that it fits on one screen.
const (
	textPairs    = 5
	textSilos    = 5
	textLongest  = 3
	textWhere    = 3
	textStrata   = 5
	textUnits    = 8
	textNameRune = 28
)

// WriteText writes the one-screen report: headline, ping-pong, silo
// boundaries, lead time and the unit table.
func (r *Report) WriteText(w io.Writer, st Style) error {
	return r.writeText(w, st, nil)
}

// writeText is WriteText; seen, when not nil, is given every format
// string the report's sentences are written with (TestCatalogueComplete).
func (r *Report) writeText(w io.Writer, st Style, seen func(string)) error {
	t := &textWriter{w: w, st: st, day: workingDay(&r.doc), p: printer(st.Lang), seen: seen}
	d := &r.doc
	t.headline(d)
	t.since(d)
	t.pingPong(d)
	t.silos(d)
	t.leadTime(d)
	t.working(d)
	t.units(d)
	t.journeys(d)
	t.calls(d)
	t.cost(d)
	return t.err
}

type textWriter struct {
	w   io.Writer
	st  Style
	err error
	day float64 // the working day in seconds (see workingDay); 0 in clock time
	p   *message.Printer
	// seen, when not nil, is given every format string (lang.go).
	seen func(format string)
}

// heading writes a section's title, translated, and its line, which the
// caller translated.
func (t *textWriter) heading(title, rest string) {
	title = t.Sprintf(title)
	if t.st.Color {
		title = "\x1b[1m" + title + "\x1b[0m"
	}
	t.printf("\n%s  %s\n", title, rest)
}

// table writes rows in columns, indented by two spaces, two spaces
// apart; align has an 'l' (names) or 'r' (numbers) per column. The first
// row is the header; without other rows nothing is written. Widths count
// runes, which is right for names in most scripts.
func (t *textWriter) table(align string, rows [][]string) {
	if len(rows) < 2 {
		return
	}
	var width []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if align[i] == 'l' {
				b.WriteString(" " + c + pad + " ")
			} else {
				b.WriteString(" " + pad + c + " ")
			}
		}
		t.printf(" %s\n", strings.TrimRight(b.String(), " "))
		b.Reset()
	}
}

func (t *textWriter) headline(d *document) {
	in := &d.Input
	names := make([]string, len(in.Files))
	for i, f := range in.Files {
		names[i] = f.Name
	}
	title := t.Sprintf("caseflow report")
	if t.st.Color {
		title = "\x1b[1m" + title + "\x1b[0m"
	}
	t.printf("%s · %s", title, strings.Join(names, ", "))
	if d.Version != "" {
		t.printf(" · caseflow %s", d.Version)
	}
	t.printf("\n")
	t.printf("%d events in %d cases", in.Events, d.Log.Cases)
	if in.From != nil {
		t.printf(", %s to %s (%s)", t.date(*in.From), t.date(*in.To), in.Zone)
	}
	t.printf("; %d rows read, %d rejected", in.Rows, in.Rejected)
	if in.Excluded > 0 {
		t.printf(", %d excluded", in.Excluded)
	}
	t.printf("\n")
	if f, x := d.Options.Filter, in.ExcludedByFilter; f != nil && (f.Since != nil || f.Until != nil) {
		t.printf("Filtered by %s (days in %s): %d cases left out, with %d events from %d rows\n", f.flags(), f.Zone, x.Cases, x.Events, x.Rows)
	} else if f != nil {
		t.printf("Filtered by %s: %d cases left out, with %d events from %d rows\n", f.flags(), x.Cases, x.Events, x.Rows)
	}
	for _, s := range in.Sources {
		t.printf("Source %s (joined on %s): %d of %d records linked (%d of %d events), %d unlinked", s.Name, s.Join,
			s.LinkedCases, s.Cases, s.LinkedEvents, s.Events, s.UnlinkedCases)
		if s.NoKey > 0 {
			t.printf(", %d of them without a %s", s.NoKey, s.Join)
		}
		if s.OneToMany > 0 {
			t.printf("; %d matched several cases and joined the nearest in time", s.OneToMany)
		}
		t.printf("\n")
	}
	t.printf("%s, %d activities, %d activity variants, %d handoffs between %s\n",
		t.count(d.Log.Units, "%d "+unitNoun(d), "%d "+unitNoun(d)+"s"), d.Log.Activities, d.Flows.Variants, d.Flows.Handoffs, t.nouns(d))
	if w := d.Options.WorkingTime; w != nil {
		t.printf("Durations are working time: calendar %q (%s, a working day is %s: \"wd\" below; durations from an hour up in hours and working days)", w.Calendar.Name, w.Calendar.Zone, t.duration(float64(w.Calendar.DayS)))
		for _, c := range w.Departments {
			t.printf("; %s: %q (%s, %s)", c.Department, c.Name, c.Zone, t.duration(float64(c.DayS)))
		}
		t.printf("\n")
	}
}

func unitNoun(d *document) string { return d.Options.Level }

func (t *textWriter) pingPong(d *document) {
	p := &d.PingPong
	if len(d.Silos.Units) == 0 {
		// Not "0 %": with no units nothing could bounce, which is not the
		// same as nothing bouncing.
		t.heading("PING-PONG", t.Sprintf("not measured: no event has a %s", t.noun(d)))
		return
	}
	t.heading("PING-PONG", t.Sprintf("%d of %d cases (%s) go back and forth between two %s: %d times",
		p.Cases, d.Log.Cases, t.percent(float64(p.CaseRate)), t.nouns(d), p.Occurrences))
	if p.Closing > 0 {
		t.printf("  %s (%s of cases): back to the front-office %s (the first, call stages aside) only to be closed there, not counted as ping-pong\n",
			t.count(p.Closing, "%d closing return", "%d closing returns"), t.percent(float64(p.ClosingRate)), t.noun(d))
	}
	t.printf("  %d revisits (a stay in a %s the case was in before) in %d cases\n", p.Revisits, t.noun(d), p.RevisitCases)
	e := &p.Effect
	switch {
	case e.CasesWith > 0 && e.CasesWithout > 0 && math.IsNaN(float64(e.ShiftS)):
		t.printf("  effect on lead time: too few cases (%d with ping-pong, %d without; at least %d each)\n",
			e.CasesWith, e.CasesWithout, mining.MinCases)
	case e.CasesWith > 0 && e.CasesWithout > 0:
		t.printf("  cases with ping-pong take %s %s (median %s against %s; 95 %% CI %s to %s; Mann–Whitney p %s)\n",
			t.dur(math.Abs(float64(e.ShiftS))), t.Sprintf(longerShorter(float64(e.ShiftS))),
			t.dur(float64(e.MedianWithS)), t.dur(float64(e.MedianWithoutS)),
			t.signed(float64(e.ShiftLowS)), t.signed(float64(e.ShiftHighS)), t.pValue(float64(e.P)))
	}
	rows := [][]string{t.words("pair", "times", "cases", "median round trip", "median lead time", "vs no ping-pong")}
	for _, q := range head(p.Pairs, textPairs) {
		lead, extra := "-", "-"
		if q.LeadCases > 0 {
			lead = t.dur(float64(q.LeadMedianS))
			if e.CasesWithout > 0 {
				extra = t.signed(float64(q.ExtraMedianS))
			}
		}
		rows = append(rows, []string{short(q.A) + " ↔ " + short(q.B), t.thousands(q.Occurrences), t.thousands(q.Cases),
			t.dur(float64(q.ReturnMedianS)), lead, extra})
	}
	t.table("lrrrrr", rows)
}

func (t *textWriter) silos(d *document) {
	s := &d.Silos
	o := &d.Options
	rule := t.Sprintf("%d+ handoffs from the sender and from the others; wait ≥ %v× and %s longer; FDR %s",
		o.MinSupport, float64(o.MinRatio), t.duration(float64(o.MinShiftS)), t.percent(float64(o.FDR)))
	switch {
	case len(s.Units) == 0:
		t.heading("SILO BOUNDARIES", t.Sprintf("not measured: no event has a %s", t.noun(d)))
		return
	case s.Tested == 0:
		t.heading("SILO BOUNDARIES", t.Sprintf("none tested: too few cases (%s)", rule))
	default:
		t.heading("SILO BOUNDARIES", t.Sprintf("%d of %d tested boundaries flagged (%s)", s.Flagged, s.Tested, rule))
		t.printf("  A → B flagged: B leaves work from A waiting longer than work from its other senders; the delay is at that border, not in B's queue as a whole\n")
	}
	rows := [][]string{t.words("boundary", "handoffs", "median wait", "others' median", "ratio", "longer by (95 %% CI)", "p (adjusted)")}
	for _, b := range head(s.Boundaries, textSilos) {
		if !b.Silo {
			break
		}
		rows = append(rows, []string{short(b.From) + " → " + short(b.To), t.thousands(b.Handoffs),
			t.dur(float64(b.EntryMedianS)), t.dur(float64(b.OthersMedianS)), dash(t.times, b.Ratio), t.shiftText(b.waitDoc),
			t.pValue(float64(b.PAdjusted))})
	}
	t.table("lrrrrrr", rows)
	noun := t.nouns(d)
	switch {
	case s.UnitsTested == 0:
		t.printf("  %s slow to take work in: none tested, too few cases\n", noun)
	default:
		// Longest shift first, so the line names the worst.
		var slow []unitDoc
		for _, u := range s.Units {
			if u.Silo {
				slow = append(slow, u)
			}
		}
		slices.SortStableFunc(slow, func(a, b unitDoc) int { return cmp.Compare(b.ShiftS, a.ShiftS) })
		var parts []string
		for _, u := range slow {
			parts = append(parts, fmt.Sprintf("%s %s", short(u.Name), t.signed(float64(u.ShiftS))))
		}
		list := ""
		if len(parts) > 0 {
			list = ": " + strings.Join(head(parts, textWhere), ", ")
			if len(parts) > textWhere {
				list += t.Sprintf(", and %d more", len(parts)-textWhere)
			}
		}
		t.printf("  %s slow to take work in (vs all other handoffs): %d of %d tested%s\n",
			noun, s.UnitsFlagged, s.UnitsTested, list)
	}
	switch {
	case len(s.Communities) > 0:
		t.printf("  %s (Louvain, modularity %s); %s of handoffs cross between them\n",
			t.count(len(s.Communities), "%d community", "%d communities"), t.plain(float64(s.Modularity)), t.percent(float64(s.CrossingShare)))
	case d.Flows.Handoffs > 0:
		t.printf("  communities: too few cases (%s, at least %d)\n", t.count(d.Flows.Handoffs, "%d handoff", "%d handoffs"), o.MinSupport)
	}
}

// dash writes a figure with format, or "-" when it was not computed
// (none).
func dash(format func(float64) string, x num) string {
	if math.IsNaN(float64(x)) {
		return "-"
	}
	return format(float64(x))
}

// shiftText writes a Hodges–Lehmann shift with its interval.
func (t *textWriter) shiftText(c waitDoc) string {
	return t.Sprintf("%s (%s to %s)", t.signed(float64(c.ShiftS)), t.signed(float64(c.ShiftLowS)), t.signed(float64(c.ShiftHighS)))
}

func (t *textWriter) leadTime(d *document) {
	l := &d.LeadTime
	if l.Cases == 0 {
		t.heading("LEAD TIME", t.Sprintf("no case has a lead time"))
		return
	}
	ci := t.Sprintf("too few cases for a CI")
	if !math.IsNaN(float64(l.MedianLowS)) {
		ci = t.Sprintf("95 %% CI %s to %s", t.dur(float64(l.MedianLowS)), t.dur(float64(l.MedianHighS)))
	}
	t.heading("LEAD TIME", t.Sprintf("median %s (%s), P90 %s, P95 %s, max %s over %d cases",
		t.dur(float64(l.MedianS)), ci, t.dur(float64(l.P90S)), t.dur(float64(l.P95S)), t.dur(float64(l.MaxS)), l.Cases))
	if w := d.Options.WorkingTime; w != nil && w.Calendar.DayS > 0 {
		day := float64(w.Calendar.DayS)
		t.printf("  in working days of %s: median %s, P90 %s, P95 %s, max %s\n", t.duration(day),
			t.plain(float64(l.MedianS)/day), t.plain(float64(l.P90S)/day), t.plain(float64(l.P95S)/day), t.plain(float64(l.MaxS)/day))
	}
	t.longRule(d)
	rows := [][]string{t.words("longest cases", "lead time", "ping-pong", unitNoun(d)+"s")}
	for _, c := range head(l.Longest, textLongest) {
		rows = append(rows, []string{short(c.Case), t.dur(float64(c.LeadTimeS)), t.thousands(int(c.PingPong)), t.path(c.Path)})
	}
	t.table("lrrl", rows)
	if l.LongCases > 0 {
		var parts []string
		for _, u := range head(l.Where.Units, textWhere) {
			if u.LongShare <= u.OtherShare {
				break
			}
			parts = append(parts, t.Sprintf("%s %s (other cases %s)", short(u.Unit), t.percent(float64(u.LongShare)), t.percent(float64(u.OtherShare))))
		}
		switch {
		case len(parts) > 0:
			t.printf("  where long cases lose time: %s\n", strings.Join(parts, ", "))
		case len(l.Where.Units) == 0:
			t.printf("  where long cases lose time: not known, as no event has a %s\n", t.noun(d))
		default:
			t.printf("  where long cases lose time: in no %s more than other cases do\n", t.noun(d))

		}
	}
}

// longRule says which cases are long and by what rule: above a quantile
// of lead times or an SLA, per stratum of --by when there is one.
func (t *textWriter) longRule(d *document) {
	l := &d.LeadTime
	q := quantileName(float64(l.LongQuantile))
	s := l.Strata
	switch {
	case l.LongRule == mining.RuleQuantile && (len(s) == 0 || len(s) == 1 && s[0].Name == "" && !finite(float64(s[0].LimitS))):
		t.printf("  long: none marked: %d cases are too few (fewer than %d) for the %s to be a service level; set one with --sla\n",
			l.Cases, mining.MinStratum, q)
		return
	case len(s) == 1 && s[0].Name == "" && l.LongRule == mining.RuleQuantile:
		t.printf("  long: %d cases (%s) above %s, the %s of lead times (the log's own service level; set yours with --sla)\n",
			l.LongCases, t.percent(float64(l.LongRate)), t.dur(float64(s[0].LimitS)), q)
		return
	case len(s) == 1 && s[0].Name == "":
		t.printf("  long: %d cases (%s) above the SLA of %s\n", l.LongCases, t.percent(float64(l.LongRate)), t.dur(float64(s[0].LimitS)))
		return
	case l.LongRule == mining.RuleQuantile:
		t.printf("  long: %d cases (%s) above the %s of their %s (values with fewer than %d cases: the %s of all lead times)\n",
			l.LongCases, t.percent(float64(l.LongRate)), q, d.Options.By, mining.MinStratum, q)
	default:
		t.printf("  long: %d cases (%s) above the SLA for their %s\n", l.LongCases, t.percent(float64(l.LongRate)), d.Options.By)
	}
	rows := [][]string{append([]string{d.Options.By}, t.words("cases", "limit", "long")...)}
	for _, x := range head(s, textStrata) {
		name, limit := short(x.Name), t.Sprintf("no SLA")
		if x.Name == "" {
			name = t.Sprintf("(the others)")
		}
		if finite(float64(x.LimitS)) {
			limit = t.dur(float64(x.LimitS))
		}
		rows = append(rows, []string{name, t.thousands(x.Cases), limit, t.thousands(x.LongCases)})
	}
	t.table("lrrr", rows)
	if n := len(s) - textStrata; n > 0 {
		t.printf("  … and %d more (all in report.json)\n", n)
	}
}

// quantileName is "P90" for 0.9, "P97.5" for 0.975.
func quantileName(q float64) string {
	return "P" + strconv.FormatFloat(q*100, 'f', -1, 64)
}

func (t *textWriter) units(d *document) {
	s := &d.Silos
	if len(s.Units) == 0 {
		t.heading(strings.ToUpper(unitNoun(d))+"S", t.Sprintf("none: no event has a %s", t.noun(d)))
		return
	}
	t.heading(strings.ToUpper(unitNoun(d))+"S", t.Sprintf("%d, busiest first (handoffs in + out)", len(s.Units)))
	long := map[string]num{}
	for _, u := range d.LeadTime.Where.Units {
		long[u.Unit] = u.LongShare
	}
	rows := [][]string{t.words(unitNoun(d), "in", "out", "partners", "median entry wait", "median internal gap", "wait vs others", "bounce-back")}
	if d.LeadTime.LongCases > 0 {
		rows[0] = append(rows[0], t.Sprintf("share of long cases' time"))
	}
	for _, u := range head(s.Units, textUnits) {
		entry, gap, ratio, bounce := "-", "-", "-", "-"
		if u.In > 0 {
			entry, bounce = t.dur(float64(u.EntryMedianS)), t.percent(float64(u.BounceRate))
		}
		if u.Gaps > 0 {
			gap = t.dur(float64(u.GapMedianS))
		}
		if u.Tested {
			ratio = dash(t.times, u.Ratio)
		}
		row := []string{short(u.Name), t.thousands(u.In), t.thousands(u.Out), t.thousands(u.Partners), entry, gap, ratio, bounce}
		if d.LeadTime.LongCases > 0 {
			row = append(row, t.percent(float64(long[u.Name])))
		}
		rows = append(rows, row)
	}
	t.table("lrrrrrrrr", rows)
	if n := len(s.Units) - textUnits; n > 0 {
		t.printf("  … and %d more (all in departments.csv)\n", n)
	}
}

var english = message.NewPrinter(language.English)

func thousands(n int) string { return english.Sprintf("%d", n) }

// count writes n with its noun, in English: the text report uses its
// translated textWriter.count.

func count(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return english.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return english.Sprintf("%d %ss", n, noun)
}

// duration writes seconds the way people say them, in English (see
// durationIn).
func duration(s float64) string { return durationIn(english, s) }

func signed(s float64) string { return signedIn(english, s) }

func longerShorter(s float64) string {
	if s < 0 {
		return "less"
	}
	return "longer"
}

func percent(x float64) string { return english.Sprintf("%.1f %%", 100*x) }

func plain(x float64) string { return english.Sprintf("%.2f", x) }

// times writes a ratio in English (see timesIn).
func times(x float64) string { return timesIn(english, x) }

func pValue(p float64) string { return pValueIn(english, p) }

// short cuts a name to textNameRune runes, so one long name cannot push a
// table off the screen.
func short(s string) string {
	if utf8.RuneCountInString(s) <= textNameRune {
		return s
	}
	r := []rune(s)
	return string(r[:textNameRune-1]) + "…"
}

// path is a case's path in the text report's language.
func (t *textWriter) path(steps []string) string {
	if len(steps) == 0 {
		return t.Sprintf("(no stay)")
	}
	return path(steps)
}

func path(steps []string) string {
	if len(steps) == 0 {
		return "(no stay)"
	}

	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = short(s)
	}
	p := strings.Join(out, " → ")
	if utf8.RuneCountInString(p) > 60 {
		r := []rune(p)
		p = string(r[:59]) + "…"
	}
	return p
}
