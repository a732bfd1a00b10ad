// Package shorten cuts the names drawn in graphs to a bounded length, so
// that one huge activity or unit name (a field holding megabytes of text)
// cannot make a drawing's layout, or its file, grow without bound. The
// data files (CSV, JSON, text) keep names whole.
package shorten

import "unicode/utf8"

// MaxRunes is the longest name, in characters, that a drawing (DOT, SVG
// or the HTML page's maps) holds, tooltips included; docs/report.md says
// so. Drawings tell nodes apart by generated ids, not by these labels, so
// two names alike in their first characters stay two nodes.
const MaxRunes = 60

// Name is s cut to MaxRunes characters.
func Name(s string) string { return To(s, MaxRunes) }

// To is s when it has at most n characters (n ≥ 1), else its first n−1
// characters and "…". It looks at no more of s than it keeps, so cutting a
// huge string costs as little as cutting a short one.
func To(s string, n int) string {
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
