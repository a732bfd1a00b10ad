package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/caseflow/caseflow/internal/realdata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	goldenDir  = filepath.Join("..", "..", "testdata", "golden")
	threeCases = filepath.Join(goldenDir, "three-cases.csv") // the worked example of docs/definitions.md
)

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := readFile(t, path); got != want {
		t.Errorf("%s differs from the golden file (review, then go test ./cmd/caseflow -update):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestAnalyzeGolden keeps the reports of the built-in sample and of the
// worked example, reviewed, in testdata/golden.
func TestAnalyzeGolden(t *testing.T) {
	// The worked example's times are whole minutes, which analyze notes.
	minutes := "caseflow: note: " + threeCases + ": the timestamps are whole minutes: a duration under a minute shows as 0, and events of a case in the same minute keep their order in the file\n"
	for _, tc := range []struct {
		golden string
		args   []string
		stderr string
	}{
		{"analyze-sample.txt", []string{"analyze"}, ""},
		{"analyze-sample.json", []string{"analyze", "--format", "json"}, ""},
		{"analyze-three-cases.txt", []string{"analyze", "--sla", "90m", "--min-support", "2", threeCases}, minutes},
		{"analyze-three-cases.json", []string{"analyze", "--sla", "90m", "--min-support", "2", "--format", "json", threeCases}, minutes},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, errs := call(t, "", tc.args...)
			if code != exitOK || errs != tc.stderr {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			checkGolden(t, tc.golden, out)
		})
	}
}

// TestAnalyzeThreeCases checks the command's JSON on the worked example
// of docs/definitions.md against the figures computed by hand there.
func TestAnalyzeThreeCases(t *testing.T) {
	doc := analyzeJSON(t, "--sla", "1h30m", "--min-support", "2", threeCases)
	for path, want := range map[string]float64{
		"input.rows": 14, "input.rejected": 0, "log.cases": 3, "log.departments": 3,
		"flows.dfg_edges": 10, "flows.dfg_arcs": 11, "flows.handoffs": 7, "flows.handoff_pairs": 4,
		"pingpong.occurrences": 2, "pingpong.cases": 1, "pingpong.closing_returns": 1, "pingpong.revisits": 4, "pingpong.revisit_cases": 2,
		"lead_time.median_s": 7200, "lead_time.p90_s": 8640, "lead_time.long_cases": 2, "silos.tested": 0, "silos.units_tested": 2,
	} {
		if got := number(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

// TestAnalyzeReceipt checks the receipt log's figures, published in the
// mining issue from an independent pandas computation, under the report's
// names, and validates the document against the schema. The stay figures
// are those of mining's TestRealLogs, recounted there from the raw file
// with EMPTY read as a placeholder (no department) and closing returns
// apart from ping-pong, which change issue 4's counts.
func TestAnalyzeReceipt(t *testing.T) {
	path := realdata.Path(t, "receipt/receipt.csv")
	code, out, errs := call(t, "", "analyze", path, "--department", "org:group", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	validate(t, out)
	doc := decodeJSON(t, out)
	for path, want := range map[string]float64{
		"log.cases": 1434, "flows.dfg_edges": 99, "flows.dfg_arcs": 7143, "flows.variants": 116,
		"flows.handoffs": 3853, "flows.handoff_pairs": 33,
		"pingpong.occurrences": 142, "pingpong.cases": 84, "pingpong.closing_returns": 23, "pingpong.pairs.0.occurrences": 67,
		"pingpong.revisits": 537, "pingpong.revisit_cases": 360,
	} {
		if got := number(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if a, b := lookup(t, doc, "pingpong.pairs.0.a"), lookup(t, doc, "pingpong.pairs.0.b"); a != "Group 1" || b != "Group 4" {
		t.Errorf("top pair {%v, %v}, want {Group 1, Group 4}", a, b)
	}
	if got := number(t, doc, "lead_time.median_s"); math.Abs(got-2868.58) > 0.005 {
		t.Errorf("lead_time.median_s = %v, want 2,868.58", got)
	}
	if got := number(t, doc, "lead_time.median_nearest_s"); math.Abs(got-2800.43) > 0.005 {
		t.Errorf("lead_time.median_nearest_s = %v, want 2,800.43", got)
	}
}

// TestAnalyzeOut writes the report folder twice, checks that the runs are
// byte-identical, that every CSV reads back, every SVG parses as XML and
// report.json is what --format json prints.
func TestAnalyzeOut(t *testing.T) {
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	var stdout string
	for _, dir := range dirs {
		code, out, errs := call(t, "", "analyze", "--format", "json", "--out", dir)
		if code != exitOK || errs != "" {
			t.Fatalf("exit %d: %s", code, errs)
		}
		stdout = out
	}
	want := []string{"boundaries.csv", "cases.csv", "departments.csv", "dfg.csv", "handoffs.csv", "handoffs.dot", "handoffs.svg",
		"paths.csv", "pingpong.csv", "process-map.dot", "process-map.svg", "repeats.csv", "report.html", "report.json", "report.txt", "spikes.csv", "variants.csv"}
	entries, err := os.ReadDir(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("files %v, want %v", names, want)
	}
	for _, name := range names {
		a, b := readFile(t, filepath.Join(dirs[0], name)), readFile(t, filepath.Join(dirs[1], name))
		// The HTML page shows the command line, which names the folder;
		// TestHTMLReport checks it is identical for identical flags.
		if a != b && name != "report.html" {
			t.Errorf("%s differs between two runs", name)
		}
		switch filepath.Ext(name) {
		case ".csv":
			rows, err := csv.NewReader(strings.NewReader(a)).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Errorf("%s: %d rows, %v", name, len(rows), err)
			}
		case ".svg":
			d := xml.NewDecoder(strings.NewReader(a))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s is not XML: %v", name, err)
					break
				}
			}
		}
	}
	if got := readFile(t, filepath.Join(dirs[0], "report.json")); got != stdout {
		t.Error("report.json differs from the JSON on standard output")
	}
	if rows := strings.Count(readFile(t, filepath.Join(dirs[0], "cases.csv")), "\n"); rows != 2001 {
		t.Errorf("cases.csv has %d lines, want a header and the sample's 2,000 cases", rows)
	}
}

func TestAnalyzeOutFails(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	code, out, errs := call(t, "", "analyze", "--out", file)
	if code != exitData || out != "" || !strings.Contains(errs, "is a file, not a folder") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and a message", code, out, errs)
	}
}

func TestFailOn(t *testing.T) {
	// The sample: 127 of 2,000 cases ping-pong (6.4 %; its closing returns
	// to the KCC are no ping-pong), 1 silo boundary.
	for _, tc := range []struct {
		rules []string
		code  int
		err   string
	}{
		{[]string{"pingpong.case_rate>0.05"}, exitBreach, "--fail-on pingpong.case_rate>0.05 breached: pingpong.case_rate is 0.064"},
		{[]string{"pingpong.case_rate>0.5"}, exitOK, ""},
		{[]string{"pingpong.case_rate <= 0.2"}, exitBreach, "breached"},
		{[]string{"silos.flagged>=1", "log.cases<10"}, exitBreach, "silos.flagged is 1"},
		{[]string{"silos.flagged!=1"}, exitOK, ""},
		{[]string{"log.cases==2000"}, exitBreach, "log.cases is 2000"},
		{[]string{"pingpong.pairs.0.occurrences>100"}, exitBreach, "pingpong.pairs.0.occurrences is 127"},
		{[]string{"pingpong.pairs.999.occurrences>100"}, exitOK, "the report has no pingpong.pairs.999.occurrences"},
		{[]string{"pingpong.case_rate"}, exitUsage, "no comparison"},
		{[]string{"pingpong.rate>1"}, exitUsage, `pingpong has no field "rate"`},
		{[]string{"pingpong.pairs>1"}, exitUsage, "is a list"},
		{[]string{"pingpong.pairs.0.a>1"}, exitUsage, "not a number"},
		{[]string{"pingpong.case_rate>lots"}, exitUsage, "not a number"},
	} {
		t.Run(strings.Join(tc.rules, " "), func(t *testing.T) {
			args := []string{"analyze"}
			for _, r := range tc.rules {
				args = append(args, "--fail-on", r)
			}
			code, out, errs := call(t, "", args...)
			if code != tc.code || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.err)
			}
			if tc.code == exitUsage && out != "" {
				t.Error("a usage error should print no report")
			}
			if tc.code == exitBreach && !strings.Contains(out, "PING-PONG") {
				t.Error("a breached rule should still print the report")
			}
		})
	}
}

func TestAnalyzeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--format", "xml"}, `--format "xml": want text or json`},
		{[]string{"--level", "team"}, `--level "team": want department or resource`},
		{[]string{"--top", "0"}, "--top 0"},
		{[]string{"--fdr", "2"}, "false discovery rate 2"},
		{[]string{"--from", "No such activity"}, "No such activity"},
		{[]string{"--sla", "3x"}, "--sla"},
		{[]string{"--config", "no-such.toml"}, "no-such.toml"},
	} {
		code, out, errs := call(t, "", append([]string{"analyze"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want 2 and %q", tc.args, code, len(out), errs, tc.err)
		}
	}
}

// TestPseudonyms checks that resource names never appear unless revealed,
// that pseudonyms are HMAC-SHA256 with the key from the environment, and
// that the public default key is warned about.
func TestPseudonyms(t *testing.T) {
	hash := func(key, name string) string { return hmacName("res-", key, name) }
	if got := hash("caseflow-public-default-key", "Ann"); got != "res-aa1799a95f5c" {
		t.Fatalf("the test's HMAC gives %s, openssl gives res-aa1799a95f5c", got)
	}
	names := []string{"Ann", "Bob", "Cy", "Dee"}
	for _, tc := range []struct {
		name, key string
		reveal    bool
		warn      bool
	}{
		{"default key", "", false, true},
		{"key from the environment", "s3cret", false, false},
		{"revealed", "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(keyEnv, tc.key)
			t.Setenv("XDG_CONFIG_HOME", "/dev/null/none") // no key of the user's own: the default
			dir := t.TempDir()
			args := []string{"analyze", "--level", "resource", "--out", dir, threeCases}
			if tc.reveal {
				args = append(args, "--reveal-resources")
			}
			code, out, errs := call(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if strings.Contains(errs, "public default key") != tc.warn {
				t.Errorf("warning about the default key: %v, want %v (stderr %q)", !tc.warn, tc.warn, errs)
			}
			all := out
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				all += readFile(t, filepath.Join(dir, e.Name()))
			}
			key := tc.key
			if key == "" {
				key = "caseflow-public-default-key"
			}
			for _, n := range names {
				if strings.Contains(all, n) != tc.reveal {
					t.Errorf("%s shown: %v, want %v", n, !tc.reveal, tc.reveal)
				}
				if p := hash(key, n); strings.Contains(all, p) == tc.reveal {
					t.Errorf("pseudonym %s of %s shown: %v, want %v", p, n, tc.reveal, !tc.reveal)
				}
			}
		})
	}
}

