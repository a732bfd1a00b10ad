package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain keeps the tests' pseudonymisation keys out of the user's own
// configuration folder.
func TestMain(m *testing.M) {
	interruptChild() // returns unless this process is interrupt_test.go's child
	if peak := os.Getenv("CASEFLOW_MEMORY_CHILD"); peak != "" {
		os.Exit(memoryChild(peak, os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "caseflow-test-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestKeyMade runs analyze at the resource level without a key: the first
// run makes a random key in the configuration folder and says where, later
// runs use it quietly, and the pseudonyms are HMAC-SHA256 under it, not
// under the public default key. Where no key can be kept, the default key
// is used and warned about.
func TestKeyMade(t *testing.T) {
	hash := func(key, name string) string { return hmacName("res-", key, name) }
	t.Setenv(keyEnv, "")
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	path := filepath.Join(config, "caseflow", "key")
	for run, wantNote := range []bool{true, false} {
		code, out, errs := call(t, "", "analyze", "--level", "resource", threeCases)
		if code != exitOK {
			t.Fatalf("run %d: exit %d: %s", run, code, errs)
		}
		if got := strings.Contains(errs, "made a random pseudonymisation key in "+path); got != wantNote {
			t.Errorf("run %d: note on the key made: %v, want %v (stderr %q)", run, got, wantNote, errs)
		}
		if strings.Contains(errs, "public default key") {
			t.Errorf("run %d: warned about the default key: %q", run, errs)
		}
		key := strings.TrimSpace(readFile(t, path))
		if !strings.Contains(out, hash(key, "Ann")) || strings.Contains(out, hash(DefaultKeyForTest, "Ann")) {
			t.Errorf("run %d: Ann is not shown as %s, her pseudonym under the key made", run, hash(key, "Ann"))
		}
	}

	t.Setenv("XDG_CONFIG_HOME", "/dev/null/no-such-folder")
	code, out, errs := call(t, "", "analyze", "--level", "resource", threeCases)
	if code != exitOK || !strings.Contains(errs, "no pseudonymisation key of your own") || !strings.Contains(errs, "public default key") ||
		!strings.Contains(out, hash(DefaultKeyForTest, "Ann")) {
		t.Errorf("no config folder: exit %d, stderr %q; want both warnings and the default key's pseudonyms", code, errs)
	}
}

// DefaultKeyForTest is report.DefaultKey, spelled out so the test does not
// take the code's word for it.
const DefaultKeyForTest = "caseflow-public-default-key"
