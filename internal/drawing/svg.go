// Package drawing draws the report's graphs and charts as SVG, for the
// HTML page and for the exported .svg files alike, so that there is one way
// to lay out and draw a graph: Layered lays it out in rows (layered.go) and
// draws it; SVG is the writer every drawing uses. It is pure Go and does
// nothing until called, so no command pays for drawing it does not do.
package drawing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caseflow/caseflow/internal/drawtext"
)

// Colours shared by the drawings and the legends in the page's style sheet.
const (
	ColEdge  = "#7f8c9d"
	ColHot   = "#d55e00" // Okabe–Ito vermillion: time sinks and ping-pong
	ColSilo  = "#0072b2" // Okabe–Ito blue: silo boundaries
	ColText  = "#1f2933"
	ColMuted = "#52606d"
)

// Palette fills units by community: Set3 of ColorBrewer (Brewer 2003)
// without its grey, which is NoCommunity, and without its red and orange,
// which mean ping-pong and long cases here.
var Palette = []string{"#8dd3c7", "#ffffb3", "#bebada", "#80b1d3", "#b3de69", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f"}

// NoCommunity fills units in no community.
const NoCommunity = "#d9d9d9"

// Width is the stroke width of an edge of count n when the heaviest drawn
// has top: 1 to 5 pixels by the logarithm of the count relative to top,
// so that a few heavy edges do not hide the rest.
func Width(n, top int) float64 {
	return 1 + 4*math.Log(float64(max(n, 1)))/math.Log(float64(max(top, 2)))
}

// SVG accumulates one SVG drawing. Every string that comes from the log
// goes through Esc before it is written; numbers go through Num. The
// result is well-formed XML as well as valid inline SVG in HTML.
type SVG struct {
	strings.Builder
}

// F writes formatted markup. Only escaped strings and numbers may be
// arguments.
func (s *SVG) F(format string, a ...any) { fmt.Fprintf(s, format, a...) }

// Text writes a <text> element with the escaped content and optional
// attributes (already escaped markup).
func (s *SVG) Text(x, y float64, attrs, content string) {
	s.F(`<text x="%s" y="%s"%s>%s</text>`, Num(x), Num(y), attrs, Esc(content))
}

var escaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;", `'`, "&#39;")

// Esc escapes text for an XML or HTML text node or a quoted attribute
// value, after drawtext.Clean. The entities used are XML's own, so the
// drawing parses as XML too.
func Esc(s string) string { return escaper.Replace(drawtext.Clean(s)) }

// Num writes a coordinate with at most one decimal, as SVG needs no more.
func Num(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// TextWidth estimates the width in pixels of s in a sans-serif font of the
// given size, from rough per-class advance widths (in em) of the wider
// common system fonts (DejaVu Sans, Verdana): enough to size boxes without
// measuring fonts, which would make the output depend on the machine.
// Narrower fonts leave a little room to spare.
func TextWidth(s string, size float64) float64 {
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

// LabelWidth is the width of an edge label, bold or not.
func LabelWidth(s string, bold bool) float64 {
	if bold {
		return 1.1 * TextWidth(s, 11)
	}
	return TextWidth(s, 11)
}

// LabelAttrs are the attributes of an edge label: bold in col for a marked
// edge, plain when col is "".
func LabelAttrs(col string) string {
	if col != "" {
		return ` class="lbl" font-size="11" font-weight="700" fill="` + col + `"`
	}
	return ` class="lbl" font-size="11" fill="` + ColText + `"`
}

// Marker is an arrowhead definition of the given colour.
func Marker(id, col string) string {
	return `<marker id="` + id + `" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0 0L10 5L0 10z" fill="` + col + `"/></marker>`
}

// Shade is a light-to-mid blue for a share in [0, 1].
func Shade(x float64) string {
	x = math.Sqrt(max(0, min(1, x)))
	// From #eef3fb to #9ab8e0.
	return RGB(0xee+(0x9a-0xee)*x, 0xf3+(0xb8-0xf3)*x, 0xfb+(0xe0-0xfb)*x)
}

// RGB writes a colour from its channels, each clamped to [0, 255].
func RGB(r, g, b float64) string {
	const hex = "0123456789abcdef"
	out := []byte{'#'}
	for _, c := range []float64{r, g, b} {
		v := int(math.Round(max(0, min(255, c))))
		out = append(out, hex[v>>4], hex[v&15])
	}
	return string(out)
}
