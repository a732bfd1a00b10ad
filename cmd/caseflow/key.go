package main

import (
	"fmt"
	"io"

	"github.com/caseflow/caseflow/report"
)

// userKey is the pseudonymisation key kept in the user's configuration
// folder (report.UserKey), for runs given none; standard error says where
// when it is first made. When none can be kept it warns and returns nil,
// so the public default key is used (and warned about).
func userKey(stderr io.Writer, quiet bool) []byte {
	key, path, made, err := report.UserKey()
	if err != nil {
		fmt.Fprintf(stderr, "caseflow: warning: no pseudonymisation key of your own: %v\n", err)
		return nil
	}
	if made && !quiet {
		fmt.Fprintf(stderr, "caseflow: note: made a random pseudonymisation key in %s; keep it, as the same key gives the same pseudonyms\n", path)
	}
	return key
}
