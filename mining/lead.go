package mining

import (
	"cmp"
	"math"
	"slices"
)

// leadTimes summarises lead times, marks long cases and measures the
// effect of ping-pong.
func (a *analysis) leadTimes() {
	lt := &a.f.LeadTime
	// One sort serves all figures: the key is lead<<1 | ping-pong.
	keys := make([]int64, 0, len(a.lead))
	nWith := 0
	for k, d := range a.lead {
		if d >= 0 {
			pp := int64(0)
			if a.f.Cases[k].PingPong > 0 {
				pp = 1
				nWith++
			}
			keys = append(keys, d<<1|pp)
		}
	}
	sortInts(keys, nil)
	with, without := make([]int64, 0, nWith), make([]int64, 0, len(keys)-nWith)
	all := keys // decoded in place
	for i, key := range keys {
		all[i] = key >> 1
		if key&1 == 1 {
			with = append(with, key>>1)
		} else {
			without = append(without, key>>1)
		}
	}
	n := len(all)
	lt.N = n
	if n > 0 {
		lt.Mean = sec(sum(all).float() / float64(n))
		lt.Median = sec(quantile(all, 0.5))
		lt.MedianNearest = sec(nearestRank(all, 0.5))
		lt.P75 = sec(quantile(all, 0.75))
		lt.P90 = sec(quantile(all, 0.9))
		lt.P95 = sec(quantile(all, 0.95))
		lt.P99 = sec(quantile(all, 0.99))
		lt.Max = sec(float64(all[n-1]))
		l, u, cov := medianCI(n, 0.95)
		lt.MedianLow, lt.MedianHigh, lt.MedianCoverage = sec(float64(all[l-1])), sec(float64(all[u-1])), cov
	}
	a.wait.Go(func() { a.effect(with, without) })

	if a.opt.SLA > 0 {
		lt.SLA = a.opt.SLA.Seconds()
		limit := a.opt.SLA.Microseconds()
		for k, d := range a.lead {
			if d > limit {
				a.f.Cases[k].Long = true
				lt.Long++
			}
		}
		return
	}
	a.fences(all)
}

// effect fills PingPong.Effect from the sorted lead times of cases with and
// without ping-pong.
func (a *analysis) effect(with, without []int64) {
	e := &a.f.PingPong.Effect
	e.With, e.Without, e.P = len(with), len(without), 1
	if len(with) == 0 || len(without) == 0 {
		return
	}
	e.MedianWith, e.MedianWithout = sec(quantile(with, 0.5)), sec(quantile(without, 0.5))
	u, v := mannWhitney(with, without, ties(without))
	e.U = u
	e.P = pTwoSided(u, float64(len(with)), float64(len(without)), v)
	est, lo, hi := shift(with, without, 0.95, a.opt.Seed)
	e.Shift, e.Low, e.High = sec(est), sec(lo), sec(hi)
}

// fences computes Tukey's upper fence Q3 + 1.5·IQR of log lead time
// (Tukey 1977) in each stratum, over the cases with a positive lead time
// (log 0 is undefined; such cases are never long), and marks the cases
// above it. all is every lead time, sorted.
func (a *analysis) fences(all []int64) {
	lt := &a.f.LeadTime
	ns := len(a.in.strata) + 1 // the last stratum is "no value"
	byStratum := make([][]int64, ns)
	if a.in.by == nil {
		ns = 1
		byStratum = [][]int64{all[lower(all, 0, 1):]}
	} else {
		for k, d := range a.lead {
			if d > 0 {
				s := a.stratum(k)
				byStratum[s] = append(byStratum[s], d)
			}
		}
		sortAll(byStratum, a.opt.Workers)
	}
	fence := make([]float64, ns)
	limit := make([]int64, ns) // the smallest lead time above the fence
	index := make([]int, ns)
	for s, x := range byStratum {
		if len(x) == 0 {
			continue
		}
		log := func(i int) float64 { return math.Log(float64(x[i])) }
		q1, q3 := interpolate(len(x), 0.25, log), interpolate(len(x), 0.75, log)
		fence[s] = q3 + 1.5*(q3-q1)
		limit[s] = logAbove(fence[s])
		name := ""
		if s < len(a.in.strata) && a.in.by != nil {
			name = a.in.strata[s]
		}
		index[s] = len(lt.Strata)
		lt.Strata = append(lt.Strata, Stratum{
			Name: name, N: len(x),
			Q1: sec(math.Exp(q1)), Q3: sec(math.Exp(q3)), Fence: sec(math.Exp(fence[s])),
		})
	}
	for k, d := range a.lead {
		if d <= 0 {
			continue
		}
		s := a.stratum(k)
		if d >= limit[s] {
			a.f.Cases[k].Long = true
			lt.Strata[index[s]].Long++
			lt.Long++
		}
	}
	slices.SortStableFunc(lt.Strata, func(x, y Stratum) int {
		if (x.Name == "") != (y.Name == "") {
			if x.Name == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(x.Name, y.Name)
	})
}

// logAbove returns the smallest positive integer d with log(d) > f, so
// that comparing integers gives exactly the comparison of logarithms.
func logAbove(f float64) int64 {
	if f >= 63*math.Ln2 {
		return math.MaxInt64
	}
	d := max(1, int64(math.Exp(f)))
	for d > 1 && math.Log(float64(d-1)) > f {
		d--
	}
	for !(math.Log(float64(d)) > f) {
		d++
	}
	return d
}

// stratum is the index into fences of case k's stratum.
func (a *analysis) stratum(k int) int {
	if a.in.by == nil {
		return 0
	}
	if s := a.strat[k]; s >= 0 {
		return int(s)
	}
	return len(a.in.strata)
}

// where merges the split lead times and ranks the units by how much more
// of the lead time long cases spend in them than other cases do.
func (a *analysis) where() {
	nU := int(a.in.nU)
	var stay, wait [2][]wide
	var none, total [2]wide
	for g := range 2 {
		stay[g], wait[g] = make([]wide, nU), make([]wide, nU)
		for _, p := range a.parts {
			none[g].plus(p.none[g])
			total[g].plus(p.total[g])
			for u := range nU {
				stay[g][u].plus(p.stay[g][u])
				wait[g][u].plus(p.wait[g][u])
			}
		}
	}
	w := &a.f.LeadTime.Where
	w.OtherTotal, w.LongTotal = sec(total[0].float()), sec(total[1].float())
	w.OtherNone, w.LongNone = sec(none[0].float()), sec(none[1].float())
	share := func(part float64, total float64) float64 {
		if total == 0 {
			return 0
		}
		return part / total
	}
	for _, u := range a.units {
		s := Share{
			Unit:      a.in.units[u],
			OtherStay: sec(stay[0][u].float()), OtherWait: sec(wait[0][u].float()),
			LongStay: sec(stay[1][u].float()), LongWait: sec(wait[1][u].float()),
		}
		s.OtherShare = share(s.OtherStay+s.OtherWait, w.OtherTotal)
		s.LongShare = share(s.LongStay+s.LongWait, w.LongTotal)
		w.Units = append(w.Units, s)
	}
	slices.SortFunc(w.Units, func(x, y Share) int {
		return cmp.Or(cmp.Compare(y.LongShare-y.OtherShare, x.LongShare-x.OtherShare),
			cmp.Compare(y.LongShare, x.LongShare), cmp.Compare(x.Unit, y.Unit))
	})
}
