package report

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserKey checks the key kept in the user's configuration folder: made
// once, random, private (0600 in 0700), the same on later runs, and
// refused when others could read it or when it is empty.
func TestUserKey(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	key, path, made, err := UserKey()
	if err != nil || !made {
		t.Fatalf("first use: made %v, err %v", made, err)
	}
	if want := filepath.Join(home, ".config", "caseflow", "key"); path != want {
		t.Errorf("key kept in %s, want %s", path, want)
	}
	if b, err := hex.DecodeString(string(key)); err != nil || len(b) != 32 {
		t.Errorf("key %q: want 64 hex digits (%v)", key, err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	again, _, made, err := UserKey()
	if err != nil || made || string(again) != string(key) {
		t.Errorf("second use: key %q, made %v, err %v; want the same key %q", again, made, err, key)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the key's folder holds %d files, want only the key", len(entries))
	}

	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "other"))
	if other, _, _, _ := UserKey(); string(other) == string(key) {
		t.Errorf("two users' keys are the same: not random")
	}

	for _, tc := range []struct {
		name, text string
		mode       os.FileMode
		err        string
	}{
		{"readable by others", "secret\n", 0o644, "can be read or changed by other users (mode -rw-r--r--): chmod 600 it"},
		{"empty", "\n", 0o600, "is empty: delete it to have a new key made"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tc.text), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil { // past the umask
				t.Fatal(err)
			}
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			if k, _, _, err := UserKey(); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("key %q, err %v; want an error with %q", k, err, tc.err)
			}
		})
	}
}

// One value in two roles gets pseudonyms with different digits, so an
// agent who is also a customer cannot be linked across the columns.
func TestPseudonymRolesApart(t *testing.T) {
	key := []byte("k")
	res, cus, cas := PseudonymAs(ResourcePrefix, key, "Ann"), PseudonymAs(CustomerPrefix, key, "Ann"), PseudonymAs(CasePrefix, key, "Ann")
	if res[len(ResourcePrefix):] == cus[len(CustomerPrefix):] || res[len(ResourcePrefix):] == cas[len(CasePrefix):] || cus[len(CustomerPrefix):] == cas[len(CasePrefix):] {
		t.Errorf("one value's pseudonyms share their digits: %s, %s, %s", res, cus, cas)
	}
}
