package timefmt

import (
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests must not depend on the machine's zoneinfo
)

func load(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// utc is the expected answer written as a UTC wall clock, which has no DST.
func utc(y, mo, d, h, mi, s, ns int) int64 {
	return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC).UnixMicro()
}

func TestParse(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	// time.Date in a location is an independent answer wherever the wall
	// clock is unique, which holds for every zone-less case here.
	in := func(loc *time.Location, y, mo, d, h, mi, s, ns int) int64 {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, loc).UnixMicro()
	}
	tests := []struct {
		name    string
		samples []string // for Detect; nil means the value alone
		loc     *time.Location
		value   string
		want    int64
	}{
		{"receipt log", nil, ams, "2011-10-11 13:45:40.276000+02:00", utc(2011, 10, 11, 11, 45, 40, 276e6)},
		{"receipt log, zero fraction omitted", []string{"2011-10-11 13:45:40.276000+02:00"}, ams, "2011-10-11 13:45:40+02:00", utc(2011, 10, 11, 11, 45, 40, 0)},
		{"BPIC 2014 in Amsterdam", nil, ams, "2013-02-13 12:03:35", in(ams, 2013, 2, 13, 12, 3, 35, 0)},
		{"BPIC 2014 in UTC", nil, time.UTC, "2013-02-13 12:03:35", utc(2013, 2, 13, 12, 3, 35, 0)},
		{"BPIC 2014, nil location is UTC", nil, nil, "2013-02-13 12:03:35", utc(2013, 2, 13, 12, 3, 35, 0)},
		{"BPIC 2013", nil, ams, "2006-01-11T15:49:42+01:00", utc(2006, 1, 11, 14, 49, 42, 0)},
		{"helpdesk", nil, ams, "2012-10-09T14:50:17+00:00", utc(2012, 10, 9, 14, 50, 17, 0)},
		{"Z", nil, ams, "2021-03-09T08:05:00Z", utc(2021, 3, 9, 8, 5, 0, 0)},
		{"+0100", nil, ams, "2021-03-09T08:05:00+0100", utc(2021, 3, 9, 7, 5, 0, 0)},
		{"+01", nil, ams, "2021-03-09 08:05:00+01", utc(2021, 3, 9, 7, 5, 0, 0)},
		{"-05:30", nil, ams, "2021-03-09T08:05:00-05:30", utc(2021, 3, 9, 13, 35, 0, 0)},
		{"space UTC", nil, ams, "2021-03-09 08:05:00 UTC", utc(2021, 3, 9, 8, 5, 0, 0)},
		{"minutes without seconds", nil, ams, "2021-03-09T08:05", in(ams, 2021, 3, 9, 8, 5, 0, 0)},
		{"minutes with offset", nil, ams, "2021-03-09T08:05+02:00", utc(2021, 3, 9, 6, 5, 0, 0)},
		{"date only", nil, ams, "2021-03-09", in(ams, 2021, 3, 9, 0, 0, 0, 0)},
		{"date only in summer", nil, ams, "2021-07-01", utc(2021, 6, 30, 22, 0, 0, 0)},
		{"unpadded ISO", nil, time.UTC, "2021-3-9 8:05", utc(2021, 3, 9, 8, 5, 0, 0)},
		{"fraction 1 digit", nil, time.UTC, "2021-03-09 08:05:00.1", utc(2021, 3, 9, 8, 5, 0, 100e6)},
		{"fraction 9 digits truncated", nil, time.UTC, "2021-03-09 08:05:00.123456789", utc(2021, 3, 9, 8, 5, 0, 123456000)},
		{"fraction 7 digits truncated", nil, time.UTC, "2021-03-09 08:05:00.9999999Z", utc(2021, 3, 9, 8, 5, 0, 999999000)},
		{"fraction 12 digits truncated", nil, time.UTC, "2021-03-09 08:05:00.000001999999", utc(2021, 3, 9, 8, 5, 0, 1000)},
		{"decimal comma", nil, time.UTC, "2021-03-09 08:05:00,5", utc(2021, 3, 9, 8, 5, 0, 500e6)},
		{"surrounding spaces", nil, time.UTC, "  2021-03-09 08:05\t", utc(2021, 3, 9, 8, 5, 0, 0)},
		{"yyyy/mm/dd", nil, time.UTC, "2021/03/09 08:05", utc(2021, 3, 9, 8, 5, 0, 0)},
		{"before 1900 (slow path)", nil, ams, "1849-05-01 10:00:00", in(ams, 1849, 5, 1, 10, 0, 0, 0)},
		{"last before the placeholder 9999-12-31", nil, ams, "9999-12-30 23:59:59.999999", in(ams, 9999, 12, 30, 23, 59, 59, 999999000)},
		{"year 0000", nil, time.UTC, "0000-01-01T00:00:00Z", utc(0, 1, 1, 0, 0, 0, 0)},
		{"leap day 2024", nil, time.UTC, "2024-02-29 12:00", utc(2024, 2, 29, 12, 0, 0, 0)},
		{"leap day 2000", nil, time.UTC, "2000-02-29", utc(2000, 2, 29, 0, 0, 0, 0)},
		{"Dutch d-m-yyyy H:MM", []string{"9-3-2021 8:05", "25-3-2021 13:45"}, ams, "9-3-2021 8:05", in(ams, 2021, 3, 9, 8, 5, 0, 0)},
		{"Dutch dd-mm-yyyy HH:MM:SS", []string{"09-03-2021 08:05:00", "25-03-2021 13:45:00"}, ams, "09-03-2021 08:05:00", in(ams, 2021, 3, 9, 8, 5, 0, 0)},
		{"Dutch, two spaces", []string{"9-3-2021 8:05", "25-3-2021 13:45"}, ams, "9-3-2021  8:05", in(ams, 2021, 3, 9, 8, 5, 0, 0)},
		{"d/m/yyyy H:MM", nil, time.UTC, "25/3/2021 8:05", utc(2021, 3, 25, 8, 5, 0, 0)},
		{"d/m/yyyy date only", nil, time.UTC, "25/3/2021", utc(2021, 3, 25, 0, 0, 0, 0)},
		{"d.m.yyyy", nil, time.UTC, "25.03.2021 08:05:09", utc(2021, 3, 25, 8, 5, 9, 0)},
		{"leap day day-first", nil, time.UTC, "29/2/2024", utc(2024, 2, 29, 0, 0, 0, 0)},
		{"m/d/yyyy PM", nil, time.UTC, "3/25/2021 1:05 PM", utc(2021, 3, 25, 13, 5, 0, 0)},
		{"m/d/yyyy 12 AM is midnight", []string{"3/25/2021 1:05 PM"}, time.UTC, "12/31/2021 12:00 AM", utc(2021, 12, 31, 0, 0, 0, 0)},
		{"m/d/yyyy 12 pm is noon", []string{"3/25/2021 1:05 PM"}, time.UTC, "1/1/2021 12:30 pm", utc(2021, 1, 1, 12, 30, 0, 0)},
		{"m/d/yyyy 24-hour", nil, time.UTC, "12/25/2021 23:59:59", utc(2021, 12, 25, 23, 59, 59, 0)},
		{"epoch seconds", nil, nil, "1318333540", 1318333540_000000},
		{"epoch seconds with fraction", nil, nil, "1318333540.276", 1318333540_276000},
		{"epoch seconds fraction truncated", []string{"1318333540"}, nil, "1318333540.2769999", 1318333540_276999},
		{"epoch seconds, any magnitude once detected", []string{"1318333540"}, nil, "86400", 86400_000000},
		{"epoch seconds negative", []string{"1318333540"}, nil, "-86400.5", -86400_500000},
		{"epoch milliseconds", nil, nil, "1318333540276", 1318333540_276000},
		{"epoch milliseconds with fraction", []string{"1318333540276"}, nil, "1318333540276.5", 1318333540_276500},
		{"time of day", nil, nil, "13:45:40.5", (13*3600+45*60+40)*1e6 + 500000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			samples := tt.samples
			if samples == nil {
				samples = []string{tt.value}
			}
			l, err := Detect(samples, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := l.Parse([]byte(tt.value))
			if err != nil {
				t.Fatalf("Parse(%q) with %v: %v", tt.value, l, err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) with %v = %d (%v), want %d (%v)", tt.value, l, got, time.UnixMicro(got).UTC(), tt.want, time.UnixMicro(tt.want).UTC())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	detect := func(loc *time.Location, samples ...string) Layout {
		l, err := Detect(samples, loc)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	iso := detect(time.UTC, "2021-03-09 08:05:00")
	dmy := detect(ams, "25-3-2021 8:05")
	mdy := detect(time.UTC, "3/25/2021 1:05 PM")
	unix := detect(nil, "1318333540")
	tests := []struct {
		layout Layout
		value  string
		is     error
		want   string
	}{
		{iso, "2023-02-29 10:00:00", ErrRange, `day 29 does not exist in February 2023 (not a leap year) in "2023-02-29 10:00:00"`},
		{iso, "1900-02-29", ErrRange, "day 29 does not exist in February 1900 (not a leap year)"},
		{iso, "2021-04-31", ErrRange, "day 31 does not exist in April"},
		{iso, "2021-02-30", ErrRange, "day 30 does not exist in February 2021"},
		{iso, "2021-03-00", ErrRange, "day 0 does not exist in March"},
		{iso, "2021-13-01", ErrRange, "month 13 does not exist"},
		{iso, "2021-00-01", ErrRange, "month 0 does not exist"},
		{iso, "2021-03-09 24:00:00", ErrRange, "hour 24 is not accepted; write 00:00 of the next day"},
		{iso, "2021-03-09 25:00", ErrRange, "hour 25 does not exist (0-23)"},
		{iso, "2021-03-09 08:60", ErrRange, "minute 60 does not exist"},
		{iso, "2021-03-09 08:05:60", ErrRange, "leap second 60 cannot be represented"},
		{iso, "2021-03-09 08:05:61", ErrRange, "second 61 does not exist"},
		{iso, "2021-03-09T08:05:00+24:00", ErrRange, "UTC offset 24:00 does not exist (up to 23:59)"},
		{iso, "2021-03-09 08:05 foo", ErrSyntax, `"2021-03-09 08:05 foo" does not match layout yyyy-mm-dd HH:MM:SS (expected a UTC offset such as Z, +01:00, +0100 or +01 at byte 18); fix the value or pass --time-format`},
		{iso, "09-03-2021", ErrSyntax, "(expected a 4-digit year at byte 1)"},
		{iso, "2021-03-09T", ErrSyntax, "(expected an hour at byte 12)"},
		{iso, "2021-03-09 08:05:00.", ErrSyntax, "(expected digits after the decimal point at byte 21)"},
		{iso, "2021-03-09 8", ErrSyntax, "(expected ':' and a 2-digit minute at byte 13)"},
		{iso, "2021-03-09 08:05:00+1", ErrSyntax, "(expected a UTC offset"},
		{iso, "2021/03/09", ErrSyntax, "(expected the date separator at byte 5)"},
		{iso, "", ErrSyntax, "expected a 4-digit year at byte 1"},
		{dmy, "9-3-21 8:05", ErrSyntax, `"9-3-21 8:05" does not match layout d-m-yyyy H:MM (expected a 4-digit year at byte 5)`},
		{dmy, "3-13-2021 8:05", ErrRange, `month 13 does not exist; if the column is month-first, pass --time-format "01-02-2006 15:04" in "3-13-2021 8:05"`},
		{dmy, "31-4-2021 8:05", ErrRange, "day 31 does not exist in April"},
		{mdy, "3/25/2021 13:05 PM", ErrRange, "hour 13 does not exist on a 12-hour clock"},
		{mdy, "3/25/2021 0:05 AM", ErrRange, "hour 0 does not exist on a 12-hour clock"},
		{mdy, "25/3/2021 1:05 PM", ErrRange, `month 25 does not exist`},
		{unix, "1318333540276000", ErrRange, "outside the years 0000-9999; are these milliseconds? pass --time-format unixmilli"},
		{unix, "13183x", ErrSyntax, `"13183x" does not match layout Unix seconds (expected the end of the value at byte 6)`},
		{unix, "1.", ErrSyntax, "expected digits after the decimal point"},
		{Layout{}, "2021-03-09", ErrSyntax, "no timestamp layout was chosen"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, err := tt.layout.Parse([]byte(tt.value))
			if !errors.Is(err, tt.is) {
				t.Fatalf("Parse(%q) error %v, want %v", tt.value, err, tt.is)
			}
			var e *Error
			if !errors.As(err, &e) || e.Value != strings.TrimSpace(tt.value) || e.Layout != tt.layout {
				t.Fatalf("error %#v does not carry the value and layout", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error\n%s\nwant it to contain\n%s", tt.value, err, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	tests := []struct {
		name    string
		samples []string
		loc     *time.Location
		want    string // String() of the layout
		err     error
		msg     []string // parts of the error message
	}{
		{name: "receipt log", samples: []string{"2011-10-11 13:45:40.276000+02:00", "2011-12-06 13:41:31.788000+01:00"}, loc: ams,
			want: "yyyy-mm-dd HH:MM:SS.ffffff±hh:mm (ISO 8601, offset in value)"},
		{name: "BPIC 2014", samples: []string{"2013-02-13 12:03:35", "2013-11-08 13:54:13"}, loc: ams,
			want: "yyyy-mm-dd HH:MM:SS (ISO 8601), zone Europe/Amsterdam"},
		{name: "BPIC 2013", samples: []string{"2006-01-11T15:49:42+01:00", "2012-03-15T11:53:52+01:00"}, loc: ams,
			want: "yyyy-mm-ddTHH:MM:SS±hh:mm (ISO 8601, offset in value)"},
		{name: "Dutch unpadded", samples: []string{"9-3-2021 8:05", "25-3-2021 13:45"}, loc: ams,
			want: "d-m-yyyy H:MM, zone Europe/Amsterdam"},
		{name: "Dutch padded", samples: []string{"09-03-2021 08:05:00", "25-03-2021 13:45:00"}, loc: ams,
			want: "dd-mm-yyyy HH:MM:SS, zone Europe/Amsterdam"},
		{name: "dotted date only", samples: []string{"25.3.2021"}, want: "d.m.yyyy, zone UTC"},
		{name: "month-first proven", samples: []string{"3/9/2021 8:05 AM", "3/25/2021 1:05 PM"},
			want: "m/d/yyyy h:MM AM/PM, zone UTC"},
		{name: "bad values tolerated", samples: []string{"2021-03-09 08:05:00", "n/a", "2021-03-10 09:00:00", "?"},
			want: "yyyy-mm-dd HH:MM:SS (ISO 8601), zone UTC"},
		{name: "majority wins", samples: []string{"2021-03-09", "2021-03-10", "25/3/2021"}, want: "yyyy-mm-dd (ISO 8601), zone UTC"},
		{name: "empty samples skipped", samples: []string{"", "  ", "2021-03-09"}, want: "yyyy-mm-dd (ISO 8601), zone UTC"},
		{name: "epoch seconds", samples: []string{"1318333540", "1318333541.5"}, loc: ams, want: "Unix seconds"},
		{name: "epoch seconds, 9 digits", samples: []string{"100000000"}, want: "Unix seconds"},
		{name: "epoch milliseconds", samples: []string{"1318333540276", "100000000000"}, want: "Unix milliseconds"},
		{name: "time of day", samples: []string{"8:05", "13:45:40"}, loc: ams, want: "H:MM:SS (time of day)"},

		{name: "nothing", samples: nil, err: ErrNoLayout, msg: []string{"no non-empty values"}},
		{name: "only empty", samples: []string{"", " "}, err: ErrNoLayout, msg: []string{"no non-empty values"}},
		{name: "words", samples: []string{"hello", "world"}, err: ErrNoLayout, msg: []string{`none of the 2 values looks like a timestamp (e.g. "hello")`, "--time-format"}},
		{name: "ids are not epochs", samples: []string{"42", "17", "99999999"}, err: ErrNoLayout},
		{name: "epochs above 1e14", samples: []string{"100000000000000"}, err: ErrNoLayout},
		{name: "compact date is not an epoch", samples: []string{"20210309"}, err: ErrNoLayout},
		{name: "impossible date is no proof", samples: []string{"31/04/2021"}, err: ErrNoLayout},
		{name: "fewer than half", samples: []string{"2021-03-09", "x", "y", "z"}, err: ErrNoLayout,
			msg: []string{"only 1 of 4 values fit the best layout yyyy-mm-dd", `"x" does not`}},
		{name: "ambiguous", samples: []string{"9-3-2021 8:05", "10-3-2021 9:00"}, err: ErrAmbiguous,
			msg: []string{`"9-3-2021 8:05"`, `--time-format "02-01-2006 15:04" for day-first`, `"01-02-2006 15:04" for month-first`}},
		{name: "ambiguous slashes", samples: []string{"01/02/2021"}, err: ErrAmbiguous,
			msg: []string{`"02/01/2006"`, `"01/02/2006"`}},
		{name: "inconsistent", samples: []string{"1/2/2021", "25/3/2021", "3/25/2021"}, err: ErrInconsistent,
			msg: []string{`"25/3/2021" can only be day-first`, `"3/25/2021" can only be month-first`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Detect(tt.samples, tt.loc)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Detect error %v, want %v (layout %v)", err, tt.err, l)
				}
				for _, m := range tt.msg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("error %q lacks %q", err, m)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := l.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if again, _ := Detect(tt.samples, tt.loc); again != l {
				t.Error("the same samples gave a different Layout")
			}
		})
	}
}

func TestZoned(t *testing.T) {
	for _, tt := range []struct {
		sample string
		want   bool
	}{
		{"2011-10-11 13:45:40.276000+02:00", true},
		{"2021-03-09T08:05:00Z", true},
		{"2013-02-13 12:03:35", false},
		{"25/3/2021 8:05", false},
		{"1318333540", true},
		{"8:05", false},
	} {
		l, err := Detect([]string{tt.sample}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if l.Zoned() != tt.want {
			t.Errorf("%q: Zoned() = %v, want %v", tt.sample, l.Zoned(), tt.want)
		}
	}
}

// lastSunday finds the last Sunday of a month with time's own calendar.
func lastSunday(y int, m time.Month) int {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return d.Day() - int(d.Weekday())
}

func TestDST(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	ny := load(t, "America/New_York")
	lhi := load(t, "Australia/Lord_Howe") // +10:30, +11:00 in summer: a 30-minute shift
	force := func(loc *time.Location) Layout {
		l, err := Force("2006-01-02 15:04:05", loc)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	ts := func(y int, m time.Month, d int, clock string) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02 ") + clock
	}
	// Beyond the 1900-2099 table, the EU rule still applies through the
	// slow path: last Sunday of March and October, 01:00 UTC.
	mar, oct := lastSunday(2150, time.March), lastSunday(2150, time.October)
	tests := []struct {
		loc   *time.Location
		value string
		want  int64
	}{
		{ams, "2021-03-28 01:59:59", utc(2021, 3, 28, 0, 59, 59, 0)},
		{ams, "2021-03-28 02:00:00", utc(2021, 3, 28, 1, 0, 0, 0)},  // skipped: 03:00 CEST
		{ams, "2021-03-28 02:30:00", utc(2021, 3, 28, 1, 30, 0, 0)}, // skipped: 03:30 CEST
		{ams, "2021-03-28 02:59:59.999999", utc(2021, 3, 28, 1, 59, 59, 999999000)},
		{ams, "2021-03-28 03:00:00", utc(2021, 3, 28, 1, 0, 0, 0)},
		{ams, "2021-10-31 01:59:59", utc(2021, 10, 30, 23, 59, 59, 0)},
		{ams, "2021-10-31 02:00:00", utc(2021, 10, 31, 0, 0, 0, 0)}, // twice: the CEST one
		{ams, "2021-10-31 02:30:00", utc(2021, 10, 31, 0, 30, 0, 0)},
		{ams, "2021-10-31 02:59:59.999999", utc(2021, 10, 31, 0, 59, 59, 999999000)},
		{ams, "2021-10-31 03:00:00", utc(2021, 10, 31, 2, 0, 0, 0)},
		{ams, ts(2150, time.March, mar, "02:30:00"), utc(2150, 3, mar, 1, 30, 0, 0)},
		{ams, ts(2150, time.October, oct, "02:30:00"), utc(2150, 10, oct, 0, 30, 0, 0)},
		{ams, ts(2150, time.October, oct, "03:00:00"), utc(2150, 10, oct, 2, 0, 0, 0)},
		{ny, "2021-03-14 02:30:00", utc(2021, 3, 14, 7, 30, 0, 0)},
		{ny, "2021-11-07 01:30:00", utc(2021, 11, 7, 5, 30, 0, 0)},
		{ny, "2021-11-07 02:00:00", utc(2021, 11, 7, 7, 0, 0, 0)},
		{lhi, "2021-04-04 01:45:00", utc(2021, 4, 3, 14, 45, 0, 0)}, // twice: the +11 one
		{lhi, "2021-04-04 02:00:00", utc(2021, 4, 3, 15, 30, 0, 0)},
		{lhi, "2021-10-03 02:15:00", utc(2021, 10, 2, 15, 45, 0, 0)}, // skipped: read at +10:30
	}
	for _, tt := range tests {
		t.Run(tt.loc.String()+" "+tt.value, func(t *testing.T) {
			got, err := force(tt.loc).Parse([]byte(tt.value))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", time.UnixMicro(got).UTC(), time.UnixMicro(tt.want).UTC())
			}
		})
	}
}

// TestZoneTable checks the precomputed table and the slow path against a
// brute-force oracle: every instant whose wall clock is w is found among
// w minus each offset in force within a day; the answer is the earliest,
// or for a skipped wall w minus the offset in force before the gap.
func TestZoneTable(t *testing.T) {
	offsetAt := func(loc *time.Location, u int64) int64 {
		_, o := time.Unix(u, 0).In(loc).Zone()
		return int64(o)
	}
	spans := [][2]int{{2010, 2012}, {2099, 2101}} // inside the table, and across its end
	for _, name := range []string{"Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
		"America/Sao_Paulo", "Africa/Casablanca", "Pacific/Apia", "UTC"} {
		loc := load(t, name)
		z := zonesFor(loc)
		for _, span := range spans {
			from := time.Date(span[0], 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			to := time.Date(span[1], 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			for w := from; w < to; w += 1800 {
				var offs []int64
				for u := w - day; u <= w+day; u += 3 * 3600 {
					if o := offsetAt(loc, u); !containsInt(offs, o) {
						offs = append(offs, o)
					}
				}
				want, found := int64(0), false
				maxOff := offs[0]
				for _, o := range offs {
					maxOff = max(maxOff, o)
					if u := w - o; offsetAt(loc, u) == o && (!found || u < want) {
						want, found = u, true
					}
				}
				if !found {
					want = w - offsetAt(loc, w-maxOff)
				}
				// A wall no instant has is skipped: the gap the callers count.
				if got, gap := z.utc(w); got != want || gap != !found {
					t.Fatalf("%s wall %v: got %v skipped %v, want %v skipped %v", name, time.Unix(w, 0).UTC(), time.Unix(got, 0).UTC(), gap, time.Unix(want, 0).UTC(), !found)
				}
				if z != nil {
					if got, gap := z.slow(w); got != want || gap != !found {
						t.Fatalf("%s wall %v: slow path got %v skipped %v, want %v skipped %v", name, time.Unix(w, 0).UTC(), time.Unix(got, 0).UTC(), gap, time.Unix(want, 0).UTC(), !found)
					}
				}
			}
		}
	}
}

func containsInt(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestUTCRun reads a run of ten-minute steps across the 2021 autumn
// transition date in UTC, where nothing may repeat or jump.
func TestUTCRun(t *testing.T) {
	l, err := Detect([]string{"2021-10-31 00:00"}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2021, 10, 30, 0, 0, 0, 0, time.UTC)
	for i := range 3 * 144 {
		want := start.Add(time.Duration(i) * 10 * time.Minute)
		got, err := l.Parse([]byte(want.Format("2006-01-02 15:04")))
		if err != nil || got != want.UnixMicro() {
			t.Fatalf("%v: got %v, %v", want, time.UnixMicro(got).UTC(), err)
		}
	}
}

// TestAgainstTime compares with time.Parse on random instants formatted
// by time.Format in several layouts.
func TestAgainstTime(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	rng := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, tt := range []struct {
		goLayout string
		zone     *time.Location // the zone values are written in
		loc      *time.Location // the zone zone-less values are read in
	}{
		{"2006-01-02 15:04:05.999999-07:00", ams, time.UTC},
		{"2006-01-02T15:04:05.000Z07:00", time.FixedZone("", -9*3600-1800), time.UTC},
		{"2006-01-02T15:04:05-0700", time.FixedZone("", 13*3600+45*60), time.UTC},
		{"2006-01-02 15:04:05", ams, ams},
		{"2/1/2006 15:04", ams, ams},
		{"02.01.2006 15:04:05", time.UTC, time.UTC},
		{"1/2/2006 3:04:05 PM", ams, ams},
	} {
		l, err := Force(tt.goLayout, tt.loc)
		if err != nil || l.kind == kindGo {
			t.Fatalf("%s: %v %v", tt.goLayout, l, err)
		}
		for range 20000 {
			at := time.Unix(rng.Int64N(hi-lo)+lo, rng.Int64N(1e9)).In(tt.zone)
			s := at.Format(tt.goLayout)
			want, err := time.ParseInLocation(tt.goLayout, s, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := l.Parse([]byte(s))
			if err != nil {
				t.Fatalf("%s: %v", tt.goLayout, err)
			}
			if got != want.UnixMicro() {
				// Only the repeated autumn hour may differ, where this
				// package promises the earlier instant and Go promises none.
				earlier := want.Add(-time.Hour)
				if got != earlier.UnixMicro() || earlier.Format(tt.goLayout) != s {
					t.Fatalf("%s: %q: got %v, want %v", tt.goLayout, s, time.UnixMicro(got).UTC(), want.UTC())
				}
			}
		}
	}
}

func TestForce(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	in := func(y, mo, d, h, mi, s int) int64 {
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, ams).UnixMicro()
	}
	tests := []struct {
		format string
		value  string
		want   int64
		fast   bool // read by the scanner, not time.ParseInLocation
	}{
		{"2006-01-02 15:04:05", "2013-02-13 12:03:35", in(2013, 2, 13, 12, 3, 35), true},
		{"02/01/2006 15:04", "25/03/2021 08:05", in(2021, 3, 25, 8, 5, 0), true},
		{"2/1/2006 15:04", "9/3/2021 8:05", in(2021, 3, 9, 8, 5, 0), true},
		{"01/02/2006", "03/09/2021", in(2021, 3, 9, 0, 0, 0), true},
		{"02-01-2006 15:04:05", "09-03-2021 08:05:00", in(2021, 3, 9, 8, 5, 0), true},
		{"2006-01-02T15:04:05.000Z07:00", "2021-03-09T08:05:00.123+01:00", utc(2021, 3, 9, 7, 5, 0, 123e6), true},
		{"%d-%m-%Y %H:%M:%S", "09-03-2021 08:05:00", in(2021, 3, 9, 8, 5, 0), true},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2011-10-11T13:45:40.276000+0200", utc(2011, 10, 11, 11, 45, 40, 276e6), true},
		{"%-d/%-m/%Y %-H:%M", "9/3/2021 8:05", in(2021, 3, 9, 8, 5, 0), true},
		{"%m/%d/%Y %I:%M %p", "03/09/2021 01:05 PM", in(2021, 3, 9, 13, 5, 0), true},
		{"%F %T", "2021-10-31 02:30:00", utc(2021, 10, 31, 0, 30, 0, 0), true},
		{"2006-01-02T15:04:05Z", "2021-03-09T08:05:00Z", utc(2021, 3, 9, 8, 5, 0, 0), true},
		{"%Y-%m-%dT%H:%M:%SZ", "2021-03-09T08:05:00Z", utc(2021, 3, 9, 8, 5, 0, 0), true},
		{"Jan 2, 2006 15:04", "Oct 31, 2021 02:30", utc(2021, 10, 31, 0, 30, 0, 0), false}, // DST rule on the slow path too
		{"Jan 2, 2006 15:04", "Mar 28, 2021 02:30", utc(2021, 3, 28, 1, 30, 0, 0), false},
		{"02-Jan-2006 15:04:05 -0700", "09-Mar-2021 08:05:00 +0200", utc(2021, 3, 9, 6, 5, 0, 0), false},
		{"%d %b %Y", "09 Mar 2021", in(2021, 3, 9, 0, 0, 0), false},
		{"02/01/06 15:04", "09/03/21 08:05", in(2021, 3, 9, 8, 5, 0), false},
		{"unix", "-1.5", -1500000, true},
		{"unix", "253402300799", 253402300799 * 1e6, true}, // 9999-12-31 23:59:59
		{"unixmilli", "1318333540276", 1318333540276 * 1e3, true},
		{"15:04", "08:05", (8*3600 + 5*60) * 1e6, true},
		{"%I:%M %p", "12:05 AM", 5 * 60 * 1e6, true},
	}
	for _, tt := range tests {
		t.Run(tt.format+" "+tt.value, func(t *testing.T) {
			l, err := Force(tt.format, ams)
			if err != nil {
				t.Fatal(err)
			}
			if (l.kind != kindGo) != tt.fast {
				t.Errorf("fast path = %v, want %v (%v)", l.kind != kindGo, tt.fast, l)
			}
			if !strings.Contains(l.String(), "forced by --time-format") {
				t.Errorf("String() %q does not say it was forced", l)
			}
			got, err := l.Parse([]byte(tt.value))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", time.UnixMicro(got).UTC(), time.UnixMicro(tt.want).UTC())
			}
		})
	}
	for _, bad := range []string{"", "hello", "2006", "2006-01", "%Q", "%", "15h04"} {
		if l, err := Force(bad, ams); !errors.Is(err, ErrFormat) {
			t.Errorf("Force(%q) = %v, %v; want ErrFormat", bad, l, err)
		}
	}
	slow, err := Force("02-Jan-2006", ams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slow.Parse([]byte("31-Apr-2021")); !errors.Is(err, ErrRange) || !strings.Contains(err.Error(), `"31-Apr-2021" does not match layout Go layout "02-Jan-2006"`) {
		t.Errorf("slow-path range error: %v", err)
	}
	if _, err := slow.Parse([]byte("31-Foo-2021")); !errors.Is(err, ErrSyntax) {
		t.Errorf("slow-path syntax error: %v", err)
	}
}

func TestCombine(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	date, err := Detect([]string{"09-03-2021", "25-03-2021"}, ams)
	if err != nil {
		t.Fatal(err)
	}
	clock, err := Detect([]string{"8:05", "13:45:40"}, ams)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Combine(date, clock)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.String(), "dd-mm-yyyy + H:MM:SS, zone Europe/Amsterdam"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		date, clock string
		want        int64
	}{
		{"09-03-2021", "8:05", time.Date(2021, 3, 9, 8, 5, 0, 0, ams).UnixMicro()},
		{"09-03-2021 00:00:00", "13:45:40.5", time.Date(2021, 3, 9, 13, 45, 40, 5e8, ams).UnixMicro()},
		{"31-10-2021", "02:30", utc(2021, 10, 31, 0, 30, 0, 0)},
		{"28-03-2021", "02:30", utc(2021, 3, 28, 1, 30, 0, 0)},
		{"28-03-2021", "1:05 PM", utc(2021, 3, 28, 11, 5, 0, 0)},
	} {
		got, err := s.Parse([]byte(tt.date), []byte(tt.clock))
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q, %q) = %v, %v; want %v", tt.date, tt.clock, time.UnixMicro(got).UTC(), err, time.UnixMicro(tt.want).UTC())
		}
	}
	for _, tt := range []struct {
		date, clock string
		column      Layout
		is          error
		msg         string
	}{
		{"31-04-2021", "8:05", date, ErrRange, "day 31 does not exist in April"},
		{"09-03-2021 13:00", "8:05", date, ErrRange, "the date column has a time of day"},
		{"09-03-2021", "8:05+01:00", clock, ErrSyntax, "expected the end of the value"},
		{"09-03-2021", "25:00", clock, ErrRange, "hour 25"},
	} {
		_, err := s.Parse([]byte(tt.date), []byte(tt.clock))
		var e *Error
		if !errors.Is(err, tt.is) || !errors.As(err, &e) || e.Layout != tt.column || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Parse(%q, %q) error %v, want %v in the %v column with %q", tt.date, tt.clock, err, tt.is, tt.column, tt.msg)
		}
	}
	if _, err := Combine(clock, date); !errors.Is(err, ErrFormat) {
		t.Errorf("Combine(clock, date) = %v, want ErrFormat", err)
	}
	if _, err := (Split{}).Parse([]byte("09-03-2021"), []byte("8:05")); !errors.Is(err, ErrSyntax) {
		t.Errorf("zero Split: %v", err)
	}
}

// TestCombineForced: a date-only --time-format the fast scanner cannot
// express (two-digit years) still pairs with a time-of-day column, in the
// location, with unpadded hours; a format with a clock does not.
func TestCombineForced(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	for _, format := range []string{"%y%m%d", "060102"} {
		date, err := Force(format, ams)
		if err != nil {
			t.Fatal(err)
		}
		clock, err := Detect([]string{"7:41:16", "23:05:00"}, ams)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Combine(date, clock)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, tt := range []struct {
			date, clock string
			want        int64
		}{
			{"990201", "7:41:16", time.Date(1999, 2, 1, 7, 41, 16, 0, ams).UnixMicro()},
			{"990731", "0:00:00", time.Date(1999, 7, 31, 0, 0, 0, 0, ams).UnixMicro()},
			{"991031", "2:30:00", utc(1999, 10, 31, 0, 30, 0, 0)}, // the first 02:30, as for detected layouts
		} {
			if got, err := s.Parse([]byte(tt.date), []byte(tt.clock)); err != nil || got != tt.want {
				t.Errorf("%s: Parse(%q, %q) = %v, %v; want %v", format, tt.date, tt.clock, time.UnixMicro(got).UTC(), err, time.UnixMicro(tt.want).UTC())
			}
		}
		if _, err := s.Parse([]byte("990231"), []byte("7:41:16")); !errors.Is(err, ErrRange) && !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: 31 February: %v, want an error", format, err)
		}
	}
	withClock, err := Force("%y%m%d %H:%M", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	clock, _ := Detect([]string{"7:41:16"}, time.UTC)
	if _, err := Combine(withClock, clock); !errors.Is(err, ErrFormat) {
		t.Errorf("Combine with a clock in the date format: %v, want ErrFormat", err)
	}
}

// TestOffset: the offset a value carries, for the report's zone.
func TestOffset(t *testing.T) {
	iso, err := Detect([]string{"2011-10-11 13:45:40.276000+02:00"}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	forced, err := Force("02/01/2006 15:04 -0700", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Detect([]string{"2011-10-11 13:45:40"}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		l    Layout
		v    string
		off  int
		with bool
	}{
		{iso, "2011-10-11 13:45:40.276000+02:00", 7200, true},
		{iso, "2011-12-11 13:45:40-05:30", -19800, true},
		{iso, "2011-12-11T13:45:40Z", 0, true},
		{iso, "2011-12-11 13:45:40", 0, false},
		{forced, "11/10/2011 13:45 +0100", 3600, true},
		{plain, "2011-10-11 13:45:40", 0, false},
		{iso, "not a time", 0, false},
	} {
		if off, ok := tt.l.Offset([]byte(tt.v)); off != tt.off || ok != tt.with {
			t.Errorf("Offset(%q) = %d, %v; want %d, %v", tt.v, off, ok, tt.off, tt.with)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	for _, tt := range []struct {
		format, value string
	}{
		{"2006-01-02 15:04:05.999999Z07:00", "2011-10-11 13:45:40.276000+02:00"},
		{"2006-01-02 15:04:05", "2013-02-13 12:03:35"},
		{"2006-01-02 15:04:05", "1849-05-01 10:00:00"}, // slow zone path
		{"2/1/2006 15:04", "9/3/2021 8:05"},
		{"1/2/2006 3:04 PM", "3/25/2021 1:05 PM"},
		{"unix", "1318333540.276"},
		{"unixmilli", "1318333540276"},
		{"15:04:05", "13:45:40"},
	} {
		l, err := Force(tt.format, ams)
		if err != nil || l.kind == kindGo {
			t.Fatalf("%s: %v %v", tt.format, l, err)
		}
		b := []byte(tt.value)
		if _, err := l.Parse(b); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = l.Parse(b) }); n != 0 {
			t.Errorf("%s: %v allocations per Parse", tt.format, n)
		}
	}
	date, _ := Force("02-01-2006", ams)
	clock, _ := Force("15:04", ams)
	s, err := Combine(date, clock)
	if err != nil {
		t.Fatal(err)
	}
	d, c := []byte("09-03-2021"), []byte("08:05")
	if n := testing.AllocsPerRun(100, func() { _, _ = s.Parse(d, c) }); n != 0 {
		t.Errorf("Split.Parse: %v allocations", n)
	}
}

// TestRealLogs detects and reads the timestamp columns of the public logs
// and checks every value against time.Parse with the documented layout.
func TestRealLogs(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real logs not found at %s (they come with CI): %v", dir, err)
	}
	for _, tt := range []struct {
		file, column string
		comma        rune
		want         string
		goLayout     string
	}{
		{"receipt/receipt.csv", "time:timestamp", ',', "yyyy-mm-dd HH:MM:SS.ffffff±hh:mm (ISO 8601, offset in value)", "2006-01-02 15:04:05.999999Z07:00"},
		{"bpic2013/closed_problems.csv", "Problem Change Date+Time", ';', "yyyy-mm-ddTHH:MM:SS±hh:mm (ISO 8601, offset in value)", time.RFC3339},
		{"bpic2014/BPIC14_incident_log.csv", "data_stamp", ',', "yyyy-mm-dd HH:MM:SS (ISO 8601), zone UTC", time.DateTime},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := csv.NewReader(f)
			r.Comma = tt.comma
			r.LazyQuotes = true
			header, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			col := -1
			for i, h := range header {
				if h == tt.column {
					col = i
				}
			}
			if col < 0 {
				t.Fatalf("no column %q in %v", tt.column, header)
			}
			var values []string
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				values = append(values, rec[col])
			}
			l, err := Detect(values[:min(len(values), 1000)], time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if l.String() != tt.want {
				t.Errorf("detected %q, want %q", l, tt.want)
			}
			for _, v := range values {
				want, err := time.Parse(tt.goLayout, v)
				if err != nil {
					t.Fatal(err)
				}
				got, err := l.Parse([]byte(v))
				if err != nil || got != want.UnixMicro() {
					t.Fatalf("%q: got %v, %v; want %v", v, time.UnixMicro(got).UTC(), err, want.UTC())
				}
			}
			t.Logf("%d values of %s read as %v", len(values), tt.column, l)
		})
	}
}

// fuzzLayouts are the layouts FuzzParse reads with, by index.
func fuzzLayouts(t testing.TB) []Layout {
	ams := load(t, "Europe/Amsterdam")
	var ls []Layout
	for _, f := range []struct {
		format string
		loc    *time.Location
	}{
		{"2006-01-02T15:04:05.999999Z07:00", ams},
		{"2006-01-02 15:04:05", ams},
		{"2/1/2006 15:04:05", ams},
		{"1/2/2006 3:04:05 PM", time.UTC},
		{"unix", nil},
		{"unixmilli", nil},
		{"15:04:05", nil},
		{"Jan 2, 2006 15:04", ams},
	} {
		l, err := Force(f.format, f.loc)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return ls
}

// reformat writes an instant back in the layout's own notation, for the
// round trip; "" when the layout has none or the local year leaves
// 0000-9999 (an offset in the value can carry it there).
func reformat(l Layout, us int64) string {
	t := time.UnixMicro(us)
	if l.loc != nil && (t.In(l.loc).Year() < 0 || t.In(l.loc).Year() > 9999) {
		return ""
	}
	switch {
	case l.kind == kindUnix || l.kind == kindUnixMilli:
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		}
		unit := l.unit()
		return sign + strconv.FormatInt(us/unit, 10) + "." + strconv.FormatInt(us%unit+unit, 10)[1:]
	case l.kind == kindClock:
		return t.UTC().Format("15:04:05.000000")
	case l.kind == kindDate && l.Zoned():
		return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	case l.kind == kindDate && l.order == ymd:
		return t.In(l.loc).Format("2006-01-02 15:04:05.000000")
	case l.kind == kindDate && l.order == dmy:
		return t.In(l.loc).Format("2/1/2006 15:04:05.000000")
	case l.kind == kindDate && l.order == mdy:
		return t.In(l.loc).Format("1/2/2006 3:04:05.000000 PM")
	}
	return ""
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2011-10-11 13:45:40.276000+02:00", "2013-02-13 12:03:35", "2006-01-11T15:49:42+01:00",
		"9-3-2021 8:05", "09-03-2021 08:05:00", "3/25/2021 1:05:00 PM", "1318333540.276", "1318333540276", "13:45:40",
		"Oct 31, 2021 02:30", "2021-10-31 02:30:00", "2021-03-28 02:30:00", "9999-12-31T23:59:59.999999-23:59", "-1.5"} {
		for i := range 8 {
			f.Add(uint8(i), s)
		}
	}
	layouts := fuzzLayouts(f)
	f.Fuzz(func(t *testing.T, i uint8, s string) {
		l := layouts[int(i)%len(layouts)]
		got, err := l.Parse([]byte(s))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) || e.Error() == "" {
				t.Fatalf("%q: bad error %#v", s, err)
			}
		} else if l.kind != kindClock && (got < minMicro || got > maxMicro) {
			t.Fatalf("%q: %d outside years 0000-9999", s, got)
		}
		if err == nil {
			if r := reformat(l, got); r != "" {
				back, err := l.Parse([]byte(r))
				if err != nil || back != got {
					t.Fatalf("%q read as %d, written back as %q, read again as %d, %v", s, got, r, back, err)
				}
			}
		}
		// Whatever Go's RFC 3339 parser reads, the ISO layout reads the
		// same, except offsets with minute 60 or more, which Go lets pass.
		var e *Error
		if i%uint8(len(layouts)) == 0 && !(errors.As(err, &e) && e.what == badOffset) {
			if want, goErr := time.Parse(time.RFC3339Nano, s); goErr == nil && want.UTC().Year() >= 0 && want.UTC().Year() <= 9999 {
				if err != nil || got != want.UnixMicro() {
					t.Fatalf("%q: got %d, %v; time.Parse says %d", s, got, err, want.UnixMicro())
				}
			}
		}
	})
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"2011-10-11 13:45:40.276000+02:00\n2011-12-06 13:41:31.788000+01:00", "9-3-2021 8:05\n25-3-2021 8:05",
		"9-3-2021 8:05", "1/2/2021\n25/3/2021\n3/25/2021", "1318333540\n1318333540276\nx", "8:05\n13:45:40", "\n\n", "hello"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		samples := strings.Split(s, "\n")
		if len(samples) > 64 {
			samples = samples[:64]
		}
		l, err := Detect(samples, time.UTC)
		if err != nil {
			if !errors.Is(err, ErrNoLayout) && !errors.Is(err, ErrAmbiguous) && !errors.Is(err, ErrInconsistent) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		n, parsed := 0, 0
		for _, v := range samples {
			if strings.Trim(v, " \t") == "" {
				continue
			}
			n++
			if _, err := l.Parse([]byte(v)); err == nil {
				parsed++
			}
		}
		if 2*parsed < n || l.String() == "" {
			t.Fatalf("layout %v reads %d of %d samples", l, parsed, n)
		}
	})
}