func TestQuietWhenNotATerminal(t *testing.T) {
	code, _, errs := call(t, "", "analyze", "--out", t.TempDir())
	if code != exitOK || errs != "" {
		t.Errorf("exit %d, stderr %q: progress and notes need a terminal", code, errs)
	}
	code, _, errs = call(t, "", "analyze", "--quiet", "--level", "resource")
	if code != exitOK || errs != "" {
		t.Errorf("exit %d, stderr %q: --quiet silences notes", code, errs)
	}
}

func analyzeJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := call(t, "", append([]string{"analyze", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	return decodeJSON(t, out)
}

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// lookup follows a dotted path of keys and list indices.
func lookup(t *testing.T, doc map[string]any, path string) any {
	t.Helper()
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := 0
			for _, c := range k {
				i = 10*i + int(c-'0')
			}
			if i >= len(x) {
				t.Fatalf("%s: list of %d", path, len(x))
			}
			v = x[i]
		}
	}
	return v
}

func number(t *testing.T, doc map[string]any, path string) float64 {
	t.Helper()
	f, ok := lookup(t, doc, path).(float64)
	if !ok {
		t.Fatalf("%s = %v, not a number", path, lookup(t, doc, path))
	}
	return f
}

// validate checks a JSON report against docs/report.schema.json.
func validate(t *testing.T, doc string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile(filepath.Join("..", "..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(doc)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Error(err)
	}
}

// TestProgress checks the progress line a terminal would show: the bytes
// the opener delivered, of the files' total, then the stage; and that
// stopping clears the line. A nil progress (no terminal) does nothing.
func TestProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	os.WriteFile(path, bytes.Repeat([]byte("x"), 2_000_000), 0o644)
	var buf bytes.Buffer
	var rf readFlags
	var stdin io.Reader = strings.NewReader("")
	run := &runState{size: inputSize(inputSizes([]string{path}))}
	countReads(&rf, &stdin, &run.read)
	p := newProgress(&buf, run)
	f, err := rf.open(path)
	if err != nil {
		t.Fatal(err)
	}
	io.CopyN(io.Discard, f, 1_000_000)
	if st, ok := f.(interface{ Stat() (os.FileInfo, error) }); !ok {
		t.Error("the counting file hides Stat, so ingest cannot see the file size")
	} else if fi, err := st.Stat(); err != nil || fi.Size() != 2_000_000 {
		t.Errorf("Stat: %v, %v", fi, err)
	}
	if line := p.line(); !strings.HasPrefix(line, "caseflow: reading 1.0 MB of 2.0 MB (50 %), ") || !strings.HasSuffix(line, " MB/s") {
		t.Errorf("progress line %q", line)
	}
	io.Copy(io.Discard, f)
	f.Close()
	if line := p.line(); line != "caseflow: building the event log from 2.0 MB …" {
		t.Errorf("progress line once all is read %q", line)
	}
	p.stage("analysing 3 cases")
	if line := p.line(); line != "caseflow: analysing 3 cases …" {
		t.Errorf("progress line %q", line)
	}
	p.stop()
	p.stop()
	if !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Errorf("stop should clear the line, wrote %q", buf.String())
	}
	var out bytes.Buffer
	p = newProgress(&out, run)
	w := stopFirst{p, &out}
	stage(w, "analysing")
	fmt.Fprintln(w, "caseflow: an error")
	if got := out.String(); !strings.HasSuffix(got, "\r\x1b[Kcaseflow: an error\n") {
		t.Errorf("a message should end the progress line first: %q", got)
	}
}

// TestHTMLReport checks that --out puts report.html beside the other files
// and --html writes it alone, and that the page loads nothing from outside.
func TestHTMLReport(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "alone", "page.html")
	if err := os.Mkdir(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"analyze", "--quiet", "--out", filepath.Join(dir, "out"), "--html", page}
	code, _, errs := call(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	first := readFile(t, page)
	if code, _, errs := call(t, "", args...); code != exitOK || readFile(t, page) != first {
		t.Errorf("second run: exit %d (%s), page identical: %v", code, errs, readFile(t, page) == first)
	}
	for _, p := range []string{filepath.Join(dir, "out", "report.html"), page} {
		s := readFile(t, p)
		if !strings.HasPrefix(s, "<!DOCTYPE html>") || !strings.Contains(s, "sample:contact-centre.csv") {
			t.Errorf("%s does not look like the sample's report (%d bytes)", p, len(s))
		}
		for _, bad := range []string{"src=\"http", "href=\"http", "src='http", "href='http", "@import"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s loads from outside: contains %q", p, bad)
			}
		}
	}
}
