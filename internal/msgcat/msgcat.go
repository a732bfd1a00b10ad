// Package msgcat builds the message catalogues of caseflow's reports: the
// text report's (package report) and the HTML page's (report/html), each
// a map from the English format string to its Dutch, kept next to the code
// that writes the sentences and checked by the packages' tests in the role
// of gotext.
package msgcat

import (
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
