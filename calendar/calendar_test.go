package calendar

import (
	"testing"
	"time"
)

// Published dates of Easter Sunday (e.g. the tables of the US Naval
// Observatory and of Meeus), including the extremes 22 March and 25 April.
func TestEaster(t *testing.T) {
	for _, c := range []struct {
		year       int
		month, day int
	}{
		{1818, 3, 22}, {1886, 4, 25}, {1943, 4, 25}, {2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24},
		{2016, 3, 27}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5}, {2038, 4, 25}, {2285, 3, 22},
	} {
		if got, want := Easter(c.year), (Date{c.year, time.Month(c.month), c.day}); got != want {
			t.Errorf("Easter(%d) = %v, want %v", c.year, got, want)
		}
	}
}

// Dutch holidays as published by rijksoverheid.nl:
// Koningsdag on Saturday 26 April 2025 as the 27th is a Sunday, and
// Bevrijdingsdag only in the lustrum year.
func TestDutchHolidays(t *testing.T) {
	for _, c := range []struct {
		year int
		good bool
		want []string
	}{
		{2025, false, []string{"2025-01-01", "2025-04-20", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29", "2025-06-08", "2025-06-09", "2025-12-25", "2025-12-26"}},
		{2012, false, []string{"2012-01-01", "2012-04-08", "2012-04-09", "2012-04-30", "2012-05-17", "2012-05-27", "2012-05-28", "2012-12-25", "2012-12-26"}},
		// Koninginnedag moved to Saturday 29 April as the 30th was a Sunday.
		{2006, false, []string{"2006-01-01", "2006-04-16", "2006-04-17", "2006-04-29", "2006-05-25", "2006-06-04", "2006-06-05", "2006-12-25", "2006-12-26"}},
		{2023, true, []string{"2023-01-01", "2023-04-07", "2023-04-09", "2023-04-10", "2023-04-27", "2023-05-18", "2023-05-28", "2023-05-29", "2023-12-25", "2023-12-26"}},
	} {
		got := DutchHolidays(c.year, c.good)
		if len(got) != len(c.want) {
			t.Fatalf("%d: %v, want %v", c.year, got, c.want)
		}
		for i := range got {
			if got[i].String() != c.want[i] {
				t.Errorf("%d: holiday %d is %v, want %v", c.year, i, got[i], c.want[i])
			}
		}
	}
}

func shifts(t *testing.T, spec ...string) []Shift {
	t.Helper()
	var out []Shift
	for _, s := range spec {
		sh, err := ParseShift(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sh)
	}
	return out
}

// Hand-computed working durations; each comment gives the sum.
func TestBetween(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	office := Calendar{Zone: ams, Dutch: true}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = shifts(t, "08:30-17:00")
	}
	goodFriday := office
	goodFriday.GoodFriday = true
	extra := office
	extra.Holidays = []Date{{2024, time.March, 4}}
	night := Calendar{Zone: ams}
	for d := range night.Week {
		night.Week[d] = shifts(t, "22:00-06:00")
	}
	nightNL := night
	nightNL.Dutch = true
	both := Calendar{Zone: ams, Dutch: true}
	both.Week[time.Monday] = shifts(t, "22:00-06:00")
	both.Week[time.Tuesday] = shifts(t, "05:00-09:00", "13:00-14:00")
	both.Week[time.Wednesday] = shifts(t, "22:00-06:00")
	sunday := Calendar{Zone: ams}
	sunday.Week[time.Sunday] = shifts(t, "00:00-24:00")
	for _, c := range []struct {
		name     string
		cal      *Calendar
		from, to string // local times
		want     time.Duration
	}{
		{"same day", &office, "2024-03-05 09:00", "2024-03-05 12:30", 3*time.Hour + 30*time.Minute},
		{"before and after hours", &office, "2024-03-05 06:00", "2024-03-05 20:00", 8*time.Hour + 30*time.Minute},
		// Friday 16:00–17:00 + Monday 08:30–09:00.
		{"weekend", &office, "2024-03-01 16:00", "2024-03-04 09:00", 90 * time.Minute},
		// The same, with Monday 4 March a holiday of the file: + Tuesday 08:30–09:00.
		{"weekend and file holiday", &extra, "2024-03-01 16:00", "2024-03-05 09:00", 90 * time.Minute},
		// Tuesday 24 Dec 16:00–17:00, Kerst 25 and 26 closed, Friday 27 08:30–09:30.
		{"Christmas", &office, "2024-12-24 16:00", "2024-12-27 09:30", 2 * time.Hour},
		// Thursday 12:00–17:00, Good Friday open 8.5 h, weekend, Easter
		// Monday closed, Tuesday 08:30–10:00.
		{"Easter", &office, "2025-04-17 12:00", "2025-04-22 10:00", 15 * time.Hour},
		{"Easter with Good Friday", &goodFriday, "2025-04-17 12:00", "2025-04-22 10:00", 6*time.Hour + 30*time.Minute},
		// Koningsdag 2025 is Saturday 26 April: Friday 25 is a working day.
		{"Koningsdag on Saturday", &office, "2025-04-25 08:00", "2025-04-25 18:00", 8*time.Hour + 30*time.Minute},
		// Clocks go forward on Sunday 31 March 2024 at 02:00: the night
		// shift Saturday 22:00 – Sunday 06:00 lasts 7 hours.
		{"night shift, DST begins", &night, "2024-03-30 21:00", "2024-03-31 07:00", 7 * time.Hour},
		// Clocks go back on Sunday 27 October 2024 at 03:00: 9 hours.
		{"night shift, DST ends", &night, "2024-10-26 21:00", "2024-10-27 07:00", 9 * time.Hour},
		// A week of nights around the change: 7 × 8 h − 1 h.
		{"week of nights, DST begins", &night, "2024-03-25 12:00", "2024-04-01 12:00", 55 * time.Hour},
		{"week of nights, no change", &night, "2024-03-04 12:00", "2024-03-11 12:00", 56 * time.Hour},
		// A whole Sunday is 23 hours in March and 25 in October.
		{"whole day, DST begins", &sunday, "2024-03-30 12:00", "2024-04-01 12:00", 23 * time.Hour},
		{"whole day, DST ends", &sunday, "2024-10-26 12:00", "2024-10-28 12:00", 25 * time.Hour},
		// Inside a night shift, across midnight.
		{"inside night shift", &night, "2024-03-04 23:00", "2024-03-05 05:00", 6 * time.Hour},
		// Monday's night shift runs into Tuesday's 05:00 shift: 22:00–09:00
		// counted once, + 13:00–14:00.
		{"overlapping shifts", &both, "2024-03-04 21:00", "2024-03-05 15:00", 12 * time.Hour},
		// The night shift of 24 Dec 2025 runs into Kerst (it starts on a
		// working day); those starting on 25 and 26 Dec are closed.
		{"night shift into holiday", &nightNL, "2025-12-24 12:00", "2025-12-27 12:00", 8 * time.Hour},
		// The worked example of docs/definitions.md, Working time: the lead
		// time, the wait Front → Back and both with Goede Vrijdag closed.
		{"docs example lead time", &office, "2024-03-28 15:00", "2024-04-02 11:30", 13*time.Hour + 30*time.Minute},
		{"docs example wait", &office, "2024-03-29 16:00", "2024-04-02 10:00", 2*time.Hour + 30*time.Minute},
		{"docs example lead time, Good Friday", &goodFriday, "2024-03-28 15:00", "2024-04-02 11:30", 5 * time.Hour},
		{"docs example wait, Good Friday", &goodFriday, "2024-03-29 16:00", "2024-04-02 10:00", 90 * time.Minute},
		{"backwards", &office, "2024-03-04 09:00", "2024-03-01 16:00", -90 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			from, err1 := time.ParseInLocation("2006-01-02 15:04", c.from, ams)
			to, err2 := time.ParseInLocation("2006-01-02 15:04", c.to, ams)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			lo, hi := from, to
			if hi.Before(lo) {
				lo, hi = hi, lo
			}
			tab := c.cal.Table(lo, hi)
			if got := time.Duration(tab.Between(from.UnixMicro(), to.UnixMicro())) * time.Microsecond; got != c.want {
				t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
			}
		})
	}
}

