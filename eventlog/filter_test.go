package eventlog

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// filterLog is a hand-made log of four cases (times in UTC):
//
//	A  phone  Building permit  03-01 10:00 (row 2), 03-01 12:00 (row 3)
//	B  –/email Parking         02-29 23:00 (row 4), 03-02 09:00 (row 5); its first event has no channel
//	C  phone  Parking          03-02 08:00 (row 6, two stages of one call record), 03-04 10:00 (row 7)
//	D  web    Building permit  03-03 12:00 (row 8)
//
// The channel column was read from the input column "Kanaal".
func filterLog(t *testing.T, mem memory.Allocator) *Log {
	t.Helper()
	at := func(day, hour int) int64 { return time.Date(2024, 3, day, hour, 0, 0, 0, time.UTC).UnixMicro() }
	b := NewBuilder()
	b.SetSource(Channel, "Kanaal")
	reason, err := b.Attr("reason", String)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		cas, chn, reason string
		t, row           int64
	}{
		{"A", "phone", "Building permit", at(1, 10), 2},
		{"A", "phone", "Building permit", at(1, 12), 3},
		{"B", "", "Parking", at(0, 23), 4},
		{"B", "email", "Parking", at(2, 9), 5},
		{"C", "phone", "Parking", at(2, 8), 6},
		{"C", "phone", "Parking", at(2, 8), 6},
		{"C", "phone", "Parking", at(4, 10), 7},
		{"D", "web", "Building permit", at(3, 12), 8},
	} {
		b.Add(&Event{Case: []byte(e.cas), Activity: []byte("x"), Channel: []byte(e.chn), Time: e.t, Start: NoTime, Row: e.row})
		b.SetString(reason, []byte(e.reason))
	}
	l, err := b.Finish(mem)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestFilter checks the cases each filter keeps and what it counts as
