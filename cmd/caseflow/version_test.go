package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// Every report names the caseflow that made it, as the build recorded it
// (read here from the binary's build information directly), and `caseflow
// version` says the same with the Go version.
func TestReportsNameTheVersion(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("this test binary carries no build information")
	}
	want := info.Main.Version
	dir := t.TempDir()
	page := filepath.Join(dir, "r.html")
	code, out, errs := call(t, "", "analyze", "--format", "json", "--html", page)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Caseflow string `json:"caseflow"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.Caseflow, want) {
		t.Errorf("JSON caseflow = %q, want the module version %q first", doc.Caseflow, want)
	}
	_, text, _ := call(t, "", "analyze")
	if first, _, _ := strings.Cut(text, "\n"); !strings.HasSuffix(first, " · caseflow "+doc.Caseflow) {
		t.Errorf("text report's first line %q does not end with the version %q", first, doc.Caseflow)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `<th scope="row">caseflow</th><td>`+doc.Caseflow+`</td>`) {
		t.Errorf("report.html does not list caseflow %s under Input", doc.Caseflow)
	}
	_, v, _ := call(t, "", "version")
	if !strings.Contains(v, "caseflow "+doc.Caseflow+", "+info.GoVersion) {
		t.Errorf("caseflow version = %q, want %q then the Go version %s", v, doc.Caseflow, info.GoVersion)
	}
}
