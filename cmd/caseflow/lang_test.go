package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/internal/realdata"
)

// TestAnalyzeLangGolden keeps the text reports in Dutch, reviewed, in
// testdata/golden, with their English twins where none was kept before:
// the built-in sample, the worked example with cost rates, and the
// receipt log (skipped without ../shared/data). Each Dutch report must
// have its English twin's lines and figures, in the same order once the
// number formats are undone (figures reads them): a translation changes
// words, never a figure.
func TestAnalyzeLangGolden(t *testing.T) {
	rates := []string{"--sla", "90m", "--min-support", "2", "--currency", "EUR", "--cost-per-minute", "Front=0.90", "--cost-per-minute", "Back=1.10",
		"--cost-per-handoff", "2.50", "--minutes-per-event", "5", threeCases}
	receipt := func(t *testing.T) []string {
		return []string{"--department", "org:group", "--cost-per-minute", "1.10", "--cost-per-handoff", "2.50", "--minutes-per-event", "5",
			realdata.Path(t, "receipt/receipt.csv")}
	}
	for _, tc := range []struct {
		name string
		args func(t *testing.T) []string
	}{
		{"sample", func(*testing.T) []string { return nil }},
		{"three-cases-cost", func(*testing.T) []string { return rates }},
		{"receipt", receipt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args(t)
			var lines [2]int
			var nums [2][]string
			for i, lang := range []string{"en", "nl"} {
				code, out, errs := call(t, "", append([]string{"analyze", "--lang", lang}, args...)...)
				if code != exitOK {
					t.Fatalf("--lang %s: exit %d: %s", lang, code, errs)
				}
				lines[i], nums[i] = strings.Count(out, "\n"), figures(out, lang)
				golden := "analyze-" + tc.name + "-" + lang + ".txt"
				if tc.name == "sample" && lang == "en" {
					golden = "analyze-sample.txt" // TestAnalyzeGolden's
				}
				checkGolden(t, golden, out)
			}
			if lines[0] != lines[1] {
				t.Errorf("%d lines in English, %d in Dutch", lines[0], lines[1])
			}
			if !slices.Equal(nums[0], nums[1]) {
				t.Errorf("the figures differ:\nen %q\nnl %q", nums[0], nums[1])
			}
		})
	}
}

var (
	dutchDate = regexp.MustCompile(`\b(\d\d)-(\d\d)-(\d{4})\b`)
	figureRE  = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

// figures are the numbers of a text report in order, written the English
// way: Dutch dates dd-mm-yyyy back to yyyy-mm-dd, then per language the
// thousands separator dropped and the decimal sign made a point.
func figures(report, lang string) []string {
	if lang == "nl" {
		report = dutchDate.ReplaceAllString(report, "$3-$2-$1")
	}
	out := figureRE.FindAllString(report, -1)
	for i, n := range out {
		if lang == "nl" {
			n = strings.ReplaceAll(strings.ReplaceAll(n, ".", ""), ",", ".")
		} else {
			n = strings.ReplaceAll(n, ",", "")
		}
		out[i] = n
	}
	return out
}

// TestLangFromConfig checks that the config's lang sets the language, the
// flag wins over it, and an unknown language is an error naming the
// choices.
func TestLangFromConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "caseflow.toml")
	if err := os.WriteFile(cfg, []byte("[output]\nlang = \"nl\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--config", cfg, threeCases}, "DOORLOOPTIJD  mediaan 2,0 u"},
		{[]string{"analyze", "--config", cfg, "--lang", "en", threeCases}, "LEAD TIME  median 2.0 h"},
		{[]string{"analyze", threeCases}, "LEAD TIME  median 2.0 h"},
	} {
		code, out, errs := call(t, "", tc.args...)
		if code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("%q: exit %d, want %q in:\n%s%s", tc.args, code, tc.want, out, errs)
		}
	}
	code, _, errs := call(t, "", "analyze", "--lang", "fr", threeCases)
	if code == exitOK || !strings.Contains(errs, `--lang: language "fr": want en or nl`) {
		t.Errorf("--lang fr: exit %d, stderr %q", code, errs)
	}
	if err := os.WriteFile(cfg, []byte("[output]\nlang = \"de\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = call(t, "", "analyze", "--config", cfg, threeCases)
	if code == exitOK || !strings.Contains(errs, "caseflow.toml:2:") || !strings.Contains(errs, "want en or nl") {
		t.Errorf("lang = \"de\": exit %d, stderr %q", code, errs)
	}
}
