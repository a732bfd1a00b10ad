package html

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// PageBudget is the most a report page may weigh, whatever the log: what
// the page embeds is bounded by MaxRows, MaxDotted, MaxVariants and the
// levels of its two graphs, not by the number of cases.
const PageBudget = 3 << 20

// The page of a generated log of MaxRows cases and of one twice as large
// (sampled) both fit the budget, and the larger weighs hardly more: past
// MaxRows cases the page's data stops growing, so a log of a million
// cases gives a page of about the same size.
func TestPageSize(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses 60,000 cases")
	}
	size := func(cases int) int {
		cfg := generate.Default()
		cfg.Realistic()
		cfg.Cases = cases
		var log bytes.Buffer
		if _, err := generate.Write(cfg, &log, nil); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &log, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		f, err := mining.Analyze(res.Log, mining.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer
		if err := Write(&page, f, Input{Log: res.Log}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d cases: %d bytes", cases, page.Len())
		return page.Len()
	}
	small, large := size(MaxRows), size(2*MaxRows)
	if small > PageBudget || large > PageBudget {
		t.Errorf("pages of %d and %d bytes, want at most %d", small, large, PageBudget)
	}
	if float64(large) > 1.15*float64(small) {
		t.Errorf("the page grows from %d to %d bytes when the log doubles past MaxRows cases", small, large)
	}
}
