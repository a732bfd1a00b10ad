package html

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/caseflow/caseflow/mining"
)

var screenshot = flag.Bool("screenshot", false, "save the screenshot of the receipt report to docs/report-screenshot.png")

// Screenshot size: the top of the page, with the summary, the process
// map and the handoff graph.
const shotWidth, shotHeight = 1280, 2450

// Headless Chromium opens reports, runs our script and only ours, and
// reports no console error; a screenshot of the receipt report is saved.
func TestBrowser(t *testing.T) {
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
	defer cancel()
	browser, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
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
		var evs []ev
		for i := range 4 {
			c := string(rune('a' + i))
			evs = append(evs, ev{c, `<script>alert(1)</script>`, "09:00", `"><img src=x onerror=alert(2)>`},
				ev{c, `</svg><script>alert(3)</script>`, "10:00", `<script>alert(4)</script>`},
				ev{c, `<script>alert(1)</script>`, "11:00", `"><img src=x onerror=alert(2)>`})
		}
		tab := open(t, browser, dir, write(t, analyze(t, evs, mining.Options{MinSupport: 2}), Input{Args: []string{`<script>alert(5)</script>`}}))
		if n := eval[int](t, tab, `document.scripts.length`); n != 1 {
			t.Errorf("%d scripts in the document, want 1", n)
		}
	})
	t.Run("receipt", func(t *testing.T) {
		tab := open(t, browser, dir, realReport(t, "receipt/receipt.csv", "org:group"))
		if err := chromedp.Do(tab, chromedp.EmulateViewport(shotWidth, shotHeight)); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != shotWidth || b.Dy() != shotHeight {
			t.Errorf("screenshot is %v, want %d×%d", b, shotWidth, shotHeight)
		}
		path := filepath.Join(t.TempDir(), "report-screenshot.png")
		if *screenshot {
			path = filepath.Join("..", "..", "docs", "report-screenshot.png")
		}
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%d bytes)", path, len(shot))
	})
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
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
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
