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
	path, acts []int32 // scratch: the case's path, and activities (see follows)
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
// of every kind and computes everything else.
func (p *part) scan(a *analysis) {
	in := p.in
	for k := p.k0; k < p.k1; k++ {
		lo, hi := in.off[k], in.off[k+1]
		p.follows(k, lo, hi, false)
		st := p.stays(lo, hi)
		p.steps(k, st, false)
		p.borders(k, st, false)
		row := &a.f.Cases[k]
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

// fill is the second pass over case k, events lo…hi−1: it puts the
// handoff and return durations counted by scan in place, checks the
// case's variant and path against its group's, and splits the lead times
// of long and other cases.
func (p *part) fill(a *analysis, k, lo, hi int) {
	p.acts = p.in.act.Append(p.acts[:0], lo, hi)
	st := p.stays(lo, hi)
	p.borders(k, st, true)
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

// stays returns the stays of events lo…hi−1, in p's scratch space.
func (p *part) stays(lo, hi int) []stay {
	p.st = p.in.stays(lo, hi, p.st[:0])
	return p.st
}

// The durations are counted by scan and put in place by a later pass of
// their kind, one kind or two at a time (see Analyze), so that no moment
// holds every kind's samples. Each walk below counts case k's durations
// of its kind, or, when put, writes them to their slots.

// follows walks the durations between the directly-following events
// lo…hi−1 of case k, by activity pair, and leaves their activities in
// p.acts.
func (p *part) follows(k, lo, hi int, put bool) {
	in := p.in
	act := in.act.Append(p.acts[:0], lo, hi)
	p.acts = act
	for i := lo + 1; i < hi; i++ {
		p.dfg.emit(uint64(act[i-1-lo])*in.nA+uint64(act[i-lo]), k, in.dur(-1, i-1, i), put)
	}
}

// steps walks the internal gaps of case k's stays st, by unit. They run
// between the first events of consecutive steps; events less than the
// resolution after a step's first, or at its instant, belong to it, so a
// burst is no gap of 0 s (judged in clock time, as the resolution is the
// clock's).
func (p *part) steps(k int, st []stay, put bool) {
	in := p.in
	t := in.t
	for _, s := range st {
		u := s.unit
		step := s.first
		for i := s.first + 1; i <= s.last; i++ {
			if d := t[i] - t[step]; in.unit.At(i) == u && d > 0 && d >= in.res {
				p.gaps.emit(uint64(u), k, in.dur(u, step, i), put)
				step = i
			}
		}
	}
}

// borders walks the handoffs between case k's stays st, by unit pair,
// and the time from leaving a unit to being back in it at direct
// ping-pong, by unordered unit pair.
func (p *part) borders(k int, st []stay, put bool) {
	in := p.in
	for j := 1; j < len(st); j++ {
		u, b := st[j].unit, st[j-1]
		p.handoffs.emit(uint64(b.unit)*in.nU+uint64(u), k, in.dur(u, b.last, st[j].first), put)
		if j > 1 && st[j-2].unit == u && !in.closing(st, j) {
			// Direct ping-pong u, b, u at stays j−2, j−1, j.
			v := b.unit
			p.returns.emit(uint64(min(u, v))*in.nU+uint64(max(u, v)), k, in.dur(u, st[j-2].last, st[j].first), put)
		}
	}
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
