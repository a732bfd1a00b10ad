package mining

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/eventlog"
	"github.com/caseflow/caseflow/internal/handlog"
	"github.com/caseflow/caseflow/internal/spill"
)

// CaseID names the cases in log order, the order of their first event,
// from the case dictionary, also once the case column is dropped as the
// command drops it; nil findings and findings not from Analyze name none.
func TestCaseID(t *testing.T) {
	evs := []ev{
		{"z9", "Open", "09:00", "P", ""}, {"ü1", "Open", "09:05", "P", ""},
		{"z9", "Close", "09:10", "Q", ""}, {"a", "Open", "09:20", "Q", ""}, {"ü1", "Close", "09:30", "P", ""},
	}
	want := []string{"z9", "ü1", "a"}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := handlog.Build(t, mem, "", evs)
	defer l.Release()
	kept := l.Keep(Options{}.Columns())
	defer kept.Release()
	if kept.Column(eventlog.Case) != nil {
		t.Fatal("the kept log has the case column")
	}
	for _, lg := range []*eventlog.Log{l, kept} {
		f, err := Analyze(lg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Cases) != len(want) {
			t.Fatalf("%d cases, want %d", len(f.Cases), len(want))
		}
		for k, id := range want {
			if got := f.CaseID(k); got != id {
				t.Errorf("case %d is %q, want %q", k, got, id)
			}
		}
		if f.Cases[0].Events != 2 || f.Cases[2].Events != 1 {
			t.Errorf("cases %+v: z9 has 2 events, a 1", f.Cases)
		}
	}
	var none *Findings
	if got := none.CaseID(0); got != "" {
		t.Errorf("nil findings name case 0 %q", got)
	}
	if got := (&Findings{Cases: make([]Case, 1)}).CaseID(0); got != "" {
		t.Errorf("findings not from Analyze name case 0 %q", got)
	}
}

// SameFindings, which the tests use where reflect.DeepEqual cannot
// compare findings, tells findings apart by a case's name alone, and by
// any other field.
func TestSameFindings(t *testing.T) {
	evs := []ev{{"a", "Open", "09:00", "P", ""}, {"a", "Close", "09:10", "Q", ""}, {"b", "Open", "09:20", "Q", ""}}
	renamed := append([]ev{}, evs...)
	renamed[2][0] = "c"
	f, again, other := analyze(t, evs, Options{}), analyze(t, evs, Options{}), analyze(t, renamed, Options{})
	if !SameFindings(f, again) {
		t.Error("the findings of one log differ")
	}
	if SameFindings(f, other) {
		t.Error("the findings are the same with case b renamed c")
	}
	other.caseID = f.caseID
	if !SameFindings(f, other) {
		t.Error("the findings differ with the names made alike")
	}
	again.Cases[1].Events++
	if SameFindings(f, again) || SameFindings(f, nil) || !SameFindings(nil, nil) {
		t.Error("SameFindings misses a changed case or a nil")
	}
}

// Findings.Cases can live in file-backed memory: spill.Make panics on a
// type that holds pointers, as Case did with its ID string.
func TestCaseHoldsNoPointer(t *testing.T) {
	m, err := spill.New(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := spill.Make[Case](m, 1<<15) // over a MiB: mapped
	c[len(c)-1].Lead = 1
	spill.Free(m, c)
}
