package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// filterCSV is a hand-made log of four cases and a rejected row:
//
//	A  phone          Building permit  03-01 10:00Z, 03-01 12:00Z
//	B  (none), email  Parking          02-29 23:00Z, 03-02 09:00Z
//	C  phone          Parking          03-02 08:00Z, 03-02 09:00Z, 03-04 10:00Z
//	D  web            Building permit  03-03 12:00Z
const filterCSV = `case,activity,time,department,channel,reason
A,Open,2024-03-01T10:00:00Z,KCC,phone,Building permit
A,Close,2024-03-01T12:00:00Z,KCC,phone,Building permit
B,Open,2024-02-29T23:00:00Z,KCC,,Parking
B,Close,2024-03-02T09:00:00Z,Back,email,Parking
C,Open,2024-03-02T08:00:00Z,KCC,phone,Parking
C,Route,2024-03-02T09:00:00Z,Back,phone,Parking
C,Close,2024-03-04T10:00:00Z,KCC,phone,Parking
D,Open,2024-03-03T12:00:00Z,KCC,web,Building permit
E,Open,not a time,KCC,web,Parking
`

// filterReport is the part of the JSON report the filter tests read.
type filterReport struct {
	Input struct {
		Rows, Events, Rejected, Excluded int64
		ExcludedByFilter                 *struct{ Cases, Events, Rows int64 } `json:"excluded_by_filter"`
	}
	Options struct {
		Filter *struct {
			Since, Until *string
			Window, Zone string
			Where        []struct {
				Column string
				Values []string
			}
		}
	}
	Log struct{ Cases int }
}

// TestFilterFlags runs analyze with each filter on filterCSV and checks
// the cases kept and the counts left out against the hand-worked table
// above: rows read = events + rejected + excluded (one event per row), and
// the days of --since and --until are days in the report's zone.
func TestFilterFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	if err := os.WriteFile(path, []byte(filterCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name         string
		flags        []string
		cases        int   // kept
		events       int64 // kept
		left         [3]int64
		header       string // the text report's filter line
		noFilterLine bool
	}{
		{"none", nil, 4, 8, [3]int64{}, "", true},
		// B started on 02-29, D on 03-03.
		{"window", []string{"--since", "2024-03-01", "--until", "2024-03-02"}, 2, 5, [3]int64{2, 3, 3},
			"Filtered by --since 2024-03-01 --until 2024-03-02 --window started (days in UTC): 2 cases left out, with 3 events from 3 rows", false},
		// In Tokyo (UTC+9) B starts on 03-01 at 08:00.
		{"window in the zone", []string{"--since", "2024-03-01", "--until", "2024-03-02", "--timezone", "Asia/Tokyo"}, 3, 7, [3]int64{1, 1, 1},
			"(days in Asia/Tokyo): 1 cases left out", false},
		{"contained", []string{"--since", "2024-03-01", "--until", "2024-03-02", "--window", "contained"}, 1, 2, [3]int64{3, 6, 6}, "--window contained", false},
		{"since only", []string{"--since", "2024-03-02"}, 2, 4, [3]int64{2, 4, 4}, "Filtered by --since 2024-03-02 --window started", false},
		// B's first channel is email: its first event has none.
		{"channel", []string{"--where", "channel=phone"}, 2, 5, [3]int64{2, 3, 3},
			"Filtered by --where channel=phone: 2 cases left out, with 3 events from 3 rows", false},
		{"quoted value", []string{"--where", `reason="Building permit"`}, 2, 3, [3]int64{2, 5, 5}, "--where reason=Building permit:", false},
		{"two values", []string{"--where", "channel=email, web"}, 2, 3, [3]int64{2, 5, 5}, "--where channel=email,web:", false},
		{"two conditions", []string{"--where", "channel=phone", "--where", "reason=Parking"}, 1, 3, [3]int64{3, 5, 5},
			"--where channel=phone --where reason=Parking:", false},
		{"window and value", []string{"--where", "channel=phone", "--until", "2024-03-01"}, 1, 2, [3]int64{3, 6, 6}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"analyze", "--quiet", "--max-rejects", "1", "--format", "json", path}, tc.flags...)
			code, out, errs := call(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %s", code, errs)
			}
			validate(t, out)
			var r filterReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			in := r.Input
			if r.Log.Cases != tc.cases || in.Events != tc.events || in.Rows != 9 || in.Rejected != 1 {
				t.Errorf("%d cases, %d events, %d rows, %d rejected; want %d, %d, 9, 1", r.Log.Cases, in.Events, in.Rows, in.Rejected, tc.cases, tc.events)
			}
			if in.Rows != in.Events+in.Rejected+in.Excluded {
				t.Errorf("rows %d ≠ events %d + rejected %d + excluded %d", in.Rows, in.Events, in.Rejected, in.Excluded)
			}
			switch x := in.ExcludedByFilter; {
			case tc.flags == nil && (x != nil || r.Options.Filter != nil):
				t.Errorf("no filter given, but the report has one: %+v %+v", x, r.Options.Filter)
			case tc.flags != nil && (x == nil || r.Options.Filter == nil):
				t.Fatal("the report has no filter")
			case x != nil && [3]int64{x.Cases, x.Events, x.Rows} != tc.left:
				t.Errorf("left out %+v, want cases, events, rows %v", *x, tc.left)
			}
			code, text, errs := call(t, "", append([]string{"analyze", "--quiet", "--max-rejects", "1", path}, tc.flags...)...)
			if code != exitOK {
				t.Fatalf("text: exit %d, stderr %s", code, errs)
			}
			if tc.noFilterLine == strings.Contains(text, "Filtered by") || !strings.Contains(text, tc.header) {
				t.Errorf("text report's header does not say %q:\n%.600s", tc.header, text)
			}
		})
	}
	// The filter in the options, as given.
	_, out, _ := call(t, "", "analyze", "--quiet", "--max-rejects", "1", "--format", "json", path, "--where", `reason="Building permit",Parking`, "--since", "2024-03-01")
	var r filterReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	f := r.Options.Filter
	if f == nil || f.Since == nil || *f.Since != "2024-03-01" || f.Until != nil || f.Window != "started" || f.Zone != "UTC" ||
		len(f.Where) != 1 || f.Where[0].Column != "reason" || !slices.Equal(f.Where[0].Values, []string{"Building permit", "Parking"}) {
		t.Errorf("options.filter %+v", f)
	}
}

