package timefmt

import (
	"strconv"
	"strings"
	"time"
)

type kind uint8

const (
	kindNone      kind = iota
	kindDate           // year, month and day in some order, optional clock and offset
	kindClock          // time of day only
	kindUnix           // epoch seconds
	kindUnixMilli      // epoch milliseconds
	kindGo             // forced Go layout the fast path cannot express
)

type order uint8

const (
	ymd order = iota
	dmy
	mdy
)

// Layout is a detected or forced timestamp layout. It is a small
// comparable value, safe for concurrent use: the same detection or Force
// with the same *time.Location yields equal Layouts. The zero Layout
// matches nothing.
//
// Parsing is forgiving about what does not change the meaning of a value:
// surrounding spaces, 'T' or spaces between date and time, missing leading
// zeros in day, month and hour, missing seconds, a fraction of any length
// after '.' or ',' (microseconds are kept, the rest truncated), AM/PM, and
// a UTC offset (Z, ±hh, ±hhmm, ±hh:mm, UTC, GMT, optionally after a space).
// A value with an offset is read with it; a value without one is read in
// the layout's location. A date without a time of day is midnight. What the
// layout fixes is the field order and separator of the date, or the kind
// of number for epoch layouts.
type Layout struct {
	kind   kind
	order  order
	sep    byte
	look   flag  // majority look of the matched values, for String and Zoned
	frac   uint8 // most fraction digits seen, for String
	loc    *time.Location
	zones  *zones
	format string // Force's format as given; "" when detected
	goFmt  string // the Go reference layout behind format
}

// Parse returns microseconds since the Unix epoch (UTC). It does not
// allocate on success. Errors are *Error values wrapping ErrSyntax or
// ErrRange (or ErrPlaceholder). A time-of-day layout returns microseconds
// since midnight. Values are 0000-01-01 to 9999-12-31.
func (l Layout) Parse(b []byte) (int64, error) {
	us, _, err := l.ParseGap(b)
	return us, err
}

// ParseGap is Parse that also reports whether b is a zone-less wall clock
// that does not exist because clocks went forward (02:30 on the last
// Sunday of March in Europe/Amsterdam), which Parse moves forward by the
// gap, so callers can count such values.
func (l Layout) ParseGap(b []byte) (int64, bool, error) {
	b = trim(b)
	var c civil
	switch l.kind {
	case kindDate:
		w := l.scanDate(b, &c)
		if w == ok {
			w = c.check()
		}
		if w != ok {
			return 0, false, l.err(b, w, &c)
		}
		us, w := l.instant(&c)
		if w == ok && c.placeholder(us) {
			w = placeholderDate
		}
		if w != ok {
			return 0, false, l.err(b, w, &c)
		}
		return us, c.flags&skipped != 0, nil
	case kindClock:
		w := scanClock(b, 0, &c, false)
		c.year, c.month, c.day = 1970, 1, 1
		if w == ok {
			w = c.check()
		}
		if w != ok {
			return 0, false, l.err(b, w, &c)
		}
		return int64(c.hour*3600+c.min*60+c.sec)*1e6 + c.us, false, nil
	case kindUnix, kindUnixMilli:
		us, _, w := scanUnix(b, l.unit(), &c)
		if w == ok && us == 0 {
			w = placeholderDate
		}
		if w != ok {
			return 0, false, l.err(b, w, &c)
		}
		return us, false, nil
	case kindGo:
		return l.parseGo(b)
	}
	return 0, false, l.err(b, wantLayout, &c)
}

func (l *Layout) unit() int64 {
	if l.kind == kindUnixMilli {
		return 1e3
	}
	return 1e6
}

// instant converts checked fields to microseconds since the epoch, and
// flags c as skipped when the zone skipped its wall clock. An offset or
// zone can push the edge years out of range.
func (l *Layout) instant(c *civil) (int64, what) {
	w := daysFromCivil(c.year, c.month, c.day)*day + int64(c.hour*3600+c.min*60+c.sec)
	if c.flags&hasOffset != 0 {
		w -= int64(c.off)
	} else {
		var gap bool
		if w, gap = l.zones.utc(w); gap {
			c.flags |= skipped
		}
	}
	return inYears(w*1e6 + c.us)
}

// parseGo is the slow path for forced layouts the scanner cannot express.
// Zone-less values still follow the package's DST rule.
func (l *Layout) parseGo(b []byte) (int64, bool, error) {
	var us int64
	var t time.Time
	var err error
	var gap bool
	if l.look&hasOffset != 0 {
		if t, err = time.ParseInLocation(l.goFmt, string(b), l.loc); err != nil {
			return 0, false, goErr(l, b, err)
		}
		us = t.UnixMicro()
	} else {
		if t, err = time.ParseInLocation(l.goFmt, string(b), time.UTC); err != nil {
			return 0, false, goErr(l, b, err)
		}
		us, gap = l.zones.utc(t.Unix())
		us = us*1e6 + int64(t.Nanosecond()/1e3)
	}
	us, w := inYears(us)
	c := civil{year: t.Year(), month: int(t.Month()), day: t.Day(), hour: t.Hour(), min: t.Minute(), sec: t.Second(), us: int64(t.Nanosecond() / 1e3)}
	if w == ok && c.placeholder(us) {
		w = placeholderDate
	}
	if w != ok {
		return 0, false, l.err(b, w, &c)
	}
	return us, gap, nil
}

