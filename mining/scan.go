package mining

// part is the partial result of one shard of cases [k0, k1). Its fields
// merge associatively: counts add, samples concatenate in shard order.
type part struct {
	in     *input
	k0, k1 int

	dfg, handoffs, gaps, returns tally
	starts, ends                 []int

	odd [2][]int // cases whose activities, path differ from their group's

	present []bool // per unit: occurs in a stay
	bounces []int  // per unit: incoming handoffs bounced back to the sender
	seen    []int  // per unit: 1 + the last case with a stay in it

	occ, occCases, revisits, revisitCases, closing int

	// where (second pass), indexed [long][unit].
	stay, wait  [2][]wide
	none, total [2]wide

	st         []stay
	path, acts []int32 // scratch: the case's path, and activities (see flow)
}

func newPart(in *input, k0, k1 int) *part {
	p := &part{
		in: in, k0: k0, k1: k1,
		dfg:      newTally(in.nA*in.nA, false),
		handoffs: newTally(in.nU*in.nU, false),
		gaps:     newTally(in.nU, false),
		returns:  newTally(in.nU*in.nU, true),
		starts:   make([]int, in.nA),
		ends:     make([]int, in.nA),
		present:  make([]bool, in.nU),
		bounces:  make([]int, in.nU),
		seen:     make([]int, in.nU),
	}
	for g := range 2 {
		p.stay[g] = make([]wide, in.nU)
		p.wait[g] = make([]wide, in.nU)
	}
	return p
}

// scan is the first pass over the part's cases: it counts the durations
// (see flow) and computes everything else.
func (p *part) scan(a *analysis) {
	in := p.in
	for k := p.k0; k < p.k1; k++ {
		lo, hi := in.off[k], in.off[k+1]
		st := p.flow(k, lo, hi, false)
		row := &a.f.Cases[k]
		row.ID = in.caseIDs.Value(in.caseCol.GetValueIndex(lo))
		row.Events = int32(hi - lo)

		p.starts[p.acts[0]]++
		p.ends[p.acts[hi-lo-1]]++
		a.actHash[k] = hashSeq(p.acts)

		path := p.path[:0]
		var occ, revisits int32
		for j, s := range st {
			u := s.unit
			if j > 1 && st[j-2].unit == u {
				p.bounces[st[j-1].unit]++
				if in.closing(st, j) {
					row.Closing = true
					p.closing++
				} else {
					occ++
				}
			}
			if p.seen[u] == k+1 {
				revisits++
			}
			p.seen[u] = k + 1
			p.present[u] = true
			path = append(path, u)
		}
		p.path = path
		a.pathHash[k] = hashSeq(path)
		row.Handoffs = int32(max(len(st)-1, 0))
		row.PingPong, row.Revisits = occ, revisits
		p.occ += int(occ)
		p.revisits += int(revisits)
		if occ > 0 {
			p.occCases++
		}
		if revisits > 0 {
			p.revisitCases++
		}

		a.lead[k] = -1
		if s, e, ok := in.window(lo, hi); ok {
			a.lead[k] = in.dur(-1, s, e)
			row.Measured, row.Lead = true, sec(float64(a.lead[k]))
		}
	}
}

// fill is the second pass: it puts the durations counted by scan in
// place, checks each case's variant and path against its group's, and
// splits the lead times of long and other cases.
func (p *part) fill(a *analysis) {
	in := p.in
	for k := p.k0; k < p.k1; k++ {
		lo, hi := in.off[k], in.off[k+1]
		st := p.flow(k, lo, hi, true)
		if !a.acts.check(k, p.acts) {
			p.odd[0] = append(p.odd[0], k)
		}
		path := p.path[:0]
		for _, s := range st {
			path = append(path, s.unit)
		}
		p.path = path
		if !a.paths.check(k, path) {
			p.odd[1] = append(p.odd[1], k)
		}
		p.split(lo, hi, st, a.f.Cases[k].Long)
	}
}

// flow walks case k's events lo…hi−1 and counts (or, when fill, puts) its
// durations: between directly-following events by activity pair, inside
// stays by unit, at handoffs by unit pair, and from leaving a unit to
// being back in it at direct ping-pong by unordered unit pair. It returns
// the case's stays and leaves its activities in p.acts.
func (p *part) flow(k, lo, hi int, fill bool) []stay {
	in := p.in
	t := in.t
	emit := func(s *tally, key uint64, v int64) {
		if fill {
			s.put(key, v)
		} else {
			s.add(key, k)
		}
	}
	act := in.act.Append(p.acts[:0], lo, hi)
	p.acts = act
	for i := lo + 1; i < hi; i++ {
		emit(&p.dfg, uint64(act[i-1-lo])*in.nA+uint64(act[i-lo]), in.dur(-1, i-1, i))
	}
	st := in.stays(lo, hi, p.st[:0])
	p.st = st
	for j, s := range st {
		u := s.unit
		// Internal gaps run between the first events of consecutive steps;
		// events less than the resolution after a step's first, or at its
		// instant, belong to it, so a burst is no gap of 0 s (judged in
		// clock time, as the resolution is the clock's).
		step := s.first
		for i := s.first + 1; i <= s.last; i++ {
			if d := t[i] - t[step]; in.unit.At(i) == u && d > 0 && d >= in.res {
				emit(&p.gaps, uint64(u), in.dur(u, step, i))
				step = i
			}
		}
		if j == 0 {
			continue
		}
		b := st[j-1]
		emit(&p.handoffs, uint64(b.unit)*in.nU+uint64(u), in.dur(u, b.last, s.first))
		if j > 1 && st[j-2].unit == u && !in.closing(st, j) {
			// Direct ping-pong u, b, u at stays j−2, j−1, j.
			v := b.unit
			emit(&p.returns, uint64(min(u, v))*in.nU+uint64(max(u, v)), in.dur(u, st[j-2].last, s.first))
		}
	}
	return st
}

// closing says whether the direct ping-pong that returns to stay j of st
// is a closing return (see closingReturn).
func (in *input) closing(st []stay, j int) bool {
	return closingReturn(len(st), j, func(i int) string { return in.units[st[i].unit] })
}

// split splits the lead time of the case with events lo…hi−1 and stays
// st into time in stays, waits at handoffs and the rest, clipped to the
// lead-time window. Stays and waits tile the time from the first stay's
// start to the last one's end, so the rest is the time before and after
// it, each measured in its own unit's time (see input.dur).
func (p *part) split(lo, hi int, st []stay, long bool) {
	in := p.in
	s, e, ok := in.window(lo, hi)
	if !ok {
		return
	}
	g := 0
	if long {
		g = 1
	}
	clip := func(u int32, from, to int) int64 {
		from, to = max(from, s), min(to, e)
		if from >= to {
			return 0
		}
		return in.dur(u, from, to)
	}
	p.total[g].add(clip(-1, lo, hi-1))
	if len(st) == 0 {
		p.none[g].add(clip(-1, lo, hi-1))
		return
	}
	for j, x := range st {
		p.stay[g][x.unit].add(clip(x.unit, x.first, x.last))
		if j > 0 {
			p.wait[g][x.unit].add(clip(x.unit, st[j-1].last, x.first))
		}
	}
	p.none[g].add(clip(-1, lo, st[0].first) + clip(-1, st[len(st)-1].last, hi-1))
}
