package report

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/caseflow/caseflow/internal/atomicfile"
	"github.com/caseflow/caseflow/mining"
)

// Pseudonym is the stable pseudonym of name under key: "res-" and the first
// 12 hex digits (48 bits) of HMAC-SHA256(key, "res-" ‖ name) (RFC 2104). Two of
// 10,000 names collide with probability about 2·10⁻⁷; New reports it if
// they do.
func Pseudonym(key []byte, name string) string { return PseudonymAs(ResourcePrefix, key, name) }

// Prefixes of pseudonyms, saying what they stand for.
const (
	ResourcePrefix = "res-"
	CustomerPrefix = "cus-"
	CasePrefix     = "case-"
)

// PseudonymAs is Pseudonym with another prefix, so a customer's or a
// case's pseudonym says what it stands for. The prefix is hashed before
// the name (HMAC-SHA256(key, prefix ‖ name); no prefix begins another),
// so one value in two roles, an agent who is also a customer, gets two
// pseudonyms that cannot be linked.
func PseudonymAs(prefix string, key []byte, name string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(prefix))
	m.Write([]byte(name))
	return prefix + hex.EncodeToString(m.Sum(nil)[:6])
}

// UserKey returns the pseudonymisation key kept for the user in
// caseflow/key under their configuration folder (os.UserConfigDir, e.g.
// ~/.config), and the file's path. When there is no such file it first
// makes one (made is then true): 32 random bytes as 64 hex digits, in a
// file only the user can read (0600, in a 0700 folder), so pseudonyms are
// private yet stay the same from one run to the next. The key is the
// file's text, so CASEFLOW_KEY set to it gives the same pseudonyms. A key
// file that others can read or change is refused.
func UserKey() (key []byte, path string, made bool, err error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return nil, "", false, fmt.Errorf("no folder for a key: %w", err)
	}
	dir = filepath.Join(dir, "caseflow")
	path = filepath.Join(dir, "key")
	key, err = readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, path, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, path, false, err
	}
	// Written in full under another name, then linked into place, which
	// fails if the file exists: a concurrent first run's key wins whole.
	// Made and removed in steps, so an interrupt leaves no temporary.
	var tmp *os.File
	err = atomicfile.Step(func(t *atomicfile.Temps) (err error) {
		if tmp, err = os.CreateTemp(dir, ".key-*"); err == nil {
			t.Made(tmp.Name())
		}
		return err
	})
	if err != nil {
		return nil, path, false, err
	}
	defer atomicfile.Step(func(t *atomicfile.Temps) error { t.Gone(tmp.Name()); return os.Remove(tmp.Name()) })
	secret := make([]byte, 32)
	rand.Read(secret) // never fails (crypto/rand)
	_, err = fmt.Fprintln(tmp, hex.EncodeToString(secret))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if err = os.Link(tmp.Name(), path); err == nil {
			made = true
		} else if errors.Is(err, fs.ErrExist) {
			err = nil
		}
	}
	if err != nil {
		return nil, path, false, err
	}
	key, err = readKey(path)
	return key, path, made, err
}

// readKey reads a key file, refusing one that others can read or write.
func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 && runtime.GOOS != "windows" { // Windows has no such bits
		return nil, fmt.Errorf("%s can be read or changed by other users (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if b = bytes.TrimSpace(b); len(b) == 0 {
		return nil, fmt.Errorf("%s is empty: delete it to have a new key made, or write the key in it", path)
	}
	return b, nil
}

// namer maps unit names to the names written: pseudonyms at the resource
// level unless revealed, the names themselves otherwise.
type namer struct {
	key []byte            // nil: names are written as they are
	m   map[string]string // pseudonyms of the units in stays
}

func (n namer) name(s string) string {
	if n.key == nil {
		return s
	}
	if p, ok := n.m[s]; ok {
		return p
	}
	return Pseudonym(n.key, s)
}

func (n namer) all(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = n.name(s)
	}
	return out
}

func newNamer(f *mining.Findings, opt Options) (namer, error) {
	if f.Options.Level != mining.Resource || opt.Reveal {
		return namer{}, nil
	}
	key := opt.Key
	if len(key) == 0 {
		key = []byte(DefaultKey)
	}
	n := namer{key: key, m: make(map[string]string, len(f.Silos.Units))}
	seen := make(map[string]string, len(f.Silos.Units))
	for _, u := range f.Silos.Units {
		p := Pseudonym(key, u.Name)
		if other, dup := seen[p]; dup && other != u.Name {
			return namer{}, fmt.Errorf("%w: two resources share the pseudonym %s: use another key", ErrInput, p)
		}
		seen[p] = u.Name
		n.m[u.Name] = p
	}
	return n, nil
}
