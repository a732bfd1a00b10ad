package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// spanTerm is one number and unit of a span: Go's units, and d and w.
var spanTerm = regexp.MustCompile(`([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h|d|w)`)

// parseSpan reads a duration as Go writes it (36h, 90m, 1h30m) or in days
// and weeks, which service levels are stated in (5d, 1.5d, 2w, 1w2d12h). A
// day is 24 hours: lead times are measured between instants, so a day with
// a clock change still counts as 24 h. "0" is 0.
func parseSpan(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration: write it like 5d, 1.5d, 2w, 36h or 90m", s)
	if s == "0" {
		return 0, nil
	}
	terms := spanTerm.FindAllStringSubmatchIndex(s, -1)
	var total float64 // seconds
	at := 0
	for _, m := range terms {
		if m[0] != at {
			return 0, bad
		}
		at = m[1]
		n, err := strconv.ParseFloat(s[m[2]:m[3]], 64)
		if err != nil {
			return 0, bad
		}
		switch unit := s[m[4]:m[5]]; unit {
		case "d":
			total += n * 86400
		case "w":
			total += n * 7 * 86400
		default:
			d, err := time.ParseDuration(s[m[0]:m[1]])
			if err != nil {
				return 0, bad
			}
			total += d.Seconds()
		}
	}
	if len(terms) == 0 || at != len(s) || total*1e9 > math.MaxInt64 {
		return 0, bad
	}
	return time.Duration(math.Round(total * 1e9)), nil
}

// spanValue is a pflag.Value for a span (see parseSpan).
type spanValue struct{ d *time.Duration }

func (v spanValue) Set(s string) error {
	d, err := parseSpan(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

func (v spanValue) String() string {
	if v.d == nil {
		return "0"
	}
	return v.d.String()
}

func (spanValue) Type() string { return "duration" }
