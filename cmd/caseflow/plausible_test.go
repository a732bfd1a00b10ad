package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/realdata"
)

// plausibleLogs are the shared real logs with only the flags a user needs
// (what inspect cannot guess). The call-centre file is left out: it has one
// row per call with separate queue and service times, not one row per
// event, so it has no departments to hand off between until the
// export-shapes issue reads call records.
var plausibleLogs = []struct {
	path  string
	flags []string
	// manyFlagged says why more than half of the tested boundaries may be
	// flagged on this log; "" means at most half must be.
	manyFlagged string
}{
	{path: "receipt/receipt.csv"},
	{path: "receipt/08_receipt.xes.gz"},
	{path: "bpic2014/BPIC14_incident_log.csv"},
	{path: "bpic2013/incidents.xes.gz", flags: []string{"--activity", "concept:name,lifecycle:transition"}},
	{path: "bpic2013/closed_problems.csv", flags: []string{"--activity", "Problem Status,Problem Sub Status"}},
	{path: "helpdesk/helpdesk.xes.gz", flags: []string{"--department", "workgroup"}},
}

// splitSeed seeds the hash that splits a log's cases into two halves.
const splitSeed = "caseflow-halves-1"

// TestPlausibleOnRealLogs runs analyze, as a user would, on every shared
// real log and asserts what a manager would take for granted:
//   - no ∞, NaN or Inf anywhere in the report: the text on standard output,
//     report.json, report.txt, every CSV, and report.html (whose sort keys
//     data-v="±Infinity" for a missing value are its own, not shown);
//   - at most half of the tested silo boundaries flagged, unless the log's
//     entry says why not;
//   - at least one long case whenever the P99 lead time is more than ten
//     times the median (a heavy tail has cases a manager calls too long);
//   - flags are stable: the log's cases are split into two halves by a
//     seeded FNV-1a hash of the case id (the log converted to CSV by
//     caseflow convert, then split with encoding/csv), each half is
//     analysed, and the Jaccard overlap of the boundaries flagged in the
//     two halves, among those tested in both, is at least 0.5 whenever
//     their union has 3 or more. The same overlap for departments flagged
//     as slow to take work in is computed and shown, not asserted: on
//     BPIC 2014 it is 1 of 4 (issue 13 asks for stable boundaries; the
//     department test is new, and its stability is for the lead to judge).
//
// The figures go to the test log as a row of the table in
// docs/definitions.md ("The defaults on real logs").
func TestPlausibleOnRealLogs(t *testing.T) {
	t.Logf("| log | flags | events | cases | ping-pong cases | closing returns | boundaries flagged / tested | departments flagged / tested | long cases | P99 ÷ median | halves: boundaries flagged | Jaccard | halves: departments flagged | Jaccard |")
	for _, lg := range plausibleLogs {
		t.Run(lg.path, func(t *testing.T) {
			path := realdata.Path(t, lg.path)
			dir := t.TempDir()
			full := analyzeReport(t, filepath.Join(dir, "full"), append(lg.flags, path)...)
			doc := full.doc

			tested, flagged := int(number(t, doc, "silos.tested")), int(number(t, doc, "silos.flagged"))
			if 2*flagged > tested && lg.manyFlagged == "" {
				t.Errorf("%d of %d tested boundaries flagged, more than half: %v", flagged, tested, full.boundaries.flagged)
			}
			median, p99 := number(t, doc, "lead_time.median_s"), number(t, doc, "lead_time.p99_s")
			long := int(number(t, doc, "lead_time.long_cases"))
			if p99 > 10*median && long == 0 {
				t.Errorf("P99 lead time %.0f s is %.0f× the median %.0f s, but no case is long", p99, p99/median, median)
			}

			csvLog := filepath.Join(dir, "log.csv")
			if code, _, errs := call(t, "", append(append([]string{"convert"}, lg.flags...), path, csvLog)...); code != exitOK {
				t.Fatalf("convert: exit %d: %s", code, errs)
			}
			halves := splitHalves(t, csvLog, dir)
			a := analyzeReport(t, filepath.Join(dir, "half0"), halves[0])
			b := analyzeReport(t, filepath.Join(dir, "half1"), halves[1])
			jaccard := func(what string, a, b siloFlags, assert bool) string {
				inter, union := 0, 0
				for k := range a.tested {
					if !b.tested[k] {
						continue
					}
					if a.flagged[k] || b.flagged[k] {
						union++
					}
					if a.flagged[k] && b.flagged[k] {
						inter++
					}
				}
				if assert && union >= 3 && 2*inter < union {
					t.Errorf("halves flag %s %v and %v: Jaccard %d/%d among those tested in both, want at least 0.5", what, a.flagged, b.flagged, inter, union)
				}
				if union == 0 {
					return "–"
				}
				return fmt.Sprintf("%.2f (%d / %d)", float64(inter)/float64(union), inter, union)
			}
			jb, ju := jaccard("boundaries", a.boundaries, b.boundaries, true), jaccard("departments", a.units, b.units, false)
			ratio := "–"
			if median > 0 {
				ratio = fmt.Sprintf("%.0f", p99/median)
			}
			t.Logf("| `%s` | `%s` | %.0f | %.0f | %.1f %% | %.0f | %d / %d | %.0f / %.0f | %d | %s | %d, %d | %s | %d, %d | %s |", lg.path, strings.Join(lg.flags, " "),
				number(t, doc, "input.events"), number(t, doc, "log.cases"), 100*number(t, doc, "pingpong.case_rate"),
				number(t, doc, "pingpong.closing_returns"), flagged, tested,
				number(t, doc, "silos.units_flagged"), number(t, doc, "silos.units_tested"), long, ratio,
				len(a.boundaries.flagged), len(b.boundaries.flagged), jb, len(a.units.flagged), len(b.units.flagged), ju)
		})
	}
}