// Zoned reports whether values carry their own offset: most sampled values
// had one, the forced format has one, or the layout is an epoch count.
// Values of a zoned date layout that lack an offset are still read in the
// location.
func (l Layout) Zoned() bool {
	return l.kind == kindUnix || l.kind == kindUnixMilli || l.look&hasOffset != 0
}

// Offset returns the UTC offset written in b, in seconds east, and whether
// b carries one; a value the layout cannot read carries none.
func (l Layout) Offset(b []byte) (int, bool) {
	b = trim(b)
	switch l.kind {
	case kindDate:
		c, w := l.sniff(b)
		return c.off, w == ok && c.flags&hasOffset != 0
	case kindGo:
		if l.look&hasOffset == 0 {
			return 0, false
		}
		t, err := time.Parse(l.goFmt, string(b))
		if err != nil {
			return 0, false
		}
		_, off := t.Zone()
		return off, true
	}
	return 0, false
}

// TimeOfDay reports whether the layout reads a time of day without a date,
// the second half of a Split.
func (l Layout) TimeOfDay() bool { return l.kind == kindClock }

// DateOnly reports whether a detected date layout's values carry no time of
// day: the first half of a Split, when a time-of-day column goes with it.
func (l Layout) DateOnly() bool { return l.kind == kindDate && l.format == "" && l.look&hasClock == 0 }

// String describes the layout for `caseflow inspect`, for example
// "yyyy-mm-dd HH:MM:SS.ffffff±hh:mm (ISO 8601, offset in value)" or
// "d/m/yyyy H:MM, zone Europe/Amsterdam".
func (l Layout) String() string {
	s := l.pattern()
	switch {
	case l.kind == kindNone || l.kind == kindUnix || l.kind == kindUnixMilli:
	case l.kind == kindDate && l.order == ymd && l.sep == '-' && l.look&hasOffset != 0:
		s += " (ISO 8601, offset in value)"
	case l.kind == kindDate && l.order == ymd && l.sep == '-':
		s += " (ISO 8601), zone " + l.loc.String()
	case l.kind == kindClock:
		s += " (time of day)"
	case l.look&hasOffset != 0:
		s += " (offset in value)"
	default:
		s += ", zone " + l.loc.String()
	}
	switch {
	case l.kind == kindGo && l.format == l.goFmt: // the pattern already quotes it
		s += ", forced by --time-format"
	case l.format != "":
		s += ", forced by --time-format " + strconv.Quote(l.format)
	}
	return s
}

// pattern spells the layout without its zone, e.g. "d-m-yyyy H:MM".
func (l *Layout) pattern() string {
	var b strings.Builder
	switch l.kind {
	case kindNone:
		return "none"
	case kindUnix:
		return "Unix seconds"
	case kindUnixMilli:
		return "Unix milliseconds"
	case kindGo:
		return "Go layout " + strconv.Quote(l.goFmt)
	case kindDate:
		d, m := "dd", "mm"
		if l.look&unpadded != 0 {
			d, m = "d", "m"
		}
		sep := string(l.sep)
		switch l.order {
		case ymd:
			b.WriteString("yyyy" + sep + m + sep + d)
		case dmy:
			b.WriteString(d + sep + m + sep + "yyyy")
		case mdy:
			b.WriteString(m + sep + d + sep + "yyyy")
		}
		if l.look&hasClock == 0 {
			return b.String()
		}
		if l.look&hasT != 0 {
			b.WriteByte('T')
		} else {
			b.WriteByte(' ')
		}
	}
	h := "HH"
	switch {
	case l.look&(unpadded|hasAMPM) == unpadded|hasAMPM:
		h = "h"
	case l.look&hasAMPM != 0:
		h = "hh"
	case l.look&unpadded != 0:
		h = "H"
	}
	b.WriteString(h + ":MM")
	if l.look&hasSeconds != 0 {
		b.WriteString(":SS")
	}
	if l.frac > 0 {
		b.WriteString("." + strings.Repeat("f", int(l.frac)))
	}
	if l.look&hasAMPM != 0 {
		b.WriteString(" AM/PM")
	}
	if l.look&hasOffset != 0 {
		b.WriteString("±hh:mm")
	}
	return b.String()
}

// swapped names the other day/month order, for hints in errors.
func (l *Layout) swapped() string {
	if l.order == dmy {
		return "month-first"
	}
	return "day-first"
}

// swappedHint is the --time-format for the other day/month order.
func (l *Layout) swappedHint() string {
	other := *l
	other.order = dmy
	if l.order == dmy {
		other.order = mdy
	}
	return strconv.Quote(other.goLayout())
}

// goLayout is a Go reference layout that reads the same values, for the
// --time-format hints in error messages.
func (l *Layout) goLayout() string {
	s := string(l.sep)
	var b strings.Builder
	switch l.order {
	case ymd:
		b.WriteString("2006" + s + "01" + s + "02")
	case dmy:
		b.WriteString("02" + s + "01" + s + "2006")
	case mdy:
		b.WriteString("01" + s + "02" + s + "2006")
	}
	if l.look&hasClock == 0 {
		return b.String()
	}
	if l.look&hasAMPM != 0 {
		b.WriteString(" 3:04")
	} else {
		b.WriteString(" 15:04")
	}
	if l.look&hasSeconds != 0 {
		b.WriteString(":05")
	}
	if l.look&hasAMPM != 0 {
		b.WriteString(" PM")
	}
	if l.look&hasOffset != 0 {
		b.WriteString("Z07:00")
	}
	return b.String()
}
