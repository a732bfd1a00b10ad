package main

import (
	"fmt"
	"io"
	"os"

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

// commandKey is the key of a command without a config file: $CASEFLOW_KEY,
// else the user's key (userKey), else the public default key, warned about.
func commandKey(stderr io.Writer) []byte {
	if key := os.Getenv(keyEnv); key != "" {
		return []byte(key)
	}
	if key := userKey(stderr, false); key != nil {
		return key
	}
	fmt.Fprintf(stderr, "caseflow: warning: pseudonyms use caseflow's public default key, which anyone can undo by hashing candidate names; set %s\n", keyEnv)
	return []byte(report.DefaultKey)
}
