package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/export"
	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/mining"
	"github.com/caseflow/caseflow/report"
)

// privacyFlags choose which columns of a log convert and inspect show as
// pseudonyms: the resource, the customer id column (named with
// --customer, else the one analyze would guess, mining.JourneyColumns),
// and with --pseudonymise-cases the case id, the same keyed pseudonyms as
// analyze's (report.Pseudonym).
type privacyFlags struct {
	revealResources, revealCustomers, cases bool
	customer                                string
}

func (p *privacyFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&p.revealResources, "reveal-resources", false, "show resource names instead of pseudonyms")
	fs.BoolVar(&p.revealCustomers, "reveal-customers", false, "show customer ids instead of pseudonyms")
	fs.StringVar(&p.customer, "customer", "", "column holding customer ids, shown as pseudonyms; guessed from the header when empty")
	fs.BoolVar(&p.cases, "pseudonymise-cases", false, "show case ids as pseudonyms too, as analyze --pseudonymise-cases does")
}

// pseudonyms returns how each column to be hidden is replaced, keyed by
// the column's name (the resource as eventlog.Resource), and says on
// stderr which column was taken for customer ids by its name. names are
// the log's attribute columns, of any type: a customer number is hidden
// too. It asks for the key (commandKey) only when some column is to be
// hidden. withResource says whether the log has resources at all.
func (p *privacyFlags) pseudonyms(names []string, withResource bool, stderr io.Writer) (map[string]func(string) string, error) {
	customer := p.customer
	if customer == "" {
		customer, _ = mining.JourneyColumns(names)
		if customer != "" && !p.revealCustomers {
			fmt.Fprintf(stderr, "caseflow: note: column %q taken for customer ids by its name and shown as pseudonyms (--customer names another, --reveal-customers shows them)\n", customer)
		}
	} else if !slices.Contains(names, customer) {
		return nil, fmt.Errorf("--customer %s: no such column", customer)
	}
	prefix := map[string]string{}
	if withResource && !p.revealResources {
		prefix[eventlog.Resource] = report.ResourcePrefix
	}
	if customer != "" && !p.revealCustomers {
		prefix[customer] = report.CustomerPrefix
	}
	if p.cases {
		prefix[eventlog.Case] = report.CasePrefix
	}
	if len(prefix) == 0 {
		return nil, nil
	}
	key := commandKey(stderr)
	m := map[string]func(string) string{}
	for col, pre := range prefix {
		m[col] = func(v string) string { return report.PseudonymAs(pre, key, v) }
	}
	return m, nil
}

// pseudonymiseCases replaces the log of res by a copy whose case ids are
// pseudonyms ("case-" and 12 hex digits, report.PseudonymAs) under key
// (nil: the public default key), so that every output of analyze shows
// them; the original log is released.
func pseudonymiseCases(res *ingest.Result, key []byte) error {
	if len(key) == 0 {
		key = []byte(report.DefaultKey)
	}
	l, err := export.Conceal(res.Log, map[string]func(string) string{
		eventlog.Case: func(id string) string { return report.PseudonymAs(report.CasePrefix, key, id) },
	}, nil, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	res.Log.Release()
	res.Log = l
	return nil
}
