package generate

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// CallsConfig plants the telephony side of the phone contacts: each phone
// case starts with the call its KCC agent answered, which the ticket was
// logged against, and may be preceded by calls of the same customer that
// got no ticket. Rates are probabilities in [0, 1].
type CallsConfig struct {
	// AbandonRate is the share of phone cases whose customer first hung
	// up in the queue, 2 to 20 minutes before the answered call.
	AbandonRate float64
	// VRURate is the share whose customer first called and left in the
	// voice-response unit (self-service), 20 to 60 minutes before.
	VRURate float64
	// QueueRate is the share of answered calls that waited in the queue
	// (exponential, mean 25 s); the others reached an agent at once.
	QueueRate float64
	// DuplicateRate is the share of rows the export delivers twice.
	DuplicateRate float64
}

// DefaultCalls returns the rates of `caseflow generate --shape calls`.
func DefaultCalls() CallsConfig {
	return CallsConfig{AbandonRate: 0.15, VRURate: 0.1, QueueRate: 0.7, DuplicateRate: 0.01}
}

// CallHeader is the header of the call records: the columns of the
// shared Anonymous Bank file (docs/reading.md), then the ticket number
// the call was logged against.
const CallHeader = "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server,ticket"

// callTypes are the call types written, one per contact reason in turn
// (the shared file's codes; which reason gets which is arbitrary).
var callTypes = [...]string{"PS", "NE", "NW", "IN", "TT", "PE"}

// CallTruth is the totals record of the calls truth, as counted while the
// rows were written; the reader's figures must equal them.
type CallTruth struct {
	Rows        int64 `json:"rows"`        // rows written, redelivered ones among them
	Calls       int64 `json:"calls"`       // distinct calls
	InVRU       int64 `json:"in_vru"`      // calls that ended in the VRU
	Offered     int64 `json:"offered"`     // the others
	Answered    int64 `json:"answered"`    // reached an agent
	Abandoned   int64 `json:"abandoned"`   // hung up in the queue
	Within20s   int64 `json:"within_20s"`  // answered without queueing or after at most 20 s
	Redelivered int64 `json:"redelivered"` // rows written twice: the second copies
	Linked      int64 `json:"linked"`      // calls with a ticket number
	Unlinked    int64 `json:"unlinked"`    // calls without
}

// callSalt keeps the calls' random draws apart from the cases'.
const callSalt = 0x63616c6c73

// callSink writes the call records of the phone cases, and their truth:
// a "call" record per call (line, call_id, ticket or null, outcome,
// queued, wait_s, redelivered), then a "calls" record with CallTruth.
type callSink struct {
	cc    CallsConfig
	seed  uint64
	w     *bufio.Writer
	tw    *bufio.Writer // nil: no truth
	pcg   *rand.PCG
	r     *rand.Rand
	no    int64 // the last call_id written
	b, tb []byte
	tot   CallTruth
}

func newCallSink(p *plan, cc CallsConfig, w, truth io.Writer) (*callSink, error) {
	for _, r := range []struct {
		name string
		v    float64
	}{{"abandon rate", cc.AbandonRate}, {"VRU rate", cc.VRURate}, {"queue rate", cc.QueueRate}, {"duplicate rate", cc.DuplicateRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return nil, fmt.Errorf("%w: %s %v: must be between 0 and 1", ErrConfig, r.name, r.v)
		}
	}
	s := &callSink{cc: cc, seed: p.Seed, w: bufio.NewWriterSize(w, 1<<20), pcg: rand.NewPCG(0, 0)}
	s.r = rand.New(s.pcg)
	if truth != nil {
		s.tw = bufio.NewWriterSize(truth, 1<<20)
	}
	_, err := s.w.WriteString(CallHeader + "\n")
	return s, err
}

// call is one call's stages in milliseconds since the epoch (UTC); a
// stage that did not happen has start 0.
type call struct {
	vru, queue, service [2]int64
	answered            bool
	server              string
	ticket              []byte
}

func (s *callSink) add(k *kase) error {
	if k.channel != phone {
		return nil
	}
	s.pcg.Seed(mix(s.seed^mix(uint64(k.no))^callSalt), mix(uint64(k.no)+s.seed<<32^callSalt))
	r := s.r
	secs := func(lo, hi int64) int64 { return (lo + r.Int64N(hi-lo+1)) * msSecond }
	// The answered call ends a second before the ticket's first event.
	first := k.events[0]
	end := floorDiv(first.t, msSecond)*msSecond - msSecond
	ans := call{answered: true, server: agentName(kcc, int(first.agent)), ticket: appendID(nil, 'C', k.no)}
	handle := max(30*msSecond, int64(math.Exp(math.Log(4*60)+0.6*r.NormFloat64()))*msSecond)
	ans.service = [2]int64{end - handle, end}
	at := ans.service[0]
	if r.Float64() < s.cc.QueueRate {
		ans.queue = [2]int64{at - (1+int64(r.ExpFloat64()*25))*msSecond, at}
		at = ans.queue[0]
	}
	ans.vru = [2]int64{at - secs(5, 60), at}
	calls := []call{ans}
	if r.Float64() < s.cc.AbandonRate {
		e := calls[0].vru[0] - secs(2*60, 20*60)
		q := [2]int64{e - (1+int64(r.ExpFloat64()*60))*msSecond, e}
		calls = append([]call{{queue: q, vru: [2]int64{q[0] - secs(5, 60), q[0]}}}, calls...)
	}
	if r.Float64() < s.cc.VRURate {
		e := calls[0].vru[0] - secs(20*60, 60*60)
		calls = append([]call{{vru: [2]int64{e - secs(30, 300), e}}}, calls...)
	}
	for _, c := range calls {
		if err := s.write(k, &c); err != nil {
			return err
		}
	}
	return nil
}

