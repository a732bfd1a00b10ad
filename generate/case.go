package generate

import (
	"math"
	"math/rand/v2"
)

// event is one row of the log.
type event struct {
	t     int64
	agent int16 // index into the department's agents; -1 for none
	dept  int8  // noDept for portal events
	act   uint8
	ph    int8 // 1 + index into placeholders written instead of dept; 0 for none
}

// Why a stay exists. A direct ping-pong occurrence s[i] s[i+1] s[i+2] is
// attributed to the origin of the stay that brought the case back, s[i+2],
// unless s[i+1] or s[i+2] was inserted by the planted ping-pong.
const (
	originStart   = iota // the KCC registers the case
	originForward        // routed by the KCC or forwarded by a back office
	originClosing        // back at the KCC to be closed
	originAdvice         // asked by a back office for advice
	originConsult        // the back office again, after the advice
	originPlanted        // inserted by the planted direct ping-pong
	originReturn         // part of a planted longer return
)

var originNames = [...]string{"start", "forward", "closing", "advice", "consult", "planted", "return"}

type stay struct {
	dept   int8
	origin uint8
}

// Case labels: the planted patterns a case carries.
const (
	labelPingPong = 1 << iota
	labelReturn
	labelSilo
	labelSlow
	labelRepeat
	labelSpike
	labelQuick
	labelHold
)

var labelNames = [...]string{"pingpong", "return", "silo", "slow", "repeat", "spike", "first_contact", "hold"}

// kase is a generated case: its contact, events and stays.
type kase struct {
	contact
	events []event
	stays  []stay
	labels uint8
	pair   int     // planted ping-pong pair index; -1 for none
	ret    [3]int8 // departments A, B, C of a planted longer return; ret[0] < 0 for none
}

// sim turns contacts into cases. Each case draws from its own generator,
// seeded from the seed and the case number, so a case does not depend on how
// the work is split. The pathologies draw from a second generator of their
// own, so that switched off they leave every case as it was, and switched
// on they leave the cases they do not touch as they were.
type sim struct {
	p      *plan
	c      *clock
	pcg    *rand.PCG
	r      *rand.Rand
	xpcg   *rand.PCG
	x      *rand.Rand
	k      kase
	spare  []event         // the other buffer of bursts
	mu     [nDepts]float64 // log of the median step time, ms
	entry  bool            // the next event opens a stay after another stay
	fresh  bool            // the current stay has no event with a department yet
	agent  int16
	lastT  int64
	silo   float64
	slowF  float64
	replyM float64
}

func newSim(p *plan, c *clock) *sim {
	s := &sim{p: p, c: c, pcg: rand.NewPCG(0, 0), xpcg: rand.NewPCG(0, 0)}
	s.r, s.x = rand.New(s.pcg), rand.New(s.xpcg)
	for i, d := range departments {
		s.mu[i] = math.Log(float64(d.step.Milliseconds()))
	}
	s.silo = max(p.SiloFactor, 1)
	s.slowF = max(p.SlowFactor, 1)
	s.replyM = math.Log(float64(replyMedian.Milliseconds()))
	return s
}

// mix is the SplitMix64 finaliser (Steele, Lea & Flood, OOPSLA 2014).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// run generates the case for ct; the result is valid until the next call.
func (s *sim) run(ct contact) *kase {
	s.pcg.Seed(mix(s.p.Seed^mix(uint64(ct.no))), mix(uint64(ct.no)+s.p.Seed<<32))
	s.xpcg.Seed(mix(s.p.Seed^mix(uint64(ct.no)^pathologySalt)), mix(uint64(ct.no)+s.p.Seed<<32^pathologySalt))
	k := s.simulate(ct)
	if s.p.BurstRate > 0 {
		s.bursts()
	}
	return k
}

