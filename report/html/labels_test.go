package html

import (
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestDrawingsBounded draws a log whose activity and department names are
// a megabyte long: every drawing on the page, tooltips included, stays
// small, because names in drawings are cut to drawtext.MaxRunes.
func TestDrawingsBounded(t *testing.T) {
	f := analyze(t, handlog.LongNames(1<<20), mining.Options{})
	same := func(s string) string { return s }
	m := english.processMap(&f.Flows)
	sel := pickUnits(f, DefaultUnits)
	const maxBytes = 64 << 10
	for name, svg := range map[string]string{
		"process map":   m.Levels[m.Default].SVG,
		"handoff graph": english.handoffGraph(f, sel, same, DefaultPairs).svg,
		"heat map":      english.heatMap(f, sel, same),
	} {
		if len(svg) > maxBytes {
			t.Errorf("%s: %d bytes, want at most %d", name, len(svg), maxBytes)
		}
		if !strings.Contains(svg, "xxx…") {
			t.Errorf("%s: no cut name drawn:\n%.300s", name, svg)
		}
	}
}