// write writes one call's row (twice when redelivered) and its truth.
func (s *callSink) write(k *kase, c *call) error {
	s.no++
	line := fmt.Sprintf("AA01%02d", s.no%16+1)
	b := append(s.b[:0], line...)
	b = append(b, ',')
	b = strconv.AppendInt(b, s.no, 10)
	b = append(b, ',')
	b = appendID(b, 'K', k.customer)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(s.r.IntN(3)), 10)
	b = append(b, ',')
	b = append(b, callTypes[int(k.reason)%len(callTypes)]...)
	b = append(b, ',')
	day := floorDiv(c.vru[0], msDay)
	y, m, d := civil(day)
	b = append2(b, int(y%100))
	b = append2(b, m)
	b = append2(b, d)
	for _, st := range [][2]int64{c.vru, c.queue} {
		b = appendStage(b, st)
	}
	if c.answered {
		b = append(b, ",AGENT"...)
	} else {
		b = append(b, ",HANG"...)
	}
	b = appendStage(b, c.service)
	b = append(b, ',')
	if c.server == "" {
		b = append(b, callNoServer...)
	} else {
		b = append(b, c.server...)
	}
	b = append(b, ',')
	b = append(b, c.ticket...)
	b = append(b, '\n')
	s.b = b
	redelivered := s.r.Float64() < s.cc.DuplicateRate
	for range 1 + btoi(redelivered) {
		if _, err := s.w.Write(b); err != nil {
			return err
		}
	}
	s.count(c, redelivered, line)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// callNoServer is the shared file's server of a call no agent answered.
const callNoServer = "NO_SERVER"

// appendStage appends ",start,end,seconds" of a stage as times of day
// (UTC), or ",0:00:00,0:00:00,0" when it did not happen.
func appendStage(b []byte, st [2]int64) []byte {
	if st[0] == 0 {
		return append(b, ",0:00:00,0:00:00,0"...)
	}
	for _, t := range st {
		b = append(b, ',')
		b = appendClock(b, t-floorDiv(t, msDay)*msDay)
	}
	b = append(b, ',')
	return strconv.AppendInt(b, (st[1]-st[0])/msSecond, 10)
}

// count adds a call to the totals and writes its truth record.
func (s *callSink) count(c *call, redelivered bool, line string) {
	t := &s.tot
	t.Rows += 1 + int64(btoi(redelivered))
	t.Calls++
	t.Redelivered += int64(btoi(redelivered))
	queued := c.queue[0] != 0
	wait := (c.queue[1] - c.queue[0]) / msSecond
	switch {
	case c.answered:
		t.Offered++
		t.Answered++
		if !queued || wait <= 20 {
			t.Within20s++
		}
	case queued:
		t.Offered++
		t.Abandoned++
	default:
		t.InVRU++
	}
	if len(c.ticket) > 0 {
		t.Linked++
	} else {
		t.Unlinked++
	}
	if s.tw == nil {
		return
	}
	b := append(s.tb[:0], `{"kind":"call","line":`...)
	b = appendJSON(b, line)
	b = append(b, `,"call_id":"`...)
	b = strconv.AppendInt(b, s.no, 10)
	b = append(b, `","ticket":`...)
	if len(c.ticket) > 0 {
		b = appendJSON(b, string(c.ticket))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"outcome":"`...)
	if c.answered {
		b = append(b, "AGENT"...)
	} else {
		b = append(b, "HANG"...)
	}
	b = append(b, `","queued":`...)
	b = strconv.AppendBool(b, queued)
	b = append(b, `,"wait_s":`...)
	b = strconv.AppendInt(b, wait, 10)
	b = append(b, `,"redelivered":`...)
	b = strconv.AppendBool(b, redelivered)
	s.tb = append(b, "}\n"...)
	s.tw.Write(s.tb)
}

func (s *callSink) close() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if s.tw == nil {
		return nil
	}
	t := s.tot
	fmt.Fprintf(s.tw, `{"kind":"calls","rows":%d,"calls":%d,"in_vru":%d,"offered":%d,"answered":%d,"abandoned":%d,"within_20s":%d,"redelivered":%d,"linked":%d,"unlinked":%d}`+"\n",
		t.Rows, t.Calls, t.InVRU, t.Offered, t.Answered, t.Abandoned, t.Within20s, t.Redelivered, t.Linked, t.Unlinked)
	return s.tw.Flush()
}

// WriteCalls simulates cfg's cases as Write does and writes the call
// records of its phone contacts (see CallsConfig; CallHeader names the
// columns; times are UTC, read with the default --timezone) and, when
// truth is not nil, the calls truth: a "call" record per call, then a
// "calls" record with the totals (CallTruth). cfg.Style and cfg.Format
// do not apply. The ticket column holds the case id of the ticket an
// answered call was logged against; WriteLinked writes those tickets too.
// It returns the totals of the calls truth.
func WriteCalls(cfg Config, cc CallsConfig, calls, truth io.Writer) (CallTruth, error) {
	var cs *callSink
	_, err := simulate(cfg, nil, func(p *plan, _ *clock) (sink, error) {
		var err error
		cs, err = newCallSink(p, cc, calls, truth)
		return cs, err
	})
	if cs == nil {
		return CallTruth{}, err
	}
	return cs.tot, err
}
