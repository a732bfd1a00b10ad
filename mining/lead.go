package mining

import (
	"cmp"
	"slices"

	"github.com/caseflow/caseflow/internal/spill"
)

// leadTimes summarises lead times, marks long cases and measures the
// effect of ping-pong.
func (a *analysis) leadTimes() {
	lt := &a.f.LeadTime
	m := a.opt.Memory
	// One sort serves all figures: the key is lead<<1 | ping-pong.
	keys := spill.MakeCap[int64](m, 0, len(a.lead))
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
	spill.Free(m, sortInts(m, keys, nil))
	with, without := spill.MakeCap[int64](m, 0, nWith), spill.MakeCap[int64](m, 0, len(keys)-nWith)
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
	a.long(all)
	spill.Free(m, keys)
}

// effect fills PingPong.Effect from the sorted lead times of cases with and
// without ping-pong, and frees them.
func (a *analysis) effect(with, without []int64) {
	defer spill.Free(a.opt.Memory, with, without)
	e := &a.f.PingPong.Effect
	e.With, e.Without, e.P = len(with), len(without), 1
	if len(with) == 0 || len(without) == 0 {
		return
	}
	e.MedianWith, e.MedianWithout = sec(quantile(with, 0.5)), sec(quantile(without, 0.5))
	u, v := mannWhitney(with, without, ties(without))
	e.U = u
	e.P = pTwoSided(u, float64(len(with)), float64(len(without)), v)
	est, lo, hi := shift(a.opt.Memory, with, without, 0.95, a.opt.Seed)
	e.Shift, e.Low, e.High = sec(est), sec(lo), sec(hi)
}

// long marks the long cases and fills the rule, the strata and Long of
// LeadTime; all is every lead time, sorted.
//
// With an SLA (Options.SLA, Options.SLAs) a case is long when its lead time
// exceeds the SLA of its stratum. Without one, the log sets its own service
// level: a case is long when its lead time exceeds the LongQuantile (P90)
// of the lead times of its stratum. Service levels are stated so in contact
// centres and service desks, as the share of contacts handled within a
// target time (Gans, Koole & Mandelbaum 2003, §2.2), and a quantile, unlike
// an outlier fence, means the same on the bimodal, heavy-tailed lead times
// of real logs (minutes for what the front office settles, weeks for what
// goes to a back office): there Tukey's (1977) upper fence on log lead time
// lands beyond the longest case and the skew-adjusted boxplot of Hubert &
// Vandervieren (2008) marks next to none, so "where long cases lose time"
// is never answered. A stratum needs MinStratum measured cases for a
// quantile of its own; the others share the log's, and a log with fewer
// has no long cases. Without measured cases the strata have N 0 and no
// limit.
func (a *analysis) long(all []int64) {
	lt := &a.f.LeadTime
	o := &a.opt
	lt.SLA = o.SLA.Seconds()
	sla := o.SLA > 0 || len(o.SLAs) > 0
	if sla {
		lt.Rule = RuleSLA
	} else {
		lt.Rule, lt.Quantile = RuleQuantile, o.LongQuantile
	}
	// Strata: code = the By value's code, len(strata) = the others.
	nv := len(a.in.strata)
	own := make([]bool, nv+1)
	limit := make([]float64, nv+1) // µs; < 0: not judged
	count := make([]int, nv+1)
	for k, d := range a.lead {
		if d >= 0 {
			count[a.stratum(k)]++
		}
	}
	switch {
	case sla:
		for v, name := range a.in.strata {
			if d, ok := o.SLAs[name]; ok {
				own[v], limit[v] = true, float64(d.Microseconds())
			}
		}
		limit[nv] = float64(o.SLA.Microseconds())
		if o.SLA == 0 {
			limit[nv] = -1
		}
	case len(all) < MinStratum:
		limit[nv] = -1
	default:
		limit[nv] = quantile(all, o.LongQuantile)
		if nv > 0 {
			m := a.opt.Memory
			byStratum := make([][]int64, nv)
			for v := range nv {
				if own[v] = count[v] >= MinStratum; own[v] {
					byStratum[v] = spill.MakeCap[int64](m, 0, count[v])
				}
			}
			for k, d := range a.lead {
				if v := a.stratum(k); d >= 0 && v < nv && own[v] {
					byStratum[v] = append(byStratum[v], d)
				}
			}
			var buf []int64
			for v, x := range byStratum {
				if own[v] {
					var q []float64
					q, buf = quantiles(m, x, buf, o.LongQuantile)
					limit[v] = q[0]
				}
			}
			spill.Free(m, append(byStratum, buf)...)
		}
	}
	for v := range own {
		if v < nv && !own[v] {
			count[nv] += count[v]
		}
	}
	own[nv] = count[nv] > 0 || o.By == ""
	long := make([]int, nv+1)
	for k, d := range a.lead {
		v := a.stratum(k)
		if !own[v] {
			v = nv
		}
		if d >= 0 && limit[v] >= 0 && float64(d) > limit[v] {
			a.f.Cases[k].Long = true
			long[v]++
			lt.Long++
		}
	}
	for v, ok := range own {
		if !ok {
			continue
		}
		st := Stratum{N: count[v], Long: long[v]}
		if v < nv {
			st.Name = a.in.strata[v]
		}
		if limit[v] >= 0 {
			st.Limit, st.Judged = sec(limit[v]), true
		}
		lt.Strata = append(lt.Strata, st)
	}
	// An SLA for a value no case has is shown, with no cases, so that a
	// misspelt value is seen.
	for name, d := range o.SLAs {
		if !slices.Contains(a.in.strata, name) {
			lt.Strata = append(lt.Strata, Stratum{Name: name, Limit: d.Seconds(), Judged: true})
		}
	}
	slices.SortFunc(lt.Strata, func(x, y Stratum) int {
		if (x.Name == "") != (y.Name == "") {
			if x.Name == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(x.Name, y.Name)
	})
}

// stratum is the code of case k's value of Options.By, or the number of
// values when it has none (or there is no By).
func (a *analysis) stratum(k int) int {
	if by := a.in.by.Index; by != nil && by[k] >= 0 {
		return int(by[k])
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
