package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzeCalls: the hand-made call records (ingest/testdata) give the
// JSON calls object worked out by hand there, and the text report's CALLS
// section; an event log's calls object is null; --shape is checked.
func TestAnalyzeCalls(t *testing.T) {
	const file = "../../ingest/testdata/calls_small.txt"
	code, out, errs := call(t, "", "analyze", "--format", "json", "--max-rejects", "100%", "--shape", "calls", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d struct {
		Input struct {
			Rows, Rejected, Excluded int
		} `json:"input"`
		Calls *struct {
			All struct {
				Calls, Offered, Answered, Abandoned int
				WaitMedian                          float64 `json:"wait_median_s"`
				ServiceLevel                        float64 `json:"service_level"`
				HandleMean                          float64 `json:"handle_mean_s"`
			} `json:"all"`
		} `json:"calls"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Calls == nil {
		t.Fatal("calls is null")
	}
	a := d.Calls.All
	if a.Calls != 7 || a.Offered != 6 || a.Answered != 4 || a.Abandoned != 2 || a.WaitMedian != 45 || a.ServiceLevel != 0.333333 || a.HandleMean != 195 {
		t.Errorf("calls %+v; want 7 calls, 6 offered, 4 answered, 2 abandoned, median wait 45 s, service level 0.333333, AHT 195 s", a)
	}
	if in := d.Input; in.Rows != 13 || in.Rejected != 4 || in.Excluded != 2 {
		t.Errorf("input %+v; want 13 rows, 4 rejected, 2 excluded (PHANTOM and a redelivered row)", in)
	}
	if !strings.Contains(errs, "7 calls + 4 rejected + 1 PHANTOM") {
		t.Errorf("stderr lacks the row accounting: %s", errs)
	}

	page := filepath.Join(t.TempDir(), "report.html")
	code, out, errs = call(t, "", "analyze", "--max-rejects", "100%", "--html", page, file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "13 rows read, 4 rejected, 2 excluded\n"; !strings.Contains(out, want) {
		t.Errorf("text headline lacks %q", want)
	}
	if want := "CALLS  6 offered, 4 answered, 2 abandoned (33.3 %, median 45 s before hanging up)"; !strings.Contains(out, want) {
		t.Errorf("text report lacks %q:\n%s", want, out)
	}
	// The page's NW row: waits 100 and 30 s (median 65 s), neither
	// answered within 20 s.
	html := readFile(t, page)
	for _, want := range []string{`<section id="calls">`, "6 calls offered to an agent, 4 answered, 2 abandoned (33.3 %",
		`<td>NW</td><td class="n" data-v="3">3</td><td class="n" data-v="2">2</td><td class="n" data-v="1">1</td><td class="n" data-v="0.5">50.0 %</td><td class="n" data-v="65">1.1 min</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	code, out, errs = call(t, "", "analyze", "--format", "json", "--shape", "events", "--case", "vru+line,call_id", "--time", "date,vru_entry", "--time-format", "%y%m%d", "--max-rejects", "100%", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"calls": null`) {
		t.Errorf("an event log's calls object is not null")
	}
	if code, _, errs = call(t, "", "analyze", "--shape", "rows", file); code == exitOK || !strings.Contains(errs, `unknown shape "rows"`) {
		t.Errorf("--shape rows: exit %d, %s", code, errs)
	}
}
