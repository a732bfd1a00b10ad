package html

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

var screenshot = flag.Bool("screenshot", false, "save screenshots of the real logs' reports to docs/screenshots")

// Screenshots: a section of the page, shotWidth wide and at most
// maxShotHeight high, in at most maxShot bytes.
const shotWidth, maxShotHeight, maxShot = 1200, 1800, 200 << 10

// Headless Chromium opens reports, runs our script and only ours, and
// reports no console error; on the real logs every control of the page
// is driven, and screenshots are saved.
func TestBrowser(t *testing.T) {
	browser := startBrowser(t)
	dir := t.TempDir()

	t.Run("three cases", func(t *testing.T) {
		tab := open(t, browser, dir, write(t, analyze(t, threeCases, mining.Options{}), threeInput))
		ids := `Array.from(document.querySelectorAll("#cases tbody tr")).filter(r => !r.hidden).map(r => r.cells[0].textContent)`
		// Sorting by lead time, up and then down.
		for _, want := range [][]string{{"c3", "c2", "c1"}, {"c1", "c2", "c3"}} {
			if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#cases thead th:nth-child(2)"))); err != nil {
				t.Fatal(err)
			}
			if got := eval[[]string](t, tab, ids); !reflect.DeepEqual(got, want) {
				t.Errorf("sorted by lead time: %q, want %q", got, want)
			}
		}
		// Filtering keeps the matching rows.
		eval[bool](t, tab, `(() => { const f = document.querySelector("#cases input.filter"); f.value = "c2"; f.dispatchEvent(new Event("input")); return true })()`)
		if got := eval[[]string](t, tab, ids); !reflect.DeepEqual(got, []string{"c2"}) {
			t.Errorf("filtered by c2: %q", got)
		}
	})
	t.Run("hostile names", func(t *testing.T) {
		// Hostile case ids, activities, departments and channels reach every
		// control and chart of the page as text.
		var evs []ev
		for i := range 4 {
			c := fmt.Sprintf(`<img src=x onerror=alert(9)>%d`, i)
			evs = append(evs, ev{c, `<script>alert(1)</script>`, "09:00", `"><img src=x onerror=alert(2)>`},
				ev{c, `</svg><script>alert(3)</script>`, "10:00", `<script>alert(4)</script>`},
				ev{c, `<script>alert(1)</script>`, "11:00", `"><img src=x onerror=alert(2)>`},
				ev{c, `<svg onload=alert(14)>`, "12:00", `<svg onload=alert(15)>`}) // so the bounce is no closing return
		}
		l, opt := handLog(evs, mining.Options{MinSupport: 2})(t)
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		t.Cleanup(func() { mem.AssertSize(t, 0) })
		var cs []handlog.Contact
		for i := range 6 {
			cs = append(cs, handlog.Contact{ID: fmt.Sprintf(`<b onmouseover=alert(10)>%d</b>`, i), Channel: []string{`<script>alert(11)</script>`, `"><img src=x onerror=alert(12)>`}[i%2],
				Dept: `<i>a</i>><script>alert(13)</script>`, Start: float64(i), End: float64(i) + 2})
		}
		contacts := handlog.Contacts(t, mem, cs)
		t.Cleanup(contacts.Release)
		for i, page := range [][]byte{
			write(t, analyzeLog(t, l, opt), Input{Log: l, Args: []string{`<script>alert(5)</script>`}}),
			write(t, analyzeLog(t, contacts, mining.Options{MinSupport: 2}), Input{Log: contacts}),
		} {
			tab := open(t, browser, dir, page)
			input(t, tab, "c-slow", eval[string](t, tab, `document.getElementById("c-slow").options[1].value`), "change")
			if i == 0 { // a ping-pong pair's case
				if n := eval[int](t, tab, `document.getElementById("c-pair").options.length`); n < 2 {
					t.Fatal("no ping-pong pair to pick a case from")
				}
				input(t, tab, "c-pair", eval[string](t, tab, `document.getElementById("c-pair").options[1].value`), "change")
			}
			input(t, tab, "v-level", "paths", "change")
			if eval[bool](t, tab, `!!document.getElementById("f-attr")`) {
				input(t, tab, "f-attr", "1", "change")
				input(t, tab, "f-attr", "-1", "change")
			}
			eval[bool](t, tab, `(document.querySelector("#v-table tbody tr").click(), true)`)
			for _, m := range []string{"pm", "hg"} {
				input(t, tab, m+"-measure", "2", "change")
			}
			if n := eval[int](t, tab, `Array.from(document.scripts).filter(s => s.type !== "application/json").length`); n != 1 {
				t.Errorf("page %d: %d scripts in the document, want 1", i, n)
			}
			if n := eval[int](t, tab, `document.querySelectorAll("main img, main b[onmouseover], main i:not(:empty) > i, main svg[onload], main svg svg").length`); n != 0 {
				t.Errorf("page %d: %d elements from the log's names", i, n)
			}
			shown := eval[string](t, tab, `document.getElementById("explore").textContent + Array.from(document.querySelectorAll("#explore option")).map(o => o.textContent).join()`)
			for _, want := range []string{"<script>alert(", "onerror=alert("} {
				if !strings.Contains(shown, want) {
					t.Errorf("page %d: the explorer does not show %q as text", i, want)
				}
			}
		}
	})
	for _, c := range []struct{ name, path, department string }{
		{"receipt", "receipt/receipt.csv", "org:group"},
		{"bpic2014", "bpic2014/BPIC14_incident_log.csv", "assignment_group"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := open(t, browser, dir, realReport(t, c.path, c.department))
			shoot(t, tab, "map", c.name+"-map.png") // at the default detail
			drive(t, tab)
			shoot(t, tab, "explore", c.name+"-explore.png") // with the slowest case shown
			shoot(t, tab, "x-time", c.name+"-time.png")
		})
	}
}

