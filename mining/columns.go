package mining

import (
	"cmp"
	"slices"

	"github.com/caseflow/caseflow/eventlog"
)

// Columns names the columns of a log that Analyze reads under these
// options: the activity and time; the start times and call types,
// read whenever the log has them (working split, call figures, handling);
// the level's unit column; By; for the journeys the customer, reason,
// channel and department columns; for Cost the department and channel.
// The calendars and the other options read no column, and the cases are
// read by eventlog.Log.Offsets and CaseID, not from the case column. A
// caller may drop every other column before Analyze (eventlog.Log.Keep),
// as caseflow does to lower its peak; names the log lacks are read as
// missing, as Analyze reads them.
// TestColumns runs Analyze with and without the other columns under many
// options and requires the same findings, so a read of a column not named
// here fails it. Level "" is Department, as in Analyze.
func (o Options) Columns() []string {
	names := []string{eventlog.Activity, eventlog.Time, eventlog.StartTime, eventlog.CallType}
	add := func(cols ...string) {
		for _, c := range cols {
			if c != "" && !slices.Contains(names, c) {
				names = append(names, c)
			}
		}
	}
	add(string(cmp.Or(o.Level, Department)), o.By)
	if o.Customer != "" {
		add(o.Customer, o.Reason, eventlog.Channel, eventlog.Department)
	}
	if o.Cost != nil {
		add(eventlog.Department, eventlog.Channel)
	}
	return names
}
