// Package realdata finds the real public event logs that tests and
// benchmarks use. They live in ../shared/data beside the repository (see
// its README); CASEFLOW_DATA names another folder.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the data folder, or "" when it cannot be found. It looks for
// shared/data beside the module root, walking up from the working directory
// (tests run in their package's directory).
func Dir() string {
	if d := os.Getenv("CASEFLOW_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "data")
			if _, err := os.Stat(d); err == nil {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of a file under the data folder, skipping the test
// or benchmark with a clear message when it is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("real data not found: %s needs ../shared/data beside the repository (or CASEFLOW_DATA); CI provides it", rel)
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data file %s is absent: %v", p, err)
	}
	return p
}
