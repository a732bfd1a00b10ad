package html

import (
	"cmp"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/caseflow/caseflow/internal/msgcat"
)

// catalogue holds the Dutch of every sentence, heading and unit of the
// page, keyed by its English format string (catalog_nl.go), built as the
// text report's is (internal/msgcat), with tests in the role of gotext
// that find the missing ones. This package cannot use the text report's
// catalogue (package report's tests import this one), so an English
// string in both must have the same Dutch in both, which
// TestCatalogueAgrees checks.
var catalogue = msgcat.Dutch(dutch)

// lang writes the page in one language: its sentences through the
// catalogue, its numbers as the language writes them (1.234,5 in Dutch),
// and, for the tests, each English string it was asked to translate.
type lang struct {
	p    *message.Printer
	code string // "en" or "nl", for the page's lang attribute
	nl   bool
	seen func(string)
}

// english writes the page as it was before --lang: the catalogue's
// English is its keys.
var english = newLang(language.English)

func newLang(tag language.Tag) *lang {
	if tag == language.Und {
		tag = language.English
	}
	b, _ := tag.Base()
	return &lang{p: message.NewPrinter(tag, message.Catalog(catalogue)), code: b.String(), nl: b.String() == "nl"}
}

// f translates format and formats a in the page's language.
func (l *lang) f(format string, a ...any) string {
	if l.seen != nil {
		l.seen(format)
	}
	return l.p.Sprintf(format, a...)
}

// tr is f for the template's text: the format is the page's own (as
// trusted as the template's text it stands for), its arguments are
// escaped.
func (l *lang) tr(format string, a ...any) template.HTML {
	for i, x := range a {
		if s, ok := x.(string); ok {
			a[i] = template.HTMLEscapeString(s)
		}
	}
	return template.HTML(l.f(format, a...))
}

// scriptWords are the English strings script.js writes: the literals it
// passes to its tr, found in the script itself so that no list can miss
// one.
var scriptWords = func() []string {
	var out []string
	for _, m := range regexp.MustCompile(`\btr\(("(?:[^"\\]|\\.)*")`).FindAllStringSubmatch(script, -1) {
		w, err := strconv.Unquote(m[1])
		if err != nil {
			panic(err) // a JavaScript string literal the script could not have
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}()

// words are the Dutch of the English strings script.js writes, for the
// page's data block; nil in English, so that the English page holds no
// table of words.
func (l *lang) words() map[string]string {
	if !l.nl {
		return nil
	}
	out := make(map[string]string, len(scriptWords))
	for _, w := range scriptWords {
		if l.seen != nil {
			l.seen(w)
		}
		out[w] = cmp.Or(dutch[w], w) // as written: the script fills in the %s
	}
	return out
}

// dec writes the decimal sign of a number formatted by strconv as the
// language does.
func (l *lang) dec(s string) string {
	if l.nl {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// count writes n with thousands separators: 8,577 (Dutch 8.577).
func (l *lang) count(n int) string { return l.p.Sprintf("%d", n) }

// plural writes n and the noun that fits it: one and many are formats
// such as "%d case" and "%d cases", as the text report's.
func (l *lang) plural(n int, one, many string) string {
	if n == 1 {
		return l.f(one, n)
	}
	return l.f(many, n)
}

// short writes x ≥ 0 with one decimal below 10 and none above.
func (l *lang) short(x float64) string {
	if x < 9.95 {
		return l.dec(strconv.FormatFloat(x, 'f', 1, 64))
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}
