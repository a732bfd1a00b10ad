package html

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"golang.org/x/text/language"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/internal/msgcat"
	"github.com/caseflow/caseflow/mining"
)

// TestBrowserDutch opens the Dutch page of the three-case example in
// headless Chromium, with its log so that the script draws the explorer,
// drives the explorer's controls (a filter, a variant, a case, the
// measures), and fails on a console error or on an English catalogue
// string visible anywhere in the page's text, tooltips or labels: a
// string that the page writes without the catalogue, or that the script
// writes without its words.
func TestBrowserDutch(t *testing.T) {
	browser := startBrowser(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	l := handlog.Build(t, mem, "", handlog.ThreeCases)
	t.Cleanup(l.Release)
	in := threeInput
	in.Log, in.Lang = l, language.Dutch
	f := analyzeLog(t, l, mining.Options{SLA: 2 * time.Hour, MinSupport: 1})
	tab := open(t, browser, t.TempDir(), write(t, f, in))

	input(t, tab, "f-from", eval[string](t, tab, `document.getElementById("f-to").value`), "change") // a filtered count
	input(t, tab, "c-slow", eval[string](t, tab, `document.getElementById("c-slow").options[1].value`), "change")
	eval[bool](t, tab, `(document.querySelector("#v-table tbody tr").click(), true)`)
	for _, m := range []string{"pm", "hg"} {
		input(t, tab, m+"-measure", "2", "change")
	}
	// The rejected rows are the reader's messages, in English.
	eval[bool](t, tab, `(document.querySelectorAll("pre.rejects").forEach(e => e.remove()), true)`)
	shown := eval[string](t, tab, `[document.body.innerText].concat(
		Array.from(document.querySelectorAll("title, option")).map(e => e.textContent),
		Array.from(document.querySelectorAll("[placeholder], [aria-label]")).map(e => (e.getAttribute("placeholder") || "") + " " + (e.getAttribute("aria-label") || ""))).join("\n")`)
	for _, want := range []string{"Samenvatting", "Zaak ", "Rijen filteren", "zaken", "begonnen 04-03-2024"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the Dutch page does not show %q: the check below would look at nothing", want)
		}
	}
	for _, en := range englishShown(shown) {
		i := strings.Index(shown, en)
		t.Errorf("the Dutch page shows the English %q: …%s…", en, shown[max(0, i-60):min(len(shown), i+len(en)+60)])
	}
}

// englishShown lists the English of the catalogue that shows in text: each
// entry whose Dutch differs, whole, or as its literal pieces of two words
// or more between the verbs (a lone word between figures, such as "of",
// says too little), whole words only, and not the pieces the Dutch says
// too.
func englishShown(text string) []string {
	var out []string
	for _, en := range sorted(dutch) {
		nl := dutch[en]
		if nl == en {
			continue
		}
		pieces := msgcat.Pieces(en)
		for _, piece := range pieces {
			piece = strings.TrimSpace(strings.Trim(strings.TrimSpace(piece), ".,:;()·–"))
			if len(pieces) > 1 && !strings.Contains(piece, " ") || !regexp.MustCompile(`[A-Za-z]{2}`).MatchString(piece) || strings.Contains(nl, piece) {
				continue
			}
			if regexp.MustCompile(`(^|[^\pL-])`+regexp.QuoteMeta(piece)+`($|[^\pL])`).MatchString(text) && !slices.Contains(out, piece) {
				out = append(out, piece)
			}
		}
	}
	return out
}
