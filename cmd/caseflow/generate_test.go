package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateSample regenerates the embedded sample with the command in
// sample/README.md: the generator's defaults must still give it byte for
// byte, or the sample (and the goldens made from it) must be regenerated.
func TestGenerateSample(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(sampleLog))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := call(t, "", "generate", "--cases", "2000", "--days", "60", "--seed", "7")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if out != string(want) {
		t.Errorf("generate no longer reproduces sample/contact-centre.csv.gz (%d bytes, want %d): regenerate it as sample/README.md says and review the goldens", len(out), len(want))
	}
}

// TestGenerateRealistic checks how --realistic and the pathology flags
// combine, through the params record of the truth: --realistic switches
// every pathology on, a flag given with it wins, a flag alone switches only
// its pathology on; a rate out of range is a usage error. The same flags
// give the same bytes.
func TestGenerateRealistic(t *testing.T) {
	type params struct {
		Burst       float64 `json:"burst_rate"`
		Placeholder float64 `json:"placeholder_rate"`
		Quick       float64 `json:"quick_rate"`
		Hold        float64 `json:"hold_rate"`
		Close       bool    `json:"close_at_kcc"`
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		flags []string
		want  params
	}{
		{"off", nil, params{}},
		{"realistic", []string{"--realistic"}, params{0.5, 0.05, 0.5, 0.125, true}},
		{"realistic without bursts", []string{"--realistic", "--burst-rate", "0"}, params{0, 0.05, 0.5, 0.125, true}},
		{"realistic, closing as usual", []string{"--close-at-kcc=false", "--realistic"}, params{0.5, 0.05, 0.5, 0.125, false}},
		{"one switch", []string{"--placeholder-rate", "0.2"}, params{Placeholder: 0.2}},
		{"close only", []string{"--close-at-kcc"}, params{Close: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			truth := filepath.Join(dir, "truth.jsonl")
			args := append([]string{"generate", "--cases", "200", "--truth", truth}, tc.flags...)
			code, out, errs := call(t, "", args...)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			first, _, _ := strings.Cut(readFile(t, truth), "\n")
			var got params
			if err := json.Unmarshal([]byte(first), &got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("params %+v, want %+v", got, tc.want)
			}
			if _, again, _ := call(t, "", args...); again != out {
				t.Error("the same flags gave a different log")
			}
		})
	}
	code, _, errs := call(t, "", "generate", "--realistic", "--hold-rate", "2")
	if code != exitUsage || !strings.Contains(errs, "hold rate 2") {
		t.Errorf("--hold-rate 2: exit %d, stderr %q; want a usage error naming the hold rate", code, errs)
	}
}