// left out against the hand-worked table of filterLog.
func TestFilter(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	win := func(w Window) Filter { return Filter{From: day(1), To: day(3), Window: w} } // 03-01 and 03-02
	for _, tc := range []struct {
		name   string
		f      Filter
		keep   []string
		cut    Cut // without Unmatched
		events int
	}{
		{"no filter", Filter{}, []string{"A", "B", "C", "D"}, Cut{}, 8},
		// B started 02-29, D on 03-03.
		{"started", win(""), []string{"A", "C"}, Cut{Cases: 2, Events: 3, Rows: 3}, 5},
		{"started, named", win(Started), []string{"A", "C"}, Cut{Cases: 2, Events: 3, Rows: 3}, 5},
		// C ends 03-04: its 3 events came from 2 rows.
		{"completed", win(Completed), []string{"A", "B"}, Cut{Cases: 2, Events: 4, Rows: 3}, 4},
		{"contained", win(Contained), []string{"A"}, Cut{Cases: 3, Events: 6, Rows: 5}, 2},
		{"intersecting", win(Intersecting), []string{"A", "B", "C"}, Cut{Cases: 1, Events: 1, Rows: 1}, 7},
		{"from only", Filter{From: day(2)}, []string{"C", "D"}, Cut{Cases: 2, Events: 4, Rows: 4}, 4},
		{"to only", Filter{To: day(2)}, []string{"A", "B"}, Cut{Cases: 2, Events: 4, Rows: 3}, 4},
		// B's first channel is email: its first event has none.
		{"channel", Filter{Where: []Condition{{"channel", []string{"phone"}}}}, []string{"A", "C"}, Cut{Cases: 2, Events: 3, Rows: 3}, 5},
		{"first given value", Filter{Where: []Condition{{"channel", []string{"email"}}}}, []string{"B"}, Cut{Cases: 3, Events: 6, Rows: 5}, 2},
		{"source name", Filter{Where: []Condition{{"Kanaal", []string{"web"}}}}, []string{"D"}, Cut{Cases: 3, Events: 7, Rows: 6}, 1},
		{"any case", Filter{Where: []Condition{{"KANAAL", []string{"web"}}}}, []string{"D"}, Cut{Cases: 3, Events: 7, Rows: 6}, 1},
		{"two conditions", Filter{Where: []Condition{{"reason", []string{"Building permit", "Parking"}}, {"channel", []string{"phone", "web"}}}},
			[]string{"A", "C", "D"}, Cut{Cases: 1, Events: 2, Rows: 2}, 6},
		{"window and value", Filter{From: day(1), To: day(3), Where: []Condition{{"reason", []string{"Parking"}}}}, []string{"C"}, Cut{Cases: 3, Events: 5, Rows: 5}, 3},
		{"nothing", Filter{From: day(10)}, nil, Cut{Cases: 4, Events: 8, Rows: 7}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			l := filterLog(t, mem)
			defer l.Release()
			got, cut, err := l.Filter(tc.f, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer got.Release()
			cases := got.Codes(Case)
			var kept []string
			for k := range got.Cases() {
				kept = append(kept, cases.Names[cases.Index[got.Offsets()[k]]])
			}
			if !slices.Equal(kept, tc.keep) {
				t.Errorf("kept %v, want %v", kept, tc.keep)
			}
			if cut.Cases != tc.cut.Cases || cut.Events != tc.cut.Events || cut.Rows != tc.cut.Rows || cut.Unmatched != nil {
				t.Errorf("cut %+v, want %+v", cut, tc.cut)
			}
			if got.Len() != tc.events || got.Len()+cut.Events != l.Len() {
				t.Errorf("%d events kept, want %d", got.Len(), tc.events)
			}
			// The kept events keep their attributes.
			reason := got.Codes("reason")
			for k := range got.Cases() {
				c, r := cases.Names[cases.Index[got.Offsets()[k]]], reason.Names[reason.Index[got.Offsets()[k]]]
				if want := map[string]string{"A": "Building permit", "B": "Parking", "C": "Parking", "D": "Building permit"}[c]; r != want {
					t.Errorf("case %s has reason %q, want %q", c, r, want)
				}
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := filterLog(t, mem)
	defer l.Release()
	if _, _, err := l.Filter(Filter{Where: []Condition{{"priority", []string{"1"}}}}, mem); !errors.Is(err, ErrColumn) {
		t.Errorf("unknown column: error %v, want ErrColumn", err)
	}
	if _, _, err := l.Filter(Filter{Where: []Condition{{"case", []string{"A"}}}}, mem); !errors.Is(err, ErrColumn) {
		t.Errorf("the case column: error %v, want ErrColumn", err)
	}
	if _, _, err := l.Filter(Filter{From: time.Unix(1, 0), Window: "overlapping"}, mem); err == nil {
		t.Error("unknown window rule accepted")
	}
	got, cut, err := l.Filter(Filter{Where: []Condition{{"channel", []string{"phone", "phnoe", "fax"}}}}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if len(cut.Unmatched) != 1 || cut.Unmatched[0].Column != "channel" || !slices.Equal(cut.Unmatched[0].Values, []string{"phnoe", "fax"}) {
		t.Errorf("unmatched %+v, want channel: phnoe, fax", cut.Unmatched)
	}
	if got.Cases() != 2 {
		t.Errorf("%d cases kept, want 2 (A and C)", got.Cases())
	}
	// The dictionaries hold only the kept values, in order of appearance.
	if c, r := got.Codes(Channel).Names, got.Codes("reason").Names; !slices.Equal(c, []string{"phone"}) || !slices.Equal(r, []string{"Building permit", "Parking"}) {
		t.Errorf("dictionaries %q and %q, want [phone] and [Building permit Parking]", c, r)
	}
	if c := got.Codes(Case).Names; !slices.Equal(c, []string{"A", "C"}) {
		t.Errorf("case dictionary %q, want [A C]", c)
	}
}
