package generate

import (
	"sort"
	"time"
	_ "time/tzdata" // the same zone rules on every machine, so output is byte-identical
)

// Times are int64 milliseconds since the Unix epoch (UTC). "Local" values are
// the same count shifted by the Europe/Amsterdam offset in effect, so that
// calendar arithmetic on them gives local wall-clock fields.

const (
	msSecond = int64(1000)
	msMinute = 60 * msSecond
	msHour   = 60 * msMinute
	msDay    = 24 * msHour
)

// zone is the UTC offset in effect for instants before end.
type zone struct {
	end, off int64
}

// clock converts between UTC and Europe/Amsterdam wall-clock time using the
// time package's zone rules, cached as a short table of offsets so the hot
// path is a few comparisons. Every method is a pure function of its input.
type clock struct {
	loc   *time.Location
	from  int64
	zones []zone
}

func newClock(from, to int64) (*clock, error) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return nil, err
	}
	c := &clock{loc: loc, from: from}
	for t := from; t <= to; {
		lt := time.UnixMilli(t).In(loc)
		_, off := lt.Zone()
		_, end := lt.ZoneBounds()
		z := zone{end: 1<<63 - 1, off: int64(off) * msSecond}
		if !end.IsZero() {
			z.end = end.UnixMilli()
		}
		c.zones = append(c.zones, z)
		t = z.end
	}
	return c, nil
}

// offset returns the UTC offset in effect at t.
func (c *clock) offset(t int64) int64 {
	if t >= c.from {
		if i := sort.Search(len(c.zones), func(i int) bool { return t < c.zones[i].end }); i < len(c.zones) {
			return c.zones[i].off
		}
	}
	_, off := time.UnixMilli(t).In(c.loc).Zone()
	return int64(off) * msSecond
}

func (c *clock) local(t int64) int64 { return t + c.offset(t) }

// utc returns the instant whose local time is l. A local time that occurs
// twice (autumn) resolves to the later instant; one skipped in spring moves
// forward by the size of the gap. Working hours never touch either case.
func (c *clock) utc(l int64) int64 {
	off := c.offset(l)
	return l - c.offset(l-off)
}

// addWork returns the instant reached after d milliseconds of working time
// from t: work happens Monday to Friday between openHour and closeHour local
// time; outside them the clock stops.
func (c *clock) addWork(t, d int64) int64 {
	const open, shut = openHour * msHour, closeHour * msHour
	l := c.local(t)
	for {
		dn := floorDiv(l, msDay)
		tod := l - dn*msDay
		switch wd := weekday(dn); {
		case wd >= 5:
			l = (dn+7-wd)*msDay + open
			continue
		case tod < open:
			l = dn*msDay + open
			continue
		case tod >= shut:
			l = (dn+1)*msDay + open
			continue
		}
		rem := shut - tod
		if d < rem {
			return c.utc(l + d)
		}
		d -= rem
		l = (dn+1)*msDay + open
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// weekday returns 0 for Monday through 6 for Sunday of day number dn
// (days since 1970-01-01, a Thursday).
func weekday(dn int64) int64 { return (dn%7 + 7 + 3) % 7 }

// civil converts a day number to a proleptic Gregorian date
// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
func civil(dn int64) (y int64, m, d int) {
	z := dn + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// dayNumber is the inverse of civil.
func dayNumber(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int64) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendClock appends HH:MM:SS of the millisecond-of-day ms.
func appendClock(b []byte, ms int64) []byte {
	s := int(ms / msSecond)
	b = append2(b, s/3600)
	b = append(b, ':')
	b = append2(b, s/60%60)
	b = append(b, ':')
	return append2(b, s%60)
}

// appendISO appends t as 2006-01-02T15:04:05.000Z.
func appendISO(b []byte, t int64) []byte {
	dn := floorDiv(t, msDay)
	y, m, d := civil(dn)
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	ms := t - dn*msDay
	b = appendClock(b, ms)
	f := int(ms % msSecond)
	return append(b, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10), 'Z')
}

// appendNL appends local time l as 02-01-2006 15:04:05.
func appendNL(b []byte, l int64) []byte {
	dn := floorDiv(l, msDay)
	y, m, d := civil(dn)
	b = append2(b, d)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	b = append4(b, y)
	b = append(b, ' ')
	return appendClock(b, l-dn*msDay)
}

// appendDate appends day number dn as 2006-01-02.
func appendDate(b []byte, dn int64) []byte {
	y, m, d := civil(dn)
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, d)
}
