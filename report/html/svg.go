package html

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// svg accumulates one SVG drawing. Every string that comes from the log
// goes through esc before it is written; numbers go through num. The
// result is well-formed XML as well as valid inline SVG in HTML.
type svg struct {
	strings.Builder
}

// f writes formatted markup. Only escaped strings and numbers may be
// arguments.
func (s *svg) f(format string, a ...any) { fmt.Fprintf(s, format, a...) }

// text writes a <text> element with the escaped content and optional
// attributes (already escaped markup).
func (s *svg) text(x, y float64, attrs, content string) {
	s.f(`<text x="%s" y="%s"%s>%s</text>`, num(x), num(y), attrs, esc(content))
}

// title writes a <title> child element, the tooltip browsers show.
func (s *svg) title(t string) { s.f(`<title>%s</title>`, esc(t)) }

var escaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;", `'`, "&#39;")

// esc escapes text for an XML or HTML text node or a quoted attribute
// value, after clean. The entities used are XML's own, so the drawing
// parses as XML too.
func esc(s string) string { return escaper.Replace(clean(s)) }

// textWidth estimates the width in pixels of s in a sans-serif font of the
// given size, from rough per-class advance widths (in em) of the wider
// common system fonts (DejaVu Sans, Verdana): enough to size boxes without
// measuring fonts, which would make the output depend on the machine.
// Narrower fonts leave a little room to spare.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("ijlI.,:;'|!()[]f t", r):
			w += 0.32
		case strings.ContainsRune("mwMW@%", r):
			w += 0.9
		case r >= 'A' && r <= 'Z':
			w += 0.7
		case r >= '0' && r <= '9':
			w += 0.64
		case r < utf8.RuneSelf:
			w += 0.6
		default:
			w += 0.7
		}
	}
	return w * size
}
