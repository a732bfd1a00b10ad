package main

import (
	"path/filepath"
	"slices"
	"strings"
)

// shownName is how the reports name a file: by its name alone, as a report
// passed on should not tell the folders it was made in (which often hold a
// user's name). "<stdin>" and the built-in sample keep their names.
func shownName(path string) string {
	if path == "<stdin>" || path == samplePath {
		return path
	}
	return filepath.Base(path)
}

// shownArgs is the command line as the reports show it: every argument
// that is one of the inputs or of the values of flags naming files (files),
// alone or as the value in --flag=value, shows only the file's name.
func shownArgs(args, inputs []string, files ...string) []string {
	paths := append(slices.Clone(inputs), files...)
	out := slices.Clone(args)
	for i, a := range out {
		flag, v := "", a
		if k := strings.IndexByte(a, '='); strings.HasPrefix(a, "-") && k > 0 {
			flag, v = a[:k+1], a[k+1:]
		}
		if v != "" && slices.Contains(paths, v) {
			out[i] = flag + shownName(v)
		}
	}
	return out
}
