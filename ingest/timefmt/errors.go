package timefmt

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Sentinels for errors.Is. Parse errors are *Error values wrapping ErrSyntax
// or ErrRange; Detect, Force and Combine wrap the others.
var (
	ErrSyntax       = errors.New("value does not match the timestamp layout")
	ErrRange        = errors.New("timestamp field out of range")
	ErrNoLayout     = errors.New("no timestamp layout fits the values")
	ErrAmbiguous    = errors.New("ambiguous day/month order")
	ErrInconsistent = errors.New("inconsistent day/month order")
	ErrFormat       = errors.New("unusable timestamp format")
	// ErrPlaceholder is a valid date that systems write for "no date"
	// (see the package doc); callers read it as missing.
	ErrPlaceholder = errors.New("placeholder date")
)

// Error says what is wrong with one value. The caller prefixes
// file:line:column. It is built only on failure, so the success path never
// formats text.
type Error struct {
	Value  string // the offending value, without surrounding spaces
	Layout Layout // the layout it was read with
	Err    error  // ErrSyntax or ErrRange
	what   what
	at     civil // the fields as scanned, and pos for syntax errors
	cause  error // Go's own parse error for forced layouts without a fast path
}

// what names the detail of an Error.
type what uint8

const (
	ok what = iota
	// syntax: what was expected at pos
	wantYear
	wantMonth
	wantDay
	wantDateSep
	wantClock
	wantHour
	wantMinute
	wantSecond
	wantFraction
	wantOffset
	wantEnd
	wantNumber
	wantLayout // the zero Layout
	goSyntax   // cause holds Go's error
	// range
	badMonth
	badDay
	badHour
	hour24
	badHour12
	badMinute
	badSecond
	leapSecond
	badOffset
	outOfYears
	dateHasClock
	placeholderDate
)

var expected = [...]string{
	wantYear:     "a 4-digit year",
	wantMonth:    "a month number",
	wantDay:      "a day number",
	wantDateSep:  "the date separator",
	wantClock:    "'T' or a space before the time of day",
	wantHour:     "an hour",
	wantMinute:   "':' and a 2-digit minute",
	wantSecond:   "a 2-digit second",
	wantFraction: "digits after the decimal point",
	wantOffset:   "a UTC offset such as Z, +01:00, +0100 or +01",
	wantEnd:      "the end of the value",
	wantNumber:   "digits",
}

var months = [...]string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var b strings.Builder
	q := strconv.Quote(e.Value)
	switch {
	case e.what == wantLayout:
		return q + " cannot be read: no timestamp layout was chosen (the zero Layout); use Detect or Force"
	case e.what == placeholderDate:
		return q + " is a placeholder that systems write for \"no date\" (" + PlaceholderDates + "), not a time"
	case e.what == goSyntax:
		b.WriteString(q + " does not match layout " + e.Layout.pattern() + ": " + e.cause.Error())
		b.WriteString("; fix the value or pass another --time-format")
		return b.String()
	case e.what < badMonth:
		b.WriteString(q + " does not match layout " + e.Layout.pattern())
		b.WriteString(" (expected " + expected[e.what] + " at byte " + strconv.Itoa(e.at.pos+1) + ")")
		b.WriteString("; fix the value or pass --time-format")
		return b.String()
	}
	c := &e.at
	switch e.what {
	case badMonth:
		b.WriteString("month " + strconv.Itoa(c.month) + " does not exist")
		if e.Layout.order != ymd && c.day >= 1 && c.day <= 12 {
			b.WriteString("; if the column is " + e.Layout.swapped() + ", pass --time-format " + e.Layout.swappedHint())
		}
	case badDay:
		b.WriteString("day " + strconv.Itoa(c.day) + " does not exist in " + months[c.month])
		if c.month == 2 {
			b.WriteString(" " + strconv.Itoa(c.year))
			if c.day == 29 {
				b.WriteString(" (not a leap year)")
			}
		}
	case badHour:
		b.WriteString("hour " + strconv.Itoa(c.hour) + " does not exist (0-23)")
	case hour24:
		b.WriteString("hour 24 is not accepted; write 00:00 of the next day")
	case badHour12:
		b.WriteString("hour " + strconv.Itoa(c.hour) + " does not exist on a 12-hour clock (1-12 with AM/PM)")
	case badMinute:
		b.WriteString("minute " + strconv.Itoa(c.min) + " does not exist (0-59)")
	case badSecond:
		b.WriteString("second " + strconv.Itoa(c.sec) + " does not exist (0-59)")
	case leapSecond:
		b.WriteString("leap second 60 cannot be represented in Unix time")
	case badOffset:
		b.WriteString("UTC offset " + strconv.Itoa(100 + c.off/3600)[1:] + ":" + strconv.Itoa(100 + c.off%3600/60)[1:] + " does not exist (up to 23:59)")
	case outOfYears:
		b.WriteString("instant is outside the years 0000-9999")
		if e.Layout.kind == kindUnix {
			b.WriteString("; are these milliseconds? pass --time-format unixmilli")
		}
	case dateHasClock:
		b.WriteString("the date column has a time of day other than midnight")
	}
	b.WriteString(" in " + q)
	return b.String()
}

// err builds the error for what w found in b; c holds the scanned fields.
func (l *Layout) err(b []byte, w what, c *civil) error {
	e := &Error{Value: string(b), Layout: *l, Err: ErrSyntax, what: w, at: *c}
	switch {
	case w == placeholderDate:
		e.Err = ErrPlaceholder
	case w >= badMonth:
		e.Err = ErrRange
	}
	return e
}

// goErr wraps the error of time.ParseInLocation for a forced layout without
// a fast path; Go reports impossible fields as "out of range".
func goErr(l *Layout, b []byte, err error) error {
	e := &Error{Value: string(b), Layout: *l, Err: ErrSyntax, what: goSyntax, cause: err}
	var pe *time.ParseError
	if errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
		e.Err = ErrRange
	}
	return e
}
