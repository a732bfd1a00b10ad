package timefmt

import (
	"sync"
	"time"
)

// zones converts wall-clock seconds in one location to UTC.
//
// Rule, for every location: a wall clock that occurs twice (the repeated
// hour when clocks go back) is the EARLIER instant, still on the old
// offset; a wall clock that never occurs (skipped when clocks go forward) is
// read with the old offset too, which moves it forward by the gap, as Go's
// time.Date normalises (02:30 on 2021-03-28 in Amsterdam is 03:30 CEST).
// Both cases therefore use the offset in force before the transition.
//
// For walls in 1900-2099 the rule is precomputed from the location's
// transitions: threshold i is the first wall clock at which off[i] is the
// answer, and bucket[k] counts the thresholds up to the start of the k-th
// stretch of 2^bucketShift seconds, so a lookup steps over at most the
// few transitions inside one stretch. Walls outside that range
// (placeholders such as 9999-12-31) take the slower path through
// time.Location, with the same rule.
type zones struct {
	loc    *time.Location
	lo, hi int64 // walls covered by the table; lo == hi disables it
	first  int32 // offset before wall[0]
	wall   []int64
	off    []int32
	bucket []int32
}

const (
	tableLo = -2208988800 // 1900-01-01 00:00:00, as wall seconds
	tableHi = 4102444800  // 2100-01-01 00:00:00
	day     = 86400

	bucketShift = 21 // 24 days: zones change offset at most a few times in that
)

var tables sync.Map // *time.Location -> *zones; tables are immutable once built

// zonesFor returns the shared table for loc, or nil for UTC.
func zonesFor(loc *time.Location) *zones {
	if loc == time.UTC {
		return nil
	}
	if z, ok := tables.Load(loc); ok {
		return z.(*zones)
	}
	z, _ := tables.LoadOrStore(loc, buildZones(loc))
	return z.(*zones)
}

func buildZones(loc *time.Location) *zones {
	z := &zones{loc: loc, lo: tableLo, hi: tableHi}
	t := time.Unix(tableLo-2*day, 0).In(loc)
	_, prev := t.Zone()
	z.first = int32(prev)
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix() > tableHi+2*day {
			break
		}
		if !end.After(t) {
			// Beyond its listed transitions Go derives zones from a rule and
			// reports, on the last day of a year, a zone ending before t.
			// Step a day and bisect to the transition, if there is one.
			end = t.Add(day * time.Second)
			if _, o := end.Zone(); o != prev {
				lo, hi := t.Unix(), end.Unix()
				for hi-lo > 1 {
					m := lo + (hi-lo)/2
					if _, o := time.Unix(m, 0).In(loc).Zone(); o == prev {
						lo = m
					} else {
						hi = m
					}
				}
				end = time.Unix(hi, 0).In(loc)
			}
		}
		if _, o := end.Zone(); o != prev { // some transitions only rename the zone
			z.wall = append(z.wall, end.Unix()+int64(max(prev, o)))
			z.off = append(z.off, int32(o))
			prev = o
		}
		t = end
	}
	// Binary search needs ascending thresholds; a zone whose transitions
	// come closer together than their jumps is left to the slow path.
	for i := 1; i < len(z.wall); i++ {
		if z.wall[i] <= z.wall[i-1] {
			z.lo, z.hi = 0, 0
			return z
		}
	}
	z.bucket = make([]int32, (tableHi-tableLo)>>bucketShift+1)
	i := 0
	for k := range z.bucket {
		for i < len(z.wall) && z.wall[i] <= tableLo+int64(k)<<bucketShift {
			i++
		}
		z.bucket[k] = int32(i)
	}
	return z
}

// utc returns the Unix second of wall-clock second w, and whether w was
// skipped when clocks went forward (and so is moved forward by the gap).
func (z *zones) utc(w int64) (int64, bool) {
	if z == nil {
		return w, false
	}
	if w < z.lo || w >= z.hi {
		return z.slow(w)
	}
	i := int(z.bucket[(w-tableLo)>>bucketShift])
	for i < len(z.wall) && z.wall[i] <= w {
		i++
	}
	off := int64(z.first)
	if i > 0 {
		off = int64(z.off[i-1])
	}
	// A forward jump's threshold is the wall clock after the jump, so the
	// skipped walls are the jump's length just below it.
	gap := i < len(z.wall) && int64(z.off[i]) > off && w >= z.wall[i]-(int64(z.off[i])-off)
	return w - off, gap
}

// slow applies the rule with time.Location lookups. Offsets a day either
// side of w bracket any transition near w, as no zone changes twice in two
// days.
func (z *zones) slow(w int64) (int64, bool) {
	early, late := z.offset(w-day), z.offset(w+day)
	if early == late || z.offset(w-early) == early {
		return w - early, false // unique, or the earlier of two
	}
	if z.offset(w-late) == late {
		return w - late, false
	}
	return w - early, true // skipped: moved forward by the gap
}

func (z *zones) offset(u int64) int64 {
	_, o := time.Unix(u, 0).In(z.loc).Zone()
	return int64(o)
}
