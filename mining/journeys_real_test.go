package mining_test

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/realdata"
	"github.com/caseflow/caseflow/mining"
)

// TestCallCentreRepeats checks the share of identified customers' calls
// followed by another call of the same customer within 7 days, on the
// Israeli bank's call-centre log of January 1999 (one row per call,
// customer_id 0 for a caller the bank did not identify), against a
// brute-force count over the raw file with encoding/csv: for each
// identified call, is there a later call of the customer (a later time, or
// the same second and a later row) at most 7 days after it? Calls within
// the log's last 7 days are left out of the share, as they cannot be
// followed for a whole week.
func TestCallCentreRepeats(t *testing.T) {
	const rel = "callcentre/anonymous_bank_january_1999.txt"
	path := realdata.Path(t, rel)
	res, err := ingest.Read([]string{path}, ingest.Options{Mem: memory.NewGoAllocator(), TimeFormat: "%y%m%d",
		Mapping: ingest.Mapping{Case: []string{"vru+line", "call_id"}, Time: []string{"date", "vru_entry"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Rejected != 0 {
		t.Fatalf("%d rows rejected", res.Rejected)
	}
	f, err := mining.Analyze(res.Log, mining.Options{Customer: "customer_id", Unidentified: []string{"0"}})
	if err != nil {
		t.Fatal(err)
	}
	j := f.Journeys

	// The independent count.
	rows := readTSV(t, path)
	type call struct {
		at  time.Time
		row int
	}
	byCustomer := map[string][]call{}
	var last time.Time
	unidentified := 0
	for i, row := range rows[1:] {
		at, err := time.Parse("060102 15:04:05", row[5]+" "+pad(row[6]))
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		if at.After(last) {
			last = at
		}
		if row[2] == "0" || row[2] == "" {
			unidentified++
			continue
		}
		byCustomer[row[2]] = append(byCustomer[row[2]], call{at, i})
	}
	const week = 7 * 24 * time.Hour
	observed, followed, censored, calls := 0, 0, 0, 0
	for _, cs := range byCustomer {
		for _, c := range cs {
			calls++
			if c.at.Add(week).After(last) {
				censored++
				continue
			}
			observed++
			for _, d := range cs {
				after := d.at.After(c.at) || d.at.Equal(c.at) && d.row > c.row
				if after && !d.at.After(c.at.Add(week)) {
					followed++
					break
				}
			}
		}
	}
	var w7 mining.Repeats
	for _, w := range j.Windows {
		if w.Window == week.Seconds() {
			w7 = w
		}
	}
	t.Logf("%d calls: %d unidentified; %d identified of %d customers, %d censored; %d of %d followed within 7 days (%.4f); caseflow: %d of %d (%.4f)",
		len(rows)-1, unidentified, calls, len(byCustomer), censored, followed, observed, float64(followed)/float64(observed),
		w7.Repeated, w7.Observed, w7.Rate)
	if j.Unidentified != unidentified || j.Contacts != calls || j.Customers != len(byCustomer) {
		t.Errorf("caseflow: %d unidentified, %d contacts of %d customers; the raw file: %d, %d of %d", j.Unidentified, j.Contacts, j.Customers, unidentified, calls, len(byCustomer))
	}
	if w7.Observed != observed || w7.Censored != censored || w7.Repeated != followed {
		t.Errorf("caseflow: %d of %d observed calls followed, %d censored; the raw file: %d of %d, %d", w7.Repeated, w7.Observed, w7.Censored, followed, observed, censored)
	}
}

// pad makes a clock such as 0:00:31 two-digit in the hour.
func pad(clock string) string {
	if len(clock) == 7 {
		return "0" + clock
	}
	return clock
}
