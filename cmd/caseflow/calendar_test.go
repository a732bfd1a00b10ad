package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseflow/caseflow/mining"
)

// The worked example (three cases on Monday 4 March 2024, UTC) in working
// time: open 09:00–09:30 and 10:00–12:00, so the lead times 09:00–11:00,
// 09:00–11:30 and 09:00–09:30 are 1.5 h, 2 h and 30 min of work (clock:
// 2 h, 2.5 h, 30 min). Legal's own calendar is open on Tuesdays only, so the
// wait Back → Legal (10:00–10:30) is 0 there, 30 min in the main one.
func TestWorkingTimeRun(t *testing.T) {
	dir := t.TempDir()
	const hours = "[calendar]\nname = \"office\"\ntimezone = \"UTC\"\nmonday = [\"09:00-09:30\", \"10:00-12:00\"]\ndutch-holidays = true\n"
	cfg := writeConfig(t, dir, hours+"[calendar.department.Legal]\nmonday = []\ntuesday = [\"09:00-17:00\"]\n")
	legalWait := func(doc map[string]any) any {
		for _, h := range doc["flows"].(map[string]any)["handoff_matrix"].([]any) {
			if m := h.(map[string]any); m["from"] == "Back" && m["to"] == "Legal" {
				return m["median_delay_s"]
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name   string
		args   []string
		median float64
		long   float64 // above an SLA of 1.75 h
		wait   any
	}{
		{"clock", []string{"--config", cfg}, 7200, 2, 1800.0},
		{"working", []string{"--config", cfg, "--working-time"}, 5400, 1, 0.0},
	} {
		doc := analyzeJSON(t, append(tc.args, "--sla", "1.75h", threeCases)...)
		if got := number(t, doc, "lead_time.median_s"); got != tc.median {
			t.Errorf("%s: median %v s, want %v", tc.name, got, tc.median)
		}
		if got := number(t, doc, "lead_time.long_cases"); got != tc.long {
			t.Errorf("%s: long cases %v, want %v", tc.name, got, tc.long)
		}
		if got := legalWait(doc); got != tc.wait {
			t.Errorf("%s: wait Back → Legal %v, want %v", tc.name, got, tc.wait)
		}
	}
	doc := analyzeJSON(t, "--config", cfg, "--working-time", threeCases)
	for path, want := range map[string]any{
		"options.working_time.calendar.name": "office", "options.working_time.calendar.zone": "UTC",
		"options.working_time.calendar.day_s": 9000.0, "options.working_time.departments.0.department": "Legal",
		"options.working_time.departments.0.name": "Legal",
	} {
		if got := lookup(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if code, out, errs := call(t, "", "analyze", "--format", "json", "--config", cfg, "--working-time", threeCases); code != exitOK {
		t.Errorf("exit %d: %s", code, errs)
	} else {
		validate(t, out)
	}
	if _, ok := analyzeJSON(t, threeCases)["options"].(map[string]any)["working_time"]; ok {
		t.Error("clock time: the report has options.working_time")
	}
	code, out, errs := call(t, "", "analyze", "--config", cfg, "--working-time", threeCases)
	if code != exitOK || !strings.Contains(out, `Durations are working time: calendar "office" (UTC, a working day is 2.5 h`) ||
		!strings.Contains(out, "in working days of 2.5 h: median 0.60") {
		t.Errorf("exit %d, text report %s%s", code, out, errs)
	}

	// A holiday from the file closes the Monday: every lead time is 0.
	if err := os.WriteFile(filepath.Join(dir, "days.txt"), []byte("# closed\n\n2024-03-04 staff day\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg = writeConfig(t, dir, hours+"holidays = \"days.txt\"\n")
	if got := number(t, analyzeJSON(t, "--config", cfg, "--working-time", threeCases), "lead_time.max_s"); got != 0 {
		t.Errorf("holiday: longest lead time %v s, want 0", got)
	}
}

func TestWorkingTimeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, holidays string
		args                 []string
		err                  string
	}{
		{"misspelt key", "[mining]\nwork-time = true\n", "", nil, `nightly.toml:2:1: unknown key "mining.work-time"`},
		{"flag without calendar", "[mining]\nworking-time = true\n", "", nil, "--working-time: the --config file has no [calendar] table"},
		{"bad shift", "[calendar]\nmonday = [\"08:30-17:00\", \"9-17\"]\n", "", []string{"--working-time"}, `nightly.toml:2:26: calendar.monday: shift "9-17": want HH:MM-HH:MM`},
		{"unknown key", "[calendar]\nmondays = [\"08:30-17:00\"]\n", "", []string{"--working-time"}, `nightly.toml:2:1: unknown key "calendar.mondays"`},
		{"no hours", "[calendar]\ndutch-holidays = true\n", "", []string{"--working-time"}, "calendar calendar has no opening hours"},
		{"bad holiday", "[calendar]\nmonday = [\"08:30-17:00\"]\nholidays = \"days.txt\"\n", "2024-12-25\n  25-12-2024 Kerst\n", []string{"--working-time"}, "days.txt:2:3: date \"25-12-2024\": want YYYY-MM-DD"},
		{"department at resource level", "[calendar]\nmonday = [\"08:30-17:00\"]\n[calendar.department.Back]\nmonday = []\n", "", []string{"--working-time", "--level", "resource"}, "analyse at --level department"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.holidays != "" {
				if err := os.WriteFile(filepath.Join(dir, "days.txt"), []byte(tc.holidays), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg := writeConfig(t, dir, tc.text)
			code, out, errs := call(t, "", append([]string{"analyze", "--config", cfg, threeCases}, tc.args...)...)
			if code != exitUsage || out != "" || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.err)
			}
		})
	}
}

// A department's calendar takes the main calendar's values for the keys it
// leaves out; an empty weekday closes it.
func TestDepartmentCalendarInherits(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nights.txt"), []byte("2024-03-05\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := parseConfig(filepath.Join(dir, "f.toml"), []byte(`[calendar]
timezone = "Europe/Amsterdam"
monday = ["08:30-17:00"]
tuesday = ["08:30-12:00", "13:00-17:00"]
dutch-holidays = true
[calendar.department.Night]
tuesday = []
sunday = ["22:00-06:00"]
holidays = "nights.txt"
day-length = "7h"
`))
	if err != nil {
		t.Fatal(err)
	}
	var o mining.Options
	o.Level = mining.Department
	if err := c.Calendar.options(&o); err != nil {
		t.Fatal(err)
	}
	main, night := o.Calendar, o.Calendars["Night"]
	if main == nil || night == nil || len(o.Calendars) != 1 {
		t.Fatalf("calendars %+v, %+v", main, o.Calendars)
	}
	if main.Name != "calendar" || main.Zone.String() != "Europe/Amsterdam" || !main.Dutch || len(main.Week[time.Tuesday]) != 2 ||
		main.Day() != 8*time.Hour || len(main.Holidays) != 0 {
		t.Errorf("main calendar %+v, day %v", main, main.Day())
	}
	if night.Name != "Night" || night.Zone != main.Zone || !night.Dutch || len(night.Week[time.Monday]) != 1 ||
		night.Week[time.Tuesday] != nil || len(night.Week[time.Sunday]) != 1 || night.Day() != 7*time.Hour ||
		len(night.Holidays) != 1 || night.Holidays[0].String() != "2024-03-05" {
		t.Errorf("night calendar %+v", night)
	}
}
