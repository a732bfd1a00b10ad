package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// constant is a report whose every file holds tag and its name.
func constant(names []string, tag string) []Output {
	outs := make([]Output, len(names))
	for i, n := range names {
		outs[i] = Output{n, func(w io.Writer) error { _, err := io.WriteString(w, tag+" "+n); return err }}
	}
	return outs
}

func outputNames(r *Report) []string {
	var names []string
	for _, o := range r.Outputs() {
		names = append(names, o.Name)
	}
	return names
}

// writeDir writes outs into dir as analyze --out does.
func writeDir(dir string, outs []Output) error {
	d, err := OpenDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Write(outs)
}

// whole returns the tag every file of the report in dir holds, "" when
// dir is missing, and fails when the files are not all of one report or
// any is missing or extra.
func whole(t *testing.T, dir string, names []string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(got, want) {
		t.Fatalf("%s holds %v, want %v", dir, got, want)
	}
	tag := ""
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		ft, _, _ := strings.Cut(string(b), " ")
		if tag != "" && ft != tag {
			t.Fatalf("%s mixes reports: %s is %q, an earlier file %q", dir, n, ft, tag)
		}
		tag = ft
	}
	return tag
}

// beside lists the parent's entries other than the report folder.
func beside(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dir) {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestWriteFailure makes the k-th file fail halfway, for every k, and
// checks that the previous report stays whole and nothing is left beside
// it but the lock file.
func TestWriteFailure(t *testing.T) {
	outs := reports(t)["three-cases"].Outputs()
	names := outputNames(reports(t)["three-cases"])
	for k := range outs {
		t.Run(outs[k].Name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := writeDir(dir, constant(names, "previous")); err != nil {
				t.Fatal(err)
			}
			failing := slices.Clone(outs)
			boom := errors.New("disk full")
			failing[k].Write = func(w io.Writer) error {
				io.WriteString(w, "half a file")
				return boom
			}
			if err := writeDir(dir, failing); !errors.Is(err, boom) {
				t.Fatalf("error %v, want one wrapping %v", err, boom)
			}
			if tag := whole(t, dir, names); tag != "previous" {
				t.Errorf("report is %q, want the previous one", tag)
			}
			if b := beside(t, dir); !slices.Equal(b, []string{".out.caseflow-lock"}) {
				t.Errorf("left beside the report: %v", b)
			}
		})
	}
}

// TestWriteKilled stands for a run killed before each step of the switch,
// with the one-step exchange and with the two renames of the fallback: the
// report folder must be one whole report (or, in the fallback's one
// window, missing), and the next run must restore it and remove what the
// killed run left.
func TestWriteKilled(t *testing.T) {
	names := []string{"report.json", "cases.csv", "handoffs.svg"}
	for _, tc := range []struct {
		step      string
		exchange  bool
		wantAfter string // the report right after the kill
	}{
		{"swap", true, "previous"},
		{"remove old", true, "new"},
		{"swap", false, "previous"},
		{"rename new", false, ""},
		{"remove old", false, "new"},
	} {
		t.Run(tc.step+" exchange="+strconv.FormatBool(tc.exchange), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := writeDir(dir, constant(names, "previous")); err != nil {
				t.Fatal(err)
			}
			if tc.exchange {
				a, b := filepath.Join(filepath.Dir(dir), "a"), filepath.Join(filepath.Dir(dir), "b")
				os.Mkdir(a, 0o755)
				os.Mkdir(b, 0o755)
				if err := exchangePaths(a, b); err != nil {
					t.Skip("this file system cannot exchange:", err)
				}
				os.Remove(a)
				os.Remove(b)
			} else {
				exchange = func(a, b string) error { return errors.ErrUnsupported }
				defer func() { exchange = exchangePaths }()
			}
			kill := errors.New("killed")
			swapStep = func(s string) error {
				if s == tc.step {
					return kill
				}
				return nil
			}
			err := writeDir(dir, constant(names, "new"))
			swapStep = func(string) error { return nil }
			if !errors.Is(err, kill) {
				t.Fatalf("error %v, want the kill", err)
			}
			if tag := whole(t, dir, names); tag != tc.wantAfter {
				t.Errorf("after the kill the report is %q, want %q", tag, tc.wantAfter)
			}
			if len(beside(t, dir)) < 2 {
				t.Errorf("the kill left nothing beside the report: %v (is the step reached?)", beside(t, dir))
			}
			// The next run tidies up on opening.
			d, err := OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			d.Close()
			want := tc.wantAfter
			if want == "" {
				want = "previous"
			}
			if tag := whole(t, dir, names); tag != want {
				t.Errorf("the next run found %q, want %q", tag, want)
			}
			if b := beside(t, dir); !slices.Equal(b, []string{".out.caseflow-lock"}) {
				t.Errorf("left beside the report after the next run opened it: %v", b)
			}
		})
	}
}

