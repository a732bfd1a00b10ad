package msgcat

import (
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// A Dutch printer writes a known string in Dutch with Dutch numbers, an
// unknown one in English, and an English printer the English.
func TestDutch(t *testing.T) {
	c := Dutch(map[string]string{"%d cases": "%d zaken"})
	nl, en := message.NewPrinter(language.Dutch, message.Catalog(c)), message.NewPrinter(language.English, message.Catalog(c))
	for _, tc := range []struct{ got, want string }{
		{nl.Sprintf("%d cases", 1234), "1.234 zaken"},
		{nl.Sprintf("%d events", 2), "2 events"},
		{en.Sprintf("%d cases", 1234), "1,234 cases"},
		{message.NewPrinter(language.Dutch, message.Catalog(Dutch(nil))).Sprintf("%d cases", 2), "2 cases"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// SameVerbs accepts the same verbs in order, or indexed in another order;
// it refuses a dropped, swapped or changed figure.
func TestSameVerbs(t *testing.T) {
	for _, tc := range []struct {
		en, nl string
		ok     bool
	}{
		{"%d of %s cases", "%d van %s zaken", true},
		{"%s waits %.1f h", "%.1f u wacht %s", false},
		{"%[1]s waits %[2]s", "%[2]s wacht %[1]s", true},
		{"%d of %d", "%d", false},
		{"%.1f h", "%.0f u", false},
	} {
		if _, _, ok := SameVerbs(tc.en, tc.nl); ok != tc.ok {
			t.Errorf("SameVerbs(%q, %q) = %v, want %v", tc.en, tc.nl, ok, tc.ok)
		}
	}
}