// input sets a control's value and fires the event the page listens to.
func input(t *testing.T, tab context.Context, id, value, event string) {
	t.Helper()
	eval[bool](t, tab, `(() => { const e = document.getElementById(`+strconv.Quote(id)+`); e.value = `+strconv.Quote(value)+`; e.dispatchEvent(new Event(`+strconv.Quote(event)+`)); return true })()`)
}

// drive moves every control of a report and checks that the page follows.
func drive(t *testing.T, tab context.Context) {
	t.Helper()
	// Process map and handoff graph: the edge slider changes the number
	// of drawn edges, the measure changes the labels.
	for _, g := range []string{"pm", "hg"} {
		edges := `document.querySelectorAll("#pm-view g > path").length` // start and end edges included
		if g == "hg" {
			edges = `document.querySelectorAll("#hg-view g[data-e]").length`
		}
		first := eval[int](t, tab, edges)
		input(t, tab, g+"-edges", "0", "input")
		few := eval[int](t, tab, edges)
		input(t, tab, g+"-edges", "99", "input")
		many := eval[int](t, tab, edges)
		if !(few < many) || first > many || first < few {
			t.Errorf("%s: drawn edges at the first, default and last step: %d, %d, %d; want them growing", g, few, first, many)
		}
		note := eval[string](t, tab, `document.getElementById("`+g+`-note").textContent`)
		if !strings.Contains(note, english.count(many)) {
			t.Errorf("%s: the note %q does not say %d", g, note, many)
		}
		labels := `Array.from(document.querySelectorAll("#` + g + `-view text.lbl")).map(l => l.textContent).join("|")`
		freq := eval[string](t, tab, labels)
		input(t, tab, g+"-measure", "2", "change") // median
		median := eval[string](t, tab, labels)
		if freq == median || !strings.Contains(median, " min") && !strings.Contains(median, " h") && !strings.Contains(median, " d") {
			t.Errorf("%s: the time measure did not put durations in the labels:\n%.300s\n%.300s", g, freq, median)
		}
		// The activity (unit) slider keeps a drawing and its labels.
		input(t, tab, g+"-nodes", "0", "input")
		if n := eval[int](t, tab, edges); n == 0 {
			t.Errorf("%s: no edge at the fewest nodes", g)
		}
		if got := eval[string](t, tab, labels); got != "" && !strings.ContainsAny(got, "0123456789") {
			t.Errorf("%s: labels without figures: %.200s", g, got)
		}
	}
	// Case inspector: the slowest case's timeline, one dot per event.
	input(t, tab, "c-slow", eval[string](t, tab, `document.getElementById("c-slow").options[1].value`), "change")
	dots := eval[int](t, tab, `document.querySelectorAll("#c-view svg circle").length`)
	rows := eval[int](t, tab, `document.querySelectorAll("#c-view tbody tr").length`)
	if dots == 0 || dots != rows {
		t.Errorf("case timeline: %d dots and %d event rows", dots, rows)
	}
	// By id: a case the page holds, and one it does not.
	id := eval[string](t, tab, `document.getElementById("c-slow").options[2].textContent.split(" · ")[0]`)
	input(t, tab, "c-id", id, "input")
	eval[bool](t, tab, `(document.getElementById("c-show").click(), true)`)
	if head := eval[string](t, tab, `document.querySelector("#c-view p").textContent`); !strings.Contains(head, "Case "+id) {
		t.Errorf("case %s by id shows %q", id, head)
	}
	input(t, tab, "c-id", "no such case", "input")
	eval[bool](t, tab, `(document.getElementById("c-show").click(), true)`)
	if head := eval[string](t, tab, `document.querySelector("#c-view p").textContent`); !strings.Contains(head, "does not hold") {
		t.Errorf("an unknown case shows %q", head)
	}
	// The time charts draw: a dot per event of the dotted chart's cases, a
	// bar per day, a histogram.
	for _, sel := range []string{"#d-view circle.dot", "#w-view rect.started", "#h-view rect.bin"} {
		if n := eval[int](t, tab, `document.querySelectorAll("`+sel+`").length`); n == 0 {
			t.Errorf("nothing drawn: %s", sel)
		}
	}
	// Filters: a narrower window and an attribute value change the counts.
	counts := `[document.getElementById("f-count").textContent, (document.querySelector("#v-table tbody tr td:nth-child(2)") || {}).textContent,
		document.querySelectorAll("#d-view circle.dot").length, document.querySelectorAll("#w-view rect").length].join("|")`
	all := eval[string](t, tab, counts)
	from := eval[string](t, tab, `document.getElementById("f-from").value`)
	to := eval[string](t, tab, `document.getElementById("f-to").value`)
	a, _ := time.Parse(time.DateOnly, from)
	b, _ := time.Parse(time.DateOnly, to)
	input(t, tab, "f-to", a.Add(b.Sub(a)/3).Format(time.DateOnly), "change")
	window := eval[string](t, tab, counts)
	if window == all {
		t.Errorf("the time window changed no count: %s", all)
	}
	if eval[bool](t, tab, `!!document.getElementById("f-attr")`) {
		eval[bool](t, tab, `(document.getElementById("f-reset").click(), true)`)
		if got := eval[string](t, tab, counts); got != all {
			t.Errorf("after reset %s, want %s", got, all)
		}
		input(t, tab, "f-attr", "0", "change")
		if got := eval[string](t, tab, counts); got == all {
			t.Errorf("the attribute filter changed no count: %s", all)
		}
	}
	// The variant level, a variant's histogram.
	eval[bool](t, tab, `(document.getElementById("f-reset").click(), true)`)
	input(t, tab, "v-level", "paths", "change")
	eval[bool](t, tab, `(document.querySelector("#v-table tbody tr").click(), true)`)
	if n := eval[int](t, tab, `document.querySelectorAll("#h-view rect.bin").length`); n == 0 {
		t.Error("no lead-time histogram")
	}
	eval[bool](t, tab, `(document.getElementById("f-reset").click(), true)`)
	input(t, tab, "c-slow", eval[string](t, tab, `document.getElementById("c-slow").options[1].value`), "change")
}

