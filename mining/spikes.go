package mining

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/caseflow/caseflow/internal/spill"
)

// spikes finds the inflow spikes (see Spike) among the contacts' start
// days and returns them with the number of reason × day tests. Without a
// reason column there are none.
func spikes(cs []contact, j *journeyInput, day0 int64) ([]Spike, int) {
	out := []Spike{}
	if j.reason == nil || len(cs) == 0 {
		return out, 0
	}
	days := int32(0)
	for _, c := range cs {
		days = max(days, c.day+1)
	}
	nr := len(j.reasons)
	counts := make([]int64, nr*int(days)) // reason-major
	for _, c := range cs {
		if c.reason >= 0 {
			counts[int(c.reason)*int(days)+int(c.day)]++
		}
	}
	type test struct {
		reason, day int32
		base        float64
	}
	var tests []test
	var ps []float64
	var buf []int64
	for r := range nr {
		row := counts[r*int(days) : (r+1)*int(days)]
		for d := int32(SpikeMinWeeks * 7); d < days; d++ {
			buf = buf[:0]
			for k := int32(1); k <= SpikeWeeks && d-7*k >= 0; k++ {
				buf = append(buf, row[d-7*k])
			}
			slices.Sort(buf)
			base := quantile(buf, 0.5)
			// A floor of one case a day, so that a reason seen on few days
			// does not make each of its cases a spike.
			lambda := max(base, 1)
			tests = append(tests, test{int32(r), d, base})
			ps = append(ps, distuv.Poisson{Lambda: lambda}.Survival(float64(row[d])-1))
		}
	}
	adj := adjustBH(ps)
	at := map[[2]int32]int{} // reason, day → index in out
	for i, t := range tests {
		x := float64(counts[int(t.reason)*int(days)+int(t.day)])
		lambda := max(t.base, 1)
		if adj[i] > SpikeFDR || x < SpikeRatio*lambda {
			continue
		}
		at[[2]int32{t.reason, t.day}] = len(out)
		out = append(out, Spike{Day: date(day0 + int64(t.day)),
			Reason: j.reasons[t.reason], Cases: int(x), Baseline: t.base, Extra: x - t.base, Ratio: x / lambda,
			P: ps[i], PAdjusted: adj[i]})
	}
	if len(out) > 0 {
		mix := make([]map[int32]int, len(out))
		for _, c := range cs {
			i, ok := at[[2]int32{c.reason, c.day}]
			if !ok || c.chn < 0 {
				continue
			}
			if mix[i] == nil {
				mix[i] = map[int32]int{}
			}
			mix[i][c.chn]++
		}
		for i := range out {
			out[i].Channels = []Count{}
			for chn, n := range mix[i] {
				out[i].Channels = append(out[i].Channels, Count{j.chns[chn], n})
			}
			slices.SortFunc(out[i].Channels, func(x, y Count) int {
				return cmp.Or(-cmp.Compare(x.Cases, y.Cases), strings.Compare(x.Name, y.Name))
			})
		}
	}
	slices.SortFunc(out, func(x, y Spike) int {
		return cmp.Or(strings.Compare(x.Day, y.Day), strings.Compare(x.Reason, y.Reason))
	})
	return out, len(tests)
}

// followSpikes fills what followed each spike (see Spike). It runs after
// the scan, which counts each case's handoffs and ping-pong, and is the
// last to read the cases' start days, which it frees.
func (a *analysis) followSpikes() {
	if a.jin != nil {
		defer spill.Free(a.opt.Memory, a.jin.day)
	}
	j := a.f.Journeys
	if j == nil || len(j.Spikes) == 0 {
		return
	}
	days := int32(0)
	for _, d := range a.jin.day {
		days = max(days, d+1)
	}
	handoffs, pingpong := make([]int64, days), make([]int64, days)
	for k, d := range a.jin.day {
		handoffs[d] += int64(a.f.Cases[k].Handoffs)
		pingpong[d] += int64(a.f.Cases[k].PingPong)
	}
	sum := func(x []int64, from, n int32) (s int64) {
		for _, v := range x[from : from+n] {
			s += v
		}
		return s
	}
	for i := range j.Spikes {
		s := &j.Spikes[i]
		t, _ := time.Parse(time.DateOnly, s.Day) // written by spikes, so it parses
		d := int32(t.Unix()/86400 - a.jin.day0)
		n := min(SpikeFollow, days-d)
		s.Following = int(n)
		s.Handoffs, s.PingPong = int(sum(handoffs, d, n)), int(sum(pingpong, d, n))
		var hb, pb []int64
		for k := int32(1); k <= SpikeMinWeeks && d-7*k >= 0; k++ {
			hb = append(hb, sum(handoffs, d-7*k, n))
			pb = append(pb, sum(pingpong, d-7*k, n))
		}
		slices.Sort(hb)
		slices.Sort(pb)
		s.HandoffsBaseline, s.PingPongBaseline = quantile(hb, 0.5), quantile(pb, 0.5)
	}
}