// realReport is what a test reads back from analyze --out: the JSON
// document, and the boundaries ("From → To", from boundaries.csv) and
// departments (departments.csv) tested and flagged as silos; the JSON lists
// only the top few.
type realReport struct {
	doc               map[string]any
	boundaries, units siloFlags
}

// siloFlags are the silo tests of one kind: what was tested, what was
// flagged, by key.
type siloFlags struct{ tested, flagged map[string]bool }

// readSiloFlags reads a report CSV with a "silo" column; a row is tested
// when its column tested is "true", every row when tested is "", and named
// by its key columns joined by " → ".
func readSiloFlags(t *testing.T, path, tested string, key ...string) siloFlags {
	t.Helper()
	rows := readCSV(t, path)
	col := columnIndex(t, rows[0], append([]string{"silo"}, key...)...)
	tcol := -1
	if tested != "" {
		tcol = columnIndex(t, rows[0], tested)[0]
	}
	f := siloFlags{tested: map[string]bool{}, flagged: map[string]bool{}}
	for _, row := range rows[1:] {
		var parts []string
		for _, c := range col[1:] {
			parts = append(parts, row[c])
		}
		k := strings.Join(parts, " → ")
		if tcol < 0 || row[tcol] == "true" {
			f.tested[k] = true
		}
		if row[col[0]] == "true" {
			f.flagged[k] = true
		}
	}
	return f
}

// infinite finds what must never be in a report; sortKey the HTML's own
// sort keys for missing values, which are not shown.
var (
	infinite = regexp.MustCompile(`∞|\bNaN\b|\bInf(inity)?\b`)
	sortKey  = regexp.MustCompile(`data-v="[+-]?Infinity"`)
)

// analyzeReport runs analyze --out dir with args, checks that no output
// holds an infinite or undefined number, and reads the report back.
func analyzeReport(t *testing.T, dir string, args ...string) realReport {
	t.Helper()
	code, out, errs := call(t, "", append([]string{"analyze", "--out", dir}, args...)...)
	if code != exitOK {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errs)
	}
	outputs := map[string]string{"standard output": out}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch ext := filepath.Ext(f.Name()); ext {
		case ".json", ".txt", ".csv", ".html":
			s := readFile(t, filepath.Join(dir, f.Name()))
			if ext == ".html" {
				s = sortKey.ReplaceAllString(s, "")
			}
			outputs[f.Name()] = s
		}
	}
	for name, s := range outputs {
		if loc := infinite.FindStringIndex(s); loc != nil {
			t.Errorf("%s holds %q: …%s…", name, s[loc[0]:loc[1]], s[max(0, loc[0]-80):min(len(s), loc[1]+40)])
		}
	}
	var r realReport
	if err := json.Unmarshal([]byte(outputs["report.json"]), &r.doc); err != nil {
		t.Fatal(err)
	}
	r.boundaries = readSiloFlags(t, filepath.Join(dir, "boundaries.csv"), "", "from", "to") // every row is a tested boundary
	r.units = readSiloFlags(t, filepath.Join(dir, "departments.csv"), "tested", "unit")
	return r
}

// splitHalves writes the cases of the CSV log at path (as caseflow convert
// writes it) into two CSV files by a seeded FNV-1a hash of the case id.
func splitHalves(t *testing.T, path, dir string) [2]string {
	t.Helper()
	rows := readCSV(t, path)
	c := columnIndex(t, rows[0], "case:concept:name")[0]
	var names [2]string
	var ws [2]*csv.Writer
	for i := range names {
		names[i] = filepath.Join(dir, fmt.Sprintf("half%d.csv", i))
		f, err := os.Create(names[i])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		ws[i] = csv.NewWriter(f)
		ws[i].Write(rows[0])
	}
	for _, row := range rows[1:] {
		h := fnv.New64a()
		io.WriteString(h, splitSeed)
		io.WriteString(h, row[c])
		ws[h.Sum64()%2].Write(row)
	}
	for _, w := range ws {
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %d rows, %v", path, len(rows), err)
	}
	return rows
}

// columnIndex returns the index of each named column of header.
func columnIndex(t *testing.T, header []string, names ...string) []int {
	t.Helper()
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = -1
		for j, h := range header {
			if h == n {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			t.Fatalf("no column %q in %s", n, strings.Join(header, ","))
		}
	}
	return idx
}
