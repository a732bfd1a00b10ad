package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/caseflow/caseflow/internal/msgcat"
)

// ParseLang reads --lang: "en" (or empty) for English, "nl" for Dutch,
// the languages of the text report and the HTML page. The JSON keys and
// CSV headers stay English whatever the language: they are an interface.
func ParseLang(s string) (language.Tag, error) {
	switch s {
	case "", "en":
		return language.English, nil
	case "nl":
		return language.Dutch, nil
	}
	return language.Und, fmt.Errorf("language %q: want en or nl", s)
}

// catalogue holds a translation of every sentence, heading, unit and
// number format of the text report, keyed by its English format string
// (catalog_nl.go). A Builder filled with SetString, not gotext: the
// sentences live next to the code that writes them, and a generated
// catalogue would be one more file to regenerate on each change of a
// sentence; TestCatalogueComplete plays gotext's role of finding the
// missing ones. The printer of the language also formats the numbers as
// the language does (CLDR: 1.234,5 in Dutch).
var catalogue = msgcat.Dutch(dutch)

// Dutch is the text report's Dutch for an English format string, and
// whether its catalogue has one: the HTML page keeps its own catalogue
// (this package's tests import the page's), and checks the strings both
// translate against this one.
func Dutch(en string) (string, bool) {
	nl, ok := dutch[en]
	return nl, ok
}

// printer is the message printer of lang, English when lang is unset.
func printer(lang language.Tag) *message.Printer {
	if lang == language.Und {
		lang = language.English
	}
	return message.NewPrinter(lang, message.Catalog(catalogue))
}

// sprinter formats a message in a language: a message.Printer, or the
// text writer, which also records the format strings it was given.
type sprinter interface {
	Sprintf(format message.Reference, a ...any) string
}

// Sprintf translates format and formats a with the language's numbers;
// each format string is recorded when the writer records (see
// TestCatalogueComplete).
func (t *textWriter) Sprintf(format message.Reference, a ...any) string {
	if s, ok := format.(string); ok && t.seen != nil {
		t.seen(s)
	}
	return t.p.Sprintf(format, a...)
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = io.WriteString(t.w, t.Sprintf(format, args...))
	}
}

// words translates table headers.
func (t *textWriter) words(s ...string) []string {
	out := make([]string, len(s))
	for i, w := range s {
		out[i] = t.Sprintf(w)
	}
	return out
}

// noun and nouns are the unit level (department or resource) in the
// report's language, one and many.
func (t *textWriter) noun(d *document) string  { return t.Sprintf(unitNoun(d)) }
func (t *textWriter) nouns(d *document) string { return t.Sprintf(unitNoun(d) + "s") }

// count writes n with its noun: one is the format for 1 ("%d event"),
// many for the others; English and Dutch both use the one form for 1
// only.
func (t *textWriter) count(n int, one, many string) string {
	if n == 1 {
		return t.Sprintf(one, n)
	}
	return t.Sprintf(many, n)
}

// date writes the day of an ISO 8601 timestamp as the language does:
// 2024-01-31 in English (as before), 31-01-2024 in Dutch.
func (t *textWriter) date(iso string) string {
	if len(iso) < 10 {
		return iso
	}
	day, err := time.Parse(time.DateOnly, iso[:10])
	if err != nil {
		return iso[:10]
	}
	return day.Format(t.Sprintf("2006-01-02"))
}

func (t *textWriter) duration(s float64) string { return durationIn(t, s) }
func (t *textWriter) percent(x float64) string  { return t.Sprintf("%.1f %%", 100*x) }
func (t *textWriter) plain(x float64) string    { return t.Sprintf("%.2f", x) }
func (t *textWriter) thousands(n int) string    { return t.Sprintf("%d", n) }
func (t *textWriter) times(x float64) string    { return timesIn(t, x) }
func (t *textWriter) pValue(p float64) string   { return pValueIn(t, p) }
func (t *textWriter) amount(x num) string       { return amountIn(t, x) }

// durationIn writes seconds the way people say them: 45 s, 12.5 min,
// 3.2 h, 4.1 d (Dutch: 12,5 min, 3,2 u, 4,1 dg).
func durationIn(p sprinter, s float64) string {
	a := math.Abs(s)
	switch {
	case math.IsInf(a, 0):
		return "∞"
	case a < 60:
		return p.Sprintf("%.0f s", s)
	case a < 3600:
		return p.Sprintf("%.1f min", s/60)
	case a < 86400:
		return p.Sprintf("%.1f h", s/3600)
	}
	return p.Sprintf("%.1f d", s/86400)
}

// signedIn is durationIn with a sign, + for longer.
func signedIn(p sprinter, s float64) string {
	if s > 0 {
		return "+" + durationIn(p, s)
	}
	return durationIn(p, s)
}

// timesIn writes a ratio with two significant digits below 10, so that
// 0.02× does not read 0.0×.
func timesIn(p sprinter, x float64) string {
	switch {
	case x < 0.01:
		return p.Sprintf("< %v×", 0.01)
	case x < 10:
		// Rounded by strconv, written by the printer for the decimal sign:
		// the printer's %g does not round to significant digits.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 2, 64), 64)
		return p.Sprintf("%v×", r)
	}
	return p.Sprintf("%.0f×", x)
}

func pValueIn(p sprinter, v float64) string {
	if v < 0.001 {
		return p.Sprintf("< %v", 0.001)
	}
	return p.Sprintf("%.3f", v)
}

// amountIn writes money: whole units from 1,000 up, else cents; - when
// not priced.
func amountIn(p sprinter, x num) string {
	switch v := float64(x); {
	case math.IsNaN(v):
		return "-"
	case math.Abs(v) >= 1000:
		return p.Sprintf("%.0f", v)
	default:
		return p.Sprintf("%.2f", v)
	}
}
