package mining

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/caseflow/caseflow/calendar"
)

// calendarCase is one case through Front and Back on handlog.Day, Monday
// 4 March 2024 (UTC).
var calendarCase = []ev{
	{"x", "Register", "08:00", "Front", ""},
	{"x", "Note", "09:30", "Front", ""},
	{"x", "Check", "10:00", "Front", ""},
	{"x", "Work", "13:30", "Back", ""},
	{"x", "Done", "15:30", "Back", ""},
	{"x", "Close", "16:30", "Front", ""},
}

// Working durations by hand: Front (the default calendar) is open
// 09:00–12:00 and 13:00–17:00, Back 14:00–16:00.
func TestWorkingTimeByUnit(t *testing.T) {
	front := &calendar.Calendar{Name: "front"}
	front.Week[time.Monday] = []calendar.Shift{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 17 * 3600}}
	back := &calendar.Calendar{Name: "back", DayLength: 2 * time.Hour}
	back.Week[time.Monday] = []calendar.Shift{{Start: 14 * 3600, End: 16 * 3600}}

	plain := analyze(t, calendarCase, Options{})
	work := analyze(t, calendarCase, Options{Calendar: front, Calendars: map[string]*calendar.Calendar{"Back": back}})
	if plain.WorkingTime != nil {
		t.Errorf("calendar time has a working-time note %+v", plain.WorkingTime)
	}
	h := 3600.0
	// Lead time 08:00–16:30: 8.5 h of clock, Front's 09:00–12:00 + 13:00–16:30.
	checkNum(t, "clock lead", plain.Cases[0].Lead, 8.5*h)
	checkNum(t, "working lead", work.Cases[0].Lead, 6.5*h)
	// Directly follows Check→Work 10:00–13:30 in the default calendar.
	checkNum(t, "Check→Work", edges(work)[[2]string{"Check", "Work"}].Median, 2.5*h)
	// Handoff waits in the receiver's calendar: Front→Back 10:00–13:30 in
	// Back's hours is 0; Back→Front 15:30–16:30 in Front's is 1 h.
	waits := map[[2]string]float64{}
	for _, p := range work.Flows.Pairs {
		waits[[2]string{p.From, p.To}] = p.Median
	}
	checkNum(t, "Front→Back wait", waits[[2]string{"Front", "Back"}], 0)
	checkNum(t, "Back→Front wait", waits[[2]string{"Back", "Front"}], h)
	// Stays in their own calendar: Front 08:00–10:00 is 1 h, Back
	// 13:30–15:30 is 14:00–15:30; the internal gaps of Front's stay are
	// 08:00–09:30 (0.5 h) and 09:30–10:00 (0.5 h).
	var shares = map[string]Share{}
	for _, s := range work.LeadTime.Where.Units {
		shares[s.Unit] = s
	}
	checkNum(t, "Front stay", shares["Front"].OtherStay, h)
	checkNum(t, "Back stay", shares["Back"].OtherStay, 1.5*h)
	checkNum(t, "Front wait", shares["Front"].OtherWait, h)
	checkNum(t, "Back wait", shares["Back"].OtherWait, 0)
	checkNum(t, "total", work.LeadTime.Where.OtherTotal, 6.5*h)
	checkNum(t, "rest", work.LeadTime.Where.OtherNone, 0)
	for _, u := range work.Silos.Units {
		if u.Name == "Front" {
			checkNum(t, "Front gap", u.Gap, 0.5*h)
		}
	}
	want := WorkingTime{
		Default: CalendarNote{Calendar: "front", Zone: "UTC", Day: 7 * h},
		Units:   []CalendarNote{{Unit: "Back", Calendar: "back", Zone: "UTC", Day: 2 * h}},
	}
	if w := work.WorkingTime; w == nil || w.Default != want.Default || len(w.Units) != 1 || w.Units[0] != want.Units[0] {
		t.Errorf("note %+v, want %+v", w, want)
	}
	// An SLA is judged in working time: 7 h of clock time is exceeded by
	// the clock lead time (8.5 h), not by the working one (6.5 h).
	if !analyze(t, calendarCase, Options{SLA: 7 * time.Hour}).Cases[0].Long ||
		analyze(t, calendarCase, Options{SLA: 7 * time.Hour, Calendar: front}).Cases[0].Long {
		t.Error("SLA of 7 h: want long in clock time only")
	}
}

// The rest of the lead time, before the first stay and after the last, is
// measured in the default calendar.
func TestWorkingTimeRest(t *testing.T) {
	front := &calendar.Calendar{}
	front.Week[time.Monday] = []calendar.Shift{{Start: 9 * 3600, End: 17 * 3600}}
	f := analyze(t, []ev{
		{"y", "Call", "08:00", "", ""},
		{"y", "Work", "10:00", "Front", ""},
		{"y", "Done", "11:00", "Front", ""},
		{"y", "Mail", "18:00", "", ""},
	}, Options{Calendar: front})
	w := f.LeadTime.Where
	checkNum(t, "total", w.OtherTotal, 8*3600)
	checkNum(t, "rest", w.OtherNone, 7*3600) // 09:00–10:00 + 11:00–17:00
}

func TestCalendarsNeedDefault(t *testing.T) {
	if _, err := (Options{Calendars: map[string]*calendar.Calendar{"Back": {}}}).withDefaults(); err == nil {
		t.Error("calendars without a default calendar: no error")
	}
}

// A calendar open around the clock measures what the clock does: the
// findings of a generated log are the same in working time as in clock
// time, but for the note of the calendar. (The call sites of dur are the
// same in both; this checks the tables and their lookup by unit.)
func TestAroundTheClock(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := synth(t, mem, 3000, 5)
	defer l.Release()
	always := &calendar.Calendar{Name: "always"}
	for d := range always.Week {
		always.Week[d] = []calendar.Shift{{Start: 0, End: 86400}}
	}
	plain, err := Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	work, err := Analyze(l, Options{Calendar: always, Calendars: map[string]*calendar.Calendar{plain.Silos.Units[0].Name: always}})
	if err != nil {
		t.Fatal(err)
	}
	if work.WorkingTime == nil || work.WorkingTime.Default.Day != 86400 {
		t.Errorf("note %+v", work.WorkingTime)
	}
	work.WorkingTime, work.Options.Calendar, work.Options.Calendars = nil, nil, nil
	if !SameFindings(plain, work) {
		t.Error("findings differ between clock time and a calendar open around the clock")
	}
}
