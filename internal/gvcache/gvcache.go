// Package gvcache keeps go-graphviz's compiled WebAssembly out of shared
// folders.
//
// go-graphviz (v0.2.10) compiles its module in a package initialiser, at
// the start of every program that links it, and caches the machine code
// in os.TempDir()/go-graphviz: by default /tmp, where whoever creates the
// folder first controls code that later users run (guarded only by a
// CRC32), and another user's run fails with "permission denied". The cache
// location cannot be configured, so this package's initialiser, which the
// Go specification runs first (packages are initialised in import-path
// order once their imports are, and this one needs only os), points
// TMPDIR at a folder only the user can write, and Restore, called from an
// initialiser of a package that imports go-graphviz, puts it back. The
// folder is caseflow/ in the user's cache directory (os.UserCacheDir),
// created 0700 and used only if it is a real folder owned by the user and
// closed to others; otherwise nothing is cached and the module is compiled
// in memory (about half a second more per run).
package gvcache

import (
	"os"
	"path/filepath"
)

// noCache is a TMPDIR under which no folder can be made (/dev/null is not
// a folder), so go-graphviz falls back to compiling in memory.
const noCache = "/dev/null/caseflow-no-graphviz-cache"

var (
	saved, wasSet = os.LookupEnv("TMPDIR")
	// Dir is the folder go-graphviz caches in, "" when it caches nothing.
	Dir = private()
)

func init() {
	if Dir == "" {
		os.Setenv("TMPDIR", noCache)
	} else {
		os.Setenv("TMPDIR", Dir)
	}
}

// Restore gives TMPDIR back its value from before this package's
// initialiser; it must run once go-graphviz's initialiser has.
func Restore() {
	if wasSet {
		os.Setenv("TMPDIR", saved)
	} else {
		os.Unsetenv("TMPDIR")
	}
}

// private makes and checks the user's cache folder for caseflow, or
// returns "" when there is none that only the user can write.
func private() string {
	base, err := os.UserCacheDir()
	if err != nil || !filepath.IsAbs(base) {
		return ""
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return ""
	}
	dir := filepath.Join(base, "caseflow")
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return ""
	}
	if !closed(base, false) || !closed(dir, true) {
		return ""
	}
	return dir
}
