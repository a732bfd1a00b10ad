package html

import (
	"math"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/internal/drawtext"
)

// dur writes seconds as a short duration in the largest unit that keeps
// it readable: 45 s, 12 min, 3.4 h, 2.1 d, 140 d (Dutch 3,4 u, 2,1 dg).
// Two significant digits are what a reader compares; tooltips and tables
// give no more.
func (l *lang) dur(s float64) string {
	switch {
	case math.IsInf(s, 0) || math.IsNaN(s):
		return "–"
	case s < 0:
		return "−" + l.dur(-s)
	case s == 0:
		return l.f("%s s", "0")
	case s < 60:
		return l.f("%s s", l.short(s))
	case s < 3600:
		return l.f("%s min", l.short(s/60))
	case s < 86400:
		return l.f("%s h", l.short(s/3600))
	}
	return l.f("%s d", l.short(s/86400))
}

// pct writes a share in [0, 1] (or a difference of shares) as a
// percentage with one decimal, never as −0.0.
func (l *lang) pct(x float64) string {
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	return l.dec(strings.Replace(s, "-", "−", 1)) + " %"
}

// times writes a ratio such as 3.2×.
func (l *lang) times(x float64) string {
	return l.dec(strconv.FormatFloat(x, 'f', 1, 64)) + "×"
}

// pval writes a p-value with three decimals, or in scientific notation
// with two digits below 0.001, down to 1e-16 (the normal approximation
// says nothing finer).
func (l *lang) pval(p float64) string {
	switch {
	case p < 1e-16:
		return "< 1e-16"
	case p < 0.001:
		return l.dec(strings.Replace(strconv.FormatFloat(p, 'e', 1, 64), "e-", "e−", 1))
	}
	return l.dec(strconv.FormatFloat(p, 'f', 3, 64))
}

// pIs writes "= p" or "< 1e-16" for a sentence.
func (l *lang) pIs(p float64) string {
	if s := l.pval(p); strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + l.pval(p)
}

// clean makes a name from the log safe to print anywhere in HTML or XML
// (drawtext.Clean).
func clean(s string) string { return drawtext.Clean(s) }

// trunc cuts s to at most n runes, marking the cut with an ellipsis.
func trunc(s string, n int) string { return drawtext.Cut(s, n) }
