// Package logtest holds what tests of several packages check of an event
// log.
package logtest

import (
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"

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
