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