// shoot saves a screenshot of the section id, 1200 pixels wide, as a
// paletted PNG: into docs/screenshots with -screenshot, else a temporary
// folder. It must stay under 200 KB, as the repository wants.
func shoot(t *testing.T, tab context.Context, id, name string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(shotWidth+40, 900)); err != nil {
		t.Fatal(err)
	}
	box := eval[[]float64](t, tab, `(() => { const r = document.getElementById(`+strconv.Quote(id)+`).getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height] })()`)
	yes := true
	clip := &page.Viewport{X: box[0], Y: box[1], Width: box[2], Height: min(box[3], maxShotHeight), Scale: 1}
	r, err := chromedp.Call(tab, page.CaptureScreenshot, page.CaptureScreenshotParams{Clip: clip, CaptureBeyondViewport: &yes})
	if err != nil {
		t.Fatal(err)
	}
	shot := r.Data
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	small := quantize(img)
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, small); err != nil {
		t.Fatal(err)
	}
	if out.Len() > maxShot {
		t.Errorf("%s: %d bytes, want at most %d", name, out.Len(), maxShot)
	}
	path := filepath.Join(t.TempDir(), name)
	if *screenshot {
		path = filepath.Join("..", "..", "docs", "screenshots", name)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d×%d, %d bytes)", path, small.Bounds().Dx(), small.Bounds().Dy(), out.Len())
}

