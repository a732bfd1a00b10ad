package main

import (
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5d", 5 * 24 * time.Hour, true},
		{"1.5d", 36 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"1w2d12h", (9*24 + 12) * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"1h30m", 90 * time.Minute, true},
		{".5d", 12 * time.Hour, true},
		{"0", 0, true},
		{"", 0, false},
		{"5", 0, false},        // no unit
		{"5x", 0, false},       // no such unit
		{"d", 0, false},        // no number
		{"5d x", 0, false},     // trailing text
		{"-5d", 0, false},      // not a span
		{"1e3d", 0, false},     // no exponents
		{"9999999w", 0, false}, // beyond time.Duration
	} {
		got, err := parseSpan(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSpan(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
