package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// working says, by the wall clock and without any table, whether instant u
// is inside one of c's shifts: a shift of its own date, or a night shift
// of the day before that runs past midnight; a holiday closes the shifts
// that start on it.
func working(c *Calendar, closed map[Date]bool, u time.Time) bool {
	lt := u.In(c.Zone)
	tod := int32(lt.Hour()*3600 + lt.Minute()*60 + lt.Second())
	today := Date{lt.Year(), lt.Month(), lt.Day()}
	y := lt.AddDate(0, 0, -1)
	yesterday := Date{y.Year(), y.Month(), y.Day()}
	for _, s := range c.Week[lt.Weekday()] {
		if !closed[today] && tod >= s.Start && (tod < s.End || s.End <= s.Start) {
			return true
		}
	}
	for _, s := range c.Week[y.Weekday()] {
		if !closed[yesterday] && s.End <= s.Start && tod < s.End {
			return true
		}
	}
	return false
}

// Random calendars (day and night shifts, overlapping ones, a holiday)
// over three weeks around each change of daylight saving time in
// Europe/Amsterdam: Between against a minute-by-minute walk by the wall
// clock. Shift boundaries are whole hours other than 02:00 and 03:00,
// which do not exist or exist twice on the change days.
func TestBetweenAgainstWalk(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	rng := rand.New(rand.NewPCG(7, 17))
	hour := func() int32 {
		for {
			if h := rng.Int32N(24); h != 2 && h != 3 {
				return h * 3600
			}
		}
	}
	for _, start := range []time.Time{
		time.Date(2024, 3, 20, 0, 0, 0, 0, ams), time.Date(2024, 10, 16, 0, 0, 0, 0, ams),
	} {
		for trial := range 6 {
			c := &Calendar{Zone: ams, Holidays: []Date{{2024, start.Month(), start.Day() + 7 + trial}}}
			for d := range c.Week {
				for range rng.IntN(3) {
					s, e := hour(), hour()
					if e == 0 {
						e = 86400
					}
					if s != e {
						c.Week[d] = append(c.Week[d], Shift{s, e})
					}
				}
			}
			closed := map[Date]bool{c.Holidays[0]: true}
			end := start.AddDate(0, 0, 21)
			tab := c.Table(start, end)
			// prefix[i]: working minutes from start to start + i minutes.
			n := int(end.Sub(start) / time.Minute)
			prefix := make([]int64, n+1)
			for i := range n {
				prefix[i+1] = prefix[i]
				if working(c, closed, start.Add(time.Duration(i)*time.Minute)) {
					prefix[i+1]++
				}
			}
			for range 200 {
				i, j := rng.IntN(n+1), rng.IntN(n+1)
				a, b := start.Add(time.Duration(i)*time.Minute), start.Add(time.Duration(j)*time.Minute)
				got := tab.Between(a.UnixMicro(), b.UnixMicro())
				if want := (prefix[j] - prefix[i]) * 60e6; got != want {
					t.Fatalf("%v: %v → %v: %v, walk %v", c.Week, a, b, time.Duration(got)*time.Microsecond, time.Duration(want)*time.Microsecond)
				}
			}
		}
	}
}