func TestParseShift(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shift
		ok   bool
	}{
		{"08:30-17:00", Shift{30600, 61200}, true},
		{"22:00-06:00", Shift{79200, 21600}, true},
		{"00:00-24:00", Shift{0, 86400}, true},
		{"18:00-00:00", Shift{64800, 86400}, true},
		{"8:30-17:00", Shift{}, false},
		{"08:30-17:60", Shift{}, false},
		{"24:00-08:00", Shift{}, false},
		{"08:30-24:30", Shift{}, false},
		{"08:30 17:00", Shift{}, false},
		{"08:30-17:00x", Shift{}, false},
	} {
		got, err := ParseShift(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseShift(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestDay(t *testing.T) {
	var c Calendar
	if c.Day() != 0 {
		t.Errorf("no shifts: day %v, want 0", c.Day())
	}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []Shift{{30600, 61200}}
	}
	c.Week[time.Saturday] = []Shift{{36000, 50400}} // 4 h
	if want := (5*8.5 + 4) / 6 * float64(time.Hour); c.Day() != time.Duration(want) {
		t.Errorf("day %v, want %v", c.Day(), time.Duration(want))
	}
	c.DayLength = 8 * time.Hour
	if c.Day() != 8*time.Hour {
		t.Errorf("day %v, want 8h", c.Day())
	}
}
