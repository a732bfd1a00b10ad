// Package calendar measures durations in working time: the seconds of two
// instants' span that fall in a business calendar's opening hours.
//
// A Calendar is the definition (shifts per weekday, a time zone, holidays);
// its Table over a span of instants holds the span's working intervals as
// UTC instants with prefix sums of their working time, so a duration is
// two binary searches and a subtraction, in exact integer microseconds,
// however long the span — no walking day by day. Shifts are laid out on
// each local date with time.Date in the calendar's zone, so the days on
// which daylight saving time begins or ends count the hours the clock
// really ran (a night shift 22:00–06:00 across the change in March is 7
// hours, in October 9). The package does no I/O.
package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Shift is an opening period of a day, in seconds after local midnight:
// Start in [0, 86400), End in (0, 86400]. A shift with End ≤ Start is a
// night shift: it ends on the next day. A shift belongs to the date on
// which it starts: a holiday closes the shifts that start on it.
type Shift struct{ Start, End int32 }

// ParseShift reads "08:30-17:00" (HH:MM-HH:MM, 24:00 allowed as an end;
// "22:00-06:00" is a night shift ending the next day).
func ParseShift(s string) (Shift, error) {
	var h0, m0, h1, m1 int
	var rest string
	n, _ := fmt.Sscanf(s, "%d:%d-%d:%d%s", &h0, &m0, &h1, &m1, &rest)
	if n != 4 || len(s) != 11 || h0 > 23 || h1 > 24 || m0 > 59 || m1 > 59 || h0 < 0 || h1 < 0 || m0 < 0 || m1 < 0 || (h1 == 24 && m1 != 0) {
		return Shift{}, fmt.Errorf("shift %q: want HH:MM-HH:MM such as 08:30-17:00 (22:00-06:00 runs past midnight)", s)
	}
	sh := Shift{int32(h0*3600 + m0*60), int32(h1*3600 + m1*60)}
	if sh.End == 0 {
		sh.End = 86400
	}
	return sh, nil
}

// Date is a civil date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads an ISO date, 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD such as 2024-12-24", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Calendar is a business calendar. The zero value has no opening hours.
type Calendar struct {
	// Name identifies the calendar in reports.
	Name string
	// Zone is the zone of the shifts and dates; nil means UTC.
	Zone *time.Location
	// Week holds the shifts of each weekday, indexed by time.Weekday.
	Week [7][]Shift
	// Holidays are closed dates, in addition to Dutch ones.
	Holidays []Date
	// Dutch adds the Dutch public holidays (see DutchHolidays); GoodFriday
	// adds Goede Vrijdag to them.
	Dutch, GoodFriday bool
	// DayLength is the length of a working day, the unit reports give
	// working durations in; 0 means the mean opening time of the weekdays
	// that have shifts (8.5 h for Monday to Friday 08:30–17:00).
	DayLength time.Duration
}

// Day returns the length of a working day (see DayLength); 0 for a
// calendar without shifts.
func (c *Calendar) Day() time.Duration {
	if c.DayLength > 0 {
		return c.DayLength
	}
	var total, days int64
	for _, shifts := range c.Week {
		if len(shifts) > 0 {
			days++
		}
		for _, s := range shifts {
			total += int64(s.length())
		}
	}
	if days == 0 {
		return 0
	}
	return time.Duration(total * int64(time.Second) / days)
}

func (s Shift) length() int32 {
	if s.End <= s.Start {
		return s.End + 86400 - s.Start
	}
	return s.End - s.Start
}

