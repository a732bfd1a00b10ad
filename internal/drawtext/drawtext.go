// Package drawtext prepares the names drawn in graphs (the DOT and SVG
// files and the HTML page's drawings): cut to a bounded length, so that one
// huge activity or unit name (a field holding megabytes of text) cannot
// make a drawing's layout, or its file, grow without bound, and cleaned of
// what XML and Graphviz cannot take. The data files (CSV, JSON, text) keep
// names whole.
package drawtext

import (
	"strings"
	"unicode/utf8"
)

// MaxRunes is the longest name, in characters, that a drawing holds,
// tooltips included; docs/report.md says so. Drawings tell nodes apart by
// generated ids, not by these labels, so two names alike in their first
// characters stay two nodes.
const MaxRunes = 60

// Name is s as drawn: cut to MaxRunes characters, then cleaned.
func Name(s string) string { return Clean(Cut(s, MaxRunes)) }

// Cut is s when it has at most n characters (n ≥ 1), else its first n−1
// characters and "…". It looks at no more of s than it keeps, so cutting a
// huge string costs as little as cutting a short one. An invalid byte
// counts as one character, as Clean makes it one.
func Cut(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:prev(s, i)] + "…"
		}
		n--
	}
	return s
}

// prev is the index of the rune before byte offset i of s.
func prev(s string, i int) int {
	_, size := utf8.DecodeLastRuneInString(s[:i])
	return i - size
}

// Clean makes a name safe to print anywhere in HTML, XML or a DOT string:
// tabs and line breaks become spaces, and invalid UTF-8 and other control
// characters (which XML 1.0 forbids even as references, and of which NUL
// ends a string in Graphviz) become U+FFFD. Escaping is left to the
// writers.
func Clean(s string) string {
	if !strings.ContainsFunc(s, bad) { // an invalid byte reads as utf8.RuneError
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case bad(r):
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func bad(r rune) bool {
	return r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff
}
