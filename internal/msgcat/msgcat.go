// Package msgcat builds the message catalogues of caseflow's reports: the
// text report's (package report) and the HTML page's (report/html), each
// a map from the English format string to its Dutch, kept next to the code
// that writes the sentences and checked by the packages' tests in the role
// of gotext.
package msgcat

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Dutch is a catalogue with the Dutch of each English format string of
// nl; a string it lacks is written in English (the key itself). A nil or
// empty map gives a catalogue that writes everything in English.
func Dutch(nl map[string]string) *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for en, s := range nl {
		if err := b.SetString(language.Dutch, en, s); err != nil {
			panic(err) // plain strings: SetString cannot fail on them
		}
	}
	return b
}

// verbs are the formatting verbs of a format string, in order.
var verbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Pieces are the texts of a format string between its verbs.
func Pieces(format string) []string { return verbs.Split(format, -1) }

// SameVerbs reports whether the translation nl takes the same arguments
// as its English format en: the same verbs in the same order or, when nl
// indexes its arguments (%[2]s), the same set. A translation that dropped
// or swapped a figure would print a wrong number silently. It returns the
// two lists it compared.
func SameVerbs(en, nl string) (a, b []string, ok bool) {
	a, b = verbs.FindAllString(en, -1), verbs.FindAllString(nl, -1)
	if strings.Contains(nl, "%[") {
		slices.Sort(a)
		slices.Sort(b)
		a, b = slices.Compact(a), slices.Compact(b)
	}
	return a, b, slices.Equal(a, b)
}
