package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzePairLifecycle: analyze --pair-lifecycle merges A's start and
// complete events (the rule convert --pair-lifecycle uses) before mining.
// By hand: c1 is A 10:00–11:00 in X, B at 12:00 in Y, C at 12:30 in X, so
// 4 rows make 3 events, one with a start; the span 10:00–12:30 is 9,000 s,
// of which 3,600 s working (A) and 5,400 s waiting. Without the flag no
// event has a start. In an [[input]] table the key is refused: it is
// applied to the joined log, so it belongs in [read].
func TestAnalyzePairLifecycle(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"lc.csv": "case,activity,team,lifecycle:transition,timestamp\n" +
		"c1,A,X,start,2024-01-01 10:00:00\nc1,A,X,complete,2024-01-01 11:00:00\n" +
		"c1,B,Y,complete,2024-01-01 12:00:00\nc1,C,X,complete,2024-01-01 12:30:00\n"})
	path := filepath.Join(dir, "lc.csv")
	for _, tc := range []struct {
		flags                  []string
		rows, events, started  int64
		span, working, waiting float64
	}{
		{[]string{"--pair-lifecycle"}, 4, 3, 1, 9000, 3600, 5400},
		{nil, 4, 4, 0, 0, 0, 0},
	} {
		code, out, errs := call(t, "", append([]string{"analyze", path, "--department", "team", "--format", "json"}, tc.flags...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.flags, code, errs)
		}
		var d struct {
			Input   struct{ Rows, Events int64 }
			Working *struct {
				Started int64   `json:"events_with_start"`
				Span    float64 `json:"span_s"`
				Working float64 `json:"working_s"`
				Waiting float64 `json:"waiting_s"`
			}
		}
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		var w [4]float64
		if d.Working != nil {
			w = [4]float64{float64(d.Working.Started), d.Working.Span, d.Working.Working, d.Working.Waiting}
		}
		if d.Input.Rows != tc.rows || d.Input.Events != tc.events || w != [4]float64{float64(tc.started), tc.span, tc.working, tc.waiting} {
			t.Errorf("%v: rows %d, events %d, working %v; want %d, %d, %v", tc.flags, d.Input.Rows, d.Input.Events, w, tc.rows, tc.events,
				[4]float64{float64(tc.started), tc.span, tc.working, tc.waiting})
		}
		if want := "--pair-lifecycle: 1 start events merged"; (len(tc.flags) > 0) != strings.Contains(errs, want) {
			t.Errorf("%v: stderr %q; want the note %q only with the flag", tc.flags, errs, want)
		}
	}
	cfg := writeConfig(t, dir, "[[input]]\nfiles = [\"lc.csv\"]\njoin = \"case\"\npair-lifecycle = true\n")
	if code, _, errs := call(t, "", "analyze", "--config", cfg); code != exitUsage || !strings.Contains(errs, "pair-lifecycle is for all sources together") {
		t.Errorf("[[input]] pair-lifecycle: exit %d, %s; want a usage error", code, errs)
	}
}
