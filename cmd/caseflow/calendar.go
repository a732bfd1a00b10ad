package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/calendar"
	"github.com/caseflow/caseflow/mining"
)

// calendarConfig is the [calendar] table of a configuration file: the
// business calendar of --working-time, and under [calendar.department.NAME]
// a department's own, whose unset keys take the main calendar's values.
// A weekday left out is closed in the main calendar; an empty list closes
// it in a department's. It has no flags: a calendar is too rich for them.
type calendarConfig struct {
	Name          *string     `toml:"name" cf:"noflag"`
	Timezone      *zoneName   `toml:"timezone" cf:"noflag"`
	Monday        []shiftText `toml:"monday" cf:"noflag"`
	Tuesday       []shiftText `toml:"tuesday" cf:"noflag"`
	Wednesday     []shiftText `toml:"wednesday" cf:"noflag"`
	Thursday      []shiftText `toml:"thursday" cf:"noflag"`
	Friday        []shiftText `toml:"friday" cf:"noflag"`
	Saturday      []shiftText `toml:"saturday" cf:"noflag"`
	Sunday        []shiftText `toml:"sunday" cf:"noflag"`
	Holidays      *string     `toml:"holidays" cf:"path,noflag"`
	DutchHolidays *bool       `toml:"dutch-holidays" cf:"noflag"`
	GoodFriday    *bool       `toml:"good-friday" cf:"noflag"`
	DayLength     *duration   `toml:"day-length" cf:"noflag"`
	// Department holds the departments' own calendars, by department name.
	Department map[string]*calendarConfig `toml:"department" cf:"noflag"`
}

// shiftText is a shift "08:30-17:00", checked as the file is decoded.
type shiftText struct{ s calendar.Shift }

func (v *shiftText) UnmarshalText(b []byte) error {
	s, err := calendar.ParseShift(string(b))
	v.s = s
	return err
}

// set says whether the file has a [calendar] table with any key.
func (c *calendarConfig) set() bool {
	week := c.week()
	return c.Name != nil || c.Timezone != nil || c.Holidays != nil || c.DutchHolidays != nil ||
		c.GoodFriday != nil || c.DayLength != nil || len(c.Department) > 0 || slices.ContainsFunc(week[:], func(s []shiftText) bool { return s != nil })
}

func (c *calendarConfig) week() [7][]shiftText {
	return [7][]shiftText{c.Sunday, c.Monday, c.Tuesday, c.Wednesday, c.Thursday, c.Friday, c.Saturday}
}

// relativeTo makes the holiday files relative to the config file's folder.
func (c *calendarConfig) relativeTo(dir string) {
	if c.Holidays != nil {
		*c.Holidays = relativeTo(dir, []string{*c.Holidays})[0]
	}
	for _, d := range c.Department {
		if d != nil {
			d.relativeTo(dir)
		}
	}
}

// options sets the calendars of mining options for --working-time.
func (c *calendarConfig) options(o *mining.Options) error {
	if !c.set() {
		return errors.New("--working-time: the --config file has no [calendar] table; give its opening hours, e.g. monday = [\"08:30-17:00\"] (see docs/definitions.md, Working time)")
	}
	main, err := c.calendar(nil, "calendar")
	if err != nil {
		return err
	}
	o.Calendar = main
	if len(c.Department) > 0 && o.Level != mining.Department {
		return fmt.Errorf("[calendar.department] gives departments their own calendars: analyse at --level %s", mining.Department)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Department)) {
		d := c.Department[name]
		if d == nil {
			d = &calendarConfig{}
		}
		cal, err := d.calendar(main, name)
		if err != nil {
			return err
		}
		if o.Calendars == nil {
			o.Calendars = map[string]*calendar.Calendar{}
		}
		o.Calendars[name] = cal
	}
	return nil
}

// calendar builds the calendar; base, when not nil, gives the values of
// the keys left out.
func (c *calendarConfig) calendar(base *calendar.Calendar, name string) (*calendar.Calendar, error) {
	cal := &calendar.Calendar{Name: name, Zone: time.UTC}
	if base != nil {
		cal.Zone, cal.Week, cal.Dutch, cal.GoodFriday, cal.DayLength = base.Zone, base.Week, base.Dutch, base.GoodFriday, base.DayLength
		cal.Holidays = base.Holidays
	}
	if c.Name != nil {
		cal.Name = *c.Name
	}
	if c.Timezone != nil {
		loc, err := time.LoadLocation(c.Timezone.s)
		if err != nil {
			return nil, fmt.Errorf("calendar %s: timezone %q: %w", cal.Name, c.Timezone.s, err)
		}
		cal.Zone = loc
	}
	for d, shifts := range c.week() {
		if shifts != nil || base == nil {
			cal.Week[d] = nil
			for _, s := range shifts {
				cal.Week[d] = append(cal.Week[d], s.s)
			}
		}
	}
	if c.DutchHolidays != nil {
		cal.Dutch = *c.DutchHolidays
	}
	if c.GoodFriday != nil {
		cal.GoodFriday = *c.GoodFriday
	}
	if c.DayLength != nil {
		d, err := parseSpan(c.DayLength.s)
		if err != nil {
			return nil, fmt.Errorf("calendar %s: day-length: %w", cal.Name, err)
		}
		cal.DayLength = d
	}
	if c.Holidays != nil {
		days, err := readHolidays(*c.Holidays)
		if err != nil {
			return nil, err
		}
		cal.Holidays = days
	}
	if cal.Day() == 0 {
		return nil, fmt.Errorf("calendar %s has no opening hours: give a weekday's shifts, e.g. monday = [\"08:30-17:00\"]", cal.Name)
	}
	return cal, nil
}

// readHolidays reads a holidays file: one date YYYY-MM-DD a line,
// optionally followed by its name; blank lines and lines starting with #
// are skipped.
func readHolidays(path string) ([]calendar.Date, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("[calendar] holidays: %w", err)
	}
	return parseHolidays(path, data)
}

func parseHolidays(path string, data []byte) ([]calendar.Date, error) {
	var out []calendar.Date
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		d, err := calendar.ParseDate(strings.Fields(text)[0])
		if err != nil {
			col := strings.Index(sc.Text(), text) + 1
			return nil, fmt.Errorf("%s:%d:%d: %v; one date a line, optionally followed by its name", filepath.Clean(path), line, col, err)
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
