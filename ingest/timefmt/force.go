package timefmt

import (
	"fmt"
	"strings"
	"time"
)

// Force builds the layout named by --time-format, reading zone-less values
// in loc (nil means UTC). format is one of:
//
//   - "unix" or "unixmilli": epoch seconds (a fraction is allowed) or
//     milliseconds, any magnitude within years 0000-9999;
//   - a strftime pattern, recognised by a '%': %Y %m %d %e %H %I %M %S %f
//     %p %z %y %b %B %a %A %j %F %T %%, with %-d %-m %-H %-I %-M %-S for
//     unpadded fields; it is translated to a Go layout;
//   - a Go reference layout such as "02/01/2006 15:04" or
//     "2006-01-02T15:04:05Z07:00".
//
// Layouts the fast scanner reads identically (checked on probe values) use
// it, with its forgiveness; others, such as month names or two-digit
// years, fall back to time.ParseInLocation, which allocates. Zone-less
// values follow the package's DST rule either way. A format must name a
// year, month and day, or be a time of day only (for Combine). A literal Z
// at the end ("2006-01-02T15:04:05Z", "%Y-%m-%dT%H:%M:%SZ") is read as the
// UTC designator it was meant to be.
func Force(format string, loc *time.Location) (Layout, error) {
	if loc == nil {
		loc = time.UTC
	}
	switch format {
	case "unix":
		return Layout{kind: kindUnix, format: format}, nil
	case "unixmilli":
		return Layout{kind: kindUnixMilli, format: format}, nil
	}
	goFmt := format
	if strings.Contains(format, "%") {
		var err error
		if goFmt, err = strftime(format); err != nil {
			return Layout{}, err
		}
	}
	if strings.HasSuffix(goFmt, "Z") {
		// A closing literal Z is a common slip for Z07:00: Go would read
		// "…Z" values in loc, which is never what the export meant.
		goFmt += "07:00"
	}
	slow := Layout{kind: kindGo, loc: loc, zones: zonesFor(loc), format: format, goFmt: goFmt}

	// Probes: a day above 12 fixes the field order, single digits show the
	// padding, and two offsets show whether the layout carries one.
	east, west := time.FixedZone("", 5*3600+1800), time.FixedZone("", -3*3600)
	var probes []string
	for _, z := range []*time.Location{loc, east, west} {
		probes = append(probes,
			time.Date(2033, 11, 25, 13, 47, 58, 123456789, z).Format(goFmt),
			time.Date(2004, 2, 9, 4, 5, 6, 500000000, z).Format(goFmt))
	}
	if t, err := time.ParseInLocation(goFmt, probes[2], time.UTC); err == nil && t.Location() != time.UTC {
		slow.look |= hasOffset
	}
	clockOnly := false
	if t, err := time.Parse(goFmt, probes[0]); err != nil {
		return Layout{}, fmt.Errorf("%w: --time-format %q cannot read its own output %q: %v", ErrFormat, format, probes[0], err)
	} else if t.Year() != 2033 || t.Month() != 11 || t.Day() != 25 {
		if t.Year() != 0 || t.Month() != 1 || t.Day() != 1 || t.Hour() != 13 || t.Minute() != 47 {
			return Layout{}, fmt.Errorf("%w: --time-format %q must contain a year, month and day (Go layout such as \"02/01/2006 15:04\", or strftime such as \"%%d/%%m/%%Y %%H:%%M\")", ErrFormat, format)
		}
		clockOnly = true
	} else if t.Hour() == 13 {
		// A date-only format can be the date half of a Split.
		slow.look |= hasClock
	}

	fast, err := Detect(probes, loc)
	if err != nil || fast.kind != kindDate && fast.kind != kindClock || (fast.kind == kindClock) != clockOnly {
		if clockOnly {
			return Layout{}, fmt.Errorf("%w: --time-format %q reads only a time of day in a form that is not H:MM[:SS[.fff]] [AM/PM]", ErrFormat, format)
		}
		return slow, nil
	}
	fast.format, fast.goFmt = format, goFmt
	for _, p := range probes {
		got, err := fast.Parse([]byte(p))
		if err != nil {
			return slow, nil
		}
		var want int64
		if clockOnly {
			t, _ := time.Parse(goFmt, p)
			want = int64(t.Hour()*3600+t.Minute()*60+t.Second())*1e6 + int64(t.Nanosecond()/1e3)
		} else if want, err = slow.Parse([]byte(p)); err != nil {
			return slow, nil
		}
		if got != want {
			return slow, nil
		}
	}
	return fast, nil
}

