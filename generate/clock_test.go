package generate

import (
	"math/rand/v2"
	"testing"
	"time"
)

func testClock(t *testing.T) *clock {
	t.Helper()
	c, err := newClock(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// instants returns random instants in 2022-2027 (partly outside the clock's
// cached range) plus the minutes around the 2024 DST switches.
func instants() []int64 {
	r := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	hi := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	var ts []int64
	for range 20000 {
		ts = append(ts, lo+r.Int64N(hi-lo))
	}
	for _, sw := range []time.Time{time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), time.Date(2024, 10, 27, 1, 0, 0, 0, time.UTC)} {
		for m := int64(-90); m <= 90; m++ {
			ts = append(ts, sw.UnixMilli()+m*msMinute+m%7)
		}
	}
	return ts
}

func TestFormatting(t *testing.T) {
	c := testClock(t)
	for _, ms := range instants() {
		tm := time.UnixMilli(ms)
		if got, want := string(appendISO(nil, ms)), tm.UTC().Format("2006-01-02T15:04:05.000Z"); got != want {
			t.Fatalf("appendISO(%d) = %s, want %s", ms, got, want)
		}
		if got, want := string(appendNL(nil, c.local(ms))), tm.In(amsterdam).Format("02-01-2006 15:04:05"); got != want {
			t.Fatalf("appendNL(local(%d)) = %s, want %s", ms, got, want)
		}
	}
	for _, d := range []string{"1970-01-01", "2000-02-29", "2024-02-29", "2024-12-31", "2100-03-01"} {
		tm, _ := time.Parse(time.DateOnly, d)
		dn := tm.Unix() / 86400
		if got := string(appendDate(nil, dn)); got != d {
			t.Errorf("appendDate(%d) = %s, want %s", dn, got, d)
		}
		if got := dayNumber(int64(tm.Year()), int(tm.Month()), tm.Day()); got != dn {
			t.Errorf("dayNumber(%s) = %d, want %d", d, got, dn)
		}
		if got, want := weekday(dn), (int64(tm.Weekday())+6)%7; got != want {
			t.Errorf("weekday(%s) = %d, want %d", d, got, want)
		}
	}
}

// TestUTC checks local→UTC against time.Date, away from the skipped and
// repeated hours where the two resolve differently by design.
func TestUTC(t *testing.T) {
	c := testClock(t)
	for _, ms := range instants() {
		lt := time.UnixMilli(ms).In(amsterdam)
		if lt.Hour() == 2 && (lt.Month() == time.March || lt.Month() == time.October) && lt.Weekday() == time.Sunday {
			continue
		}
		if got := c.utc(c.local(ms)); got != ms {
			t.Fatalf("utc(local(%d)) = %d (%s)", ms, got, lt)
		}
	}
	// The repeated autumn hour resolves to the later instant; the skipped
	// spring hour moves forward.
	for _, tc := range []struct{ local, want string }{
		{"2024-10-27T02:30:00Z", "2024-10-27T01:30:00Z"},
		{"2024-03-31T02:30:00Z", "2024-03-31T01:30:00Z"},
	} {
		l, _ := time.Parse(time.RFC3339, tc.local)
		if got := time.UnixMilli(c.utc(l.UnixMilli())).UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("utc(local %s) = %s, want %s", tc.local, got, tc.want)
		}
	}
}

// workBetween counts working time in [from, to), day by day with the time
// package: Monday to Friday, 08:00 to 17:00 Europe/Amsterdam.
func workBetween(from, to time.Time) time.Duration {
	var w time.Duration
	for d := time.Date(from.In(amsterdam).Year(), from.In(amsterdam).Month(), from.In(amsterdam).Day(), 0, 0, 0, 0, amsterdam); d.Before(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		open := time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, amsterdam)
		shut := time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, amsterdam)
		lo, hi := open, shut
		if from.After(lo) {
			lo = from
		}
		if to.Before(hi) {
			hi = to
		}
		if hi.After(lo) {
			w += hi.Sub(lo)
		}
	}
	return w
}

func TestAddWork(t *testing.T) {
	c := testClock(t)
	r := rand.New(rand.NewPCG(3, 4))
	for i, ms := range instants() {
		d := int64(1000 + r.Int64N(int64(100*time.Hour/time.Millisecond)))
		if i%3 == 0 {
			d = 1000 + r.Int64N(msHour)
		}
		got := c.addWork(ms, d)
		from, to := time.UnixMilli(ms), time.UnixMilli(got)
		if w := workBetween(from, to); w != time.Duration(d)*time.Millisecond {
			t.Fatalf("addWork(%s, %v) = %s, which is %v of working time", from.In(amsterdam), time.Duration(d)*time.Millisecond, to.In(amsterdam), w)
		}
		lt := to.In(amsterdam)
		if lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday || lt.Hour() < 8 || lt.Hour() >= 17 {
			t.Fatalf("addWork(%s, %d ms) ends outside working hours: %s", from.In(amsterdam), d, lt)
		}
	}
}