// Easter returns the date of Easter Sunday in the Gregorian calendar by
// the anonymous computus of Meeus/Jones/Butcher (Meeus, Astronomical
// Algorithms, 1991, ch. 8), valid for every year from 1583.
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// DutchHolidays returns the Dutch public holidays of year, in date order:
// Nieuwjaarsdag (1 January), Goede Vrijdag when goodFriday (most employers
// do not close), Eerste and Tweede Paasdag, Koningsdag (27 April, or 26
// April when the 27th is a Sunday; before 2014 Koninginnedag, 30 April or
// the 29th), Bevrijdingsdag (5 May) in
// lustrum years only (2020, 2025, …: the day off most collective labour
// agreements and the government give; add other years to the holidays
// file), Hemelvaartsdag (Easter + 39 days), Eerste and Tweede Pinksterdag
// (Easter + 49, + 50) and Eerste and Tweede Kerstdag (25, 26 December).
func DutchHolidays(year int, goodFriday bool) []Date {
	e := Easter(year)
	easter := time.Date(year, e.Month, e.Day, 0, 0, 0, 0, time.UTC)
	after := func(days int) Date {
		t := easter.AddDate(0, 0, days)
		return Date{t.Year(), t.Month(), t.Day()}
	}
	out := []Date{{year, time.January, 1}}
	if goodFriday {
		out = append(out, after(-2))
	}
	out = append(out, e, after(1))
	// Koningsdag; before 2014 Koninginnedag, 30 April (29 April when the
	// 30th is a Sunday).
	king := Date{year, time.April, 27}
	if year < 2014 {
		king.Day = 30
	}
	if time.Date(year, time.April, king.Day, 0, 0, 0, 0, time.UTC).Weekday() == time.Sunday {
		king.Day--
	}
	out = append(out, king)
	if year%5 == 0 {
		out = append(out, Date{year, time.May, 5})
	}
	out = append(out, after(39), after(49), after(50), Date{year, time.December, 25}, Date{year, time.December, 26})
	slices.SortFunc(out, compareDates)
	return out
}

func compareDates(a, b Date) int {
	if a.Year != b.Year {
		return a.Year - b.Year
	}
	if a.Month != b.Month {
		return int(a.Month) - int(b.Month)
	}
	return a.Day - b.Day
}

// Table is a Calendar's working intervals over a span of instants, with
// prefix sums. Instants are µs since the Unix epoch.
type Table struct {
	start, end []int64 // disjoint working intervals [start, end), ascending
	cum        []int64 // cum[i]: working µs in intervals 0…i−1
}

// Table lays out the calendar's working intervals over the local dates from
// the day before from to the day after to (a night shift of the day before
// may reach into the span). Instants outside the span are clamped to it:
// the table counts no working time beyond it.
func (c *Calendar) Table(from, to time.Time) *Table {
	zone := c.Zone
	if zone == nil {
		zone = time.UTC
	}
	closed := map[Date]bool{}
	for _, d := range c.Holidays {
		closed[d] = true
	}
	from, to = from.In(zone), to.In(zone)
	if c.Dutch {
		for y := from.Year() - 1; y <= to.Year()+1; y++ {
			for _, d := range DutchHolidays(y, c.GoodFriday) {
				closed[d] = true
			}
		}
	}
	t := &Table{}
	y, m, d := from.Date()
	last := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, time.UTC)
	for day := time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC); !day.After(last); day = day.AddDate(0, 0, 1) {
		if closed[Date{day.Year(), day.Month(), day.Day()}] {
			continue
		}
		for _, s := range c.Week[day.Weekday()] {
			end := s.End
			if end <= s.Start {
				end += 86400
			}
			t.add(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, int(s.Start), 0, zone).UnixMicro(),
				time.Date(day.Year(), day.Month(), day.Day(), 0, 0, int(end), 0, zone).UnixMicro())
		}
	}
	t.merge()
	return t
}

func (t *Table) add(s, e int64) {
	if s < e {
		t.start, t.end = append(t.start, s), append(t.end, e)
	}
}

// merge sorts the intervals, joins overlapping ones (a night shift running
// into the next morning's) and fills the prefix sums.
func (t *Table) merge() {
	idx := make([]int, len(t.start))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(t.start[a], t.start[b]) })
	var start, end []int64
	for _, i := range idx {
		if n := len(start); n > 0 && t.start[i] <= end[n-1] {
			end[n-1] = max(end[n-1], t.end[i])
			continue
		}
		start, end = append(start, t.start[i]), append(end, t.end[i])
	}
	t.start, t.end = start, end
	t.cum = make([]int64, len(start)+1)
	for i := range start {
		t.cum[i+1] = t.cum[i] + end[i] - start[i]
	}
}

// At returns the working µs from the table's start up to instant u (µs).
func (t *Table) At(u int64) int64 {
	// i: the intervals starting at or before u.
	i, _ := slices.BinarySearch(t.start, u+1)
	if i == 0 {
		return 0
	}
	return t.cum[i-1] + min(u, t.end[i-1]) - t.start[i-1]
}

// Between returns the working µs between instants a and b (µs), negative
// when b is before a.
func (t *Table) Between(a, b int64) int64 { return t.At(b) - t.At(a) }