// TestWriteReplaces checks the success path, into a new folder and over
// an old report (with temporary files of earlier versions in it): the
// exact file set, the content, the modes, nothing left beside.
func TestWriteReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	r := reports(t)["three-cases"]
	names := outputNames(r)
	for i := range 2 {
		if err := writeDir(dir, r.Outputs()); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			os.WriteFile(filepath.Join(dir, ".report.json.123.tmp"), []byte("left by a killed run"), 0o600)
		}
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
		if fi, _ := e.Info(); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want 0644", e.Name(), fi.Mode().Perm())
		}
	}
	if want := slices.Sorted(slices.Values(names)); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
		t.Errorf("folder mode %v, want 0755", fi.Mode().Perm())
	}
	var buf strings.Builder
	r.WriteJSON(&buf)
	if b, _ := os.ReadFile(filepath.Join(dir, "report.json")); string(b) != buf.String() {
		t.Error("report.json differs from WriteJSON")
	}
	if b := beside(t, dir); !slices.Equal(b, []string{".out.caseflow-lock"}) {
		t.Errorf("left beside the report: %v", b)
	}
}

// TestOpenDirLocked opens a folder twice: the second run is refused at
// once, naming the first run's process id, and removes nothing; once the
// first is closed, the next run removes the temporary folders of killed
// runs, and only those of this folder.
func TestOpenDirLocked(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	first, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	stale := []string{".out.caseflow-new-123", ".out.caseflow-new-9/x", ".out.caseflow-old-77"}
	kept := []string{".out.caseflow-lock", ".outx.caseflow-new-1", "other", "out.caseflow-new-2"}
	for _, p := range append(slices.Clone(stale), kept[1:]...) {
		os.MkdirAll(filepath.Join(parent, p), 0o755)
	}
	_, err = OpenDir(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second open: %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	if _, err := os.Stat(filepath.Join(parent, stale[0])); err != nil {
		t.Errorf("a run kept out removed %s", stale[0])
	}
	first.Close()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	// The old one was put back as the report: out was missing.
	if _, err := os.Stat(filepath.Join(dir)); err != nil {
		t.Errorf("the folder moved aside was not put back: %v", err)
	}
	if b := beside(t, dir); !slices.Equal(b, kept) {
		t.Errorf("beside the report: %v, want %v", b, kept)
	}
}

// TestWriteRefusesForeign: a folder holding a file caseflow did not write
// is not replaced, as the file would be lost.
func TestWriteRefusesForeign(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "notes.docx"), []byte("mine"), 0o644)
	err := writeDir(dir, constant([]string{"report.json"}, "new"))
	if err == nil || !strings.Contains(err.Error(), "notes.docx") {
		t.Fatalf("error %v, want a refusal naming notes.docx", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.docx")); string(b) != "mine" {
		t.Error("notes.docx was touched")
	}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err == nil {
		t.Error("report.json was written beside notes.docx")
	}
}

// TestWriteFollowsLink: a report folder given as a symbolic link stays a
// link, and the folder it points to gets the report.
func TestWriteFollowsLink(t *testing.T) {
	parent := t.TempDir()
	real, link := filepath.Join(parent, "real"), filepath.Join(parent, "out")
	os.Mkdir(real, 0o755)
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	names := []string{"report.json"}
	if err := writeDir(link, constant(names, "new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a link: %v", link, err)
	}
	if tag := whole(t, real, names); tag != "new" {
		t.Errorf("the linked folder holds %q, want the new report", tag)
	}
}

// TestWriteFile writes one file into a new folder, replaces it whole, and
// leaves the old one on failure.
func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "page.html")
	if err := WriteFile(path, constant([]string{"x"}, "old")[0]); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := WriteFile(path, Output{"x", func(w io.Writer) error { io.WriteString(w, "half"); return boom }}); !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(path); string(b) != "old x" {
		t.Errorf("page = %q after a failed write, want the old one", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d files, want the page alone", len(entries))
	}
}
