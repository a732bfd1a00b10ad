package report

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/caseflow/caseflow/mining"
)

// Pseudonym is the stable pseudonym of name under key: "res-" and the first
// 12 hex digits (48 bits) of HMAC-SHA256(key, name) (RFC 2104). Two of
// 10,000 names collide with probability about 2·10⁻⁷; New reports it if
// they do.
func Pseudonym(key []byte, name string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name))
	return "res-" + hex.EncodeToString(m.Sum(nil)[:6])
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
