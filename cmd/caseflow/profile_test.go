package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfiles checks that --cpuprofile and --memprofile write pprof files
// (gzip-compressed protocol buffers) and that an unwritable path is a data
// error naming the flag.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, heap := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	var out, errb bytes.Buffer
	if code := run([]string{"analyze", "--quiet", "--cpuprofile", cpu, "--memprofile", heap, threeCases}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, p := range []string{cpu, heap} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: not gzip: %v", p, err)
		}
		if n, err := io.Copy(io.Discard, zr); err != nil || n == 0 {
			t.Errorf("%s: %d bytes, %v", p, n, err)
		}
		f.Close()
	}
	errb.Reset()
	bad := filepath.Join(dir, "missing", "cpu.prof")
	if code := run([]string{"analyze", "--quiet", "--cpuprofile", bad, threeCases}, nil, &out, &errb); code != exitData || !strings.Contains(errb.String(), "--cpuprofile") {
		t.Errorf("unwritable profile: exit %d, %q", code, errb.String())
	}
}
