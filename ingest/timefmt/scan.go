package timefmt

import "slices"

// flag records how a value looked; Detect aggregates flags into the
// layout's description, Parse only needs hasOffset and hasAMPM.
type flag uint8

const (
	hasClock flag = 1 << iota
	hasSeconds
	hasT
	hasAMPM
	hasOffset
	unpadded // a day, month or hour without its leading zero
	skipped  // a wall clock skipped when clocks went forward, set by instant
)

// civil is a scanned wall-clock date and time. Scanners return only a
// what; the fields, and pos for syntax errors, say the rest, so the success
// path moves no error data around.
type civil struct {
	year, month, day int
	hour, min, sec   int
	us               int64 // microseconds within the second
	off              int   // seconds east of UTC when flags&hasOffset
	pm               bool  // with hasAMPM: the hour is after noon
	flags            flag
	frac             uint8 // fraction digits as written
	pos              int   // where a syntax error was found
}

// syntax records where scanning stopped and returns w.
func (c *civil) syntax(w what, pos int) what {
	c.pos = pos
	return w
}

// digits reads min..max ASCII digits from b[i:]; j < 0 means too few.
func digits(b []byte, i, min, max int) (v, j int) {
	j = i
	for j < len(b) && j-i < max {
		d := b[j] - '0'
		if d > 9 {
			break
		}
		v = v*10 + int(d)
		j++
	}
	if j-i < min {
		return 0, -1
	}
	return v, j
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// trim drops surrounding spaces and tabs, which spreadsheets like to add.
func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// scanDate reads a date in l's field order and separator, then an optional
// time of day and UTC offset.
func (l *Layout) scanDate(b []byte, c *civil) what {
	var i, j int
	if l.order == ymd {
		if c.year, i = digits(b, 0, 4, 4); i < 0 {
			return c.syntax(wantYear, 0)
		}
		if i >= len(b) || b[i] != l.sep {
			return c.syntax(wantDateSep, i)
		}
		if c.month, j = digits(b, i+1, 1, 2); j < 0 {
			return c.syntax(wantMonth, i+1)
		}
		if j-i == 2 {
			c.flags |= unpadded
		}
		if j >= len(b) || b[j] != l.sep {
			return c.syntax(wantDateSep, j)
		}
		if c.day, i = digits(b, j+1, 1, 2); i < 0 {
			return c.syntax(wantDay, j+1)
		}
		if i-j == 2 {
			c.flags |= unpadded
		}
	} else {
		want1, want2 := wantDay, wantMonth
		if l.order == mdy {
			want1, want2 = wantMonth, wantDay
		}
		var f1, f2 int
		if f1, i = digits(b, 0, 1, 2); i < 0 {
			return c.syntax(want1, 0)
		}
		if i == 1 {
			c.flags |= unpadded
		}
		if i >= len(b) || b[i] != l.sep {
			return c.syntax(wantDateSep, i)
		}
		if f2, j = digits(b, i+1, 1, 2); j < 0 {
			return c.syntax(want2, i+1)
		}
		if j-i == 2 {
			c.flags |= unpadded
		}
		if j >= len(b) || b[j] != l.sep {
			return c.syntax(wantDateSep, j)
		}
		if c.year, i = digits(b, j+1, 4, 4); i < 0 {
			return c.syntax(wantYear, j+1)
		}
		c.day, c.month = f1, f2
		if l.order == mdy {
			c.day, c.month = f2, f1
		}
	}
	if i == len(b) {
		return ok
	}
	switch b[i] {
	case 'T':
		c.flags |= hasT
		i++
	case ' ':
		i = skipSpaces(b, i)
	default:
		return c.syntax(wantClock, i)
	}
	return scanClock(b, i, c, true)
}

// scanClock reads H:MM[:SS[.fff]] [AM|PM] and, when zone, an optional UTC
// offset (Z, ±hh, ±hhmm, ±hh:mm, UTC, GMT) up to the end of b.
func scanClock(b []byte, i int, c *civil, zone bool) what {
	c.flags |= hasClock
	j := 0
	if c.hour, j = digits(b, i, 1, 2); j < 0 {
		return c.syntax(wantHour, i)
	}
	if j-i == 1 {
		c.flags |= unpadded
	}
	if j >= len(b) || b[j] != ':' {
		return c.syntax(wantMinute, j)
	}
	if c.min, i = digits(b, j+1, 2, 2); i < 0 {
		return c.syntax(wantMinute, j)
	}
	if i < len(b) && b[i] == ':' {
		if c.sec, j = digits(b, i+1, 2, 2); j < 0 {
			return c.syntax(wantSecond, i+1)
		}
		i = j
		c.flags |= hasSeconds
		if i < len(b) && (b[i] == '.' || b[i] == ',') {
			// Keep microseconds, truncate the rest: any length is accepted.
			i++
			start := i
			scale := int64(100000)
			for i < len(b) && b[i]-'0' <= 9 {
				c.us += int64(b[i]-'0') * scale
				scale /= 10
				i++
			}
			if i == start {
				return c.syntax(wantFraction, i)
			}
			c.frac = uint8(min(i-start, 9))
		}
	}
	i = skipSpaces(b, i)
	if i+1 < len(b) && (b[i]|0x20 == 'a' || b[i]|0x20 == 'p') && b[i+1]|0x20 == 'm' {
		c.flags |= hasAMPM
		c.pm = b[i]|0x20 == 'p'
		i = skipSpaces(b, i+2)
	}
	if i == len(b) {
		return ok
	}
	if !zone {
		return c.syntax(wantEnd, i)
	}
	switch b[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		hh, k := digits(b, i+1, 2, 2)
		if k < 0 {
			return c.syntax(wantOffset, i)
		}
		mm := 0
		if k < len(b) && b[k] == ':' {
			if mm, k = digits(b, k+1, 2, 2); k < 0 {
				return c.syntax(wantOffset, i)
			}
		} else if k < len(b) {
			if mm, k = digits(b, k, 2, 2); k < 0 {
				return c.syntax(wantOffset, i)
			}
		}
		c.off = hh*3600 + mm*60
		if hh > 23 || mm > 59 {
			return badOffset
		}
		if b[i] == '-' {
			c.off = -c.off
		}
		i = k
	case 'U', 'G':
		if i+3 > len(b) || (string(b[i:i+3]) != "UTC" && string(b[i:i+3]) != "GMT") {
			return c.syntax(wantOffset, i)
		}
		i += 3
	default:
		return c.syntax(wantOffset, i)
	}
	if i != len(b) {
		return c.syntax(wantEnd, i)
	}
	c.flags |= hasOffset
	return ok
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// check validates the fields and turns a 12-hour clock into 24 hours.
// Second 60 is refused: Unix time has no leap seconds. Hour 24 is refused
// so that every instant has one spelling.
func (c *civil) check() what {
	if c.month < 1 || c.month > 12 {
		return badMonth
	}
	if c.day < 1 || c.day > monthDays[c.month] && !(c.month == 2 && c.day == 29 && leap(c.year)) {
		return badDay
	}
	if c.flags&hasAMPM != 0 {
		if c.hour < 1 || c.hour > 12 {
			return badHour12
		}
		if c.hour == 12 {
			c.hour = 0
		}
		if c.pm {
			c.hour += 12
		}
	}
	switch {
	case c.hour == 24 && c.min == 0 && c.sec == 0 && c.us == 0:
		return hour24
	case c.hour > 23:
		return badHour
	case c.min > 59:
		return badMinute
	case c.sec == 60:
		return leapSecond
	case c.sec > 59:
		return badSecond
	}
	return ok
}

// PlaceholderDates names the placeholder dates, for messages.
const PlaceholderDates = "0001-01-01, 9999-12-31, 1900-01-01, 1899-12-30, 1970-01-01 00:00:00"

// placeholderDays are the days (since 1970-01-01) of the placeholder dates
// that count at any time of day: 0001-01-01 (.NET's DateTime.MinValue, Go's
// zero time), 9999-12-31 (DateTime.MaxValue, SQL's "end of time"),
// 1900-01-01 (SQL Server's datetime zero, also written before a bare time
// of day) and 1899-12-30 (day 0 of OLE Automation and Excel).
var placeholderDays = [...]int64{daysFromCivil(1, 1, 1), daysFromCivil(9999, 12, 31), daysFromCivil(1900, 1, 1), daysFromCivil(1899, 12, 30)}

// Placeholder reports whether wall, microseconds since 1970-01-01 00:00:00
// on a wall clock (or an instant read in UTC), is a date that systems write
// for "no date" rather than a time: a day of placeholderDays, or 1970-01-01
// 00:00:00 exactly, the Unix epoch, which a real event hits to the
// microsecond only by default.
func Placeholder(wall int64) bool {
	const dayUs = day * 1e6
	d := wall / dayUs
	if wall%dayUs < 0 {
		d--
	}
	return wall == 0 || slices.Contains(placeholderDays[:], d)
}

// placeholder reports whether the checked fields c, read as the instant
// us, are a placeholder: as written (whatever the offset), or as the
// instant Unix 0. Other years are ruled out without arithmetic.
func (c *civil) placeholder(us int64) bool {
	switch c.year {
	case 1, 9999, 1900, 1899, 1970:
		return us == 0 || Placeholder((daysFromCivil(c.year, c.month, c.day)*day+int64(c.hour*3600+c.min*60+c.sec))*1e6+c.us)
	}
	return us == 0
}

// daysFromCivil counts days since 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms").
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// The instants a Parse may return: 0000-01-01 to 9999-12-31 23:59:59.999999 UTC.
var (
	minMicro = daysFromCivil(0, 1, 1) * 86400 * 1e6
	maxMicro = daysFromCivil(10000, 1, 1)*86400*1e6 - 1
)

func inYears(us int64) (int64, what) {
	if us < minMicro || us > maxMicro {
		return 0, outOfYears
	}
	return us, ok
}

// scanUnix reads [-]digits[.digits] as a count of unit microseconds since
// the Unix epoch. whole is the integer part, for Detect's magnitude test;
// c.pos locates a syntax error.
func scanUnix(b []byte, unit int64, c *civil) (us, whole int64, w what) {
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i++
	}
	start := i
	for i < len(b) && b[i]-'0' <= 9 {
		if whole > maxMicro {
			return 0, 0, outOfYears
		}
		whole = whole*10 + int64(b[i]-'0')
		i++
	}
	if i == start {
		return 0, 0, c.syntax(wantNumber, i)
	}
	var frac int64
	if i < len(b) && b[i] == '.' {
		i++
		start = i
		for scale := unit / 10; i < len(b) && b[i]-'0' <= 9; i++ {
			frac += int64(b[i]-'0') * scale
			scale /= 10
		}
		if i == start {
			return 0, 0, c.syntax(wantFraction, i)
		}
	}
	if i != len(b) {
		return 0, 0, c.syntax(wantEnd, i)
	}
	if whole > maxMicro/unit {
		return 0, 0, outOfYears
	}
	us = whole*unit + frac
	if neg {
		us = -us
	}
	us, w = inYears(us)
	return us, whole, w
}
