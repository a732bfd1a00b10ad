package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/generate"
)

// TestDriftBorder checks that a border which got slower is caught from
// the waits the history keeps: night 1 plants the KCC → Permits silo at 6×
// the usual entry step, night 2 (another seed) at 6× again or at 18×.
// Only the slower night raises drift on a border, and on that one alone.
func TestDriftBorder(t *testing.T) {
	if testing.Short() {
		t.Skip("four runs of analyze; skipped with -short")
	}
	const border = "silos.boundary[KCC → Permits].median_wait_s"
	for _, factor := range []float64{6, 18} {
		base := generate.Default()
		base.Cases, base.SiloFactor = 4000, 6
		next := base
		next.Seed, next.SiloFactor = base.Seed+1, factor
		dir := t.TempDir()
		paths, err := generate.WriteNights([]generate.Config{base, next}, filepath.Join(dir, "nights"))
		if err != nil {
			t.Fatal(err)
		}
		var worse []string
		for _, p := range paths {
			var stdout, stderr bytes.Buffer
			run([]string{"analyze", p, "--history", filepath.Join(dir, "h"), "--format", "json", "-q"}, nil, &stdout, &stderr)
			var doc struct {
				Since *struct{ Worse []string }
			}
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || doc.Since == nil {
				t.Fatalf("factor %v: %v; stderr %s", factor, err, stderr.String())
			}
			worse = doc.Since.Worse
		}
		var borders []string
		for _, m := range worse {
			if strings.HasPrefix(m, "silos.boundary[") {
				borders = append(borders, m)
			}
		}
		if want := map[bool][]string{true: {border}, false: nil}[factor > 6]; !slices.Equal(borders, want) {
			t.Errorf("silo factor 6 then %v: borders worse %v, want %v", factor, borders, want)
		}
	}
}
