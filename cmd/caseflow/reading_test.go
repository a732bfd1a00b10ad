package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/internal/realdata"
)

// writeLog writes a small log into a temporary folder.
func writeLog(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInspectWithoutActivity: a file whose activity cannot be found
// still gets its column table, with the unfilled roles and the flag to
// give, before the error.
func TestInspectWithoutActivity(t *testing.T) {
	path := writeLog(t, "log.csv", "ticket_id,timestamp,amount,customer\n"+
		"T1,2024-01-01 09:00,10,acme\nT1,2024-01-01 10:00,12,acme\nT2,2024-01-01 11:00,7,bolt\n")
	code, out, errs := call(t, "", "inspect", path)
	if code != exitData || !strings.Contains(errs, "cannot tell which column holds the activity (--activity)") {
		t.Errorf("exit %d, stderr %q; want 1 and the --activity advice", code, errs)
	}
	for _, want := range []string{"ticket_id  case", "timestamp  time", "amount     attribute", `customer   attribute   "cus-`, // a customer's id, as a pseudonym
		"(none)     activity    no column found; name one with --activity"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

// TestInspectUnreadableTime: a time column whose values fit no layout
// also gets the table before the advice to pass --time-format.
func TestInspectUnreadableTime(t *testing.T) {
	path := writeLog(t, "calls.tsv", "call_id\tactivity\tdate\n1\tin\t990101\n2\tin\t990102\n")
	code, out, errs := call(t, "", "inspect", path)
	if code != exitData || !strings.Contains(errs, `time column "date" (column 3)`) || !strings.Contains(errs, "--time-format") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, `date      time        "990101", "990102"`) {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestDutchExportAnalyze: the README's Dutch example works as it comes;
// the department is the step, and analyze says so.
func TestDutchExportAnalyze(t *testing.T) {
	path := filepath.Join("..", "..", "ingest", "testdata", "zaken_nl.csv")
	code, out, errs := call(t, "", "analyze", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{`the department (column "afdeling") is the step`, "whole minutes", `"onbekend" in medewerker (1 event)`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// Z-2024-001 goes KCC → Vergunningen → KCC → Vergunningen: one
	// ping-pong case of three.
	if !strings.Contains(out, "8 events in 3 cases") || !strings.Contains(out, "1 of 3 cases") {
		t.Errorf("report:\n%s", out)
	}
}

// TestDisplayZone: times are shown in --timezone when given, else in the
// one offset every value carries, else in UTC.
func TestDisplayZone(t *testing.T) {
	one := writeLog(t, "one.csv", "case,activity,time\nc1,a,2024-03-01 09:00:00+02:00\nc1,b,2024-03-01 23:30:00+02:00\n")
	two := writeLog(t, "two.csv", "case,activity,time\nc1,a,2024-03-01 09:00:00+01:00\nc1,b,2024-07-01 23:30:00+02:00\n")
	plain := writeLog(t, "plain.csv", "case,activity,time\nc1,a,2024-03-01 09:00:00\nc1,b,2024-03-01 23:30:00\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{one}, "2024-03-01 09:00:00+02:00 to 2024-03-01 23:30:00+02:00 (UTC+02:00)"},
		{[]string{two}, "2024-03-01 08:00:00Z to 2024-07-01 21:30:00Z (UTC)"},
		{[]string{"--timezone", "Europe/Amsterdam", two}, "2024-03-01 09:00:00+01:00 to 2024-07-01 23:30:00+02:00 (Europe/Amsterdam)"},
		{[]string{plain}, "2024-03-01 09:00:00Z to 2024-03-01 23:30:00Z (UTC)"},
		// Zone-less times are read in --timezone and shown in it.
		{[]string{"--timezone", "Europe/Amsterdam", plain}, "2024-03-01 09:00:00+01:00 to 2024-03-01 23:30:00+01:00 (Europe/Amsterdam)"},
	} {
		code, out, errs := call(t, "", append([]string{"inspect"}, tc.args...)...)
		if code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("inspect %q: exit %d %s, want %q in:\n%s", tc.args, code, errs, tc.want, out)
		}
	}
	// The report says it too: the day after 23:30+02:00 in UTC is not the
	// day shown.
	code, out, errs := call(t, "", "analyze", one)
	if code != exitOK || !strings.Contains(out, "2024-03-01 to 2024-03-01 (UTC+02:00)") {
		t.Errorf("exit %d %s; report:\n%s", code, errs, out)
	}
	doc := analyzeJSON(t, one)
	if z, to := lookup(t, doc, "input.zone"), lookup(t, doc, "input.to"); z != "UTC+02:00" || to != "2024-03-01T23:30:00+02:00" {
		t.Errorf("input.zone %v, input.to %v", z, to)
	}
	if r := number(t, doc, "input.resolution_s"); r != 60 {
		t.Errorf("input.resolution_s %v, want 60", r)
	}
}

// TestConfigCaseColumns: the config file's case key takes several
// columns the way the flag does.
func TestConfigCaseColumns(t *testing.T) {
	c, err := parseConfig("nightly.toml", []byte("[read]\ncase = \"vru+line,call_id\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	if err := c.apply(fs); err != nil {
		t.Fatal(err)
	}
	opt, _, err := rf.options()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"vru+line", "call_id"}; !slices.Equal(opt.Mapping.Case, want) || opt.Missing != nil {
		t.Errorf("case %q, missing %q; want %q and the defaults", opt.Mapping.Case, opt.Missing, want)
	}
}

// TestReceiptPlaceholders: the receipt log's EMPTY group is missing by
// default (1,936 events, counted with pandas: df["org:group"] == "EMPTY"),
// and --missing with the former list gives back all 10 groups.
func TestReceiptPlaceholders(t *testing.T) {
	path := realdata.Path(t, "receipt/receipt.csv")
	code, out, errs := call(t, "", "inspect", path)
	if code != exitOK || !strings.Contains(out, `"EMPTY" in org:group: 1,936 events read as missing`) || !strings.Contains(out, "departments               9") {
		t.Errorf("exit %d %s:\n%s", code, errs, out)
	}
	code, out, errs = call(t, "", "inspect", "--missing", ",?,NULL,NA,N/A,-", path)
	if code != exitOK || strings.Contains(out, "read as missing") || !strings.Contains(out, "departments              10") {
		t.Errorf("exit %d %s:\n%s", code, errs, out)
	}
}

// TestCallCentreInspect: the call records load with the key and the date
// and time columns named; the README counts 31,599 calls.
func TestCallCentreInspect(t *testing.T) {
	path := realdata.Path(t, "callcentre/anonymous_bank_january_1999.txt")
	code, out, errs := call(t, "", "inspect", "--format", "json", "--case", "vru+line,call_id", "--time", "date,vru_entry", "--time-format", "%y%m%d", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	doc := decodeJSON(t, out)
	for path, want := range map[string]float64{"rows": 31599, "events": 31599, "cases": 31599, "rejected": 0} {
		if got := number(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}