var strftimeVerbs = map[string]string{
	"Y": "2006", "m": "01", "d": "02", "e": "_2", "H": "15", "I": "03", "M": "04", "S": "05",
	"f": "000000", "p": "PM", "z": "-0700", "y": "06", "b": "Jan", "B": "January",
	"a": "Mon", "A": "Monday", "j": "002", "F": "2006-01-02", "T": "15:04:05", "%": "%",
	"-d": "2", "-m": "1", "-H": "15", "-I": "3", "-M": "4", "-S": "5",
}

// strftime translates a strftime pattern to a Go reference layout.
func strftime(format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		verb := format[i+1 : min(i+2, len(format))]
		if verb == "-" {
			verb = format[i+1 : min(i+3, len(format))]
		}
		g, ok := strftimeVerbs[verb]
		if !ok {
			return "", fmt.Errorf("%w: --time-format %q: %%%s is not a supported strftime directive (use %%Y %%m %%d %%H %%M %%S %%f %%z and friends, or a Go layout such as \"2006-01-02 15:04:05\")", ErrFormat, format, verb)
		}
		b.WriteString(g)
		i += len(verb)
	}
	return b.String(), nil
}

// Split reads timestamps whose date and time of day are in two columns
// (datum and tijdstip). Build it with Combine.
type Split struct {
	Date  Layout // a date layout; zone-less values are read in its location
	Clock Layout // a time-of-day layout
}

// Combine pairs a date layout with a time-of-day layout, both from Detect
// or Force. The date layout may be any date-only --time-format, such as
// "%y%m%d", which only the slow path reads.
func Combine(date, clock Layout) (Split, error) {
	if date.kind != kindDate && (date.kind != kindGo || date.look&(hasClock|hasOffset) != 0) {
		return Split{}, fmt.Errorf("%w: the date column's layout %s is not a date", ErrFormat, date.pattern())
	}
	if clock.kind != kindClock {
		return Split{}, fmt.Errorf("%w: the time column's layout %s is not a time of day", ErrFormat, clock.pattern())
	}
	return Split{Date: date, Clock: clock}, nil
}

// Parse returns microseconds since the Unix epoch for a date value and a
// time-of-day value, without allocating on success. A date value may carry
// a time of day only if it is midnight (spreadsheets append 00:00:00). An
// *Error's Layout tells which column was wrong.
func (s Split) Parse(date, clock []byte) (int64, error) {
	us, _, err := s.ParseGap(date, clock)
	return us, err
}

// ParseGap is Parse that also reports a wall clock skipped when clocks
// went forward, as Layout.ParseGap does.
func (s Split) ParseGap(date, clock []byte) (int64, bool, error) {
	if s.Date.kind != kindDate && s.Date.kind != kindGo || s.Clock.kind != kindClock {
		return 0, false, s.Date.err(date, wantLayout, &civil{})
	}
	date, clock = trim(date), trim(clock)
	var d, c civil
	var w what
	if s.Date.kind == kindGo {
		t, err := time.Parse(s.Date.goFmt, string(date))
		if err != nil {
			return 0, false, goErr(&s.Date, date, err)
		}
		y, m, day := t.Date()
		d.year, d.month, d.day = y, int(m), day
	} else if w = s.Date.scanDate(date, &d); w == ok {
		w = d.check()
	}
	if w == ok && (d.hour != 0 || d.min != 0 || d.sec != 0 || d.us != 0 || d.flags&hasOffset != 0) {
		w = dateHasClock
	}
	if w != ok {
		return 0, false, s.Date.err(date, w, &d)
	}
	w = scanClock(clock, 0, &c, false)
	c.year, c.month, c.day = d.year, d.month, d.day
	if w == ok {
		w = c.check()
	}
	if w != ok {
		return 0, false, s.Clock.err(clock, w, &c)
	}
	us, w := s.Date.instant(&c)
	if w == ok && c.placeholder(us) {
		w = placeholderDate
	}
	if w != ok {
		return 0, false, s.Date.err(date, w, &d)
	}
	return us, c.flags&skipped != 0, nil
}

// String describes both columns, e.g. "d-m-yyyy + H:MM, zone Europe/Amsterdam".
func (s Split) String() string {
	return s.Date.pattern() + " + " + s.Clock.pattern() + ", zone " + s.Date.loc.String()
}
