package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/internal/spill"
)

// readFlags are the flags of every command that reads event logs.
type readFlags struct {
	start, dept, res, chn          string
	cases, activity, time          []string
	timeFormat, timezone, encoding string
	delimiter                      string
	missing                        []string
	rejects, maxRejects            string
	workers                        int
	shape, sheet                   string
	audit                          ingest.Audit
	callAgent, callAgentColumn     string
	pairLifecycle                  bool
	paired                         int                                 // start/complete pairs read merged (--pair-lifecycle)
	open                           func(string) (io.ReadCloser, error) // nil: the file system
	sources                        []source                            // the config's [[input]] tables, read and joined instead of the files
	fs                             *pflag.FlagSet                      // to tell a given --timezone from the default
	memory                         int64                               // --memory in bytes, 0 for none (memory.go)
	tmp                            string                              // --tmp, the folder of an out-of-core run's files; "": the system's (outofcore.go)
	tmpConfig                      string                              // the config file whose [read] tmp set --tmp; "": not a config
	spill                          *spill.Memory                       // the run's file-backed memory out of core; nil in memory
	quiet                          bool                                // say nothing of the route (analyze --quiet)
	run                            *runState                           // what the run is doing, for the watchdog; nil without one
}

func (r *readFlags) register(fs *pflag.FlagSet) {
	r.fs = fs
	fs.StringSliceVar(&r.cases, "case", nil, "column holding the case (ticket) id, or several whose values together are the id: \"vru+line,call_id\"; detected from the header when empty")
	fs.StringSliceVar(&r.activity, "activity", nil, "column(s) holding the activity; several are joined with '+', e.g. \"Status,Sub Status\"")
	fs.StringSliceVar(&r.time, "time", nil, "column holding the event time, or a date and a time-of-day column: \"datum,tijdstip\"")
	fs.StringVar(&r.start, "start-time", "", "column holding the event start time, if any")
	fs.StringVar(&r.dept, "department", "", "column holding the department (team, group, queue)")
	fs.StringVar(&r.res, "resource", "", "column holding the resource (agent, user)")
	fs.StringVar(&r.chn, "channel", "", "column holding the contact channel")
	fs.StringVar(&r.timeFormat, "time-format", "", "timestamp layout, as a Go layout (02/01/2006 15:04) or strftime (%d/%m/%Y %H:%M); detected when empty")
	fs.StringVar(&r.timezone, "timezone", "UTC", "IANA zone of timestamps without an offset, e.g. Europe/Amsterdam; reports show times in it when given")
	fs.StringVar(&r.encoding, "encoding", "auto", "input encoding: auto, utf-8, latin1 or windows-1252")
	fs.StringVar(&r.delimiter, "delimiter", "", "CSV delimiter; detected among , ; tab | when empty (write \\t for tab)")
	fs.StringSliceVar(&r.missing, "missing", nil, "cell values read as missing, replacing both default lists (default: empty, ?, NULL, NA, N/A, -; and in activity, department, resource and channel columns also placeholders such as EMPTY, none, unknown, n.v.t., any case; see docs/reading.md)")
	fs.StringVar(&r.rejects, "rejects", "", "write rejected rows (file, line, column, reason, raw) as CSV to this file")
	fs.StringVar(&r.maxRejects, "max-rejects", ingest.DefaultRejectLimit, "fail (exit 1) when more rows are rejected: a count (100) or a share of the rows (1%)")
	fs.IntVar(&r.workers, "workers", 0, "parsing goroutines; 0 uses every core")
	fs.Var(memoryValue{&r.memory}, "memory", "memory budget of the run, e.g. 512MiB, 4GiB or 1.5GB: a log that needs more is analysed out of core, its large data in temporary files (--tmp); default GOMEMLIMIT when set, else 3/4 of the machine's memory (the cgroup limit when there is one); off for none")
	fs.Lookup("memory").DefValue = "" // the default is chosen at run time, not off
	fs.StringVar(&r.tmp, "tmp", "", "folder for the temporary files of a run out of core (see --memory); default the system's temporary folder ($TMPDIR, else /tmp)")
	fs.StringVar(&r.shape, "shape", "", "what one row is: "+strings.Join(ingest.Shapes, ", ")+"; detected from the header when empty (see docs/reading.md)")
	fs.StringVar(&r.sheet, "sheet", "", "worksheet of an .xlsx file to read; the first when empty")
	fs.StringVar(&r.callAgent, "call-agent-department", eventlog.CallAgentDepartment, "--shape calls: the department of the service stage, e.g. the front office the agents are in (KCC), so a call and the ticket it became are one stay")
	fs.StringVar(&r.callAgentColumn, "call-agent-department-column", "", "--shape calls: column of the team or skill group that answered, the service stage's department where not empty")
	fs.BoolVar(&r.pairLifecycle, "pair-lifecycle", false, "merge each lifecycle:transition start event with its complete event into one event with a start time (rule: docs/reading.md)")
	fs.StringVar(&r.audit.DepartmentField, "department-field", "", "--shape audit: the field whose changes start a stay (assignment group, queue); detected when empty")
	fs.StringVar(&r.audit.ActivityField, "activity-field", "", "--shape audit: the field whose changes are activities (status, state); detected when empty")
	fs.StringVar(&r.audit.Field, "field-column", "", "--shape audit: column naming the field that changed; detected when empty")
	fs.StringVar(&r.audit.Old, "old-column", "", "--shape audit: column holding the old value; detected when empty")
	fs.StringVar(&r.audit.New, "new-column", "", "--shape audit: column holding the new value; detected when empty")
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// options turns the flags into ingest options, or a usage error.
func (r *readFlags) options() (ingest.Options, ingest.RejectLimit, error) {
	loc, err := time.LoadLocation(r.timezone)
	if err != nil {
		return ingest.Options{}, ingest.RejectLimit{}, fmt.Errorf("--timezone %q: not a known IANA zone name (such as Europe/Amsterdam or UTC)", r.timezone)
	}
	limit, err := ingest.ParseRejectLimit(r.maxRejects)
	if err != nil {
		return ingest.Options{}, ingest.RejectLimit{}, fmt.Errorf("--max-rejects %w", err)
	}
	if err := ingest.CheckShape(r.shape); err != nil {
		return ingest.Options{}, ingest.RejectLimit{}, fmt.Errorf("--shape: %w", err)
	}
	if a := strings.TrimSpace(r.callAgent); a == "" || a == eventlog.CallVRUDepartment || a == eventlog.CallQueueDepartment {
		return ingest.Options{}, ingest.RejectLimit{}, fmt.Errorf("--call-agent-department %q: name the agents' department (such as KCC); it cannot be empty, %s or %s, the call's waiting stages",
			r.callAgent, eventlog.CallVRUDepartment, eventlog.CallQueueDepartment)
	}
	var delim rune
	switch r.delimiter {
	case "":
	case `\t`, "tab", "\t":
		delim = '\t'
	default:
		if len(r.delimiter) != 1 {
			return ingest.Options{}, ingest.RejectLimit{}, fmt.Errorf("--delimiter %q: want one character", r.delimiter)
		}
		delim = rune(r.delimiter[0])
	}
	return ingest.Options{
		Mapping: ingest.Mapping{
			Case: r.cases, Activity: r.activity, Time: r.time, StartTime: one(r.start),
			Department: one(r.dept), Resource: one(r.res), Channel: one(r.chn),
		},
		TimeFormat: r.timeFormat,
		Location:   loc,
		Encoding:   r.encoding,
		Delimiter:  delim,
		Missing:    r.missing,
		Workers:    r.workers,
		Open:       r.open,
		Memory:     r.spill,
		Shape:      r.shape,
		Sheet:      r.sheet,
		Audit:      r.audit,

		CallAgent:       strings.TrimSpace(r.callAgent),
		CallAgentColumn: r.callAgentColumn,
	}, limit, nil
}

// displayZone is the zone reports show times in, and its name: the
// --timezone when given (a config file gives it too), else the one UTC
// offset every timestamp carried, else UTC. Times are UTC inside.
func (r *readFlags) displayZone(inputs []ingest.Input) (*time.Location, string) {
	if r.fs != nil && r.fs.Changed("timezone") {
		if loc, err := time.LoadLocation(r.timezone); err == nil {
			return loc, loc.String()
		}
	}
	var offs []int
	for _, in := range inputs {
		if in.Offsets == nil {
			return time.UTC, "UTC"
		}
		for _, o := range in.Offsets {
			if !slices.Contains(offs, o) {
				offs = append(offs, o)
			}
		}
	}
	if len(offs) != 1 || offs[0] == 0 {
		return time.UTC, "UTC"
	}
	name := time.Unix(0, 0).In(time.FixedZone("", offs[0])).Format("UTC-07:00")
	return time.FixedZone(name, offs[0]), name
}

// writeRejects writes the rejects report when --rejects asks for one.
func (r *readFlags) writeRejects(res *ingest.Result) error {
	if r.rejects == "" {
		return nil
	}
	f, err := os.Create(r.rejects)
	if err != nil {
		return fmt.Errorf("--rejects: %w", err)
	}
	if err := ingest.WriteRejects(f, res.Rejects); err != nil {
		f.Close()
		return fmt.Errorf("--rejects %s: %w", r.rejects, err)
	}
	return f.Close()
}