// startBrowser starts headless Chromium for the test, which it skips when
// there is none, and stops it when the test ends.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("headless Chromium not found: the browser test needs Debian's chromium (apt-get install -y chromium), which .ci/run installs")
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(shotWidth, 900))
	t.Cleanup(cancel)
	browser, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return browser
}

// open writes a report to a file in dir and opens it in a new tab of the
// browser. When the test ends, it fails if the page wrote any error to the
// console, threw, or opened a dialog (only a script of the log's would).
// It also checks that our script ran despite the page's strict policy.
func open(t *testing.T, browser context.Context, dir string, report []byte) context.Context {
	t.Helper()
	path := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())+".html")
	if err := os.WriteFile(path, report, 0o644); err != nil {
		t.Fatal(err)
	}
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				problems = append(problems, "console "+string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if x := e.ExceptionDetails.Exception; x != nil {
				msg += " " + x.Description
			}
			problems = append(problems, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log error: "+e.Entry.Text)
			}
		case *page.EventJavascriptDialogOpening:
			problems = append(problems, "dialog: "+e.Message)
			go chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	if !eval[bool](t, tab, `document.documentElement.classList.contains("js")`) {
		t.Error("our script did not run")
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("%s: %s", filepath.Base(path), p)
		}
	})
	return tab
}

// eval evaluates a JavaScript expression in the tab, within 30 s.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// quantize maps img to the 256 most common colours of its 15-bit
// reduction (a popularity quantizer, Heckbert 1982): a page is mostly a
// few flat colours, which it keeps exactly enough for a small PNG.
func quantize(img image.Image) *image.Paletted {
	b := img.Bounds()
	key := func(c color.Color) int {
		r, g, bl, _ := c.RGBA()
		return int(r>>11)<<10 | int(g>>11)<<5 | int(bl>>11)
	}
	var hist [1 << 15]int
	var sum [1 << 15][3]int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.At(x, y)
			k := key(c)
			r, g, bl, _ := c.RGBA()
			hist[k]++
			sum[k][0], sum[k][1], sum[k][2] = sum[k][0]+int(r>>8), sum[k][1]+int(g>>8), sum[k][2]+int(bl>>8)
		}
	}
	var keys []int
	for k, n := range hist {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortStableFunc(keys, func(a, b int) int { return hist[b] - hist[a] })
	var pal color.Palette
	for _, k := range keys[:min(len(keys), 256)] {
		n := hist[k]
		pal = append(pal, color.RGBA{uint8(sum[k][0] / n), uint8(sum[k][1] / n), uint8(sum[k][2] / n), 255})
	}
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), pal)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}
