package generate

import (
	"math"
	"math/rand/v2"
	"sort"
)

// contact is a case as it arrives: when, from whom, about what, how.
type contact struct {
	no       int64 // case number, 1-based, in arrival order
	t        int64 // arrival instant
	customer int64
	repeatOf int64 // case number this one repeats; 0 when none
	reason   uint8
	channel  uint8
	spike    bool // one of the spike day's extra cases
}

// recent is a past contact kept for repeat contacts.
type recent struct {
	t, customer, no int64
	reason          uint8
}

// ringSize bounds the memory for repeat contacts: a repeat picks one of the
// last ringSize cases that arrived within repeatWindow.
const ringSize = 1 << 15

// arrivals produces contacts in time order. The N cases are spread over the
// days by weight (weekday seasonality, plus the spike's extra volume) with
// cumulative rounding, so the total is exact; within a day, arrival times are
// order statistics of the hour-of-day profile drawn already sorted
// (Bentley & Saxe, "Generating sorted lists of random numbers", ACM TOMS 1980),
// so no day is ever held in memory.
type arrivals struct {
	p   *plan
	c   *clock
	r   *rand.Rand
	cum []float64 // cumulative day weights, len Days+1
	// spikeExtra is the spike day's extra weight on top of its usual weight.
	spikeExtra float64
	reasonCum  []float64

	day        int         // current day index
	dayStart   int64       // UTC instant of the current day's local midnight
	left       int         // cases still to come today
	spikeLeft  int         // spike cases among them
	u          float64     // the last order statistic drawn today, in [0, 1)
	bins       [26]float64 // cumulative hour weights of the current day (up to 25 hours)
	nbins      int
	open       [25]bool // staffed channels open during that hour
	spikeTotal int      // spike cases planted, for the truth

	no           int64
	nextCustomer int64
	ring         [ringSize]recent
	ringHead     int // index of the oldest entry
	ringLen      int
}

func newArrivals(p *plan, c *clock, r *rand.Rand) *arrivals {
	a := &arrivals{p: p, c: c, r: r, day: -1, nextCustomer: 1}
	var total float64
	for _, rs := range reasons {
		total += rs.weight
		a.reasonCum = append(a.reasonCum, total)
	}
	a.cum = make([]float64, p.Days+1)
	for d := 0; d < p.Days; d++ {
		w := weekdayWeight[weekday(p.startDay+int64(d))]
		if d == p.spikeIndex && p.spikeDay >= 0 {
			a.spikeExtra = (p.SpikeFactor - 1) * w * reasons[p.spikeRsn].weight / total
			w += a.spikeExtra
		}
		a.cum[d+1] = a.cum[d] + w
	}
	return a
}

// casesBefore returns how many of the N cases arrive before day d.
func (a *arrivals) casesBefore(d int) int {
	return int(math.Round(float64(a.p.Cases) * a.cum[d] / a.cum[a.p.Days]))
}

// startDay prepares day d: its case count, spike cases and hour profile.
func (a *arrivals) startDay(d int) {
	a.day = d
	a.left = a.casesBefore(d+1) - a.casesBefore(d)
	a.u = 0
	a.spikeLeft = 0
	if d == a.p.spikeIndex && a.p.spikeDay >= 0 {
		w := a.cum[d+1] - a.cum[d]
		a.spikeLeft = int(math.Round(float64(a.left) * a.spikeExtra / w))
		a.spikeTotal = a.spikeLeft
	}
	dn := a.p.startDay + int64(d)
	a.dayStart = a.c.utc(dn * msDay)
	end := a.c.utc((dn + 1) * msDay)
	a.nbins = int((end - a.dayStart) / msHour) // 23, 24 or 25 on DST days
	workday := weekday(dn) < 5
	for k := 0; k < a.nbins; k++ {
		h := int(floorDiv(a.c.local(a.dayStart+int64(k)*msHour)-dn*msDay, msHour))
		w := hourWeekend[h]
		if workday {
			w = hourWorkday[h]
		}
		a.bins[k+1] = a.bins[k] + w
		a.open[k] = workday && h >= openHour && h < closeHour
	}
}