// TestFilterErrors: wrong filter flags are usage errors (exit 2) before
// anything is read; a column the log lacks is one after reading; a filter
// that keeps no case says so and exits 1.
func TestFilterErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	if err := os.WriteFile(path, []byte(filterCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flags []string
		code  int
		want  string
	}{
		{[]string{"--since", "2024-13-01"}, exitUsage, "--since \"2024-13-01\": want a day as YYYY-MM-DD"},
		{[]string{"--until", "1.3.2024"}, exitUsage, "--until"},
		{[]string{"--since", "2024-03-02", "--until", "2024-03-01"}, exitUsage, "is before --since"},
		{[]string{"--window", "overlapping"}, exitUsage, "--window \"overlapping\""},
		{[]string{"--where", "channel"}, exitUsage, "write COLUMN=VALUE"},
		{[]string{"--where", "=phone"}, exitUsage, "write COLUMN=VALUE"},
		{[]string{"--where", "channel="}, exitUsage, "no value"},
		{[]string{"--where", `reason="Parking`}, exitUsage, "quoting"},
		{[]string{"--where", "priority=1"}, exitUsage, `"priority": name one of activity, department, resource, channel, reason`},
		{[]string{"--since", "2025-01-01"}, exitData, "the filter keeps no case: --since 2025-01-01 --window started (days in UTC) leaves out all 4 cases"},
		{[]string{"--where", "channel=fax"}, exitData, `no event has "fax"`},
	} {
		code, out, errs := call(t, "", append([]string{"analyze", "--max-rejects", "1", path}, tc.flags...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) || out != "" || strings.Contains(errs, "panic") {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit %d saying %q", tc.flags, code, len(out), errs, tc.code, tc.want)
		}
	}
}

// TestFilterGenerated filters a generated log by channel and by a window
// and checks the kept cases against the generator's truth (each case's
// channel and arrival), and that the findings equal those of the log cut
// to the same cases beforehand, line by line.
func TestFilterGenerated(t *testing.T) {
	dir := t.TempDir()
	logPath, truth := filepath.Join(dir, "log.csv"), filepath.Join(dir, "truth.jsonl")
	if code, _, errs := call(t, "", "generate", "--cases", "1500", "--days", "60", "--seed", "5", "--out", logPath, "--truth", truth); code != exitOK {
		t.Fatalf("generate: exit %d, %s", code, errs)
	}
	f, err := os.Open(truth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	channels := map[string]int{}
	inWindow := 0 // cases arriving from 2024-02-01 to 2024-02-10, UTC
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), `{"kind":"case"`) {
			continue
		}
		var c struct{ Channel, Arrival string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		channels[c.Channel]++
		at, err := time.Parse(time.RFC3339Nano, c.Arrival)
		if err != nil {
			t.Fatal(err)
		}
		if d := at.UTC().Format(time.DateOnly); d >= "2024-02-01" && d <= "2024-02-10" {
			inWindow++
		}
	}
	if len(channels) < 2 || inWindow == 0 {
		t.Fatalf("truth: channels %v, %d cases in the window: not a test", channels, inWindow)
	}
	analyze := func(args ...string) filterReport {
		t.Helper()
		code, out, errs := call(t, "", append([]string{"analyze", "--quiet", "--format", "json"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
		var r filterReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for ch, n := range channels {
		if r := analyze(logPath, "--where", "channel="+ch); r.Log.Cases != n || r.Input.ExcludedByFilter.Cases != int64(1500-n) {
			t.Errorf("--where channel=%s: %d cases kept, %d left out; the truth has %d of 1500", ch, r.Log.Cases, r.Input.ExcludedByFilter.Cases, n)
		}
	}
	if r := analyze(logPath, "--since", "2024-02-01", "--until", "2024-02-10"); r.Log.Cases != inWindow {
		t.Errorf("--since 2024-02-01 --until 2024-02-10: %d cases, the truth has %d arriving then", r.Log.Cases, inWindow)
	}

	// The same cases cut from the file first: the same findings.
	lines := strings.SplitAfter(readFile(t, logPath), "\n")
	col := slices.Index(strings.Split(strings.TrimSpace(lines[0]), ","), "channel")
	cut := lines[0]
	for _, l := range lines[1:] {
		if fields := strings.Split(l, ","); len(fields) > col && fields[col] == "phone" {
			cut += l
		}
	}
	cutPath := filepath.Join(dir, "phone.csv")
	if err := os.WriteFile(cutPath, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	body := func(args ...string) string {
		_, out, _ := call(t, "", append([]string{"analyze", "--quiet", "--format", "json"}, args...)...)
		_, rest, _ := strings.Cut(out, `"log":`) // input and options differ: file, rows, the filter
		return rest
	}
	if a, b := body(logPath, "--where", "channel=phone"), body(cutPath); a != b {
		t.Errorf("--where channel=phone and the log cut to phone cases differ:\n%s", firstDiff(a, b))
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + al[i] + "\n vs  " + bl[i]
		}
	}
	return "one is a prefix of the other"
}
