package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/mining"
)

// Schema names the JSON document's layout; it changes only when a field is
// renamed or removed, never when one is added.
const Schema = "caseflow.report/v2"

// DefaultTop is the length of the lists in the JSON document (and so in the
// report's summary) when Options.Top is 0; the CSV files hold them all.
const DefaultTop = 20

// DefaultKey is the pseudonymisation key used when the caller has none. It
// is public, so pseudonyms made with it keep output deterministic but can
// be reversed by hashing candidate names: callers should warn.
const DefaultKey = "caseflow-public-default-key"

// ErrInput is wrapped by errors about New's arguments.
var ErrInput = errors.New("report: invalid input")

// Input summarises what was read; the caller fills it from its reader.
type Input struct {
	Files []File
	// Rows read (data rows or XES events), Events kept, Rejected rows;
	// Excluded rows deliberately left out (ingest.Input.Excluded).
	Rows, Rejected, Excluded int64
	Events                   int
	// Distinct values of the role columns.
	Cases, Activities, Departments, Resources int
	// From and To are the first and last event time, in the zone reports
	// show times in (Zone names it); zero for an empty log.
	From, To time.Time
	Zone     string
	// Resolution is the step of the timestamps (ingest.Input.Resolution,
	// the coarsest over the files); 0 when unknown.
	Resolution time.Duration
	// Sources counts what joining several sources linked
	// (ingest.SourceCount); nil for one source.
	Sources []Source
	// Filter is the case filter the log was cut by; nil for none.
	Filter *Filter
}

// Filter is a case filter (analyze's --since, --until, --window and
// --where; eventlog.Filter) and what it left out. Its rows are counted in
// Input.Excluded too.
type Filter struct {
	// Since and Until are the first and last day of the window as given
	// (YYYY-MM-DD, days in Zone), "" for an open side; Window is the
	// eventlog.Window rule.
	Since, Until, Window, Zone string
	Where                      []eventlog.Condition
	// Cases, Events and Rows are what the filter left out.
	Cases, Events int
	Rows          int64
}

// Flags writes the filter as the flags that give it, for messages:
// --since 2024-03-01 --window started --where channel=phone.
func (f *Filter) Flags() string { return f.doc().flags() }

func (f *Filter) doc() *filterDoc {
	d := &filterDoc{Since: orNull(f.Since), Until: orNull(f.Until), Window: f.Window, Zone: f.Zone, Where: []conditionDoc{}}
	for _, c := range f.Where {
		d.Where = append(d.Where, conditionDoc{c.Column, c.Values})
	}
	return d
}

// flags writes the filter as its flags; the values of a --where as the
// flag reads them, a value with a comma or a quote quoted.
func (d *filterDoc) flags() string {
	var parts []string
	if d.Since != nil {
		parts = append(parts, "--since "+*d.Since)
	}
	if d.Until != nil {
		parts = append(parts, "--until "+*d.Until)
	}
	if len(parts) > 0 {
		parts = append(parts, "--window "+d.Window)
	}
	for _, c := range d.Where {
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(c.Values) // a strings.Builder does not fail
		w.Flush()
		parts = append(parts, "--where "+c.Column+"="+strings.TrimSuffix(b.String(), "\n"))
	}
	return strings.Join(parts, " ")
}

// Source is what joining did with one source's records (cases as read):
// Linked + Unlinked = Cases, and the same for events; NoKey records lack
// a join value, OneToMany records matched several cases of the first
// source and joined the one nearest in time.
type Source struct {
	Name, Key                     string
	Cases, Events                 int64
	LinkedCases, LinkedEvents     int64
	UnlinkedCases, UnlinkedEvents int64
	NoKey, OneToMany              int64
}

// File is one input file.
type File struct {
	Name, Format   string
	Rows, Rejected int64
}

// Options tune a report.
type Options struct {
	// Top is the length of the JSON lists; 0 means DefaultTop.
	Top int
	// Reveal shows resource names instead of pseudonyms.
	Reveal bool
	// Key is the pseudonymisation key; nil means DefaultKey.
	Key []byte
	// MapDetail is the number of transitions the exported process map
	// draws (see mapEdges); 0 means DefaultMapDetail, and it is at most
	// MaxGraphEdges.
	MapDetail int
	// Version names the caseflow that made the report (module version and
	// commit); "" leaves it out. It is part of the output, so a report is
	// byte-identical only for the same version.
	Version string
}

// Report is the findings of one run, ready to write: names pseudonymised,
// lists in their documented order, numbers rounded as they are printed.
// It holds the full lists; the JSON document keeps the first Top of each.
type Report struct {
	doc document
	top int
	// mapDetail is Options.MapDetail, default filled in.
	mapDetail int
	cases     []mining.Case
	caseID    func(k int) string // names cases[k]: the findings' CaseID
	paths     [][]string         // unit paths (Flows.Paths), names as written
	// journeys has the repeat pairs for repeats.csv; nil without a customer column.
	journeys *mining.Journeys
}

// New builds the report. f must come from mining.Analyze; f's lists are
// not modified. The report names cases through f (mining.Findings.CaseID),
// so the log f came from must not be released before its files are
// written. An empty log gives a report of zeros and empty lists.
func New(f *mining.Findings, in Input, opt Options) (*Report, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: no findings", ErrInput)
	}
	if opt.Top < 0 {
		return nil, fmt.Errorf("%w: top %d is negative: use a list length such as %d", ErrInput, opt.Top, DefaultTop)
	}
	if opt.Top == 0 {
		opt.Top = DefaultTop
	}
	if opt.MapDetail < 0 || opt.MapDetail > MaxGraphEdges {
		return nil, fmt.Errorf("%w: map detail %d: use a number of transitions from 1 to %d", ErrInput, opt.MapDetail, MaxGraphEdges)
	}
	if opt.MapDetail == 0 {
		opt.MapDetail = DefaultMapDetail
	}
	n, err := newNamer(f, opt)
	if err != nil {
		return nil, err
	}
	r := &Report{top: opt.Top, mapDetail: opt.MapDetail, cases: f.Cases, caseID: f.CaseID, journeys: f.Journeys}
	r.paths = make([][]string, len(f.Flows.Paths))
	for i, p := range f.Flows.Paths {
		r.paths[i] = n.all(p.Steps)
	}
	r.doc = build(f, in, n, r.paths, opt)
	return r, nil
}
