package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/mining"
)

// TestJourneysWritten: on handlog.RepeatCaller FCR is 2 of 3
// observed contacts, a --fail-on rule on it holds, repeats.csv names the
// two cases (never the customers), and without a customer column the JSON
// has null and a rule on it does not hold.
func TestJourneysWritten(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := handlog.Contacts(t, mem, handlog.RepeatCaller)
	defer l.Release()
	rule, err := ParseRule("journeys.fcr<0.7")
	if err != nil {
		t.Fatal(err)
	}
	for _, customer := range []string{"customer", ""} {
		f, err := mining.Analyze(l, mining.Options{Customer: customer})
		if err != nil {
			t.Fatal(err)
		}
		r, err := New(f, Input{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		breached, v, found := r.Check(rule)
		var js, txt, csv bytes.Buffer
		if err := r.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteText(&txt, Style{}); err != nil {
			t.Fatal(err)
		}
		if err := r.writeRepeats(&csv); err != nil {
			t.Fatal(err)
		}
		all := js.String() + txt.String() + csv.String()
		if strings.Contains(all, "Alice") || strings.Contains(all, "Bob") {
			t.Errorf("customer %q: a customer id is written", customer)
		}
		if customer == "" {
			if found || breached || !strings.Contains(js.String(), `"journeys": null`) || !strings.Contains(txt.String(), "JOURNEYS  no customer column") {
				t.Errorf("without a customer column: rule found %v, breached %v; JSON and text:\n%s%s", found, breached, js.String(), txt.String())
			}
			continue
		}
		if !found || !breached || v != 0.666667 {
			t.Errorf("journeys.fcr is %v (found %v, breached %v), want 0.666667, breached", v, found, breached)
		}
		if want := "case,repeat_case,gap_s,same_reason,censored,channel,repeat_channel\na1,a2,72000,false,false,phone,web\n"; csv.String() != want {
			t.Errorf("repeats.csv\n%s\nwant\n%s", csv.String(), want)
		}
		if !strings.Contains(txt.String(), "first-contact resolution 66.7 %") || !strings.Contains(txt.String(), "1 of 1 repeats (100.0 %) came through another channel") {
			t.Errorf("text:\n%s", txt.String())
		}
	}
}