// BenchmarkParse compares Parse with the time package on the same values.
func BenchmarkParse(b *testing.B) {
	ams := load(b, "Europe/Amsterdam")
	rng := rand.New(rand.NewPCG(3, 4))
	lo := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, bb := range []struct {
		name, goLayout string
		loc            *time.Location
	}{
		{"iso-offset", "2006-01-02 15:04:05.000000Z07:00", ams},
		{"local-amsterdam", "2006-01-02 15:04:05", ams},
		{"d/m/yyyy", "2/1/2006 15:04", ams},
	} {
		strs := make([]string, 1024) // a power of two, so i&mask picks a value
		vals := make([][]byte, len(strs))
		size := 0
		for i := range strs {
			strs[i] = time.Unix(rng.Int64N(hi-lo)+lo, rng.Int64N(1e9)).In(bb.loc).Format(bb.goLayout)
			vals[i] = []byte(strs[i])
			size += len(strs[i])
		}
		l, err := Detect(strs, bb.loc)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bb.name+"/timefmt", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(vals)))
			i := 0
			for b.Loop() {
				if _, err := l.Parse(vals[i&(len(vals)-1)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(bb.name+"/time.ParseInLocation", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(vals)))
			i := 0
			for b.Loop() {
				if _, err := time.ParseInLocation(bb.goLayout, strs[i&(len(strs)-1)], bb.loc); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// TestPlaceholder: the dates systems write for "no date" are ErrPlaceholder
// in every layout, and their neighbours are times.
func TestPlaceholder(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	detect := func(samples ...string) Layout { return mustDetect(t, ams, samples...) }
	iso, dmy, unix := detect("2021-03-09 08:05:00"), detect("25-3-2021 8:05"), detect("1318333540")
	forced, err := Force("%Y%m%d %H%M", ams)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		l      Layout
		value  string
		holder bool
	}{
		{iso, "0001-01-01 00:00:00", true},
		{iso, "9999-12-31 23:59:59", true},
		{iso, "1900-01-01 14:30:00", true},
		{iso, "1899-12-30", true},
		{iso, "1970-01-01 00:00:00", true},
		{iso, "1970-01-01T00:00:00.000+01:00", true},
		{iso, "1970-01-01T01:00:00+01:00", true}, // Unix time 0
		{dmy, "31-12-9999", true},
		{unix, "0", true},
		{forced, "19000101 0800", true},
		{iso, "0001-01-02 00:00:00", false},
		{iso, "9999-12-30 23:59:59", false},
		{iso, "1900-01-02 00:00:00", false},
		{iso, "1970-01-01 00:00:01", false},
		{iso, "1970-01-02 00:00:00", false},
		{unix, "1", false},
	} {
		_, err := tc.l.Parse([]byte(tc.value))
		if got := errors.Is(err, ErrPlaceholder); got != tc.holder {
			t.Errorf("%s: Parse(%q) error %v, want placeholder %v", tc.l, tc.value, err, tc.holder)
		}
		if tc.holder && (err == nil || !strings.Contains(err.Error(), `no date`)) {
			t.Errorf("Parse(%q) error %v does not say why", tc.value, err)
		}
	}
	split, err := Combine(detect("2021-03-09"), detect("8:05"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := split.Parse([]byte("1900-01-01"), []byte("14:30")); !errors.Is(err, ErrPlaceholder) {
		t.Errorf("a date column holding 1900-01-01: %v, want ErrPlaceholder", err)
	}
}

// TestParseGap: every way of reading a zone-less value reports a wall
// clock that clocks skipped, and only those; Parse's answer is unchanged.
func TestParseGap(t *testing.T) {
	ams := load(t, "Europe/Amsterdam")
	iso, err := Detect([]string{"2021-03-28 02:30:00"}, ams)
	if err != nil {
		t.Fatal(err)
	}
	forced, err := Force("%y%m%d %H%M", ams) // Go's parser: the slow path
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		l     Layout
		value string
		gap   bool
	}{
		{iso, "2021-03-28 02:00:00", true},
		{iso, "2021-03-28 02:59:59", true},
		{iso, "2021-03-28 01:59:59", false},
		{iso, "2021-03-28 03:00:00", false},
		{iso, "2021-10-31 02:30:00", false}, // repeated, not skipped
		{iso, "2150-03-29 02:30:00", true},  // beyond the table
		{iso, "2021-03-28 02:30:00+01:00", false},
		{forced, "210328 0230", true},
		{forced, "210328 0330", false},
	} {
		us, gap, err := tc.l.ParseGap([]byte(tc.value))
		want, werr := tc.l.Parse([]byte(tc.value))
		if err != nil || werr != nil || us != want || gap != tc.gap {
			t.Errorf("ParseGap(%q) = %v, %v, %v; want Parse's %v and skipped %v", tc.value, time.UnixMicro(us).UTC(), gap, err, time.UnixMicro(want).UTC(), tc.gap)
		}
	}
	split, err := Combine(iso, mustDetect(t, ams, "2:30"))
	if err != nil {
		t.Fatal(err)
	}
	if _, gap, err := split.ParseGap([]byte("2021-03-28"), []byte("2:30")); err != nil || !gap {
		t.Errorf("a date and time of day in the gap: skipped %v, %v; want true", gap, err)
	}
}

func mustDetect(t *testing.T, loc *time.Location, samples ...string) Layout {
	t.Helper()
	l, err := Detect(samples, loc)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
