package html

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/generate"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
)

// TestColumns checks Columns against what the page reads: for a generated
// log with customers, reasons, channels and agents, and options that move
// the unit and the filter column, the page made from the log with only the
// columns Columns names (eventlog.Log.Keep) is byte-identical to the page
// made from the whole log. So a new read of a column Columns does not name
// fails here.
func TestColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cfg := generate.Default()
	cfg.Realistic()
	cfg.Cases, cfg.Seed = 1500, 5
	var events bytes.Buffer
	if _, err := generate.Write(cfg, &events, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Read([]string{"-"}, ingest.Options{Stdin: &events, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	for _, opt := range []mining.Options{
		{},
		{Level: mining.Resource},
		{By: "contact_reason"},
		{Customer: "customer_id", Reason: "contact_reason"},
	} {
		f := analyzeLog(t, res.Log, opt)
		kept := res.Log.Keep(Columns(f.Options))
		if kept.Column(eventlog.Case) != nil || kept.Record().NumCols() != 4 {
			t.Fatalf("%+v: kept %d columns, want 4 without the case column", opt, kept.Record().NumCols())
		}
		want := write(t, f, Input{Log: res.Log})
		got := write(t, f, Input{Log: kept})
		kept.Release()
		if !bytes.Equal(got, want) {
			t.Errorf("%+v: the page differs once the columns Columns does not name are dropped", opt)
		}
		if !bytes.Contains(want, []byte(`"traces"`)) {
			t.Errorf("%+v: the page has no case data to compare", opt)
		}
	}
}
