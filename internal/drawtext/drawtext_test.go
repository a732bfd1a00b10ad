package drawtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"Café au lait", 4, "Caf…"},
		{"Café", 4, "Café"},
		{"日本語テキスト", 3, "日本…"},
		{"ab", 1, "…"},
		{"a", 1, "a"},
		{"\xff\xfeabc", 3, "\xff\xfe…"}, // invalid bytes count as one character each
	}
	for _, tt := range tests {
		if got := Cut(tt.s, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestNameBounded(t *testing.T) {
	huge := strings.Repeat("é", 10<<20) // 20 MB
	got := Name(huge)
	if n := utf8.RuneCountInString(got); n != MaxRunes {
		t.Errorf("Name of a 20 MB name has %d characters, want %d", n, MaxRunes)
	}
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(huge, strings.TrimSuffix(got, "…")) {
		t.Errorf("Name(huge) = %q: not a prefix and …", got)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ s, want string }{
		{"Café", "Café"},
		{"a\tb\nc\r", "a b c "},
		{"nul\x00 del\x7f c1\u0085", "nul\uFFFD del\uFFFD c1\uFFFD"},
		{"bad \xff\xfe utf-8", "bad \uFFFD\uFFFD utf-8"},
		{"\uFFFE\uFFFF", "\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := Clean(tt.s); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