// simulate walks the case through the organisation.
func (s *sim) simulate(ct contact) *kase {
	p, r := s.p, s.r
	k := &s.k
	k.contact = ct
	k.events, k.stays = k.events[:0], k.stays[:0]
	k.labels, k.pair, k.ret[0] = 0, -1, -1
	if ct.repeatOf != 0 {
		k.labels |= labelRepeat
	}
	if ct.spike {
		k.labels |= labelSpike
	}
	if ch := &channels[ct.channel]; p.QuickRate > 0 && !ch.portal && !ch.mailbox && s.x.Float64() < p.QuickRate {
		return s.quick()
	}
	hold := p.HoldRate > 0 && s.x.Float64() < p.HoldRate

	// Base route: up to two back offices, perhaps closed at the KCC.
	rs := &reasons[ct.reason]
	var route [2]int8
	nr := 0
	if r.Float64() >= rs.kccOnly {
		route[0] = int8(pick(r, rs.route[:]))
		nr = 1
		next := rs.next
		next[route[0]] = 0
		if r.Float64() < rs.forward && sum(next[:]) > 0 {
			route[1] = int8(pick(r, next[:]))
			nr = 2
		}
	}
	closeAtKCC := nr > 0 && (r.Float64() < pCloseAtKCC || p.CloseAtKCC)

	// Planted ping-pong at the first stay in pair.From, or a longer return.
	ppAt := -2 // -1: at the KCC's intake; j: at route[j]
	for i, pr := range p.pairs {
		at := -2
		if pr[0] == kcc {
			at = -1
		}
		for j := nr - 1; j >= 0; j-- {
			if int(route[j]) == pr[0] {
				at = j
			}
		}
		if at > -2 && r.Float64() < p.PingPongRate {
			ppAt, k.pair = at, i
			k.labels |= labelPingPong
			break
		}
	}
	if k.pair < 0 && nr > 0 && p.ReturnRate > 0 && r.Float64() < p.ReturnRate {
		others := backOfficesBut(route[0])
		k.ret = [3]int8{kcc, route[0], int8(pick(r, others[:]))}
		k.labels |= labelReturn
	}

	// Intake at the KCC.
	ch := &channels[ct.channel]
	s.lastT = ct.t
	s.begin(kcc, originStart)
	switch {
	case ch.portal:
		s.emit(noDept, -1, ch.first, ct.t)
	case ch.mailbox:
		s.emit(kcc, -1, ch.first, ct.t)
	default:
		s.emit(kcc, s.agent, ch.first, ct.t)
	}
	s.act(actRegistered)
	if ppAt == -1 {
		s.pingPong()
	}
	if nr == 0 {
		s.act(actAnswered)
		s.act(actClosed)
		return k
	}
	s.act(actForwarded)

	// Back offices.
	for j := 0; j < nr; j++ {
		b := route[j]
		origin := uint8(originForward)
		if j == 0 && k.ret[0] >= 0 {
			s.begin(b, originForward)
			s.act(actReceived)
			s.act(actForwarded)
			s.begin(k.ret[2], originReturn)
			s.act(actReceived)
			s.act(actSentBack)
			s.begin(kcc, originReturn)
			s.act(actReturned)
			s.act(actForwarded)
			origin = originReturn
		}
		s.begin(b, origin)
		s.act(actReceived)
		s.act(actAssessed)
		if ppAt == j {
			s.pingPong()
		}
		if r.Float64() < pConsult {
			others := backOfficesBut(b)
			s.act(actAdviceRequested)
			s.begin(int8(pick(r, others[:])), originAdvice)
			s.act(actReceived)
			s.act(actAdviceGiven)
			s.begin(b, originConsult)
			s.act(actAdviceReceived)
		}
		if r.Float64() < pInfoRequest {
			s.act(actInfoRequested)
			reply := s.lastT + max(msSecond, int64(math.Exp(s.replyM+replySigma*r.NormFloat64())))
			s.emit(noDept, -1, actReply, reply)
		}
		if hold && j == nr-1 {
			s.hold()
		}
		s.act(actDecision)
		switch {
		case j < nr-1:
			s.act(actForwarded)
		case closeAtKCC:
			s.begin(kcc, originClosing)
			s.act(actInformed)
			s.act(actClosed)
		default:
			s.act(actClosed)
		}
	}
	return k
}

// quick resolves the case at first contact: the KCC agent registers,
// answers and closes it while the customer is on the line or at the
// counter, each step a log-normal number of elapsed minutes.
func (s *sim) quick() *kase {
	k := &s.k
	k.labels |= labelQuick
	s.begin(kcc, originStart)
	s.emit(kcc, s.agent, channels[k.channel].first, k.t)
	mu := math.Log(float64(quickStep.Milliseconds()))
	for _, a := range [...]uint8{actRegistered, actAnswered, actClosed} {
		s.emit(kcc, s.agent, a, s.lastT+max(msSecond, int64(math.Exp(mu+quickSigma*s.x.NormFloat64()))))
	}
	return k
}

// hold puts the case on hold in the current stay until the customer
// replies after a Pareto-distributed wait (inverse transform of a uniform;
// Pareto 1897, see Johnson, Kotz & Balakrishnan, Continuous Univariate
// Distributions, vol. 1, ch. 20), capped at holdMax.
func (s *sim) hold() {
	s.k.labels |= labelHold
	s.act(actInfoRequested)
	wait := float64(holdMin.Milliseconds()) * math.Pow(1-s.x.Float64(), -1/holdShape)
	s.emit(noDept, -1, actReply, s.lastT+int64(min(wait, float64(holdMax.Milliseconds()))))
}

