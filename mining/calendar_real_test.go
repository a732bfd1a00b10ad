package mining_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/mining"
)

// officeHours is Monday to Friday 08:30–17:00 in Europe/Amsterdam with the
// Dutch public holidays.
func officeHours(tb testing.TB) *calendar.Calendar {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tb.Skip("no zone data for Europe/Amsterdam:", err)
	}
	c := &calendar.Calendar{Name: "office", Zone: ams, Dutch: true}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []calendar.Shift{{Start: 8*3600 + 1800, End: 17 * 3600}}
	}
	return c
}

// The receipt log's median lead time in working time, against a walk over
// the raw file's case start and end times, day by day, with the published
// Dutch holidays of 2010–2012 written out by hand.
func TestReceiptWorkingLeadTime(t *testing.T) {
	raw := readRawCSV(t, "receipt/receipt.csv", "case:concept:name", "time:timestamp", "org:group", "2006-01-02 15:04:05.999999-07:00")
	cal := officeHours(t)
	holidays := map[string]bool{}
	for _, d := range []string{
		"2010-01-01", "2010-04-04", "2010-04-05", "2010-04-30", "2010-05-05", "2010-05-13", "2010-05-23", "2010-05-24", "2010-12-25", "2010-12-26",
		"2011-01-01", "2011-04-24", "2011-04-25", "2011-04-30", "2011-06-02", "2011-06-12", "2011-06-13", "2011-12-25", "2011-12-26",
		"2012-01-01", "2012-04-08", "2012-04-09", "2012-04-30", "2012-05-17", "2012-05-27", "2012-05-28", "2012-12-25", "2012-12-26",
	} {
		holidays[d] = true
	}
	ams := cal.Zone
	var walked, clock []float64
	byCase := map[string]float64{}
	for _, c := range raw.order {
		evs := raw.events[c]
		start, end := evs[0].at, evs[0].at
		for _, e := range evs {
			start, end = minTime(start, e.at), maxTime(end, e.at)
		}
		clock = append(clock, end.Sub(start).Seconds())
		var work time.Duration
		s := start.In(ams)
		for day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, ams); day.Before(end); day = day.AddDate(0, 0, 1) {
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || holidays[day.Format(time.DateOnly)] {
				continue
			}
			open := time.Date(day.Year(), day.Month(), day.Day(), 8, 30, 0, 0, ams)
			shut := time.Date(day.Year(), day.Month(), day.Day(), 17, 0, 0, 0, ams)
			if from, to := maxTime(open, start), minTime(shut, end); to.After(from) {
				work += to.Sub(from)
			}
		}
		walked = append(walked, work.Seconds())
		byCase[c] = work.Seconds()
	}
	l := loadReal(t, "receipt/receipt.csv", "org:group")
	defer l.Release()
	plain, err := mining.Analyze(l, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}
	work, err := mining.Analyze(l, mining.Options{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if plain.LeadTime.N != len(walked) || work.LeadTime.N != len(walked) {
		t.Fatalf("measured cases %d, %d; the raw file has %d", plain.LeadTime.N, work.LeadTime.N, len(walked))
	}
	if got, want := plain.LeadTime.Median, median(clock); math.Abs(got-want) > 1e-3 {
		t.Errorf("calendar-time median %v s, raw %v s", got, want)
	}
	if got, want := work.LeadTime.Median, median(walked); math.Abs(got-want) > 1e-3 {
		t.Errorf("working-time median %v s, walked %v s", got, want)
	}
	bad := 0
	for k, c := range work.Cases {
		if id := work.CaseID(k); math.Abs(c.Lead-byCase[id]) > 1e-3 {
			if bad++; bad <= 3 {
				t.Errorf("case %s: working lead time %v s, walked %v s", id, c.Lead, byCase[id])
			}
		}
	}
	t.Logf("receipt median lead time: %.3f s calendar time, %.3f s working time (walked %.3f s, %.4f working days of 8.5 h)",
		plain.LeadTime.Median, work.LeadTime.Median, median(walked), work.LeadTime.Median/(8.5*3600))
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// median is the mean of the middle two values of an even sample.
func median(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
