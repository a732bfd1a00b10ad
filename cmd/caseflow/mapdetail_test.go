package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/realdata"
)

// On BPIC 2014 (475 transitions) the exported process map draws at most
// the default detail, and every transition of the most frequent variant,
// read from variants.csv, is among those drawn.
func TestMapDetailReal(t *testing.T) {
	path := realdata.Path(t, "bpic2014/BPIC14_incident_log.csv")
	out := filepath.Join(t.TempDir(), "out")
	if code, _, errs := call(t, "", "analyze", "--quiet", "--out", out, path); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	dot, err := os.ReadFile(filepath.Join(out, "process-map.dot"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // node id → activity
	for _, m := range regexp.MustCompile(`(?m)^  (a\d+) \[label="(.*?)\\n`).FindAllStringSubmatch(string(dot), -1) {
		names[m[1]] = m[2]
	}
	drawn := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  (a\d+) -> (a\d+) `).FindAllStringSubmatch(string(dot), -1) {
		drawn[names[m[1]]+" → "+names[m[2]]] = true
	}
	if len(drawn) == 0 || len(drawn) > 30 {
		t.Errorf("the process map draws %d transitions, want 1 to 30 (the default --map-detail)", len(drawn))
	}
	f, err := os.Open(filepath.Join(out, "variants.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	steps := strings.Split(rows[1][3], " > ")
	for i := 1; i < len(steps); i++ {
		if tr := steps[i-1] + " → " + steps[i]; !drawn[tr] {
			t.Errorf("the most frequent variant's %s is not drawn", tr)
		}
	}
	t.Logf("%d transitions drawn; most frequent variant: %s", len(drawn), rows[1][3])
}