// bursts follows each event with a department, with probability
// BurstRate, by 1 to burstMax "Status updated" events of the same
// department and agent at the same instant, as systems log several status
// updates of one action in the same second. No event moves, so stays, the
// waits between them and lead times are what they were.
func (s *sim) bursts() {
	out := s.spare[:0]
	for _, e := range s.k.events {
		out = append(out, e)
		if e.dept != noDept && s.x.Float64() < s.p.BurstRate {
			for n := 1 + s.x.IntN(burstMax); n > 0; n-- {
				out = append(out, event{t: e.t, agent: e.agent, dept: e.dept, act: actUpdated})
			}
		}
	}
	s.spare, s.k.events = s.k.events, out
}

// pingPong plants From To From (and perhaps To From again) at the current
// stay, which is in From.
func (s *sim) pingPong() {
	pr := s.p.pairs[s.k.pair]
	reps := 1
	if s.r.Float64() < pPingPongAgain {
		reps = 2
	}
	for i := 0; i < reps; i++ {
		s.act(actForwarded)
		s.begin(int8(pr[1]), originPlanted)
		s.act(actReceived)
		s.act(actSentBack)
		s.begin(int8(pr[0]), originPlanted)
		s.act(actReturned)
	}
}

// begin opens a stay in dept with its own agent.
func (s *sim) begin(dept int8, origin uint8) {
	s.entry = len(s.k.stays) > 0
	s.fresh = true
	s.k.stays = append(s.k.stays, stay{dept, origin})
	s.agent = int16(s.r.IntN(departments[dept].agents))
	if int(dept) == s.p.slow {
		s.k.labels |= labelSlow
	}
}

// act adds an event of the current stay after a log-normal working-time
// step: the department's usual step, longer on entering across the silo
// boundary or on working inside the slow department.
func (s *sim) act(a uint8) {
	st := s.k.stays[len(s.k.stays)-1]
	d := int(st.dept)
	step := math.Exp(s.mu[d] + departments[d].sigma*s.r.NormFloat64())
	if s.entry {
		if prev := s.k.stays[len(s.k.stays)-2].dept; int(prev) == s.p.siloFrom && d == s.p.siloTo {
			step *= s.silo
			s.k.labels |= labelSilo
		}
	} else if d == s.p.slow {
		step *= s.slowF
	}
	agent := s.agent
	if !s.entry && s.r.Float64() < pColleague {
		agent = int16(s.r.IntN(departments[d].agents))
	}
	s.entry = false
	s.emit(st.dept, agent, a, s.c.addWork(s.lastT, max(msSecond, int64(step))))
}

// emit appends an event at t. Every gap is at least a second or, in a
// burst, exactly 0, so events of a case keep their order at the coarsest
// written resolution when sorted by time, then input order. An event of a
// stay after its first with a department gets a placeholder instead with
// probability PlaceholderRate.
func (s *sim) emit(dept int8, agent int16, a uint8, t int64) {
	var ph int8
	if dept != noDept {
		if !s.fresh && s.p.PlaceholderRate > 0 && s.x.Float64() < s.p.PlaceholderRate {
			ph = 1 + int8(s.x.IntN(len(placeholders)))
		}
		s.fresh = false
	}
	s.k.events = append(s.k.events, event{t: t, agent: agent, dept: dept, act: a, ph: ph})
	s.lastT = t
}

// backOfficesBut returns equal weights for every back office except d.
func backOfficesBut(d int8) (w [nDepts]float64) {
	for i := kcc + 1; i < nDepts; i++ {
		w[i] = 1
	}
	w[d] = 0
	return w
}

func sum(w []float64) (t float64) {
	for _, v := range w {
		t += v
	}
	return t
}

// occurrence is a direct ping-pong s[i] s[i+1] s[i] in a stay sequence.
type occurrence struct {
	at    int
	a, b  int8 // the pair, a's name sorting before b's
	cause string
}

// pingPongs appends the direct ping-pong occurrences of the stays to dst.
func pingPongs(dst []occurrence, stays []stay) []occurrence {
	for i := 0; i+2 < len(stays); i++ {
		x, y, z := stays[i], stays[i+1], stays[i+2]
		if x.dept != z.dept || x.dept == y.dept {
			continue
		}
		cause := originNames[z.origin]
		if y.origin == originPlanted || z.origin == originPlanted {
			cause = originNames[originPlanted]
		}
		a, b := x.dept, y.dept
		if departments[b].name < departments[a].name {
			a, b = b, a
		}
		dst = append(dst, occurrence{at: i, a: a, b: b, cause: cause})
	}
	return dst
}