// next returns the next contact; ok is false after the last one.
func (a *arrivals) next() (ct contact, ok bool) {
	for a.left == 0 {
		if a.day+1 >= a.p.Days {
			return ct, false
		}
		a.startDay(a.day + 1)
	}
	r := a.r
	// Next order statistic of the a.left uniforms still to come today.
	a.u -= (1 - a.u) * math.Expm1(math.Log(1-r.Float64())/float64(a.left)) // 1-U^(1/n), accurately
	target := min(a.u, math.Nextafter(1, 0)) * a.bins[a.nbins]
	k := sort.SearchFloat64s(a.bins[1:a.nbins+1], target)
	for k < a.nbins-1 && a.bins[k+1] <= target {
		k++
	}
	frac := (target - a.bins[k]) / (a.bins[k+1] - a.bins[k])
	a.no++
	ct.no = a.no
	ct.t = a.dayStart + int64(k)*msHour + min(int64(frac*float64(msHour)), msHour-1)

	ct.spike = a.spikeLeft > 0 && r.IntN(a.left) < a.spikeLeft
	a.left--
	if ct.spike {
		a.spikeLeft--
		ct.reason = uint8(a.p.spikeRsn)
		ct.channel = pick(r, channelTable(a.open[k], true))
	} else {
		ct.channel = pick(r, channelTable(a.open[k], false))
		if a.p.RepeatRate > 0 && r.Float64() < a.p.RepeatRate {
			if old, ok := a.recent(ct.t); ok {
				ct.customer, ct.reason, ct.repeatOf = old.customer, old.reason, old.no
			}
		}
		if ct.repeatOf == 0 {
			x := r.Float64() * a.reasonCum[len(a.reasonCum)-1]
			ct.reason = uint8(sort.Search(len(a.reasonCum)-1, func(i int) bool { return a.reasonCum[i] > x }))
		}
	}
	if ct.repeatOf == 0 {
		if a.nextCustomer > 1 && r.Float64() < pReturning {
			ct.customer = 1 + r.Int64N(a.nextCustomer-1)
		} else {
			ct.customer = a.nextCustomer
			a.nextCustomer++
		}
	}
	a.remember(recent{t: ct.t, customer: ct.customer, no: ct.no, reason: ct.reason})
	return ct, true
}

func channelTable(open, spike bool) []float64 {
	switch {
	case !open:
		return channelsShut[:]
	case spike:
		return channelsSpike[:]
	}
	return channelsOpen[:]
}

// pick draws an index with probability proportional to its weight.
func pick(r *rand.Rand, w []float64) uint8 {
	x := r.Float64() * sum(w)
	last := 0
	for i, v := range w {
		if v == 0 {
			continue
		}
		if x < v {
			return uint8(i)
		}
		x -= v
		last = i
	}
	return uint8(last) // rounding left x just above the last weight
}

func (a *arrivals) remember(e recent) {
	if a.ringLen == ringSize {
		a.ring[a.ringHead] = e
		a.ringHead = (a.ringHead + 1) % ringSize
		return
	}
	a.ring[(a.ringHead+a.ringLen)%ringSize] = e
	a.ringLen++
}

// recent returns a uniformly chosen remembered contact that arrived within
// repeatWindow before t.
func (a *arrivals) recent(t int64) (recent, bool) {
	from := t - repeatWindow.Milliseconds()
	i := sort.Search(a.ringLen, func(i int) bool { return a.ring[(a.ringHead+i)%ringSize].t >= from })
	if i == a.ringLen {
		return recent{}, false
	}
	return a.ring[(a.ringHead+i+a.r.IntN(a.ringLen-i))%ringSize], true
}
