package timefmt

import (
	"fmt"
	"strconv"
	"time"
)

// candidates are the layouts Detect tries, in tie-break order.
var candidates = [...]Layout{
	{kind: kindDate, order: ymd, sep: '-'},
	{kind: kindDate, order: ymd, sep: '/'},
	{kind: kindDate, order: ymd, sep: '.'},
	{kind: kindDate, order: dmy, sep: '/'},
	{kind: kindDate, order: dmy, sep: '-'},
	{kind: kindDate, order: dmy, sep: '.'},
	{kind: kindDate, order: mdy, sep: '/'},
	{kind: kindDate, order: mdy, sep: '-'},
	{kind: kindDate, order: mdy, sep: '.'},
	{kind: kindUnix},
	{kind: kindUnixMilli},
	{kind: kindClock},
}

// firstDMY is the index of the day-first candidates; the month-first ones
// with the same separators follow at +3.
const firstDMY = 3

// Epoch magnitudes Detect accepts. Both ranges cover 1973-03-03 to
// 5138-11-16, so an integer column of ids or counts below 100,000,000 is
// never taken for epoch seconds.
const (
	unixMin      = 1e8  // seconds: 9 to 11 digits
	unixMilliMin = 1e11 // milliseconds: 12 to 14 digits
	unixMilliMax = 1e14
)

type tally struct {
	n       int
	looks   [8]int // per bit of flag
	frac    uint8
	example string
}

// Detect picks the layout that reads the most samples and returns it with
// zone-less values read in loc (nil means UTC). Callers pass non-empty
// values; empty ones are skipped, and no values at all is an ErrNoLayout.
//
// Values that fit no layout are tolerated as long as at least half the
// samples fit the winner; otherwise the column is not a timestamp column
// and the error wraps ErrNoLayout. Ties go to the earlier of: yyyy-mm-dd,
// yyyy/mm/dd, yyyy.mm.dd, day-first with '/', '-', '.', month-first, Unix
// seconds, Unix milliseconds, time of day.
//
// Day-first and month-first need proof. A value whose first field is above
// 12 proves day-first; one whose second field is above 12 proves
// month-first. Without proof the error wraps ErrAmbiguous; with proof of
// both (two sources merged, or a broken export) it wraps ErrInconsistent.
// Both errors name an example and the --time-format that settles them.
//
// Epoch seconds are integers (optionally with a fraction) from 1e8 up to
// 1e11, epoch milliseconds from 1e11 up to 1e14: both 1973-03-03 to
// 5138-11-16. Once detected, any integer within years 0000-9999 parses.
func Detect(samples []string, loc *time.Location) (Layout, error) {
	if loc == nil {
		loc = time.UTC
	}
	var (
		tallies              [len(candidates)]tally
		n                    int
		dayProof, monthProof [3]string // per separator
		cands                = candidates
	)
	for i := range cands {
		if cands[i].kind == kindDate { // epochs are absolute; Combine places a clock
			cands[i].loc, cands[i].zones = loc, zonesFor(loc)
		}
	}
	for _, s := range samples {
		b := trim([]byte(s))
		if len(b) == 0 {
			continue
		}
		n++
		var fits [len(candidates)]bool
		for i := range cands {
			c, w := cands[i].sniff(b)
			if w != ok {
				continue
			}
			fits[i] = true
			t := &tallies[i]
			if t.n == 0 {
				t.example = s
			}
			t.n++
			for bit := range t.looks {
				if c.flags&(1<<bit) != 0 {
					t.looks[bit]++
				}
			}
			t.frac = max(t.frac, c.frac)
		}
		for k := range 3 {
			d, m := fits[firstDMY+k], fits[firstDMY+3+k]
			if d && !m && dayProof[k] == "" {
				dayProof[k] = s
			}
			if m && !d && monthProof[k] == "" {
				monthProof[k] = s
			}
		}
	}
	if n == 0 {
		return Layout{}, fmt.Errorf("%w: no non-empty values to detect a timestamp layout from", ErrNoLayout)
	}
	best := 0
	for i := range tallies {
		if tallies[i].n > tallies[best].n {
			best = i
		}
	}
	t := &tallies[best]
	l := cands[best]
	for bit, k := range t.looks {
		// unpadded: padding is optional as soon as one value omits it.
		if k > 0 && (2*k >= t.n || flag(1<<bit) == unpadded) {
			l.look |= 1 << bit
		}
	}
	l.frac = t.frac
	if t.n == 0 {
		return Layout{}, fmt.Errorf("%w: none of the %d values looks like a timestamp (e.g. %q); pass --time-format with a Go layout such as \"2006-01-02 15:04:05\" or strftime \"%%d/%%m/%%Y %%H:%%M\"", ErrNoLayout, n, firstValue(samples))
	}
	if 2*t.n < n {
		miss := ""
		for _, s := range samples {
			if b := trim([]byte(s)); len(b) > 0 {
				if _, w := l.sniff(b); w != ok {
					miss = s
					break
				}
			}
		}
		return Layout{}, fmt.Errorf("%w: only %d of %d values fit the best layout %s (e.g. %q does not); pass --time-format if this is a timestamp column",
			ErrNoLayout, t.n, n, l.pattern(), miss)
	}
	if l.kind == kindDate && l.order != ymd {
		k := best - firstDMY
		if l.order == mdy {
			k -= 3
		}
		day, month := cands[firstDMY+k], cands[firstDMY+3+k]
		day.look, month.look = l.look, l.look
		switch {
		case dayProof[k] != "" && monthProof[k] != "":
			return Layout{}, fmt.Errorf("%w: %q can only be day-first and %q can only be month-first; fix the export, or pass --time-format %s (day-first) or %s (month-first) and the other values will be reported as bad",
				ErrInconsistent, dayProof[k], monthProof[k], strconv.Quote(day.goLayout()), strconv.Quote(month.goLayout()))
		case dayProof[k] == "" && monthProof[k] == "":
			return Layout{}, fmt.Errorf("%w: in values like %q no day or month is above 12, so day-first and month-first both fit; pass --time-format %s for day-first or %s for month-first",
				ErrAmbiguous, t.example, strconv.Quote(day.goLayout()), strconv.Quote(month.goLayout()))
		}
	}
	return l, nil
}

func firstValue(samples []string) string {
	for _, s := range samples {
		if len(trim([]byte(s))) > 0 {
			return s
		}
	}
	return ""
}

// sniff scans and checks b as Parse would, keeping the fields; epoch
// candidates also need a plausible magnitude.
func (l *Layout) sniff(b []byte) (civil, what) {
	var c civil
	var w what
	switch l.kind {
	case kindDate:
		if w = l.scanDate(b, &c); w == ok {
			w = c.check()
		}
		if w == ok {
			_, w = l.instant(&c)
		}
	case kindClock:
		c.year, c.month, c.day = 1970, 1, 1
		if w = scanClock(b, 0, &c, false); w == ok {
			w = c.check()
		}
	case kindUnix, kindUnixMilli:
		var whole int64
		_, whole, w = scanUnix(b, l.unit(), &c)
		lo, hi := int64(unixMin), int64(unixMilliMin)
		if l.kind == kindUnixMilli {
			lo, hi = unixMilliMin, unixMilliMax
		}
		if w == ok && (b[0] == '-' || whole < lo || whole >= hi) {
			w = outOfYears
		}
	}
	return c, w
}
