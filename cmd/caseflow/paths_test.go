package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReportsShowFileNames runs analyze on an input given by its absolute
// path, with absolute output paths, and a rejected row: the reports name
// the files without their folders, the HTML page's command line included.
func TestReportsShowFileNames(t *testing.T) {
	dir := t.TempDir() // a folder name no report should show
	in := filepath.Join(dir, "calls.csv")
	if err := os.WriteFile(in, []byte(readFile(t, threeCases)+"c9,Open,not a time,Front,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, page := filepath.Join(dir, "report"), filepath.Join(dir, "page.html")
	code, _, errs := call(t, "", "analyze", "--quiet", "--max-rejects", "10", "--out", out, "--html="+page, in)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"report/report.json", "report/report.txt", "report/report.html", "page.html"} {
		s := readFile(t, filepath.Join(dir, f))
		if strings.Contains(s, dir) {
			i := strings.Index(s, dir)
			t.Errorf("%s shows the folder %s: …%s…", f, dir, s[max(0, i-60):min(len(s), i+len(dir)+40)])
		}
		if !strings.Contains(s, "calls.csv") {
			t.Errorf("%s does not name the input calls.csv", f)
		}
	}
	if s := readFile(t, filepath.Join(dir, "page.html")); !strings.Contains(s, "calls.csv:") {
		t.Errorf("the page does not list the reject as calls.csv:line:column")
	}
}

func TestShownArgs(t *testing.T) {
	args := []string{"caseflow", "analyze", "/home/ann/logs/a.csv", "--out", "/srv/r", "--html=/srv/p.html", "-"}
	got := shownArgs(args, []string{"/home/ann/logs/a.csv", "-"}, "/srv/r", "/srv/p.html", "")
	want := []string{"caseflow", "analyze", "a.csv", "--out", "r", "--html=p.html", "-"}
	if !slices.Equal(got, want) {
		t.Errorf("shownArgs = %q, want %q", got, want)
	}
}
