package html

import (
	"math"
	"strconv"
	"strings"

	"github.com/caseflow/caseflow/internal/drawtext"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var english = message.NewPrinter(language.English)

// count writes n with thousands separators: 8,577.
func count[T ~int | ~int32 | ~int64](n T) string { return english.Sprintf("%d", int64(n)) }

// dur writes seconds as a short duration in the largest unit that keeps
// it readable: 45 s, 12 min, 3.4 h, 2.1 d, 140 d. Two significant digits
// are what a reader compares; tooltips and tables give no more.
func dur(s float64) string {
	switch {
	case math.IsInf(s, 0) || math.IsNaN(s):
		return "–"
	case s < 0:
		return "−" + dur(-s)
	case s == 0:
		return "0 s"
	case s < 60:
		return short(s) + " s"
	case s < 3600:
		return short(s/60) + " min"
	case s < 86400:
		return short(s/3600) + " h"
	}
	return short(s/86400) + " d"
}

// short writes x ≥ 0 with one decimal below 10 and none above.
func short(x float64) string {
	if x < 9.95 {
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}

// pct writes a share in [0, 1] (or a difference of shares) as a
// percentage with one decimal, never as −0.0.
func pct(x float64) string {
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	return strings.Replace(s, "-", "−", 1) + " %"
}

// times writes a ratio such as 3.2×.
func times(x float64) string {
	return strconv.FormatFloat(x, 'f', 1, 64) + "×"
}

// pval writes a p-value with three decimals, or in scientific notation
// with two digits below 0.001, down to 1e-16 (the normal approximation
// says nothing finer).
func pval(p float64) string {
	switch {
	case p < 1e-16:
		return "< 1e-16"
	case p < 0.001:
		return strings.Replace(strconv.FormatFloat(p, 'e', 1, 64), "e-", "e−", 1)
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// pIs writes "= p" or "< 1e-16" for a sentence.
func pIs(p float64) string {
	if s := pval(p); strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + pval(p)
}

// clean makes a name from the log safe to print anywhere in HTML or XML
// (drawtext.Clean).
func clean(s string) string { return drawtext.Clean(s) }

// trunc cuts s to at most n runes, marking the cut with an ellipsis.
func trunc(s string, n int) string { return drawtext.Cut(s, n) }
