// Package logtest holds what tests of several packages check of an event
// log.
package logtest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
)

// Same requires got to be want: every column's values, the cases'
// boundaries and ids.
func Same(t testing.TB, got, want *eventlog.Log) {
	t.Helper()
	if !array.RecordEqual(got.Record(), want.Record()) {
		for i, c := range want.Record().Columns() {
			if !array.Equal(got.Record().Column(i), c) {
				t.Errorf("column %s differs", want.Record().ColumnName(i))
			}
		}
		t.Fatal("the logs differ")
	}
	if !slices.Equal(got.Offsets(), want.Offsets()) {
		t.Fatal("case offsets differ")
	}
	for k := range want.Cases() {
		if got.CaseID(k) != want.CaseID(k) {
			t.Fatalf("case %d is %q, want %q", k, got.CaseID(k), want.CaseID(k))
		}
	}
}

// SameCuts requires f to cut got as it cuts want, which it must cut
// without leaving it empty (else the test checks nothing), the same
// cases and counts; and Keep of names of the filtered logs to be the same
// too.
func SameCuts(t testing.TB, got, want *eventlog.Log, f eventlog.Filter, names []string, mem memory.Allocator) {
	t.Helper()
	gf, gcut, err := got.Filter(f, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer gf.Release()
	wf, wcut, err := want.Filter(f, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer wf.Release()
	if wf.Cases() == 0 || wcut.Cases == 0 {
		t.Fatalf("the filter kept %d cases and cut %d: not the test it should be", wf.Cases(), wcut.Cases)
	}
	if fmt.Sprint(gcut) != fmt.Sprint(wcut) {
		t.Errorf("cut %+v, want %+v", gcut, wcut)
	}
	Same(t, gf, wf)
	gk, wk := gf.Keep(names), wf.Keep(names)
	defer gk.Release()
	defer wk.Release()
	Same(t, gk, wk)
}
